/**
 * The tracking period of "unused" (DESIGN.md §3.4, as IAM Access Analyzer defines it): no use
 * within the last N days (default 90, 1–365) before the evaluation time, judged only for entities
 * that existed for the whole period. Evidence of use comes from several sources (CloudTrail, the
 * credential report, IAM's RoleLastUsed, an access key's LastUsedDate) and the latest one wins.
 *
 * CloudTrail can only show absence of use where the logs cover the period: from its start (one day
 * of slack: the first counted record is rarely at midnight) to the evaluation time (one day of
 * slack), and for accounts the logs hold records of.
 */
import type { UsageIndex } from './usage-index.js';

const DAY_MS = 86_400_000;
/** How far the logs' first and last records may be from the period's ends and still cover it. */
const COVERAGE_SLACK_MS = DAY_MS;

/** The thresholds of the unused-access analysis (iamsight.config.yaml `usage:`). */
export interface TrackingOptions {
  /** Days without use after which an entity or permission is unused (1–365). */
  readonly periodDays: number;
  /** Share of granted, observable actions unused over the period that makes a permission gap (0–1). */
  readonly permissionGapRatio: number;
}

export const DEFAULT_TRACKING: TrackingOptions = { periodDays: 90, permissionGapRatio: 0.4 };

/** Where a piece of evidence of use comes from. */
export type EvidenceSource =
  'cloudtrail' | 'credential-report' | 'role-last-used' | 'access-key-last-used';

/** One source's word on when something was last used (null: never, as far as it knows). */
export interface UseEvidence {
  readonly source: EvidenceSource;
  readonly lastUsed: string | null;
}

/** The instant `days` before `asOf` (ISO-8601). */
export function daysBefore(asOf: string, days: number): string {
  return new Date(Date.parse(asOf) - days * DAY_MS).toISOString();
}

/** Whole days from `date` to `asOf` (0 when `date` is after `asOf`); null when either is unreadable. */
export function daysSince(date: string, asOf: string): number | null {
  const then = Date.parse(date);
  const now = Date.parse(asOf);
  if (Number.isNaN(then) || Number.isNaN(now)) return null;
  return Math.max(0, Math.floor((now - then) / DAY_MS));
}

/** The start of the tracking period. */
export function periodStartOf(asOf: string, options: TrackingOptions): string {
  return daysBefore(asOf, options.periodDays);
}

/**
 * The latest evidence of use (a date after `asOf` counts as use at `asOf`: the aggregates cannot
 * be cut at the evaluation time), or null when no source saw any use.
 */
export function latestUse(evidence: readonly UseEvidence[]): UseEvidence | null {
  let best: UseEvidence | null = null;
  for (const e of evidence) {
    if (e.lastUsed === null || Number.isNaN(Date.parse(e.lastUsed))) continue;
    if (best === null || Date.parse(e.lastUsed) > Date.parse(best.lastUsed ?? '')) best = e;
  }
  return best;
}

/** True when `date` is at or after `since`. */
export function isAtOrAfter(date: string | null, since: string): boolean {
  return date !== null && Date.parse(date) >= Date.parse(since);
}

/** Whether an entity created at `created` existed for the whole period; null when unknown. */
export function isOlderThanPeriod(
  created: string | null,
  asOf: string,
  options: TrackingOptions,
): boolean | null {
  if (created === null || Number.isNaN(Date.parse(created))) return null;
  return Date.parse(created) <= Date.parse(periodStartOf(asOf, options));
}

/** Whether the logs can show absence of use in an account over the period, and if not why. */
export type Coverage =
  { readonly covered: true } | { readonly covered: false; readonly reason: string };

/** Whether the logs cover the tracking period for an account. */
export function coverageOf(
  index: UsageIndex | null,
  accountId: string,
  asOf: string,
  options: TrackingOptions,
): Coverage {
  if (index === null) return { covered: false, reason: 'no CloudTrail usage was given' };
  const { start, end } = index.window;
  if (start === null || end === null)
    return { covered: false, reason: 'the CloudTrail logs held no records' };
  const periodStart = periodStartOf(asOf, options);
  if (Date.parse(start) - COVERAGE_SLACK_MS > Date.parse(periodStart))
    return {
      covered: false,
      reason: `the CloudTrail logs start ${start.slice(0, 10)}, after the ${options.periodDays}-day tracking period starts (${periodStart.slice(0, 10)})`,
    };
  if (Date.parse(end) + COVERAGE_SLACK_MS < Date.parse(asOf))
    return {
      covered: false,
      reason: `the CloudTrail logs end ${end.slice(0, 10)}, before the evaluation time ${asOf.slice(0, 10)} (judge archived logs with --as-of)`,
    };
  if (!index.accounts.has(accountId))
    return {
      covered: false,
      reason: `the CloudTrail logs hold no record of account ${accountId}`,
    };
  return { covered: true };
}
