import { describe, expect, it } from 'vitest';
import { buildDetectionContext, runDetections } from '../detections/run.js';
import type { Detection } from '../detections/types.js';
import { analyzeAccess } from '../graph/index.js';
import { InputError } from '../model/index.js';
import { ADMIN_ACCESS, TestEstate, allow, doc, trust } from '../test-support/estate.js';
import { parseConfig } from './config.js';
import { consoleUrlOf } from './console-url.js';
import { buildFindings, fingerprintOf } from './findings.js';
import { computeScore } from './score.js';

const ACCOUNT = '100000000001';
const AS_OF = '2026-11-24T00:00:00Z';

/** A small rule used to exercise the findings layer: users with an inline policy. */
const inlineUsers: Detection = {
  id: 'test-user-inline-policy',
  anchor: 'TEST-01',
  version: 1,
  title: 'User with an inline policy',
  severity: 'high',
  category: 'policy-hygiene',
  description: 'd',
  risk: 'r',
  remediation: 'Move it to a managed policy.',
  references: [],
  requires: ['iam'],
  identityFields: ['policyName'],
  appliesTo: ['AWS::IAM::User'],
  evaluate: (ctx) =>
    ctx.snapshot.principals
      .filter((p) => p.type === 'user')
      .flatMap((user) =>
        user.inlinePolicies.map((policy) => ({
          resource: ctx.refOf(user),
          message: `User ${user.name} has the inline policy ${policy.name}.`,
          evidence: { policy: policy.name },
          identity: { policyName: policy.name },
        })),
      ),
};

const throwing: Detection = {
  ...inlineUsers,
  id: 'test-throws',
  anchor: 'TEST-02',
  evaluate: () => {
    throw new Error('boom');
  },
};

async function scan(estate: TestEstate) {
  const snapshot = await estate.snapshot();
  const access = analyzeAccess(snapshot, { asOf: AS_OF });
  const ctx = buildDetectionContext(snapshot, access, { asOf: AS_OF });
  return runDetections(ctx, [inlineUsers, throwing]);
}

