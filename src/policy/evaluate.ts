/**
 * Request evaluation as the IAM User Guide's "Policy evaluation logic" describes it:
 * 1. an explicit Deny in any applicable policy (SCP, RCP, resource, identity, boundary, session)
 *    decides (ExplicitDeny);
 * 2. every level of SCPs (root → OUs → account) must allow, and every level of RCPs;
 * 3. within one account, an identity-based allow (limited by the permissions boundary and the
 *    session policy) or a resource-based allow that names the principal suffices; a resource
 *    policy that names only the account delegates to identity policies; IAM role trust policies and
 *    KMS key policies must allow even within the account;
 * 4. across accounts, the identity side and the resource policy must both allow;
 * 5. otherwise ImplicitDeny.
 * The answer carries the deciding statements, and — in discovery mode — the conditions it
 * depends on.
 */
import { actionIndex, compileWildcard, rcpSupportedServices } from '../catalog/index.js';
import { evaluateConditions } from './conditions.js';
import { compileResourcePattern, matchAnyResource } from './match-resource.js';
import { policyVariablesEnabled } from './parse.js';
import { matchPrincipal, notPrincipalMatches, type CallerIdentity } from './match-principal.js';
import { FALSE, TRUE, and, fromTri, not, or, type TriValue } from './tri.js';
import type {
  ContextMode,
  ContextValues,
  Decision,
  NormalizedPolicy,
  NormalizedStatement,
  PendingCondition,
  PolicyKind,
  StatementRef,
} from './types.js';

/** Everything one evaluation needs; policies are parsed once and reused across requests. */
export interface EvaluationInput {
  readonly caller: CallerIdentity;
  readonly action: string;
  /** The resource ARN, or `*` for actions that take no resource. */
  readonly resource: string;
  /** The account that owns the resource; null when unknown (treated as the caller's account). */
  readonly resourceAccount: string | null;
  /** Context keys (lower-cased), including those derived from the principal. */
  readonly context: ContextValues;
  readonly mode: ContextMode;
  readonly identityPolicies: readonly NormalizedPolicy[];
  readonly permissionBoundary?: NormalizedPolicy | null;
  readonly sessionPolicy?: NormalizedPolicy | null;
  /** SCPs per level, root first; empty or absent when SCPs do not apply. */
  readonly scpLevels?: readonly (readonly NormalizedPolicy[])[];
  /** RCPs per level, root first; empty or absent when RCPs do not apply. */
  readonly rcpLevels?: readonly (readonly NormalizedPolicy[])[];
  readonly resourcePolicy?: NormalizedPolicy | null;
  /**
   * True when the resource policy must allow even within the account: IAM role trust policies
   * (sts:AssumeRole*) and KMS key policies.
   */
  readonly resourcePolicyRequired?: boolean;
}

/** Why a decision came out as it did, one entry per deciding fact. */
export interface Reason {
  readonly kind: PolicyKind | 'default';
  /** `allow`: a statement allowed; `deny`: a statement denied; `missing`: nothing of that kind allowed. */
  readonly effect: 'allow' | 'deny' | 'missing';
  readonly statements: readonly StatementRef[];
  readonly text: string;
}

/** An explained decision. */
export interface EvaluationResult {
  readonly decision: Decision;
  /** When not empty, `Allowed` holds only if these Allow conditions hold and these Deny conditions do not. */
  readonly conditional: readonly PendingCondition[];
  readonly reasons: readonly Reason[];
}

/** How a statement applies to the request. */
interface StatementMatch {
  readonly statement: NormalizedStatement;
  readonly policy: NormalizedPolicy;
  readonly value: TriValue;
  /** For statements with a Principal: how the caller matched it. */
  readonly how: 'exact' | 'account' | 'wildcard' | 'service' | 'federated' | null;
  /** The Principal names the role (or user) the caller's session came from, not the session. */
  readonly parent: boolean;
}

