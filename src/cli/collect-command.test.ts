/**
 * `iamsight collect` end to end through the real AWS SDK: the SDK signs and sends real HTTP
 * requests to a loopback server (AWS_ENDPOINT_URL) that replays hand-written responses in each
 * service's wire format (src/collect/fixtures/replay, see its README).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { scanDocumentSchema } from '../findings/scan-document.js';
import { startReplayServer, type ReplayServer } from '../test-support/aws-replay.js';
import { repoRoot } from '../test-support/corpus.js';
import { runCapturing } from '../test-support/cli.js';

const REPLAY = join(repoRoot, 'src', 'collect', 'fixtures', 'replay');

const run = runCapturing;

let server: ReplayServer;
let work: string;

beforeAll(async () => {
  server = await startReplayServer(REPLAY);
});
afterAll(async () => {
  await server.close();
});

/**
 * The SDK's standard configuration, pointed at the loopback server and away from this machine's
 * own AWS configuration.
 */
function stubAwsEnvironment(): void {
  vi.stubEnv('AWS_ENDPOINT_URL', server.url);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_CONFIG_FILE', join(work, 'no-aws-config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(work, 'no-aws-credentials'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('CI', 'true');
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'iamsight-collect-'));
  server.reset();
  stubAwsEnvironment();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const ORG_RUN = ['--org', '--regions', 'us-east-1', '--services', 's3,sqs'];

