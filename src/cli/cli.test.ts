import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scanDocumentSchema } from '../findings/scan-document.js';
import { corpusPath, describeWithCorpus, repoRoot } from '../test-support/corpus.js';
import { runCli } from './main.js';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await runCli(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

const fixtures = join(repoRoot, 'src', 'ingest', 'fixtures');

describeWithCorpus(
  'scan of the iam-vulnerable account dump',
  ['cloudsplaining', 'iam-vulnerable-account-authorization-details.json'],
  () => {
    it('prints a valid iamsight.scan/v1 document with every principal', async () => {
      const file = corpusPath(
        'cloudsplaining',
        'iam-vulnerable-account-authorization-details.json',
      );
      const { code, stdout } = await run([
        'scan',
        '--authz',
        file,
        '--format',
        'json',
        '--as-of',
        '2026-11-24',
      ]);
      expect(code).toBe(0);
      const document = scanDocumentSchema.parse(JSON.parse(stdout));
      const byType = (type: string) => document.principals.filter((p) => p.type === type).length;
      expect([byType('user'), byType('group'), byType('role')]).toEqual([41, 3, 75]);
      expect(document.generatedAt).toBe('2026-11-24T00:00:00.000Z');
      expect(document.accounts.map((a) => a.id)).toEqual(['200611803367']);
      // No credential report was given: that is a gap, not "no keys".
      expect(document.gaps.some((g) => g.source === 'iam:credential-report')).toBe(true);
    });
  },
);

describe('scan', () => {
  it('prints an inventory table for the sample organization', async () => {
    const { code, stdout } = await run(['scan', '--sample']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/iamsight scan: 4 accounts, \d+ principals/);
    expect(stdout).toContain('Account');
    expect(stdout).toMatch(/Organization o-\w+: 4 accounts/);
  });

  it('writes --out atomically and leaves nothing on bad input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-cli-'));
    const good = join(fixtures, 'iam', 'authz-cli.json');
    const out = join(dir, 'scan.json');
    expect((await run(['scan', '--authz', good, '--format', 'json', '--out', out])).code).toBe(0);
    const first = await readFile(out, 'utf8');
    expect(scanDocumentSchema.safeParse(JSON.parse(first)).success).toBe(true);

    const broken = join(dir, 'broken.json');
    await writeFile(broken, first.slice(0, 200));
    const failed = await run(['scan', '--authz', broken, '--format', 'json', '--out', out]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(broken);
    expect(failed.stderr).toMatch(/truncated/);
    expect(await readFile(out, 'utf8')).toBe(first);
  });

  it('names the file, the JSON path and the expectation for a wrong shape', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-cli-'));
    const file = join(dir, 'list.json');
    await writeFile(file, '[{"UserName": "dev-alice"}]');
    const { code, stderr } = await run(['scan', '--authz', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: at $:`);
    expect(stderr).toMatch(/get-account-authorization-details/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a 300 MB file before reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-cli-'));
    const file = join(dir, 'huge.json');
    await writeFile(file, '');
    await truncate(file, 300 * 1024 * 1024);
    const { code, stderr } = await run(['scan', '--authz', file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/300 MiB, over the 256 MiB limit/);
  });

  it('generates an organization that scan then reads from its snapshot folder', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'iamsight-cli-')), 'org');
    const generated = await run(['generate', '--principals', '300', '--seed', '5', '--out', dir]);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toMatch(/300 principals/);
    const scanned = await run(['scan', '--snapshot', dir, '--format', 'json']);
    expect(scanned.code).toBe(0);
    const document = scanDocumentSchema.parse(JSON.parse(scanned.stdout));
    expect(document.principals.filter((p) => p.type !== 'root')).toHaveLength(300);
    expect((await run(['generate', '--principals', 'many'])).code).toBe(2);
  });

  it('treats usage mistakes as exit code 2', async () => {
    expect((await run(['scan'])).code).toBe(2);
    expect((await run(['scan', '--sample', '--format', 'yaml'])).code).toBe(2);
    expect((await run(['scan', '--sample', '--as-of', 'yesterday'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});

describe('the installed command', () => {
  beforeAll(() => {
    // Build from the current sources so the test never runs a stale dist/.
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
    expect(existsSync(join(repoRoot, 'dist', 'cli', 'main.js'))).toBe(true);
  }, 120_000);

  it('runs through bin/iamsight.js with --help and an exit code', () => {
    const help = spawnSync(
      process.execPath,
      [join(repoRoot, 'bin', 'iamsight.js'), 'scan', '--help'],
      {
        encoding: 'utf8',
      },
    );
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--authz <file>');
    const bad = spawnSync(
      process.execPath,
      [join(repoRoot, 'bin', 'iamsight.js'), 'scan', '--authz', '/nonexistent.json'],
      {
        encoding: 'utf8',
      },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('/nonexistent.json: cannot be read: no such file');
  });
});
