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
import {
  actionIndex,
  compileWildcard,
  loadCatalog,
  rcpSupportedServices,
} from '../catalog/index.js';
import { evaluateConditions } from './conditions.js';
import { compileResourcePattern, matchResourceElement } from './match-resource.js';
import { policyVariablesEnabled } from './parse.js';
import { matchPrincipal, notPrincipalMatches, type CallerIdentity } from './match-principal.js';
import { FALSE, TRUE, and, and2, fromTri, or, or2, unknown, type TriValue } from './tri.js';
import type {
  ConditionClause,
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

const WITH_VARIABLES = { variables: true } as const;
const WITHOUT_VARIABLES = { variables: false } as const;
const constantMatches = new WeakMap<NormalizedStatement, StatementMatch>();
const unknownStatements = new WeakMap<NormalizedStatement, TriValue>();
const pendingClauses = new WeakMap<ConditionClause, PendingCondition>();

function pendingOf(
  clause: ConditionClause,
  statement: NormalizedStatement,
  policy: NormalizedPolicy,
): PendingCondition {
  let pending = pendingClauses.get(clause);
  if (!pending || pending.policyId !== policy.id) {
    pending = { ...refOf({ statement, policy }), clause };
    pendingClauses.set(clause, pending);
  }
  return pending;
}

function isConstant(statement: NormalizedStatement): boolean {
  return (
    statement.principal === null &&
    statement.conditions.length === 0 &&
    statement.resource !== null &&
    !statement.resource.not &&
    statement.resource.patterns.includes('*')
  );
}

function matchStatement(
  statement: NormalizedStatement,
  policy: NormalizedPolicy,
  input: EvaluationInput,
  action: ActionKey,
): StatementMatch | null {
  if (!actionMatches(statement, action)) return null;
  const constant = constantMatches.get(statement);
  if (constant) return constant.policy === policy ? constant : { ...constant, policy };
  if (isConstant(statement)) {
    // `Resource: "*"` with no Principal and no Condition (AdministratorAccess, FullAWSAccess, …)
    // matches every request for its actions: share one match object.
    const match: StatementMatch = { statement, policy, value: TRUE, how: null, parent: false };
    constantMatches.set(statement, match);
    return match;
  }
  let value: TriValue = TRUE;
  const variables = policyVariablesEnabled(policy);
  if (statement.resource) {
    // For NotResource, a pattern whose variable the request lacks makes the statement not apply
    // (IAM User Guide, "Variables and tags": the statement is invalid), rather than "not listed".
    const tri = matchResourceElement(
      statement.resource,
      input.resource,
      input.context,
      input.mode,
      variables ? WITH_VARIABLES : WITHOUT_VARIABLES,
    );
    value =
      tri === 'unknown'
        ? fromTri(tri, variablePending(statement, policy, variables))
        : fromTri(tri);
    if (value.tri === 'false') return null;
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
      variables ? WITH_VARIABLES : WITHOUT_VARIABLES,
    );
    if (result === 'false') return null;
    if (result === 'unknown') {
      // The same undecided clauses come back request after request: share their values.
      const all = pending.length === statement.conditions.length;
      let conditionsValue = all ? unknownStatements.get(statement) : undefined;
      if (!conditionsValue) {
        conditionsValue = unknown(pending.map((clause) => pendingOf(clause, statement, policy)));
        if (all) unknownStatements.set(statement, conditionsValue);
      }
      value = and2(value, conditionsValue);
    }
  }
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
  readonly allows: readonly StatementMatch[];
  readonly denies: readonly StatementMatch[];
}

const NO_MATCHES: readonly StatementMatch[] = [];
const NOTHING_MATCHED: PolicySetMatches = { allows: NO_MATCHES, denies: NO_MATCHES };

function matchPolicies(
  policies: readonly NormalizedPolicy[],
  input: EvaluationInput,
  action: ActionKey,
): PolicySetMatches {
  // Most statements do not name the action: allocate only when one matches.
  let allows: StatementMatch[] | null = null;
  let denies: StatementMatch[] | null = null;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      const match = matchStatement(statement, policy, input, action);
      if (!match) continue;
      if (statement.effect === 'Deny') (denies ??= []).push(match);
      else (allows ??= []).push(match);
    }
  }
  return allows || denies
    ? { allows: allows ?? NO_MATCHES, denies: denies ?? NO_MATCHES }
    : NOTHING_MATCHED;
}

