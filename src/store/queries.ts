/**
 * What the UI and the CLI ask the store: findings with filters (keyset pagination after severity
 * and id), counts grouped by risk, resource, account or severity, a resource's timeline, a
 * finding's history, score history and the scans. Each runs on one consistent snapshot.
 */
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
} from 'kysely';
import { DETECTIONS } from '../detections/registry.js';
import type { Backend } from './backend.js';
import { StoreError } from './errors.js';
import { SEVERITY_ORDER } from '../findings/findings.js';
import {
  chunksOf,
  findingFromRow,
  scanFromRow,
  severityOfRank,
  severityRank,
  statusOf,
} from './rows.js';
import type { Database, FindingContentTable } from './schema.js';
import { compareKinds, deriveEvents, type StoredEvent } from './timeline.js';
import type {
  FacetCounts,
  FindingFilter,
  FindingHistory,
  GroupBy,
  GroupCount,
  Page,
  PageRequest,
  ScanSummary,
  ScorePoint,
  StoredFinding,
  TimelineEvent,
} from './types.js';

type Eb = ExpressionBuilder<Database, 'findings'>;

const MAX_LIMIT = 1000;

function limitOf(page: PageRequest): number {
  const limit = page.limit ?? 100;
  return Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit)));
}

/** Cursors are opaque to callers: base64url of a small JSON array. */
function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor<T extends readonly unknown[]>(
  cursor: string,
  check: (values: unknown[]) => values is unknown[] & T,
): T {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = null; // reported below
  }
  if (!Array.isArray(values) || !check(values))
    throw new StoreError(
      `invalid cursor ${JSON.stringify(cursor.slice(0, 40))}: pass back a nextCursor`,
    );
  return values;
}

/**
 * Detection ids for ids or catalog ids (`TRU-01`): one indexed column to match. Ids that are not
 * in the catalog (a rule since retired) are kept as they are.
 */
function ruleIdsOf(ids: readonly string[]): string[] {
  return [
    ...new Set(
      ids.flatMap((id) => {
        const byAnchor = DETECTIONS.filter((d) => d.anchor === id).map((d) => d.id);
        return byAnchor.length > 0 ? byAnchor : [id];
      }),
    ),
  ];
}

/** Rule titles by detection id. */
const TITLES = new Map(DETECTIONS.map((d) => [d.id, d.title]));

/** `%text%` for LIKE with `!` as the escape character. */
function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** The WHERE clause of a filter; status is judged at `now` (mutes expire). */
function filterOf(
  eb: Eb,
  filter: FindingFilter,
  now: string,
  backend: Backend,
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.status && filter.status.length > 0) {
    const inForce = eb.and([
      eb('is_muted', '=', 1),
      eb.or([eb('mute_until', 'is', null), eb('mute_until', '>', now)]),
    ]);
    const notInForce = eb.or([
      eb('is_muted', '=', 0),
      eb.and([eb('mute_until', 'is not', null), eb('mute_until', '<=', now)]),
    ]);
    conditions.push(
      eb.or(
        [...new Set(filter.status)].map((status) =>
          status === 'resolved'
            ? eb('state', '=', 'resolved')
            : eb.and([eb('state', '=', 'open'), status === 'muted' ? inForce : notInForce]),
        ),
      ),
    );
  } else {
    // Every state, named: each index starts with the state.
    conditions.push(eb('state', 'in', ['open', 'resolved']));
  }
  if (filter.severity && filter.severity.length > 0)
    conditions.push(eb('severity_rank', 'in', filter.severity.map(severityRank)));
  if (filter.accountId && filter.accountId.length > 0)
    conditions.push(eb('account_id', 'in', [...filter.accountId]));
  if (filter.resourceType && filter.resourceType.length > 0)
    conditions.push(eb('resource_type', 'in', [...filter.resourceType]));
  if (filter.ruleId && filter.ruleId.length > 0)
    conditions.push(eb('rule_id', 'in', ruleIdsOf(filter.ruleId)));
  if (filter.resourceArn !== undefined)
    conditions.push(eb('resource_arn', '=', filter.resourceArn));
  if (filter.search) {
    const pattern = containsPattern(filter.search);
    const like = sql.raw(backend.caseInsensitiveLike);
    conditions.push(
      eb.or(
        (['resource_arn', 'resource_name', 'title'] as const).map(
          (column) => sql<SqlBool>`${sql.ref(column)} ${like} ${pattern} escape '!'`,
        ),
      ),
    );
  }
  return eb.and(conditions);
}

