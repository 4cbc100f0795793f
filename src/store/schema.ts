/**
 * The tables of the store, as the typed query layer (Kysely) sees them; the same in SQLite and
 * PostgreSQL (./migrations.ts creates them). Times are ISO-8601 UTC text with milliseconds
 * (`2026-11-24T10:00:00.000Z`), so text order is time order in both databases; JSON is text.
 */
import type { Generated } from 'kysely';

/** One recorded scan. */
export interface ScansTable {
  id: Generated<number>;
  /** The scan's evaluation time (`--as-of`, default the time it ran). */
  as_of: string;
  /** When the scan was written to the store. */
  recorded_at: string;
  iamsight_version: string;
  /** JSON array of the inputs named on the command line. */
  inputs: string;
  /** `complete` when the scan had no gaps, else `partial`. */
  status: 'complete' | 'partial';
  score_value: number;
  score_earned: number;
  score_possible: number;
  /** Findings the scan reported, and of them those muted. */
  findings_total: number;
  findings_muted: number;
  opened: number;
  reopened: number;
  resolved: number;
  /** Open findings the scan could not check (a gap, an account not scanned, a failed rule). */
  unchecked: number;
  /** JSON array of the scan's gaps (iamsight.scan/v1 `gaps`). */
  gaps: string;
  /** JSON of the scan's coverage (src/findings/lifecycle.ts ScanCoverage). */
  coverage: string;
}

/** The health score of one account in one scan. */
export interface ScanScoresTable {
  scan_id: number;
  account_id: string;
  value: number;
  earned: number;
  possible: number;
}

/**
 * One finding by fingerprint: what lists, filters and counts read (narrow rows, so scanning 100,000
 * of them is quick) and its current state. The rest of its latest content is in finding_content.
 */
export interface FindingsTable {
  id: Generated<number>;
  fingerprint: string;
  rule_id: string;
  anchor: string;
  title: string;
  severity: string;
  /** 0 critical … 4 info: the order findings are listed in. */
  severity_rank: number;
  resource_arn: string;
  resource_type: string;
  resource_name: string;
  account_id: string;
  /** Hash of the finding's content: it is rewritten only when this changes. */
  content_hash: string;
  /** `open` from the scan that opened or reopened it, `resolved` from the scan that resolved it. */
  state: 'open' | 'resolved';
  state_scan: number;
  state_at: string;
  /** Whether the last scan that reported it reported it muted (1) or not (0). */
  scan_muted: number;
  /**
   * 1 when a mute is attached (until `mute_until`, if set): set by scans and, at once, by
   * `iamsight mute` / `unmute`. Indexed with mute_until, so status filters read indexes only.
   */
  is_muted: number;
  mute_reason: string | null;
  mute_until: string | null;
  mute_by: string | null;
  /** The stored mute (mutes.id) behind it; null for a mute of the configuration file. */
  mute_id: number | null;
  first_seen_scan: number;
  first_seen_at: string;
  /**
   * The weight of the finding's (rule, resource) pair in the score of the last scan that reported
   * it: the rule's severity weight, 0 when the pair was not scored (data missing, rule failed).
   */
  score_weight: Generated<number>;
}

/** The latest content of a finding beyond what lists read: stored once per fingerprint. */
export interface FindingContentTable {
  finding_id: number;
  rule_version: number;
  category: string;
  region: string | null;
  message: string;
  /** JSON of the latest evidence. */
  evidence: string;
  remediation: string;
  console_url: string | null;
}

/**
 * What happened to a finding in a scan: opened, reopened, resolved, muted, unmuted, and
 * `unchecked` (the scan could not check it). `seen` is not stored: a finding is seen by every scan
 * of its open periods that did not leave it unchecked (docs/decisions.md).
 */
export interface FindingEventsTable {
  finding_id: number;
  scan_id: number;
  kind: 'opened' | 'reopened' | 'resolved' | 'muted' | 'unmuted' | 'unchecked';
  /** The mute's reason for `muted`. */
  detail: string | null;
}

/** A mute created with `iamsight mute`; kept after `unmute` (removed_at) for the record. */
export interface MutesTable {
  id: Generated<number>;
  fingerprint: string | null;
  rule: string | null;
  arn: string | null;
  account: string | null;
  reason: string;
  by: string;
  created_at: string;
  until: string | null;
  removed_at: string | null;
  removed_by: string | null;
}

export interface Database {
  scans: ScansTable;
  scan_scores: ScanScoresTable;
  findings: FindingsTable;
  finding_content: FindingContentTable;
  finding_events: FindingEventsTable;
  mutes: MutesTable;
}
