/**
 * The repository's own text files carry no leftover merge conflict markers: prettier does not see
 * them in Markdown (a `=======` line is a heading underline there), so a merge could land them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const TEXT = /\.(md|ts|tsx|js|cjs|mjs|json|ya?ml|css|html|sh)$|^\.ci\/run$/;
const MARKER = /^(<{7} |>{7} |={7}$)/m;

function trackedFiles(): string[] | null {
  try {
    return execFileSync('git', ['ls-files'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter(Boolean);
  } catch {
    return null;
  }
}

const files = trackedFiles();

describe('repository', () => {
  it.skipIf(files === null)('has no merge conflict markers in tracked text files', () => {
    const marked = files!.filter(
      (file) => TEXT.test(file) && MARKER.test(readFileSync(file, 'utf8')),
    );
    expect(marked).toEqual([]);
  });
});
