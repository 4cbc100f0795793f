import { Command, Option } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildScanDocument, type ScanDocument } from '../../findings/scan-document.js';
import { generateOrganization, writeSnapshotFolder } from '../../generate/index.js';
import { loadSnapshot } from '../../ingest/load-inputs.js';
import type { Snapshot, Usage } from '../../model/index.js';
import { analyzeSnapshot, type ScanAnalysis } from '../../findings/analyze.js';
import { createRequire } from 'node:module';
import { toCsv, toOcsf, toSarif } from '../../findings/exports/index.js';
import { loadConfig } from '../config-file.js';
import { hasFindingsAtOrAbove, renderFindings } from '../findings-report.js';
import { writeFileAtomically } from '../output.js';
import { startProgress } from '../progress.js';
import { renderTable, sanitizeForTerminal } from '../table.js';
import { hasInputs, readInputs, withInputOptions, type InputOptions } from '../inputs.js';
import { usageOf, withUsageOption, type UsageOptions } from '../usage-input.js';
import { buildScanRecord, type AppliedMute, type Store } from '../../store/index.js';
import { openCliStore, STORE_HELP } from '../store-options.js';
import { FindingsAtOrAbove, PartialCollection, UsageError, parseAsOf } from '../usage.js';
import { collectSnapshot, type CollectResult } from '../../collect/collect.js';
import {
  collectOptionsOf,
  describeResult,
  progressPrinter,
  reportGaps,
  withCollectFlags,
  type CollectFlags,
} from './collect.js';

interface ScanOptions extends InputOptions, UsageOptions, CollectFlags {
  sample: boolean;
  /** `--collect [account|org]`: collect from AWS first, then scan what was collected. */
  collect?: 'account' | 'org' | true;
  collectOut?: string;
  format: 'table' | 'json' | 'ocsf' | 'sarif' | 'csv';
  out?: string;
  asOf?: string;
  config?: string;
  groupBy: 'risk' | 'resource' | 'none';
  failOn?: 'critical' | 'high' | 'medium' | 'low' | 'info';
  /** `--store DIR|URL`; false with `--no-store`. */
  store?: string | false;
}

const version = (createRequire(import.meta.url)('../../../package.json') as { version: string })
  .version;

/** The report in the chosen format. */
function renderDocument(snapshot: Snapshot, document: ScanDocument, options: ScanOptions): string {
  switch (options.format) {
    case 'json':
      return JSON.stringify(document, null, 2) + '\n';
    case 'ocsf':
      return JSON.stringify(toOcsf(document, { productVersion: version }), null, 2) + '\n';
    case 'sarif':
      return JSON.stringify(toSarif(document, { productVersion: version }), null, 2) + '\n';
    case 'csv':
      return toCsv(document);
    case 'table':
      return renderInventory(snapshot, document) + '\n' + renderFindings(document, options.groupBy);
  }
}

/** The seed and size of the bundled sample organization (`scan --sample`, `npm start`). */
export const SAMPLE = { seed: 7, principals: 400, accounts: 4 } as const;

