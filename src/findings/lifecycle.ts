/**
 * The lifecycle of findings between scans (DESIGN.md §3.5), pure: what a scan could check, and the
 * events it yields against the previous state. A finding missing from a scan is resolved only when
 * the scan covered its account, had every kind of data its rule requires there, and ran the rule
 * without an error; otherwise it stays as it was (a gap never resolves a finding).
 */
import { REQUIREMENTS, type Requirement } from '../detections/requirements.js';
import type { Gap, Snapshot } from '../model/index.js';
import type { ScanAnalysis } from './analyze.js';
import type { Finding } from './findings.js';
import { isRequirementMissing } from './score.js';

/** What happened to a finding in a scan. */
export type FindingEventKind = 'opened' | 'seen' | 'resolved' | 'reopened' | 'muted' | 'unmuted';

export const FINDING_EVENT_KINDS: readonly FindingEventKind[] = [
  'opened',
  'seen',
  'resolved',
  'reopened',
  'muted',
  'unmuted',
];

/** What a scan was able to check: recorded with the scan, decides which findings it may resolve. */
export interface ScanCoverage {
  /** The accounts the scan covered, each with the kinds of data missing there. */
  readonly accounts: Readonly<Record<string, readonly Requirement[]>>;
  /**
   * The rules that ran without an error, with the data each requires; an entry that is a list is
   * satisfied by any one of its kinds (the rule's `requiresOneOf`).
   */
  readonly rules: Readonly<Record<string, readonly (Requirement | readonly Requirement[])[]>>;
  /** Rules that failed in this scan: they resolve nothing. */
  readonly failedRules: readonly string[];
}

/** Findings on AWS-managed policies carry this account id; the bundled policies are always known. */
const AWS_ACCOUNT = 'aws';

/**
 * The coverage of a scan. An account lacks a kind of data when a gap says so, and also when the
 * snapshot holds nothing of that kind for it: no users, groups, roles or customer policies (`iam`:
 * its authorization details were not given) or no root principal (`credential-report`: every
 * report has the root's row), no user or role with service last accessed data
 * (`service-last-accessed`). Organization data missing altogether is not a gap: rules that need
 * it report more without it (own accounts look external), never less, so an absence is real.
 */
export function coverageOf(
  snapshot: Snapshot,
  analysis: Pick<ScanAnalysis, 'runs' | 'gaps'>,
): ScanCoverage {
  const gaps: readonly Gap[] = [...snapshot.gaps, ...analysis.gaps];
  const withIam = new Set<string>();
  const withReport = new Set<string>();
  const withLastAccessed = new Set<string>();
  for (const principal of snapshot.principals) {
    if (principal.serviceLastAccessed) withLastAccessed.add(principal.accountId);
    if (principal.type === 'root') withReport.add(principal.accountId);
    else withIam.add(principal.accountId);
  }
  for (const policy of snapshot.policies) if (!policy.isAwsManaged) withIam.add(policy.accountId);
  const accounts: Record<string, Requirement[]> = {};
  for (const { id } of snapshot.accounts) {
    accounts[id] = REQUIREMENTS.filter(
      (requirement) =>
        isRequirementMissing(requirement, id, gaps) ||
        (requirement === 'iam' && !withIam.has(id)) ||
        (requirement === 'credential-report' && !withReport.has(id)) ||
        (requirement === 'service-last-accessed' && !withLastAccessed.has(id)),
    );
  }
  const rules: Record<string, (Requirement | readonly Requirement[])[]> = {};
  const failedRules: string[] = [];
  for (const run of analysis.runs) {
    if (run.error) failedRules.push(run.detection.id);
    // A rule not run (data it requires was not given, e.g. no CloudTrail) checked nothing.
    else if (run.skipped === null)
      rules[run.detection.id] = [
        ...run.detection.requires,
        ...(run.detection.requiresOneOf?.length ? [[...run.detection.requiresOneOf]] : []),
      ];
  }
  return { accounts, rules, failedRules: failedRules.sort() };
}

/** True when the scan could tell whether a finding of `ruleId` on a resource of `accountId` is there. */
export function isChecked(coverage: ScanCoverage, ruleId: string, accountId: string): boolean {
  const requires = coverage.rules[ruleId];
  if (!requires) return false;
  if (accountId === AWS_ACCOUNT) return true;
  const missing = coverage.accounts[accountId];
  if (!missing) return false;
  return !requires.some((entry) =>
    typeof entry === 'string'
      ? missing.includes(entry)
      : entry.length > 0 && entry.every((requirement) => missing.includes(requirement)),
  );
}

/** A finding's state after the last scan that checked it. */
export interface FindingState {
  readonly state: 'open' | 'resolved';
  /** Whether that scan reported it muted. */
  readonly muted: boolean;
}

/** What the store knows of a finding before a scan. */
export interface PriorFinding extends FindingState {
  readonly ruleId: string;
  readonly accountId: string;
}

const SEEN: readonly FindingEventKind[] = Object.freeze(['seen']);
const OPEN: FindingState = Object.freeze({ state: 'open', muted: false });
const OPEN_MUTED: FindingState = Object.freeze({ state: 'open', muted: true });

/** What a scan does to one finding. */
export interface FindingChange<P extends PriorFinding = PriorFinding> {
  readonly fingerprint: string;
  /** The finding as this scan reported it; null when absent from the scan. */
  readonly finding: Finding | null;
  /** What was known before, as given to {@link diffScan}. */
  readonly prior: P | null;
  /** In order: the presence event (opened, reopened, seen) or resolved, then muted or unmuted. */
  readonly events: readonly FindingEventKind[];
  /** The state after the scan; null when the scan could not check the finding (kept as it was). */
  readonly next: FindingState | null;
}

/**
 * The changes a scan makes: one per finding the scan reported, and one per finding that was open
 * before and is absent now (resolved if the scan checked it, kept otherwise). Findings resolved
 * before and absent now are left out. Order: the scan's findings in their order, then the absent
 * ones by fingerprint.
 */
export function diffScan<P extends PriorFinding>(
  prior: ReadonlyMap<string, P>,
  findings: readonly Finding[],
  coverage: ScanCoverage,
): FindingChange<P>[] {
  const changes: FindingChange<P>[] = [];
  const present = new Set<string>();
  for (const finding of findings) {
    present.add(finding.fingerprint);
    const before = prior.get(finding.fingerprint) ?? null;
    const muted = finding.status === 'muted';
    const wasMuted = before !== null && before.state === 'open' && before.muted;
    // A scan sees most findings again unchanged: those share one events list (no allocation).
    let events: readonly FindingEventKind[] = SEEN;
    if (!before || before.state === 'resolved' || muted !== wasMuted) {
      const list: FindingEventKind[] = [
        !before ? 'opened' : before.state === 'resolved' ? 'reopened' : 'seen',
      ];
      if (muted && !wasMuted) list.push('muted');
      if (!muted && wasMuted) list.push('unmuted');
      events = list;
    }
    changes.push({
      fingerprint: finding.fingerprint,
      finding,
      prior: before,
      events,
      next: muted ? OPEN_MUTED : OPEN,
    });
  }
  const absent: [string, P][] = [];
  for (const entry of prior) {
    if (entry[1].state === 'open' && !present.has(entry[0])) absent.push(entry);
  }
  absent.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [fingerprint, before] of absent) {
    const checked = isChecked(coverage, before.ruleId, before.accountId);
    changes.push({
      fingerprint,
      finding: null,
      prior: before,
      events: checked ? ['resolved'] : [],
      next: checked ? { state: 'resolved', muted: false } : null,
    });
  }
  return changes;
}
