/**
 * Writing a scan: one transaction that reads the findings' previous state, applies the lifecycle
 * of src/findings/lifecycle.ts, and writes the scan, its scores, the new and changed findings and
 * their events. Its cost follows what changed, not how many findings there are: a finding seen
 * again unchanged costs nothing (its `seen` event is implied, docs/decisions.md).
 */
import type { Insertable, Kysely, Updateable } from 'kysely';
import { muteFor } from '../findings/config.js';
import type { Finding } from '../findings/findings.js';
import { diffScan, type PriorFinding } from '../findings/lifecycle.js';
import type { Backend } from './backend.js';
import { StoreError } from './errors.js';
import { checkSchemaVersion } from './migrations.js';
import { chunksOf, contentHashOf, contentOf, normalizeTime, scanFromRow } from './rows.js';
import type { Database, FindingEventsTable, FindingsTable } from './schema.js';
import type { AppliedMute, ScanRecord, ScanSummary } from './types.js';

type PriorRow = {
  id: number;
  fingerprint: string;
  rule_id: string;
  account_id: string;
  state: 'open' | 'resolved';
  scan_muted: number;
  content_hash: string;
  mute_reason: string | null;
  mute_until: string | null;
  mute_by: string | null;
  mute_id: number | null;
};

const PRIOR_COLUMNS = [
  'id',
  'fingerprint',
  'rule_id',
  'account_id',
  'state',
  'scan_muted',
  'content_hash',
  'mute_reason',
  'mute_until',
  'mute_by',
  'mute_id',
] as const;

interface MuteColumns {
  mute_reason: string | null;
  mute_until: string | null;
  mute_by: string | null;
  mute_id: number | null;
}

const NOT_MUTED: MuteColumns = {
  mute_reason: null,
  mute_until: null,
  mute_by: null,
  mute_id: null,
};

/** The mute columns of a finding as the scan reported it. */
function muteColumnsOf(finding: Finding, mutes: readonly AppliedMute[], asOf: string): MuteColumns {
  if (finding.status !== 'muted' || !finding.mute) return NOT_MUTED;
  const rule = muteFor(
    mutes,
    {
      ruleId: finding.ruleId,
      anchor: finding.anchor,
      fingerprint: finding.fingerprint,
      resource: finding.resource,
    },
    asOf,
  ) as AppliedMute | null;
  return {
    mute_reason: finding.mute.reason,
    mute_until: finding.mute.until ? normalizeTime(finding.mute.until) : null,
    mute_by: rule?.by ?? null,
    mute_id: rule?.id ?? null,
  };
}

async function readPrior(
  db: Kysely<Database>,
  findings: readonly Finding[],
  batch: number,
): Promise<Map<string, PriorRow>> {
  const open = await db
    .selectFrom('findings')
    .select(PRIOR_COLUMNS)
    .where('state', '=', 'open')
    .execute();
  const rows = new Map<string, PriorRow>(open.map((row) => [row.fingerprint, row]));
  const unknown = findings.map((f) => f.fingerprint).filter((fp) => !rows.has(fp));
  for (const chunk of chunksOf(unknown, batch)) {
    const resolved = await db
      .selectFrom('findings')
      .select(PRIOR_COLUMNS)
      .where('fingerprint', 'in', chunk)
      .execute();
    for (const row of resolved) rows.set(row.fingerprint, row);
  }
  return rows;
}

