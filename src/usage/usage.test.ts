import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import type { RolePrincipal } from '../model/index.js';
import { aPrincipal, aUsage, anAction } from '../test-support/usage.js';
import { LOGGING_RULES, loggingOf, unobservableActions, whyUnobservable } from './logging.js';
import { coverageOf, DEFAULT_TRACKING, isOlderThanPeriod, latestUse } from './tracking.js';
import { buildUsageIndex, lastSeenInLogs } from './usage-index.js';

const WINDOW = { start: '2026-08-20T00:10:00.000Z', end: '2026-11-23T22:00:00.000Z' };
const AS_OF = '2026-11-24T00:00:00.000Z';

describe('what CloudTrail logs', () => {
  it('knows every action it lists (a typo would silently judge an action as logged)', () => {
    const catalog = loadCatalog();
    const names = [
      ...Object.values(LOGGING_RULES.dataEvents).flat(),
      ...Object.keys(LOGGING_RULES.notLogged),
    ];
    expect(names.filter((name) => !catalog.isKnownAction(name))).toEqual([]);
    for (const service of Object.keys(LOGGING_RULES.notLoggedServices))
      expect(catalog.isKnownService(service), service).toBe(true);
  });

  it('never shows iam:PassRole unused; data events only once the logs hold some', () => {
    expect(loggingOf('iam:PassRole').kind).toBe('not-logged');
    expect(loggingOf('ec2:DescribeInstances')).toEqual({ kind: 'logged' });
    expect(loggingOf('s3:GetObject')).toEqual({ kind: 'data-event', category: 's3-objects' });
    expect(loggingOf('s3:PutObjectTagging')).toEqual({
      kind: 'data-event',
      category: 's3-objects',
    });
    expect(loggingOf('s3:ListAllMyBuckets')).toEqual({ kind: 'logged' });
    expect(loggingOf('execute-api:Invoke').kind).toBe('not-logged');
    expect(whyUnobservable('s3:GetObject', new Set())).toMatch(/data event \(s3-objects\)/);
    expect(whyUnobservable('s3:GetObject', new Set(['s3-objects']))).toBeNull();
    expect(whyUnobservable('iam:PassRole', new Set(['s3-objects']))).toMatch(/permission/);

    const catalog = loadCatalog();
    const none = unobservableActions(new Set());
    const withS3 = unobservableActions(new Set(['s3-objects']));
    const index = (name: string) => catalog.actionIndex(name)!;
    expect(none.has(index('s3:GetObject'))).toBe(true);
    expect(withS3.has(index('s3:GetObject'))).toBe(false);
    expect(withS3.has(index('lambda:InvokeFunction'))).toBe(true);
    expect(withS3.has(index('iam:PassRole'))).toBe(true);
    expect(none.has(index('iam:CreateRole'))).toBe(false);
  });
});

describe('usage index', () => {
  const usage = aUsage(WINDOW, {
    principals: [
      aPrincipal('arn:aws:iam::100000000001:role/app/payments-api', [
        anAction('dynamodb:GetItem', '2026-11-20T10:00:00.000Z'),
      ]),
      aPrincipal('arn:aws:iam::100000000002:user/dev-alice', [
        anAction('ec2:DescribeInstances', '2026-10-02T10:00:00.000Z'),
      ]),
    ],
    assumptions: [
      {
        role: 'arn:aws:iam::100000000001:role/app/payments-api',
        assumedBy: 'service:lambda.amazonaws.com',
        firstSeen: '2026-09-01T00:00:00.000Z',
        lastSeen: '2026-11-21T08:00:00.000Z',
        count: 40,
      },
    ],
  });
  const index = buildUsageIndex(usage);

  it('finds a principal by its ARN, or by account, type and name whatever the case and path', () => {
    expect(index.principal('arn:aws:iam::100000000001:role/app/payments-api')).toBeDefined();
    expect(index.principal('arn:aws:iam::100000000001:role/Payments-API')).toBeDefined();
    expect(index.principal('arn:aws:iam::100000000003:role/app/payments-api')).toBeUndefined();
    expect(index.principal('arn:aws:iam::100000000001:user/payments-api')).toBeUndefined();
  });

  it('knows the accounts and data-event categories the logs hold', () => {
    expect([...index.accounts].sort()).toEqual(['100000000001', '100000000002']);
    expect([...index.dataEvents]).toEqual(['dynamodb-items']);
  });

  it("takes a role's last assumption as its last use when it is later than its calls", () => {
    const role = { type: 'role', arn: 'arn:aws:iam::100000000001:role/app/payments-api' };
    expect(lastSeenInLogs(index, role as RolePrincipal)).toBe('2026-11-21T08:00:00.000Z');
  });
});

describe('tracking period', () => {
  it('judges only entities that existed for the whole period', () => {
    expect(isOlderThanPeriod('2026-08-26T00:00:00.000Z', AS_OF, DEFAULT_TRACKING)).toBe(true);
    expect(isOlderThanPeriod('2026-08-26T00:00:01.000Z', AS_OF, DEFAULT_TRACKING)).toBe(false);
    expect(isOlderThanPeriod(null, AS_OF, DEFAULT_TRACKING)).toBeNull();
  });

  it('lets the latest evidence win, whatever its source', () => {
    expect(
      latestUse([
        { source: 'credential-report', lastUsed: '2026-01-10T00:00:00.000Z' },
        { source: 'cloudtrail', lastUsed: '2026-11-01T00:00:00.000Z' },
        { source: 'role-last-used', lastUsed: null },
      ]),
    ).toEqual({ source: 'cloudtrail', lastUsed: '2026-11-01T00:00:00.000Z' });
    expect(latestUse([{ source: 'cloudtrail', lastUsed: null }])).toBeNull();
  });

  it('says when the logs do not cover the period, and why', () => {
    const index = buildUsageIndex(
      aUsage(WINDOW, {
        principals: [
          aPrincipal('arn:aws:iam::100000000001:user/dev-bob', [
            anAction('sts:GetCallerIdentity', '2026-11-01T00:00:00.000Z'),
          ]),
        ],
      }),
    );
    expect(coverageOf(index, '100000000001', AS_OF, DEFAULT_TRACKING)).toEqual({ covered: true });
    expect(coverageOf(index, '100000000009', AS_OF, DEFAULT_TRACKING)).toEqual({
      covered: false,
      reason: 'the CloudTrail logs hold no record of account 100000000009',
    });
    expect(coverageOf(null, '100000000001', AS_OF, DEFAULT_TRACKING).covered).toBe(false);
    // 30 days of logs do not cover 90 days.
    const short = buildUsageIndex(
      aUsage(
        { start: '2026-10-25T00:00:00.000Z', end: WINDOW.end },
        {
          principals: [...index.usage.principals],
        },
      ),
    );
    expect(coverageOf(short, '100000000001', AS_OF, DEFAULT_TRACKING)).toMatchObject({
      covered: false,
      reason: expect.stringContaining(
        'start 2026-10-25, after the 90-day tracking period starts (2026-08-26)',
      ),
    });
    // … but they do cover a 30-day period.
    expect(
      coverageOf(short, '100000000001', AS_OF, { ...DEFAULT_TRACKING, periodDays: 30 }).covered,
    ).toBe(true);
    // Archived logs judged as of today do not cover the recent days.
    expect(
      coverageOf(index, '100000000001', '2027-02-01T00:00:00.000Z', DEFAULT_TRACKING),
    ).toMatchObject({
      covered: false,
      reason: expect.stringContaining('--as-of'),
    });
  });
});
