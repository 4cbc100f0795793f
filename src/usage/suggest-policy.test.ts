import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import type { RolePrincipal, Snapshot } from '../model/index.js';
import { summarizePolicy } from '../policy/effective.js';
import { evaluateRequest } from '../policy/evaluate.js';
import { parsePolicy } from '../policy/parse.js';
import { SnapshotEvaluator } from '../policy/snapshot-evaluator.js';
import { TestEstate, allow, doc, trust } from '../test-support/estate.js';
import { aPrincipal, aUsage, anAction } from '../test-support/usage.js';
import { buildInsights, suggestPolicyFor } from './insights.js';
import { MANAGED_POLICY_MAX_CHARS, type SuggestedPolicy } from './suggest-policy.js';
import { DEFAULT_TRACKING } from './tracking.js';
import { buildUsageIndex } from './usage-index.js';

const AS_OF = '2026-11-24T00:00:00.000Z';
const WINDOW = { start: '2026-08-20T00:00:00.000Z', end: '2026-11-23T23:00:00.000Z' };
const ACCOUNT = '100000000001';
const BUCKET = `arn:aws:s3:::payments-artifacts-${ACCOUNT}`;
const catalog = loadCatalog();

async function estate(): Promise<{ snapshot: Snapshot; role: string; admin: string }> {
  const e = new TestEstate(ACCOUNT);
  const role = e.role('payments-api', {
    trust: trust({ Service: 'lambda.amazonaws.com' }),
    inline: [
      doc(
        allow(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], [`${BUCKET}/*`]),
        allow(['dynamodb:DescribeTable', 'dynamodb:UpdateTable', 'dynamodb:DeleteTable'], '*'),
        allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/payments-*`),
        allow(['kms:Decrypt', 'kms:Encrypt'], '*', {
          Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
        }),
        allow('ec2:DescribeInstances', '*'),
      ),
    ],
  });
  const admin = e.role('ops-automation', {
    trust: trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }),
    attached: ['arn:aws:iam::aws:policy/AdministratorAccess'],
  });
  return { snapshot: await e.snapshot(), role, admin };
}

function suggest(
  snapshot: Snapshot,
  arn: string,
  usage: ReturnType<typeof buildUsageIndex>,
): SuggestedPolicy {
  const evaluator = new SnapshotEvaluator(snapshot, { asOf: AS_OF });
  const principal = snapshot.principals.find((p) => p.arn === arn) as RolePrincipal;
  return suggestPolicyFor({ principal, evaluator, usage, asOf: AS_OF, tracking: DEFAULT_TRACKING });
}

const paymentsUsage = (role: string) =>
  buildUsageIndex(
    aUsage(WINDOW, {
      principals: [
        aPrincipal(role, [
          anAction('s3:GetObject', '2026-11-23T10:00:00.000Z', {
            resources: [`${BUCKET}/releases/app-1.4.2.zip`, `${BUCKET}/releases/app-1.4.3.zip`],
          }),
          anAction('dynamodb:DescribeTable', '2026-11-22T10:00:00.000Z', {
            resources: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments`],
          }),
          anAction('kms:Decrypt', '2026-11-22T10:00:00.000Z', {
            resources: [
              `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111aaaa-2222-bbbb-3333-cccc4444dddd`,
            ],
          }),
          anAction('ec2:DescribeInstances', '2026-11-21T10:00:00.000Z'),
          // Allowed by the bucket policy of another account: not in the identity grant.
          anAction('s3:ListBucket', '2026-11-21T10:00:00.000Z', {
            resources: ['arn:aws:s3:::partner-drop-100000000009'],
          }),
        ]),
      ],
    }),
  );