/** Records a scan; see {@link Store.recordScan}. */
export async function recordScan(backend: Backend, record: ScanRecord): Promise<ScanSummary> {
  const asOf = normalizeTime(record.asOf);
  const recordedAt = normalizeTime(record.recordedAt);
  return backend.write(async (db) => {
    // A newer iamsight may have migrated the store since it was opened.
    await checkSchemaVersion(db, backend.flavor, backend.location);
    const latest = await db
      .selectFrom('scans')
      .select(['id', 'as_of'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && latest.as_of > asOf) {
      throw new StoreError(
        `${backend.location}: this scan is as of ${asOf}, before the store's latest scan ` +
          `(#${latest.id}, as of ${latest.as_of}); scans are recorded in time order. ` +
          `Use --no-store to look at the past without recording it.`,
      );
    }

    const priorRows = await readPrior(db, record.findings, 1000);
    const prior = new Map<string, PriorFinding>();
    for (const [fingerprint, row] of priorRows) {
      prior.set(fingerprint, {
        state: row.state,
        muted: row.scan_muted === 1,
        ruleId: row.rule_id,
        accountId: row.account_id,
      });
    }
    const changes = diffScan(prior, record.findings, record.coverage);
    const count = (kind: string) => changes.filter((c) => c.events.includes(kind as never)).length;
    const unchecked = changes.filter((c) => c.next === null).length;
    const muted = record.findings.filter((f) => f.status === 'muted').length;

    const scan = await db
      .insertInto('scans')
      .values({
        as_of: asOf,
        recorded_at: recordedAt,
        iamsight_version: record.version,
        inputs: JSON.stringify(record.inputs),
        status:
          record.gaps.length === 0 && record.coverage.failedRules.length === 0
            ? 'complete'
            : 'partial',
        score_value: record.score.value,
        score_earned: record.score.earned,
        score_possible: record.score.possible,
        findings_total: record.findings.length,
        findings_muted: muted,
        opened: count('opened'),
        reopened: count('reopened'),
        resolved: count('resolved'),
        unchecked,
        gaps: JSON.stringify(record.gaps),
        coverage: JSON.stringify(record.coverage),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const scanId = scan.id;

    const accounts = Object.entries(record.score.byAccount);
    for (const chunk of chunksOf(accounts, Math.floor(backend.maxParameters / 5))) {
      await db
        .insertInto('scan_scores')
        .values(
          chunk.map(([accountId, part]) => ({
            scan_id: scanId,
            account_id: accountId,
            value: part.value,
            earned: part.earned,
            possible: part.possible,
          })),
        )
        .execute();
    }

    // New findings.
    const ids = new Map<string, number>();
    for (const [fingerprint, row] of priorRows) ids.set(fingerprint, row.id);
    const created: Insertable<FindingsTable>[] = [];
    for (const change of changes) {
      if (change.prior || !change.finding) continue;
      const content = contentOf(change.finding);
      created.push({
        fingerprint: change.fingerprint,
        rule_id: change.finding.ruleId,
        resource_arn: change.finding.resource.arn,
        account_id: change.finding.resource.accountId,
        ...content,
        content_hash: contentHashOf(content),
        state: 'open',
        state_scan: scanId,
        state_at: asOf,
        scan_muted: change.finding.status === 'muted' ? 1 : 0,
        ...muteColumnsOf(change.finding, record.mutes, asOf),
        first_seen_scan: scanId,
        first_seen_at: asOf,
      });
    }
    const perRow = Object.keys(created[0] ?? {}).length || 1;
    for (const chunk of chunksOf(
      created,
      Math.min(1000, Math.floor(backend.maxParameters / perRow)),
    )) {
      const inserted = await db
        .insertInto('findings')
        .values(chunk)
        .returning(['id', 'fingerprint'])
        .execute();
      for (const row of inserted) ids.set(row.fingerprint, row.id);
    }

    // Changed findings: identical changes are written by one statement.
    const patches = new Map<string, { patch: Updateable<FindingsTable>; ids: number[] }>();
    const patch = (id: number, values: Updateable<FindingsTable>): void => {
      const key = JSON.stringify(values);
      const entry = patches.get(key);
      if (entry) entry.ids.push(id);
      else patches.set(key, { patch: values, ids: [id] });
    };
    for (const change of changes) {
      const row = priorRows.get(change.fingerprint);
      if (!row || !change.next) continue;
      const values: Updateable<FindingsTable> = {};
      if (change.next.state !== row.state) {
        values.state = change.next.state;
        values.state_scan = scanId;
        values.state_at = asOf;
      }
      const scanMuted = change.next.muted ? 1 : 0;
      if (scanMuted !== row.scan_muted) values.scan_muted = scanMuted;
      if (change.finding) {
        const mute = muteColumnsOf(change.finding, record.mutes, asOf);
        if (
          mute.mute_reason !== row.mute_reason ||
          mute.mute_until !== row.mute_until ||
          mute.mute_by !== row.mute_by ||
          mute.mute_id !== row.mute_id
        )
          Object.assign(values, mute);
        const content = contentOf(change.finding);
        const hash = contentHashOf(content);
        if (hash !== row.content_hash) Object.assign(values, content, { content_hash: hash });
      }
      if (Object.keys(values).length > 0) patch(row.id, values);
    }
    for (const { patch: values, ids: targets } of patches.values()) {
      for (const chunk of chunksOf(targets, 1000)) {
        await db.updateTable('findings').set(values).where('id', 'in', chunk).execute();
      }
    }

    // Events: every kind but `seen`, which is implied; `unchecked` marks a scan that could not
    // check an open finding.
    const events: Insertable<FindingEventsTable>[] = [];
    for (const change of changes) {
      const findingId = ids.get(change.fingerprint);
      if (findingId === undefined) continue;
      if (change.next === null) {
        events.push({ finding_id: findingId, scan_id: scanId, kind: 'unchecked', detail: null });
        continue;
      }
      for (const kind of change.events) {
        if (kind === 'seen') continue;
        events.push({
          finding_id: findingId,
          scan_id: scanId,
          kind,
          detail: kind === 'muted' ? (change.finding?.mute?.reason ?? null) : null,
        });
      }
    }
    for (const chunk of chunksOf(events, Math.min(5000, Math.floor(backend.maxParameters / 4)))) {
      await db.insertInto('finding_events').values(chunk).execute();
    }
    return scanFromRow(scan);
  });
}
