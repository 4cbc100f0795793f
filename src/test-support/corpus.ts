import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/** The repository root (this file is src/test-support/corpus.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared public test corpus beside the repository (`../shared/corpus`), or
 * `IAMSIGHT_CORPUS` when set. A user's clone has none: tests that need it are skipped with a notice.
 */
export const corpusRoot =
  process.env.IAMSIGHT_CORPUS ?? resolve(repoRoot, '..', 'shared', 'corpus');

/** Absolute path of a file in the corpus. */
export function corpusPath(...parts: string[]): string {
  return join(corpusRoot, ...parts);
}

/** True when the corpus (or the given file in it) is present. */
export function hasCorpus(...parts: string[]): boolean {
  return existsSync(corpusPath(...parts));
}

/**
 * `describe` that runs only when the corpus file exists, and otherwise says so visibly
 * (a skipped suite named after the missing path) instead of passing silently.
 */
export function describeWithCorpus(name: string, parts: string[], body: () => void): void {
  if (hasCorpus(...parts)) {
    describe(name, body);
  } else {
    console.warn(`[corpus] ${corpusPath(...parts)} is absent: skipping "${name}"`);
    // The body is not run: it may read the absent files while its tests are collected.
    describe.skip(`${name} (corpus absent: ${parts.join('/')})`, () => {
      it('needs the shared corpus data', () => undefined);
    });
  }
}
