/**
 * Commands that read the store: `iamsight findings` (filtered, grouped, counted), `iamsight
 * history ARN|FINGERPRINT` (a resource's timeline or a finding's life) and `iamsight scans`.
 */
import { Command, Option } from 'commander';
import type { Severity } from '../../detections/types.js';
import { findingsToCsv } from '../../findings/exports/index.js';
import { FINDING_EVENT_KINDS } from '../../findings/lifecycle.js';
import type {
  FindingFilter,
  FindingStatus,
  GroupBy,
  Store,
  StoredFinding,
  TimelineEvent,
} from '../../store/index.js';
import { renderFindingGroups } from '../findings-report.js';
import { writeFileAtomically } from '../output.js';
import { nowIso, withStore, withStoreOption } from '../store-options.js';
import { renderTable, sanitizeForTerminal } from '../table.js';
import { UsageError, parseCount, parseList } from '../usage.js';

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const STATUSES = ['open', 'muted', 'resolved', 'all'] as const;
const FINGERPRINT = /^[0-9a-f]{32}$/;
const GROUP_TITLES: Record<GroupBy, string> = {
  risk: 'Rule',
  resource: 'Resource',
  account: 'Account',
  severity: 'Severity',
  resourceType: 'Resource type',
  none: 'All',
};
const clean = sanitizeForTerminal;

interface FindingsOptions {
  status: string;
  severity?: string;
  account?: string;
  rule?: string;
  type?: string;
  resource?: string;
  search?: string;
  groupBy: GroupBy;
  counts: boolean;
  format: 'table' | 'json' | 'csv';
  limit?: string;
  cursor?: string;
  out?: string;
  store?: string;
}

function filterOf(options: FindingsOptions): FindingFilter {
  const statuses = parseList(options.status, '--status', STATUSES) ?? ['open'];
  const accounts = parseList(options.account, '--account');
  for (const account of accounts ?? []) {
    if (!/^\d{12}$/.test(account))
      throw new UsageError(
        `--account: expected 12-digit account ids, got ${JSON.stringify(account)}`,
      );
  }
  const severity = parseList(options.severity, '--severity', SEVERITIES);
  const ruleId = parseList(options.rule, '--rule');
  const resourceType = parseList(options.type, '--type');
  return {
    ...(statuses.includes('all') ? {} : { status: statuses as FindingStatus[] }),
    ...(severity ? { severity } : {}),
    ...(accounts ? { accountId: accounts } : {}),
    ...(ruleId ? { ruleId } : {}),
    ...(resourceType ? { resourceType } : {}),
    ...(options.resource !== undefined ? { resourceArn: options.resource } : {}),
    ...(options.search !== undefined ? { search: options.search } : {}),
  };
}

async function emit(text: string, out: string | undefined): Promise<void> {
  if (out) await writeFileAtomically(out, text);
  else process.stdout.write(text);
}

/** Reads pages until `limit` findings (or the end); returns them and where to continue. */
async function collectFindings(
  store: Store,
  filter: FindingFilter,
  limit: number,
  cursor: string | undefined,
  now: string,
): Promise<{ items: StoredFinding[]; nextCursor: string | null }> {
  const items: StoredFinding[] = [];
  let next: string | null = cursor ?? null;
  do {
    const page = await store.listFindings(
      filter,
      { limit: Math.min(1000, limit - items.length), cursor: next },
      now,
    );
    items.push(...page.items);
    next = page.nextCursor;
  } while (next && items.length < limit);
  return { items, nextCursor: next };
}

async function latestScanLine(store: Store): Promise<string> {
  const latest = (await store.listScans({ limit: 1 })).items[0];
  if (!latest) return `No scan recorded in ${store.location} yet (iamsight scan …).`;
  return (
    `Latest scan #${latest.id} as of ${latest.asOf} (${latest.status}): identity health score ` +
    `${latest.score.value.toFixed(1)}; store ${store.location}`
  );
}

