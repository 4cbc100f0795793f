import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../../test-support/corpus.js';
import { renderTechniquesDoc } from './doc.js';

const file = join(repoRoot, 'docs', 'techniques.md');

it('docs/techniques.md is generated from the registry (npm run docs:techniques)', () => {
  const rendered = renderTechniquesDoc();
  if (process.env.UPDATE_DOCS === '1') writeFileSync(file, rendered);
  expect(readFileSync(file, 'utf8')).toBe(rendered);
});
