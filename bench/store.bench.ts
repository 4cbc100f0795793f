/**
 * The store at scale (issue #7): 100,000 findings × 100 scans, synthetic but shaped like real
 * ones (the catalog's rules, 20 accounts, evidence of a few hundred bytes; each scan resolves ~2%,
 * reopens ~0.3%, opens new ones for the rest, rewrites the content of ~0.5%; every 10th scan lacks one account's
 * credential report; two stored mutes from scan 10). Prints the time per scan write and the
 * latency of the queries the UI and CLI make. Runs the embedded store and, when a server is
 * reachable (IAMSIGHT_BENCH_POSTGRES or IAMSIGHT_TEST_POSTGRES), PostgreSQL; each in a fresh
 * process. `IAMSIGHT_BENCH_STORE_SCALE=0.1` runs a tenth of the findings for a quick look.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runChild } from './child.js';
import type * as Registry from '../src/detections/registry.js';
import type { Requirement } from '../src/detections/types.js';
import type * as ConfigModule from '../src/findings/config.js';
import type * as FindingsModule from '../src/findings/findings.js';
import type { Finding } from '../src/findings/findings.js';
import type { ScanCoverage } from '../src/findings/lifecycle.js';
import type * as StoreModule from '../src/store/index.js';
import type { ScanRecord, Store, StoreLocation } from '../src/store/index.js';

const dist = new URL('../dist/', import.meta.url);
const load = <T>(path: string): Promise<T> => import(new URL(path, dist).href) as Promise<T>;

const SCALE = Number(process.env.IAMSIGHT_BENCH_STORE_SCALE ?? '1');
const FINDINGS = Math.round(100_000 * SCALE);
const SCANS = Number(process.env.IAMSIGHT_BENCH_STORE_SCANS ?? '100');
const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(100000000001 + i));
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T06:00:00.000Z');

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resourceOf(type: string, accountId: string, n: number) {
  const iam: Record<string, string> = {
    'AWS::IAM::Role': `role/service-${n}`,
    'AWS::IAM::User': `user/dev-${n}`,
    'AWS::IAM::Group': `group/team-${n}`,
    'AWS::IAM::ManagedPolicy': `policy/app-policy-${n}`,
    'AWS::IAM::Root': 'root',
  };
  const path = iam[type];
  if (path)
    return {
      arn: `arn:aws:iam::${accountId}:${path}`,
      type,
      name: path.split('/').pop()!,
      accountId,
    };
  const service = type.split('::')[1]!.toLowerCase();
  const name = `${service}-resource-${n}`;
  return {
    arn: `arn:aws:${service}:eu-west-1:${accountId}:${name}`,
    type,
    name,
    accountId,
    region: 'eu-west-1',
  };
}

async function child(kind: 'sqlite' | 'postgres', target: string): Promise<void> {
  const { DETECTIONS } = await load<typeof Registry>('detections/registry.js');
  const { fingerprintOf } = await load<typeof FindingsModule>('findings/findings.js');
  const { openStore } = await load<typeof StoreModule>('store/index.js');
  const { muteFor } = await load<typeof ConfigModule>('findings/config.js');
  const location: StoreLocation =
    kind === 'sqlite'
      ? { kind, dir: target, file: join(target, 'iamsight.db') }
      : { kind, url: target };
  const store: Store = await openStore(location);
  const next = random(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

  let serial = 0;
  const make = (): Finding => {
    const detection = pick(DETECTIONS);
    const accountId = pick(ACCOUNTS);
    const resource = resourceOf(
      detection.appliesTo[0] ?? 'AWS::IAM::Role',
      accountId,
      Math.floor(next() * 2000),
    );
    serial += 1;
    const fingerprint = fingerprintOf(detection.id, resource.arn, { case: String(serial) });
    return {
      fingerprint,
      ruleId: detection.id,
      anchor: detection.anchor,
      ruleVersion: detection.version,
      title: detection.title,
      severity: detection.severity,
      category: detection.category,
      resource,
      message: `${resource.name} in account ${accountId}: ${detection.title.toLowerCase()} (case ${serial}).`,
      evidence: {
        statements: [
          {
            policy: `arn:aws:iam::${accountId}:policy/app-policy-${serial % 500}`,
            sid: `Stmt${serial % 97}`,
            effect: 'Allow',
            actions: [
              'iam:PassRole',
              'lambda:CreateFunction',
              'lambda:InvokeFunction',
              's3:GetObject',
            ],
            resources: [resource.arn, `arn:aws:s3:::data-${serial % 300}/*`],
          },
        ],
        path: [
          {
            from: resource.arn,
            to: `arn:aws:iam::${accountId}:role/admin`,
            technique: 'lambda-001',
          },
        ],
      },
      remediation: { text: detection.remediation, consoleUrl: null },
      status: 'open',
      mute: null,
    };
  };

  const rules: Record<string, Requirement[]> = Object.fromEntries(
    DETECTIONS.map((d) => [d.id, [...d.requires]]),
  );
  const live = new Map<string, Finding>();
  const gone: Finding[] = [];
  for (let i = 0; i < FINDINGS; i++) {
    const finding = make();
    live.set(finding.fingerprint, finding);
  }
  const mutes: { rule: string; arn: string; reason: string; by: string; id: number }[] = [];
  const writes: number[] = [];
  /** CPU time of this process per write (the database server's, for PostgreSQL, is not in it). */
  const writesCpu: number[] = [];
  let counts = { resolved: 0, opened: 0, reopened: 0, unchecked: 0 };
  for (let scan = 1; scan <= SCANS; scan++) {
    if (scan > 1) {
      const fingerprints = [...live.keys()];
      for (let i = 0; i < Math.round(FINDINGS * 0.02); i++) {
        const fingerprint = pick(fingerprints);
        const finding = live.get(fingerprint);
        if (!finding) continue;
        live.delete(fingerprint);
        gone.push(finding);
      }
      // ~0.3% come back; new ones make up the rest, so about FINDINGS stay open.
      for (let i = 0; i < Math.round(FINDINGS * 0.003) && gone.length > 0; i++) {
        const back = gone.splice(Math.floor(next() * gone.length), 1)[0]!;
        live.set(back.fingerprint, back);
      }
      while (live.size < FINDINGS) {
        const finding = make();
        live.set(finding.fingerprint, finding);
      }
      // Only recently resolved findings come back (and the bench's memory stays bounded).
      if (gone.length > FINDINGS * 0.05) gone.splice(0, gone.length - FINDINGS * 0.05);
      for (let i = 0; i < Math.round(FINDINGS * 0.005); i++) {
        const fingerprint = pick(fingerprints);
        const finding = live.get(fingerprint);
        if (finding)
          live.set(fingerprint, {
            ...finding,
            message: `${finding.message.split(' [')[0]} [scan ${scan}]`,
          });
      }
    }
    if (scan === 10) {
      for (const [rule, arn] of [
        ['iam-role-trusts-own-account-root', 'arn:aws:iam::*:role/service-1*'],
        ['PE-01', `arn:aws:iam::${ACCOUNTS[3]}:*`],
      ] as const) {
        const added = await store.addMute(
          { rule, arn, reason: 'accepted in the quarterly review', by: 'secops' },
          new Date(START + scan * DAY).toISOString(),
        );
        mutes.push({ rule, arn, reason: added.mute.reason, by: 'secops', id: added.mute.id });
      }
    }
    // Every 10th scan lacks account 4's credential report: its findings that need one are not
    // reported, and must stay as they were.
    const missingReport = scan % 10 === 5 ? ACCOUNTS[4]! : null;
    const asOf = new Date(START + scan * DAY).toISOString();
    const findings: Finding[] = [];
    for (const finding of live.values()) {
      if (
        missingReport &&
        finding.resource.accountId === missingReport &&
        rules[finding.ruleId]?.includes('credential-report')
      )
        continue;
      const mute = mutes.length > 0 ? muteFor(mutes, finding, asOf) : null;
      findings.push(
        mute
          ? { ...finding, status: 'muted', mute: { reason: mute.reason, until: null } }
          : finding,
      );
    }
    const coverage: ScanCoverage = {
      accounts: Object.fromEntries(
        ACCOUNTS.map((a) => [a, a === missingReport ? ['credential-report'] : []]),
      ),
      rules,
      failedRules: [],
    };
    const open = findings.filter((f) => f.status === 'open').length;
    const record: ScanRecord = {
      asOf,
      recordedAt: asOf,
      version: 'bench',
      inputs: ['--snapshot bench'],
      findings,
      score: {
        value: Math.round((1000 * (1 - open / (FINDINGS * 10))) / 10) / 10,
        earned: FINDINGS * 10 - open,
        possible: FINDINGS * 10,
        byAccount: Object.fromEntries(
          ACCOUNTS.map((a, i) => [
            a,
            { value: 90 + (i % 10), earned: 90 + (i % 10), possible: 100 },
          ]),
        ),
        byResource: {},
      },
      gaps: missingReport
        ? [
            {
              source: 'iam:credential-report',
              accountId: missingReport,
              region: null,
              detail: 'no credential report was given',
            },
          ]
        : [],
      coverage,
      mutes,
    };
    const started = performance.now();
    const cpu = process.cpuUsage();
    const summary = await store.recordScan(record);
    writes.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    writesCpu.push((used.user + used.system) / 1000);
    if (scan > 1) {
      counts = {
        resolved: counts.resolved + summary.counts.resolved,
        opened: counts.opened + summary.counts.opened,
        reopened: counts.reopened + summary.counts.reopened,
        unchecked: counts.unchecked + summary.counts.unchecked,
      };
    }
  }

  const now = new Date(START + (SCANS + 1) * DAY).toISOString();
  const time = async (work: () => Promise<unknown>, runs = 7): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await work();
      samples.push(performance.now() - started);
    }
    return samples.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  };
  const sample = [...live.values()][Math.floor(live.size / 2)]!;
  const churned = gone[0]!;
  let deepCursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const page = await store.listFindings(
      { status: ['open'] },
      { limit: 50, cursor: deepCursor },
      now,
    );
    deepCursor = page.nextCursor;
  }
  const timeline = await store.resourceTimeline(sample.resource.arn);
  const rest = writes.slice(1).sort((a, b) => a - b);
  const figures = {
    findings: FINDINGS,
    scans: SCANS,
    storedFindings: (await store.countFindings({}, 'none', {}, now)).items[0]!.count,
    openNow: (await store.countFindings({ status: ['open'] }, 'none', {}, now)).items[0]!.count,
    firstWriteMs: writes[0]!,
    writeMedianMs: rest[Math.floor(rest.length / 2)]!,
    writeP95Ms: rest[Math.floor(rest.length * 0.95)]!,
    writeMaxMs: rest.at(-1)!,
    writeLastMs: writes.at(-1)!,
    writeCpuMedianMs: writesCpu.slice(1).sort((a, b) => a - b)[
      Math.floor((writesCpu.length - 1) / 2)
    ]!,
    resolved: counts.resolved,
    opened: counts.opened,
    reopened: counts.reopened,
    unchecked: counts.unchecked,
    pageFirstMs: await time(() => store.listFindings({ status: ['open'] }, { limit: 50 }, now)),
    pageDeepMs: await time(() =>
      store.listFindings({ status: ['open'] }, { limit: 50, cursor: deepCursor }, now),
    ),
    pageFilteredMs: await time(() =>
      store.listFindings(
        { status: ['open'], severity: ['high', 'critical'], accountId: [ACCOUNTS[7]!] },
        { limit: 50 },
        now,
      ),
    ),
    pageRuleMs: await time(() =>
      store.listFindings({ status: ['open', 'muted'], ruleId: ['PE-01'] }, { limit: 50 }, now),
    ),
    pageSearchMs: await time(() =>
      store.listFindings({ status: ['open'], search: 'service-123' }, { limit: 50 }, now),
    ),
    countRiskMs: await time(() => store.countFindings({ status: ['open'] }, 'risk', {}, now)),
    countResourceMs: await time(() =>
      store.countFindings({ status: ['open'] }, 'resource', { limit: 100 }, now),
    ),
    countAccountMs: await time(() => store.countFindings({ status: ['open'] }, 'account', {}, now)),
    countSeverityMs: await time(() =>
      store.countFindings({ status: ['open'] }, 'severity', {}, now),
    ),
    countNoneMs: await time(() => store.countFindings({ status: ['open'] }, 'none', {}, now)),
    timelineMs: await time(() => store.resourceTimeline(sample.resource.arn)),
    timelineEvents: timeline.length,
    historyMs: await time(() => store.findingHistory(churned.fingerprint, now)),
    scoreHistoryMs: await time(() => store.scoreHistory({ limit: 100 })),
    scoreHistoryAccountMs: await time(() =>
      store.scoreHistory({ accountId: ACCOUNTS[2]!, limit: 100 }),
    ),
    scansPageMs: await time(() => store.listScans({ limit: 20 })),
    liveScoreMs: await time(() => store.currentScore(now)),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  await store.close();
  process.stdout.write(JSON.stringify(figures) + '\n');
}