describe('findings', () => {
  it('have stable fingerprints from rule, resource and identity fields', async () => {
    const estate = new TestEstate(ACCOUNT);
    estate.user('alice', { inline: [doc(allow('s3:GetObject')), doc(allow('s3:PutObject'))] });
    estate.user('bob');
    const runs = await scan(estate);
    const findings = buildFindings(runs, { mutes: [], asOf: AS_OF });
    expect(findings.map((f) => f.fingerprint)).toEqual([
      fingerprintOf('test-user-inline-policy', `arn:aws:iam::${ACCOUNT}:user/alice`, {
        policyName: 'alice-inline-1',
      }),
      fingerprintOf('test-user-inline-policy', `arn:aws:iam::${ACCOUNT}:user/alice`, {
        policyName: 'alice-inline-2',
      }),
    ]);
    // The same inputs give the same fingerprints on the next scan.
    const again = buildFindings(await scan(estate), { mutes: [], asOf: AS_OF });
    expect(again.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
    expect(findings[0]!.remediation.consoleUrl).toBe(
      'https://console.aws.amazon.com/iam/home#/users/details/alice',
    );
  });

  it('record a failing detection without stopping the others', async () => {
    const estate = new TestEstate(ACCOUNT);
    estate.user('alice', { inline: [doc(allow('s3:GetObject'))] });
    const runs = await scan(estate);
    expect(runs.map((r) => [r.detection.id, r.error])).toEqual([
      ['test-user-inline-policy', null],
      ['test-throws', 'boom'],
    ]);
  });

  it('are muted by rule, ARN glob, account or fingerprint, until the mute expires', async () => {
    const estate = new TestEstate(ACCOUNT);
    estate.user('svc-legacy', { inline: [doc(allow('s3:GetObject'))] });
    estate.user('alice', { inline: [doc(allow('s3:GetObject'))] });
    const runs = await scan(estate);
    const config = parseConfig(
      [
        'mutes:',
        '  - rule: TEST-01',
        '    arn: "arn:aws:iam::*:user/svc-*"',
        '    reason: legacy service user, tracked in SEC-12',
        '    until: 2027-01-01',
        '  - rule: test-user-inline-policy',
        '    account: "100000000001"',
        '    reason: expired exception',
        '    until: 2026-01-01',
      ].join('\n'),
      'iamsight.config.yaml',
    );
    const findings = buildFindings(runs, { mutes: config.mutes, asOf: AS_OF });
    expect(findings.map((f) => [f.resource.name, f.status])).toEqual([
      ['alice', 'open'],
      ['svc-legacy', 'muted'],
    ]);
    expect(findings[1]!.mute).toEqual({
      reason: 'legacy service user, tracked in SEC-12',
      until: '2027-01-01',
    });
  });

  it('reject a bad configuration with the file, the path and what was expected', () => {
    expect(() => parseConfig('mutes:\n  - rule: TEST-01\n', 'iamsight.config.yaml')).toThrow(
      InputError,
    );
    expect(() => parseConfig('mutes:\n  - rule: TEST-01\n', 'iamsight.config.yaml')).toThrow(
      /iamsight\.config\.yaml: at \$\.mutes\[0\]\.reason/,
    );
    expect(() => parseConfig('trustedAccounts: ["12345"]', 'c.yaml')).toThrow(
      /\$\.trustedAccounts\[0\]: a 12-digit account id/,
    );
    expect(() => parseConfig('{"mutes": [', 'c.json')).toThrow(/c\.json: at \$: valid JSON/);
  });
});

describe('identity health score', () => {
  it('is Σ weight × passed ÷ Σ weight over applicable pairs; muted pairs and failed rules leave both sums', async () => {
    const estate = new TestEstate(ACCOUNT);
    estate.user('alice', { inline: [doc(allow('s3:GetObject'))] });
    estate.user('bob');
    estate.user('carol');
    estate.user('svc-legacy', { inline: [doc(allow('s3:GetObject'))] });
    estate.role('admin', { trust: trust({ AWS: estate.root }), attached: [ADMIN_ACCESS] });
    const runs = await scan(estate);
    // 4 users × high (3): alice and svc-legacy fail. The throwing rule counts nothing.
    let findings = buildFindings(runs, { mutes: [], asOf: AS_OF });
    expect(computeScore(runs, findings, [])).toMatchObject({ value: 50, earned: 6, possible: 12 });
    findings = buildFindings(runs, {
      mutes: [{ arn: '*svc-*', reason: 'accepted' }],
      asOf: AS_OF,
    });
    const score = computeScore(runs, findings, []);
    expect(score).toMatchObject({ value: 66.7, earned: 6, possible: 9 });
    expect(score.byAccount[ACCOUNT]).toEqual({ value: 66.7, earned: 6, possible: 9 });
    expect(score.byResource[`arn:aws:iam::${ACCOUNT}:user/alice`]).toEqual({
      value: 0,
      earned: 0,
      possible: 3,
    });
    // A gap on what the rule requires takes its pairs out for that account.
    const gap = {
      source: 'iam:authorization-details',
      accountId: ACCOUNT,
      region: null,
      detail: '',
    };
    expect(computeScore(runs, findings, [gap])).toMatchObject({ value: 100, possible: 0 });
  });
});

describe('Fix in AWS', () => {
  it('links the exact console page and encodes names', () => {
    expect(
      consoleUrlOf({
        arn: 'arn:aws:iam::100000000001:policy/team/dev access',
        type: 'AWS::IAM::ManagedPolicy',
        name: 'dev access',
      }),
    ).toBe(
      'https://console.aws.amazon.com/iam/home#/policies/details/arn%3Aaws%3Aiam%3A%3A100000000001%3Apolicy%2Fteam%2Fdev%20access',
    );
    expect(
      consoleUrlOf({
        arn: 'arn:aws:lambda:eu-west-1:100000000001:function:reports',
        type: 'AWS::Lambda::Function',
        name: 'reports',
        region: 'eu-west-1',
      }),
    ).toBe(
      'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/reports?tab=permissions',
    );
    expect(consoleUrlOf({ arn: 'arn:aws:s3:::logs', type: 'AWS::S3::Bucket', name: 'logs' })).toBe(
      'https://s3.console.aws.amazon.com/s3/buckets/logs?tab=permissions',
    );
  });
});
