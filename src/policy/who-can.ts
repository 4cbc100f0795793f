/**
 * `who-can ACTION RESOURCE`: the principals of a snapshot allowed to do an action on a resource.
 * Candidates come from an index (each principal's effective permissions, computed once), not from
 * evaluating everyone: only principals whose policies may allow the action, or whom the resource's
 * own policy may grant it, are evaluated exactly.
 */
import { actionIndex } from '../catalog/index.js';
import type { Principal } from '../model/index.js';
import { effectivePermissions, type EffectivePermissions } from './effective.js';
import type { EvaluationResult } from './evaluate.js';
import type { SnapshotEvaluator, SnapshotRequestOptions } from './snapshot-evaluator.js';

/** One principal that can (or can, under conditions) do the action. */
export interface WhoCanEntry {
  readonly principal: Principal;
  readonly result: EvaluationResult;
}

/** Effective permissions of every principal that can make requests, computed once per snapshot. */
export class EffectivePermissionIndex {
  private readonly byArn = new Map<string, EffectivePermissions>();

  constructor(private readonly evaluator: SnapshotEvaluator) {}

  /** The effective permissions of one principal (computed on first use). */
  of(principal: Principal): EffectivePermissions {
    let entry = this.byArn.get(principal.arn);
    if (!entry) {
      entry = effectivePermissions(this.evaluator, principal);
      this.byArn.set(principal.arn, entry);
    }
    return entry;
  }

  /** Computes every principal's entry now (for benchmarks and bulk analysis). */
  buildAll(): number {
    let count = 0;
    for (const principal of this.evaluator.snapshot.principals) {
      if (principal.type === 'group') continue;
      this.of(principal);
      count += 1;
    }
    return count;
  }
}

/** The principals allowed `action` on `resource`, each with its explained decision. */
export function whoCan(
  evaluator: SnapshotEvaluator,
  index: EffectivePermissionIndex,
  action: string,
  resource: string,
  options: SnapshotRequestOptions = {},
): WhoCanEntry[] {
  const bit = actionIndex(action);
  const resourcePolicy = evaluator.resourcePolicyFor(resource, action);
  const policyMayGrant =
    resourcePolicy?.statements.some(
      (s) => s.effect === 'Allow' && (bit === undefined || (s.action?.set.has(bit) ?? false)),
    ) ?? false;
  const entries: WhoCanEntry[] = [];
  for (const principal of evaluator.snapshot.principals) {
    if (principal.type === 'group') continue;
    const mayByIdentity = bit === undefined || index.of(principal).possible.has(bit);
    if (!mayByIdentity && !policyMayGrant) continue;
    const result = evaluator.evaluate(principal, action, resource, options);
    if (result.decision === 'Allowed') entries.push({ principal, result });
  }
  return entries;
}