/** Findings matching a filter, by severity (critical first) then id. */
export async function listFindings(
  backend: Backend,
  filter: FindingFilter,
  page: PageRequest,
  now: string,
): Promise<Page<StoredFinding>> {
  const limit = limitOf(page);
  const after = page.cursor
    ? decodeCursor<[number, number]>(
        page.cursor,
        (v): v is [number, number] =>
          v.length === 2 && Number.isInteger(v[0]) && Number.isInteger(v[1]),
      )
    : null;
  return backend.read(async (db) => {
    const rows = await db
      .selectFrom('findings')
      .selectAll()
      .where((eb) => filterOf(eb, filter, now, backend))
      .$if(after !== null, (qb) =>
        qb.where((eb) =>
          eb(eb.refTuple('severity_rank', 'id'), '>', eb.tuple(after![0], after![1])),
        ),
      )
      .orderBy('severity_rank')
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    const shown = rows.slice(0, limit);
    const contents = await contentsOf(
      db,
      shown.map((row) => row.id),
    );
    const items = shown.map((row) => findingFromRow(row, contents.get(row.id)!, now));
    const last = rows[limit - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor([last.severity_rank, last.id]) : null,
    };
  });
}

/** The finding_content rows of some findings, by finding id. */
async function contentsOf(db: Kysely<Database>, ids: readonly number[]) {
  const contents = new Map<number, Selectable<FindingContentTable>>();
  for (const chunk of chunksOf(ids, 1000)) {
    const rows = await db
      .selectFrom('finding_content')
      .selectAll()
      .where('finding_id', 'in', chunk)
      .execute();
    for (const row of rows) contents.set(row.finding_id, row);
  }
  return contents;
}

const GROUP_COLUMN = {
  risk: 'rule_id',
  resource: 'resource_arn',
  account: 'account_id',
  severity: 'severity_rank',
  resourceType: 'resource_type',
} as const;

/** What a finding's status and facets are read from. */
const FACET_COLUMNS = [
  'state',
  'is_muted',
  'mute_until',
  'severity_rank',
  'account_id',
  'resource_type',
  'rule_id',
] as const;

/**
 * The facet counts of a filter: each facet (status, severity, account, resource type, rule) counted
 * under every condition but its own, so a facet shows what choosing another of its values gives.
 * Without free text, one grouped count per facet, each read from an index. With free text, whose
 * LIKE reads every row, one query groups the rows matching the text by the five dimensions and the
 * facets are summed from those groups (measured in docs/decisions.md: 862 → 156 ms at 100,000).
 */
