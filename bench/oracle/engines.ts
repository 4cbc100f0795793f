/**
 * One case through both engines: iamsight's `runEvalCase` and iam-simulate's `runSimulation`,
 * with the decisions in iamsight's vocabulary.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { EvalCase } from '../../src/policy/eval-case.js';
import { runEvalCase } from '../../src/policy/eval-case.js';
import type { Decision } from '../../src/policy/types.js';
import { toSimulation } from './translate.js';

/** What iam-simulate answered, in iamsight's terms. */
export interface OracleAnswer {
  readonly decision: Decision;
  /** Policy kinds iam-simulate says blocked an otherwise allowed request (`scp`, `pb`, ...). */
  readonly blockedBy: readonly string[];
  /** Context keys iam-simulate dropped because the action's service does not define them. */
  readonly ignoredContextKeys: readonly string[];
  readonly notes: readonly string[];
}

/** The outcome of one case: both answers, or why the comparison was skipped. */
export type Comparison =
  | {
      readonly kind: 'compared';
      readonly ours: Decision;
      readonly oursReasons: readonly string[];
      readonly theirs: OracleAnswer;
    }
  | { readonly kind: 'skipped'; readonly reason: string };

const DECISIONS = {
  Allowed: 'Allowed',
  ExplicitlyDenied: 'ExplicitDeny',
  ImplicitlyDenied: 'ImplicitDeny',
} as const satisfies Record<string, Decision>;

/** Runs iam-simulate on a case; a string is the reason it could not. */
export async function askOracle(evalCase: EvalCase): Promise<OracleAnswer | string> {
  const translation = toSimulation(evalCase);
  if ('skip' in translation) return translation.skip;
  const response = await runSimulation(translation.simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') {
    const { errors } = response;
    const details = [
      errors.identityPolicyErrors,
      errors.serviceControlPolicyErrors,
      errors.resourceControlPolicyErrors,
      errors.permissionBoundaryErrors,
      errors.vpcEndpointErrors,
    ]
      .flatMap((byName) => Object.values(byName ?? {}).flat())
      .concat(errors.resourcePolicyErrors ?? [], errors.sessionPolicyErrors ?? [])
      .map((e) => e.message);
    return `iam-simulate rejects the input: ${errors.message}${details[0] ? ` (${details[0]})` : ''}`;
  }
  if (response.resultType === 'wildcard')
    return 'resource with a wildcard: iam-simulate answers per matching pattern';
  const { analysis, ignoredContextKeys } = response.result;
  return {
    decision: DECISIONS[response.overallResult],
    blockedBy: analysis.blockedBy ?? [],
    ignoredContextKeys: ignoredContextKeys ?? [],
    notes: translation.notes,
  };
}

/** Runs a case through both engines. */
export async function compareCase(evalCase: EvalCase): Promise<Comparison> {
  let theirs: OracleAnswer | string;
  try {
    theirs = await askOracle(evalCase);
  } catch (error) {
    // iam-simulate throws on inputs it cannot type (e.g. a context key it does not know): a skip.
    theirs = `iam-simulate threw: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (typeof theirs === 'string') return { kind: 'skipped', reason: theirs };
  const { output } = runEvalCase(evalCase);
  return { kind: 'compared', ours: output.decision, oursReasons: output.reasons, theirs };
}