function refOf(match: Pick<StatementMatch, 'statement' | 'policy'>): StatementRef {
  return {
    policyId: match.policy.id,
    policyKind: match.policy.kind,
    sid: match.statement.sid,
    statementIndex: match.statement.index,
    effect: match.statement.effect,
  };
}

/** The action's catalog index, or the lower-cased name for actions the catalog does not know. */
interface ActionKey {
  readonly index: number | undefined;
  readonly lower: string;
}

function actionMatches(statement: NormalizedStatement, action: ActionKey): boolean {
  const element = statement.action;
  if (!element) return false;
  if (action.index !== undefined) return element.set.has(action.index);
  // An action the catalog does not know (newer than the data, or invented): match the patterns
  // as text, so a policy naming it still applies.
  const listed = element.patterns.some((pattern) =>
    compileWildcard(pattern.toLowerCase()).test(action.lower),
  );
  return element.not ? !listed : listed;
}

function matchStatement(
  statement: NormalizedStatement,
  policy: NormalizedPolicy,
  input: EvaluationInput,
  action: ActionKey,
): StatementMatch | null {
  if (!actionMatches(statement, action)) return null;
  const parts: TriValue[] = [];
  const variables = policyVariablesEnabled(policy);
  if (statement.resource) {
    const tri = matchAnyResource(
      statement.resource.patterns,
      input.resource,
      input.context,
      input.mode,
      {
        variables,
      },
    );
    const value = fromTri(
      tri,
      tri === 'unknown' ? variablePending(statement, policy, variables) : [],
    );
    parts.push(statement.resource.not ? not(value) : value);
  }
  let how: StatementMatch['how'] = null;
  let parent = false;
  if (statement.principal) {
    if (statement.principal.not) {
      // IAM User Guide, NotPrincipal: a Deny with NotPrincipal always denies a principal that has a
      // permissions boundary, even one the element lists.
      const boundaryOverride = statement.effect === 'Deny' && Boolean(input.permissionBoundary);
      if (!boundaryOverride && !notPrincipalMatches(statement.principal.entries, input.caller))
        return null;
      how = 'wildcard';
    } else {
      const matched = matchPrincipal(statement.principal.entries, input.caller);
      if (!matched.match) return null;
      how = matched.how;
      parent = matched.parent;
    }
  }
  if (statement.conditions.length > 0) {
    const { result, pending } = evaluateConditions(
      statement.conditions,
      input.context,
      input.mode,
      {
        variables,
      },
    );
    parts.push(
      fromTri(
        result,
        pending.map((clause) => ({ ...refOf({ statement, policy }), clause })),
      ),
    );
  }
  const value = and(parts);
  if (value.tri === 'false') return null;
  return { statement, policy, value, how, parent };
}

/** Pending markers for a Resource whose policy variables the request does not supply. */
function variablePending(
  statement: NormalizedStatement,
  policy: NormalizedPolicy,
  variables: boolean,
): PendingCondition[] {
  const patterns = statement.resource?.patterns ?? [];
  const keys = new Set(
    patterns.flatMap((p) => compileResourcePattern(p, { variables }).variableKeys),
  );
  return [...keys].map((key) => ({
    ...refOf({ statement, policy }),
    clause: {
      operator: 'Resource',
      baseOperator: 'Resource',
      setQualifier: null,
      ifExists: false,
      key,
      values: patterns,
    },
  }));
}

interface PolicySetMatches {
  readonly allows: StatementMatch[];
  readonly denies: StatementMatch[];
}

function matchPolicies(
  policies: readonly NormalizedPolicy[],
  input: EvaluationInput,
  action: ActionKey,
): PolicySetMatches {
  const allows: StatementMatch[] = [];
  const denies: StatementMatch[] = [];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      const match = matchStatement(statement, policy, input, action);
      if (!match) continue;
      (statement.effect === 'Deny' ? denies : allows).push(match);
    }
  }
  return { allows, denies };
}

