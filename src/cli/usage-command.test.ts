import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCloudTrail } from '../ingest/cloudtrail/index.js';
import { USAGE_SCHEMA, type Usage } from '../model/index.js';
import { aRecord, iamUser } from '../test-support/cloudtrail.js';
import { runCapturing } from '../test-support/cli.js';
import { repoRoot } from '../test-support/corpus.js';
import { readInputs } from './inputs.js';

const TRAIL = join(repoRoot, 'src', 'ingest', 'cloudtrail', 'fixtures', 'trail');
const AUTHZ = join(repoRoot, 'src', 'ingest', 'fixtures', 'iam', 'authz-cli.json');

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'iamsight-usage-cli-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('iamsight usage', () => {
  it('prints totals, the most active principals and actions', async () => {
    const { code, stdout, stderr } = await runCapturing(['usage', TRAIL]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'CloudTrail usage from 2026-10-01T09:00:00Z to 2026-10-02T10:05:00Z',
      expect.stringMatching(
        /^ {2}3 files \([\d.]+ kB\), 11 records: 10 counted, 0 outside the window, 1 malformed$/,
      ),
      '  7 principals (2 roles, 1 user, 1 root user, 1 federated provider, 1 AWS service, 1 other), 10 principal × action pairs, 1 long-lived access key, 4 role assumptions',
    ]);
    // The busiest principal first: dev-alice made three calls, one of each action.
    const alice = lines.find((line) => line.startsWith('arn:aws:iam::100000000001:user/dev-alice'));
    expect(alice?.split(/\s{2,}/)).toEqual([
      'arn:aws:iam::100000000001:user/dev-alice',
      'user',
      '3',
      '3',
      '0',
      '2026-10-01T09:02:00Z',
    ]);
    const assume = lines.find((line) => line.startsWith('sts:AssumeRole '));
    expect(assume?.split(/\s{2,}/)).toEqual([
      'sts:AssumeRole',
      '3',
      '3',
      '0',
      '2026-10-02T10:05:00Z',
    ]);
  });

  it('prints the Usage document with --format json', async () => {
    const { code, stdout } = await runCapturing(['usage', TRAIL, '--format', 'json']);
    expect(code).toBe(0);
    const usage = JSON.parse(stdout) as Usage;
    expect(usage.schema).toBe(USAGE_SCHEMA);
    expect(usage).toEqual(await readCloudTrail([TRAIL]));
  });

  it('writes the report to --out and nothing to stdout', async () => {
    const out = join(scratch, 'usage.json');
    const { code, stdout } = await runCapturing(['usage', TRAIL, '--format', 'json', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect((JSON.parse(await readFile(out, 'utf8')) as Usage).stats.records).toBe(11);
    expect((await readdir(scratch)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('counts only the window given by --since and --until', async () => {
    const { stdout } = await runCapturing([
      'usage',
      TRAIL,
      '--since',
      '2026-10-02',
      '--until',
      '2026-10-02T10:00:00Z',
      '--format',
      'json',
    ]);
    const usage = JSON.parse(stdout) as Usage;
    expect(usage.window).toEqual({ start: '2026-10-02T07:00:00Z', end: '2026-10-02T07:06:00Z' });
    expect(usage.stats.outsideWindow).toBe(7);
  });

  it('lists the files it could not read to the end, on stderr and in the report', async () => {
    const dir = await mkdtemp(join(scratch, 'cut-'));
    await writeFile(join(dir, 'good.json'), JSON.stringify({ Records: [aRecord()] }));
    await writeFile(
      join(dir, 'cut.json'),
      JSON.stringify({ Records: [aRecord(), aRecord()] }).slice(0, -30),
    );
    const { code, stdout, stderr } = await runCapturing(['usage', dir]);
    expect(code).toBe(0);
    expect(stderr).toContain('iamsight: warning: 1 CloudTrail file could not be read to the end');
    expect(stderr).toContain(
      `${join(dir, 'cut.json')}: the JSON ends early (is the file truncated?); the 1 records before it were read`,
    );
    expect(stdout).toContain('Files that could not be read to the end (1)');
    expect(stdout).toMatch(/2 records: 2 counted/);
  });

  it('never prints control characters from the logs', async () => {
    const dir = await mkdtemp(join(scratch, 'evil-'));
    const evil = {
      ...iamUser('dev'),
      arn: 'arn:aws:iam::100000000001:user/\u001b[2J\u001b]0;pwned\u0007',
    };
    await writeFile(
      join(dir, 'evil.json'),
      JSON.stringify({
        Records: [aRecord({ userIdentity: evil, eventName: 'List\u001b[31mRoles' })],
      }),
    );
    const { code, stdout } = await runCapturing(['usage', dir]);
    expect(code).toBe(0);
    expect(stdout).toContain('arn:aws:iam::100000000001:user/?[2J?]0;pwned?');
    // eslint-disable-next-line no-control-regex -- looking for them is the point
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it.each([
    [['usage'], 'usage needs CloudTrail logs: PATH...'],
    [['usage', '/no/such/folder'], '/no/such/folder: cannot be read: no such file or folder'],
    [['usage', TRAIL, '--since', 'last week'], '--since: expected an ISO-8601 date'],
    [['usage', TRAIL, '--until', '2026-02-30'], '--until: "2026-02-30" is not a real date'],
    [['usage', TRAIL, '--since', '2026-11-01', '--until', '2026-10-01'], 'must be before --until'],
    [['usage', TRAIL, '--top', '0'], '--top: expected a whole number'],
    [['usage', TRAIL, '--format', 'xml'], "argument 'xml' is invalid"],
    [['usage', TRAIL, '--database', 'db'], '--database goes with --athena'],
    [['usage', TRAIL, '--athena', '--database', 'd', '--table', 't'], 'not both'],
    [['usage', '--athena', '--database', 'd'], '--athena needs --table'],
    [['usage', '--athena', '--database', 'd', '--table', 't'], '--athena needs --output'],
    [
      ['usage', '--athena', '--database', 'd', '--table', 't', '--output', 'https://x/'],
      '--output: expected an S3 URL',
    ],
    [
      [
        'usage',
        '--athena',
        '--database',
        'd',
        '--table',
        't',
        '--workgroup',
        'w',
        '--accounts',
        '12',
      ],
      '--accounts: expected 12-digit account ids',
    ],
    [
      ['usage', '--athena', '--database', 'd"x', '--table', 't', '--workgroup', 'w'],
      '--database: expected letters, digits',
    ],
    [
      [
        'usage',
        '--athena',
        '--database',
        'd',
        '--table',
        't',
        '--workgroup',
        'w',
        '--region',
        'mars',
      ],
      '--region: expected an AWS region',
    ],
  ])('exits 2 on %j with a clear message', async (argv, message) => {
    const { code, stderr, stdout } = await runCapturing(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });
});

describe('--cloudtrail among the shared inputs', () => {
  const options = (cloudtrail: string[]) => ({
    authz: [AUTHZ],
    credentialReport: [],
    resources: [],
    org: [],
    snapshot: [],
    cloudtrail,
  });

  it('reads the logs into a Usage beside the snapshot', async () => {
    const inputs = await readInputs(options([TRAIL]), 'scan');
    expect(inputs.snapshot.principals.length).toBeGreaterThan(0);
    expect(inputs.usage).toEqual(await readCloudTrail([TRAIL]));
  });

  it('gives no Usage without --cloudtrail', async () => {
    expect((await readInputs(options([]), 'scan')).usage).toBeNull();
  });

  it('is accepted by scan, and a missing log folder is bad input', async () => {
    expect((await runCapturing(['scan', '--authz', AUTHZ, '--cloudtrail', TRAIL])).code).toBe(0);
    const missing = await runCapturing(['scan', '--authz', AUTHZ, '--cloudtrail', '/no/such/logs']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/no/such/logs: cannot be read');
  });
});
