/**
 * Import: time and peak memory to read a generated organization's snapshot folder into a Snapshot,
 * at 1,000 and 10,000 principals. Each size runs in a fresh process so peak RSS is its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrganization, writeSnapshotFolder } from '../src/generate/index.js';
import { loadSnapshot } from '../src/ingest/load-inputs.js';

async function measureChild(dir: string): Promise<void> {
  const started = performance.now();
  const snapshot = await loadSnapshot({ snapshots: [dir] });
  const ms = performance.now() - started;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({
      ms,
      maxRssMb,
      principals: snapshot.principals.length,
      resources: snapshot.resources.length,
    }) + '\n',
  );
}

export default async function run(): Promise<void> {
  for (const principals of [1_000, 10_000]) {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-bench-import-'));
    try {
      const generated = performance.now();
      await writeSnapshotFolder(
        generateOrganization({ seed: 1, principals, cloudTrailEvents: 0 }),
        dir,
      );
      const generateMs = performance.now() - generated;
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', dir],
        {
          encoding: 'utf8',
        },
      );
      if (child.status !== 0)
        throw new Error(`import of ${principals} principals failed:\n${child.stderr}`);
      const figures = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
        ms: number;
        maxRssMb: number;
        principals: number;
        resources: number;
      };
      console.log(
        `import ${principals.toLocaleString('en')} principals (${figures.principals} loaded, ${figures.resources} resources): ` +
          `${figures.ms.toFixed(0)} ms, peak RSS ${figures.maxRssMb.toFixed(0)} MB ` +
          `(generation ${generateMs.toFixed(0)} ms, not counted)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[2] === '--child' && process.argv[3]) await measureChild(process.argv[3]);
else if (import.meta.url === `file://${process.argv[1]}`) await run();