describe('suggested least-privilege policy', () => {
  it('keeps the used actions on the resources seen, and PassRole on today’s resources, flagged', async () => {
    const { snapshot, role } = await estate();
    const suggestion = suggest(snapshot, role, paymentsUsage(role));
    expect(suggestion.documents).toHaveLength(1);
    expect(suggestion.documents[0]).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DynamodbUsed',
          Effect: 'Allow',
          Action: 'dynamodb:DescribeTable',
          Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments`,
        },
        { Sid: 'Ec2Used', Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' },
        {
          Sid: 'IamNotInLogs',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: `arn:aws:iam::${ACCOUNT}:role/payments-*`,
        },
        {
          Sid: 'KmsUsed',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111aaaa-2222-bbbb-3333-cccc4444dddd`,
          // Every statement granting it had this condition: it is carried over.
          Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
        },
        {
          Sid: 'S3Used',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: `${BUCKET}/*`,
        },
      ],
    });
    expect(suggestion.unknownActions).toEqual([
      { action: 'iam:PassRole', reason: expect.stringContaining('not an API call') },
    ]);
    expect(suggestion.notes.join('\n')).toContain('s3:ListBucket');
    // s3:GetObject in the logs shows the trail logs S3 data events: Put/DeleteObject are judged unused.
    expect(suggestion.diff).toMatchObject({ granted: 10, kept: 5, removed: 5, added: [] });
    expect(suggestion.diff.byService.find((s) => s.service === 'dynamodb')).toEqual({
      service: 'dynamodb',
      granted: 3,
      kept: 1,
      removed: 2,
      removedActions: ['dynamodb:DeleteTable', 'dynamodb:UpdateTable'],
    });
  });

  it('is valid IAM JSON that allows what was used and nothing today’s policies do not', async () => {
    const { snapshot, role } = await estate();
    const suggestion = suggest(snapshot, role, paymentsUsage(role));
    const parsed = parsePolicy(suggestion.documents[0]!, { id: 'suggested', kind: 'identity' });
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const evaluator = new SnapshotEvaluator(snapshot, { asOf: AS_OF });
    const principal = snapshot.principals.find((p) => p.arn === role)!;
    const request = (action: string, resource: string) =>
      evaluateRequest({
        ...evaluator.requestInput(principal, action, resource),
        identityPolicies: [parsed],
      }).decision;
    expect(request('s3:GetObject', `${BUCKET}/releases/app-1.4.4.zip`)).toBe('Allowed');
    expect(request('s3:DeleteObject', `${BUCKET}/releases/app-1.4.4.zip`)).toBe('ImplicitDeny');
    expect(
      request('dynamodb:DescribeTable', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments`),
    ).toBe('Allowed');
    expect(
      request('dynamodb:DescribeTable', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/ledger`),
    ).toBe('ImplicitDeny');
    const allowed = summarizePolicy(parsed).allowAny;
    const granted = catalog.setOf([
      's3:GetObject',
      's3:PutObject',
      's3:DeleteObject',
      'dynamodb:DescribeTable',
      'dynamodb:UpdateTable',
      'dynamodb:DeleteTable',
      'iam:PassRole',
      'kms:Decrypt',
      'kms:Encrypt',
      'ec2:DescribeInstances',
    ]);
    expect(allowed.isSubsetOf(granted)).toBe(true);
  });

  it('fits an administrator’s suggestion within the managed-policy size limit', async () => {
    const { snapshot, admin } = await estate();
    // 400 distinct actions used across services, with many resources each.
    const used = catalog
      .allActions()
      .toActions()
      .filter((a) => /^(ec2|iam|rds|cloudformation|lambda|sqs):(Describe|List|Get|Create)/.test(a))
      .slice(0, 400)
      .map((a, i) =>
        anAction(a, '2026-11-20T10:00:00.000Z', {
          resources:
            i % 3 === 0
              ? [`arn:aws:iam::${ACCOUNT}:role/service-role-number-${i}-with-a-long-name`]
              : [],
        }),
      );
    const usage = buildUsageIndex(aUsage(WINDOW, { principals: [aPrincipal(admin, used)] }));
    const suggestion = suggest(snapshot, admin, usage);
    expect(suggestion.widened).toBe(true);
    expect(suggestion.sizes.every((size) => size <= MANAGED_POLICY_MAX_CHARS)).toBe(true);
    expect(suggestion.documents.length).toBeGreaterThanOrEqual(1);
    expect(suggestion.diff.added).toEqual([]);
    // PassRole and the data events the logs do not hold are kept, and flagged.
    const kept = suggestion.unknownActions.map((u) => u.action);
    expect(kept).toContain('iam:PassRole');
    expect(kept).toContain('s3:GetObject');
    for (const document of suggestion.documents) {
      const parsed = parsePolicy(document, { id: 'suggested', kind: 'identity' });
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }
    expect(suggestion.notes.join('\n')).toMatch(/over the 6144-character limit/);
  });

  it('insights: granted versus used by service, with last-used dates', async () => {
    const { snapshot, role } = await estate();
    const evaluator = new SnapshotEvaluator(snapshot, { asOf: AS_OF });
    const principal = snapshot.principals.find((p) => p.arn === role) as RolePrincipal;
    const insights = buildInsights({
      principal,
      evaluator,
      usage: paymentsUsage(role),
      asOf: AS_OF,
      tracking: DEFAULT_TRACKING,
    });
    expect(insights.totals).toEqual({
      granted: 10,
      used: 4,
      unused: 5,
      unknown: 1,
      unusedPercent: 55.6,
    });
    expect(insights.services.map((s) => [s.service, s.used, s.unused, s.unknown])).toEqual([
      ['dynamodb', 1, 2, 0],
      ['ec2', 1, 0, 0],
      ['kms', 1, 1, 0],
      ['s3', 1, 2, 0],
      ['iam', 0, 0, 1],
    ]);
    const s3 = insights.services.find((s) => s.service === 's3')!;
    expect(s3.actions.map((a) => [a.action, a.status, a.lastUsed])).toEqual([
      ['s3:DeleteObject', 'unused', null],
      ['s3:GetObject', 'used', '2026-11-23T10:00:00.000Z'],
      ['s3:PutObject', 'unused', null],
    ]);
    expect(insights.usedNotGranted).toEqual(['s3:ListBucket']);
    expect(insights.coverage).toEqual({ covered: true });
  });
});