export async function facetFindings(
  backend: Backend,
  filter: FindingFilter,
  now: string,
): Promise<FacetCounts> {
  if (!filter.search) return facetsByIndex(backend, filter, now);
  const base: FindingFilter = {
    ...(filter.resourceArn !== undefined ? { resourceArn: filter.resourceArn } : {}),
    ...(filter.search ? { search: filter.search } : {}),
  };
  const rows = await backend.read((db) =>
    db
      .selectFrom('findings')
      .select((eb) => [...FACET_COLUMNS, eb.fn.countAll().as('count')])
      .where((eb) => filterOf(eb, base, now, backend))
      .groupBy([...FACET_COLUMNS])
      .execute(),
  );
  const wanted = {
    status: filter.status?.length ? new Set<string>(filter.status) : null,
    severity: filter.severity?.length ? new Set<string>(filter.severity) : null,
    account: filter.accountId?.length ? new Set(filter.accountId) : null,
    resourceType: filter.resourceType?.length ? new Set(filter.resourceType) : null,
    rule: filter.ruleId?.length ? new Set(ruleIdsOf(filter.ruleId)) : null,
  };
  const keys = Object.keys(wanted) as (keyof typeof wanted)[];
  const counts = Object.fromEntries(keys.map((k) => [k, new Map<string, number>()])) as Record<
    keyof typeof wanted,
    Map<string, number>
  >;
  let total = 0;
  for (const row of rows) {
    const values: Record<keyof typeof wanted, string> = {
      status: statusOf(row, now),
      severity: severityOfRank(Number(row.severity_rank)),
      account: row.account_id,
      resourceType: row.resource_type,
      rule: row.rule_id,
    };
    const failing = keys.filter((k) => wanted[k] !== null && !wanted[k]!.has(values[k]));
    const count = Number(row.count);
    if (failing.length === 0) total += count;
    // A facet counts the rows that pass every other facet's filter.
    for (const k of keys)
      if (failing.length === 0 || (failing.length === 1 && failing[0] === k))
        counts[k].set(values[k], (counts[k].get(values[k]) ?? 0) + count);
  }
  const sorted = (map: Map<string, number>, order?: readonly string[]) =>
    [...map]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) =>
        order
          ? order.indexOf(a.value) - order.indexOf(b.value)
          : b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
      )
      .slice(0, MAX_LIMIT);
  return {
    total,
    status: sorted(counts.status, ['open', 'muted', 'resolved']) as FacetCounts['status'],
    severity: sorted(counts.severity, SEVERITY_ORDER) as FacetCounts['severity'],
    account: sorted(counts.account),
    resourceType: sorted(counts.resourceType),
    rule: sorted(counts.rule),
  };
}

/** Facet counts as one indexed grouped count per facet (no free text). */
async function facetsByIndex(
  backend: Backend,
  filter: FindingFilter,
  now: string,
): Promise<FacetCounts> {
  const without = (key: keyof FindingFilter): FindingFilter => {
    const rest = { ...filter };
    delete rest[key];
    return rest;
  };
  const grouped = async (key: keyof FindingFilter, groupBy: GroupBy) =>
    (await countFindings(backend, without(key), groupBy, { limit: MAX_LIMIT }, now)).items.map(
      (g) => ({ value: g.key, count: g.count }),
    );
  const countOf = async (f: FindingFilter) =>
    (await countFindings(backend, f, 'none', {}, now)).items[0]!.count;
  const [total, status, severity, account, resourceType, rule] = await Promise.all([
    countOf(filter),
    Promise.all(
      (['open', 'muted', 'resolved'] as const).map(async (value) => ({
        value,
        count: await countOf({ ...without('status'), status: [value] }),
      })),
    ),
    grouped('severity', 'severity'),
    grouped('accountId', 'account'),
    grouped('resourceType', 'resourceType'),
    grouped('ruleId', 'risk'),
  ]);
  const bySeverity = new Map(severity.map((f) => [f.value, f.count]));
  return {
    total,
    status: status.filter((f) => f.count > 0),
    severity: SEVERITY_ORDER.filter((value) => bySeverity.has(value)).map((value) => ({
      value,
      count: bySeverity.get(value)!,
    })),
    account,
    resourceType,
    rule,
  };
}

