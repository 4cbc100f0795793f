/**
 * The engine over a Snapshot: which policies apply to each principal (own, groups', attached
 * managed default versions, boundary, the SCPs of every level above its account), which policy
 * protects each resource, and the organization context keys. Every document is parsed once.
 */
import { loadCatalog, type ActionSet } from '../catalog/index.js';
import type {
  ManagedPolicy,
  Organization,
  PolicyDocument,
  Principal,
  Resource,
  Snapshot,
} from '../model/index.js';
import { parseArn } from '../model/index.js';
import { evaluateRequest, type EvaluationInput, type EvaluationResult } from './evaluate.js';
import { resourcePolicyKindFor } from './eval-case.js';
import type { CallerIdentity } from './match-principal.js';
import { parsePolicy } from './parse.js';
import { buildRequestContext, resourceAccountOf } from './request-context.js';
import {
  COMPLETE_PREFIXES,
  type ContextMode,
  type ContextValues,
  type NormalizedPolicy,
  type PolicyKind,
} from './types.js';

/** The policies that govern one principal's requests. */
export interface PrincipalPolicies {
  readonly principal: Principal;
  readonly identity: readonly NormalizedPolicy[];
  readonly boundary: NormalizedPolicy | null;
  /** SCPs per level, root first; empty for the management account and service-linked roles. */
  readonly scpLevels: readonly (readonly NormalizedPolicy[])[];
  /** Context keys known for this principal: tags, organization id and paths. */
  readonly context: ContextValues;
}

/** Options of one request against the snapshot. */
export interface SnapshotRequestOptions {
  /** Extra context keys (lower-cased by {@link contextOf}). */
  readonly context?: ContextValues;
  /** Default `discovery`: what the snapshot cannot tell (source IP, MFA, …) stays unknown. */
  readonly mode?: ContextMode;
}

/** True for roles AWS owns (service-linked): SCPs do not apply to them. */
export function isServiceLinkedRole(principal: Principal): boolean {
  return principal.type === 'role' && principal.path.startsWith('/aws-service-role/');
}

/** Evaluates requests of the principals of a snapshot. */
export class SnapshotEvaluator {
  private readonly principals = new Map<string, Principal>();
  private readonly groups = new Map<string, Principal>();
  private readonly managed = new Map<string, ManagedPolicy>();
  private readonly resources = new Map<string, Resource>();
  private readonly parsedManaged = new Map<string, NormalizedPolicy | null>();
  /** Keyed by the principal object: identity hashing beats hashing long ARNs on the hot path. */
  private readonly policiesOf = new Map<Principal, PrincipalPolicies>();
  private readonly resourcePolicies = new Map<string, Map<string, NormalizedPolicy | null>>();
  private readonly scpCache = new Map<string, (readonly NormalizedPolicy[])[]>();
  private readonly rcpCache = new Map<string, (readonly NormalizedPolicy[])[]>();

  /** Time keys every request carries when an evaluation time is given. */
  private readonly timeContext: ReadonlyMap<string, readonly string[]>;

  /**
   * @param options.asOf the evaluation time (ISO-8601): requests then carry `aws:CurrentTime`,
   *   `aws:EpochTime` and `aws:TokenIssueTime` (a principal an attacker controls can always get a
   *   fresh session token); without it those keys are unknown in discovery mode.
   */
  constructor(
    readonly snapshot: Snapshot,
    options: { readonly asOf?: string | null } = {},
  ) {
    this.timeContext = timeKeys(options.asOf ?? null);
    for (const principal of snapshot.principals) {
      this.principals.set(principal.arn, principal);
      if (principal.type === 'group')
        this.groups.set(`${principal.accountId}/${principal.name}`, principal);
    }
    for (const policy of snapshot.policies) this.managed.set(policy.arn, policy);
    for (const resource of snapshot.resources) this.resources.set(resource.arn, resource);
  }

