/**
 * The whole analysis of one scan, pure: access analysis (admins, escalation paths), detections,
 * findings with mutes applied, and the health score. The CLI, the server and the bench call this.
 */
import { buildDetectionContext, runDetections, type DetectionRun } from '../detections/run.js';
import type { Requirement } from '../detections/types.js';
import { analyzeAccess, type AccessAnalysis } from '../graph/index.js';
import type { Gap, Snapshot } from '../model/index.js';
import { EMPTY_CONFIG, type ScanConfig } from './config.js';
import { buildFindings, type Finding } from './findings.js';
import { computeScore, type HealthScore } from './score.js';

export interface ScanAnalysis {
  readonly asOf: string;
  readonly access: AccessAnalysis;
  readonly runs: readonly DetectionRun[];
  readonly findings: readonly Finding[];
  readonly score: HealthScore;
  /** Gaps of the analysis: stages that could not look, detections that failed. */
  readonly gaps: readonly Gap[];
  /** Wall-clock time of the stages, for the bench (not part of any output contract). */
  readonly timings: { readonly accessMs: number; readonly detectionsMs: number };
}

/** Analyses a snapshot at `asOf` with the given configuration. */
export function analyzeSnapshot(
  snapshot: Snapshot,
  options: { readonly asOf: string; readonly config?: ScanConfig },
): ScanAnalysis {
  const config = options.config ?? EMPTY_CONFIG;
  const started = performance.now();
  const access = analyzeAccess(snapshot, { asOf: options.asOf });
  const accessMs = performance.now() - started;
  const ctx = buildDetectionContext(snapshot, access, {
    asOf: options.asOf,
    config: { trustedAccounts: new Set(config.trustedAccounts) },
  });
  const runs = runDetections(ctx);
  const detectionsMs = performance.now() - started - accessMs;
  const missing = new Set<Requirement>();
  if (!snapshot.organization) missing.add('organization');
  const findings = buildFindings(runs, { mutes: config.mutes, asOf: options.asOf, missing });
  const gaps: Gap[] = [
    ...access.gaps,
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
    timings: { accessMs, detectionsMs },
  };
}
