/** The record of a scan from its snapshot and analysis: what `iamsight scan` hands the store. */
import type { ScanAnalysis } from '../findings/analyze.js';
import { coverageOf } from '../findings/lifecycle.js';
import type { Snapshot } from '../model/index.js';
import type { AppliedMute, ScanRecord } from './types.js';

export function buildScanRecord(
  snapshot: Snapshot,
  analysis: ScanAnalysis,
  options: {
    readonly inputs: readonly string[];
    readonly version: string;
    readonly recordedAt: string;
    /** The mutes given to the analysis, in the same order. */
    readonly mutes: readonly AppliedMute[];
  },
): ScanRecord {
  return {
    asOf: analysis.asOf,
    recordedAt: options.recordedAt,
    version: options.version,
    inputs: options.inputs,
    findings: analysis.findings,
    score: analysis.score,
    gaps: [...snapshot.gaps, ...analysis.gaps],
    coverage: coverageOf(snapshot, analysis),
    mutes: options.mutes,
  };
}