  /** The principal with this ARN, or undefined. */
  principal(arn: string): Principal | undefined {
    return this.principals.get(arn);
  }

  /** The parsed default version of a managed policy, or null when it is not in the snapshot. */
  managedPolicy(arn: string, kind: PolicyKind = 'identity'): NormalizedPolicy | null {
    const key = `${kind}|${arn}`;
    if (this.parsedManaged.has(key)) return this.parsedManaged.get(key) ?? null;
    const policy = this.managed.get(arn);
    const version = policy?.versions.find((v) => v.isDefault) ?? policy?.versions[0];
    const parsed = version
      ? parsePolicy(version.document, { id: `${arn}#${version.versionId}`, kind })
      : null;
    this.parsedManaged.set(key, parsed);
    return parsed;
  }

  /** Every policy that governs requests of `principal`, parsed and cached. */
  policiesFor(principal: Principal): PrincipalPolicies {
    const cached = this.policiesOf.get(principal);
    if (cached) return cached;
    const identity: NormalizedPolicy[] = [];
    const addOwn = (owner: Principal): void => {
      for (const inline of owner.inlinePolicies) {
        identity.push(
          parsePolicy(inline.document, { id: `${owner.arn}#${inline.name}`, kind: 'identity' }),
        );
      }
      for (const attachment of owner.attachedPolicies) {
        const parsed = this.managedPolicy(attachment.policyArn);
        if (parsed) identity.push(parsed);
      }
    };
    addOwn(principal);
    if (principal.type === 'user') {
      for (const groupName of principal.groupNames) {
        const group = this.groups.get(`${principal.accountId}/${groupName}`);
        if (group) addOwn(group);
      }
    }
    const boundary = principal.permissionsBoundaryArn
      ? this.managedPolicy(principal.permissionsBoundaryArn, 'boundary')
      : null;
    const exempt = isServiceLinkedRole(principal);
    const result: PrincipalPolicies = {
      principal,
      identity,
      boundary,
      scpLevels: exempt ? [] : this.guardrailLevels(principal.accountId, 'SERVICE_CONTROL_POLICY'),
      context: principalContext(principal, this.snapshot.organization, this.timeContext),
    };
    this.policiesOf.set(principal, result);
    return result;
  }

  /**
   * SCPs (or RCPs) per level from the root to the account; none for the management account,
   * accounts outside the organization, or when no organization data was given.
   */
  guardrailLevels(
    accountId: string,
    type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY',
  ): (readonly NormalizedPolicy[])[] {
    const cache = type === 'SERVICE_CONTROL_POLICY' ? this.scpCache : this.rcpCache;
    const cached = cache.get(accountId);
    if (cached) return cached;
    const org = this.snapshot.organization;
    let levels: (readonly NormalizedPolicy[])[] = [];
    if (org && accountId !== org.managementAccountId) {
      const path = orgPath(org, accountId);
      const policies = org.policies.filter((p) => p.type === type);
      if (path && (policies.length > 0 || type === 'SERVICE_CONTROL_POLICY')) {
        const kind = type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp';
        levels = path.map((targetId) =>
          policies
            .filter((p) => p.targetIds.includes(targetId))
            .map((p) => parsePolicy(p.document, { id: p.arn || p.id, kind })),
        );
        // RCPs: where none is attached at a level, AWS's implicit RCPFullAWSAccess applies.
        if (kind === 'rcp')
          levels = levels.map((level) => (level.length > 0 ? level : [RCP_FULL_ACCESS]));
      }
    }
    cache.set(accountId, levels);
    return levels;
  }

