import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, type Usage } from '../../model/index.js';
import { aRecord } from '../../test-support/cloudtrail.js';
import { readCloudTrail } from './index.js';

const TRAIL = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'trail');
const A1 = '100000000001';
const A2 = '100000000002';
const GITHUB = `federated:arn:aws:iam::${A2}:oidc-provider/token.actions.githubusercontent.com`;

/** What the fixture tree says, read by hand from its three files. */
const EXPECTED = {
  window: { start: '2026-10-01T09:00:00Z', end: '2026-10-02T10:05:00Z' },
  principals: [
    ['account:100000000001', 'unknown', A1, ['sts:AssumeRole']],
    [`arn:aws:iam::${A1}:role/app-lambda`, 'role', A1, ['dynamodb:GetItem']],
    [
      `arn:aws:iam::${A1}:role/deployer`,
      'role',
      A1,
      ['ec2:RunInstances', 'lambda:UpdateFunctionCode'],
    ],
    [`arn:aws:iam::${A1}:root`, 'root', A1, ['signin:ConsoleLogin']],
    [
      `arn:aws:iam::${A1}:user/dev-alice`,
      'user',
      A1,
      ['iam:ListRoles', 's3:ListAllMyBuckets', 'sts:AssumeRole'],
    ],
    [GITHUB, 'federated', A2, ['sts:AssumeRoleWithWebIdentity']],
    ['service:lambda.amazonaws.com', 'service', null, ['sts:AssumeRole']],
  ],
  assumptions: [
    [`arn:aws:iam::${A1}:role/app-lambda`, 'service:lambda.amazonaws.com'],
    [`arn:aws:iam::${A1}:role/deployer`, `arn:aws:iam::${A1}:user/dev-alice`],
    [`arn:aws:iam::${A2}:role/audit`, 'account:100000000001'],
    [`arn:aws:iam::${A2}:role/github-deployer`, GITHUB],
  ],
};

function summary(usage: Usage) {
  return {
    window: usage.window,
    principals: usage.principals.map((p) => [
      p.principal,
      p.kind,
      p.accountId,
      p.actions.map((a) => a.action),
    ]),
    assumptions: usage.assumptions.map((a) => [a.role, a.assumedBy]),
  };
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'iamsight-cloudtrail-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Copies the fixture tree with every log file gzipped, as CloudTrail delivers it. */
async function gzippedTrail(): Promise<string> {
  const out = await mkdtemp(join(scratch, 'gz-'));
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const target = join(out, relative(TRAIL, path)) + '.gz';
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, gzipSync(await readFile(path)));
      }
    }
  };
  await walk(TRAIL);
  return out;
}

describe('readCloudTrail on a delivery tree', () => {
  it('reads every log file of the S3 layout, skipping digests', async () => {
    const usage = await readCloudTrail([TRAIL]);
    expect(summary(usage)).toEqual(EXPECTED);
    expect(usage.stats).toMatchObject({
      files: 3,
      records: 11,
      outsideWindow: 0,
      malformedRecords: 1,
      unreadableFiles: [],
    });
  });

  it('keeps the details the analysis reads', async () => {
    const usage = await readCloudTrail([TRAIL]);
    const deployer = usage.principals.find((p) => p.principal.endsWith(':role/deployer'));
    expect(deployer?.actions[0]).toEqual({
      action: 'ec2:RunInstances',
      firstSeen: '2026-10-01T09:04:00Z',
      lastSeen: '2026-10-01T09:04:00Z',
      count: 1,
      denied: 1,
      resources: [],
      resourcesTruncated: false,
    });
    const lambda = usage.principals.find((p) => p.principal.endsWith(':role/app-lambda'));
    expect(lambda?.actions[0]?.resources).toEqual([
      `arn:aws:dynamodb:us-east-1:${A1}:table/orders`,
    ]);
    const root = usage.principals.find((p) => p.kind === 'root');
    expect(root?.lastConsoleLogin).toBe('2026-10-02T07:00:00Z');
    expect(usage.accessKeys).toEqual([
      {
        accessKeyId: 'AKIAEXAMPLEKEY000001',
        principal: `arn:aws:iam::${A1}:user/dev-alice`,
        firstSeen: '2026-10-01T09:00:00Z',
        lastSeen: '2026-10-01T09:02:00Z',
        count: 3,
        services: ['iam', 's3', 'sts'],
      },
    ]);
  });

  it('reads .json.gz files to the same Usage', async () => {
    const plain = await readCloudTrail([TRAIL]);
    const gzipped = await readCloudTrail([await gzippedTrail()]);
    expect(summary(gzipped)).toEqual(summary(plain));
    expect(gzipped.principals).toEqual(plain.principals);
    expect(gzipped.stats.records).toBe(11);
  });

  it('reads single files and repeated paths once', async () => {
    const files = (await readCloudTrail([TRAIL])).stats.files;
    const first = join(TRAIL, `AWSLogs/${A1}/CloudTrail/us-east-1/2026/10/01`);
    const usage = await readCloudTrail([first, TRAIL, first]);
    expect(usage.stats.files).toBe(files);
  });

  it('applies the time window', async () => {
    const usage = await readCloudTrail([TRAIL], {
      since: '2026-10-02T00:00:00Z',
      until: '2026-10-02T10:00:00Z',
    });
    expect(usage.stats).toMatchObject({ records: 11, outsideWindow: 7, malformedRecords: 1 });
    expect(usage.principals.map((p) => p.principal)).toEqual([
      `arn:aws:iam::${A1}:role/app-lambda`,
      `arn:aws:iam::${A1}:root`,
      'service:lambda.amazonaws.com',
    ]);
  });

  it('gives the same Usage on worker threads as in one thread', async () => {
    const inline = await readCloudTrail([TRAIL], { workers: 0 });
    const threaded = await readCloudTrail([TRAIL], { workers: 2 });
    expect(threaded).toEqual(inline);
  });
});

