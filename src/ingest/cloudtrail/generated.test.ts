import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganization, writeSnapshotFolder } from '../../generate/index.js';
import type { CloudTrailTruth } from '../../generate/index.js';
import { USAGE_RESOURCE_LIMIT, type Usage } from '../../model/index.js';
import { readCloudTrail } from './index.js';

/** The generator's truth of every account, merged as the aggregate merges (sums, min, max). */
function mergeTruth(truths: readonly CloudTrailTruth[]) {
  type Call = {
    -readonly [K in keyof CloudTrailTruth['calls'][number]]: CloudTrailTruth['calls'][number][K];
  };
  const calls = new Map<string, Call & { resources: string[] }>();
  const keys = new Map<string, { principal: string; count: number; lastSeen: string }>();
  const assumptions = new Map<string, { count: number; lastSeen: string }>();
  const logins = new Map<string, string>();
  const max = (a: string, b: string) => (b > a ? b : a);
  const min = (a: string, b: string) => (b < a ? b : a);
  for (const truth of truths) {
    for (const call of truth.calls) {
      const key = `${call.principal} ${call.action}`;
      const seen = calls.get(key);
      if (!seen) calls.set(key, { ...call, resources: [...call.resources] });
      else {
        seen.count += call.count;
        seen.denied += call.denied;
        seen.firstSeen = min(seen.firstSeen, call.firstSeen);
        seen.lastSeen = max(seen.lastSeen, call.lastSeen);
        for (const arn of call.resources)
          if (!seen.resources.includes(arn)) seen.resources.push(arn);
      }
    }
    for (const key of truth.accessKeys) {
      const seen = keys.get(key.accessKeyId);
      if (!seen) keys.set(key.accessKeyId, { ...key });
      else {
        seen.count += key.count;
        seen.lastSeen = max(seen.lastSeen, key.lastSeen);
      }
    }
    for (const pair of truth.assumptions) {
      const key = `${pair.role} ${pair.assumedBy}`;
      const seen = assumptions.get(key);
      if (!seen) assumptions.set(key, { count: pair.count, lastSeen: pair.lastSeen });
      else {
        seen.count += pair.count;
        seen.lastSeen = max(seen.lastSeen, pair.lastSeen);
      }
    }
    for (const login of truth.consoleLogins)
      logins.set(login.principal, max(logins.get(login.principal) ?? '', login.lastSeen));
  }
  return { calls, keys, assumptions, logins };
}

const sorted = <T>(values: Iterable<T>): T[] => [...values].sort();

describe('CloudTrail of a generated organization', () => {
  let dir: string;
  let usage: Usage;
  let truth: ReturnType<typeof mergeTruth>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iamsight-generated-trail-'));
    const org = generateOrganization({ seed: 11, principals: 700, cloudTrailEvents: 30_000 });
    await writeSnapshotFolder(org, dir);
    truth = mergeTruth(org.accounts.map((account) => account.documents().cloudTrailTruth));
    usage = await readCloudTrail([join(dir, 'cloudtrail')], { workers: 2 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has exactly the principals × actions the generator planned, with their counts and times', () => {
    const read = usage.principals.flatMap((p) =>
      p.actions.map((a) => [
        p.principal,
        p.kind,
        a.action,
        a.count,
        a.denied,
        a.firstSeen,
        a.lastSeen,
        a.resources,
        a.resourcesTruncated,
      ]),
    );
    const planned = [...truth.calls.values()]
      .map((c) => [
        c.principal,
        c.kind,
        c.action,
        c.count,
        c.denied,
        c.firstSeen,
        c.lastSeen,
        // At most USAGE_RESOURCE_LIMIT, the first in code-unit order.
        sorted(c.resources).slice(0, USAGE_RESOURCE_LIMIT),
        c.resources.length > USAGE_RESOURCE_LIMIT,
      ])
      .sort((a, b) => (`${a[0]} ${a[2]}` < `${b[0]} ${b[2]}` ? -1 : 1));
    expect(read).toEqual(planned);
    expect(usage.stats).toMatchObject({ records: 30_000, malformedRecords: 0, outsideWindow: 0 });
  });

  it('maps the generator renamed events back to their IAM actions', () => {
    const actions = new Set([...truth.calls.values()].map((c) => c.action));
    // The exceptions of src/generate/cloudtrail.ts eventOf are exercised by this estate.
    for (const action of ['s3:ListAllMyBuckets', 'lambda:InvokeFunction', 'sts:AssumeRoleWithSAML'])
      expect(actions).toContain(action);
    expect([...actions].some((a) => a.startsWith('lambda:') && a !== 'lambda:InvokeFunction')).toBe(
      true,
    );
    const read = new Set(usage.principals.flatMap((p) => p.actions.map((a) => a.action)));
    expect(read).toEqual(actions);
  });

  it('reads only the logs of a snapshot folder when given the folder itself', async () => {
    expect(await readCloudTrail([dir], { workers: 0 })).toEqual(usage);
  });

  it('has the long-lived keys, role assumptions and console sign-ins the generator planned', () => {
    expect(usage.accessKeys.map((k) => [k.accessKeyId, k.principal, k.count, k.lastSeen])).toEqual(
      sorted(truth.keys.keys()).map((id) => {
        const key = truth.keys.get(id)!;
        return [id, key.principal, key.count, key.lastSeen];
      }),
    );
    expect(usage.assumptions.map((a) => [`${a.role} ${a.assumedBy}`, a.count, a.lastSeen])).toEqual(
      sorted(truth.assumptions.keys()).map((key) => [
        key,
        truth.assumptions.get(key)!.count,
        truth.assumptions.get(key)!.lastSeen,
      ]),
    );
    const logins = usage.principals
      .filter((p) => p.lastConsoleLogin !== null)
      .map((p) => [p.principal, p.lastConsoleLogin]);
    expect(logins).toEqual(sorted(truth.logins.keys()).map((p) => [p, truth.logins.get(p)]));
    expect(logins.length).toBeGreaterThan(0);
  });
});
