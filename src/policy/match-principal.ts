/**
 * Matching of `Principal` / `NotPrincipal` entries against the caller of a request, as the IAM
 * User Guide describes it ("AWS JSON policy elements: Principal", "… NotPrincipal"):
 *
 * - `"*"` and `{"AWS": "*"}` are everyone, anonymous callers included ("For anonymous users, the
 *   following elements are equivalent");
 * - an account id and `arn:aws:iam::ACCOUNT:root` both name the account: the grant is delegated to
 *   the account's own policies (how `account`), it is not limited to the root user;
 * - a user ARN names that user; an assumed-role session ARN names that one session; a
 *   federated-user ARN names that federated session;
 * - a role ARN applies to every session of the role, and a user ARN to the federated-user
 *   sessions that user created — "the permissions from the resource-based policy are added to the
 *   role or user's identity-based policy before the session is created", so the session policy
 *   and the permissions boundary still limit them (`parent: true`);
 * - a wildcard inside an ARN is not supported ("You cannot use a wildcard to match part of a
 *   principal name or ARN"): such an entry matches nothing;
 * - `Service` names a service principal, `Federated` an identity provider (a SAML or OIDC provider
 *   ARN, or `accounts.google.com`, `cognito-identity.amazonaws.com`, `graph.facebook.com`,
 *   `www.amazon.com`), `CanonicalUser` an S3 canonical user id.
 */
import type { PrincipalEntry } from './types.js';

/** Who makes a request. */
export type CallerType =
  | 'user'
  | 'role'
  | 'assumed-role'
  | 'root'
  | 'federated-user'
  | 'service'
  | 'anonymous'
  | 'web-identity'
  | 'saml';

/** The caller of a request, as principal matching and the request context need it. */
export interface CallerIdentity {
  /** The caller's ARN; a service principal's name; `*` for anonymous callers. */
  readonly arn: string;
  readonly accountId: string | null;
  readonly type: CallerType;
  /** Assumed-role sessions (and roles): the role's ARN, with its path when known. */
  readonly roleArn?: string;
  /** Service principals: the service principal name, e.g. `lambda.amazonaws.com`. */
  readonly service?: string;
  /** Web identity and SAML callers: the identity provider (`accounts.google.com`, a provider ARN). */
  readonly federatedProvider?: string;
  /** Federated-user sessions (GetFederationToken): the IAM user that created the session. */
  readonly userArn?: string;
  /** The S3 canonical user id of the caller's account, when known. */
  readonly canonicalUserId?: string;
}

/** Extra facts about a caller that its ARN does not carry. */
export interface CallerIdentityOptions {
  /** The role's ARN with its path (a session ARN drops the path). */
  readonly roleArn?: string;
  /** The IAM user behind a federated-user session. */
  readonly userArn?: string;
  /** The identity provider of a web identity or SAML caller. */
  readonly federatedProvider?: string;
  readonly canonicalUserId?: string;
}

/** The web identity providers AWS names by host in a `Federated` principal. */
export const WEB_IDENTITY_PROVIDERS: ReadonlySet<string> = new Set([
  'accounts.google.com',
  'cognito-identity.amazonaws.com',
  'graph.facebook.com',
  'www.amazon.com',
]);

const ACCOUNT_ID = /^\d{12}$/;
/** IAM unique ids (AIDA…, AROA…, …): what a policy shows once the principal it named is deleted. */
const UNIQUE_ID = /^A[A-Z0-9]{3}[A-Z0-9]{12,}$/;

interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

function splitArn(text: string): ArnParts | null {
  if (!text.startsWith('arn:')) return null;
  const parts = text.split(':');
  if (parts.length < 6) return null;
  return {
    partition: parts[1]!,
    service: parts[2]!,
    region: parts[3]!,
    accountId: parts[4]!,
    resource: parts.slice(5).join(':'),
  };
}

