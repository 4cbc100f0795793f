/**
 * `iamsight usage PATH...`: what CloudTrail says was used — per principal and action, first and last
 * seen, calls and refusals; long-lived keys; role assumptions — from log files and folders, or from
 * the organization trail through Amazon Athena (`--athena`).
 */
import { Command, Option } from 'commander';
import { createAthenaClient, queryUsageWithAthena } from '../../collect/athena-usage.js';
import { readCloudTrail } from '../../ingest/cloudtrail/index.js';
import type { Usage, UsagePrincipalKind } from '../../model/index.js';
import { warnAboutUnreadableFiles } from '../inputs.js';
import { writeFileAtomically } from '../output.js';
import { startProgress } from '../progress.js';
import { renderTable, sanitizeForTerminal } from '../table.js';
import { UsageError, parseMebibytes, parseWindowFlag } from '../usage.js';

interface UsageCommandOptions {
  since?: string;
  until?: string;
  format: 'table' | 'json';
  out?: string;
  top: string;
  maxInputSize?: string;
  athena?: boolean;
  database?: string;
  table?: string;
  output?: string;
  region?: string;
  workgroup?: string;
  accounts?: string;
  dayPartition?: string;
}

const ATHENA_ONLY = [
  'database',
  'table',
  'output',
  'region',
  'workgroup',
  'accounts',
  'dayPartition',
] as const;
const FLAG: Record<(typeof ATHENA_ONLY)[number], string> = {
  database: '--database',
  table: '--table',
  output: '--output',
  region: '--region',
  workgroup: '--workgroup',
  accounts: '--accounts',
  dayPartition: '--day-partition',
};

const clean = (text: string, max = 100): string => sanitizeForTerminal(text, max);
const number = (n: number): string => n.toLocaleString('en');

function bytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} bytes`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${number(n)} ${n === 1 ? one : many}`;
}

const KIND_NAMES: Record<UsagePrincipalKind, [string, string]> = {
  role: ['role', 'roles'],
  user: ['user', 'users'],
  root: ['root user', 'root users'],
  federated: ['federated provider', 'federated providers'],
  service: ['AWS service', 'AWS services'],
  unknown: ['other', 'others'],
};