  /** The resource policy that governs `resource` for `action` (bucket policy for objects, trust for roles). */
  resourcePolicyFor(resource: string, action: string): NormalizedPolicy | null {
    const { kind } = resourcePolicyKindFor(action);
    let byResource = this.resourcePolicies.get(kind);
    if (!byResource) {
      byResource = new Map();
      this.resourcePolicies.set(kind, byResource);
    }
    const known = byResource.get(resource);
    if (known !== undefined) return known;
    let document: PolicyDocument | null = null;
    let id = resource;
    const principal = this.principals.get(resource);
    if (principal?.type === 'role' && kind === 'trust') {
      document = principal.trustPolicy;
      id = `${resource}#trust`;
    } else {
      const owner = this.resources.get(resource) ?? this.resources.get(bucketArnOf(resource) ?? '');
      if (owner?.policy) {
        document = owner.policy;
        id = `${owner.arn}#policy`;
      }
    }
    const parsed = document ? parsePolicy(document, { id, kind }) : null;
    byResource.set(resource, parsed);
    return parsed;
  }

  /** Evaluates `principal` doing `action` on `resource`, with what the snapshot knows. */
  evaluate(
    principal: Principal,
    action: string,
    resource: string,
    options: SnapshotRequestOptions = {},
  ): EvaluationResult {
    return evaluateRequest(this.requestInput(principal, action, resource, options));
  }

  /** The complete evaluation input of a request: policies, guardrails, resource policy, context. */
  requestInput(
    principal: Principal,
    action: string,
    resource: string,
    options: SnapshotRequestOptions = {},
  ): EvaluationInput {
    const policies = this.policiesFor(principal);
    const caller = this.callerFor(principal);
    const resourceAccount = this.resourceAccount(resource, principal.accountId);
    const { required } = resourcePolicyKindFor(action);
    return {
      caller,
      action,
      resource,
      resourceAccount,
      context: this.contextFor(
        principal,
        caller,
        resourceAccount,
        policies.context,
        options.context,
      ),
      mode: options.mode ?? 'discovery',
      identityPolicies: policies.identity,
      permissionBoundary: policies.boundary,
      scpLevels: policies.scpLevels,
      rcpLevels: resourceAccount
        ? this.guardrailLevels(resourceAccount, 'RESOURCE_CONTROL_POLICY')
        : [],
      resourcePolicy: this.resourcePolicyFor(resource, action),
      resourcePolicyRequired: required,
    };
  }

  private readonly resourceAccounts = new Map<string, string | null>();

  /** The account that owns `resource` (null: the caller's), cached per resource. */
  private resourceAccount(resource: string, callerAccount: string): string | null {
    let account = this.resourceAccounts.get(resource);
    if (account === undefined) {
      // An S3 object belongs to its bucket's account (object ARNs carry no account).
      const owner = this.resources.get(resource) ?? this.resources.get(bucketArnOf(resource) ?? '');
      account = resourceAccountOf(resource, owner?.accountId, null);
      if (this.resourceAccounts.size < 500_000) this.resourceAccounts.set(resource, account);
    }
    return account ?? callerAccount;
  }

  private readonly baseContexts = new Map<Principal, Map<string, ContextValues>>();
  private readonly callers = new Map<Principal, CallerIdentity>();

  private callerFor(principal: Principal): CallerIdentity {
    let caller = this.callers.get(principal);
    if (!caller) {
      caller = callerOf(principal);
      this.callers.set(principal, caller);
    }
    return caller;
  }

  /** The request context, cached per principal, resource account and extra keys. */
  private contextFor(
    principal: Principal,
    caller: CallerIdentity,
    resourceAccount: string | null,
    known: ContextValues,
    extra: ContextValues | undefined,
  ): ContextValues {
    const build = (): ContextValues => {
      const explicit = new Map(known);
      for (const [key, values] of extra ?? []) explicit.set(key, values);
      return buildRequestContext({ caller, resourceAccount, explicit });
    };
    // Keyed by resource account and the extra keys (analysis asks the same few again and again);
    // bounded per principal, since extra keys can come from callers.
    let key = resourceAccount ?? '';
    if (extra && extra.size > 0) {
      for (const [k, values] of extra) key += `|${k}=${values.join(',')}`;
    }
    let byAccount = this.baseContexts.get(principal);
    if (!byAccount) {
      byAccount = new Map();
      this.baseContexts.set(principal, byAccount);
    }
    let context = byAccount.get(key);
    if (!context) {
      context = build();
      if (byAccount.size < 16) byAccount.set(key, context);
    }
    return context;
  }

