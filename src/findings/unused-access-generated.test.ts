/**
 * On a generated organization with 90 days of CloudTrail: the generator's planned use (when each
 * role, password and key was last used, what each principal calls) becomes a Usage document, and
 * the unused-access findings must be exactly what the plan implies — every principal or key older
 * than the tracking period with no planned use in it, and nothing else — with the planted risks
 * (UNU-*, CRED-06) found on their principals.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSnapshot, type ScanAnalysis } from './analyze.js';
import {
  DEFAULT_NOW,
  generateOrganization,
  writeSnapshotFolder,
  type PlannedPrincipal,
  type PlantedRisk,
  type UsagePlan,
} from '../generate/index.js';
import { loadSnapshot } from '../ingest/load-inputs.js';
import type { Usage } from '../model/index.js';
import { usageFromPlans } from '../test-support/planned-usage.js';

const AS_OF = DEFAULT_NOW.toISOString();
const PERIOD_DAYS = 90;
const PERIOD_START = Date.parse(AS_OF) - PERIOD_DAYS * 86_400_000;

let dir = '';
let analysis: ScanAnalysis;
let usage: Usage;
const plans: UsagePlan[] = [];
const planted: PlantedRisk[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iamsight-usage-generated-'));
  const org = generateOrganization({
    seed: 11,
    principals: 700,
    accounts: 4,
    cloudTrailDays: PERIOD_DAYS,
    cloudTrailEvents: 0,
  });
  await writeSnapshotFolder(org, dir);
  for (const account of org.accounts) {
    const documents = account.documents();
    plans.push(documents.usagePlan);
    planted.push(...documents.planted);
  }
  usage = usageFromPlans(plans);
  const snapshot = await loadSnapshot({ snapshots: [dir] });
  analysis = analyzeSnapshot(snapshot, { asOf: AS_OF, usage });
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const before = (date: string | null): boolean => date === null || Date.parse(date) < PERIOD_START;
const olderThanPeriod = (date: string): boolean => Date.parse(date) <= PERIOD_START;
const awsOwned = (p: PlannedPrincipal): boolean =>
  p.path.startsWith('/aws-service-role/') ||
  p.path.startsWith('/aws-reserved/') ||
  (p.arn.split('/').pop() ?? '').startsWith('AWSReservedSSO_');
const principals = (): PlannedPrincipal[] => plans.flatMap((p) => p.principals);

function found(ruleId: string): string[] {
  return analysis.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => {
      const slot = (f.evidence.key as { slot?: number } | undefined)?.slot;
      return slot === undefined ? f.resource.arn : `${f.resource.arn}#${slot}`;
    })
    .sort();
}

describe('unused access on a generated organization', () => {
  it('has logs covering the tracking period in every account', () => {
    expect(analysis.gaps.filter((g) => g.source.startsWith('cloudtrail'))).toEqual([]);
    expect(usage.principals.length).toBeGreaterThan(100);
  });

  it('flags exactly the roles older than the period with no planned use in it (UNU-01)', () => {
    const expected = principals()
      .filter((p) => p.kind === 'role' && !awsOwned(p))
      .filter((p) => olderThanPeriod(p.created) && before(p.lastUsed))
      .map((p) => p.arn)
      .sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(found('iam-role-unused')).toEqual(expected);
  });

  it('flags exactly the active keys older than the period with no planned use in it (UNU-02)', () => {
    const expected = principals()
      .flatMap((p) => p.keys.map((k, i) => ({ arn: p.arn, slot: i + 1, key: k })))
      .filter(({ key }) => key.active && olderThanPeriod(key.created) && before(key.lastUsed))
      .map(({ arn, slot }) => `${arn}#${slot}`)
      .sort();
    expect(expected.length).toBeGreaterThan(3);
    expect(found('iam-user-access-key-unused')).toEqual(expected);
  });

  it('flags exactly the passwords set before the period and not used in it (UNU-03)', () => {
    const expected = principals()
      .filter((p) => p.password !== null)
      .filter((p) => olderThanPeriod(p.password!.changed) && before(p.password!.lastUsed))
      .map((p) => p.arn)
      .sort();
    expect(found('iam-user-password-unused')).toEqual(expected);
  });

  it('finds permission gaps only on principals that used something, from what they used', () => {
    const plannedActions = new Map(principals().map((p) => [p.arn, new Set(p.actions)]));
    const gaps = analysis.findings.filter((f) => f.ruleId === 'iam-principal-permission-gap');
    expect(gaps.length).toBeGreaterThan(5);
    for (const gap of gaps) {
      const planned = plannedActions.get(gap.resource.arn);
      expect(planned, gap.resource.arn).toBeDefined();
      // (Nothing counted as used is possible: a user whose only call is sts:GetCallerIdentity,
      // which needs no grant, uses none of what it is granted.)
      const used = gap.evidence.usedActions as string[];

      // Every action counted as used is one the plan has the principal call.
      const lower = new Set([...planned!].map((a) => a.toLowerCase()));
      expect(
        used.filter((a) => !lower.has(a.toLowerCase())),
        gap.resource.arn,
      ).toEqual([]);
    }
    // Principals with no planned use in the period are UNU-01/02/03's, never a permission gap.
    const idle = new Set(
      principals()
        .filter(
          (p) =>
            before(p.lastUsed) &&
            before(p.password?.lastUsed ?? null) &&
            p.keys.every((k) => before(k.lastUsed)),
        )
        .map((p) => p.arn),
    );
    expect(gaps.filter((g) => idle.has(g.resource.arn))).toEqual([]);
  });

  it('flags exactly the long-lived keys used in the period for services other than IAM and STS (CRED-08)', () => {
    const expected = principals()
      .filter((p) => p.actions.some((a) => !/^(iam|sts):/.test(a)))
      .flatMap((p) => p.keys.filter((k) => !before(k.lastUsed)).map(() => p.arn))
      .sort();
    const roots = plans
      .filter((plan) => plan.root.keys.some((k) => !before(k.lastUsed)))
      .map((plan) => plan.root.arn);
    expect(expected.length).toBeGreaterThan(3);
    expect(found('iam-access-key-long-lived-api-use')).toEqual([...expected, ...roots].sort());
  });

  it('finds the planted unused-access risks on their principals', () => {
    const rules: Record<string, string> = {
      'UNU-01': 'iam-role-unused',
      'UNU-02': 'iam-user-access-key-unused',
      'UNU-03': 'iam-user-password-unused',
      'UNU-04': 'iam-principal-permission-gap',
      'UNU-05': 'iam-admin-user-inactive',
      'UNU-06': 'iam-user-access-key-never-used',
      'UNU-07': 'iam-access-key-old-and-idle',
      'CRED-06': 'iam-root-used-recently',
    };
    // Unused access is judged only for entities that existed for the whole period (DESIGN.md §3.4).
    const created = new Map(principals().map((p) => [p.arn, p.created]));
    const judged = (p: PlantedRisk): boolean =>
      !['UNU-01', 'UNU-02', 'UNU-03', 'UNU-04', 'UNU-05'].includes(p.id) ||
      olderThanPeriod(created.get(p.arn) ?? AS_OF);
    const missed = planted
      .filter((p) => p.id in rules && judged(p))
      .filter(
        (p) => !analysis.findings.some((f) => f.ruleId === rules[p.id] && f.resource.arn === p.arn),
      )
      .map((p) => `${p.id} ${p.arn}: ${p.note}`);
    expect(planted.filter((p) => p.id in rules).length).toBeGreaterThan(8);
    expect(missed).toEqual([]);
  });
});
