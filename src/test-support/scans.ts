/**
 * Scans of test estates the way `iamsight scan` makes them: inputs → snapshot → analysis (with
 * mutes) → coverage. Store and lifecycle tests record these, so what they store is what a real
 * scan produces.
 */
import { analyzeSnapshot, type ScanAnalysis } from '../findings/analyze.js';
import { EMPTY_CONFIG, type MuteRule } from '../findings/config.js';
import { coverageOf, type ScanCoverage } from '../findings/lifecycle.js';
import { resolveAwsManagedPolicies } from '../ingest/aws-managed-policies.js';
import { buildSnapshot } from '../ingest/build-snapshot.js';
import { mapCredentialReport } from '../ingest/credential-report.js';
import type { SnapshotPart } from '../ingest/snapshot-part.js';
import { CREDENTIAL_REPORT_COLUMNS } from '../model/credential-report.js';
import type { Gap, Snapshot, Usage } from '../model/index.js';
import type { TestEstate } from './estate.js';

/** A credential report CSV of an account: its root (MFA on or off) and users without keys. */
export function credentialReportCsv(
  accountId: string,
  options: { rootMfa: boolean; users?: readonly string[] },
): string {
  const row = (name: string, arn: string, mfa: boolean, root: boolean): string => {
    const values: Record<string, string> = {
      user: name,
      arn,
      user_creation_time: '2024-01-01T00:00:00+00:00',
      password_enabled: root ? 'not_supported' : 'false',
      mfa_active: String(mfa),
      access_key_1_active: 'false',
      access_key_2_active: 'false',
      cert_1_active: 'false',
      cert_2_active: 'false',
    };
    return CREDENTIAL_REPORT_COLUMNS.map((column) => values[column] ?? 'N/A').join(',');
  };
  return [
    CREDENTIAL_REPORT_COLUMNS.join(','),
    row('<root_account>', `arn:aws:iam::${accountId}:root`, options.rootMfa, true),
    ...(options.users ?? []).map((name) =>
      row(name, `arn:aws:iam::${accountId}:user/${name}`, false, false),
    ),
  ].join('\n');
}

/** One analysed scan with what the store records of it. */
export interface TestScan {
  readonly snapshot: Snapshot;
  readonly analysis: ScanAnalysis;
  readonly coverage: ScanCoverage;
  /** The scan document's gaps: the snapshot's and the analysis's. */
  readonly gaps: readonly Gap[];
}

/** Analyses estates (and credential reports, CSV text) at `asOf` with optional mutes. */
export async function scanEstates(
  estates: readonly TestEstate[],
  options: {
    readonly asOf: string;
    readonly reports?: readonly string[];
    readonly mutes?: readonly MuteRule[];
    readonly parts?: readonly SnapshotPart[];
    /** CloudTrail usage (none: the rules that need it are not run). */
    readonly usage?: Usage;
  },
): Promise<TestScan> {
  const parts: SnapshotPart[] = [
    ...estates.flatMap((estate) => estate.parts()),
    ...(options.reports ?? []).map((csv, i) => mapCredentialReport(csv, `report-${i}.csv`)),
    ...(options.parts ?? []),
  ];
  const snapshot = await buildSnapshot(parts, { resolveAwsManagedPolicies });
  const analysis = analyzeSnapshot(snapshot, {
    asOf: options.asOf,
    config: { ...EMPTY_CONFIG, mutes: [...(options.mutes ?? [])] },
    usage: options.usage ?? null,
  });
  return {
    snapshot,
    analysis,
    coverage: coverageOf(snapshot, analysis),
    gaps: [...snapshot.gaps, ...analysis.gaps],
  };
}
