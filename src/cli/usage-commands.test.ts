import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scanDocumentSchema } from '../findings/scan-document.js';
import { parsePolicy } from '../policy/parse.js';
import { TestEstate, allow, doc, trust } from '../test-support/estate.js';
import { runCapturing as run } from '../test-support/cli.js';
import { aPrincipal, aUsage, anAction } from '../test-support/usage.js';

afterEach(() => vi.restoreAllMocks());

const ACCOUNT = '100000000001';
const AS_OF = ['--as-of', '2026-11-24'];
const ROLE = `arn:aws:iam::${ACCOUNT}:role/payments-api`;
let dir = '';
let authz = '';
let usage = '';

beforeAll(async () => {
  const estate = new TestEstate(ACCOUNT);
  estate.role('payments-api', {
    trust: trust({ Service: 'lambda.amazonaws.com' }),
    lastUsed: '2026-11-23T10:00:00Z',
    inline: [
      doc(
        allow(['dynamodb:DescribeTable', 'dynamodb:UpdateTable', 'dynamodb:DeleteTable'], '*'),
        allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/payments-*`),
        allow('ec2:DescribeInstances', '*'),
      ),
    ],
  });
  estate.role('legacy-etl', {
    trust: trust({ Service: 'glue.amazonaws.com' }),
    lastUsed: '2026-03-02T10:00:00Z',
  });
  estate.group('auditors');
  dir = await mkdtemp(join(tmpdir(), 'iamsight-usage-commands-'));
  authz = join(dir, 'authz.json');
  await writeFile(authz, JSON.stringify(estate.authorizationDetails()));
  usage = join(dir, 'usage.json');
  await writeFile(
    usage,
    JSON.stringify(
      aUsage(
        { start: '2026-08-20T00:00:00.000Z', end: '2026-11-23T23:00:00.000Z' },
        {
          principals: [
            aPrincipal(ROLE, [
              anAction('dynamodb:DescribeTable', '2026-11-22T10:00:00.000Z', {
                resources: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments`],
                count: 120,
              }),
              anAction('ec2:DescribeInstances', '2026-11-21T10:00:00.000Z', {
                count: 7,
                denied: 1,
              }),
            ]),
          ],
        },
      ),
    ),
  );
});

