import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateOrganization, resolveOptions, writeSnapshotFolder } from './index.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iamsight-generate-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Every file under `dir` with the SHA-256 of its bytes, sorted by path. */
async function digest(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    out.set(
      relative(dir, file),
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex'),
    );
  }
  return out;
}

describe('generateOrganization', () => {
  it('writes byte-identical snapshot folders for the same options', async () => {
    const options = { seed: 42, principals: 400, accounts: 4, cloudTrailEvents: 3000 };
    const [a, b] = [await tempDir(), await tempDir()];
    await writeSnapshotFolder(generateOrganization(options), a);
    await writeSnapshotFolder(generateOrganization(options), b);
    const [left, right] = [await digest(a), await digest(b)];
    expect(left.size).toBeGreaterThan(10);
    expect([...right.entries()]).toEqual([...left.entries()]);
  });

  it('builds the same account documents on every call (nothing depends on call order)', () => {
    const org = generateOrganization({ seed: 3, principals: 300 });
    const last = org.accounts[org.accounts.length - 1];
    const first = last?.documents();
    for (const account of org.accounts) account.documents();
    expect(JSON.stringify(last?.documents())).toBe(JSON.stringify(first));
  });

  it('produces different estates for different seeds', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await writeSnapshotFolder(
      generateOrganization({ seed: 1, principals: 300, cloudTrailEvents: 0 }),
      a,
    );
    await writeSnapshotFolder(
      generateOrganization({ seed: 2, principals: 300, cloudTrailEvents: 0 }),
      b,
    );
    const [left, right] = [await digest(a), await digest(b)];
    expect([...left.keys()]).toEqual([...right.keys()]);
    const differing = [...left.keys()].filter((path) => left.get(path) !== right.get(path));
    expect(differing).toContain('organization.json');
    expect(differing.filter((path) => path.endsWith('authz.json')).length).toBe(3);
  });

  it.each([
    { principals: 235, accounts: 3 },
    { principals: 1000, accounts: undefined },
    { principals: 1234, accounts: 7 },
    { principals: 2000, accounts: 12 },
  ])(
    'generates exactly $principals principals over $accounts accounts',
    ({ principals, accounts }) => {
      const org = generateOrganization({ seed: 5, principals, accounts, cloudTrailEvents: 0 });
      expect(org.accounts.reduce((sum, a) => sum + a.principals, 0)).toBe(principals);
      let counted = 0;
      for (const account of org.accounts) {
        const { authz, counts } = account.documents();
        const n =
          authz.UserDetailList.length + authz.GroupDetailList.length + authz.RoleDetailList.length;
        expect(n).toBe(account.principals);
        expect(counts.users + counts.groups + counts.roles).toBe(n);
        counted += n;
      }
      expect(counted).toBe(principals);
    },
  );

  it('gives every account a share: the management account and the workloads', () => {
    const org = generateOrganization({ principals: 10_000, cloudTrailEvents: 0 });
    expect(org.options.accounts).toBe(40);
    const kinds = new Set(org.accounts.map((a) => a.kind));
    expect([...kinds].sort()).toEqual([
      'dev',
      'log-archive',
      'management',
      'prod',
      'sandbox',
      'security',
    ]);
    const prod = org.accounts.filter((a) => a.kind === 'prod');
    const management = org.accounts.find((a) => a.kind === 'management');
    expect(Math.min(...prod.map((a) => a.principals))).toBeGreaterThan(management?.principals ?? 0);
  });

  it('refuses too few principals, and bad options, with a RangeError that says why', () => {
    expect(() => generateOrganization({ principals: 50 })).toThrow(
      /principals must be at least \d+ for 3 accounts/,
    );
    expect(() => generateOrganization({ principals: 1000, accounts: 2 })).toThrow(RangeError);
    expect(() => generateOrganization({ principals: 1.5 })).toThrow(
      /principals must be an integer/,
    );
    expect(() => generateOrganization({ principals: 1000, cloudTrailDays: 0 })).toThrow(
      /cloudTrailDays/,
    );
    expect(() => generateOrganization({ principals: 1000, now: new Date('nope') })).toThrow(/now/);
  });

  it('defaults to a fixed clock, 30 days and 12 CloudTrail records per principal', () => {
    const options = resolveOptions({ principals: 1000 });
    expect(options).toEqual({
      seed: 1,
      principals: 1000,
      accounts: 4,
      now: new Date('2026-11-01T00:00:00Z'),
      cloudTrailDays: 30,
      cloudTrailEvents: 12_000,
    });
    const org = generateOrganization({ principals: 1000 });
    expect(org.manifest).toEqual({
      schema: 'iamsight.snapshot/v1',
      createdAt: '2026-11-01T00:00:00.000Z',
      producer: 'iamsight generate seed=1 principals=1000 accounts=4',
      gaps: [],
    });
    expect(org.accounts.reduce((sum, a) => sum + a.cloudTrailEvents, 0)).toBe(12_000);
  });
});