const NO_MATCHES: StatementMatch[] = [];

const anyOf = (matches: readonly StatementMatch[]): TriValue => or(matches.map((m) => m.value));

function levelName(index: number, count: number): string {
  if (index === 0) return 'the organization root';
  if (index === count - 1) return 'the account';
  return `OU level ${index}`;
}

/** Evaluates one request and explains the answer. Never throws on policy content. */
export function evaluateRequest(input: EvaluationInput): EvaluationResult {
  const action: ActionKey = { index: actionIndex(input.action), lower: input.action.toLowerCase() };
  // Reasons are built only when someone reads them: bulk callers ask for decisions alone.
  const reasons: Reason[] = [];
  const explain: (() => void)[] = [];
  const denyValues: TriValue[] = [];
  const allowGates: TriValue[] = [];

  const collectDenies = (matches: PolicySetMatches): void => {
    for (const deny of matches.denies) denyValues.push(deny.value);
    if (matches.denies.length === 0) return;
    explain.push(() => {
      const definite = matches.denies.filter((m) => m.value.tri === 'true');
      if (definite.length === 0) return;
      reasons.push({
        kind: definite[0]!.policy.kind,
        effect: 'deny',
        statements: definite.map(refOf),
        text: `${describeKind(definite[0]!.policy.kind)} explicitly denies ${input.action}`,
      });
    });
  };

  // Organization guardrails: every level must allow.
  const guardrail = (
    levels: readonly (readonly NormalizedPolicy[])[] | undefined,
    kind: 'scp' | 'rcp',
  ): void => {
    (levels ?? []).forEach((level, index, all) => {
      const matches = matchPolicies(level, input, action);
      collectDenies(matches);
      const allowed = anyOf(matches.allows);
      allowGates.push(allowed);
      explain.push(() => {
        if (allowed.tri === 'false') {
          reasons.push({
            kind,
            effect: 'missing',
            statements: [],
            text: `no ${kind.toUpperCase()} at ${levelName(index, all.length)} allows ${input.action}`,
          });
        } else if (allowed.tri === 'true') {
          reasons.push({
            kind,
            effect: 'allow',
            statements: matches.allows.filter((m) => m.value.tri === 'true').map(refOf),
            text: `${kind.toUpperCase()} at ${levelName(index, all.length)} allows ${input.action}`,
          });
        }
      });
    });
  };
  // Organizations user guide: SCPs and RCPs do not restrict service-linked roles, and RCPs apply
  // only to the services that support them.
  const serviceLinked = isServiceLinkedCaller(input.caller);
  if (!serviceLinked) guardrail(input.scpLevels, 'scp');
  if (
    !serviceLinked &&
    rcpSupportedServices().has(action.lower.slice(0, action.lower.indexOf(':')))
  ) {
    guardrail(input.rcpLevels, 'rcp');
  }

  const identity = matchPolicies(input.identityPolicies, input, action);
  collectDenies(identity);
  const boundary = input.permissionBoundary
    ? matchPolicies([input.permissionBoundary], input, action)
    : null;
  if (boundary) collectDenies(boundary);
  const session = input.sessionPolicy ? matchPolicies([input.sessionPolicy], input, action) : null;
  if (session) collectDenies(session);
  const resource = input.resourcePolicy
    ? matchPolicies([input.resourcePolicy], input, action)
    : null;
  if (resource) collectDenies(resource);

  const callerAccount = input.caller.accountId;
  const resourceAccount = input.resourceAccount ?? callerAccount;
  const sameAccount = callerAccount !== null && resourceAccount === callerAccount;

  // The root user has every permission in its own account without any policy (it is limited only
  // by SCPs, and by the resource's own policy where that must allow, as for KMS keys).
  const identityAllow = input.caller.type === 'root' && sameAccount ? TRUE : anyOf(identity.allows);
  const boundaryAllow = boundary ? anyOf(boundary.allows) : TRUE;
  // STS GetFederationToken: a federated-user session made without a session policy has no
  // permissions; with one, it has the intersection of the user's policies and the session policy.
  const sessionAllow = session
    ? anyOf(session.allows)
    : input.caller.type === 'federated-user'
      ? FALSE
      : TRUE;
  const limitedIdentity = and([identityAllow, boundaryAllow, sessionAllow]);

  const resourceAllows = resource?.allows ?? NO_MATCHES;
  const namedAllows =
    resourceAllows.length === 0 ? NO_MATCHES : resourceAllows.filter((m) => m.how !== 'account');
  const accountAllows =
    resourceAllows.length === 0 ? NO_MATCHES : resourceAllows.filter((m) => m.how === 'account');
  const resourceAllowAny = anyOf(resourceAllows);

  let principalSide: TriValue;
  if (!hasIdentityPolicies(input.caller)) {
    // Services, anonymous callers and federated web or SAML identities have no identity-based
    // policies in any account: only the resource's own policy can grant them access.
    principalSide = resourceAllowAny;
  } else if (sameAccount) {
    // A grant that names the principal itself stands on its own, but a grant to a role's ARN (as
    // opposed to one session of it) is still limited by the boundary and the session policy.
    // Role trust policies are the exception: "a permissions boundary ... must allow
    // sts:AssumeRole" even for a principal the trust policy names (IAM User Guide, "Update a role
    // trust policy").
    const isTrust = input.resourcePolicy?.kind === 'trust';
    const unlimited = namedAllows.filter((m) => !isTrust && !isLimitedByBoundary(m));
    const limited = namedAllows.filter((m) => isTrust || isLimitedByBoundary(m));
    const direct = or([anyOf(unlimited), and([anyOf(limited), boundaryAllow, sessionAllow])]);
    const viaAccount = and([anyOf(accountAllows), limitedIdentity]);
    principalSide = input.resourcePolicyRequired
      ? or([direct, viaAccount])
      : or([direct, limitedIdentity]);
  } else {
    principalSide = and([limitedIdentity, resourceAllowAny]);
  }
  allowGates.push(principalSide);

  const allowed = and(allowGates);
  const denied = or(denyValues);

  explain.push(() =>
    explainAllows({
      reasons,
      input,
      identity,
      boundary,
      session,
      resource,
      sameAccount,
      identityAllow,
      boundaryAllow,
      sessionAllow,
      resourceAllowAny,
    }),
  );

  let decision: Decision;
  let conditional: readonly PendingCondition[] = [];
  if (denied.tri === 'true') decision = 'ExplicitDeny';
  else if (allowed.tri === 'false') decision = 'ImplicitDeny';
  else {
    decision = 'Allowed';
    if (allowed.tri === 'unknown' || denied.tri === 'unknown') {
      conditional = dedupe([
        ...(allowed.tri === 'unknown' ? allowed.pending : []),
        ...(denied.tri === 'unknown' ? denied.pending : []),
      ]);
    }
  }
  const wanted =
    decision === 'ExplicitDeny' ? 'deny' : decision === 'ImplicitDeny' ? 'missing' : 'allow';
  let built: Reason[] | null = null;
  return {
    decision,
    conditional,
    get reasons(): readonly Reason[] {
      if (!built) {
        for (const step of explain) step();
        built = reasons.filter((reason) => reason.effect === wanted);
      }
      return built;
    },
  };
}

