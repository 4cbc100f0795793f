import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../model/index.js';
import { classifyAwsError, shareCredentials } from './aws.js';
import { daysOf, deliveryPathOf, parseS3Location } from './cloudtrail.js';
import { mapWithLimit } from './limit.js';
import { startSnapshotFolder } from './snapshot-folder.js';

const serviceError = (name: string, message = 'm') =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: {} });

describe('classifyAwsError', () => {
  it.each([
    ['AccessDenied', 'denied'],
    ['AccessDeniedException', 'denied'],
    ['UnauthorizedOperation', 'denied'],
    ['AuthorizationError', 'denied'],
    ['OptInRequired', 'region-disabled'],
    ['InvalidClientTokenId', 'region-disabled'],
    ['UnrecognizedClientException', 'region-disabled'],
    ['Throttling', 'throttled'],
    ['TooManyRequestsException', 'throttled'],
    ['InternalFailure', 'failed'],
  ])('%s is %s', (name, kind) => {
    expect(classifyAwsError(serviceError(name))?.kind).toBe(kind);
  });

  it('classifies network failures as unreachable, and anything else as not an AWS error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), {
      code: 'ECONNREFUSED',
    });
    expect(classifyAwsError(refused)).toEqual({
      kind: 'unreachable',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 10.0.0.1:443',
    });
    expect(classifyAwsError(new TypeError('x is undefined'))).toBeNull();
    expect(classifyAwsError('text')).toBeNull();
  });
});

describe('shareCredentials', () => {
  it('asks the provider once while the credentials are fresh, and again near their expiry', async () => {
    let now = Date.parse('2026-11-24T08:00:00Z');
    let calls = 0;
    const provider = shareCredentials(
      () => {
        calls++;
        return Promise.resolve({
          accessKeyId: `ASIA${calls}`,
          secretAccessKey: 's',
          expiration: new Date(now + 60 * 60 * 1000),
        });
      },
      () => now,
    );
    const first = await Promise.all([provider(), provider(), provider()]);
    expect(first.map((c) => c.accessKeyId)).toEqual(['ASIA1', 'ASIA1', 'ASIA1']);
    now += 50 * 60 * 1000;
    expect((await provider()).accessKeyId).toBe('ASIA1');
    now += 6 * 60 * 1000; // within five minutes of expiry
    expect((await provider()).accessKeyId).toBe('ASIA2');
  });
});

describe('mapWithLimit', () => {
  it('runs at most `limit` tasks at once and keeps the order of the results', async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});

describe('the snapshot folder', () => {
  it('appears only when committed, with the manifest and its gaps sorted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-folder-'));
    const out = join(dir, 'snapshot');
    const writer = await startSnapshotFolder(out, { force: false, pid: 42 });
    await writer.write('accounts/111122223333/authz.json', '{}');
    expect(await readdir(dir)).toEqual(['snapshot.tmp-42']);
    await writer.commit({
      producer: 'iamsight collect test',
      createdAt: '2026-11-24T08:00:00.000Z',
      gaps: [
        { source: 'iam:credential-report', accountId: '444455556666', region: null, detail: 'b' },
        { source: 'config:all', accountId: '111122223333', region: null, detail: 'a' },
      ],
    });
    expect(await readdir(dir)).toEqual(['snapshot']);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      gaps: { accountId: string }[];
    };
    expect(manifest.gaps.map((g) => g.accountId)).toEqual(['111122223333', '444455556666']);
  });

  it('refuses a folder with files in it unless forced, and replaces it only on commit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-folder-'));
    const out = join(dir, 'snapshot');
    await mkdir(out);
    await writeFile(join(out, 'old.txt'), 'old');
    await expect(startSnapshotFolder(out, { force: false })).rejects.toThrow(InputError);
    const writer = await startSnapshotFolder(out, { force: true, pid: 7 });
    await writer.write('organization.json', '{}');
    expect(await readdir(out)).toEqual(['old.txt']);
    await writer.commit({ producer: 'p', createdAt: '2026-11-24T08:00:00.000Z', gaps: [] });
    expect((await readdir(out)).sort()).toEqual(['manifest.json', 'organization.json']);
    expect((await readdir(dir)).sort()).toEqual(['snapshot']);
  });

  it('leaves nothing behind when abandoned', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-folder-'));
    const writer = await startSnapshotFolder(join(dir, 'snapshot'), { force: false });
    await writer.write('accounts/111122223333/authz.json', '{}');
    await writer.abandon();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('CloudTrail locations and days', () => {
  it('parses s3://bucket/prefix and lists the window by UTC day', () => {
    expect(parseS3Location('s3://org-trail-logs')).toEqual({
      bucket: 'org-trail-logs',
      prefix: '',
    });
    expect(parseS3Location('s3://org-trail-logs/trail')).toEqual({
      bucket: 'org-trail-logs',
      prefix: 'trail/',
    });
    expect(parseS3Location('https://org-trail-logs')).toBeNull();
    expect(daysOf('2026-10-30T12:00:00Z', '2026-11-02T00:00:00Z')).toEqual([
      '2026/10/30',
      '2026/10/31',
      '2026/11/01',
      '2026/11/02',
    ]);
  });
});

describe('deliveryPathOf', () => {
  const listed = 'trail/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/23/';
  it('keeps delivery paths from AWSLogs/ on, and refuses keys that would leave the folder', () => {
    expect(
      deliveryPathOf(`${listed}111122223333_CloudTrail_us-east-1_x.json.gz`, 'trail/', listed),
    ).toBe(
      'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/23/111122223333_CloudTrail_us-east-1_x.json.gz',
    );
    for (const key of [
      `${listed}../../../../../../../../.bashrc.json`,
      `${listed}a//b.json`,
      `${listed}x.json\n.json`,
      'elsewhere/AWSLogs/x.json',
    ])
      expect(deliveryPathOf(key, 'trail/', listed)).toBeNull();
  });
});
