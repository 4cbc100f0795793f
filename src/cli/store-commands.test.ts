import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { openBackend } from '../store/backend.js';
import { resolveStoreLocation } from '../store/index.js';
import { MIGRATION_TABLE } from '../store/migrations.js';
import { runCapturing as run } from '../test-support/cli.js';
import { repoRoot } from '../test-support/corpus.js';
import { TestEstate, trust } from '../test-support/estate.js';
import { createThrowawayDatabase, hasTestPostgres } from '../test-support/postgres.js';
import { credentialReportCsv } from '../test-support/scans.js';

const A = '100000000001';
const PUBLIC_READER = `arn:aws:iam::${A}:role/public-reader`;

/** Account A's authorization details, with or without the role anyone can assume. */
async function writeInputs(dir: string) {
  const write = async (name: string, publicRole: boolean) => {
    const estate = new TestEstate(A);
    if (publicRole) estate.role('public-reader', { trust: trust('*') });
    estate.role('ci', { trust: trust({ AWS: estate.root }) });
    const file = join(dir, name);
    await writeFile(file, JSON.stringify(estate.authorizationDetails()));
    return file;
  };
  const report = join(dir, 'report.csv');
  await writeFile(report, credentialReportCsv(A, { rootMfa: false }));
  return {
    withPublic: await write('authz-public.json', true),
    withoutPublic: await write('authz-fixed.json', false),
    report,
  };
}

let dir = '';
let store = '';
let inputs: Awaited<ReturnType<typeof writeInputs>>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iamsight-store-cli-'));
  store = join(dir, 'store');
  inputs = await writeInputs(dir);
});

const scan = (authz: string, asOf: string, ...more: string[]) =>
  run([
    'scan',
    '--authz',
    authz,
    '--credential-report',
    inputs.report,
    '--as-of',
    asOf,
    '--store',
    store,
    ...more,
  ]);