/** The last segment of a path-like resource (`role/a/b/name` → `name`). */
function lastSegment(resource: string): string {
  return resource.slice(resource.lastIndexOf('/') + 1);
}

/** Builds a {@link CallerIdentity} from a principal ARN, a service principal name, or `*`. */
export function callerIdentityFromArn(
  arn: string,
  options: CallerIdentityOptions = {},
): CallerIdentity {
  const base = identityFromArn(arn, options);
  return options.canonicalUserId !== undefined
    ? { ...base, canonicalUserId: options.canonicalUserId }
    : base;
}

function identityFromArn(arn: string, options: CallerIdentityOptions): CallerIdentity {
  if (arn === '*' || arn === '') return { arn: '*', accountId: null, type: 'anonymous' };
  const parsed = splitArn(arn);
  if (parsed === null) {
    const lower = arn.toLowerCase();
    if (WEB_IDENTITY_PROVIDERS.has(lower)) {
      const provider = options.federatedProvider ?? lower;
      return { arn, accountId: null, type: 'web-identity', federatedProvider: provider };
    }
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(lower)) {
      return { arn, accountId: null, type: 'service', service: lower };
    }
    // Neither an ARN nor a service principal: nothing AWS authenticates, so anonymous.
    return { arn, accountId: null, type: 'anonymous' };
  }
  const accountId = ACCOUNT_ID.test(parsed.accountId) ? parsed.accountId : null;
  const { partition, resource } = parsed;
  if (parsed.service === 'iam') {
    if (resource === 'root') return { arn, accountId, type: 'root' };
    if (resource.startsWith('user/')) return { arn, accountId, type: 'user' };
    if (resource.startsWith('role/')) {
      return { arn, accountId, type: 'role', roleArn: options.roleArn ?? arn };
    }
    if (resource.startsWith('saml-provider/')) {
      return { arn, accountId, type: 'saml', federatedProvider: options.federatedProvider ?? arn };
    }
    if (resource.startsWith('oidc-provider/')) {
      const provider = options.federatedProvider ?? arn;
      return { arn, accountId, type: 'web-identity', federatedProvider: provider };
    }
  }
  if (parsed.service === 'sts') {
    const pieces = resource.split('/');
    if (pieces[0] === 'assumed-role' && pieces.length === 3) {
      const roleArn =
        options.roleArn ?? `arn:${partition}:iam::${parsed.accountId}:role/${pieces[1]!}`;
      return { arn, accountId, type: 'assumed-role', roleArn };
    }
    if (pieces[0] === 'federated-user' && pieces.length === 2) {
      return {
        arn,
        accountId,
        type: 'federated-user',
        ...(options.userArn !== undefined ? { userArn: options.userArn } : {}),
      };
    }
  }
  // An ARN AWS does not authenticate as a caller (a group, a resource): anonymous.
  return { arn, accountId: null, type: 'anonymous' };
}

// --- Parsed principal entries ----------------------------------------------------------------

/** What one Principal entry names, once parsed. */
export type PrincipalTarget =
  | { readonly form: 'everyone' }
  | { readonly form: 'account'; readonly partition: string | null; readonly accountId: string }
  | { readonly form: 'user'; readonly arn: string }
  | {
      readonly form: 'role';
      readonly arn: string;
      readonly partition: string;
      readonly accountId: string;
      readonly name: string;
    }
  | { readonly form: 'session'; readonly arn: string }
  | { readonly form: 'federated-user'; readonly arn: string }
  | { readonly form: 'service'; readonly name: string }
  | { readonly form: 'provider'; readonly provider: string }
  | { readonly form: 'canonical-user'; readonly id: string }
  | {
      readonly form: 'nothing';
      /** Why the entry can match no caller; a diagnostic code. */
      readonly problem:
        'wildcard-in-principal' | 'principal-unique-id' | 'invalid-principal' | 'empty-principal';
    };

