/** What the store takes and gives: the contract of both implementations (embedded, PostgreSQL). */
import type { Requirement, Severity } from '../detections/types.js';
import type { MuteRule } from '../findings/config.js';
import type { Finding } from '../findings/findings.js';
import type { FindingEventKind, ScanCoverage } from '../findings/lifecycle.js';
import type { HealthScore } from '../findings/score.js';
import type { Gap } from '../model/index.js';

/** A finding's status now: `muted` while a mute is in force, `resolved` once a scan resolved it. */
export type FindingStatus = 'open' | 'muted' | 'resolved';

/** A mute rule as the analysis applies it; stored ones carry their id. */
export type AppliedMute = MuteRule & { readonly id?: number };

/** Everything the store records of one scan. */
export interface ScanRecord {
  /** The scan's evaluation time (ISO-8601). */
  readonly asOf: string;
  /** When it is written (ISO-8601). */
  readonly recordedAt: string;
  readonly version: string;
  /** The inputs named on the command line. */
  readonly inputs: readonly string[];
  readonly findings: readonly Finding[];
  readonly score: HealthScore;
  /** The scan document's gaps (the snapshot's and the analysis's). */
  readonly gaps: readonly Gap[];
  readonly coverage: ScanCoverage;
  /** The mutes the analysis applied, stored ones (with their id) first, in the order applied. */
  readonly mutes: readonly AppliedMute[];
}

/** A recorded scan, as listed. */
export interface ScanSummary {
  readonly id: number;
  readonly asOf: string;
  readonly recordedAt: string;
  readonly version: string;
  readonly inputs: readonly string[];
  readonly status: 'complete' | 'partial';
  readonly score: { readonly value: number; readonly earned: number; readonly possible: number };
  /** Findings the scan reported (muted included), opened, reopened, resolved, left unchecked. */
  readonly counts: {
    readonly findings: number;
    readonly muted: number;
    readonly opened: number;
    readonly reopened: number;
    readonly resolved: number;
    readonly unchecked: number;
  };
  readonly gaps: readonly Gap[];
  /** Accounts the scan covered, with the kinds of data missing in each. */
  readonly accounts: Readonly<Record<string, readonly Requirement[]>>;
  readonly failedRules: readonly string[];
}

/** A finding as stored: its latest content, its status now and since when. */
export interface StoredFinding {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly anchor: string;
  readonly ruleVersion: number;
  readonly title: string;
  readonly severity: Severity;
  readonly category: string;
  readonly resource: {
    readonly arn: string;
    readonly type: string;
    readonly name: string;
    readonly accountId: string;
    readonly region: string | null;
  };
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly remediation: { readonly text: string; readonly consoleUrl: string | null };
  readonly status: FindingStatus;
  readonly mute: {
    readonly reason: string;
    readonly until: string | null;
    readonly by: string | null;
    /** The stored mute; null for a mute of the configuration file. */
    readonly muteId: number | null;
  } | null;
  readonly firstSeen: { readonly scanId: number; readonly at: string };
  /** The scan that opened, reopened or resolved it last. */
  readonly since: { readonly scanId: number; readonly at: string };
}

/** Filters of the findings list and of grouped counts; every field narrows (AND). */
export interface FindingFilter {
  /** Default: every status. */
  readonly status?: readonly FindingStatus[];
  readonly severity?: readonly Severity[];
  readonly accountId?: readonly string[];
  readonly resourceType?: readonly string[];
  /** Detection ids or catalog ids (`TRU-01`). */
  readonly ruleId?: readonly string[];
  readonly resourceArn?: string;
  /** Case-insensitive text in the resource ARN or name, or in the title. */
  readonly search?: string;
}

/** One value of a facet and how many findings have it. */
export interface FacetValue<T extends string = string> {
  readonly value: T;
  readonly count: number;
}

/**
 * The facets of a filter: each counted under every condition of the filter but its own (most
 * values first; status and severity in their natural order), and the total matching all of it.
 */
export interface FacetCounts {
  readonly total: number;
  readonly status: readonly FacetValue<FindingStatus>[];
  readonly severity: readonly FacetValue<Severity>[];
  readonly account: readonly FacetValue[];
  readonly resourceType: readonly FacetValue[];
  /** By detection id. */
  readonly rule: readonly FacetValue[];
}

/** A page of a keyset-paginated list; pass `nextCursor` back as `cursor` for the next one. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface PageRequest {
  /** At most 1,000; default 100. */
  readonly limit?: number;
  readonly cursor?: string | null;
}