async function runFindings(options: FindingsOptions): Promise<void> {
  const filter = filterOf(options);
  const now = nowIso();
  if (options.cursor !== undefined && options.format === 'table')
    throw new UsageError('--cursor: continues a --format json or csv listing');
  await withStore(options.store, async (store) => {
    if (options.counts) {
      const page = await store.countFindings(
        filter,
        options.groupBy,
        {
          limit: options.limit ? parseCount(options.limit, '--limit') : 1000,
          cursor: options.cursor ?? null,
        },
        now,
      );
      if (options.format === 'json') {
        await emit(
          JSON.stringify(
            {
              schema: 'iamsight.finding-counts/v1',
              generatedAt: now,
              groupBy: options.groupBy,
              filter,
              groups: page.items,
              nextCursor: page.nextCursor,
            },
            null,
            2,
          ) + '\n',
          options.out,
        );
        return;
      }
      if (options.format === 'csv') throw new UsageError('--counts: use --format table or json');
      const text =
        (await latestScanLine(store)) +
        '\n\n' +
        renderTable(
          [GROUP_TITLES[options.groupBy], 'Name', 'Worst', 'Findings'],
          [...page.items]
            .sort((a, b) =>
              options.groupBy === 'severity'
                ? SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)
                : 0,
            )
            .map((g) => [clean(g.key, 90), clean(g.label ?? '', 60), g.severity, g.count]),
        ) +
        '\n' +
        (page.nextCursor ? `… more groups: --format json gives a cursor\n` : '');
      await emit(text, options.out);
      return;
    }
    if (
      options.groupBy === 'account' ||
      options.groupBy === 'severity' ||
      options.groupBy === 'resourceType'
    )
      throw new UsageError(`--group-by ${options.groupBy}: counts only (add --counts)`);
    const limit = options.limit
      ? parseCount(options.limit, '--limit')
      : options.format === 'table'
        ? 100
        : Number.POSITIVE_INFINITY;
    const { items, nextCursor } = await collectFindings(store, filter, limit, options.cursor, now);
    if (options.format === 'json') {
      await emit(
        JSON.stringify(
          { schema: 'iamsight.findings/v1', generatedAt: now, filter, findings: items, nextCursor },
          null,
          2,
        ) + '\n',
        options.out,
      );
      return;
    }
    if (options.format === 'csv') {
      await emit(findingsToCsv(items), options.out);
      return;
    }
    const total = (await store.countFindings(filter, 'none', {}, now)).items[0]?.count ?? 0;
    const statuses = filter.status ? filter.status.join(', ') : 'all';
    const lines = [
      await latestScanLine(store),
      `Findings (${statuses}): ${total}${items.length < total ? `, the first ${items.length} shown` : ''}`,
      '',
    ];
    let text = lines.join('\n') + '\n';
    if (items.length > 0)
      text += renderFindingGroups(items, options.groupBy, { fingerprints: true });
    if (items.length < total)
      text += `… ${total - items.length} more: --limit N, or --format json|csv for all\n`;
    await emit(text, options.out);
  });
}

