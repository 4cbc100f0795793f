/**
 * CloudTrail ingest: `readCloudTrail` on 5 million generated events in .json.gz files (the S3
 * delivery layout), beside the machine's own limits measured in the same run on the same files —
 * one `zcat` process decompressing everything to /dev/null, and `JSON.parse` of the decompressed
 * bytes on one thread. Target (issue #6): at least the single-zcat rate on 2 cores, under 1 GB.
 *
 * The events are generated once into a cache folder under the OS temp folder and reused (about
 * 3 minutes to write, 680 MB); delete the folder to regenerate. Each measurement runs in its own
 * process, so its peak RSS is its own. Pass `--events N` for a smaller run.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { runChild } from './child.js';
import { generateOrganization, writeSnapshotFolder } from '../src/generate/index.js';
import type * as CloudTrailModule from '../src/ingest/cloudtrail/index.js';

/** The measured code is the compiled dist/ (`npm run bench` builds it first). */
const dist = new URL('../dist/', import.meta.url);
const load = <T>(path: string): Promise<T> => import(new URL(path, dist).href) as Promise<T>;

const SEED = 1;
const PRINCIPALS = 10_000;

function cacheFolder(events: number): string {
  return join(tmpdir(), `iamsight-bench-cloudtrail-${events}-seed${SEED}`);
}