/** Generates the bundled sample organization and loads it as a snapshot. */
export async function loadSample(): Promise<Snapshot> {
  const dir = await mkdtemp(join(tmpdir(), 'iamsight-sample-'));
  try {
    await writeSnapshotFolder(generateOrganization({ ...SAMPLE, cloudTrailEvents: 0 }), dir);
    return await loadSnapshot({ snapshots: [dir] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Renders the inventory summary a person reads in a terminal. */
export function renderInventory(snapshot: Snapshot, document: ScanDocument): string {
  const lines: string[] = [];
  const count = (accountId: string, type: string): number =>
    snapshot.principals.filter((p) => p.accountId === accountId && p.type === type).length;
  lines.push(
    `iamsight scan: ${snapshot.accounts.length} accounts, ${snapshot.principals.length} principals, ` +
      `${snapshot.policies.length} managed policies, ${snapshot.resources.length} resources ` +
      `(as of ${document.generatedAt})`,
    '',
  );
  lines.push(
    renderTable(
      ['Account', 'Name', 'Users', 'Groups', 'Roles', 'Root', 'Resources'],
      snapshot.accounts.map((account) => [
        account.id,
        sanitizeForTerminal(account.name ?? '', 32),
        count(account.id, 'user'),
        count(account.id, 'group'),
        count(account.id, 'role'),
        count(account.id, 'root') > 0 ? 'known' : '-',
        snapshot.resources.filter((r) => r.accountId === account.id).length,
      ]),
    ),
  );
  const byType = new Map<string, number>();
  for (const resource of snapshot.resources)
    byType.set(resource.type, (byType.get(resource.type) ?? 0) + 1);
  if (byType.size > 0) {
    lines.push(
      '',
      renderTable(
        ['Resource type', 'Count'],
        [...byType].sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
    );
  }
  const admins = document.principals.filter((p) => p.isAdmin);
  const escalating = document.principals.filter((p) => p.escalation && !p.isAdmin);
  const shadow = document.principals.filter((p) => p.isAdmin && p.escalation);
  lines.push(
    '',
    `Administrators: ${admins.length} (${shadow.length} only by granting themselves admin); ` +
      `${escalating.length} other principals can escalate to administrator` +
      ` (${escalating.filter((p) => p.escalation?.conditional).length} only under conditions)`,
  );
  if (escalating.length > 0) {
    const shown = [...escalating]
      .sort(
        (a, b) =>
          (a.escalation?.path.length ?? 0) - (b.escalation?.path.length ?? 0) ||
          (a.arn < b.arn ? -1 : 1),
      )
      .slice(0, 20);
    lines.push(
      '',
      renderTable(
        ['Can escalate', 'Steps', 'First technique', 'Conditional'],
        shown.map((p) => [
          sanitizeForTerminal(p.arn, 90),
          p.escalation?.path.length ?? 0,
          p.escalation?.path[0]?.technique ?? '',
          p.escalation?.conditional ? 'yes' : '',
        ]),
      ),
    );
    if (escalating.length > shown.length)
      lines.push(`  … and ${escalating.length - shown.length} more (iamsight who-can-escalate)`);
  }
  if (snapshot.organization) {
    const org = snapshot.organization;
    const scps = org.policies.filter((p) => p.type === 'SERVICE_CONTROL_POLICY').length;
    const rcps = org.policies.length - scps;
    lines.push(
      '',
      `Organization ${org.id}: ${org.accounts.length} accounts, ${org.units.length} OUs, ${scps} SCPs, ${rcps} RCPs`,
    );
  }
  if (document.gaps.length > 0) {
    lines.push('', `Gaps (${document.gaps.length}): what iamsight could not see`);
    for (const gap of document.gaps) {
      const where = gap.accountId ? ` [${gap.accountId}${gap.region ? ` ${gap.region}` : ''}]` : '';
      lines.push(`  ${gap.source}${where}: ${sanitizeForTerminal(gap.detail, 200)}`);
    }
  }
  if (snapshot.notices.length > 0) {
    lines.push('', `Notices (${snapshot.notices.length})`);
    for (const notice of snapshot.notices.slice(0, 20)) {
      lines.push(
        `  ${sanitizeForTerminal(notice.file, 80)}: ${sanitizeForTerminal(notice.detail, 200)}`,
      );
    }
    if (snapshot.notices.length > 20) lines.push(`  … and ${snapshot.notices.length - 20} more`);
  }
  return lines.join('\n') + '\n';
}

const COLLECT_ONLY = [
  'collectOut',
  'profile',
  'region',
  'roleName',
  'regions',
  'services',
  'concurrency',
  'maxAttempts',
] as const;

/** `scan --collect`: collects into `--collect-out` (or a temporary folder), then scans it. */
async function runScanWithCollect(options: ScanOptions): Promise<void> {
  if (hasInputs(options) || options.sample)
    throw new UsageError(
      '--collect reads AWS itself: give no other input (--authz, --snapshot, --sample, ...)',
    );
  const org = options.collect === 'org';
  const temporary = options.collectOut ? null : await mkdtemp(join(tmpdir(), 'iamsight-collect-'));
  const out = options.collectOut ?? join(temporary as string, 'snapshot');
  const collect = collectOptionsOf(options, { out, force: false, org });
  try {
    const onEvent = progressPrinter();
    const result: CollectResult = await collectSnapshot(collect, onEvent ? { onEvent } : {});
    process.stderr.write(describeResult(result));
    reportGaps(result);
    const scanOnly: ScanOptions = { ...options, collect: undefined, snapshot: [out] };
    for (const key of COLLECT_ONLY) delete scanOnly[key];
    await runScan(scanOnly);
    if (result.gaps.length > 0) throw new PartialCollection(`${result.gaps.length} gaps`);
  } finally {
    if (temporary) await rm(temporary, { recursive: true, force: true });
  }
}

async function runScan(options: ScanOptions): Promise<void> {
  if (options.collect !== undefined) return runScanWithCollect(options);
  for (const key of COLLECT_ONLY)
    if (options[key] !== undefined)
      throw new UsageError(
        `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} goes with --collect`,
      );
  if (!hasInputs(options) && !options.sample) {
    throw new UsageError(
      'scan needs input: --authz FILE, --credential-report FILE, --resources FILE, --org FILE, --snapshot DIR, or --sample',
    );
  }
  const generatedAt = parseAsOf(options.asOf);
  let snapshot: Snapshot;
  let fromLogs: Usage | null = null;
  if (options.sample) {
    const progress = startProgress();
    progress.update('generating the sample organization');
    try {
      snapshot = await loadSample();
    } finally {
      progress.done();
    }
  } else {
    ({ snapshot, usage: fromLogs } = await readInputs(options, 'scan'));
  }
  const config = await loadConfig(options.config);
  const usage = await usageOf(options, fromLogs);
  // Stored mutes (iamsight mute) apply like the configuration's; they are listed first so that a
  // muted finding is linked to its stored mute.
  const store = options.store === false ? null : await openCliStore(options.store);
  try {
    const mutes = [...(store ? await store.activeMutes() : []), ...config.mutes];
    const progress = startProgress();
    progress.update('classifying admins, finding escalation paths, evaluating detections');
    let analysis: ScanAnalysis;
    try {
      analysis = analyzeSnapshot(snapshot, {
        asOf: generatedAt,
        config: { ...config, mutes },
        usage,
      });
    } finally {
      progress.done();
    }
    if (store) await recordInStore(store, snapshot, analysis, options, mutes);
    const document = buildScanDocument(snapshot, { generatedAt, analysis });
    const text = renderDocument(snapshot, document, options);
    if (options.out) await writeFileAtomically(options.out, text);
    else process.stdout.write(text);
    if (options.failOn && hasFindingsAtOrAbove(document, options.failOn))
      throw new FindingsAtOrAbove(`open findings at or above ${options.failOn} (--fail-on)`);
  } finally {
    await store?.close();
  }
}

/**
 * The inputs as named on the command line, for the scan's record, with absolute paths: `serve`
 * re-reads them later, maybe from another directory.
 */
function inputsOf(options: ScanOptions): string[] {
  if (options.sample) return ['--sample'];
  const at = (flag: string, path: string) =>
    `${flag} ${/^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? path : resolve(path)}`;
  return [
    ...options.authz.map((f) => at('--authz', f)),
    ...options.credentialReport.map((f) => at('--credential-report', f)),
    ...options.resources.map((f) => at('--resources', f)),
    ...options.org.map((f) => at('--org', f)),
    ...options.snapshot.map((f) => at('--snapshot', f)),
    ...(options.cloudtrail ?? []).map((f) => at('--cloudtrail', f)),
    ...(options.usage ? [at('--usage', options.usage)] : []),
  ];
}

async function recordInStore(
  store: Store,
  snapshot: Snapshot,
  analysis: ScanAnalysis,
  options: ScanOptions,
  mutes: readonly AppliedMute[],
): Promise<void> {
  const scan = await store.recordScan(
    buildScanRecord(snapshot, analysis, {
      inputs: inputsOf(options),
      version,
      recordedAt: new Date().toISOString(),
      mutes,
    }),
  );
  const { opened, resolved, reopened, unchecked } = scan.counts;
  process.stderr.write(
    `iamsight: recorded scan #${scan.id} in ${store.location}: ${opened} opened, ` +
      `${resolved} resolved, ${reopened} reopened` +
      (unchecked > 0 ? `, ${unchecked} left unchecked by gaps` : '') +
      ' (iamsight findings, iamsight scans)\n',
  );
}

/** `iamsight scan`: read inputs, analyse, report. */
export function scanCommand(): Command {
  return withCollectFlags(
    withUsageOption(
      withInputOptions(
        new Command('scan').description(
          'Read AWS identity data and report its identity risks: admins, escalation paths, findings, health score',
        ),
      ),
    ),
  )
    .option('--sample', 'scan the bundled sample organization', false)
    .addOption(
      new Option(
        '--collect [scope]',
        "collect from AWS first (account: the credentials' account; org: every account), then scan",
      ).choices(['account', 'org']),
    )
    .option(
      '--collect-out <dir>',
      'with --collect: keep the snapshot folder here (default: a temporary one)',
    )
    .addOption(
      new Option(
        '--format <format>',
        'output format: table, json (iamsight.scan/v1), ocsf (Detection Finding events), sarif (2.1.0), csv',
      )
        .choices(['table', 'json', 'ocsf', 'sarif', 'csv'])
        .default('table'),
    )
    .option('--out <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--as-of <date>', 'evaluation time, ISO-8601 (default: now)')
    .option('--store <dir|url>', `record the scan in ${STORE_HELP}`)
    .option('--no-store', 'do not record the scan')
    .option(
      '--config <file>',
      'mutes and trusted accounts (YAML or JSON; default ./iamsight.config.yaml if present)',
    )
    .addOption(
      new Option('--group-by <grouping>', 'how the table groups findings')
        .choices(['risk', 'resource', 'none'])
        .default('risk'),
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when an open finding is at or above this severity',
      ).choices(['critical', 'high', 'medium', 'low', 'info']),
    )
    .addHelpText(
      'after',
      `
Examples:
  iamsight scan --authz authz.json --credential-report report.csv
  iamsight scan --snapshot ./snapshot --format json --out scan.json
  iamsight scan --sample
  iamsight scan --authz authz.json --cloudtrail ./AWSLogs   # unused access from CloudTrail logs
  iamsight scan --snapshot ./snapshot --usage usage.json --as-of 2026-11-24   # or from a Usage document
  iamsight scan --snapshot ./snapshot --store postgres://iamsight@db.internal/iamsight
  iamsight scan --authz authz.json --no-store
  iamsight scan --collect org --profile audit --format json --out scan.json   # live from AWS

Exit codes: 0 ok, 1 open findings at or above --fail-on, 2 bad input or usage (the message
names the file and the problem), 3 with --collect when the collection was partial (the report
is written; --fail-on's 1 comes first).`,
    )
    .action(async (options: ScanOptions) => runScan(options));
}