/** The table report: totals, the most active principals and actions, and what could not be read. */
export function renderUsageTable(usage: Usage, top: number): string {
  const { stats } = usage;
  const counted = stats.records - stats.outsideWindow - stats.malformedRecords;
  const pairs = usage.principals.reduce((sum, p) => sum + p.actions.length, 0);
  const kinds = new Map<UsagePrincipalKind, number>();
  for (const p of usage.principals) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
  const kindText = (Object.keys(KIND_NAMES) as UsagePrincipalKind[])
    .filter((kind) => kinds.has(kind))
    .map((kind) => plural(kinds.get(kind) ?? 0, ...KIND_NAMES[kind]))
    .join(', ');
  const lines: string[] = [];
  lines.push(
    usage.window.start
      ? `CloudTrail usage from ${usage.window.start} to ${usage.window.end}`
      : 'CloudTrail usage: no record was counted',
    `  ${stats.files > 0 ? `${plural(stats.files, 'file')} (${bytes(stats.bytes)}), ` : stats.bytes > 0 ? `${bytes(stats.bytes)} scanned by Athena, ` : ''}` +
      `${plural(stats.records, 'record')}: ${number(counted)} counted, ${number(stats.outsideWindow)} outside the window, ${number(stats.malformedRecords)} malformed`,
    `  ${plural(usage.principals.length, 'principal')}${kindText ? ` (${kindText})` : ''}, ${plural(pairs, 'principal × action pair')}, ` +
      `${plural(usage.accessKeys.length, 'long-lived access key')}, ${plural(usage.assumptions.length, 'role assumption')}`,
  );

  const principals = usage.principals
    .map((p) => ({
      p,
      calls: p.actions.reduce((sum, a) => sum + a.count, 0),
      denied: p.actions.reduce((sum, a) => sum + a.denied, 0),
    }))
    .sort((a, b) => b.calls - a.calls || (a.p.principal < b.p.principal ? -1 : 1));
  if (principals.length > 0) {
    lines.push('', `Principals, by calls${principals.length > top ? ` (top ${top})` : ''}`);
    lines.push(
      renderTable(
        ['Principal', 'Kind', 'Actions', 'Calls', 'Denied', 'Last seen'],
        principals
          .slice(0, top)
          .map(({ p, calls, denied }) => [
            clean(p.principal),
            p.kind,
            p.actions.length,
            calls,
            denied,
            p.lastSeen,
          ]),
      ),
    );
  }

  const actions = new Map<
    string,
    { principals: number; calls: number; denied: number; last: string }
  >();
  for (const p of usage.principals)
    for (const a of p.actions) {
      const entry = actions.get(a.action) ?? {
        principals: 0,
        calls: 0,
        denied: 0,
        last: a.lastSeen,
      };
      entry.principals++;
      entry.calls += a.count;
      entry.denied += a.denied;
      if (a.lastSeen > entry.last) entry.last = a.lastSeen;
      actions.set(a.action, entry);
    }
  const byCalls = [...actions].sort(([x, a], [y, b]) => b.calls - a.calls || (x < y ? -1 : 1));
  if (byCalls.length > 0) {
    lines.push('', `Actions, by calls${byCalls.length > top ? ` (top ${top})` : ''}`);
    lines.push(
      renderTable(
        ['Action', 'Principals', 'Calls', 'Denied', 'Last seen'],
        byCalls
          .slice(0, top)
          .map(([action, a]) => [clean(action, 80), a.principals, a.calls, a.denied, a.last]),
      ),
    );
  }

  if (stats.unreadableFiles.length > 0) {
    lines.push('', `Files that could not be read to the end (${stats.unreadableFiles.length})`);
    for (const u of stats.unreadableFiles.slice(0, top))
      lines.push(`  ${clean(u.file, 160)}: ${clean(u.reason, 200)}`);
    if (stats.unreadableFiles.length > top)
      lines.push(
        `  … and ${stats.unreadableFiles.length - top} more (--format json lists them all)`,
      );
  }
  if (principals.length > top || byCalls.length > top)
    lines.push('', 'The whole Usage document: --format json (docs/formats.md, iamsight.usage/v1).');
  return lines.join('\n') + '\n';
}

function parseTop(value: string): number {
  const top = Number(value);
  if (!Number.isInteger(top) || top < 1 || top > 100_000)
    throw new UsageError(
      `--top: expected a whole number from 1 to 100000, got ${JSON.stringify(value)}`,
    );
  return top;
}

function parseAccounts(value: string | undefined): string[] {
  if (value === undefined) return [];
  const accounts = value
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const bad = accounts.find((a) => !/^\d{12}$/.test(a));
  if (bad !== undefined || accounts.length === 0)
    throw new UsageError(
      `--accounts: expected 12-digit account ids separated by commas, got ${JSON.stringify(bad ?? value)}`,
    );
  return accounts;
}

