/**
 * Escalation steps as findings show them: small, JSON-serialisable records of a technique used by
 * an actor on a target (the graph's own objects carry principals and parsed policies).
 */
import type { PathStep } from '../../graph/index.js';
import { stepReason, type Step } from '../../graph/steps.js';
import type { StatementRef } from '../../policy/types.js';

/** One step of an escalation or a lateral move, for evidence. */
export interface StepEvidence {
  readonly from: string;
  readonly to: string;
  readonly technique: string;
  readonly reason: string;
  readonly permissions: readonly string[];
  readonly resources: readonly string[];
  /** The resource used or acted on when it is not the principal gained. */
  readonly via: string | null;
  readonly conditional: boolean;
  /** What the step depends on when it is conditional: pending conditions, unknown facts. */
  readonly conditions?: readonly { key: string; operator: string; values: readonly string[] }[];
  readonly unknowns?: readonly string[];
}

function pending(step: Step): Pick<StepEvidence, 'conditions' | 'unknowns'> {
  if (!step.conditional) return {};
  const conditions = step.requests.flatMap((r) =>
    r.conditions.map((c) => ({
      key: c.clause.key,
      operator: c.clause.operator,
      values: c.clause.values,
    })),
  );
  return {
    ...(conditions.length > 0 ? { conditions } : {}),
    ...(step.unknowns.length > 0 ? { unknowns: [...step.unknowns] } : {}),
  };
}

/** A path step of the access analysis as evidence. */
export function pathStepEvidence(step: PathStep): StepEvidence {
  return {
    from: step.from,
    to: step.to,
    technique: step.technique,
    reason: step.reason,
    permissions: [...step.permissions],
    resources: [...step.resources],
    via: step.via,
    conditional: step.conditional,
    ...pending(step.step),
  };
}

/** A checked step (see ../../graph/steps.ts) as evidence. */
export function stepEvidence(step: Step): StepEvidence {
  const via =
    step.target.resource?.arn ??
    step.target.policyArn ??
    step.target.group?.arn ??
    (step.target.arn !== step.target.principal.arn ? step.target.arn : null);
  return {
    from: step.actor.arn,
    to: step.target.principal.arn,
    technique: step.technique.id,
    reason: stepReason(step),
    permissions: step.requests.map((r) => r.action),
    resources: step.requests.map((r) => r.resource),
    via,
    conditional: step.conditional,
    ...pending(step),
  };
}

/** The Allow statements that decided the requests of a step, without repeats. */
export function stepStatements(step: Step): StatementRef[] {
  return uniqueStatements(step.requests.flatMap((r) => r.statements));
}

/** Statement references without repeats, in their first order. */
export function uniqueStatements(statements: readonly StatementRef[]): StatementRef[] {
  const seen = new Map<string, StatementRef>();
  for (const s of statements) {
    const key = `${s.policyKind}|${s.policyId}|${s.statementIndex}|${s.effect}`;
    if (!seen.has(key)) seen.set(key, s);
  }
  return [...seen.values()];
}