  /** Every catalog action as a set, for callers that need the universe. */
  allActions(): ActionSet {
    return loadCatalog().allActions();
  }
}

/** AWS's implicit RCPFullAWSAccess, applied at every level that has no RCP of its own. */
const RCP_FULL_ACCESS: NormalizedPolicy = parsePolicy(
  {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
  },
  { id: 'RCPFullAWSAccess', kind: 'rcp' },
);

/** The caller identity of a principal acting with its own credentials (a role acts as a session). */
export function callerOf(principal: Principal): CallerIdentity {
  switch (principal.type) {
    case 'user':
      return { arn: principal.arn, accountId: principal.accountId, type: 'user' };
    case 'role':
      return {
        arn: principal.arn,
        accountId: principal.accountId,
        type: 'role',
        roleArn: principal.arn,
      };
    case 'root':
      return { arn: principal.arn, accountId: principal.accountId, type: 'root' };
    case 'group':
      // Groups never make requests; evaluating one answers "what do its policies allow".
      return { arn: principal.arn, accountId: principal.accountId, type: 'user' };
  }
}

/** Ids from the root to the account: `[r-…, ou-…, …, accountId]`, or null when not in the org. */
export function orgPath(org: Organization, accountId: string): string[] | null {
  const account = org.accounts.find((a) => a.id === accountId);
  if (!account) return null;
  const units = new Map(org.units.map((unit) => [unit.id, unit]));
  const chain: string[] = [accountId];
  let parent = account.parentId;
  for (let guard = 0; guard < 1000 && parent !== org.rootId; guard += 1) {
    const unit = units.get(parent);
    if (!unit) return null;
    chain.push(unit.id);
    parent = unit.parentId;
  }
  chain.push(org.rootId);
  return chain.reverse();
}

function timeKeys(asOf: string | null): ReadonlyMap<string, readonly string[]> {
  const keys = new Map<string, readonly string[]>();
  if (!asOf) return keys;
  const time = new Date(asOf);
  if (Number.isNaN(time.getTime())) return keys;
  const iso = time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  keys.set('aws:currenttime', [iso]);
  keys.set('aws:epochtime', [String(Math.floor(time.getTime() / 1000))]);
  keys.set('aws:tokenissuetime', [iso]);
  return keys;
}

function principalContext(
  principal: Principal,
  org: Organization | null,
  time: ReadonlyMap<string, readonly string[]>,
): ContextValues {
  const context = new Map<string, readonly string[]>(time);
  // Every tag of the principal is in the snapshot: a tag it lacks is absent, not unknown.
  context.set(COMPLETE_PREFIXES, ['aws:principaltag/']);
  for (const [key, value] of Object.entries(principal.tags)) {
    context.set(`aws:principaltag/${key.toLowerCase()}`, [value]);
  }
  if (org) {
    const path = orgPath(org, principal.accountId);
    if (path) {
      context.set('aws:principalorgid', [org.id]);
      context.set('aws:principalorgpaths', [`${org.id}/${path.slice(0, -1).join('/')}/`]);
    }
  }
  return context;
}

/** `arn:aws:s3:::bucket/key` → `arn:aws:s3:::bucket`; null for other ARNs. */
function bucketArnOf(resource: string): string | null {
  const arn = parseArn(resource);
  if (!arn || arn.service !== 's3' || arn.accountId !== '') return null;
  const slash = arn.resource.indexOf('/');
  return slash > 0 ? `arn:${arn.partition}:s3:::${arn.resource.slice(0, slash)}` : null;
}