function matchOne(
  policy: NormalizedPolicy | null | undefined,
  input: EvaluationInput,
  action: ActionKey,
) {
  return policy ? matchPolicies([policy], input, action) : null;
}

/** OR over the statements' values, without building an array. */
function anyOf(matches: readonly StatementMatch[]): TriValue {
  if (matches.length === 0) return FALSE;
  if (matches.length === 1) return matches[0]!.value;
  return or(matches.map((m) => m.value));
}

function levelName(index: number, count: number): string {
  if (index === 0) return 'the organization root';
  if (index === count - 1) return 'the account';
  return `OU level ${index}`;
}

/** One level of SCPs or RCPs and what it allowed. */
interface GuardrailLevel {
  readonly kind: 'scp' | 'rcp';
  readonly index: number;
  readonly count: number;
  /** null when the level allows everything and denies nothing (matched again only to explain). */
  readonly matches: PolicySetMatches | null;
  readonly policies: readonly NormalizedPolicy[];
  readonly allowed: TriValue;
}

/** Cached on the level's array itself: a property read is cheaper than a WeakMap lookup here. */
const ALLOWS_EVERYTHING = Symbol('allowsEverything');
type MarkedLevel = readonly NormalizedPolicy[] & { [ALLOWS_EVERYTHING]?: boolean };

/**
 * True for a level whose policies allow every action on every resource without conditions and
 * deny nothing (FullAWSAccess, the implicit RCPFullAWSAccess): it cannot change any answer.
 */
function allowsEverything(level: MarkedLevel): boolean {
  let known = level[ALLOWS_EVERYTHING];
  if (known === undefined) {
    const statements = level.flatMap((policy) => policy.statements);
    const everyAction = loadCatalog().actionCount;
    const isUniversal = (s: NormalizedStatement): boolean =>
      s.effect === 'Allow' &&
      s.conditions.length === 0 &&
      (s.action?.set.count() ?? 0) === everyAction &&
      (s.resource === null || (!s.resource.not && s.resource.patterns.includes('*'))) &&
      (s.principal === null ||
        (!s.principal.not && s.principal.entries.some((e) => e.value === '*')));
    known = statements.every((s) => s.effect === 'Allow') && statements.some(isUniversal);
    // The arrays come from the snapshot evaluator's caches and are never frozen.
    if (Object.isExtensible(level))
      (level as { [ALLOWS_EVERYTHING]?: boolean })[ALLOWS_EVERYTHING] = known;
  }
  return known;
}

