/**
 * Bulk effective permissions: for every principal, which actions its identity-based policies allow
 * on every resource, and which they may allow somewhere, after explicit denies, the permissions
 * boundary and every SCP level. Built on action bitsets: a policy's summary is computed once and
 * shared by every principal it is attached to, so a whole organization takes a few unions each.
 * Resource-based grants are not part of it (they are per resource: see who-can).
 */
import { loadCatalog, type ActionSet } from '../catalog/index.js';
import type { Principal } from '../model/index.js';
import type { SnapshotEvaluator } from './snapshot-evaluator.js';
import type { NormalizedPolicy, NormalizedStatement } from './types.js';

/** What one policy allows and denies, by action, regardless of resource and condition detail. */
export interface PolicySummary {
  /** Actions an Allow statement names, on any resource, under any condition. */
  readonly allowAny: ActionSet;
  /** Actions allowed on every resource (`Resource: "*"`) without conditions. */
  readonly allowEverywhere: ActionSet;
  /** Actions allowed on every resource, possibly under conditions. */
  readonly allowEverywhereIfConditions: ActionSet;
  /** Actions a Deny statement names, on any resource, under any condition. */
  readonly denyAny: ActionSet;
  /** Actions denied on every resource without conditions. */
  readonly denyEverywhere: ActionSet;
}

/** The effective permissions of one principal (identity side). */
export interface EffectivePermissions {
  readonly principal: Principal;
  /** Allowed on every resource, unconditionally, and denied nowhere. */
  readonly everywhere: ActionSet;
  /** Allowed on every resource if the conditions of some statements hold, and never denied unconditionally. */
  readonly everywhereIfConditions: ActionSet;
  /** Possibly allowed on some resource (an upper bound: every action any request could be allowed). */
  readonly possible: ActionSet;
  /** Named by some Deny (on some resource or under some condition). */
  readonly deniedSomewhere: ActionSet;
}

const summaries = new WeakMap<NormalizedPolicy, PolicySummary>();

function coversEveryResource(statement: NormalizedStatement): boolean {
  const resource = statement.resource;
  if (!resource) return true;
  return !resource.not && resource.patterns.includes('*');
}

/** Summarises a policy's statements into action sets (cached per parsed policy). */
export function summarizePolicy(policy: NormalizedPolicy): PolicySummary {
  const cached = summaries.get(policy);
  if (cached) return cached;
  const catalog = loadCatalog();
  let allowAny = catalog.emptySet();
  let allowEverywhere = allowAny;
  let allowEverywhereIfConditions = allowAny;
  let denyAny = allowAny;
  let denyEverywhere = allowAny;
  for (const statement of policy.statements) {
    const set = statement.action?.set;
    if (!set || set.isEmpty()) continue;
    const everywhere = coversEveryResource(statement);
    const unconditional = statement.conditions.length === 0;
    if (statement.effect === 'Allow') {
      allowAny = allowAny.union(set);
      if (everywhere) allowEverywhereIfConditions = allowEverywhereIfConditions.union(set);
      if (everywhere && unconditional) allowEverywhere = allowEverywhere.union(set);
    } else {
      denyAny = denyAny.union(set);
      if (everywhere && unconditional) denyEverywhere = denyEverywhere.union(set);
    }
  }
  const summary = {
    allowAny,
    allowEverywhere,
    allowEverywhereIfConditions,
    denyAny,
    denyEverywhere,
  };
  summaries.set(policy, summary);
  return summary;
}

function unionOf(
  policies: readonly NormalizedPolicy[],
  pick: (s: PolicySummary) => ActionSet,
): ActionSet {
  let set = loadCatalog().emptySet();
  for (const policy of policies) set = set.union(pick(summarizePolicy(policy)));
  return set;
}

/** Computes the effective permissions of one principal of the snapshot. */
export function effectivePermissions(
  evaluator: SnapshotEvaluator,
  principal: Principal,
): EffectivePermissions {
  return effectiveOfPolicies(evaluator.policiesFor(principal));
}

/** The policies effective permissions are computed from (a principal's, or a hypothetical set). */
export interface PolicySet {
  readonly principal: Principal;
  readonly identity: readonly NormalizedPolicy[];
  readonly boundary: NormalizedPolicy | null;
  readonly scpLevels: readonly (readonly NormalizedPolicy[])[];
}

/** The union of the summaries of a set of policies (one guardrail level, or a boundary). */
interface LevelSummary extends PolicySummary {
  /** Allows every action everywhere and denies nothing: intersecting with it changes nothing. */
  readonly neutral: boolean;
}

const levelSummaries = new WeakMap<readonly NormalizedPolicy[], LevelSummary>();
const boundaryLevels = new WeakMap<NormalizedPolicy, readonly NormalizedPolicy[]>();

/** Summary of a guardrail level, cached on the level's array (SCP levels are shared per account). */
function levelSummary(level: readonly NormalizedPolicy[]): LevelSummary {
  let summary = levelSummaries.get(level);
  if (!summary) {
    const all = loadCatalog().actionCount;
    const allowEverywhere = unionOf(level, (s) => s.allowEverywhere);
    const denyAny = unionOf(level, (s) => s.denyAny);
    summary = {
      allowAny: unionOf(level, (s) => s.allowAny),
      allowEverywhere,
      allowEverywhereIfConditions: unionOf(level, (s) => s.allowEverywhereIfConditions),
      denyAny,
      denyEverywhere: unionOf(level, (s) => s.denyEverywhere),
      neutral: allowEverywhere.count() === all && denyAny.isEmpty(),
    };
    levelSummaries.set(level, summary);
  }
  return summary;
}

/** Effective permissions of a set of policies: what-if analysis uses it on changed sets. */
export function effectiveOfPolicies(policies: PolicySet): EffectivePermissions {
  const { principal } = policies;
  const all = loadCatalog().allActions();
  // Every guardrail (boundary, each SCP level) limits what identity policies can grant.
  const guardrails: LevelSummary[] = policies.scpLevels.map(levelSummary);
  if (policies.boundary) {
    let level = boundaryLevels.get(policies.boundary);
    if (!level) {
      level = [policies.boundary];
      boundaryLevels.set(policies.boundary, level);
    }
    guardrails.push(levelSummary(level));
  }
  let everywhere = unionOf(policies.identity, (s) => s.allowEverywhere);
  let everywhereIfConditions = unionOf(policies.identity, (s) => s.allowEverywhereIfConditions);
  let possible = unionOf(policies.identity, (s) => s.allowAny);
  let deniedSomewhere = unionOf(policies.identity, (s) => s.denyAny);
  let deniedEverywhere = unionOf(policies.identity, (s) => s.denyEverywhere);
  for (const level of guardrails) {
    if (level.neutral) continue;
    deniedSomewhere = deniedSomewhere.union(level.denyAny);
    deniedEverywhere = deniedEverywhere.union(level.denyEverywhere);
    everywhere = everywhere.intersect(level.allowEverywhere);
    everywhereIfConditions = everywhereIfConditions.intersect(level.allowEverywhereIfConditions);
    possible = possible.intersect(level.allowAny);
  }
  return {
    principal,
    everywhere: everywhere.difference(deniedSomewhere),
    everywhereIfConditions: everywhereIfConditions.difference(deniedEverywhere),
    possible: possible.difference(deniedEverywhere).intersect(all),
    deniedSomewhere,
  };
}
