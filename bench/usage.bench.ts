/**
 * Unused-access analysis on a generated organization with 90 days of usage (the generator's
 * planned use as a Usage document, src/test-support/planned-usage.ts), at 1,000 and 10,000
 * principals, each in a fresh process: reading the Usage document, the unused-access and
 * CloudTrail credential detections (on top of the access analysis they share with the scan), and
 * insights plus a suggested policy for every principal the logs show acting.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './child.js';
import { generateOrganization, writeSnapshotFolder } from '../src/generate/index.js';
import { usageFromPlans } from '../src/test-support/planned-usage.js';
import type * as RunModule from '../src/detections/run.js';
import type * as RegistryModule from '../src/detections/registry.js';
import type * as GraphModule from '../src/graph/index.js';
import type * as LoadInputsModule from '../src/ingest/load-inputs.js';
import type * as UsageDocumentModule from '../src/ingest/usage-document.js';
import type * as UsageModule from '../src/usage/index.js';
import type { RolePrincipal, UserPrincipal } from '../src/model/index.js';

const dist = new URL('../dist/', import.meta.url);
const load = <T>(path: string): Promise<T> => import(new URL(path, dist).href) as Promise<T>;
const AS_OF = '2026-11-01T00:00:00.000Z';

async function child(dir: string): Promise<void> {
  const { loadSnapshot } = await load<typeof LoadInputsModule>('ingest/load-inputs.js');
  const { importUsageDocument } = await load<typeof UsageDocumentModule>(
    'ingest/usage-document.js',
  );
  const { analyzeAccess } = await load<typeof GraphModule>('graph/index.js');
  const { buildDetectionContext, runDetections } =
    await load<typeof RunModule>('detections/run.js');
  const { DETECTIONS } = await load<typeof RegistryModule>('detections/registry.js');
  const usageModule = await load<typeof UsageModule>('usage/index.js');
  const snapshot = await loadSnapshot({ snapshots: [dir] });
  let started = performance.now();
  const usage = await importUsageDocument(join(dir, 'usage.json'));
  const index = usageModule.buildUsageIndex(usage);
  const usageReadMs = performance.now() - started;
  started = performance.now();
  const access = analyzeAccess(snapshot, { asOf: AS_OF });
  const accessMs = performance.now() - started;
  const ctx = buildDetectionContext(snapshot, access, { asOf: AS_OF, usage: index });
  const rules = DETECTIONS.filter(
    (d) => d.category === 'usage' || d.anchor === 'CRED-06' || d.anchor === 'CRED-08',
  );
  started = performance.now();
  const runs = runDetections(ctx, rules);
  const rulesMs = performance.now() - started;
  const active = snapshot.principals.filter(
    (p): p is UserPrincipal | RolePrincipal =>
      (p.type === 'user' || p.type === 'role') && index.principal(p.arn) !== undefined,
  );
  started = performance.now();
  let documents = 0;
  let insightsServices = 0;
  for (const principal of active) {
    const input = {
      principal,
      evaluator: access.context.evaluator,
      usage: index,
      asOf: AS_OF,
      tracking: usageModule.DEFAULT_TRACKING,
    };
    insightsServices += usageModule.buildInsights(input).services.length;
    documents += usageModule.suggestPolicyFor(input).documents.length;
  }
  const suggestMs = performance.now() - started;
  process.stdout.write(
    JSON.stringify({
      principals: snapshot.principals.length,
      usagePrincipals: usage.principals.length,
      usageReadMs,
      accessMs,
      rulesMs,
      rules: runs.length,
      findings: runs.reduce((n, r) => n + r.results.length, 0),
      failedRules: runs.filter((r) => r.error).length,
      active: active.length,
      suggestMs,
      documents,
      insightsServices,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
}

export default async function run(): Promise<void> {
  for (const principals of [1_000, 10_000]) {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-bench-usage-'));
    try {
      const org = generateOrganization({
        seed: 1,
        principals,
        cloudTrailDays: 90,
        cloudTrailEvents: 0,
      });
      await writeSnapshotFolder(org, dir);
      const usage = usageFromPlans(org.accounts.map((a) => a.documents().usagePlan));
      await writeFile(join(dir, 'usage.json'), JSON.stringify(usage));
      const f = runChild(
        fileURLToPath(import.meta.url),
        ['--child', dir],
        `usage bench failed at ${principals}`,
      );
      console.log(
        `unused access, ${principals.toLocaleString('en')} principals (${f.usagePrincipals} in the usage): ` +
          `read usage ${f.usageReadMs!.toFixed(0)} ms, access analysis ${f.accessMs!.toFixed(0)} ms, ` +
          `${f.rules} usage rules ${f.rulesMs!.toFixed(0)} ms (${f.findings} findings, ${f.failedRules} failed); ` +
          `insights + suggested policy for ${f.active} principals ${f.suggestMs!.toFixed(0)} ms ` +
          `(${(f.suggestMs! / Math.max(1, f.active!)).toFixed(1)} ms each); peak RSS ${f.maxRssMb!.toFixed(0)} MB`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[2] === '--child' && process.argv[3]) await child(process.argv[3]);
else if (import.meta.url === `file://${process.argv[1]}`) await run();