describe('iamsight scan --store, findings, history, scans', () => {
  it('records every scan and shows findings, their history and the scans', async () => {
    const first = await scan(inputs.withPublic, '2026-11-01');
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`recorded scan #1 in ${join(store, 'iamsight.db')}: 3 opened`);
    const second = await scan(inputs.withoutPublic, '2026-11-02', '--format', 'json');
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('recorded scan #2');
    expect(second.stderr).toContain('0 opened, 1 resolved');

    const open = await run(['findings', '--store', store]);
    expect(open.code).toBe(0);
    expect(open.stdout).toContain('Latest scan #2 as of 2026-11-02T00:00:00.000Z (partial)');
    expect(open.stdout).toContain('Findings (open): 2');
    expect(open.stdout).toContain('Root user without (hardware) MFA');
    expect(open.stdout).not.toContain('public-reader');
    expect(open.stdout).toMatch(/ {2}- [0-9a-f]{32} {2}The root user/);

    const resolved = await run([
      'findings',
      '--store',
      store,
      '--status',
      'resolved',
      '--format',
      'json',
    ]);
    const listing = JSON.parse(resolved.stdout);
    expect(listing.schema).toBe('iamsight.findings/v1');
    expect(listing.findings).toHaveLength(1);
    expect(listing.findings[0]).toMatchObject({
      ruleId: 'iam-role-trust-any-principal',
      status: 'resolved',
      resource: { arn: PUBLIC_READER },
      firstSeen: { scanId: 1, at: '2026-11-01T00:00:00.000Z' },
      since: { scanId: 2, at: '2026-11-02T00:00:00.000Z' },
    });

    const csv = await run(['findings', '--store', store, '--status', 'all', '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^fingerprint,severity,ruleId,/);
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(4);

    const counts = await run([
      'findings',
      '--store',
      store,
      '--status',
      'all',
      '--counts',
      '--group-by',
      'severity',
      '--format',
      'json',
    ]);
    expect(
      JSON.parse(counts.stdout).groups.map((g: { key: string; count: number }) => [g.key, g.count]),
    ).toEqual([
      ['critical', 2],
      ['low', 1],
    ]);

    const history = await run(['history', PUBLIC_READER, '--store', store]);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/2026-11-01T00:00:00.000Z +#1 +opened +critical/);
    expect(history.stdout).toMatch(/2026-11-02T00:00:00.000Z +#2 +resolved +critical/);
    const fingerprint = listing.findings[0].fingerprint as string;
    const one = JSON.parse(
      (await run(['history', fingerprint, '--store', store, '--format', 'json'])).stdout,
    );
    expect(one.events.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'resolved']);

    const scans = await run(['scans', '--store', store]);
    expect(scans.stdout).toMatch(
      /#2 +2026-11-02T00:00:00.000Z +partial +\d+\.\d +2 +0 +0 +1 +0 +0 +2/,
    );
    expect(scans.stdout).toMatch(
      /#1 +2026-11-01T00:00:00.000Z +partial +\d+\.\d +3 +0 +3 +0 +0 +0 +2/,
    );
  });

  it('mutes and unmutes: at once for findings, recorded by the next scan, out of the score', async () => {
    await scan(inputs.withPublic, '2026-11-01');
    const muted = await run([
      'mute',
      '--rule',
      'TRU-01',
      '--arn',
      'arn:aws:iam::*:role/public-*',
      '--reason',
      'public demo role',
      '--by',
      'dev-alice',
      '--until',
      '2099-01-01',
      '--store',
      store,
    ]);
    expect(muted.code).toBe(0);
    expect(muted.stdout).toContain('Mute #1: rule TRU-01, ARN arn:aws:iam::*:role/public-*');
    expect(muted.stdout).toContain('applies now to 1 open finding');
    const now = await run(['findings', '--store', store, '--status', 'muted', '--format', 'json']);
    expect(JSON.parse(now.stdout).findings[0].mute).toEqual({
      reason: 'public demo role',
      until: '2099-01-01T00:00:00.000Z',
      by: 'dev-alice',
      muteId: 1,
    });

    const next = await scan(
      inputs.withPublic,
      '2026-11-02',
      '--format',
      'json',
      '--fail-on',
      'high',
    );
    expect(next.code).toBe(1);
    // The muted critical finding no longer fails the build; the root's does.
    const document = JSON.parse(next.stdout);
    expect(
      document.findings.find((f: { ruleId: string }) => f.ruleId === 'iam-role-trust-any-principal')
        .status,
    ).toBe('muted');
    const mutes = await run(['mutes', '--store', store]);
    expect(mutes.stdout).toMatch(/1 +in force +rule TRU-01.*public demo role +dev-alice/);

    const unmuted = await run(['unmute', '1', '--by', 'dev-bob', '--store', store]);
    expect(unmuted.code).toBe(0);
    expect(unmuted.stdout).toContain('Removed mute #1');
    expect((await run(['mutes', '--store', store])).stdout).toContain('No stored mute');
    expect((await run(['mutes', '--all', '--store', store])).stdout).toContain(
      'removed by dev-bob',
    );
    await scan(inputs.withPublic, '2026-11-03');
    const history = await run(['history', PUBLIC_READER, '--store', store]);
    expect(history.stdout).toMatch(/#2 +muted: public demo role/);
    expect(history.stdout).toMatch(/#3 +unmuted/);
  });

  it('records nothing with --no-store', async () => {
    const isolated = process.env.IAMSIGHT_STORE!;
    const result = await run(['scan', '--authz', inputs.withPublic, '--no-store']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('recorded scan');
    expect(existsSync(join(isolated, 'iamsight.db'))).toBe(false);
  });

  it('records into IAMSIGHT_STORE when --store is not given', async () => {
    const isolated = process.env.IAMSIGHT_STORE!;
    const result = await run(['scan', '--authz', inputs.withPublic, '--as-of', '2026-11-01']);
    expect(result.stderr).toContain(`recorded scan #1 in ${join(isolated, 'iamsight.db')}`);
    expect((await run(['scans'])).stdout).toContain('#1');
  });
});

describe('store commands refuse mistakes with exit code 2', () => {
  it('names what is wrong, and records or prints nothing', async () => {
    const missing = await run(['findings', '--store', join(dir, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no store at');
    expect(existsSync(join(dir, 'nothing-here'))).toBe(false);

    await scan(inputs.withPublic, '2026-11-05');
    const older = await scan(inputs.withPublic, '2026-11-04');
    expect(older.code).toBe(2);
    expect(older.stderr).toContain("before the store's latest scan (#1, as of 2026-11-05");
    expect(older.stdout).toBe('');

    const cases: [string[], RegExp][] = [
      [['mute', '--rule', 'TRU-01', '--store', store], /required option '--reason/],
      [['mute', '--reason', 'x', '--store', store], /name a FINGERPRINT, or --rule/],
      [['mute', '--rule', 'TRU-99', '--reason', 'x', '--store', store], /not a detection id/],
      [['mute', 'abc', '--reason', 'x', '--store', store], /32 hexadecimal digits/],
      [['mute', 'f'.repeat(32), '--reason', 'x', '--store', store], /no finding with fingerprint/],
      [
        ['mute', '--rule', 'TRU-01', '--reason', 'x', '--until', '2020-01-01', '--store', store],
        /in the past/,
      ],
      [['unmute', '7', '--store', store], /no stored mute #7 is in force/],
      [
        ['findings', '--severity', 'urgent', '--store', store],
        /--severity: expected one or more of critical/,
      ],
      [['findings', '--format', 'json', '--cursor', 'bogus', '--store', store], /invalid cursor/],
      [['history', 'role/ci', '--store', store], /expected a resource ARN/],
      [['history', 'e'.repeat(32), '--store', store], /no finding with fingerprint e{32}/],
      [['findings', '--group-by', 'account', '--store', store], /counts only \(add --counts\)/],
      [['findings', '--account', '12345', '--store', store], /12-digit account ids/],
      [['scan', '--sample', '--store', 'mysql://db/x'], /expected a folder or a postgres/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toMatch(message);
    }
  });

  it('refuses a store written by a newer iamsight', async () => {
    await scan(inputs.withPublic, '2026-11-01');
    const backend = await openBackend(resolveStoreLocation(store, {}, '/'));
    await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('0003_future', '2030-01-01T00:00:00.000Z')`.execute(
      backend.db,
    );
    await backend.close();
    for (const argv of [
      ['findings', '--store', store],
      ['scans', '--store', store],
    ]) {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /schema version 3, written by a newer iamsight; this one knows version 2/,
      );
    }
    const refused = await scan(inputs.withPublic, '2026-11-02');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
  });
});

/** Runs the CLI from source in its own process. */
function runProcess(argv: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('./src/cli/main.ts').then((m) => m.runCli(process.argv.slice(1))).then((c) => process.exit(c))`,
        ...argv,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('concurrent scans into one embedded store', () => {
  it('wait for each other, even when they create it: one opens the findings, the others see them', async () => {
    const argv = ['scan', '--authz', inputs.withPublic, '--as-of', '2026-11-01', '--store', store];
    const results = await Promise.all([runProcess(argv), runProcess(argv), runProcess(argv)]);
    expect(
      results.map((r) => r.code),
      results.map((r) => r.stderr).join('\n'),
    ).toEqual([0, 0, 0]);
    const opened = results.map((r) =>
      /recorded scan #(\d) .*: (\d) opened/.exec(r.stderr)?.slice(1),
    );
    expect(opened.map((o) => o?.join(' ')).sort()).toEqual(['1 2', '2 0', '3 0']);
    expect(await readdir(store)).toContain('iamsight.db');
  }, 120_000);
});

const postgres = await hasTestPostgres();
describe.skipIf(!postgres)('iamsight with --store postgres://', () => {
  it('records and lists like the embedded store', async () => {
    const database = await createThrowawayDatabase();
    try {
      const url = database.url;
      const first = await run([
        'scan',
        '--authz',
        inputs.withPublic,
        '--as-of',
        '2026-11-01',
        '--store',
        url,
      ]);
      expect(first.code).toBe(0);
      // The password never appears in messages.
      expect(first.stderr).toMatch(/recorded scan #1 in postgres(ql)?:\/\/[^ ]*: 2 opened/);
      if (new URL(url).password) expect(first.stderr).not.toContain(`:${new URL(url).password}@`);
      await run(['scan', '--authz', inputs.withoutPublic, '--as-of', '2026-11-02', '--store', url]);
      const listing = JSON.parse(
        (await run(['findings', '--status', 'all', '--format', 'json', '--store', url])).stdout,
      );
      expect(
        listing.findings.map((f: { resource: { arn: string }; status: string }) => [
          f.resource.arn,
          f.status,
        ]),
      ).toEqual([
        [PUBLIC_READER, 'resolved'],
        [`arn:aws:iam::${A}:role/ci`, 'open'],
      ]);
    } finally {
      await database.drop();
    }
  });
});
