import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'vitest';
import { repoRoot } from './corpus.js';

/**
 * The shared reference data beside the repository (`../shared/reference`), or
 * `IAMSIGHT_REFERENCE` when set. A user's clone has none: tests that need it are skipped visibly.
 */
export const referenceRoot =
  process.env.IAMSIGHT_REFERENCE ?? resolve(repoRoot, '..', 'shared', 'reference');

/** Absolute path of a file in the reference folder. */
export function referencePath(...parts: string[]): string {
  return join(referenceRoot, ...parts);
}

/**
 * `describe` that runs only when the reference file exists, and otherwise says so visibly
 * (a skipped suite named after the missing path) instead of passing silently.
 */
export function describeWithReference(name: string, parts: string[], body: () => void): void {
  if (existsSync(referencePath(...parts))) {
    describe(name, body);
  } else {
    console.warn(`[reference] ${referencePath(...parts)} is absent: skipping "${name}"`);
    // The body is not run: it may read the absent files while its tests are collected.
    describe.skip(`${name} (reference absent: ${parts.join('/')})`, () => {
      it('needs the shared reference data', () => undefined);
    });
  }
}
