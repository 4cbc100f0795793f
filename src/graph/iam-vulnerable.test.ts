/**
 * The real account dump with BishopFox iam-vulnerable deployed: every principal's verdict against
 * the ground truth in corpus-expectations/iam-vulnerable.json, which was written by reading the
 * policies (each entry says why). Skipped, visibly, where the corpus is absent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadSnapshot } from '../ingest/load-inputs.js';
import { corpusPath, describeWithCorpus, repoRoot } from '../test-support/corpus.js';
import { analyzeAccess } from './index.js';

interface Expectation {
  readonly arn: string;
  readonly admin: boolean;
  readonly escalates: boolean;
  readonly technique: string | null;
  readonly alternatives: readonly string[];
  readonly conditional: boolean;
  readonly why: string;
}

const DUMP = ['cloudsplaining', 'iam-vulnerable-account-authorization-details.json'];
const expectations = JSON.parse(
  readFileSync(join(repoRoot, 'src/graph/corpus-expectations/iam-vulnerable.json'), 'utf8'),
) as Expectation[];

describeWithCorpus('escalation on the iam-vulnerable account', DUMP, () => {
  it('gives every principal the verdict, technique and certainty the ground truth says', async () => {
    const snapshot = await loadSnapshot({ authz: [corpusPath(...DUMP)] });
    const analysis = analyzeAccess(snapshot, { asOf: '2026-11-24T00:00:00Z' });
    const principals = snapshot.principals.filter(
      (p) => (p.type === 'user' || p.type === 'role') && !p.path.startsWith('/aws-service-role/'),
    );
    expect(expectations.map((e) => e.arn).sort()).toEqual(principals.map((p) => p.arn).sort());
    const wrong: string[] = [];
    for (const e of expectations) {
      const status = analysis.status.get(e.arn);
      const escalation = analysis.escalations.get(e.arn);
      const first = (analysis.leading.get(e.arn) ?? []).map((s) => s.technique);
      const ours = {
        admin: status?.admin ?? false,
        escalates: status?.kind === 'full' ? false : escalation !== undefined,
        conditional: escalation?.conditional ?? false,
      };
      const techniqueOk =
        !e.escalates ||
        (escalation !== undefined &&
          [e.technique, ...e.alternatives].some(
            (t) => t === escalation.path[0]?.technique || first.includes(t ?? ''),
          ));
      if (
        ours.admin !== e.admin ||
        ours.escalates !== e.escalates ||
        ours.conditional !== e.conditional ||
        !techniqueOk
      ) {
        wrong.push(
          `${e.arn}: expected ${JSON.stringify({ admin: e.admin, escalates: e.escalates, technique: e.technique, conditional: e.conditional })}, ` +
            `got ${JSON.stringify({ ...ours, technique: escalation?.path[0]?.technique ?? null, first })} — ${e.why}`,
        );
      }
    }
    expect(wrong).toEqual([]);
  });
});