export type GroupBy = 'risk' | 'resource' | 'account' | 'severity' | 'resourceType' | 'none';

/** One group of a grouped count, largest first. */
export interface GroupCount {
  /** Rule id, resource ARN, account id, severity or resource type; `all` when not grouped. */
  readonly key: string;
  readonly count: number;
  /** The worst severity in the group. */
  readonly severity: Severity;
  /** The rule's title (risk) or the resource's name (resource). */
  readonly label: string | null;
  /** The resource's type and account (resource). */
  readonly resourceType: string | null;
  readonly accountId: string | null;
}

/** One event of a finding, in a timeline. */
export interface TimelineEvent {
  readonly scanId: number;
  readonly at: string;
  readonly kind: FindingEventKind;
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly resourceArn: string;
  /** The mute's reason for `muted`. */
  readonly detail: string | null;
}

/** A finding with every event of its life, oldest first. */
export interface FindingHistory {
  readonly finding: StoredFinding;
  readonly events: readonly TimelineEvent[];
  /** The last scan that saw it. */
  readonly lastSeen: { readonly scanId: number; readonly at: string };
}

/** The score of one scan (of the whole scan, or of one account). */
export interface ScorePoint {
  readonly scanId: number;
  readonly at: string;
  readonly value: number;
  readonly earned: number;
  readonly possible: number;
}

/**
 * The latest scan's score with the mutes in force at `asOf` applied, as the next scan of the same
 * data would compute it (muting a finding after a scan takes its pair out of the sums at once).
 */
export interface LiveScore {
  readonly value: number;
  readonly earned: number;
  readonly possible: number;
  /** The time the mutes were judged at. */
  readonly asOf: string;
  /** The scan whose score it is. */
  readonly scanId: number;
  readonly byAccount: Readonly<
    Record<string, { readonly value: number; readonly earned: number; readonly possible: number }>
  >;
}

/** A mute created with `iamsight mute`. */
export interface StoredMute {
  readonly id: number;
  readonly fingerprint: string | null;
  readonly rule: string | null;
  readonly arn: string | null;
  readonly account: string | null;
  readonly reason: string;
  readonly by: string;
  readonly createdAt: string;
  readonly until: string | null;
  readonly removedAt: string | null;
  readonly removedBy: string | null;
}

/** What `iamsight mute` gives. */
export interface NewMute {
  readonly fingerprint?: string;
  readonly rule?: string;
  readonly arn?: string;
  readonly account?: string;
  readonly reason: string;
  readonly by: string;
  readonly until?: string;
}

/** The store: scans over time, findings by fingerprint with their events, scores, mutes. */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it is, for messages (a file, or a URL without its password). */
  readonly location: string;
  /** Records a scan in one transaction: all of it, or (on any failure) nothing. */
  recordScan(scan: ScanRecord): Promise<ScanSummary>;
  /** Stored mutes not removed, oldest first, as the analysis applies them. */
  activeMutes(): Promise<readonly (MuteRule & { readonly id: number })[]>;
  listFindings(filter: FindingFilter, page: PageRequest, now: string): Promise<Page<StoredFinding>>;
  countFindings(
    filter: FindingFilter,
    groupBy: GroupBy,
    page: PageRequest,
    now: string,
  ): Promise<Page<GroupCount>>;
  /** The facet counts of a filter (one query; see {@link FacetCounts}). */
  facetFindings(filter: FindingFilter, now: string): Promise<FacetCounts>;
  /** Every event of every finding on a resource, oldest first. */
  resourceTimeline(arn: string): Promise<readonly TimelineEvent[]>;
  findingHistory(fingerprint: string, now: string): Promise<FindingHistory | null>;
  /** The score of the latest `limit` scans (default 100), oldest first; of one account if given. */
  scoreHistory(options: { accountId?: string; limit?: number }): Promise<readonly ScorePoint[]>;
  /** Scans, newest first. */
  listScans(page: PageRequest): Promise<Page<ScanSummary>>;
  addMute(mute: NewMute, now: string): Promise<{ mute: StoredMute; applied: number }>;
  /** Removes stored mutes by id, or every stored mute of a fingerprint; returns those removed. */
  removeMutes(
    target: { id: number } | { fingerprint: string },
    by: string,
    now: string,
  ): Promise<readonly StoredMute[]>;
  listMutes(): Promise<readonly StoredMute[]>;
  /** The live score at `now` (src/store/live-score.ts); null when no scan is recorded. */
  currentScore(now: string): Promise<LiveScore | null>;
  close(): Promise<void>;
}