/** Counts of the findings matching a filter, grouped, largest group first (then by key). */
export async function countFindings(
  backend: Backend,
  filter: FindingFilter,
  groupBy: GroupBy,
  page: PageRequest,
  now: string,
): Promise<Page<GroupCount>> {
  const limit = limitOf(page);
  return backend.read(async (db) => {
    if (groupBy === 'none') {
      const row = await db
        .selectFrom('findings')
        .select((eb) => [eb.fn.countAll().as('count'), eb.fn.min('severity_rank').as('rank')])
        .where((eb) => filterOf(eb, filter, now, backend))
        .executeTakeFirstOrThrow();
      return {
        items: [
          {
            key: 'all',
            count: Number(row.count),
            severity: severityOfRank(row.rank === null ? 4 : Number(row.rank)),
            label: null,
            resourceType: null,
            accountId: null,
          },
        ],
        nextCursor: null,
      };
    }
    const column = GROUP_COLUMN[groupBy];
    const after = page.cursor
      ? decodeCursor<[number, string | number]>(
          page.cursor,
          (v): v is [number, string | number] =>
            v.length === 2 &&
            Number.isInteger(v[0]) &&
            (typeof v[1] === 'string' || Number.isInteger(v[1])),
        )
      : null;
    const rows = await db
      .selectFrom('findings')
      .select((eb) => [
        eb.ref(column).as('key'),
        eb.fn.countAll().as('count'),
        eb.fn.min('severity_rank').as('rank'),
      ])
      .where((eb) => filterOf(eb, filter, now, backend))
      .groupBy(column)
      .$if(after !== null, (qb) =>
        qb.having((eb) =>
          eb.or([
            eb(eb.fn.countAll(), '<', after![0]),
            eb.and([eb(eb.fn.countAll(), '=', after![0]), eb(column, '>', after![1])]),
          ]),
        ),
      )
      .orderBy((eb) => eb.fn.countAll(), 'desc')
      .orderBy(column)
      .limit(limit + 1)
      .execute();
    const keyOf = (key: unknown): string =>
      groupBy === 'severity' ? severityOfRank(Number(key)) : String(key);
    const shown = rows.slice(0, limit).map((row) => String(row.key));
    // Labels of the groups shown: the rule's title (from the catalog; from one of its findings for
    // a rule since retired), the resource's name, type and account (from its findings: a few each).
    const labels = new Map<
      string,
      { label: string | null; type: string | null; account: string | null }
    >();
    if (groupBy === 'risk') {
      for (const key of shown) {
        const title =
          TITLES.get(key) ??
          (
            await db
              .selectFrom('findings')
              .select('title')
              .where('state', 'in', ['open', 'resolved'])
              .where('rule_id', '=', key)
              .limit(1)
              .executeTakeFirst()
          )?.title ??
          null;
        labels.set(key, { label: title, type: null, account: null });
      }
    }
    if (groupBy === 'resource') {
      for (const keys of chunksOf(shown, 1000)) {
        const described = await db
          .selectFrom('findings')
          .select((eb) => [
            'resource_arn',
            eb.fn.max('resource_name').as('label'),
            eb.fn.max('resource_type').as('type'),
            eb.fn.max('account_id').as('account'),
          ])
          .where('state', 'in', ['open', 'resolved'])
          .where('resource_arn', 'in', keys)
          .groupBy('resource_arn')
          .execute();
        for (const row of described)
          labels.set(row.resource_arn, { label: row.label, type: row.type, account: row.account });
      }
    }
    const items = rows.slice(0, limit).map((row): GroupCount => {
      const label = labels.get(String(row.key));
      const key = keyOf(row.key);
      return {
        key,
        count: Number(row.count),
        severity: severityOfRank(Number(row.rank)),
        label: label?.label ?? null,
        resourceType: groupBy === 'resource' ? (label?.type ?? null) : null,
        accountId:
          groupBy === 'resource' ? (label?.account ?? null) : groupBy === 'account' ? key : null,
      };
    });
    const lastRow = rows[limit - 1] as { key: string | number; count: unknown } | undefined;
    return {
      items,
      nextCursor:
        rows.length > limit && lastRow ? encodeCursor([Number(lastRow.count), lastRow.key]) : null,
    };
  });
}

interface EventSubject {
  id: number;
  fingerprint: string;
  rule_id: string;
  title: string;
  severity: string;
  resource_arn: string;
  first_seen_scan: number;
}

