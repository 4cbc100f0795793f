import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import type { AccessKey, UserPrincipal } from '../model/index.js';
import { aPrincipal, aUsage, anAction } from '../test-support/usage.js';
import { keyLastUse, keyUseInLogs } from './last-use.js';
import { actionVerdictsOf, analyzePermissionUsage, servicesOf } from './permissions.js';
import { DEFAULT_TRACKING } from './tracking.js';
import { buildUsageIndex } from './usage-index.js';

const AS_OF = '2026-11-24T00:00:00.000Z';
const WINDOW = { start: '2026-06-01T00:00:00.000Z', end: '2026-11-23T23:00:00.000Z' };
const ROLE = 'arn:aws:iam::100000000001:role/orders-api';
const catalog = loadCatalog();
const granted = (...patterns: string[]) =>
  patterns.reduce((set, p) => set.union(catalog.expandActionPattern(p)), catalog.emptySet());

describe('granted versus used', () => {
  const usage = buildUsageIndex(
    aUsage(WINDOW, {
      principals: [
        aPrincipal(ROLE, [
          anAction('dynamodb:DescribeTable', '2026-11-20T10:00:00.000Z'),
          // Every call refused: not a use.
          anAction('dynamodb:DeleteTable', '2026-11-20T10:00:00.000Z', { count: 2, denied: 2 }),
          // Used, but before the 90-day period started.
          anAction('dynamodb:ListTables', '2026-07-01T10:00:00.000Z'),
          // Allowed by a bucket policy: the identity policies do not grant it.
          anAction('s3:GetBucketLocation', '2026-11-21T10:00:00.000Z'),
        ]),
      ],
    }),
  );
  const permissions = analyzePermissionUsage({
    principal: ROLE,
    granted: granted(
      'dynamodb:Describe*',
      'dynamodb:DeleteTable',
      'dynamodb:ListTables',
      'iam:PassRole',
      'dynamodb:GetItem',
    ),
    usage,
    asOf: AS_OF,
    tracking: DEFAULT_TRACKING,
  });

  it('counts only calls that were not refused, within the period', () => {
    expect(permissions.used.toActions()).toEqual(['dynamodb:DescribeTable']);
    expect(permissions.unused.has(catalog.actionIndex('dynamodb:DeleteTable')!)).toBe(true);
    expect(permissions.unused.has(catalog.actionIndex('dynamodb:ListTables')!)).toBe(true);
    expect(permissions.unknown.toActions()).toEqual(['dynamodb:GetItem', 'iam:PassRole']);
    expect(permissions.usedNotGranted.map((a) => a.action)).toEqual(['s3:GetBucketLocation']);
    const observable = permissions.granted.count() - 2;
    expect(permissions.unusedRatio).toBeCloseTo((observable - 1) / observable);
  });

  it('summarises by service and explains every action', () => {
    const services = servicesOf(permissions);
    expect(services.map((s) => s.service)).toEqual(['dynamodb', 'iam']);
    expect(services[1]).toEqual({
      service: 'iam',
      granted: 1,
      used: 0,
      unused: 0,
      unknown: 1,
      lastUsed: null,
    });
    expect(services[0]).toMatchObject({
      used: 1,
      unknown: 1,
      lastUsed: '2026-11-20T10:00:00.000Z',
    });
    const verdicts = actionVerdictsOf(permissions, 'dynamodb', usage);
    expect(verdicts.find((v) => v.action === 'dynamodb:DeleteTable')).toMatchObject({
      status: 'unused',
      calls: 0,
      denied: 2,
      lastUsed: '2026-11-20T10:00:00.000Z',
    });
    expect(verdicts.find((v) => v.action === 'dynamodb:GetItem')?.reason).toMatch(/data event/);
  });
});

describe('access keys seen in CloudTrail', () => {
  const key = (slot: 1 | 2, id: string | null = null): AccessKey => ({
    id,
    slot: id ? null : slot,
    status: 'Active',
    createDate: null,
    lastRotated: '2025-01-01T00:00:00.000Z',
    lastUsedDate: '2026-03-01T00:00:00.000Z',
    lastUsedRegion: null,
    lastUsedService: null,
  });
  const userWith = (keys: AccessKey[]) =>
    ({
      type: 'user',
      arn: 'arn:aws:iam::100000000001:user/svc-sync',
      accessKeys: keys,
    }) as unknown as UserPrincipal;
  const usage = buildUsageIndex(
    aUsage(WINDOW, {
      accessKeys: [
        {
          accessKeyId: 'AKIA3SVCSYNC00000001',
          principal: 'arn:aws:iam::100000000001:user/svc-sync',
          firstSeen: '2026-10-01T00:00:00.000Z',
          lastSeen: '2026-11-20T00:00:00.000Z',
          count: 9,
          services: ['s3'],
        },
      ],
    }),
  );

  it('matches by id when the snapshot knows key ids', () => {
    const known = key(1, 'AKIA3SVCSYNC00000001');
    expect(keyUseInLogs(userWith([known]), known, usage)).toEqual({
      lastSeen: '2026-11-20T00:00:00.000Z',
      attribution: 'key-id',
    });
    const other = key(1, 'AKIA3SVCSYNC00000002');
    expect(keyUseInLogs(userWith([other]), other, usage).attribution).toBe('none');
  });

  it("attributes the logs' key to the only key without an id, and to each when ambiguous", () => {
    const only = key(1);
    expect(keyUseInLogs(userWith([only]), only, usage).attribution).toBe('only-key-without-id');
    // Both keys last used (per the report) before the logs first saw the key: either could be it.
    const [first, second] = [key(1), key(2)];
    const user = userWith([first, second]);
    expect(keyUseInLogs(user, first, usage).attribution).toBe('ambiguous');
    // Ambiguity can only make a key look used: both get the later date.
    expect(keyLastUse(user, second, usage).latest).toEqual({
      source: 'cloudtrail',
      lastUsed: '2026-11-20T00:00:00.000Z',
    });
  });

  it('names a listed key’s IAM date access-key-last-used, a report slot’s credential-report', () => {
    // A listed key keeps the report's slot it was matched to (src/ingest/build-snapshot.ts).
    const listed = { ...key(1, 'AKIA3SVCSYNC00000009'), slot: 1 as const };
    expect(keyLastUse(userWith([listed]), listed, null).latest).toEqual({
      source: 'access-key-last-used',
      lastUsed: '2026-03-01T00:00:00.000Z',
    });
    const reported = key(2);
    expect(keyLastUse(userWith([reported]), reported, null).latest?.source).toBe(
      'credential-report',
    );
  });

  it('tells two keys apart by the report date: the never-used one stays never used', () => {
    const used = { ...key(1), lastUsedDate: '2026-11-19T00:00:00.000Z' };
    const never = { ...key(2), lastUsedDate: null };
    const user = userWith([used, never]);
    expect(keyUseInLogs(user, used, usage)).toEqual({
      lastSeen: '2026-11-20T00:00:00.000Z',
      attribution: 'report-date',
    });
    expect(keyUseInLogs(user, never, usage)).toEqual({ lastSeen: null, attribution: 'none' });
  });
});
