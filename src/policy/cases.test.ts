/**
 * The engine's table-driven corpus: every src/policy/cases/<topic>/*.json file holds evaluation
 * cases in the `iamsight eval` format, each with the AWS documentation it follows (`doc`) and the
 * expected answer (`expect`). Every bug fixed adds a case here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../test-support/corpus.js';
import { evalFileSchema, runEvalCase } from './eval-case.js';
import { identityAllowsOf } from './evaluate.js';

const casesRoot = join(repoRoot, 'src', 'policy', 'cases');

function caseFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? caseFiles(join(dir, entry.name))
        : entry.name.endsWith('.json')
          ? [join(dir, entry.name)]
          : [],
    )
    .sort();
}

const files = caseFiles(casesRoot).map((file) => ({
  file: relative(casesRoot, file),
  cases: evalFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))),
}));

describe('the case corpus', () => {
  it('has at least 300 cases, each citing the AWS documentation and stating its expectation', () => {
    const all = files.flatMap((f) => f.cases);
    expect(all.length).toBeGreaterThanOrEqual(300);
    for (const c of all) {
      expect(c.doc, c.name).toMatch(/docs\.aws\.amazon\.com/);
      expect(c.expect, c.name).toBeDefined();
    }
  });

  // Bulk callers (escalation permission sets) read the identity allows without the explanation:
  // the two must agree on every case.
  it('reads the same identity Allow statements with identityAllowsOf as from the reasons', () => {
    let allowed = 0;
    for (const c of files.flatMap((f) => f.cases)) {
      const { result } = runEvalCase(c);
      const fromReasons =
        result.decision === 'Allowed'
          ? result.reasons
              .filter((r) => r.kind === 'identity' && r.effect === 'allow')
              .flatMap((r) => r.statements)
          : [];
      if (fromReasons.length > 0) allowed += 1;
      expect(identityAllowsOf(result), c.name).toEqual(fromReasons);
    }
    expect(allowed).toBeGreaterThan(100);
  });

  it('has unique case names within each file', () => {
    for (const { file, cases } of files) {
      const names = cases.map((c) => c.name);
      expect(new Set(names).size, file).toBe(names.length);
    }
  });
});

for (const { file, cases } of files) {
  describe(file, () => {
    for (const evalCase of cases) {
      it(evalCase.name, () => {
        const { output } = runEvalCase(evalCase);
        const context = JSON.stringify({ expected: evalCase.expect, got: output }, null, 1);
        expect(output.decision, context).toBe(evalCase.expect?.decision);
        if (evalCase.expect?.conditional) {
          const keys = [
            ...new Set((output.conditional ?? []).map((c) => c.key.toLowerCase())),
          ].sort();
          expect(keys, context).toEqual(
            [...new Set(evalCase.expect.conditional.map((k) => k.toLowerCase()))].sort(),
          );
        }
      });
    }
  });
}
