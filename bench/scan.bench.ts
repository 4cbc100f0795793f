/**
 * The full scan of DESIGN.md: import → policy evaluation → access graph and escalation paths →
 * detections → findings and score, for a generated organization of 10,000 principals (and 1,000),
 * each in a fresh process. Target at 10,000: ≤ 10 s and < 2 GB on 2 cores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './child.js';
import { generateOrganization, writeSnapshotFolder } from '../src/generate/index.js';
import type * as AnalyzeModule from '../src/findings/analyze.js';
import type * as DocumentModule from '../src/findings/scan-document.js';
import type * as LoadInputsModule from '../src/ingest/load-inputs.js';

const dist = new URL('../dist/', import.meta.url);
const load = <T>(path: string): Promise<T> => import(new URL(path, dist).href) as Promise<T>;

async function child(dir: string): Promise<void> {
  const { loadSnapshot } = await load<typeof LoadInputsModule>('ingest/load-inputs.js');
  const { analyzeSnapshot } = await load<typeof AnalyzeModule>('findings/analyze.js');
  const { buildScanDocument } = await load<typeof DocumentModule>('findings/scan-document.js');
  const started = performance.now();
  const snapshot = await loadSnapshot({ snapshots: [dir] });
  const importMs = performance.now() - started;
  const asOf = '2026-11-24T00:00:00.000Z';
  const analysis = analyzeSnapshot(snapshot, { asOf });
  const analysisMs = performance.now() - started - importMs;
  const document = buildScanDocument(snapshot, { generatedAt: asOf, analysis });
  const json = JSON.stringify(document);
  const totalMs = performance.now() - started;
  process.stdout.write(
    JSON.stringify({
      principals: snapshot.principals.length,
      importMs,
      analysisMs,
      totalMs,
      findings: document.findings.length,
      rules: analysis.runs.length,
      failedRules: analysis.runs.filter((r) => r.error).length,
      accessMs: analysis.timings.accessMs,
      detectionsMs: analysis.timings.detectionsMs,
      slowest: [...analysis.runs]
        .sort((a, b) => b.durationMs - a.durationMs)
        .slice(0, 4)
        .map((r) => `${r.detection.anchor} ${r.durationMs.toFixed(0)} ms`)
        .join(', '),
      score: document.score.value,
      documentMb: json.length / 1024 / 1024,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
}

export default async function run(): Promise<void> {
  for (const principals of [1_000, 10_000]) {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-bench-scan-'));
    try {
      await writeSnapshotFolder(
        generateOrganization({ seed: 1, principals, cloudTrailEvents: 0 }),
        dir,
      );
      const f = runChild(
        fileURLToPath(import.meta.url),
        ['--child', dir],
        `scan bench failed at ${principals}`,
      );
      console.log(
        `full scan, ${principals.toLocaleString('en')} principals: ${f.totalMs!.toFixed(0)} ms ` +
          `(import ${f.importMs!.toFixed(0)} ms, analysis ${f.analysisMs!.toFixed(0)} ms: access ${Number(f.accessMs).toFixed(0)} ms, detections ${Number(f.detectionsMs).toFixed(0)} ms, slowest ${String(f.slowest)}), peak RSS ${f.maxRssMb!.toFixed(0)} MB; ` +
          `${f.rules} rules (${f.failedRules} failed), ${f.findings} findings, score ${f.score}, document ${f.documentMb!.toFixed(1)} MiB`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[2] === '--child' && process.argv[3]) await child(process.argv[3]);
else if (import.meta.url === `file://${process.argv[1]}`) await run();