/** Generates the events once; a marker with the options says the folder is complete. */
async function ensureEvents(events: number): Promise<string> {
  const dir = cacheFolder(events);
  const marker = join(dir, '.complete');
  const expected = JSON.stringify({ seed: SEED, principals: PRINCIPALS, cloudTrailEvents: events });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === expected) return dir;
  console.log(`generating ${events.toLocaleString('en')} events into ${dir} (once; reused later)`);
  const started = performance.now();
  await writeSnapshotFolder(
    generateOrganization({ seed: SEED, principals: PRINCIPALS, cloudTrailEvents: events }),
    dir,
  );
  writeFileSync(marker, expected);
  console.log(`  generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}

function listGz(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json.gz')) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * One zcat process decompressing every file (fed as one concatenated gzip stream) to /dev/null;
 * its wall time, and its CPU time (the shell's `times` after it exits).
 */
async function timeZcat(files: readonly string[]): Promise<{ ms: number; cpuMs: number }> {
  const started = performance.now();
  const zcat = spawn('sh', ['-c', 'zcat > /dev/null; times'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  zcat.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number>((resolve) => zcat.on('close', (code) => resolve(code ?? 1)));
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(file);
      stream.on('error', reject);
      stream.on('end', resolve);
      stream.pipe(zcat.stdin, { end: false });
    });
  }
  zcat.stdin.end();
  if ((await exited) !== 0) throw new Error('zcat failed');
  const ms = performance.now() - started;
  // `times` prints the shell's, then its children's user and system time: `0m18.80s 0m0.35s`.
  const children = out.trim().split('\n').at(-1) ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, m) => sum + Number(m[1]) * 60 + Number(m[2]),
    0,
  );
  return { ms, cpuMs: seconds * 1000 };
}

interface Figures {
  ms: number;
  /** User + system CPU time of the whole process (every thread). */
  cpuMs: number;
  records: number;
  maxRssMb: number;
  gunzipMs?: number;
  parseMs?: number;
  jsonBytes?: number;
}

/** In a child: Node's gunzip and JSON.parse on one thread, timed apart, file by file. */
function measureParse(dir: string): void {
  let gunzipMs = 0;
  let parseMs = 0;
  let jsonBytes = 0;
  let records = 0;
  for (const file of listGz(join(dir, 'cloudtrail'))) {
    const compressed = readFileSync(file);
    let t = performance.now();
    const json = gunzipSync(compressed);
    gunzipMs += performance.now() - t;
    jsonBytes += json.length;
    t = performance.now();
    const parsed = JSON.parse(json.toString('utf8')) as { Records: unknown[] };
    parseMs += performance.now() - t;
    records += parsed.Records.length;
  }
  const cpu = process.cpuUsage();
  const figures: Figures = {
    ms: gunzipMs + parseMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    records,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    gunzipMs,
    parseMs,
    jsonBytes,
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

/** In a child: `readCloudTrail` with `workers` threads (0: the calling thread). */
async function measureRead(dir: string, workers: number): Promise<void> {
  const { readCloudTrail } = await load<typeof CloudTrailModule>('ingest/cloudtrail/index.js');
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const usage = await readCloudTrail([join(dir, 'cloudtrail')], { workers });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (usage.stats.unreadableFiles.length > 0 || usage.stats.malformedRecords > 0)
    throw new Error(`unexpected: ${JSON.stringify(usage.stats).slice(0, 300)}`);
  const figures: Figures = {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    records: usage.stats.records,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

export default async function run(events = 5_000_000): Promise<void> {
  const dir = await ensureEvents(events);
  const files = listGz(join(dir, 'cloudtrail'));
  const gzBytes = files.reduce((sum, file) => sum + readFileSync(file).length, 0);
  const script = fileURLToPath(import.meta.url);
  const load1 = loadavg()[0] ?? 0;

  const measure = (args: string[], failure: string): Figures =>
    runChild(script, ['--child', ...args], failure) as unknown as Figures;
  const parse = measure(['parse', dir], 'JSON.parse baseline failed');
  const jsonBytes = parse.jsonBytes ?? 0;
  const zcat = await timeZcat(files);
  const inline = measure(['read', dir, '0'], 'readCloudTrail (inline) failed');
  const threads = Math.min(availableParallelism(), 8);
  const threaded = measure(['read', dir, String(threads)], 'readCloudTrail failed');

  const mb = (bytes: number) => bytes / 1e6;
  const line = (name: string, ms: number, cpuMs: number | null, extra = ''): string => {
    const s = ms / 1000;
    return (
      `  ${name.padEnd(28)} ${s.toFixed(1).padStart(6)} s ${cpuMs === null ? ' '.repeat(12) : `(${(cpuMs / 1000).toFixed(1).padStart(4)} s CPU)`}  ` +
      `${Math.round(events / s / 1000)
        .toLocaleString('en')
        .padStart(5)}k events/s  ${(mb(gzBytes) / s).toFixed(0).padStart(4)} MB/s gz  ` +
      `${(mb(jsonBytes) / s).toFixed(0).padStart(4)} MB/s JSON${extra}`
    );
  };
  console.log(
    `cloudtrail: ${events.toLocaleString('en')} events in ${files.length.toLocaleString('en')} .json.gz files ` +
      `(${mb(gzBytes).toFixed(0)} MB compressed, ${mb(jsonBytes).toFixed(0)} MB of JSON)`,
  );
  console.log(
    `  machine: ${availableParallelism()} cores, load average ${load1.toFixed(1)} at the start ` +
      `(figures are lower when other work shares the cores)`,
  );
  console.log('  limits of this machine, same files:');
  console.log(line('zcat, one process', zcat.ms, zcat.cpuMs));
  console.log(line('JSON.parse, one thread', parse.parseMs ?? 0, null, ' (gunzip not counted)'));
  console.log(line("Node's gunzip, one thread", parse.gunzipMs ?? 0, null));
  console.log('  iamsight (readCloudTrail: read, gunzip, scan, aggregate):');
  console.log(
    line('one thread', inline.ms, inline.cpuMs, `, peak RSS ${inline.maxRssMb.toFixed(0)} MB`),
  );
  console.log(
    line(
      `${threads} worker threads`,
      threaded.ms,
      threaded.cpuMs,
      `, peak RSS ${threaded.maxRssMb.toFixed(0)} MB`,
    ),
  );
  console.log(
    `  → ${(zcat.ms / threaded.ms).toFixed(2)}× the single-zcat rate on ${threads} threads ` +
      `(target ≥ 1.0×), ${(zcat.ms / inline.ms).toFixed(2)}× on one; per CPU-second ` +
      `${(zcat.cpuMs / inline.cpuMs).toFixed(2)}× zcat's; memory target < 1 GB`,
  );
  console.log(
    `  (${threads} threads used ${(threaded.cpuMs / threaded.ms).toFixed(1)} cores on average: ` +
      `below ${threads} means other work had the rest)`,
  );
  if (threaded.records !== events || inline.records !== events)
    throw new Error(`read ${threaded.records} / ${inline.records} records, expected ${events}`);
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  if (args[1] === 'parse') measureParse(args[2] as string);
  else await measureRead(args[2] as string, Number(args[3]));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const at = args.indexOf('--events');
  await run(at >= 0 ? Number(args[at + 1]) : undefined);
}