const WITHOUT_IDENTITY_POLICIES: ReadonlySet<CallerIdentity['type']> = new Set([
  'service',
  'anonymous',
  'web-identity',
  'saml',
]);

/** True for sessions of AWS service-linked roles (path `/aws-service-role/`). */
function isServiceLinkedCaller(caller: CallerIdentity): boolean {
  return (caller.roleArn ?? (caller.type === 'role' ? caller.arn : '')).includes(
    ':role/aws-service-role/',
  );
}

function hasIdentityPolicies(caller: CallerIdentity): boolean {
  return !WITHOUT_IDENTITY_POLICIES.has(caller.type);
}

/** Whether a same-account resource-policy grant is still subject to the boundary and session policy. */
function isLimitedByBoundary(match: StatementMatch): boolean {
  // IAM User Guide, "Permissions boundaries for IAM entities" and the same-account table of
  // "Policy evaluation logic": a resource-based policy that grants to an IAM user ARN or to a role
  // session ARN is not limited by an implicit deny in a boundary or session policy; one that grants
  // to the role's ARN (or the user behind a federated-user session) is.
  return match.parent;
}

function dedupe(pending: readonly PendingCondition[]): PendingCondition[] {
  const seen = new Set<string>();
  const out: PendingCondition[] = [];
  for (const item of pending) {
    const key = `${item.policyId}|${item.statementIndex}|${item.clause.operator}|${item.clause.key}|${item.clause.values.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

function describeKind(kind: PolicyKind): string {
  switch (kind) {
    case 'identity':
      return 'an identity-based policy';
    case 'resource':
      return 'the resource-based policy';
    case 'trust':
      return 'the role trust policy';
    case 'boundary':
      return 'the permissions boundary';
    case 'scp':
      return 'a service control policy';
    case 'rcp':
      return 'a resource control policy';
    case 'session':
      return 'the session policy';
    case 'endpoint':
      return 'the VPC endpoint policy';
  }
}

interface ExplainInput {
  readonly reasons: Reason[];
  readonly input: EvaluationInput;
  readonly identity: PolicySetMatches;
  readonly boundary: PolicySetMatches | null;
  readonly session: PolicySetMatches | null;
  readonly resource: PolicySetMatches | null;
  readonly sameAccount: boolean;
  readonly identityAllow: TriValue;
  readonly boundaryAllow: TriValue;
  readonly sessionAllow: TriValue;
  readonly resourceAllowAny: TriValue;
}

function explainAllows(e: ExplainInput): void {
  const { reasons, input } = e;
  const allowing = (matches: PolicySetMatches): StatementMatch[] =>
    matches.allows.filter((m) => m.value.tri !== 'false');
  const say = (
    kind: PolicyKind,
    set: PolicySetMatches | null,
    value: TriValue,
    noun: string,
  ): void => {
    if (!set) return;
    if (value.tri === 'false') {
      reasons.push({
        kind,
        effect: 'missing',
        statements: [],
        text: `${noun} does not allow ${input.action} on ${input.resource}`,
      });
    } else {
      reasons.push({
        kind,
        effect: 'allow',
        statements: allowing(set).map(refOf),
        text: `${noun} allows ${input.action} on ${input.resource}${value.tri === 'unknown' ? ' if its conditions hold' : ''}`,
      });
    }
  };
  say(
    'identity',
    e.identity,
    e.identityAllow,
    input.identityPolicies.length > 0 ? 'an identity-based policy' : 'no identity-based policy',
  );
  say('boundary', e.boundary, e.boundaryAllow, 'the permissions boundary');
  say('session', e.session, e.sessionAllow, 'the session policy');
  if (e.resource) {
    const kind = input.resourcePolicy?.kind ?? 'resource';
    say(kind, e.resource, e.resourceAllowAny, describeKind(kind));
  } else if (!e.sameAccount) {
    reasons.push({
      kind: 'resource',
      effect: 'missing',
      statements: [],
      text: `the resource is in another account and has no resource-based policy that allows ${input.action}`,
    });
  } else if (input.resourcePolicyRequired) {
    reasons.push({
      kind: 'resource',
      effect: 'missing',
      statements: [],
      text: `${input.action} needs the resource's own policy to allow it, and there is none`,
    });
  }
}
