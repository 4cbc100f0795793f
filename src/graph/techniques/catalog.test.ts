/**
 * The technique catalog against its sources: every path of the pathfinding.cloud snapshot has an
 * entry with the same category and exactly its required permissions (read from the YAML, not from
 * our entries); ids are unique; every entry is complete. Checked without the corpus for the
 * structural part.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionIndex } from '../../catalog/index.js';
import { corpusPath, describeWithCorpus, repoRoot } from '../../test-support/corpus.js';
import { TECHNIQUES, TECHNIQUES_BY_ID } from './index.js';

interface PathYaml {
  readonly id: string;
  readonly category: string;
  readonly permissions: { readonly required: readonly { readonly permission: string }[] };
}

describe('technique catalog', () => {
  it('has unique ids and complete entries naming known actions', () => {
    expect(TECHNIQUES_BY_ID.size).toBe(TECHNIQUES.length);
    for (const t of TECHNIQUES) {
      expect(t.id, t.id).toMatch(/^[a-z0-9-]+$/);
      expect(t.permissions.length, t.id).toBeGreaterThan(0);
      expect(t.reason, t.id).toMatch(/\{actor\}/);
      expect(t.source.length, t.id).toBeGreaterThan(5);
      for (const p of t.permissions)
        expect(actionIndex(p.action), `${t.id} ${p.action}`).toBeDefined();
    }
  });
});

describeWithCorpus(
  'technique catalog vs pathfinding.cloud',
  ['pathfinding.cloud', 'data', 'paths'],
  () => {
    // Read lazily: a skipped suite's body still runs (to collect its tests) without the corpus.
    let cached: PathYaml[] | null = null;
    const readPaths = (): PathYaml[] => {
      if (cached) return cached;
      const root = corpusPath('pathfinding.cloud', 'data', 'paths');
      cached = readdirSync(root).flatMap((service) =>
        readdirSync(join(root, service))
          .filter((f) => f.endsWith('.yaml'))
          .map(
            (f) =>
              parse(readFileSync(join(root, service, f), 'utf8'), {
                uniqueKeys: false,
              }) as PathYaml,
          ),
      );
      return cached;
    };

    it('covers every path of the snapshot (65)', () => {
      const paths = readPaths();
      expect(paths).toHaveLength(65);
      expect(paths.map((p) => p.id).filter((id) => !TECHNIQUES_BY_ID.has(id))).toEqual([]);
    });

    it('uses the category and exactly the required permissions of each path', () => {
      const wrong = readPaths().flatMap((path) => {
        const ours = TECHNIQUES_BY_ID.get(path.id);
        if (!ours) return [];
        const theirs = path.permissions.required.map((p) => p.permission.toLowerCase()).sort();
        const mine = [...new Set(ours.permissions.map((p) => p.action.toLowerCase()))].sort();
        const problems: string[] = [];
        if (ours.category !== path.category)
          problems.push(`category ${ours.category} ≠ ${path.category}`);
        if (JSON.stringify(mine) !== JSON.stringify(theirs))
          problems.push(`permissions ${mine.join(',')} ≠ ${theirs.join(',')}`);
        return problems.map((p) => `${path.id}: ${p}`);
      });
      expect(wrong).toEqual([]);
    });
  },
);

describe('technique fixtures', () => {
  it('every technique has a fixture case, in a file that also runs the negative twins', () => {
    const dir = join(repoRoot, 'src', 'graph', 'techniques');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    const missing = TECHNIQUES.filter((t) => {
      const file = files.find(
        (text) => text.includes(`technique: '${t.id}'`) || text.includes(`'${t.id}'`),
      );
      return (
        !file ||
        !['missing-permission', 'resource-mismatch', "'deny'", "'scp'"].every((twin) =>
          file.includes(twin),
        )
      );
    }).map((t) => t.id);
    expect(missing).toEqual([]);
  });
});
