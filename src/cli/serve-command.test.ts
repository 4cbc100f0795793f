/**
 * `iamsight serve` in process: refused without a token off loopback (exit 2), and serving a store
 * whose latest scan's inputs it re-reads (or, when they are gone, says how to give a snapshot).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from './main.js';
import { runCapturing as run } from '../test-support/cli.js';
import { TestEstate, trust } from '../test-support/estate.js';

const A = '100000000001';

let dir = '';
let saved: string | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iamsight-serve-'));
  saved = process.env.IAMSIGHT_TOKEN;
  delete process.env.IAMSIGHT_TOKEN;
});
afterEach(async () => {
  if (saved === undefined) delete process.env.IAMSIGHT_TOKEN;
  else process.env.IAMSIGHT_TOKEN = saved;
  await rm(dir, { recursive: true, force: true });
});

/** Starts `serve` in process; resolves with its URL once printed, and a stop function. */
async function startServe(argv: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const done = runCli(['serve', ...argv]);
  let settled = false;
  void done.finally(() => (settled = true));
  for (let i = 0; i < 200 && !/Open (\S+)/.test(stdout) && !settled; i += 1)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const url = /Open (\S+)/.exec(stdout)?.[1];
  return {
    url,
    output: () => ({ stdout, stderr }),
    async stop() {
      process.emit('SIGINT');
      const code = await done;
      vi.restoreAllMocks();
      return code;
    },
  };
}

async function health(url: string) {
  for (let i = 0; i < 100; i += 1) {
    const body = (await (await fetch(`${url}api/health`)).json()) as {
      analysis: { state: string; detail: string };
    };
    if (body.analysis.state !== 'loading') return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the analysis did not finish');
}

describe('iamsight serve', () => {
  it('refuses a non-loopback host without a token, or with a short one (exit 2)', async () => {
    const refused = await run(['serve', '--host', '0.0.0.0', '--store', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('set IAMSIGHT_TOKEN');
    process.env.IAMSIGHT_TOKEN = 'too-short';
    const short = await run(['serve', '--host', '0.0.0.0', '--store', dir]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 24/);
  });

  it("serves the store with the latest scan's inputs re-read; says how to fix it when they are gone", async () => {
    const estate = new TestEstate(A);
    estate.role('public-reader', { trust: trust('*') });
    const authz = join(dir, 'authz.json');
    await writeFile(authz, JSON.stringify(estate.authorizationDetails()));
    const store = join(dir, 'store');
    // Scanned with a relative path; served below from another directory.
    const cwd = process.cwd();
    process.chdir(dir);
    const scanned = await run([
      'scan',
      '--authz',
      'authz.json',
      '--store',
      store,
      '--as-of',
      '2026-11-01',
      '--format',
      'json',
    ]).finally(() => process.chdir(cwd));
    expect(scanned.code).toBe(0);

    process.env.IAMSIGHT_TOKEN = 'a-token-of-thirty-characters-x';
    const serve = await startServe(['--store', store, '--port', '0']);
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=a-token-of-thirty-characters-x$/);
    const base = serve.url!.replace(/#.*$/, '');
    // The token is required even on loopback once it is set.
    expect((await fetch(`${base}api/health`)).status).toBe(401);
    const headers = { authorization: 'Bearer a-token-of-thirty-characters-x' };
    const ready = (await (await fetch(`${base}api/health`, { headers })).json()) as {
      analysis: { state: string; detail: string; asOf: string };
    };
    expect(['loading', 'ready']).toContain(ready.analysis.state);
    delete process.env.IAMSIGHT_TOKEN;
    expect(await serve.stop()).toBe(0);

    // Without a token, the same, and the resource panel answers from the re-read inputs.
    const again = await startServe(['--store', store, '--port', '0']);
    const body = await health(again.url!);
    expect(body.analysis.state).toBe('ready');
    expect(body.analysis.detail).toContain('scan #1');
    const role = encodeURIComponent(`arn:aws:iam::${A}:role/public-reader`);
    const resource = (await (await fetch(`${again.url}api/resource?arn=${role}`)).json()) as {
      openFindings: number;
    };
    expect(resource.openFindings).toBeGreaterThan(0);
    expect(await again.stop()).toBe(0);

    await rm(authz);
    const gone = await startServe(['--store', store, '--port', '0']);
    const none = await health(gone.url!);
    expect(none.analysis.state).toBe('none');
    expect(none.analysis.detail).toContain('--snapshot DIR');
    const panel = await fetch(`${gone.url}api/resource?arn=${role}`);
    expect(panel.status).toBe(409);
    expect(((await panel.json()) as { error: { code: string } }).error.code).toBe('no_snapshot');
    // Findings still come from the store.
    expect((await fetch(`${gone.url}api/findings`)).status).toBe(200);
    expect(await gone.stop()).toBe(0);
  }, 60_000);
});