async function readUsage(paths: string[], options: UsageCommandOptions): Promise<Usage> {
  const since = parseWindowFlag(options.since, '--since');
  const until = parseWindowFlag(options.until, '--until');
  if (since !== null && until !== null && since >= until)
    throw new UsageError(`--since (${since}) must be before --until (${until})`);
  if (options.athena) {
    if (paths.length > 0)
      throw new UsageError('usage reads either log files (PATH...) or Athena (--athena), not both');
    const missing = (['database', 'table'] as const).filter((name) => !options[name]);
    if (missing.length > 0)
      throw new UsageError(`--athena needs ${missing.map((name) => FLAG[name]).join(' and ')}`);
    if (!options.output && !options.workgroup)
      throw new UsageError(
        '--athena needs --output s3://bucket/prefix/ for the query results (or a --workgroup that sets one)',
      );
    if (options.output && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,62}(\/.*)?$/.test(options.output))
      throw new UsageError(
        `--output: expected an S3 URL such as s3://bucket/prefix/, got ${JSON.stringify(options.output)}`,
      );
    if (options.region && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(options.region))
      throw new UsageError(
        `--region: expected an AWS region such as us-east-1, got ${JSON.stringify(options.region)}`,
      );
    for (const name of ['database', 'table', 'workgroup', 'dayPartition'] as const) {
      const value = options[name];
      if (value !== undefined && !/^[A-Za-z0-9_-]{1,255}$/.test(value))
        throw new UsageError(
          `${FLAG[name]}: expected letters, digits, "_" or "-", got ${JSON.stringify(value)}`,
        );
    }
    const progress = startProgress();
    progress.update('starting the Athena query');
    try {
      return await queryUsageWithAthena(
        {
          database: options.database as string,
          table: options.table as string,
          since,
          until,
          accounts: parseAccounts(options.accounts),
          dayPartition: options.dayPartition ?? null,
          outputLocation: options.output ?? null,
          workGroup: options.workgroup ?? null,
        },
        {
          client: createAthenaClient(options.region),
          onState: (state, id) => progress.update(`Athena query ${id}: ${state.toLowerCase()}`),
        },
      );
    } finally {
      progress.done();
    }
  }
  const athenaFlag = ATHENA_ONLY.find((name) => options[name] !== undefined);
  if (athenaFlag !== undefined) throw new UsageError(`${FLAG[athenaFlag]} goes with --athena`);
  if (paths.length === 0)
    throw new UsageError(
      'usage needs CloudTrail logs: PATH... (files or folders, e.g. AWSLogs/), or --athena --database D --table T --output s3://...',
    );
  const maxBytes = options.maxInputSize
    ? parseMebibytes(options.maxInputSize, '--max-input-size')
    : undefined;
  const progress = startProgress();
  progress.update('reading CloudTrail logs');
  try {
    return await readCloudTrail(paths, {
      since,
      until,
      ...(maxBytes ? { maxBytes } : {}),
      onProgress: ({ done, total }) =>
        progress.update(`reading CloudTrail logs (${done}/${total} files)`),
    });
  } finally {
    progress.done();
  }
}

/** `iamsight usage`. */
export function usageCommand(): Command {
  return new Command('usage')
    .description(
      'What CloudTrail says was used: per principal and action, first and last use, calls and refusals; long-lived keys; role assumptions',
    )
    .argument(
      '[paths...]',
      'CloudTrail log files or folders (.json, .json.gz; the S3 layout AWSLogs/<account>/CloudTrail/...)',
    )
    .option(
      '--since <date>',
      'count records at or after this time (ISO-8601; a date is midnight UTC)',
    )
    .option('--until <date>', 'count records before this time (ISO-8601)')
    .addOption(
      new Option('--format <format>', 'table, or json (the Usage document, iamsight.usage/v1)')
        .choices(['table', 'json'])
        .default('table'),
    )
    .option('--out <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--top <n>', 'lines per table section', '20')
    .addOption(
      new Option('--max-input-size <MiB>', 'refuse log files larger than this (default 256)'),
    )
    .option('--athena', 'query the organization trail with Amazon Athena instead of reading files')
    .option('--database <name>', 'with --athena: the Glue database of the CloudTrail table')
    .option('--table <name>', 'with --athena: the CloudTrail table (the Athena User Guide DDL)')
    .option('--output <s3-url>', 'with --athena: where Athena writes the query results')
    .option(
      '--region <region>',
      'with --athena: the region of the table (default: from the AWS config)',
    )
    .option('--workgroup <name>', 'with --athena: the Athena workgroup')
    .option('--accounts <ids>', 'with --athena: only these accounts (comma-separated)')
    .option(
      '--day-partition <column>',
      'with --athena: the partition-projection day column (yyyy/MM/dd), e.g. timestamp',
    )
    .addHelpText(
      'after',
      `
Examples:
  iamsight usage ./AWSLogs --since 2026-08-01
  iamsight usage trail-logs/ --format json --out usage.json
  iamsight usage --athena --database security --table cloudtrail_logs_pp \\
      --output s3://athena-results-bucket/iamsight/ --since 2026-08-01 --day-partition timestamp`,
    )
    .action(async (paths: string[], options: UsageCommandOptions) => {
      const top = parseTop(options.top);
      const usage = await readUsage(paths, options);
      warnAboutUnreadableFiles(usage);
      const text =
        options.format === 'json'
          ? JSON.stringify(usage, null, 2) + '\n'
          : renderUsageTable(usage, top);
      if (options.out) await writeFileAtomically(options.out, text);
      else process.stdout.write(text);
    });
}
