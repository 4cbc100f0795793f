import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scanDocumentSchema } from '../findings/scan-document.js';
import { corpusPath, describeWithCorpus } from '../test-support/corpus.js';
import { ADMIN_ACCESS, TestEstate, allow, doc, trust } from '../test-support/estate.js';
import { runCapturing } from '../test-support/cli.js';

const run = runCapturing;

afterEach(() => vi.restoreAllMocks());

const ACCOUNT = '111122223333';
const iam = (kind: string, name: string): string => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
let authz = '';

beforeAll(async () => {
  // support → (sts:AssumeRole) helpdesk → (iam:CreateAccessKey) ops-admin, an administrator;
  // a role that may put a policy on itself; a reader that cannot escalate.
  const estate = new TestEstate(ACCOUNT);
  estate.user('support', { inline: [doc(allow('sts:AssumeRole', iam('role', 'helpdesk')))] });
  estate.role('helpdesk', {
    trust: trust({ AWS: estate.root }),
    inline: [doc(allow('iam:CreateAccessKey', iam('user', 'ops-admin')))],
  });
  estate.user('ops-admin', { attached: [ADMIN_ACCESS] });
  estate.role('app', {
    trust: trust({ Service: 'ec2.amazonaws.com' }),
    inline: [doc(allow('iam:PutRolePolicy', iam('role', 'app')))],
  });
  estate.user('reader', { inline: [doc(allow('s3:GetObject', 'arn:aws:s3:::reports/*'))] });
  const dir = await mkdtemp(join(tmpdir(), 'iamsight-paths-'));
  authz = join(dir, 'authz.json');
  await writeFile(authz, JSON.stringify(estate.authorizationDetails()));
});

describe('iamsight paths', () => {
  it('prints the path step by step with the deciding statements', async () => {
    const { code, stdout } = await run(['paths', 'user/support', '--authz', authz]);
    expect(code).toBe(0);
    expect(stdout).toContain('can become administrator in 2 steps (conditional');
    expect(stdout).toMatch(/1\. sts-001: support can assume helpdesk/);
    expect(stdout).toMatch(/2\. iam-002: helpdesk can create an access key for ops-admin/);
    expect(stdout).toContain(`allowed: iam:CreateAccessKey on ${iam('user', 'ops-admin')}`);
    // The authorization details say nothing of keys: that step is marked as such.
    expect(stdout).toContain('unknown: the number of access keys of ops-admin is not known');
    expect(stdout).toContain(`Target: ${iam('user', 'ops-admin')}`);
  });

  it('explains admins and principals without a path', async () => {
    expect((await run(['paths', 'ops-admin', '--authz', authz])).stdout).toContain(
      'is already an administrator',
    );
    expect((await run(['paths', 'reader', '--authz', authz])).stdout).toContain(
      'has no known path to administrator',
    );
    expect((await run(['paths', 'role/app', '--authz', authz])).stdout).toMatch(
      /can make itself administrator in 1 step:\n\n1\. iam-005/,
    );
  });

  it('answers in JSON', async () => {
    const { stdout } = await run(['paths', 'support', '--authz', authz, '--format', 'json']);
    const json = JSON.parse(stdout);
    expect(json.isAdmin).toBe(false);
    expect(json.escalation.path.map((s: { technique: string }) => s.technique)).toEqual([
      'sts-001',
      'iam-002',
    ]);
    expect(json.escalation.path[1].statements[0].statements[0].policyId).toContain('helpdesk');
  });

  it('rejects a bad --as-of with exit code 2', async () => {
    const { code, stderr } = await run(['paths', 'support', '--authz', authz, '--as-of', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toContain('--as-of');
  });

  it('rejects an unknown principal with exit code 2', async () => {
    const { code, stderr } = await run(['paths', 'user/nobody', '--authz', authz]);
    expect(code).toBe(2);
    expect(stderr).toContain('no principal "user/nobody"');
  });
});

describe('iamsight who-can-escalate and scan', () => {
  it('lists every principal that can escalate', async () => {
    const { stdout } = await run(['who-can-escalate', '--authz', authz, '--format', 'json']);
    const arns = JSON.parse(stdout).principals.map((p: { arn: string }) => p.arn);
    expect(arns).toEqual([iam('role', 'app'), iam('role', 'helpdesk'), iam('user', 'support')]);
  });

  it('fills isAdmin and escalation in scan --format json', async () => {
    const { code, stdout } = await run(['scan', '--authz', authz, '--format', 'json']);
    expect(code).toBe(0);
    const document = scanDocumentSchema.parse(JSON.parse(stdout));
    const byArn = new Map(document.principals.map((p) => [p.arn, p]));
    expect(byArn.get(iam('user', 'ops-admin'))).toMatchObject({ isAdmin: true, escalation: null });
    expect(byArn.get(iam('role', 'app'))?.isAdmin).toBe(true);
    expect(byArn.get(iam('user', 'support'))?.escalation?.path.map((s) => s.technique)).toEqual([
      'sts-001',
      'iam-002',
    ]);
    expect(byArn.get(iam('user', 'reader'))).toMatchObject({ isAdmin: false, escalation: null });
    expect(document.gaps.map((g) => g.source)).toContain('analysis:existing-resources');
    expect(document.gaps.map((g) => g.source)).not.toContain('analysis:admin');
  });
});

describeWithCorpus(
  'who-can-escalate on the iam-vulnerable account',
  ['cloudsplaining', 'iam-vulnerable-account-authorization-details.json'],
  () => {
    it('runs on the real dump', async () => {
      const file = corpusPath(
        'cloudsplaining',
        'iam-vulnerable-account-authorization-details.json',
      );
      const { code, stdout } = await run(['who-can-escalate', '--authz', file]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^\d+ principals can escalate to administrator/);
      expect(stdout).toContain('privesc1-CreateNewPolicyVersion-user');
    });
  },
);