/** `iamsight findings`: the store's findings, filtered, grouped or counted. */
export function findingsCommand(): Command {
  return withStoreOption(
    new Command('findings').description(
      'List the findings recorded in the store: open by default, filtered, grouped or counted',
    ),
  )
    .option('--status <list>', 'open, muted, resolved or all (comma-separated)', 'open')
    .option('--severity <list>', 'critical, high, medium, low, info (comma-separated)')
    .option('--account <ids>', 'account ids (comma-separated)')
    .option('--rule <ids>', 'detection ids or catalog ids such as TRU-01 (comma-separated)')
    .option('--type <types>', 'resource types such as AWS::IAM::Role (comma-separated)')
    .option('--resource <arn>', 'one resource')
    .option('--search <text>', 'text in the resource ARN or name, or in the title')
    .addOption(
      new Option('--group-by <grouping>', 'group the table (or the --counts)')
        .choices(['risk', 'resource', 'account', 'severity', 'none'])
        .default('risk'),
    )
    .option('--counts', 'count findings per group instead of listing them', false)
    .addOption(
      new Option('--format <format>', 'table, json (iamsight.findings/v1) or csv')
        .choices(['table', 'json', 'csv'])
        .default('table'),
    )
    .option('--limit <n>', 'at most this many findings (table: 100; json, csv: all)')
    .option('--cursor <cursor>', 'continue a json listing after its nextCursor')
    .option('--out <file>', 'write to a file (atomically) instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  iamsight findings
  iamsight findings --severity critical,high --account 100000000001 --group-by resource
  iamsight findings --status muted,resolved --format json
  iamsight findings --counts --group-by account`,
    )
    .action(async (options: FindingsOptions) => runFindings(options));
}

/** A row of a rendered timeline: one event, or a run of `seen` events of one finding. */
interface TimelineRow {
  readonly first: TimelineEvent;
  readonly last: TimelineEvent;
  readonly count: number;
}

/** Folds each finding's consecutive `seen` events into one row; rows in time order. */
function foldSeen(events: readonly TimelineEvent[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  const open = new Map<string, { first: TimelineEvent; last: TimelineEvent; count: number }>();
  for (const event of events) {
    const run = open.get(event.fingerprint);
    if (event.kind === 'seen') {
      if (run) {
        run.last = event;
        run.count += 1;
      } else {
        const started = { first: event, last: event, count: 1 };
        open.set(event.fingerprint, started);
        rows.push(started);
      }
      continue;
    }
    open.delete(event.fingerprint);
    rows.push({ first: event, last: event, count: 1 });
  }
  return rows;
}

function renderTimeline(title: string, events: readonly TimelineEvent[]): string {
  const rows = foldSeen(events);
  const fingerprints = new Set(events.map((e) => e.fingerprint));
  return (
    `${title}: ${fingerprints.size} finding${fingerprints.size === 1 ? '' : 's'}, ${events.length} events\n\n` +
    renderTable(
      ['When', 'Scan', 'Event', 'Severity', 'Rule', 'Finding'],
      rows.map(({ first, last, count }) => [
        count > 1 ? `${first.at} … ${last.at}` : first.at,
        count > 1 ? `#${first.scanId}–#${last.scanId}` : `#${first.scanId}`,
        count > 1
          ? `seen ×${count}`
          : first.kind + (first.detail ? `: ${clean(first.detail, 60)}` : ''),
        first.severity,
        first.ruleId,
        `${first.fingerprint}  ${clean(first.title, 70)}`,
      ]),
    ) +
    '\n'
  );
}

interface HistoryOptions {
  format: 'table' | 'json';
  store?: string;
}

async function runHistory(target: string, options: HistoryOptions): Promise<void> {
  const now = nowIso();
  await withStore(options.store, async (store) => {
    if (FINGERPRINT.test(target)) {
      const history = await store.findingHistory(target, now);
      if (!history)
        throw new UsageError(`no finding with fingerprint ${target} in ${store.location}`);
      if (options.format === 'json') {
        process.stdout.write(
          JSON.stringify({ schema: 'iamsight.history/v1', ...history }, null, 2) + '\n',
        );
        return;
      }
      const f = history.finding;
      process.stdout.write(
        `${f.severity.toUpperCase()}  ${clean(f.title, 120)}  [${f.anchor} ${f.ruleId}]  ${f.status}\n` +
          `  ${clean(f.message, 300)}\n` +
          `  resource: ${clean(f.resource.arn, 200)} (${f.resource.type}, ${f.resource.accountId})\n` +
          (f.mute
            ? `  muted: ${clean(f.mute.reason, 200)}${f.mute.by ? ` (by ${clean(f.mute.by, 60)})` : ''}${f.mute.until ? `, until ${f.mute.until}` : ''}\n`
            : '') +
          `  first seen ${f.firstSeen.at} (scan #${f.firstSeen.scanId}), last seen ${history.lastSeen.at} (scan #${history.lastSeen.scanId})\n\n` +
          renderTimeline(`History of ${f.fingerprint}`, history.events),
      );
      return;
    }
    if (!target.startsWith('arn:'))
      throw new UsageError(
        `history: expected a resource ARN (arn:aws:…) or a finding's 32-digit fingerprint, got ${JSON.stringify(clean(target, 60))}`,
      );
    const events = await store.resourceTimeline(target);
    if (options.format === 'json') {
      process.stdout.write(
        JSON.stringify({ schema: 'iamsight.history/v1', resource: target, events }, null, 2) + '\n',
      );
      return;
    }
    if (events.length === 0) {
      process.stdout.write(`No finding was ever recorded on ${clean(target, 200)}.\n`);
      return;
    }
    process.stdout.write(renderTimeline(`Timeline of ${clean(target, 200)}`, events));
  });
}