/** What {@link evaluateRequest} found, kept so that reasons can be written only when read. */
interface Findings {
  readonly input: EvaluationInput;
  readonly levels: readonly GuardrailLevel[];
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

const actionKeys = new Map<string, ActionKey>();

/** The action's key, cached: the same few thousand action names come back request after request. */
function actionKeyOf(action: string): ActionKey {
  let key = actionKeys.get(action);
  if (!key) {
    if (actionKeys.size >= 100_000) actionKeys.clear(); // bounded: names come from callers
    key = { index: actionIndex(action), lower: action.toLowerCase() };
    actionKeys.set(action, key);
  }
  return key;
}

/** Allowed and denied so far, folded over the policy sets of one request. */
interface Tally {
  allowed: TriValue;
  denied: TriValue;
}

function addDenies(tally: Tally, matches: PolicySetMatches | null): void {
  if (matches && matches.denies.length > 0) tally.denied = or2(tally.denied, anyOf(matches.denies));
}

/** Organizations user guide: every level of SCPs (or RCPs), root to account, must allow. */
function evaluateGuardrail(
  all: readonly (readonly NormalizedPolicy[])[] | undefined,
  kind: 'scp' | 'rcp',
  input: EvaluationInput,
  action: ActionKey,
  tally: Tally,
  levels: GuardrailLevel[],
): void {
  if (!all) return;
  for (let index = 0; index < all.length; index += 1) {
    const policies = all[index]!;
    if (allowsEverything(policies)) {
      levels.push({ kind, index, count: all.length, matches: null, policies, allowed: TRUE });
      continue;
    }
    const matches = matchPolicies(policies, input, action);
    addDenies(tally, matches);
    const levelAllowed = anyOf(matches.allows);
    tally.allowed = and2(tally.allowed, levelAllowed);
    levels.push({ kind, index, count: all.length, matches, policies, allowed: levelAllowed });
  }
}

/** Evaluates one request and explains the answer. Never throws on policy content. */
export function evaluateRequest(input: EvaluationInput): EvaluationResult {
  const action = actionKeyOf(input.action);
  if (action.lower === 'sts:getcalleridentity') return callerIdentityAlwaysAllowed(input);
  const levels: GuardrailLevel[] = [];
  const tally: Tally = { allowed: TRUE, denied: FALSE };

  // Organizations user guide: SCPs and RCPs do not restrict service-linked roles, and RCPs apply
  // only to the services that support them.
  if (!isServiceLinkedCaller(input.caller)) {
    evaluateGuardrail(input.scpLevels, 'scp', input, action, tally, levels);
    if (
      (input.rcpLevels?.length ?? 0) > 0 &&
      rcpSupportedServices().has(action.lower.slice(0, action.lower.indexOf(':')))
    ) {
      evaluateGuardrail(input.rcpLevels, 'rcp', input, action, tally, levels);
    }
  }

  const identity = matchPolicies(input.identityPolicies, input, action);
  const boundary = matchOne(input.permissionBoundary, input, action);
  const session = matchOne(input.sessionPolicy, input, action);
  const resource = matchOne(input.resourcePolicy, input, action);
  addDenies(tally, identity);
  addDenies(tally, boundary);
  addDenies(tally, session);
  addDenies(tally, resource);

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
  const resourceAllowAny = anyOf(resourceAllows);

  let principalSide: TriValue;
  if (!hasIdentityPolicies(input.caller)) {
    // Services, anonymous callers and federated web or SAML identities have no identity-based
    // policies in any account: only the resource's own policy can grant them access.
    principalSide = resourceAllowAny;
  } else if (sameAccount) {
    if (resourceAllows.length === 0) {
      principalSide = input.resourcePolicyRequired ? FALSE : limitedIdentity;
    } else {
      // A grant that names the principal itself stands on its own, but a grant to a role's ARN (as
      // opposed to one session of it) is still limited by the boundary and the session policy. A
      // grant to the account delegates to identity-based policies. Role trust policies are the
      // exception: "a permissions boundary ... must allow sts:AssumeRole" even for a principal the
      // trust policy names (IAM User Guide, "Update a role trust policy").
      const isTrust = input.resourcePolicy?.kind === 'trust';
      const named = resourceAllows.filter((m) => m.how !== 'account');
      const viaAccount = and([
        anyOf(resourceAllows.filter((m) => m.how === 'account')),
        limitedIdentity,
      ]);
      const unlimited = named.filter((m) => !isTrust && !isLimitedByBoundary(m));
      const limited = named.filter((m) => isTrust || isLimitedByBoundary(m));
      const direct = or([anyOf(unlimited), and([anyOf(limited), boundaryAllow, sessionAllow])]);
      principalSide = input.resourcePolicyRequired
        ? or([direct, viaAccount])
        : or([direct, limitedIdentity]);
    }
  } else {
    principalSide = and([limitedIdentity, resourceAllowAny]);
  }
  const allowed = and2(tally.allowed, principalSide);
  const denied = tally.denied;

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
  return new ExplainedResult(decision, conditional, {
    input,
    levels,
    identity,
    boundary,
    session,
    resource,
    sameAccount,
    identityAllow,
    boundaryAllow,
    sessionAllow,
    resourceAllowAny,
  });
}

/** A decision whose reasons are written only when someone reads them: bulk callers ask for decisions alone. */
class ExplainedResult implements EvaluationResult {
  #reasons: readonly Reason[] | null = null;
  constructor(
    readonly decision: Decision,
    readonly conditional: readonly PendingCondition[],
    private readonly findings: Findings,
  ) {}

  get reasons(): readonly Reason[] {
    this.#reasons ??= explainDecision(this.findings, this.decision);
    return this.#reasons;
  }

