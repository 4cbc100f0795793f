/**
 * Requests against a role's trust policy, decided by the engine, for the trust detections: a
 * caller named by the trust (an account, a user, a role, a session), an AWS service acting for
 * another customer, or an identity from a web identity provider asks for the role. The role's
 * trust policy and the RCPs of its account decide; the caller's own side allows everything (an
 * outsider's account is its own to configure). Conditions the data cannot decide stay pending
 * and are returned, so a detection can tell "open" from "open if ...".
 */
import type { RolePrincipal } from '../../model/index.js';
import { evaluateRequest, type EvaluationResult } from '../../policy/evaluate.js';
import { callerIdentityFromArn, type CallerIdentity } from '../../policy/match-principal.js';
import { parsePolicy } from '../../policy/parse.js';
import { buildRequestContext } from '../../policy/request-context.js';
import { orgPath } from '../../policy/snapshot-evaluator.js';
import {
  COMPLETE_PREFIXES,
  contextOf,
  type NormalizedPolicy,
  type PendingCondition,
  type StatementRef,
} from '../../policy/types.js';
import type { DetectionContext } from '../types.js';
import { OUTSIDER_ACCOUNT } from './outsider.js';

/** The organization id an account outside the snapshot's organization is given. */
const OUTSIDER_ORG = 'o-outsider00';

/** The answer for a request: allowed, allowed only under conditions, or not. */
export type TrustAccess = 'open' | 'conditional' | 'closed';

/** Classifies a result: closed unless allowed; conditional when conditions stay pending. */
export function accessOf(result: EvaluationResult): TrustAccess {
  if (result.decision !== 'Allowed') return 'closed';
  return result.conditional.length > 0 ? 'conditional' : 'open';
}

/** Options of {@link trustRequest}. */
export interface TrustRequestOptions {
  /** Context keys the request carries (any case). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Key prefixes (lower case) the request is known not to carry: a condition on such a key sees
   * it absent rather than unknown (`sts:externalid` for "without an external id").
   */
  readonly absent?: readonly string[];
  /**
   * The caller stands for any principal of its account: the keys that name one principal
   * (aws:PrincipalArn, aws:username, aws:PrincipalType, aws:userid) are left unknown.
   */
  readonly anyPrincipalOfAccount?: boolean;
}

const IAM_CALLERS: ReadonlySet<CallerIdentity['type']> = new Set([
  'user',
  'role',
  'assumed-role',
  'root',
  'federated-user',
]);

const PRINCIPAL_KEYS = ['aws:principalarn', 'aws:username', 'aws:principaltype', 'aws:userid'];

/** `caller` asks for `action` on `role`; the trust policy and the RCPs of its account decide. */
export function trustRequest(
  ctx: DetectionContext,
  role: RolePrincipal,
  caller: CallerIdentity,
  action: string,
  options: TrustRequestOptions = {},
): EvaluationResult {
  const evaluator = ctx.access.context.evaluator;
  const explicit = new Map(contextOf(options.context ?? {}));
  if (options.absent && options.absent.length > 0) explicit.set(COMPLETE_PREFIXES, options.absent);
  // SCPs bind the IAM principals of our own accounts; services and federated tokens are not theirs.
  const scpBound =
    caller.accountId !== null &&
    ctx.ownAccounts.has(caller.accountId) &&
    IAM_CALLERS.has(caller.type);
  const context = new Map(
    buildRequestContext({ caller, resourceAccount: role.accountId, explicit }),
  );
  if (options.anyPrincipalOfAccount) for (const key of PRINCIPAL_KEYS) context.delete(key);
  return evaluateRequest({
    caller,
    action,
    resource: role.arn,
    resourceAccount: role.accountId,
    context,
    mode: 'discovery',
    // The caller's own side: an account outside the snapshot allows itself everything; a caller
    // of our own organization is still bound by the SCPs of its account.
    identityPolicies: [ALLOW_ALL],
    scpLevels:
      scpBound && caller.accountId !== null
        ? evaluator.guardrailLevels(caller.accountId, 'SERVICE_CONTROL_POLICY')
        : [],
    resourcePolicy: ctx.access.context.trustPolicy(role),
    resourcePolicyRequired: true,
    rcpLevels: evaluator.guardrailLevels(role.accountId, 'RESOURCE_CONTROL_POLICY'),
  });
}

/** The organization keys of a caller from `accountId`: ours for our accounts, an outsider's otherwise. */
export function organizationKeys(ctx: DetectionContext, accountId: string): Record<string, string> {
  const org = ctx.snapshot.organization;
  const path = org ? orgPath(org, accountId) : null;
  if (org && path)
    return {
      'aws:PrincipalOrgID': org.id,
      'aws:PrincipalOrgPaths': `${org.id}/${path.slice(0, -1).join('/')}/`,
    };
  if (ctx.ownAccounts.has(accountId)) return {};
  return { 'aws:PrincipalOrgID': OUTSIDER_ORG, 'aws:PrincipalOrgPaths': `${OUTSIDER_ORG}/r-out0/` };
}

