/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so memory figures are its own)
 * and prints their figures. Pass names to run only some: `npm run bench -- import catalog`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

// Benchmarks measure the compiled code that `iamsight` runs.
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: join(here, '..') });
if (build.status !== 0) {
  console.log('npm run build failed: no benchmark ran');
  process.exit(1);
}

let failed = 0;
for (const file of files) {
  console.log(`\n## ${file.replace('.bench.ts', '')}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed += 1;
}
console.log(`\n${files.length - failed} benchmarks ran, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