function describeAws(value: string): PrincipalTarget {
  if (value === '*') return { form: 'everyone' };
  if (value === '') return { form: 'nothing', problem: 'empty-principal' };
  if (value.includes('*') || value.includes('?')) {
    return { form: 'nothing', problem: 'wildcard-in-principal' };
  }
  if (ACCOUNT_ID.test(value)) return { form: 'account', partition: null, accountId: value };
  if (UNIQUE_ID.test(value)) return { form: 'nothing', problem: 'principal-unique-id' };
  const arn = splitArn(value);
  if (arn === null || !ACCOUNT_ID.test(arn.accountId) || arn.region !== '') {
    return { form: 'nothing', problem: 'invalid-principal' };
  }
  const { partition, accountId, resource } = arn;
  if (arn.service === 'iam') {
    if (resource === 'root') return { form: 'account', partition, accountId };
    if (/^user\/(.+\/)?[^/]+$/.test(resource)) return { form: 'user', arn: value };
    if (/^role\/(.+\/)?[^/]+$/.test(resource)) {
      return { form: 'role', arn: value, partition, accountId, name: lastSegment(resource) };
    }
  } else if (arn.service === 'sts') {
    if (/^assumed-role\/[^/]+\/[^/]+$/.test(resource)) return { form: 'session', arn: value };
    if (/^federated-user\/[^/]+$/.test(resource)) return { form: 'federated-user', arn: value };
  }
  return { form: 'nothing', problem: 'invalid-principal' };
}

/** Parses one Principal entry into what it names (entries that can match nobody say why). */
export function describePrincipalEntry(entry: PrincipalEntry): PrincipalTarget {
  switch (entry.kind) {
    case '*':
      return { form: 'everyone' };
    case 'AWS':
      return describeAws(entry.value);
    case 'Service':
      if (entry.value === '') return { form: 'nothing', problem: 'empty-principal' };
      if (entry.value.includes('*')) return { form: 'nothing', problem: 'wildcard-in-principal' };
      return { form: 'service', name: entry.value.toLowerCase() };
    case 'Federated':
      if (entry.value === '') return { form: 'nothing', problem: 'empty-principal' };
      if (entry.value.includes('*')) return { form: 'nothing', problem: 'wildcard-in-principal' };
      return {
        form: 'provider',
        provider: entry.value.startsWith('arn:') ? entry.value : entry.value.toLowerCase(),
      };
    case 'CanonicalUser':
      if (entry.value === '') return { form: 'nothing', problem: 'empty-principal' };
      return { form: 'canonical-user', id: entry.value.toLowerCase() };
  }
}

const described = new WeakMap<PrincipalEntry, PrincipalTarget>();

function targetOf(entry: PrincipalEntry): PrincipalTarget {
  let target = described.get(entry);
  if (target === undefined) {
    target = describePrincipalEntry(entry);
    described.set(entry, target);
  }
  return target;
}

// --- Matching ---------------------------------------------------------------------------------

/** How a caller matched a Principal element. */
export type PrincipalMatchHow = 'exact' | 'account' | 'wildcard' | 'service' | 'federated' | null;

/** The outcome of {@link matchPrincipal}. */
export interface PrincipalMatch {
  readonly match: boolean;
  /**
   * `exact`: the entry names the caller (or, with `parent`, the identity its session came from);
   * `account`: the entry names the caller's account, which delegates to the account's policies;
   * `wildcard`: `*`; `service`: a service principal; `federated`: an identity provider.
   */
  readonly how: PrincipalMatchHow;
  /**
   * True when the entry names the role of an assumed-role session (or a role caller), or the IAM
   * user of a federated-user session, rather than the session itself: the session policy and the
   * permissions boundary still limit such a grant.
   */
  readonly parent: boolean;
  /** The entry that decided the match (the strongest one), or null. */
  readonly entry: PrincipalEntry | null;
}

