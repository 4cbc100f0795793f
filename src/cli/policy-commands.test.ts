import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { corpusPath, describeWithCorpus, repoRoot } from '../test-support/corpus.js';
import { runCapturing } from '../test-support/cli.js';

const run = runCapturing;

afterEach(() => vi.restoreAllMocks());

// Account 100000000001: dev-alice (ReadOnlyAccess, group developers → deploy-artifacts, inline
// sts:AssumeRole on ci-deployer, named in ci-deployer's trust); ops-bob (groups admins →
// AdministratorAccess, developers; boundary ops-boundary = NotAction iam:*).
const authz = join(repoRoot, 'src', 'ingest', 'fixtures', 'iam', 'authz-cli.json');

describe('iamsight can', () => {
  it('allows through a group policy and names the deciding statement', async () => {
    const { code, stdout } = await run([
      'can',
      'user/dev-alice',
      's3:PutObject',
      'arn:aws:s3:::build-artifacts/app.zip',
      '--authz',
      authz,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ALLOWED: arn:aws:iam::100000000001:user\/dev-alice → s3:PutObject/);
    expect(stdout).toContain('arn:aws:iam::100000000001:policy/deploy-artifacts');
  });

  it('denies what no policy allows, and says so', async () => {
    const { stdout } = await run(['can', 'dev-alice', 'iam:CreateUser', '--authz', authz]);
    expect(stdout).toMatch(/^DENIED \(no policy allows it\)/);
  });

  it('applies the permissions boundary to an administrator', async () => {
    const admin = await run([
      'can',
      'ops-bob',
      'ec2:TerminateInstances',
      '--authz',
      authz,
      '--format',
      'json',
    ]);
    expect(JSON.parse(admin.stdout).decision).toBe('Allowed');
    const iam = await run([
      'can',
      'ops-bob',
      'iam:AttachUserPolicy',
      '--authz',
      authz,
      '--format',
      'json',
    ]);
    const result = JSON.parse(iam.stdout);
    expect(result.decision).toBe('ImplicitDeny');
    expect(result.reasons.map((r: { kind: string }) => r.kind)).toContain('boundary');
  });

  it('lets a principal the trust policy names assume the role', async () => {
    const { stdout } = await run([
      'can',
      'dev-alice',
      'sts:AssumeRole',
      'arn:aws:iam::100000000001:role/ci-deployer',
      '--authz',
      authz,
    ]);
    expect(stdout).toMatch(/^ALLOWED/);
    const bob = await run([
      'can',
      'ops-bob',
      'sts:AssumeRole',
      'arn:aws:iam::100000000001:role/ci-deployer',
      '--authz',
      authz,
    ]);
    // AdministratorAccess allows sts:AssumeRole, but the trust policy names only dev-alice.
    expect(bob.stdout).toMatch(/^DENIED/);
  });

  it('reports conditions it cannot decide, and decides them with --context', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-can-'));
    const file = join(dir, 'authz.json');
    await writeFile(
      file,
      JSON.stringify({
        UserDetailList: [
          {
            UserName: 'dev-carol',
            UserId: 'AIDAEXAMPLE000000001',
            Arn: 'arn:aws:iam::100000000002:user/dev-carol',
            Path: '/',
            CreateDate: '2025-01-01T00:00:00Z',
            GroupList: [],
            AttachedManagedPolicies: [],
            UserPolicyList: [
              {
                PolicyName: 'office-only',
                PolicyDocument: {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Sid: 'OfficeOnly',
                      Effect: 'Allow',
                      Action: 's3:GetObject',
                      Resource: '*',
                      Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
                    },
                  ],
                },
              },
            ],
          },
        ],
        GroupDetailList: [],
        RoleDetailList: [],
        Policies: [],
      }),
    );
    const unknown = await run([
      'can',
      'dev-carol',
      's3:GetObject',
      'arn:aws:s3:::reports/q1.csv',
      '--authz',
      file,
    ]);
    expect(unknown.stdout).toMatch(/^ALLOWED IF/);
    expect(unknown.stdout).toContain('IpAddress aws:SourceIp ["203.0.113.0/24"]: must hold');
    const inside = await run([
      'can',
      'dev-carol',
      's3:GetObject',
      'arn:aws:s3:::reports/q1.csv',
      '--authz',
      file,
      '--context',
      'aws:SourceIp=203.0.113.9',
    ]);
    expect(inside.stdout).toMatch(/^ALLOWED:/);
    const outside = await run([
      'can',
      'dev-carol',
      's3:GetObject',
      'arn:aws:s3:::reports/q1.csv',
      '--authz',
      file,
      '--context',
      'aws:SourceIp=198.51.100.1',
    ]);
    expect(outside.stdout).toMatch(/^DENIED/);
    const complete = await run([
      'can',
      'dev-carol',
      's3:GetObject',
      'arn:aws:s3:::reports/q1.csv',
      '--authz',
      file,
      '--complete',
    ]);
    expect(complete.stdout).toMatch(/^DENIED/);
  });

  it('rejects an unknown principal and a malformed --context with exit code 2', async () => {
    expect((await run(['can', 'nobody', 's3:GetObject', '--authz', authz])).code).toBe(2);
    const bad = await run([
      'can',
      'dev-alice',
      's3:GetObject',
      '--authz',
      authz,
      '--context',
      'novalue',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--context: expected key=value');
  });
});