describe('iamsight insights', () => {
  it('shows granted versus used by service, the used actions and the unknown ones', async () => {
    const { code, stdout } = await run([
      'insights',
      'role/payments-api',
      '--authz',
      authz,
      '--usage',
      usage,
      ...AS_OF,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Granted 5 actions: 2 used, 2 unused, 1 unknown (CloudTrail cannot show them); 50% of the observable ones unused.',
    );
    expect(stdout).toMatch(/dynamodb\s+3\s+1\s+2\s+0\s+2026-11-22/);
    expect(stdout).toMatch(/ec2:DescribeInstances\s+6\s+1\s+2026-11-21/);
    expect(stdout).toContain(
      'iam:PassRole: a permission checked when a role is passed to a service',
    );
  });

  it('prints the insights document with --format json', async () => {
    const { code, stdout } = await run([
      'insights',
      ROLE,
      '--authz',
      authz,
      '--usage',
      usage,
      ...AS_OF,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const insights = JSON.parse(stdout) as { schema: string; totals: unknown; lastUse: unknown };
    expect(insights.schema).toBe('iamsight.insights/v1');
    expect(insights.totals).toEqual({
      granted: 5,
      used: 2,
      unused: 2,
      unknown: 1,
      unusedPercent: 50,
    });
    expect(insights.lastUse).toMatchObject({
      latest: { source: 'role-last-used', lastUsed: '2026-11-23T10:00:00.000Z' },
    });
  });
});

describe('iamsight suggest-policy', () => {
  it('prints a valid least-privilege policy, its diff and the kept PassRole', async () => {
    const { code, stdout } = await run([
      'suggest-policy',
      'role/payments-api',
      '--authz',
      authz,
      '--usage',
      usage,
      ...AS_OF,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const suggestion = JSON.parse(stdout) as {
      schema: string;
      documents: Record<string, unknown>[];
      diff: { kept: number; removed: number; added: string[] };
      unknownActions: { action: string }[];
    };
    expect(suggestion.schema).toBe('iamsight.suggested-policy/v1');
    expect(suggestion.documents[0]?.Statement).toEqual([
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
    ]);
    const parsed = parsePolicy(suggestion.documents[0]!, { id: 'suggested', kind: 'identity' });
    expect(parsed.diagnostics).toEqual([]);
    expect(suggestion.diff).toMatchObject({ kept: 3, removed: 2, added: [] });
    expect(suggestion.unknownActions.map((u) => u.action)).toEqual(['iam:PassRole']);
  });

  it('explains the diff in text', async () => {
    const { code, stdout } = await run([
      'suggest-policy',
      'role/payments-api',
      '--authz',
      authz,
      '--usage',
      usage,
      ...AS_OF,
    ]);
    expect(code).toBe(0);
    // The policy as indented JSON a person can paste into the console.
    expect(stdout.startsWith('{\n  "Version": "2012-10-17",\n  "Statement": [\n')).toBe(true);
    expect(stdout).toContain('      "Sid": "DynamodbUsed",\n');
    expect(stdout).toContain(
      'Diff against today: 3 of 5 granted actions kept, 2 removed, 0 added.',
    );
    expect(stdout).toContain(
      'dynamodb: keeps 1 of 3; removes dynamodb:DeleteTable, dynamodb:UpdateTable',
    );
    expect(stdout).toContain('Kept but unverifiable (1)');
  });

  it('refuses without usage, for a group, and a bad usage file (exit 2, naming the file and path)', async () => {
    const none = await run(['suggest-policy', 'role/payments-api', '--authz', authz]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('suggest-policy needs CloudTrail usage: --cloudtrail PATH');
    const group = await run(['insights', 'group/auditors', '--authz', authz, '--usage', usage]);
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('is for users and roles');
    const bad = join(dir, 'bad-usage.json');
    await writeFile(
      bad,
      JSON.stringify({ schema: 'iamsight.usage/v1', window: { start: 'yesterday', end: null } }),
    );
    const invalid = await run(['insights', 'role/payments-api', '--authz', authz, '--usage', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(`${bad}: at $.window.start: expected an ISO-8601 date-time`);
    const period = await run([
      'insights',
      'role/payments-api',
      '--authz',
      authz,
      '--usage',
      usage,
      '--tracking-period',
      '400',
    ]);
    expect(period.code).toBe(2);
    expect(period.stderr).toContain(
      '--tracking-period: expected a whole number of days from 1 to 365',
    );
  });
});

describe('iamsight scan --usage', () => {
  it('adds the findings that need CloudTrail, and says which did not run without it', async () => {
    const without = await run(['scan', '--authz', authz, ...AS_OF, '--format', 'json']);
    const plain = scanDocumentSchema.parse(JSON.parse(without.stdout));
    expect(plain.gaps.find((g) => g.source === 'cloudtrail')?.detail).toContain(
      'iam-principal-permission-gap',
    );
    // RoleLastUsed alone shows legacy-etl unused: no CloudTrail needed for UNU-01.
    expect(
      plain.findings.filter((f) => f.ruleId === 'iam-role-unused').map((f) => f.resource.name),
    ).toEqual(['legacy-etl']);
    expect(plain.findings.some((f) => f.ruleId === 'iam-principal-permission-gap')).toBe(false);

    const withUsage = await run([
      'scan',
      '--authz',
      authz,
      '--usage',
      usage,
      ...AS_OF,
      '--format',
      'json',
    ]);
    expect(withUsage.code).toBe(0);
    const scan = scanDocumentSchema.parse(JSON.parse(withUsage.stdout));
    expect(scan.gaps.some((g) => g.source.startsWith('cloudtrail'))).toBe(false);
    const gap = scan.findings.find((f) => f.ruleId === 'iam-principal-permission-gap');
    expect(gap?.resource.arn).toBe(ROLE);
    expect(gap?.message).toBe(
      'Role payments-api used 2 of the 4 actions it is granted in the last 90 days: 50.0% unused (threshold 40.0%).',
    );
  });

  it('reports logs that do not cover the period as a gap for the account', async () => {
    const { stdout } = await run([
      'scan',
      '--authz',
      authz,
      '--usage',
      usage,
      '--as-of',
      '2027-03-01',
      '--format',
      'json',
    ]);
    const scan = scanDocumentSchema.parse(JSON.parse(stdout));
    expect(scan.gaps.find((g) => g.source === 'cloudtrail:coverage')).toMatchObject({
      accountId: ACCOUNT,
      detail: expect.stringContaining(
        'the CloudTrail logs end 2026-11-23, before the evaluation time 2027-03-01',
      ),
    });
  });

  it('reads the same usage from CloudTrail log files (--cloudtrail), and refuses both sources at once', async () => {
    const record = (time: string, source: string, name: string) => ({
      eventVersion: '1.09',
      eventTime: time,
      eventSource: source,
      eventName: name,
      awsRegion: 'us-east-1',
      sourceIPAddress: 'lambda.amazonaws.com',
      userAgent: 'aws-sdk-js',
      recipientAccountId: ACCOUNT,
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROA0000000000000001:payments',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/payments-api/payments`,
        accountId: ACCOUNT,
        accessKeyId: 'ASIA0000000000000001',
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROA0000000000000001',
            arn: ROLE,
            accountId: ACCOUNT,
            userName: 'payments-api',
          },
        },
      },
    });
    const logs = join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2026', '11', '23');
    await mkdir(logs, { recursive: true });
    await writeFile(
      join(logs, `${ACCOUNT}_CloudTrail_us-east-1_20261123T1000Z_a.json`),
      JSON.stringify({
        Records: [
          record('2026-08-25T10:00:00Z', 'ec2.amazonaws.com', 'DescribeInstances'),
          record('2026-09-10T10:00:00Z', 'dynamodb.amazonaws.com', 'DescribeTable'),
          record('2026-11-23T10:00:00Z', 'ec2.amazonaws.com', 'DescribeInstances'),
        ],
      }),
    );
    const trail = join(dir, 'AWSLogs');
    const scanned = await run([
      'scan',
      '--no-store',
      '--authz',
      authz,
      '--cloudtrail',
      trail,
      ...AS_OF,
      '--format',
      'json',
    ]);
    expect(scanned.code).toBe(0);
    const scan = scanDocumentSchema.parse(JSON.parse(scanned.stdout));
    expect(scan.gaps.some((g) => g.source.startsWith('cloudtrail'))).toBe(false);
    expect(scan.findings.find((f) => f.ruleId === 'iam-principal-permission-gap')?.message).toBe(
      'Role payments-api used 2 of the 4 actions it is granted in the last 90 days: 50.0% unused (threshold 40.0%).',
    );

    const both = await run([
      'scan',
      '--authz',
      authz,
      '--cloudtrail',
      trail,
      '--usage',
      usage,
      ...AS_OF,
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
  });
});