const NO_MATCH: PrincipalMatch = { match: false, how: null, parent: false, entry: null };

const AUTHENTICATED_IN_ACCOUNT: ReadonlySet<CallerType> = new Set([
  'user',
  'role',
  'assumed-role',
  'root',
  'federated-user',
]);

function partitionOf(arn: string): string | null {
  return arn.startsWith('arn:') ? (arn.split(':', 3)[1] ?? null) : null;
}

/** The role a caller acts as (its own ARN for a role, the session's role), or null. */
function roleOfCaller(caller: CallerIdentity): string | null {
  if (caller.type === 'role') return caller.roleArn ?? caller.arn;
  if (caller.type === 'assumed-role') return caller.roleArn ?? null;
  return null;
}

/** True when `roleArn` is the role the target names: same partition, account and role name. */
function sameRole(target: Extract<PrincipalTarget, { form: 'role' }>, roleArn: string): boolean {
  const arn = splitArn(roleArn);
  return (
    arn !== null &&
    arn.service === 'iam' &&
    arn.resource.startsWith('role/') &&
    arn.partition === target.partition &&
    arn.accountId === target.accountId &&
    lastSegment(arn.resource) === target.name
  );
}

function inAccount(
  target: Extract<PrincipalTarget, { form: 'account' }>,
  caller: CallerIdentity,
): boolean {
  if (!AUTHENTICATED_IN_ACCOUNT.has(caller.type) || caller.accountId !== target.accountId) {
    return false;
  }
  return target.partition === null || partitionOf(caller.arn) === target.partition;
}

/** Ranks of match kinds: a lower rank is a stronger grant. */
const RANK = { self: 0, wildcard: 1, service: 2, federated: 3, parent: 4, account: 5 } as const;

function matchOne(
  entry: PrincipalEntry,
  caller: CallerIdentity,
): { rank: number; how: Exclude<PrincipalMatchHow, null>; parent: boolean } | null {
  const target = targetOf(entry);
  switch (target.form) {
    case 'everyone':
      return { rank: RANK.wildcard, how: 'wildcard', parent: false };
    case 'account':
      return inAccount(target, caller)
        ? { rank: RANK.account, how: 'account', parent: false }
        : null;
    case 'user':
      if (caller.type === 'user' && caller.arn === target.arn) {
        return { rank: RANK.self, how: 'exact', parent: false };
      }
      if (caller.type === 'federated-user' && caller.userArn === target.arn) {
        return { rank: RANK.parent, how: 'exact', parent: true };
      }
      return null;
    case 'role': {
      const role = roleOfCaller(caller);
      return role !== null && sameRole(target, role)
        ? { rank: RANK.parent, how: 'exact', parent: true }
        : null;
    }
    case 'session':
      return caller.type === 'assumed-role' && caller.arn === target.arn
        ? { rank: RANK.self, how: 'exact', parent: false }
        : null;
    case 'federated-user':
      return caller.type === 'federated-user' && caller.arn === target.arn
        ? { rank: RANK.self, how: 'exact', parent: false }
        : null;
    case 'service':
      return caller.type === 'service' &&
        (caller.service ?? caller.arn).toLowerCase() === target.name
        ? { rank: RANK.service, how: 'service', parent: false }
        : null;
    case 'provider': {
      const provider = caller.federatedProvider;
      if (provider === undefined) return null;
      const normalised = provider.startsWith('arn:') ? provider : provider.toLowerCase();
      return normalised === target.provider
        ? { rank: RANK.federated, how: 'federated', parent: false }
        : null;
    }
    case 'canonical-user':
      return caller.canonicalUserId !== undefined &&
        caller.canonicalUserId.toLowerCase() === target.id
        ? { rank: RANK.self, how: 'exact', parent: false }
        : null;
    case 'nothing':
      return null;
  }
}

