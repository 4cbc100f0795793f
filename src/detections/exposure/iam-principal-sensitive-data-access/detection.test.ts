import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateOrganization, writeSnapshotFolder } from '../../../generate/index.js';
import { analyzeAccess } from '../../../graph/index.js';
import { loadSnapshot } from '../../../ingest/load-inputs.js';
import type { Principal } from '../../../model/index.js';
import { describeDetection } from '../../../test-support/detection-case.js';
import { buildDetectionContext } from '../../run.js';
import { publicExposure } from '../../shared/exposure-access.js';
import { detection, READS, requestContextOf, sensitiveTag } from './detection.js';

describeDetection(detection, import.meta.dirname);

describe('RES-07 on a generated organization', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // The rule evaluates one principal per group of principals that decide a read alike, and skips
  // principals whose statements cannot cover the resource. Asking the engine for every principal
  // and every sensitive resource must give the same readers.
  it('finds exactly the readers that asking the engine for every principal finds', async () => {
    dir = await mkdtemp(join(tmpdir(), 'iamsight-res07-'));
    const org = generateOrganization({
      seed: 11,
      principals: 500,
      accounts: 4,
      cloudTrailEvents: 0,
    });
    await writeSnapshotFolder(org, dir);
    const snapshot = await loadSnapshot({ snapshots: [dir] });
    const asOf = '2026-11-24T00:00:00Z';
    const access = analyzeAccess(snapshot, { asOf });
    const ctx = buildDetectionContext(snapshot, access, {
      asOf,
      config: { trustedAccounts: new Set() },
    });
    const { evaluator } = access.context;

    const expected = new Map<string, string[]>();
    const eligible = access.context.actors.filter(
      (p: Principal) => p.type !== 'root' && !ctx.isAwsOwned(p) && !access.status.get(p.arn)?.admin,
    );
    for (const resource of snapshot.resources) {
      const reads = READS[resource.type];
      if (!reads || !sensitiveTag(resource)) continue;
      if (publicExposure(ctx, resource).reach === 'open') continue;
      const target = reads.object ? `${resource.arn}/*` : resource.arn;
      for (const principal of eligible) {
        const action = reads.actions.find((a) => {
          let result = evaluator.evaluate(principal, a, target);
          if (result.decision === 'Allowed' && result.conditional.length > 0)
            result = evaluator.evaluate(principal, a, target, {
              context: requestContextOf(resource),
            });
          return result.decision === 'Allowed';
        });
        if (action)
          expected.set(principal.arn, [
            ...(expected.get(principal.arn) ?? []),
            `${resource.arn} ${action}`,
          ]);
      }
    }
    const got = new Map(
      detection
        .evaluate(ctx)
        .map((r) => [
          r.resource.arn,
          r.evidence as { count: number; resources: { arn: string; action: string }[] },
        ]),
    );
    // The generated estate has sensitive stores and readers of them.
    expect(expected.size).toBeGreaterThan(10);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [arn, evidence] of got) {
      const reads = expected.get(arn) ?? [];
      expect(evidence.count, arn).toBe(reads.length);
      for (const x of evidence.resources) expect(reads, arn).toContain(`${x.arn} ${x.action}`);
    }
  }, 120_000);
});
