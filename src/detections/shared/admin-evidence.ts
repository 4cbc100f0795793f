/**
 * Why a principal is an administrator, for evidence: the Allow statements that grant it requests
 * an administrator makes (the same identity-side test the admin classification uses: identity
 * policies, their denies and the permissions boundary; SCPs are the account's ceiling, see
 * docs/decisions.md), and the conditions it depends on when it is admin only if they hold.
 */
import type { Principal } from '../../model/index.js';
import { evaluateRequest } from '../../policy/evaluate.js';
import type { StatementRef } from '../../policy/types.js';
import type { DetectionContext } from '../types.js';
import { uniqueStatements } from './escalation-evidence.js';

/** Requests every administrator can make, across services (a subset of the oracle's probes). */
const PROBES = ['iam:CreateUser', 'iam:PutRolePolicy', 's3:GetObject', 'ec2:RunInstances'];

/** The admin evidence of a principal the analysis classified as a full administrator. */
export interface AdminEvidence {
  /** The Allow statements (identity and boundary) that decide the probe requests. */
  readonly statements: readonly StatementRef[];
  /** Conditions the data cannot decide that the admin grant depends on (MFA, source IP, ...). */
  readonly conditions: readonly { operator: string; key: string; values: readonly string[] }[];
}

/** The deciding statements and pending conditions of a principal's admin verdict. */
export function adminEvidence(ctx: DetectionContext, principal: Principal): AdminEvidence {
  const evaluator = ctx.access.context.evaluator;
  const statements: StatementRef[] = [];
  for (const action of PROBES) {
    const result = evaluateRequest({
      ...evaluator.requestInput(principal, action, '*'),
      scpLevels: [],
      rcpLevels: [],
      resourcePolicy: null,
      resourcePolicyRequired: false,
    });
    for (const reason of result.reasons)
      if (reason.effect === 'allow') statements.push(...reason.statements);
  }
  const verdict = ctx.access.oracle.fullAdmin(principal);
  return {
    statements: uniqueStatements(statements),
    conditions: verdict.conditions.map((c) => ({
      operator: c.clause.operator,
      key: c.clause.key,
      values: c.clause.values,
    })),
  };
}

/** Whether the analysis found the principal allowed everything (not only able to grant it). */
export function isFullAdmin(ctx: DetectionContext, principal: Principal): boolean {
  return ctx.access.status.get(principal.arn)?.kind === 'full';
}

/** Whether the principal is an administrator, fully or by one step on itself (shadow admin). */
export function isAdmin(ctx: DetectionContext, principal: Principal): boolean {
  return ctx.access.status.get(principal.arn)?.admin ?? false;
}
