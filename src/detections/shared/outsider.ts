/**
 * "Can someone outside the organization do this?" answered by the engine, not by pattern matching:
 * a caller from an account outside the snapshot and its organization (with an organization id of
 * its own, so `aws:PrincipalOrgID` pins rule it out) makes the request against the resource's own
 * policy, the RCPs of the resource's account included. Conditions the data cannot decide (source
 * IP, ExternalId, ...) stay pending and are returned, so a detection can tell "open" from
 * "open if ...".
 */
import { callerIdentityFromArn } from '../../policy/match-principal.js';
import { evaluateRequest, type EvaluationResult } from '../../policy/evaluate.js';
import { resourcePolicyKindFor } from '../../policy/eval-case.js';
import { parsePolicy } from '../../policy/parse.js';
import { buildRequestContext } from '../../policy/request-context.js';
import { contextOf, type NormalizedPolicy } from '../../policy/types.js';
import type { DetectionContext } from '../types.js';

/** An account id no organization in the snapshot holds (documentation range). */
export const OUTSIDER_ACCOUNT = '999999999999';

/** The answer for an outsider's request: allowed, allowed only under conditions, or not. */
export type OutsiderAccess = 'open' | 'conditional' | 'closed';

/** Evaluates `action` on `resource` by an outsider against the given resource policy. */
export function outsiderRequest(
  ctx: DetectionContext,
  action: string,
  resource: string,
  resourceAccount: string,
  resourcePolicy: NormalizedPolicy | null,
  caller: 'iam-user' | 'anonymous' = 'iam-user',
): EvaluationResult {
  const identity =
    caller === 'anonymous'
      ? callerIdentityFromArn('*')
      : callerIdentityFromArn(`arn:aws:iam::${OUTSIDER_ACCOUNT}:user/outsider`);
  const explicit = contextOf({
    'aws:PrincipalOrgID': 'o-outsider00',
    'aws:PrincipalOrgPaths': 'o-outsider00/r-out0/',
    'aws:PrincipalAccount': OUTSIDER_ACCOUNT,
  });
  const { required } = resourcePolicyKindFor(action);
  return evaluateRequest({
    caller: identity,
    action,
    resource,
    resourceAccount,
    context: buildRequestContext({ caller: identity, resourceAccount, explicit }),
    mode: 'discovery',
    // The outsider's own account lets it do anything: the resource side decides.
    identityPolicies: [ALLOW_ALL],
    resourcePolicy,
    resourcePolicyRequired: required,
    rcpLevels: ctx.access.context.evaluator.guardrailLevels(
      resourceAccount,
      'RESOURCE_CONTROL_POLICY',
    ),
  });
}

/** Classifies an outsider's request. */
export function outsiderAccess(result: EvaluationResult): OutsiderAccess {
  if (result.decision !== 'Allowed') return 'closed';
  return result.conditional.length > 0 ? 'conditional' : 'open';
}

const ALLOW_ALL = parsePolicy(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  { id: 'the outsider account’s own policy', kind: 'identity' },
);
