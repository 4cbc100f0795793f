/** Conversions between rows and the store's types, shared by the writer and the queries. */
import { hash as cryptoHash } from 'node:crypto';
import type { Severity } from '../detections/types.js';
import type { Finding } from '../findings/findings.js';
import { SEVERITY_ORDER } from '../findings/findings.js';
import type { Gap } from '../model/index.js';
import type { ScanCoverage } from '../findings/lifecycle.js';
import type { FindingContentTable, FindingsTable, MutesTable, ScansTable } from './schema.js';
import type { FindingStatus, ScanSummary, StoredFinding, StoredMute } from './types.js';
import type { Selectable } from 'kysely';

/** 0 critical … 4 info. */
export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER.indexOf(severity);
}

export function severityOfRank(rank: number): Severity {
  return SEVERITY_ORDER[rank] ?? 'info';
}

/** An ISO-8601 date or date-time as the store writes times (UTC, milliseconds). */
export function normalizeTime(value: string): string {
  return new Date(value).toISOString();
}

/** The content of a finding (everything a later scan may describe differently). */
export interface FindingContent {
  /** Columns of the findings table. */
  readonly listed: {
    anchor: string;
    title: string;
    severity: string;
    severity_rank: number;
    resource_type: string;
    resource_name: string;
  };
  /** Columns of the finding_content table. */
  readonly detail: {
    rule_version: number;
    category: string;
    region: string | null;
    message: string;
    evidence: string;
    remediation: string;
    console_url: string | null;
  };
  /** A hash of both: a finding's content is rewritten only when it changes. */
  readonly hash: string;
}

export function contentOf(finding: Finding): FindingContent {
  const evidence = JSON.stringify(finding.evidence);
  return {
    listed: {
      anchor: finding.anchor,
      title: finding.title,
      severity: finding.severity,
      severity_rank: severityRank(finding.severity),
      resource_type: finding.resource.type,
      resource_name: finding.resource.name,
    },
    detail: {
      rule_version: finding.ruleVersion,
      category: finding.category,
      region: finding.resource.region ?? null,
      message: finding.message,
      evidence,
      remediation: finding.remediation.text,
      console_url: finding.remediation.consoleUrl,
    },
    hash: contentHashOf(finding, evidence),
  };
}

/**
 * The hash of a finding's content (`evidence`: its JSON). Every scan hashes every finding it
 * reports: sha-1 in one call is the cheapest, and a collision between two versions of one
 * finding's text is not a concern here.
 */
export function contentHashOf(
  finding: Finding,
  evidence = JSON.stringify(finding.evidence),
): string {
  return cryptoHash(
    'sha1',
    finding.anchor +
      '\u0000' +
      finding.title +
      '\u0000' +
      finding.severity +
      '\u0000' +
      finding.resource.type +
      '\u0000' +
      finding.resource.name +
      '\u0000' +
      finding.ruleVersion +
      '\u0000' +
      finding.category +
      '\u0000' +
      (finding.resource.region ?? '') +
      '\u0000' +
      finding.message +
      '\u0000' +
      evidence +
      '\u0000' +
      finding.remediation.text +
      '\u0000' +
      (finding.remediation.consoleUrl ?? ''),
  );
}

/** A finding's status at `now`: a mute is in force until its expiry. */
export function statusOf(
  row: Pick<Selectable<FindingsTable>, 'state' | 'is_muted' | 'mute_until'>,
  now: string,
): FindingStatus {
  if (row.state === 'resolved') return 'resolved';
  if (row.is_muted === 1 && (row.mute_until === null || row.mute_until > now)) return 'muted';
  return 'open';
}

export function findingFromRow(
  row: Selectable<FindingsTable>,
  content: Selectable<FindingContentTable>,
  now: string,
): StoredFinding {
  const status = statusOf(row, now);
  return {
    fingerprint: row.fingerprint,
    ruleId: row.rule_id,
    anchor: row.anchor,
    ruleVersion: content.rule_version,
    title: row.title,
    severity: row.severity as Severity,
    category: content.category,
    resource: {
      arn: row.resource_arn,
      type: row.resource_type,
      name: row.resource_name,
      accountId: row.account_id,
      region: content.region,
    },
    message: content.message,
    evidence: JSON.parse(content.evidence) as Record<string, unknown>,
    remediation: { text: content.remediation, consoleUrl: content.console_url },
    status,
    mute:
      status === 'muted'
        ? {
            reason: row.mute_reason ?? '',
            until: row.mute_until,
            by: row.mute_by,
            muteId: row.mute_id,
          }
        : null,
    firstSeen: { scanId: row.first_seen_scan, at: row.first_seen_at },
    since: { scanId: row.state_scan, at: row.state_at },
  };
}

export function scanFromRow(row: Selectable<ScansTable>): ScanSummary {
  const coverage = JSON.parse(row.coverage) as ScanCoverage;
  return {
    id: row.id,
    asOf: row.as_of,
    recordedAt: row.recorded_at,
    version: row.iamsight_version,
    inputs: JSON.parse(row.inputs) as string[],
    status: row.status,
    score: { value: row.score_value, earned: row.score_earned, possible: row.score_possible },
    counts: {
      findings: row.findings_total,
      muted: row.findings_muted,
      opened: row.opened,
      reopened: row.reopened,
      resolved: row.resolved,
      unchecked: row.unchecked,
    },
    gaps: JSON.parse(row.gaps) as Gap[],
    accounts: coverage.accounts,
    failedRules: coverage.failedRules,
  };
}

export function muteFromRow(row: Selectable<MutesTable>): StoredMute {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    rule: row.rule,
    arn: row.arn,
    account: row.account,
    reason: row.reason,
    by: row.by,
    createdAt: row.created_at,
    until: row.until,
    removedAt: row.removed_at,
    removedBy: row.removed_by,
  };
}

/** Splits `items` into runs of at most `size`. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
