/**
 * Policy engine: effective permissions (every catalog action) of every principal of generated
 * organizations of 1,000 and 10,000 principals (time and peak RSS, each size in a fresh process;
 * import time reported apart), and single-request evaluations per second on realistic requests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './child.js';
import { generateOrganization, writeSnapshotFolder } from '../src/generate/index.js';
import type * as CatalogModule from '../src/catalog/index.js';
import type * as LoadInputsModule from '../src/ingest/load-inputs.js';
import type * as EvaluateModule from '../src/policy/evaluate.js';
import type * as SnapshotEvaluatorModule from '../src/policy/snapshot-evaluator.js';
import type * as WhoCanModule from '../src/policy/who-can.js';

/**
 * The measured code is the compiled dist/ (what `iamsight` runs; `npm run bench` builds it first):
 * a TypeScript loader adds wrappers to every closure and skews hot loops.
 */
const dist = new URL('../dist/', import.meta.url);
const load = <T>(path: string): Promise<T> => import(new URL(path, dist).href) as Promise<T>;

/** A small deterministic PRNG (mulberry32) so every run draws the same requests. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function child(dir: string): Promise<void> {
  const { actionName, loadCatalog } = await load<typeof CatalogModule>('catalog/index.js');
  const { loadSnapshot } = await load<typeof LoadInputsModule>('ingest/load-inputs.js');
  const { evaluateRequest } = await load<typeof EvaluateModule>('policy/evaluate.js');
  const { SnapshotEvaluator } = await load<typeof SnapshotEvaluatorModule>(
    'policy/snapshot-evaluator.js',
  );
  const { EffectivePermissionIndex } = await load<typeof WhoCanModule>('policy/who-can.js');
  const loadStarted = performance.now();
  const snapshot = await loadSnapshot({ snapshots: [dir] });
  const loadMs = performance.now() - loadStarted;
  loadCatalog();
  const started = performance.now();
  const evaluator = new SnapshotEvaluator(snapshot);
  const index = new EffectivePermissionIndex(evaluator);
  const principals = index.buildAll();
  const effectiveMs = performance.now() - started;

  // Realistic single requests: a principal, an action its policies may allow (or any action),
  // and a resource of its account.
  const next = random(42);
  const candidates = snapshot.principals.filter((p) => p.type !== 'group');
  const requests: { principal: (typeof candidates)[number]; action: string; resource: string }[] =
    [];
  const all = loadCatalog().actionCount;
  for (let i = 0; i < 20_000; i += 1) {
    const principal = candidates[Math.floor(next() * candidates.length)]!;
    const possible = index.of(principal).possible.toIndexes();
    const bit =
      possible.length > 0 && next() < 0.7
        ? possible[Math.floor(next() * possible.length)]!
        : Math.floor(next() * all);
    const resources = snapshot.resources.filter((r) => r.accountId === principal.accountId);
    const resource =
      resources.length > 0 && next() < 0.8
        ? resources[Math.floor(next() * resources.length)]!.arn
        : '*';
    requests.push({ principal, action: actionName(bit), resource });
  }
  for (const r of requests.slice(0, 2_000)) evaluator.evaluate(r.principal, r.action, r.resource); // warm-up
  const rounds = 5;
  const evalStarted = performance.now();
  let allowed = 0;
  for (let round = 0; round < rounds; round += 1) {
    for (const r of requests)
      if (evaluator.evaluate(r.principal, r.action, r.resource).decision === 'Allowed')
        allowed += 1;
  }
  const evalMs = performance.now() - evalStarted;
  // The engine alone: the same requests with their inputs (policies, context) prepared beforehand.
  const inputs = requests.map((r) => evaluator.requestInput(r.principal, r.action, r.resource));
  const engineStarted = performance.now();
  for (let round = 0; round < rounds; round += 1)
    for (const input of inputs) evaluateRequest(input);
  const engineMs = performance.now() - engineStarted;
  process.stdout.write(
    JSON.stringify({
      principals,
      loadMs,
      effectiveMs,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      perSecond: (requests.length * rounds) / (evalMs / 1000),
      enginePerSecond: (inputs.length * rounds) / (engineMs / 1000),
      allowedShare: allowed / (requests.length * rounds),
    }) + '\n',
  );
}

export default async function run(): Promise<void> {
  for (const principals of [1_000, 10_000]) {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-bench-policy-'));
    try {
      await writeSnapshotFolder(
        generateOrganization({ seed: 1, principals, cloudTrailEvents: 0 }),
        dir,
      );
      const f = runChild(
        fileURLToPath(import.meta.url),
        ['--child', dir],
        `policy bench failed at ${principals}`,
      );
      console.log(
        `effective permissions, ${principals.toLocaleString('en')} principals (${f.principals} evaluated): ` +
          `${f.effectiveMs!.toFixed(0)} ms (import ${f.loadMs!.toFixed(0)} ms apart), peak RSS ${f.maxRssMb!.toFixed(0)} MB`,
      );
      console.log(
        `single requests on that snapshot: ${Math.round(f.perSecond!).toLocaleString('en')} evaluations/s ` +
          `including snapshot lookups, ${Math.round(f.enginePerSecond!).toLocaleString('en')}/s for the engine ` +
          `alone on prepared inputs (${(f.allowedShare! * 100).toFixed(1)}% allowed)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[2] === '--child' && process.argv[3]) await child(process.argv[3]);
else if (import.meta.url === `file://${process.argv[1]}`) await run();
