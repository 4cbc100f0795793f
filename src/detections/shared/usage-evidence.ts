/**
 * Evidence and wording shared by the unused-access detections: which sources said what about the
 * last use, the tracking period the verdict is relative to, and a short phrase for messages.
 */
import type { Principal, RolePrincipal, UserPrincipal } from '../../model/index.js';
import {
  analyzePermissionUsage,
  coverageOf,
  daysSince,
  isAtOrAfter,
  isOlderThanPeriod,
  lastSeenInLogs,
  periodStartOf,
  type EvidenceSource,
  type LastUse,
  type PermissionUsage,
} from '../../usage/index.js';
import type { DetectionContext } from '../types.js';

const SOURCE_NAMES: Readonly<Record<EvidenceSource, string>> = {
  cloudtrail: 'CloudTrail',
  'credential-report': 'the credential report',
  'role-last-used': "IAM's RoleLastUsed",
  'access-key-last-used': "the key's LastUsedDate",
};

/** "last used 2026-05-01, 207 days ago (CloudTrail)" or "never used (per …)". */
export function describeLastUse(lastUse: LastUse, asOf: string): string {
  const latest = lastUse.latest;
  if (latest?.lastUsed) {
    const days = daysSince(latest.lastUsed, asOf);
    return `last used ${latest.lastUsed.slice(0, 10)}${days === null ? '' : `, ${days} days ago`} (${SOURCE_NAMES[latest.source]})`;
  }
  const names = [...new Set(lastUse.sources.map((s) => SOURCE_NAMES[s.source]))];
  return `never used (per ${names.join(' and ') || 'the data given'})`;
}

/** The evidence block of an unused-access finding. */
export function lastUseEvidence(
  ctx: DetectionContext,
  lastUse: LastUse,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    lastUsed: lastUse.latest?.lastUsed ?? null,
    lastUsedSource: lastUse.latest?.source ?? null,
    sources: lastUse.sources.map((s) => ({ source: s.source, lastUsed: s.lastUsed })),
    trackingPeriodDays: ctx.config.tracking.periodDays,
    periodStart: periodStartOf(ctx.asOf, ctx.config.tracking),
    asOf: ctx.asOf,
    ...extra,
  };
}

/** True when the latest evidence of use falls within the tracking period. */
export function isUsedInPeriod(ctx: DetectionContext, lastUse: LastUse): boolean {
  const date = lastUse.latest?.lastUsed;
  return (
    date !== null &&
    date !== undefined &&
    Date.parse(date) >= Date.parse(periodStartOf(ctx.asOf, ctx.config.tracking))
  );
}

/**
 * The users and roles whose permissions can be compared with their use: customer-managed (not
 * AWS-owned), existing for the whole period, in an account the logs cover, and seen acting in
 * the logs within the period (a principal not used at all is UNU-01/02/03's, not a gap in its
 * permissions; one the logs do not show while IAM says it was used means the logs are partial).
 */
export function principalsWithObservableUse(
  ctx: DetectionContext,
): (UserPrincipal | RolePrincipal)[] {
  const usage = ctx.usage;
  if (!usage) return [];
  const periodStart = periodStartOf(ctx.asOf, ctx.config.tracking);
  const covered = new Map<string, boolean>();
  const isCovered = (account: string): boolean => {
    let known = covered.get(account);
    if (known === undefined) {
      known = coverageOf(usage, account, ctx.asOf, ctx.config.tracking).covered;
      covered.set(account, known);
    }
    return known;
  };
  return ctx.snapshot.principals.filter(
    (p): p is UserPrincipal | RolePrincipal =>
      (p.type === 'user' || p.type === 'role') &&
      !ctx.isAwsOwned(p) &&
      isCovered(p.accountId) &&
      isAtOrAfter(lastSeenInLogs(usage, p), periodStart) &&
      isOlderThanPeriod(p.createDate, ctx.asOf, ctx.config.tracking) === true,
  );
}

const permissionUsages = new WeakMap<DetectionContext, Map<Principal, PermissionUsage>>();

/**
 * Granted versus used for a principal the context can judge (see
 * {@link principalsWithObservableUse}); computed once per context and principal (UNU-04 and
 * UNU-10 share it).
 */
export function permissionUsageOf(
  ctx: DetectionContext,
  principal: UserPrincipal | RolePrincipal,
): PermissionUsage | null {
  if (!ctx.usage) return null;
  let cache = permissionUsages.get(ctx);
  if (!cache) {
    cache = new Map();
    permissionUsages.set(ctx, cache);
  }
  let result = cache.get(principal);
  if (!result) {
    result = analyzePermissionUsage({
      principal: principal.arn,
      granted: ctx.access.context.permissions.of(principal).possible,
      usage: ctx.usage,
      asOf: ctx.asOf,
      tracking: ctx.config.tracking,
    });
    cache.set(principal, result);
  }
  return result;
}
