/**
 * The store at scale (issue #7): 100,000 findings × 100 scans, synthetic but shaped like real
 * ones (bench/synthetic-store.ts: the catalog's rules, 20 accounts, evidence of a few hundred
 * bytes; each scan resolves ~2%, reopens ~0.3%, opens new ones for the rest, rewrites the content
 * of ~0.5%; every 10th scan lacks one account's credential report; two stored mutes from scan 10). Prints the time per scan write and the
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
import { ACCOUNTS, DAY, recordSyntheticScans, START } from './synthetic-store.js';
import type * as StoreModule from '../src/store/index.js';
import type { Store, StoreLocation } from '../src/store/index.js';

const dist = new URL('../dist/', import.meta.url);
const load = <T>(path: string): Promise<T> => import(new URL(path, dist).href) as Promise<T>;

const SCALE = Number(process.env.IAMSIGHT_BENCH_STORE_SCALE ?? '1');
const FINDINGS = Math.round(100_000 * SCALE);
const SCANS = Number(process.env.IAMSIGHT_BENCH_STORE_SCANS ?? '100');

async function child(kind: 'sqlite' | 'postgres', target: string): Promise<void> {
  const { openStore } = await load<typeof StoreModule>('store/index.js');
  const location: StoreLocation =
    kind === 'sqlite'
      ? { kind, dir: target, file: join(target, 'iamsight.db') }
      : { kind, url: target };
  const store: Store = await openStore(location);
  const { live, gone, counts, writes, writesCpu } = await recordSyntheticScans(store, {
    findings: FINDINGS,
    scans: SCANS,
  });
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