describe('files that cannot be read to the end', () => {
  it('counts what a truncated .gz holds before the cut, reports it, and reads the rest', async () => {
    const dir = await gzippedTrail();
    const records = Array.from({ length: 200 }, (_, i) =>
      aRecord({
        eventTime: `2026-10-03T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
      }),
    );
    const whole = gzipSync(JSON.stringify({ Records: records }));
    const cutFile = join(
      dir,
      'AWSLogs',
      A1,
      'CloudTrail',
      'us-east-1',
      '2026',
      '10',
      '03',
      'cut.json.gz',
    );
    await mkdir(dirname(cutFile), { recursive: true });
    await writeFile(cutFile, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const usage = await readCloudTrail([dir]);
    expect(usage.stats.files).toBe(4);
    expect(usage.stats.unreadableFiles).toHaveLength(1);
    expect(usage.stats.unreadableFiles[0]?.file).toBe(cutFile);
    expect(usage.stats.unreadableFiles[0]?.reason).toMatch(
      /^the gzip data ends early \(is the file truncated\?\); the [\d,]+ records before it were read$/,
    );
    // The fixture's 11 records, and some (not all) of the cut file's 200.
    expect(usage.stats.records).toBeGreaterThan(11);
    expect(usage.stats.records).toBeLessThan(211);
    expect(usage.principals.map((p) => p.principal)).toEqual(EXPECTED.principals.map((p) => p[0]));
  });

  it('reports invalid JSON, bad gzip data and oversized files, and reads the others', async () => {
    const dir = await mkdtemp(join(scratch, 'bad-'));
    await cp(TRAIL, dir, { recursive: true });
    const day = join(dir, 'AWSLogs', A1, 'CloudTrail', 'us-east-1', '2026', '10', '04');
    await mkdir(day, { recursive: true });
    await writeFile(join(day, 'broken.json'), '{"Records":[{"eventName":"A" "eventSource":"b"}]}');
    await writeFile(
      join(day, 'garbage.json.gz'),
      Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
    );
    await writeFile(join(day, 'empty.json'), '');
    await writeFile(join(day, 'not-a-trail.json'), '{"configurationItems":[]}');
    const usage = await readCloudTrail([dir]);
    expect(usage.stats.unreadableFiles.map((u) => [relative(day, u.file), u.reason])).toEqual([
      ['broken.json', 'invalid JSON: expected "," or "}" at byte offset 29'],
      ['empty.json', 'the file is empty'],
      ['garbage.json.gz', expect.stringMatching(/^is not valid gzip data/)],
      ['not-a-trail.json', 'expected {"Records": [...]} or an array of CloudTrail records'],
    ]);
    expect(summary(usage)).toEqual(EXPECTED);
  });

  it('refuses files over the input limit, compressed or once decompressed', async () => {
    const dir = await mkdtemp(join(scratch, 'big-'));
    const big = JSON.stringify({ Records: Array.from({ length: 2000 }, () => aRecord()) });
    await writeFile(join(dir, 'big.json'), big);
    await writeFile(join(dir, 'bomb.json.gz'), gzipSync(big));
    const limit = 64 * 1024;
    const usage = await readCloudTrail([dir], { maxBytes: limit });
    expect(usage.stats.unreadableFiles.map((u) => [relative(dir, u.file), u.reason])).toEqual([
      [
        'big.json',
        expect.stringMatching(/^is \d+ (MiB|bytes), over the 65536 bytes limit for one input file/),
      ],
      [
        'bomb.json.gz',
        'decompresses to more than the 65536 bytes limit for one input file (raise it with --max-input-size)',
      ],
    ]);
    expect(usage.stats.records).toBe(0);
  });
});

describe('bad paths', () => {
  it('names a path that does not exist', async () => {
    const missing = join(scratch, 'no-such-folder');
    await expect(readCloudTrail([missing])).rejects.toThrow(InputError);
    await expect(readCloudTrail([missing])).rejects.toThrow(
      `${missing}: cannot be read: no such file or folder`,
    );
  });

  it('names a folder without log files', async () => {
    const empty = await mkdtemp(join(scratch, 'empty-'));
    await writeFile(join(empty, 'notes.txt'), 'not a log');
    await expect(readCloudTrail([empty])).rejects.toThrow(/found none/);
  });
});