describe('iamsight collect --org against the replayed organization', () => {
  let result: { code: number; stdout: string; stderr: string };
  let out: string;
  let elapsedMs: number;
  let calls: ReplayServer['calls'];
  let unmatched: string[];

  // One collection (it includes a throttling backoff), looked at by every test below.
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'iamsight-collect-'));
    server.reset();
    stubAwsEnvironment();
    out = join(work, 'snapshot');
    const started = performance.now();
    result = await run(['collect', ...ORG_RUN, '--out', out]);
    elapsedMs = performance.now() - started;
    calls = [...server.calls];
    console.info(
      elapsedMs,
      result.stderr,
      JSON.stringify(server.calls.map((c) => [c.account, c.action, c.status])),
    );
    unmatched = [...server.unmatched];
    vi.unstubAllEnvs();
  });
  // The outer beforeEach gave each test a fresh folder; these look at the collection's.
  beforeEach(() => {
    work = dirname(out);
  });

  it('asks AWS only what the replay has answers for, retries the throttled call and pages', () => {
    expect(unmatched).toEqual([]);
    const authz = calls.filter((c) => c.action === 'GetAccountAuthorizationDetails');
    // Management: throttled once, then two pages; the member: one page (accounts run at once).
    expect(authz.map((c) => `${c.account} ${c.status}`).sort()).toEqual([
      '111122223333 200',
      '111122223333 200',
      '111122223333 400',
      '444455556666 200',
    ]);
    const management = authz.filter((c) => c.account === '111122223333').map((c) => c.status);
    expect(management).toEqual([400, 200, 200]);
    // The role is assumed once, however many clients use its credentials.
    expect(calls.filter((c) => c.action === 'AssumeRole')).toHaveLength(2);
    expect(calls.filter((c) => c.action === 'ListAccountsForParent')).toHaveLength(3);
    // The suspended account is not entered; the sandbox role could not be assumed.
    expect(calls.filter((c) => c.account === '444455556666').length).toBeGreaterThan(0);
    expect(calls.some((c) => c.file?.includes('222233334444'))).toBe(false);
    console.info(`collect of the replayed organization took ${elapsedMs.toFixed(0)} ms`);
  });

  it('asks Access Advisor for each user and role, polls the job in progress and pages', async () => {
    const generated = calls.filter((c) => c.action === 'GenerateServiceLastAccessedDetails');
    expect(generated.map((c) => `${c.account} ${c.status}`).sort()).toEqual([
      '111122223333 200',
      '111122223333 200',
      '111122223333 200',
      // Prod refuses: its two roles were asked at once, before the first refusal came back.
      '444455556666 403',
      '444455556666 403',
    ]);
    const polled = calls.filter((c) => c.action === 'GetServiceLastAccessedDetails');
    // Three jobs, one checked twice (IN_PROGRESS first), one report in two pages.
    expect(polled.map((c) => c.file).sort()).toEqual([
      'GetServiceLastAccessedDetails.examplejob-dev-alice.xml',
      'GetServiceLastAccessedDetails.examplejob-iamsight-collector.xml',
      'GetServiceLastAccessedDetails.first.xml',
      'GetServiceLastAccessedDetails.page2.xml',
      'GetServiceLastAccessedDetails.xml',
    ]);
    const written = JSON.parse(
      await readFile(join(out, 'accounts', '111122223333', 'service-last-accessed.json'), 'utf8'),
    ) as { Principals: { Arn: string; ServicesLastAccessed: { ServiceNamespace: string }[] }[] };
    expect(
      Object.fromEntries(
        written.Principals.map((p) => [
          p.Arn.split(':')[5],
          p.ServicesLastAccessed.map((s) => s.ServiceNamespace),
        ]),
      ),
    ).toEqual({
      'user/iamsight-collector': ['iam', 'organizations', 'sts'],
      'user/dev-alice': ['s3', 'ec2'],
      'role/OrganizationAccountAccessRole': ['iam', 's3'],
    });
    expect(existsSync(join(out, 'accounts', '444455556666', 'service-last-accessed.json'))).toBe(
      false,
    );
    expect(result.stderr).toMatch(
      /444455556666.*iam:service-last-accessed.*iam:GenerateServiceLastAccessedDetails: access denied/,
    );
  });

  it('lists each user’s access keys (every page) with their last use, MFA devices and the virtual ones', async () => {
    const asked = (action: string) =>
      calls
        .filter((c) => c.action === action)
        .map((c) => `${c.account} ${c.file ?? ''}`)
        .sort();
    expect(asked('ListAccessKeys')).toEqual([
      '111122223333 ListAccessKeys.dev-alice.xml',
      '111122223333 ListAccessKeys.iamsight-collector.xml',
      '111122223333 ListAccessKeys.page2.xml',
    ]);
    expect(asked('GetAccessKeyLastUsed')).toEqual([
      '111122223333 GetAccessKeyLastUsed.AKIAI44QH8DHBEXAMPLE.xml',
      '111122223333 GetAccessKeyLastUsed.AKIAIOSFODNN7EXAMPLE.xml',
      '111122223333 GetAccessKeyLastUsed.AKIAJ4444EXAMPLE2222.xml',
    ]);
    expect(asked('ListMFADevices')).toHaveLength(2);
    // Once per account; prod may not list them (a gap), prod has no users to ask about.
    expect(asked('ListVirtualMFADevices')).toEqual([
      '111122223333 ListVirtualMFADevices.xml',
      '444455556666 ListVirtualMFADevices.403.xml',
    ]);
    const written = JSON.parse(
      await readFile(join(out, 'accounts', '111122223333', 'iam-credentials.json'), 'utf8'),
    ) as {
      Users: { UserName: string; AccessKeys: { AccessKeyId: string; LastUsed: unknown }[] }[];
      VirtualMFADevices: { UserArn: string }[];
    };
    expect(
      written.Users.map((u) => [u.UserName, u.AccessKeys.map((k) => [k.AccessKeyId, k.LastUsed])]),
    ).toEqual([
      [
        'iamsight-collector',
        [
          [
            'AKIAIOSFODNN7EXAMPLE',
            { LastUsedDate: '2026-11-24T08:10:00.000Z', ServiceName: 'iam', Region: 'us-east-1' },
          ],
        ],
      ],
      [
        'dev-alice',
        [
          [
            'AKIAI44QH8DHBEXAMPLE',
            { LastUsedDate: '2026-11-22T09:00:00.000Z', ServiceName: 's3', Region: 'eu-west-1' },
          ],
          ['AKIAJ4444EXAMPLE2222', { LastUsedDate: null, ServiceName: 'N/A', Region: 'N/A' }],
        ],
      ],
    ]);
    expect(written.VirtualMFADevices.map((d) => d.UserArn)).toEqual([
      'arn:aws:iam::111122223333:root',
    ]);
    // Prod: no users, and its virtual devices refused: nothing to write, the gap says why.
    expect(existsSync(join(out, 'accounts', '444455556666', 'iam-credentials.json'))).toBe(false);
    expect(result.stderr).toMatch(
      /444455556666.*iam:mfa-devices.*iam:ListVirtualMFADevices: access denied/,
    );
  });

  it('exits 3 and lists each account, what is missing and why', () => {
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('2/3 accounts');
    const lines = result.stderr.split('\n');
    const row = (account: string, source: string) =>
      lines.find((l) => l.includes(account) && l.includes(source)) ?? '';
    expect(row('777788889999', 'iam:authorization-details')).toContain(
      'sts:AssumeRole of role/iamsight-readonly: access denied (AccessDenied',
    );
    expect(row('444455556666', 'iam:credential-report')).toContain(
      'iam:GenerateCredentialReport: access denied',
    );
    expect(row('111122223333', 'config:AWS::SQS::Queue')).toContain(
      'sqs:ListQueues: access denied',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('writes the snapshot folder atomically, in the layout scan --snapshot reads', async () => {
    expect((await readdir(work)).sort()).toEqual(['snapshot']);
    expect((await readdir(join(out, 'accounts'))).sort()).toEqual(['111122223333', '444455556666']);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      schema: string;
      producer: string;
      gaps: { source: string; accountId: string; region: string | null }[];
    };
    expect(manifest.schema).toBe('iamsight.snapshot/v1');
    expect(manifest.producer).toMatch(/^iamsight collect /);
    expect(manifest.gaps.map((g) => `${g.accountId} ${g.source} ${g.region}`)).toEqual([
      '111122223333 config:AWS::SQS::Queue us-east-1',
      '444455556666 iam:credential-report null',
      '444455556666 iam:mfa-devices null',
      '444455556666 iam:service-last-accessed null',
      '777788889999 config:all null',
      '777788889999 iam:access-keys null',
      '777788889999 iam:authorization-details null',
      '777788889999 iam:credential-report null',
      '777788889999 iam:mfa-devices null',
      '777788889999 iam:service-last-accessed null',
    ]);
    const authz = JSON.parse(
      await readFile(join(out, 'accounts', '111122223333', 'authz.json'), 'utf8'),
    ) as Record<string, { UserName?: string; RoleName?: string; PolicyName?: string }[]>;
    // Both pages, merged.
    expect(authz.UserDetailList?.map((u) => u.UserName)).toEqual([
      'iamsight-collector',
      'dev-alice',
    ]);
    expect(authz.RoleDetailList?.map((r) => r.RoleName)).toEqual(['OrganizationAccountAccessRole']);
    expect(authz.Policies?.map((p) => p.PolicyName)).toEqual(['iamsight-collector']);
    const report = await readFile(
      join(out, 'accounts', '111122223333', 'credential-report.csv'),
      'utf8',
    );
    expect(report.split('\n')[2]).toMatch(/^iamsight-collector,/);
    expect(existsSync(join(out, 'accounts', '444455556666', 'credential-report.csv'))).toBe(false);
    const organization = JSON.parse(await readFile(join(out, 'organization.json'), 'utf8')) as {
      Accounts: { Id: string; ParentId: string }[];
      Policies: { PolicySummary: { Name: string }; Targets: { TargetId: string }[] }[];
      DelegatedAdministrators: { Id: string; ServicePrincipals: string[] }[];
    };
    expect(organization.Accounts.map((a) => `${a.Id}<${a.ParentId}`)).toEqual([
      '111122223333<r-a1b2',
      '222233334444<r-a1b2',
      '444455556666<ou-a1b2-11111111',
      '777788889999<ou-a1b2-11111111',
    ]);
    expect(organization.Policies.map((p) => p.PolicySummary.Name)).toEqual([
      'FullAWSAccess',
      'DenyLeaveOrganization',
    ]);
    expect(organization.DelegatedAdministrators).toMatchObject([
      { Id: '444455556666', ServicePrincipals: ['access-analyzer.amazonaws.com'] },
    ]);
  });

  it('scans cleanly: principals, the bucket policy, the queue policy and the gaps', async () => {
    const scan = await run([
      'scan',
      '--snapshot',
      out,
      '--format',
      'json',
      '--no-store',
      '--as-of',
      '2026-11-24',
    ]);
    expect(scan.stderr).toBe('');
    expect(scan.code).toBe(0);
    const document = scanDocumentSchema.parse(JSON.parse(scan.stdout));
    expect(document.accounts.map((a) => a.id).sort()).toEqual([
      '111122223333',
      '222233334444',
      '444455556666',
      '777788889999',
    ]);
    const alice = document.principals.find((p) => p.arn.endsWith(':user/dev-alice'));
    expect(alice?.isAdmin).toBe(true);
    expect(
      document.principals.find((p) => p.arn === 'arn:aws:iam::444455556666:role/ci-deployer'),
    ).toBeDefined();
    expect(document.gaps.map((g) => g.source)).toEqual(
      expect.arrayContaining(['iam:credential-report', 'config:AWS::SQS::Queue', 'config:all']),
    );
    // The keys carry their ids, and the root's only MFA device is the virtual one (CRED-05).
    const root = document.findings.filter(
      (f) => f.ruleId === 'iam-root-without-mfa' && f.resource.arn.endsWith(':root'),
    );
    expect(root.map((f) => [f.resource.arn, f.severity])).toEqual([
      ['arn:aws:iam::111122223333:root', 'medium'],
    ]);
    // The bucket shared with an outside account is reported from the collected policy.
    expect(
      document.findings.some((f) => f.resource.arn === 'arn:aws:s3:::example-audit-logs'),
    ).toBe(true);
  });
});

