/**
 * Writing a scan: one transaction that reads the findings' previous state, applies the lifecycle
 * of src/findings/lifecycle.ts, and writes the scan, its scores, the new and changed findings and
 * their events. Its cost follows what changed, not how many findings there are: a finding seen
 * again unchanged costs nothing (its `seen` event is implied, docs/decisions.md).
 */
import type { Insertable, Kysely, Updateable } from 'kysely';
import { DETECTIONS } from '../detections/registry.js';
import { muteFor } from '../findings/config.js';
import type { Finding } from '../findings/findings.js';
import { diffScan, type PriorFinding } from '../findings/lifecycle.js';
import { pairWeight } from '../findings/score.js';
import type { Backend } from './backend.js';
import { StoreError } from './errors.js';
import { checkSchemaVersion } from './migrations.js';
import {
  chunksOf,
  contentHashOf,
  contentOf,
  normalizeTime,
  scanFromRow,
  type FindingContent,
} from './rows.js';
import type { Database, FindingEventsTable, FindingsTable } from './schema.js';
import type { AppliedMute, ScanRecord, ScanSummary } from './types.js';

/** What the store knows of a finding before a scan, with what writing it needs. */
interface StoredPrior extends PriorFinding {
  readonly id: number;
  readonly contentHash: string;
  readonly scanMuted: number;
  readonly scoreWeight: number;
  mute: MuteColumns;
}

interface MuteColumns {
  is_muted: number;
  mute_reason: string | null;
  mute_until: string | null;
  mute_by: string | null;
  mute_id: number | null;
}

const NOT_MUTED: MuteColumns = {
  is_muted: 0,
  mute_reason: null,
  mute_until: null,
  mute_by: null,
  mute_id: null,
};

const MUTE_COLUMNS = ['is_muted', 'mute_reason', 'mute_until', 'mute_by', 'mute_id'] as const;

const RULES = new Map(DETECTIONS.map((d) => [d.id, d]));

/**
 * The weight of each reported finding's (rule, resource) pair in this scan's score, as
 * src/findings/score.ts counts it: the rule's severity weight, 0 when the pair is not scored (data
 * the rule requires is missing for the account, or the rule failed). The live score reads it.
 */
function scoreWeights(record: ScanRecord): (finding: Finding) => number {
  const failed = new Set(record.coverage.failedRules);
  const cache = new Map<string, number>();
  return (finding) => {
    const key = `${finding.ruleId}\n${finding.resource.accountId}`;
    let weight = cache.get(key);
    if (weight === undefined) {
      const rule = RULES.get(finding.ruleId);
      weight =
        !rule || failed.has(finding.ruleId)
          ? 0
          : (pairWeight(rule, finding.resource.accountId, record.gaps) ?? 0);
      cache.set(key, weight);
    }
    return weight;
  };
}

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
    is_muted: 1,
    mute_reason: finding.mute.reason,
    mute_until: finding.mute.until ? normalizeTime(finding.mute.until) : null,
    mute_by: rule?.by ?? null,
    mute_id: rule?.id ?? null,
  };
}

const sameMute = (a: MuteColumns, b: MuteColumns): boolean =>
  a.is_muted === b.is_muted &&
  a.mute_reason === b.mute_reason &&
  a.mute_until === b.mute_until &&
  a.mute_by === b.mute_by &&
  a.mute_id === b.mute_id;

/**
 * The previous state of the findings a scan concerns: every open one (read from one covering
 * index: this runs at every scan, for every open finding) and the resolved ones it reports again.
 * The rule and account of an open finding come from the scan when it reports it (a fingerprint
 * names them), else from the store; mute columns are read only for findings with a mute.
 */