/** `iamsight history ARN|FINGERPRINT`. */
export function historyCommand(): Command {
  return withStoreOption(
    new Command('history')
      .description(
        "A resource's timeline (every event of every finding on it) or one finding's history, oldest first",
      )
      .argument('<arn|fingerprint>', 'a resource ARN, or a finding fingerprint'),
  )
    .addOption(
      new Option('--format <format>', 'table or json (iamsight.history/v1)')
        .choices(['table', 'json'])
        .default('table'),
    )
    .addHelpText(
      'after',
      `
Events: ${FINDING_EVENT_KINDS.join(', ')}. A finding is "seen" by every scan that checked it while
open; a scan with a gap on the data its rule needs neither sees nor resolves it.`,
    )
    .action(async (target: string, options: HistoryOptions) => runHistory(target, options));
}

interface ScansOptions {
  format: 'table' | 'json';
  limit: string;
  cursor?: string;
  store?: string;
}

async function runScans(options: ScansOptions): Promise<void> {
  await withStore(options.store, async (store) => {
    const page = await store.listScans({
      limit: parseCount(options.limit, '--limit'),
      cursor: options.cursor ?? null,
    });
    if (options.format === 'json') {
      process.stdout.write(
        JSON.stringify(
          { schema: 'iamsight.scans/v1', scans: page.items, nextCursor: page.nextCursor },
          null,
          2,
        ) + '\n',
      );
      return;
    }
    if (page.items.length === 0) {
      process.stdout.write(`No scan recorded in ${store.location} yet (iamsight scan …).\n`);
      return;
    }
    process.stdout.write(
      `Scans in ${store.location}, newest first\n\n` +
        renderTable(
          [
            'Scan',
            'As of',
            'Status',
            'Score',
            'Findings',
            'Muted',
            'Opened',
            'Resolved',
            'Reopened',
            'Unchecked',
            'Gaps',
          ],
          page.items.map((s) => [
            `#${s.id}`,
            s.asOf,
            s.status,
            s.score.value.toFixed(1),
            s.counts.findings,
            s.counts.muted,
            s.counts.opened,
            s.counts.resolved,
            s.counts.reopened,
            s.counts.unchecked,
            s.gaps.length,
          ]),
        ) +
        '\n' +
        (page.nextCursor ? `… older scans: --cursor ${page.nextCursor}\n` : ''),
    );
  });
}

/** `iamsight scans`: the recorded scans with their score and counts. */
export function scansCommand(): Command {
  return withStoreOption(
    new Command('scans').description(
      'List the recorded scans, newest first: score, findings, what each opened and resolved, gaps',
    ),
  )
    .addOption(
      new Option('--format <format>', 'table or json (iamsight.scans/v1)')
        .choices(['table', 'json'])
        .default('table'),
    )
    .option('--limit <n>', 'at most this many scans', '20')
    .option('--cursor <cursor>', 'continue after a listing')
    .action(async (options: ScansOptions) => runScans(options));
}
