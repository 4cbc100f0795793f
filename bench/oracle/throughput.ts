/**
 * Requests per second of both engines on the same cases:
 * - iamsight `evaluateRequest` on policies parsed once (how the snapshot evaluator uses it);
 * - iamsight `runEvalCase` (schema-free: parse every policy, build the context, evaluate);
 * - iam-simulate `runSimulation` (validate and load every policy, filter the context, evaluate);
 * - iam-simulate `runSimulation` on policies validated once (its `ValidatedPolicy` input: no
 *   validation per request; it still loads every policy and filters the context per request).
 * `runUnsafeSimulation` is left out: it throws on a resource policy without a name, and it skips
 * the session policy and the implicit RCPFullAWSAccess, so it does not answer the same question.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { loadCatalog } from '../../src/catalog/index.js';
import { resourcePolicyKindFor, runEvalCase, type EvalCase } from '../../src/policy/eval-case.js';
import { evaluateRequest, type EvaluationInput } from '../../src/policy/evaluate.js';
import { callerIdentityFromArn } from '../../src/policy/match-principal.js';
import { parsePolicy } from '../../src/policy/parse.js';
import { buildRequestContext, resourceAccountOf } from '../../src/policy/request-context.js';
import { contextOf } from '../../src/policy/types.js';
import { toSimulation } from './translate.js';

/** The evaluation input of a case with its policies parsed (as `runEvalCase` builds it). */
export function parsedInput(evalCase: EvalCase): EvaluationInput {
  const { request } = evalCase;
  const caller = callerIdentityFromArn(request.principal);
  const resourceAccount = resourceAccountOf(
    request.resource,
    request.resourceAccount,
    caller.accountId,
  );
  const { kind, required } = resourcePolicyKindFor(request.action);
  return {
    caller,
    action: request.action,
    resource: request.resource,
    resourceAccount,
    context: buildRequestContext({
      caller,
      resourceAccount,
      ...(evalCase.principalTags ? { principalTags: evalCase.principalTags } : {}),
      explicit: contextOf(request.context ?? {}),
    }),
    mode: request.contextMode ?? 'complete',
    identityPolicies: evalCase.identityPolicies.map((doc, i) =>
      parsePolicy(doc, { id: `identityPolicies[${i}]`, kind: 'identity' }),
    ),
    permissionBoundary: evalCase.permissionBoundary
      ? parsePolicy(evalCase.permissionBoundary, { id: 'permissionBoundary', kind: 'boundary' })
      : null,
    sessionPolicy: evalCase.sessionPolicy
      ? parsePolicy(evalCase.sessionPolicy, { id: 'sessionPolicy', kind: 'session' })
      : null,
    scpLevels: (evalCase.scps ?? []).map((level, l) =>
      level.map((doc, i) => parsePolicy(doc, { id: `scps[${l}][${i}]`, kind: 'scp' })),
    ),
    rcpLevels: (evalCase.rcps ?? []).map((level, l) =>
      level.map((doc, i) => parsePolicy(doc, { id: `rcps[${l}][${i}]`, kind: 'rcp' })),
    ),
    resourcePolicy: evalCase.resourcePolicy
      ? parsePolicy(evalCase.resourcePolicy, { id: 'resourcePolicy', kind })
      : null,
    resourcePolicyRequired: required,
  };
}

/**
 * The simulation with every policy wrapped as an iam-policy `ValidatedPolicy` (a plain object
 * `runSimulation` recognises by `__validated`), so it skips validation. Only for policies that
 * already passed validation.
 */
function prevalidated(simulation: Simulation): Simulation {
  const wrap = (policyDocument: unknown, name: string) => ({
    __validated: true,
    policyDocument,
    metadata: { name },
    errors: [],
  });
  const named = (list: { name: string; policy: unknown }[]) =>
    list.map(({ name, policy }) => ({ name, policy: wrap(policy, name) }));
  return {
    ...simulation,
    identityPolicies: named(simulation.identityPolicies),
    serviceControlPolicies: simulation.serviceControlPolicies.map((level) => ({
      ...level,
      policies: named(level.policies),
    })),
    resourceControlPolicies: simulation.resourceControlPolicies.map((level) => ({
      ...level,
      policies: named(level.policies),
    })),
    ...(simulation.resourcePolicy
      ? { resourcePolicy: wrap(simulation.resourcePolicy, 'resourcePolicy') }
      : {}),
    ...(simulation.permissionBoundaryPolicies
      ? { permissionBoundaryPolicies: named(simulation.permissionBoundaryPolicies) }
      : {}),
    ...(simulation.sessionPolicy
      ? { sessionPolicy: wrap(simulation.sessionPolicy, 'sessionPolicy') }
      : {}),
  };
}

export interface Throughput {
  readonly name: string;
  readonly requests: number;
  readonly perSecond: number;
}

function rate(name: string, requests: number, ms: number): Throughput {
  return { name, requests, perSecond: requests / (ms / 1000) };
}

/** Repeats `run` over `items` for at least `minMs` (after one warm-up pass); returns the rate. */
async function measure<T>(
  name: string,
  items: readonly T[],
  run: (item: T) => unknown,
  minMs: number,
): Promise<Throughput> {
  for (const item of items) await run(item);
  let requests = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (const item of items) await run(item);
    requests += items.length;
    elapsed = performance.now() - started;
  } while (elapsed < minMs);
  return rate(name, requests, elapsed);
}

/** Measures both engines on the cases both can run. */
export async function measureThroughput(
  cases: readonly EvalCase[],
  minMs = 3_000,
): Promise<Throughput[]> {
  loadCatalog();
  const simulations: Simulation[] = [];
  const usable: EvalCase[] = [];
  for (const evalCase of cases) {
    const translation = toSimulation(evalCase);
    if ('skip' in translation) continue;
    const check = await runSimulation(translation.simulation, {});
    if (check.resultType !== 'single') continue;
    simulations.push(translation.simulation);
    usable.push(evalCase);
  }
  const inputs = usable.map(parsedInput);
  // Synchronous engines are measured without an await per request.
  const syncMeasure = <T>(name: string, items: readonly T[], run: (item: T) => unknown) => {
    for (const item of items) run(item);
    let requests = 0;
    const started = performance.now();
    let elapsed = 0;
    do {
      for (const item of items) run(item);
      requests += items.length;
      elapsed = performance.now() - started;
    } while (elapsed < minMs);
    return rate(name, requests, elapsed);
  };
  return [
    syncMeasure('iamsight evaluateRequest (policies parsed once)', inputs, evaluateRequest),
    syncMeasure('iamsight runEvalCase (parse + evaluate per request)', usable, runEvalCase),
    await measure(
      'iam-simulate runSimulation (validate + load + evaluate per request)',
      simulations,
      (s) => runSimulation(s, {}),
      minMs,
    ),
    await measure(
      'iam-simulate runSimulation, policies validated once (load + evaluate per request)',
      simulations.map(prevalidated),
      (s) => runSimulation(s, {}),
      minMs,
    ),
  ];
}
