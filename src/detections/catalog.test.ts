/** The catalog meta-test: ids unique and well-formed, metadata complete, fixtures present, docs current. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../test-support/corpus.js';
import { renderDetectionsDoc } from './doc.js';
import { DETECTIONS } from './registry.js';

const root = join(repoRoot, 'src', 'detections');

describe('detection catalog', () => {
  it('has unique, permanent-looking ids and complete metadata', () => {
    expect(new Set(DETECTIONS.map((d) => d.id)).size).toBe(DETECTIONS.length);
    for (const d of DETECTIONS) {
      expect(d.id, d.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(d.anchor, d.id).toMatch(/^[A-Z]+-\d{2}$/);
      expect(d.version, d.id).toBeGreaterThanOrEqual(1);
      for (const text of [d.title, d.description, d.risk, d.remediation])
        expect(text.length, d.id).toBeGreaterThan(10);
      expect(d.requires.length, d.id).toBeGreaterThan(0);
      expect(d.appliesTo.length, d.id).toBeGreaterThan(0);
    }
  });

  it('keeps each detection in its folder, with a test and fires and silent fixtures', () => {
    for (const d of DETECTIONS) {
      const folder = join(root, d.category, d.id);
      expect(existsSync(join(folder, 'detection.ts')), folder).toBe(true);
      expect(existsSync(join(folder, 'detection.test.ts')), folder).toBe(true);
      const fixtures = readdirSync(join(folder, 'fixtures'));
      expect(
        fixtures.some((f) => f.startsWith('fires-')),
        folder,
      ).toBe(true);
      expect(
        fixtures.some((f) => f.startsWith('silent-')),
        folder,
      ).toBe(true);
    }
  });

  it('docs/detections.md is generated from the registry (npm run docs:detections)', () => {
    const file = join(repoRoot, 'docs', 'detections.md');
    const rendered = renderDetectionsDoc();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(file, rendered);
    expect(readFileSync(file, 'utf8')).toBe(rendered);
  });
});
