/**
 * Evidence and wording shared by the unused-access detections: which sources said what about the
 * last use, the tracking period the verdict is relative to, and a short phrase for messages.
 */
import type { LastUse, EvidenceSource } from '../../usage/index.js';
import { daysSince, periodStartOf } from '../../usage/index.js';
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