/** The events of some findings, derived and merged in time order. */
async function eventsOf(
  db: Kysely<Database>,
  subjects: readonly EventSubject[],
): Promise<TimelineEvent[]> {
  if (subjects.length === 0) return [];
  const first = Math.min(...subjects.map((s) => s.first_seen_scan));
  const scans = await db
    .selectFrom('scans')
    .select(['id', 'as_of'])
    .where('id', '>=', first)
    .orderBy('id')
    .execute();
  const at = new Map(scans.map((s) => [s.id, s.as_of]));
  const stored = new Map<number, StoredEvent[]>();
  for (const ids of chunksOf(
    subjects.map((s) => s.id),
    1000,
  )) {
    const rows = await db
      .selectFrom('finding_events')
      .select(['finding_id', 'scan_id', 'kind', 'detail'])
      .where('finding_id', 'in', ids)
      .execute();
    for (const row of rows) {
      const list = stored.get(row.finding_id) ?? [];
      list.push({ scanId: row.scan_id, kind: row.kind, detail: row.detail });
      stored.set(row.finding_id, list);
    }
  }
  const events: TimelineEvent[] = [];
  for (const subject of subjects) {
    const scanIds = scans.filter((s) => s.id >= subject.first_seen_scan).map((s) => s.id);
    for (const event of deriveEvents(stored.get(subject.id) ?? [], scanIds)) {
      events.push({
        scanId: event.scanId,
        at: at.get(event.scanId) ?? '',
        kind: event.kind,
        fingerprint: subject.fingerprint,
        ruleId: subject.rule_id,
        title: subject.title,
        severity: subject.severity as TimelineEvent['severity'],
        resourceArn: subject.resource_arn,
        detail: event.detail,
      });
    }
  }
  return events.sort(
    (a, b) =>
      a.scanId - b.scanId ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0) ||
      compareKinds(a.kind, b.kind),
  );
}

const SUBJECT_COLUMNS = [
  'id',
  'fingerprint',
  'rule_id',
  'title',
  'severity',
  'resource_arn',
  'first_seen_scan',
] as const;

/** Every event of every finding on a resource, oldest first. */
export async function resourceTimeline(backend: Backend, arn: string): Promise<TimelineEvent[]> {
  return backend.read(async (db) => {
    const subjects = await db
      .selectFrom('findings')
      .select(SUBJECT_COLUMNS)
      // Every state, named: the resource index starts with the state.
      .where('state', 'in', ['open', 'resolved'])
      .where('resource_arn', '=', arn)
      .execute();
    return eventsOf(db, subjects);
  });
}

/** A finding with its events; null when the store has no such fingerprint. */
export async function findingHistory(
  backend: Backend,
  fingerprint: string,
  now: string,
): Promise<FindingHistory | null> {
  return backend.read(async (db) => {
    const row = await db
      .selectFrom('findings')
      .selectAll()
      .where('fingerprint', '=', fingerprint)
      .executeTakeFirst();
    if (!row) return null;
    const content = (await contentsOf(db, [row.id])).get(row.id)!;
    const events = await eventsOf(db, [row]);
    const seen = events.filter(
      (e) => e.kind === 'opened' || e.kind === 'reopened' || e.kind === 'seen',
    );
    const last = seen.at(-1) ?? events[0]!;
    return {
      finding: findingFromRow(row, content, now),
      events,
      lastSeen: { scanId: last.scanId, at: last.at },
    };
  });
}

/** Scores of the latest scans, oldest first; of one account when given. */
export async function scoreHistory(
  backend: Backend,
  options: { accountId?: string; limit?: number },
): Promise<ScorePoint[]> {
  const limit = Math.max(1, Math.min(10_000, Math.floor(options.limit ?? 100)));
  return backend.read(async (db) => {
    if (options.accountId !== undefined) {
      const rows = await db
        .selectFrom('scan_scores')
        .innerJoin('scans', 'scans.id', 'scan_scores.scan_id')
        .select([
          'scans.id as scanId',
          'scans.as_of as at',
          'scan_scores.value as value',
          'scan_scores.earned as earned',
          'scan_scores.possible as possible',
        ])
        .where('scan_scores.account_id', '=', options.accountId)
        .orderBy('scan_scores.scan_id', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse();
    }
    const rows = await db
      .selectFrom('scans')
      .select([
        'id as scanId',
        'as_of as at',
        'score_value as value',
        'score_earned as earned',
        'score_possible as possible',
      ])
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse();
  });
}

/** Scans, newest first. */
export async function listScans(backend: Backend, page: PageRequest): Promise<Page<ScanSummary>> {
  const limit = limitOf(page);
  const before = page.cursor
    ? decodeCursor<[number]>(
        page.cursor,
        (v): v is [number] => v.length === 1 && Number.isInteger(v[0]),
      )
    : null;
  return backend.read(async (db) => {
    const rows = await db
      .selectFrom('scans')
      .selectAll()
      .$if(before !== null, (qb) => qb.where('id', '<', before![0]))
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(scanFromRow);
    const last = items[limit - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
  });
}