describe('iamsight who-can', () => {
  it('lists every principal that can write the artifacts bucket', async () => {
    const { code, stdout } = await run([
      'who-can',
      's3:PutObject',
      'arn:aws:s3:::build-artifacts/app.zip',
      '--authz',
      authz,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const arns = JSON.parse(stdout)
      .principals.map((p: { arn: string }) => p.arn)
      .sort();
    expect(arns).toEqual([
      'arn:aws:iam::100000000001:role/ci-deployer',
      'arn:aws:iam::100000000001:user/dev-alice',
      'arn:aws:iam::100000000001:user/ops/ops-bob',
    ]);
    // Each entry explains itself in JSON too (the reasons are written lazily, then serialised).
    for (const p of JSON.parse(stdout).principals) {
      expect(p.decision).toBe('Allowed');
      expect(p.reasons.length, p.arn).toBeGreaterThan(0);
    }
  });
});

describeWithCorpus(
  'who-can on the iam-vulnerable account',
  ['cloudsplaining', 'iam-vulnerable-account-authorization-details.json'],
  () => {
    it('finds the principals that can create a new policy version, PMapper-style, only by evaluation', async () => {
      const file = corpusPath(
        'cloudsplaining',
        'iam-vulnerable-account-authorization-details.json',
      );
      const { stdout } = await run([
        'who-can',
        'iam:CreatePolicyVersion',
        '*',
        '--authz',
        file,
        '--format',
        'json',
      ]);
      const arns: string[] = JSON.parse(stdout).principals.map((p: { arn: string }) => p.arn);
      // iam-vulnerable's privesc1 user exists to show this technique.
      expect(arns).toContain('arn:aws:iam::200611803367:user/privesc1-CreateNewPolicyVersion-user');
      expect(
        arns.some((arn) => arn.endsWith(':user/privesc2-SetExistingDefaultPolicyVersion-user')),
      ).toBe(false);
    });
  },
);

describe('iamsight eval', () => {
  it('prints one decision line per case, with reasons and conditions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-eval-'));
    const file = join(dir, 'cases.json');
    const allow = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Read',
          Effect: 'Allow',
          Action: 's3:Get*',
          Resource: 'arn:aws:s3:::audit-logs/*',
          Condition: { Bool: { 'aws:SecureTransport': 'true' } },
        },
      ],
    };
    await writeFile(
      file,
      JSON.stringify([
        {
          name: 'over TLS',
          request: {
            principal: 'arn:aws:iam::100000000001:user/dev-alice',
            action: 's3:GetObject',
            resource: 'arn:aws:s3:::audit-logs/a.csv',
            context: { 'aws:SecureTransport': 'true' },
          },
          identityPolicies: [allow],
        },
        {
          name: 'unknown transport',
          request: {
            principal: 'arn:aws:iam::100000000001:user/dev-alice',
            action: 's3:GetObject',
            resource: 'arn:aws:s3:::audit-logs/a.csv',
            contextMode: 'discovery',
          },
          identityPolicies: [allow],
        },
        {
          name: 'scp deny',
          request: {
            principal: 'arn:aws:iam::100000000001:user/dev-alice',
            action: 's3:GetObject',
            resource: 'arn:aws:s3:::audit-logs/a.csv',
            context: { 'aws:SecureTransport': 'true' },
          },
          identityPolicies: [allow],
          scps: [
            [
              {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }],
              },
            ],
          ],
        },
      ]),
    );
    const { code, stdout } = await run(['eval', file]);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.name, l.decision])).toEqual([
      ['over TLS', 'Allowed'],
      ['unknown transport', 'Allowed'],
      ['scp deny', 'ExplicitDeny'],
    ]);
    expect(lines[0].conditional).toBeUndefined();
    expect(lines[1].conditional.map((c: { key: string }) => c.key)).toEqual([
      'aws:SecureTransport',
    ]);
    expect(lines[0].reasons.join(' ')).toContain('identityPolicies[0] statement Read');
  });

  it('names the case and the field that is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-eval-'));
    const file = join(dir, 'cases.json');
    await writeFile(
      file,
      JSON.stringify([
        {
          name: 'x',
          request: {
            principal: 'arn:aws:iam::100000000001:user/a',
            action: 'GetObject',
            resource: '*',
          },
        },
      ]),
    );
    const { code, stderr } = await run(['eval', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${file}: at $[0].request.action: expected an action of the form service:Action`,
    );
  });
});
