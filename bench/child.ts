/**
 * Benchmarks measure each size in a fresh Node process (so memory figures are its own): this runs
 * the benchmark file again as a child with the given arguments and returns the figures it prints
 * as its last line of JSON.
 */
import { spawnSync } from 'node:child_process';

export function runChild(
  script: string,
  args: readonly string[],
  failure: string,
): Record<string, number> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (result.status !== 0) throw new Error(`${failure}:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}