describe('iamsight collect refuses what it must not do', () => {
  it('leaves a non-empty --out alone without --force (exit 2)', async () => {
    const out = join(work, 'taken');
    await mkdir(out);
    await writeFile(join(out, 'keep.txt'), 'mine');
    const result = await run(['collect', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the folder is not empty');
    expect(await readdir(out)).toEqual(['keep.txt']);
    expect(server.calls).toEqual([]);
  });

  it('says credentials that AWS does not accept are the problem (exit 2, no folder)', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEUNKNOWN01');
    const out = join(work, 'snapshot');
    const result = await run(['collect', '--out', out, '--max-attempts', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('could not identify the caller with sts:GetCallerIdentity');
    expect(await readdir(work)).toEqual([]);
  });

  it.each([
    [['--regions', 'moon-1'], '--regions: "moon-1" is not a region name'],
    [['--services', 's3,iam'], '--services: expected one or more of'],
    [['--role-name', 'x'], '--role-name is for organization mode'],
    [['--cloudtrail', 'https://example.com'], '--cloudtrail: expected the trail'],
    [['--cloudtrail', 's3://example-trail'], '--cloudtrail needs --since'],
  ])('refuses %j (exit 2)', async (flags, message) => {
    const result = await run(['collect', '--out', join(work, 'snapshot'), ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(server.calls).toEqual([]);
  });
});

describe('iamsight collect --cloudtrail', () => {
  const flags = [
    '--regions',
    'us-east-1',
    '--services',
    's3',
    '--cloudtrail',
    's3://example-cloudtrail-bucket',
    '--since',
    '2026-11-23',
    '--until',
    '2026-11-23',
  ];

  it('copies the window’s log files into cloudtrail/, where scan finds the usage', async () => {
    vi.stubEnv('AWS_RETRY_MODE', 'standard');
    const out = join(work, 'snapshot');
    const result = await run(['collect', ...flags, '--out', out]);
    expect(server.unmatched).toEqual([]);
    expect(result.stdout).toContain('2 CloudTrail files');
    const day = join(
      out,
      'cloudtrail',
      'AWSLogs',
      '111122223333',
      'CloudTrail',
      'us-east-1',
      '2026',
      '11',
      '23',
    );
    expect((await readdir(day)).length).toBe(2);
    const usage = await run(['usage', out, '--format', 'json']);
    expect(usage.code).toBe(0);
    expect(usage.stdout).toContain('arn:aws:iam::111122223333:user/dev-alice');
  });

  it('stops at --cloudtrail-max-size with a gap, and exits 3', async () => {
    vi.stubEnv('AWS_RETRY_MODE', 'standard');
    const out = join(work, 'snapshot');
    // One file is 718 bytes: room for one, not two.
    const result = await run(['collect', ...flags, '--cloudtrail-max-size', '0.001', '--out', out]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cloudtrail:size.*larger than 0 MiB/);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      gaps: { source: string }[];
    };
    expect(manifest.gaps.map((g) => g.source)).toEqual(['cloudtrail:size']);
  });
});

describe('iamsight scan --collect', () => {
  it('collects the account, scans it, and exits 3 because the collection was partial', async () => {
    // The SDK's own retry setting is honoured (standard mode backs off only the throttled call).
    vi.stubEnv('AWS_RETRY_MODE', 'standard');
    const keep = join(work, 'kept');
    const result = await run([
      'scan',
      '--collect',
      '--collect-out',
      keep,
      '--regions',
      'us-east-1',
      '--services',
      's3,sqs',
      '--format',
      'json',
      '--no-store',
    ]);
    expect(server.unmatched).toEqual([]);
    expect(result.code).toBe(3);
    const document = scanDocumentSchema.parse(JSON.parse(result.stdout));
    expect(document.accounts.map((a) => a.id)).toEqual(['111122223333']);
    expect(document.gaps.map((g) => g.source).filter((s) => /^(iam|config|org)/.test(s))).toEqual([
      'config:AWS::SQS::Queue',
    ]);
    expect(result.stderr).toContain('sqs:ListQueues: access denied');
    expect(existsSync(join(keep, 'manifest.json'))).toBe(true);
  });
});