  /** See {@link identityAllowsOf}: read from what the evaluation matched, without explaining. */
  identityAllows(): readonly StatementRef[] {
    const f = this.findings;
    if (this.decision !== 'Allowed') return [];
    if (f.input.caller.type === 'root' && f.sameAccount) return [];
    if (f.identityAllow.tri === 'false') return [];
    return f.identity.allows.filter((m) => m.value.tri !== 'false').map(refOf);
  }

  /** Serialised like a plain result: the reasons are a getter, which JSON.stringify would skip. */
  toJSON(): EvaluationResult {
    return { decision: this.decision, conditional: this.conditional, reasons: this.reasons };
  }
}

/**
 * The identity-policy Allow statements behind an allowed decision — the `identity` allow reason's
 * statements — without writing the rest of the explanation (bulk callers need only these).
 */
export function identityAllowsOf(result: EvaluationResult): readonly StatementRef[] {
  if (result instanceof ExplainedResult) return result.identityAllows();
  return result.reasons
    .filter((r) => r.kind === 'identity' && r.effect === 'allow')
    .flatMap((r) => r.statements);
}

/**
 * STS API Reference, GetCallerIdentity: "No permissions are required to perform this operation",
 * and an explicit deny of it in the caller's policies does not stop it.
 */
function callerIdentityAlwaysAllowed(input: EvaluationInput): EvaluationResult {
  return {
    decision: 'Allowed',
    conditional: [],
    reasons: [
      {
        kind: 'default',
        effect: 'allow',
        statements: [],
        text: `${input.action} needs no permission and cannot be denied (STS API Reference)`,
      },
    ],
  };
}

/** The reasons behind a decision: the denying statements, the missing allows, or the allows. */
function explainDecision(f: Findings, decision: Decision): Reason[] {
  const reasons: Reason[] = [];
  const { input } = f;
  const denies = (matches: PolicySetMatches | null): void => {
    const definite = (matches?.denies ?? NO_MATCHES).filter((m) => m.value.tri === 'true');
    if (definite.length === 0) return;
    reasons.push({
      kind: definite[0]!.policy.kind,
      effect: 'deny',
      statements: definite.map(refOf),
      text: `${describeKind(definite[0]!.policy.kind)} explicitly denies ${input.action}`,
    });
  };
  for (const level of f.levels) {
    const matches =
      level.matches ?? matchPolicies(level.policies, input, actionKeyOf(input.action));
    denies(matches);
    const where = levelName(level.index, level.count);
    if (level.allowed.tri === 'false') {
      reasons.push({
        kind: level.kind,
        effect: 'missing',
        statements: [],
        text: `no ${level.kind.toUpperCase()} at ${where} allows ${input.action}`,
      });
    } else if (level.allowed.tri === 'true') {
      reasons.push({
        kind: level.kind,
        effect: 'allow',
        statements: matches.allows.filter((m) => m.value.tri === 'true').map(refOf),
        text: `${level.kind.toUpperCase()} at ${where} allows ${input.action}`,
      });
    }
  }
  for (const matches of [f.identity, f.boundary, f.session, f.resource]) denies(matches);
  explainAllows(reasons, f);
  const wanted =
    decision === 'ExplicitDeny' ? 'deny' : decision === 'ImplicitDeny' ? 'missing' : 'allow';
  return reasons.filter((reason) => reason.effect === wanted);
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
  // Pending conditions are shared objects (one per clause), so identity removes the repeats.
  return [...new Set(pending)];
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

function explainAllows(reasons: Reason[], e: Findings): void {
  const { input } = e;
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
  if (input.caller.type === 'root' && e.sameAccount) {
    reasons.push({
      kind: 'identity',
      effect: 'allow',
      statements: [],
      text: `the account root user needs no policy for ${input.action} in its own account`,
    });
  } else if (input.identityPolicies.length === 0 && e.identityAllow.tri === 'false') {
    reasons.push({
      kind: 'identity',
      effect: 'missing',
      statements: [],
      text: `the principal has no identity-based policy that allows ${input.action}`,
    });
  } else if (e.identityAllow.tri === 'false') {
    reasons.push({
      kind: 'identity',
      effect: 'missing',
      statements: [],
      text: `no identity-based policy allows ${input.action} on ${input.resource}`,
    });
  } else {
    say('identity', e.identity, e.identityAllow, 'an identity-based policy');
  }
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
