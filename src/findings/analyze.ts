/**
 * The whole analysis of one scan, pure: access analysis (admins, escalation paths), detections,
 * findings with mutes applied, and the health score. The CLI, the server and the bench call this.
 */
import { buildDetectionContext, runDetections, type DetectionRun } from '../detections/run.js';
import type { Requirement } from '../detections/types.js';
import { analyzeAccess, type AccessAnalysis } from '../graph/index.js';
import type { Gap, Snapshot, Usage } from '../model/index.js';
import { buildUsageIndex, coverageOf, type UsageIndex } from '../usage/index.js';
import { EMPTY_CONFIG, trackingOf, type ScanConfig } from './config.js';
import { buildFindings, type Finding } from './findings.js';
import { computeScore, type HealthScore } from './score.js';

export interface ScanAnalysis {
  readonly asOf: string;
  readonly access: AccessAnalysis;
  readonly runs: readonly DetectionRun[];
  readonly findings: readonly Finding[];
  readonly score: HealthScore;
  /** Gaps of the analysis: stages that could not look, detections that failed or were not run. */
  readonly gaps: readonly Gap[];
  /** The CloudTrail usage the analysis read, indexed; null when none was given. */
  readonly usage: UsageIndex | null;
  /** Wall-clock time of the stages, for the bench (not part of any output contract). */
  readonly timings: { readonly accessMs: number; readonly detectionsMs: number };
}

/** What CloudTrail could not show: no usage at all, or accounts and periods the logs miss. */
function usageGaps(
  snapshot: Snapshot,
  usage: UsageIndex | null,
  runs: readonly DetectionRun[],
  asOf: string,
  config: ScanConfig,
): Gap[] {
  const skipped = runs.filter((run) => run.skipped !== null).map((run) => run.detection.id);
  // Rules that ran and may decide from Access Advisor where CloudTrail is missing.
  const eitherSource = runs
    .filter(
      (run) =>
        run.skipped === null &&
        !run.error &&
        run.detection.requiresOneOf?.includes('cloudtrail') &&
        run.detection.requiresOneOf.includes('service-last-accessed'),
    )
    .map((run) => run.detection.id);
  const withLastAccessed = new Set(
    snapshot.principals.filter((p) => p.serviceLastAccessed).map((p) => p.accountId),
  );
  const gaps: Gap[] = [];
  /** An account without CloudTrail: the either-source rules have nothing there without Access Advisor. */
  const withoutLogs = (accountId: string): void => {
    if (eitherSource.length === 0 || withLastAccessed.has(accountId)) return;
    gaps.push({
      source: 'iam:service-last-accessed',
      accountId,
      region: null,
      detail: `no service last accessed data (Access Advisor) for the account's principals and no CloudTrail covering it: ${eitherSource.join(', ')} judged nothing there`,
    });
  };
  if (usage === null) {
    if (skipped.length > 0 || eitherSource.length > 0) {
      const notRun =
        skipped.length > 0
          ? `${skipped.length} detections not run (${skipped.join(', ')})`
          : 'no detection was left out';
      const partly =
        eitherSource.length > 0
          ? `; ${eitherSource.join(', ')} judged only where Access Advisor data was given`
          : '';
      gaps.push({
        source: 'cloudtrail',
        accountId: null,
        region: null,
        detail: `no CloudTrail usage was given (--cloudtrail or --usage): ${notRun}; their findings are not resolved by this scan${partly}`,
      });
    }
    for (const account of snapshot.accounts) withoutLogs(account.id);
    return gaps;
  }
  const tracking = trackingOf(config);
  for (const account of snapshot.accounts) {
    const coverage = coverageOf(usage, account.id, asOf, tracking);
    if (coverage.covered) continue;
    gaps.push({
      source: 'cloudtrail:coverage',
      accountId: account.id,
      region: null,
      detail: `${coverage.reason}: unused access is judged only from IAM's own last-used data there`,
    });
    withoutLogs(account.id);
  }
  return gaps;
}

/**
 * Analyses a snapshot at `asOf` with the given configuration and, when given, CloudTrail usage
 * (`usage`; null or absent: the detections that need it are not run and a gap says so).
 */
export function analyzeSnapshot(
  snapshot: Snapshot,
  options: {
    readonly asOf: string;
    readonly config?: ScanConfig;
    readonly usage?: Usage | null;
  },
): ScanAnalysis {
  const config = options.config ?? EMPTY_CONFIG;
  const started = performance.now();
  const access = analyzeAccess(snapshot, { asOf: options.asOf });
  const accessMs = performance.now() - started;
  const usage = options.usage ? buildUsageIndex(options.usage) : null;
  const ctx = buildDetectionContext(snapshot, access, {
    asOf: options.asOf,
    usage,
    config: { trustedAccounts: new Set(config.trustedAccounts), tracking: trackingOf(config) },
  });
  const runs = runDetections(ctx);
  const detectionsMs = performance.now() - started - accessMs;
  const missing = new Set<Requirement>();
  if (!snapshot.organization) missing.add('organization');
  const findings = buildFindings(runs, { mutes: config.mutes, asOf: options.asOf, missing });
  const gaps: Gap[] = [
    ...access.gaps,
    ...usageGaps(snapshot, usage, runs, options.asOf, config),
    ...runs
      .filter((run) => run.error)
      .map((run) => ({
        source: `detection:${run.detection.id}`,
        accountId: null,
        region: null,
        detail: `the detection failed (${run.error ?? ''}); its findings are not resolved by this scan`,
      })),
  ];
  const score = computeScore(runs, findings, [...snapshot.gaps, ...gaps]);
  return {
    asOf: options.asOf,
    access,
    runs,
    findings,
    score,
    gaps,
    usage,
    timings: { accessMs, detectionsMs },
  };
}