/** One principal a trust policy names, as a caller: the principal itself, or a user of the account. */
export interface Trustee {
  readonly accountId: string;
  /** What the trust names: the account root ARN (or id) or the principal's ARN. */
  readonly named: string;
  readonly caller: CallerIdentity;
  /** True when the trust names the account: the caller stands for any principal of it. */
  readonly wholeAccount: boolean;
}

/** The principals (accounts, users, roles, sessions) a role's trust names, as callers. */
export function trusteesOf(ctx: DetectionContext, role: RolePrincipal): Trustee[] {
  const facts = ctx.access.context.trust.get(role.arn);
  if (!facts) return [];
  const trustees: Trustee[] = facts.accounts.map((accountId) => ({
    accountId,
    named: `arn:aws:iam::${accountId}:root`,
    caller: callerIdentityFromArn(`arn:aws:iam::${accountId}:user/iamsight-trust-probe`),
    wholeAccount: true,
  }));
  for (const arn of facts.arns) {
    const caller = callerIdentityFromArn(arn);
    if (caller.accountId !== null)
      trustees.push({ accountId: caller.accountId, named: arn, caller, wholeAccount: false });
  }
  return trustees;
}

/** True when an account is neither ours nor allow-listed in the configuration. */
export function isExternalAccount(ctx: DetectionContext, accountId: string): boolean {
  return !ctx.ownAccounts.has(accountId) && !ctx.config.trustedAccounts.has(accountId);
}

/** A principal outside the organization that the engine lets assume a role. */
export interface ExternalTrust {
  readonly trustee: Trustee;
  readonly result: EvaluationResult;
  readonly access: Exclude<TrustAccess, 'closed'>;
}

const externalCache = new WeakMap<DetectionContext, Map<string, readonly ExternalTrust[]>>();

/**
 * The external principals (accounts not ours and not allow-listed) a role's trust names that can
 * assume it: each asks for sts:AssumeRole with its own account's context; denied ones are left
 * out. `"*"` is not here (TRU-01 judges it).
 */
export function externalTrusts(
  ctx: DetectionContext,
  role: RolePrincipal,
): readonly ExternalTrust[] {
  let byRole = externalCache.get(ctx);
  if (!byRole) {
    byRole = new Map();
    externalCache.set(ctx, byRole);
  }
  const known = byRole.get(role.arn);
  if (known) return known;
  const found: ExternalTrust[] = [];
  for (const trustee of trusteesOf(ctx, role)) {
    if (!isExternalAccount(ctx, trustee.accountId)) continue;
    const result = trustRequest(ctx, role, trustee.caller, 'sts:AssumeRole', {
      context: organizationKeys(ctx, trustee.accountId),
      anyPrincipalOfAccount: trustee.wholeAccount,
    });
    const access = accessOf(result);
    if (access !== 'closed') found.push({ trustee, result, access });
  }
  byRole.set(role.arn, found);
  return found;
}

/** Whether anyone outside the organization can assume the role through `Principal: "*"`. */
export function everyoneTrust(
  ctx: DetectionContext,
  role: RolePrincipal,
): { result: EvaluationResult; access: Exclude<TrustAccess, 'closed'> } | null {
  const facts = ctx.access.context.trust.get(role.arn);
  if (!facts?.everyone) return null;
  const caller = callerIdentityFromArn(`arn:aws:iam::${OUTSIDER_ACCOUNT}:user/outsider`);
  const result = trustRequest(ctx, role, caller, 'sts:AssumeRole', {
    context: organizationKeys(ctx, OUTSIDER_ACCOUNT),
  });
  const access = accessOf(result);
  return access === 'closed' ? null : { result, access };
}

/** The statements that decided a result, without repeats (the caller's own allow-all left out). */
export function decidingStatements(result: EvaluationResult): StatementRef[] {
  const seen = new Map<string, StatementRef>();
  for (const s of result.reasons.flatMap((r) => r.statements)) {
    if (s.policyId === ALLOW_ALL.id) continue;
    const key = `${s.policyKind}|${s.policyId}|${s.statementIndex}|${s.effect}`;
    if (!seen.has(key)) seen.set(key, s);
  }
  return [...seen.values()];
}

/** Pending conditions as small evidence records. */
export function pendingEvidence(
  conditions: readonly PendingCondition[],
): { operator: string; key: string; values: readonly string[]; effect: string }[] {
  return conditions.map((c) => ({
    operator: c.clause.operator,
    key: c.clause.key,
    values: c.clause.values,
    effect: c.effect,
  }));
}

const ALLOW_ALL: NormalizedPolicy = parsePolicy(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  { id: 'the caller account’s own policy', kind: 'identity' },
);