async function readPrior(
  db: Kysely<Database>,
  findings: readonly Finding[],
  batch: number,
): Promise<Map<string, StoredPrior>> {
  const current = new Map<string, Finding>();
  for (const finding of findings) current.set(finding.fingerprint, finding);
  const open = await db
    .selectFrom('findings')
    .select(['fingerprint', 'id', 'scan_muted', 'is_muted', 'content_hash', 'score_weight'])
    .where('state', '=', 'open')
    .execute();
  const priors = new Map<string, StoredPrior>();
  const byId = new Map<number, StoredPrior & { ruleId: string; accountId: string }>();
  const absent: number[] = [];
  const withMute: number[] = [];
  for (const row of open) {
    const finding = current.get(row.fingerprint);
    const prior = {
      state: 'open' as const,
      muted: row.scan_muted === 1,
      ruleId: finding ? finding.ruleId : '',
      accountId: finding ? finding.resource.accountId : '',
      id: row.id,
      contentHash: row.content_hash,
      scanMuted: row.scan_muted,
      scoreWeight: row.score_weight,
      mute: NOT_MUTED,
    };
    priors.set(row.fingerprint, prior);
    if (!finding) absent.push(row.id);
    if (!finding || row.is_muted === 1) byId.set(row.id, prior);
    if (row.is_muted === 1) withMute.push(row.id);
  }
  for (const chunk of chunksOf(absent, batch)) {
    const described = await db
      .selectFrom('findings')
      .select(['id', 'rule_id', 'account_id'])
      .where('id', 'in', chunk)
      .execute();
    for (const row of described) {
      const prior = byId.get(row.id)!;
      prior.ruleId = row.rule_id;
      prior.accountId = row.account_id;
    }
  }
  for (const chunk of chunksOf(withMute, batch)) {
    const muted = await db
      .selectFrom('findings')
      .select(['id', ...MUTE_COLUMNS])
      .where('id', 'in', chunk)
      .execute();
    for (const { id, ...mute } of muted) byId.get(id)!.mute = mute;
  }
  const reported = findings.filter((f) => !priors.has(f.fingerprint)).map((f) => f.fingerprint);
  for (const chunk of chunksOf(reported, batch)) {
    const resolved = await db
      .selectFrom('findings')
      .select([
        'fingerprint',
        'id',
        'state',
        'scan_muted',
        'content_hash',
        'score_weight',
        'rule_id',
        'account_id',
        ...MUTE_COLUMNS,
      ])
      .where('fingerprint', 'in', chunk)
      .execute();
    for (const row of resolved) {
      priors.set(row.fingerprint, {
        state: row.state,
        muted: row.scan_muted === 1,
        ruleId: row.rule_id,
        accountId: row.account_id,
        id: row.id,
        contentHash: row.content_hash,
        scanMuted: row.scan_muted,
        scoreWeight: row.score_weight,
        mute: {
          is_muted: row.is_muted,
          mute_reason: row.mute_reason,
          mute_until: row.mute_until,
          mute_by: row.mute_by,
          mute_id: row.mute_id,
        },
      });
    }
  }
  return priors;
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

    const prior = await readPrior(db, record.findings, 1000);
    const weightOf = scoreWeights(record);
    const changes = diffScan(prior, record.findings, record.coverage);
    const counts = { opened: 0, reopened: 0, resolved: 0, unchecked: 0 };
    for (const change of changes) {
      if (change.next === null) counts.unchecked += 1;
      else if (change.events[0] !== 'seen') {
        const kind = change.events[0];
        if (kind === 'opened' || kind === 'reopened' || kind === 'resolved') counts[kind] += 1;
      }
    }
    let muted = 0;
    for (const finding of record.findings) if (finding.status === 'muted') muted += 1;

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
        opened: counts.opened,
        reopened: counts.reopened,
        resolved: counts.resolved,
        unchecked: counts.unchecked,
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

    // New findings, then their content.
    const ids = new Map<string, number>();
    const created: { row: Insertable<FindingsTable>; detail: FindingContent['detail'] }[] = [];
    for (const change of changes) {
      if (change.prior || !change.finding) continue;
      const content = contentOf(change.finding);
      created.push({
        row: {
          fingerprint: change.fingerprint,
          rule_id: change.finding.ruleId,
          resource_arn: change.finding.resource.arn,
          account_id: change.finding.resource.accountId,
          ...content.listed,
          content_hash: content.hash,
          state: 'open',
          state_scan: scanId,
          state_at: asOf,
          scan_muted: change.finding.status === 'muted' ? 1 : 0,
          score_weight: weightOf(change.finding),
          ...muteColumnsOf(change.finding, record.mutes, asOf),
          first_seen_scan: scanId,
          first_seen_at: asOf,
        },
        detail: content.detail,
      });
    }
    const perRow = Object.keys(created[0]?.row ?? {}).length || 1;
    for (const chunk of chunksOf(
      created,
      Math.min(1000, Math.floor(backend.maxParameters / perRow)),
    )) {
      const inserted = await db
        .insertInto('findings')
        .values(chunk.map((c) => c.row))
        .returning(['id', 'fingerprint'])
        .execute();
      for (const row of inserted) ids.set(row.fingerprint, row.id);
      await db
        .insertInto('finding_content')
        .values(chunk.map((c) => ({ finding_id: ids.get(c.row.fingerprint)!, ...c.detail })))
        .execute();
    }

    // Changed findings: identical changes are written by one statement.
    const patches = new Map<string, { patch: Updateable<FindingsTable>; ids: number[] }>();
    const patch = (id: number, values: Updateable<FindingsTable>): void => {
      const key = JSON.stringify(values);
      const entry = patches.get(key);
      if (entry) entry.ids.push(id);
      else patches.set(key, { patch: values, ids: [id] });
    };
    const details: { id: number; detail: FindingContent['detail'] }[] = [];
    for (const change of changes) {
      const before = change.prior;
      if (!before || !change.next) continue;
      const values: Updateable<FindingsTable> = {};
      let changed = false;
      if (change.next.state !== before.state) {
        values.state = change.next.state;
        values.state_scan = scanId;
        values.state_at = asOf;
        changed = true;
      }
      const scanMuted = change.next.muted ? 1 : 0;
      if (scanMuted !== before.scanMuted) {
        values.scan_muted = scanMuted;
        changed = true;
      }
      if (change.finding) {
        const mute = muteColumnsOf(change.finding, record.mutes, asOf);
        if (!sameMute(mute, before.mute)) {
          Object.assign(values, mute);
          changed = true;
        }
        const weight = weightOf(change.finding);
        if (weight !== before.scoreWeight) {
          values.score_weight = weight;
          changed = true;
        }
        const hash = contentHashOf(change.finding);
        if (hash !== before.contentHash) {
          const content = contentOf(change.finding);
          Object.assign(values, content.listed, { content_hash: content.hash });
          details.push({ id: before.id, detail: content.detail });
          changed = true;
        }
      }
      if (changed) patch(before.id, values);
    }
    for (const { id, detail } of details) {
      await db.updateTable('finding_content').set(detail).where('finding_id', '=', id).execute();
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
      if (change.events.length === 1 && change.events[0] === 'seen') continue;
      const findingId = change.prior ? change.prior.id : ids.get(change.fingerprint);
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