function report(name: string, f: Record<string, number>, sizeMb: number | null): void {
  const ms = (v: number | undefined) =>
    `${(v ?? NaN).toFixed(v !== undefined && v < 10 ? 1 : 0)} ms`;
  console.log(
    `${name}: ${f.findings!.toLocaleString('en')} findings × ${f.scans} scans → ` +
      `${f.storedFindings!.toLocaleString('en')} stored, ${f.openNow!.toLocaleString('en')} open; ` +
      `${f.resolved} resolved, ${f.opened} opened, ${f.reopened} reopened, ${f.unchecked} left unchecked` +
      (sizeMb !== null ? `; ${sizeMb.toFixed(0)} MB on disk` : '') +
      `; peak RSS ${f.maxRssMb!.toFixed(0)} MB`,
  );
  console.log(
    `  scan write: first ${ms(f.firstWriteMs)}, then median ${ms(f.writeMedianMs)}, ` +
      `p95 ${ms(f.writeP95Ms)}, max ${ms(f.writeMaxMs)}, last ${ms(f.writeLastMs)}; ` +
      `CPU of this process per write, median ${ms(f.writeCpuMedianMs)}`,
  );
  console.log(
    `  findings page of 50: first ${ms(f.pageFirstMs)}, 21st ${ms(f.pageDeepMs)}, ` +
      `account+severity ${ms(f.pageFilteredMs)}, rule ${ms(f.pageRuleMs)}, search ${ms(f.pageSearchMs)}`,
  );
  console.log(
    `  counts by risk ${ms(f.countRiskMs)}, resource (top 100) ${ms(f.countResourceMs)}, ` +
      `account ${ms(f.countAccountMs)}, severity ${ms(f.countSeverityMs)}, none ${ms(f.countNoneMs)}`,
  );
  console.log(
    `  resource timeline ${ms(f.timelineMs)} (${f.timelineEvents} events), finding history ${ms(f.historyMs)}, ` +
      `score history ${ms(f.scoreHistoryMs)} (account ${ms(f.scoreHistoryAccountMs)}), scans page ${ms(f.scansPageMs)}` +
      (f.liveScoreMs !== undefined ? `, live score ${ms(f.liveScoreMs)}` : ''),
  );
}