/** Whether a Principal element names the caller, and how (the strongest matching entry wins). */
export function matchPrincipal(
  entries: readonly PrincipalEntry[],
  caller: CallerIdentity,
): PrincipalMatch {
  let best: PrincipalMatch = NO_MATCH;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const entry of entries) {
    const found = matchOne(entry, caller);
    if (found !== null && found.rank < bestRank) {
      bestRank = found.rank;
      best = { match: true, how: found.how, parent: found.parent, entry };
      if (found.rank === RANK.self) break;
    }
  }
  return best;
}

/** Options of {@link notPrincipalMatches}. */
export interface NotPrincipalOptions {
  /**
   * The caller (an IAM user or role, or a session of one) has a permissions boundary: a
   * `NotPrincipal` with `Deny` then always applies to it ("Permissions boundaries for IAM
   * entities"). Pass it for Deny statements only.
   */
  readonly hasPermissionsBoundary?: boolean;
}

/** One identity AWS may check against a NotPrincipal list, from the account down. */
type Link =
  | { readonly kind: 'account' }
  | { readonly kind: 'user'; readonly arn: string }
  | { readonly kind: 'role'; readonly arn: string }
  | { readonly kind: 'session'; readonly arn: string }
  | { readonly kind: 'federated-user'; readonly arn: string }
  | { readonly kind: 'service' }
  | { readonly kind: 'provider' }
  | { readonly kind: 'anonymous' };

/**
 * The identities AWS may check for a caller: "AWS might validate the account first, then the
 * role, and then the assumed-role user" — so each must be listed for the caller to be excluded.
 */
function chainOf(caller: CallerIdentity): Link[] {
  switch (caller.type) {
    case 'user':
      return [{ kind: 'account' }, { kind: 'user', arn: caller.arn }];
    case 'role':
      return [{ kind: 'account' }, { kind: 'role', arn: caller.roleArn ?? caller.arn }];
    case 'assumed-role':
      return [
        { kind: 'account' },
        ...(caller.roleArn !== undefined ? [{ kind: 'role' as const, arn: caller.roleArn }] : []),
        { kind: 'session', arn: caller.arn },
      ];
    case 'root':
      return [{ kind: 'account' }];
    case 'federated-user':
      return [{ kind: 'account' }, { kind: 'federated-user', arn: caller.arn }];
    case 'service':
      return [{ kind: 'service' }];
    case 'web-identity':
    case 'saml':
      return [{ kind: 'provider' }];
    case 'anonymous':
      return [{ kind: 'anonymous' }];
  }
}

function listed(link: Link, entries: readonly PrincipalEntry[], caller: CallerIdentity): boolean {
  return entries.some((entry) => {
    const target = targetOf(entry);
    if (target.form === 'everyone') return true;
    switch (link.kind) {
      case 'account':
        return target.form === 'account' && inAccount(target, caller);
      case 'user':
        return target.form === 'user' && target.arn === link.arn;
      case 'role':
        return target.form === 'role' && sameRole(target, link.arn);
      case 'session':
        return target.form === 'session' && target.arn === link.arn;
      case 'federated-user':
        return target.form === 'federated-user' && target.arn === link.arn;
      case 'service':
      case 'provider':
        return matchOne(entry, caller) !== null;
      case 'anonymous':
        return false;
    }
  });
}

/**
 * Whether a statement with `NotPrincipal` applies to the caller: true unless the caller is
 * excluded, which takes every identity AWS may check for it — the account, then the role or user,
 * then the session — to be listed.
 */
export function notPrincipalMatches(
  entries: readonly PrincipalEntry[],
  caller: CallerIdentity,
  options: NotPrincipalOptions = {},
): boolean {
  if (
    options.hasPermissionsBoundary === true &&
    (caller.type === 'user' || caller.type === 'role' || caller.type === 'assumed-role')
  ) {
    return true;
  }
  return !chainOf(caller).every((link) => listed(link, entries, caller));
}
