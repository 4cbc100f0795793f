import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../model/index.js';
import { importUsageDocument, mapUsageDocument } from './usage-document.js';

const fixture = join(import.meta.dirname, 'fixtures', 'usage', 'dev-account.usage.json');
const good = (): Record<string, unknown> =>
  JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;

function errorOf(json: unknown): InputError {
  try {
    mapUsageDocument(json, 'usage.json');
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('Usage document', () => {
  it('reads a document as `iamsight usage --format json` prints it, dates normalised to UTC', async () => {
    const usage = await importUsageDocument(fixture);
    expect(usage.window).toEqual({
      start: '2026-08-22T00:04:11.000Z',
      end: '2026-11-23T23:58:40.000Z',
    });
    expect(usage.principals.map((p) => p.principal)).toEqual([
      'arn:aws:iam::100000000001:role/ci-deployer',
      'arn:aws:iam::100000000001:user/dev-alice',
    ]);
    expect(usage.principals[0]?.actions[1]).toEqual({
      action: 's3:PutObject',
      firstSeen: '2026-08-22T09:12:00.000Z',
      lastSeen: '2026-11-23T17:40:02.000Z',
      count: 640,
      denied: 3,
      resources: ['arn:aws:s3:::payments-artifacts-100000000001/releases/app-1.4.2.zip'],
      resourcesTruncated: false,
    });
    expect(usage.principals[1]?.lastConsoleLogin).toBe('2026-11-20T16:20:01.000Z');
    expect(usage.accessKeys[0]?.accessKeyId).toBe('AKIA3EXAMPLE7ALICE01');
    expect(usage.assumptions[0]?.assumedBy).toBe('federated:token.actions.githubusercontent.com');
  });

  it('names the JSON path and what was expected', () => {
    const wrongSchema = { ...good(), schema: 'iamsight.usage/v2' };
    expect(errorOf(wrongSchema).message).toMatch(
      /^usage\.json: at \$\.schema: expected "schema": "iamsight\.usage\/v1"/,
    );

    const doc = good();
    const principals = doc.principals as Record<string, unknown>[];
    (principals[0]!.actions as Record<string, unknown>[])[1]!.lastSeen = '23/11/2026';
    expect(errorOf(doc).message).toBe(
      'usage.json: at $.principals[0].actions[1].lastSeen: expected an ISO-8601 date-time such as "2026-11-20T10:00:00Z" (found "23/11/2026")',
    );

    const denied = good();
    (
      (denied.principals as Record<string, unknown>[])[0]!.actions as Record<string, unknown>[]
    )[0]!.denied = 500;
    expect(errorOf(denied).location).toBe('$.principals[0].actions[0].denied');

    const action = good();
    (
      (action.principals as Record<string, unknown>[])[1]!.actions as Record<string, unknown>[]
    )[0]!.action = 'DescribeInstances';
    expect(errorOf(action).message).toContain('expected an IAM action such as "s3:GetObject"');

    const reversed = good();
    (reversed.accessKeys as Record<string, unknown>[])[0]!.firstSeen = '2026-11-30T00:00:00Z';
    expect(errorOf(reversed).location).toBe('$.accessKeys[0]');

    expect(errorOf({ ...good(), principals: {} }).location).toBe('$.principals');
    expect(errorOf([]).location).toBe('$');
  });

  it('bounds attacker-controlled lists and strings', () => {
    const doc = good();
    const first = (doc.principals as Record<string, unknown>[])[0]!;
    (first.actions as Record<string, unknown>[])[0]!.resources = Array.from(
      { length: 21 },
      (_, i) => `arn:aws:s3:::bucket-${i}`,
    );
    expect(errorOf(doc).location).toBe('$.principals[0].actions[0].resources');
    const long = good();
    (long.principals as Record<string, unknown>[])[0]!.principal =
      `arn:aws:iam::1:role/${'x'.repeat(3000)}`;
    expect(errorOf(long).message).toContain('at most 2048 characters');
  });

  it('refuses a file that is not JSON, naming line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-usage-'));
    try {
      const file = join(dir, 'usage.json');
      await writeFile(file, '{"schema": "iamsight.usage/v1",\n  "window": }');
      await expect(importUsageDocument(file)).rejects.toThrow(/line 2, column 13/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