async function postgresServer(): Promise<string | null> {
  const url = process.env.IAMSIGHT_BENCH_POSTGRES ?? process.env.IAMSIGHT_TEST_POSTGRES;
  if (!url) return null;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return url;
  } catch {
    return null; // reported by the caller
  } finally {
    await client.end().catch(() => undefined); // not connected: nothing to close
  }
}

export default async function run(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const dir = await mkdtemp(join(tmpdir(), 'iamsight-bench-store-'));
  try {
    const f = runChild(self, ['--child', 'sqlite', dir], 'store bench (embedded) failed');
    let bytes = 0;
    for (const file of await readdir(dir)) bytes += (await stat(join(dir, file))).size;
    report('embedded (SQLite)', f, bytes / 1024 / 1024);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const server = await postgresServer();
  if (!server) {
    console.log(
      'PostgreSQL: skipped (set IAMSIGHT_BENCH_POSTGRES or IAMSIGHT_TEST_POSTGRES to a server where the bench may create a database)',
    );
    return;
  }
  const name = `iamsight_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(server);
    url.pathname = `/${name}`;
    const f = runChild(
      self,
      ['--child', 'postgres', url.toString()],
      'store bench (PostgreSQL) failed',
    );
    const size = await admin.query<{ size: string }>(`select pg_database_size('${name}') as size`);
    report('PostgreSQL', f, Number(size.rows[0]!.size) / 1024 / 1024);
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

if (process.argv[2] === '--child' && process.argv[3] && process.argv[4])
  await child(process.argv[3] as 'sqlite' | 'postgres', process.argv[4]);
else if (import.meta.url === `file://${process.argv[1]}`) await run();
