/**
 * Insights for one principal (DESIGN.md §3.6 "Insights"): its granted versus used permissions by
 * service and action with last-used dates, its last use from every source, whether the logs cover
 * the tracking period, and the least-privilege suggestion.
 */
import type { Principal, RolePrincipal, UserPrincipal } from '../model/index.js';
import { effectivePermissions } from '../policy/effective.js';
import type { SnapshotEvaluator } from '../policy/snapshot-evaluator.js';
import { principalLastUse, type LastUse } from './last-use.js';
import {
  actionVerdictsOf,
  analyzePermissionUsage,
  servicesOf,
  type ActionVerdict,
  type PermissionUsage,
  type ServiceVerdict,
} from './permissions.js';
import { suggestPolicy, type SuggestedPolicy } from './suggest-policy.js';
import { coverageOf, type Coverage, type TrackingOptions } from './tracking.js';
import type { UsageIndex } from './usage-index.js';

export const INSIGHTS_SCHEMA = 'iamsight.insights/v1';

/** One service: counts, and the verdict on each granted action. */
export interface ServiceInsight extends ServiceVerdict {
  readonly actions: readonly ActionVerdict[];
}

/** Everything the Insights view shows about one principal. */
export interface Insights {
  readonly schema: typeof INSIGHTS_SCHEMA;
  readonly principal: string;
  readonly type: Principal['type'];
  readonly asOf: string;
  readonly trackingPeriodDays: number;
  readonly periodStart: string;
  readonly window: { readonly start: string | null; readonly end: string | null };
  /** Whether the logs can show absence of use for this principal's account over the period. */
  readonly coverage: Coverage;
  readonly lastUse: LastUse;
  readonly totals: {
    readonly granted: number;
    readonly used: number;
    readonly unused: number;
    readonly unknown: number;
    /** Share of the observable granted actions unused (0–100, one decimal). */
    readonly unusedPercent: number;
  };
  /** By service, sorted: services with used actions first, then by name. */
  readonly services: readonly ServiceInsight[];
  /** Used within the period but not granted by the identity policies (resource-policy grants). */
  readonly usedNotGranted: readonly string[];
}

/** Granted versus used for a user or role of the snapshot. */
export function permissionUsageFor(input: {
  readonly principal: UserPrincipal | RolePrincipal;
  readonly evaluator: SnapshotEvaluator;
  readonly usage: UsageIndex;
  readonly asOf: string;
  readonly tracking: TrackingOptions;
}): PermissionUsage {
  return analyzePermissionUsage({
    principal: input.principal.arn,
    granted: effectivePermissions(input.evaluator, input.principal).possible,
    usage: input.usage,
    asOf: input.asOf,
    tracking: input.tracking,
  });
}

/** Builds the insights of one user or role. */
export function buildInsights(input: {
  readonly principal: UserPrincipal | RolePrincipal;
  readonly evaluator: SnapshotEvaluator;
  readonly usage: UsageIndex;
  readonly asOf: string;
  readonly tracking: TrackingOptions;
}): Insights {
  const permissions = permissionUsageFor(input);
  const services = servicesOf(permissions)
    .map((service): ServiceInsight => ({
      ...service,
      actions: actionVerdictsOf(permissions, service.service, input.usage),
    }))
    .sort(
      (a, b) =>
        Number(b.used > 0) - Number(a.used > 0) ||
        (a.service < b.service ? -1 : a.service > b.service ? 1 : 0),
    );
  const used = permissions.used.count();
  const unused = permissions.unused.count();
  return {
    schema: INSIGHTS_SCHEMA,
    principal: input.principal.arn,
    type: input.principal.type,
    asOf: input.asOf,
    trackingPeriodDays: input.tracking.periodDays,
    periodStart: permissions.periodStart,
    window: input.usage.window,
    coverage: coverageOf(input.usage, input.principal.accountId, input.asOf, input.tracking),
    lastUse: principalLastUse(input.principal, input.usage),
    totals: {
      granted: permissions.granted.count(),
      used,
      unused,
      unknown: permissions.unknown.count(),
      unusedPercent: Math.round(permissions.unusedRatio * 1000) / 10,
    },
    services,
    usedNotGranted: permissions.usedNotGranted.map((a) => a.action),
  };
}

/** Builds the least-privilege suggestion of one user or role. */
export function suggestPolicyFor(input: {
  readonly principal: UserPrincipal | RolePrincipal;
  readonly evaluator: SnapshotEvaluator;
  readonly usage: UsageIndex;
  readonly asOf: string;
  readonly tracking: TrackingOptions;
  readonly maxChars?: number;
}): SuggestedPolicy {
  const permissions = permissionUsageFor(input);
  const suggestion = suggestPolicy({
    principal: input.principal.arn,
    permissions,
    policies: input.evaluator.policiesFor(input.principal).identity,
    usage: input.usage,
    ...(input.maxChars ? { maxChars: input.maxChars } : {}),
  });
  const coverage = coverageOf(input.usage, input.principal.accountId, input.asOf, input.tracking);
  if (coverage.covered) return suggestion;
  return {
    ...suggestion,
    notes: [
      `Partial evidence: ${coverage.reason}; actions used outside what the logs hold are missing from this policy.`,
      ...suggestion.notes,
    ],
  };
}
