/**
 * Shrinks a case on which the engines disagree to a smaller one on which they still disagree the
 * same way: greedy deletion of policies, statements, conditions, list entries and context keys,
 * then lists of one written as the one value.
 */
import type { EvalCase } from '../../src/policy/eval-case.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys whose removal changes what a statement is rather than simplifying it. */
const KEEP = new Set([
  'Version',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Statement',
  'name',
  'request',
  'principal',
  'action',
  'resource',
  'resourceAccount',
  'context',
  'identityPolicies',
]);

/** Every case one deletion (or one list-of-one → value) smaller than `root`. */
function* reductions(root: Json): Generator<Json> {
  function* walk(node: Json, path: (string | number)[]): Generator<(string | number)[]> {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i += 1) {
        yield [...path, i];
        yield* walk(node[i]!, [...path, i]);
      }
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        yield [...path, key];
        yield* walk(value, [...path, key]);
      }
    }
  }
  for (const path of walk(root, [])) {
    const copy = structuredClone(root);
    let parent: Json = copy;
    for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step]!;
    const last = path[path.length - 1]!;
    if (Array.isArray(parent)) {
      // Statement lists and SCP/RCP levels may become empty only when their owner is dropped.
      if (parent.length > 1 || path[0] === 'identityPolicies') {
        parent.splice(last as number, 1);
        yield copy;
      }
    } else if (parent !== null && typeof parent === 'object') {
      const key = last as string;
      const value = parent[key]!;
      if (!KEEP.has(key)) {
        delete parent[key];
        yield copy;
        parent[key] = value;
      }
      if (Array.isArray(value) && value.length === 1 && typeof value[0] !== 'object') {
        const collapsed = structuredClone(copy);
        let target: Json = collapsed;
        for (const step of path.slice(0, -1))
          target = (target as Record<string | number, Json>)[step]!;
        (target as Record<string, Json>)[key] = value[0]!;
        yield collapsed;
      }
    }
  }
}

/** Shrinks `evalCase` while `stillFails` holds; at most `budget` candidate checks. */
export async function shrinkCase(
  evalCase: EvalCase,
  stillFails: (candidate: EvalCase) => Promise<boolean>,
  budget = 4_000,
): Promise<EvalCase> {
  let current = structuredClone(evalCase) as unknown as Json;
  let checks = 0;
  let progress = true;
  while (progress && checks < budget) {
    progress = false;
    for (const candidate of reductions(current)) {
      checks += 1;
      if (await stillFails(candidate as unknown as EvalCase)) {
        current = candidate;
        progress = true;
        break;
      }
      if (checks >= budget) break;
    }
  }
  return current as unknown as EvalCase;
}
