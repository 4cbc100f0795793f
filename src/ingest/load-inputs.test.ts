import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganization, writeSnapshotFolder } from '../generate/index.js';
import type { Snapshot } from '../model/index.js';
import { InputError } from '../model/index.js';
import { loadSnapshot } from './load-inputs.js';

describe('loadSnapshot of a generated snapshot folder', () => {
  let dir: string;
  let snapshot: Snapshot;
  const principals = 600;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iamsight-load-'));
    await writeSnapshotFolder(
      generateOrganization({ seed: 11, principals, accounts: 3, cloudTrailEvents: 0 }),
      dir,
    );
    snapshot = await loadSnapshot({ snapshots: [dir] });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads every principal the generator wrote, plus each account root from its credential report', () => {
    const roots = snapshot.principals.filter((p) => p.type === 'root');
    expect(snapshot.principals.length - roots.length).toBe(principals);
    expect(roots.map((r) => r.accountId).sort()).toEqual(snapshot.accounts.map((a) => a.id));
  });

  it('applies credential reports to users: keys and passwords are known, not null', () => {
    const users = snapshot.principals.filter((p) => p.type === 'user');
    expect(users.length).toBeGreaterThan(0);
    for (const user of users) {
      expect(user.accessKeys, user.arn).not.toBeNull();
      expect(user.loginProfile, user.arn).not.toBeNull();
    }
    expect(snapshot.gaps.filter((g) => g.source === 'iam:credential-report')).toEqual([]);
  });

  it('resolves every attached AWS managed policy from the bundled set', () => {
    const attached = new Set(
      snapshot.principals.flatMap((p) => p.attachedPolicies.map((a) => a.policyArn)),
    );
    const known = new Set(snapshot.policies.map((p) => p.arn));
    const missing = [...attached].filter((arn) => !known.has(arn));
    expect(missing).toEqual([]);
    expect(snapshot.policies.some((p) => p.source === 'bundled-aws-managed')).toBe(true);
  });

  it('reads identity providers, the organization, and resources with their roles', () => {
    expect(
      snapshot.identityProviders.some(
        (p) => p.kind === 'oidc' && p.url === 'token.actions.githubusercontent.com',
      ),
    ).toBe(true);
    expect(snapshot.identityProviders.some((p) => p.kind === 'saml')).toBe(true);
    expect(snapshot.organization?.accounts.length).toBe(3);
    const roleArns = new Set(
      snapshot.principals.filter((p) => p.type === 'role').map((p) => p.arn),
    );
    const lambdas = snapshot.resources.filter((r) => r.type === 'AWS::Lambda::Function');
    expect(lambdas.length).toBeGreaterThan(0);
    for (const fn of lambdas)
      for (const role of fn.roleArns) expect(roleArns.has(role), role).toBe(true);
  });

  it('records no gap for what the folder does contain', () => {
    expect(snapshot.gaps).toEqual([]);
  });
});

describe('loadSnapshot errors and gaps', () => {
  it('refuses a folder without a manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-load-'));
    await expect(loadSnapshot({ snapshots: [dir] })).rejects.toThrow(/manifest\.json/);
    await expect(loadSnapshot({ snapshots: [dir] })).rejects.toBeInstanceOf(InputError);
  });

  it('names the manifest field that is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-load-'));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ schema: 'something-else' }));
    await expect(loadSnapshot({ snapshots: [dir] })).rejects.toThrow(
      /manifest\.json: at \$\.schema/,
    );
  });

  it('keeps the gaps a collector recorded in the manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-load-'));
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({
        schema: 'iamsight.snapshot/v1',
        gaps: [
          {
            source: 'iam:account',
            accountId: '100000000002',
            detail: 'AccessDenied assuming the collection role',
          },
        ],
      }),
    );
    const snapshot = await loadSnapshot({ snapshots: [dir] });
    expect(snapshot.gaps).toEqual([
      {
        source: 'iam:account',
        accountId: '100000000002',
        region: null,
        detail: 'AccessDenied assuming the collection role',
      },
    ]);
  });
});
