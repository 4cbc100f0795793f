import { describe, expect, it } from 'vitest';
import { USAGE_RESOURCE_LIMIT } from '../../model/index.js';
import {
  ACCOUNT,
  aRecord,
  iamUser,
  mapRecord,
  roleSession,
} from '../../test-support/cloudtrail.js';
import { UsageAggregator } from './aggregate.js';
import { RecordReader, normaliseEventTime } from './record.js';
import { scanCloudTrail } from './scan.js';

/** Reads records (as a CloudTrail file would hold them) into a Usage. */
function usageOf(records: unknown[], options: ConstructorParameters<typeof RecordReader>[1] = {}) {
  const aggregate = new UsageAggregator();
  const reader = new RecordReader(aggregate, options);
  scanCloudTrail(Buffer.from(JSON.stringify({ Records: records })), reader.add, reader.malformed);
  return aggregate.finish();
}

const BUCKET = 'arn:aws:s3:::releases-100000000001';

describe('one record', () => {
  it('maps every field the aggregate and its readers need', () => {
    const event = mapRecord(
      aRecord({
        eventSource: 's3.amazonaws.com',
        eventName: 'ListObjectsV2',
        eventTime: '2026-10-03T08:15:00Z',
        sourceIPAddress: '198.51.100.7',
        userAgent: '[aws-cli/2.17.20 Python/3.11.9 Linux/6.1 exe/x86_64.amzn.2023]',
        resources: [{ type: 'AWS::S3::Bucket', ARN: BUCKET, accountId: ACCOUNT }],
      }),
    );
    expect(event).toEqual({
      time: '2026-10-03T08:15:00Z',
      action: 's3:ListBucket',
      principal: {
        key: `arn:aws:iam::${ACCOUNT}:user/dev-alice`,
        kind: 'user',
        accountId: ACCOUNT,
      },
      errorCode: null,
      denied: false,
      resources: [BUCKET],
      accessKeyId: 'AKIAEXAMPLEKEY000001',
      sourceIp: '198.51.100.7',
      userAgent: '[aws-cli/2.17.20 Python/3.11.9 Linux/6.1 exe/x86_64.amzn.2023]',
      assumedRole: null,
      consoleLogin: false,
    });
  });

  it('counts AccessDenied and UnauthorizedOperation as denied, other errors not', () => {
    expect(mapRecord(aRecord({ errorCode: 'AccessDenied' }))?.denied).toBe(true);
    expect(mapRecord(aRecord({ errorCode: 'Client.UnauthorizedOperation' }))?.denied).toBe(true);
    const missing = mapRecord(aRecord({ errorCode: 'NoSuchEntityException' }));
    expect(missing).toMatchObject({ denied: false, errorCode: 'NoSuchEntityException' });
  });

  it('reads fields in any order, pretty-printed or with escapes', () => {
    const record = aRecord({
      userAgent: 'Mozilla/5.0 "quoted" caf\u00e9 \\ back\u2028slash',
      userIdentity: roleSession('data-loader'),
    });
    const sorted = Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? 1 : -1)));
    const event = mapRecord(sorted, {}, 2);
    expect(event?.userAgent).toBe('Mozilla/5.0 "quoted" caf\u00e9 \\ back\u2028slash');
    expect(event?.principal.key).toBe(`arn:aws:iam::${ACCOUNT}:role/data-loader`);
    // `\/` is a valid JSON escape for "/".
    const escaped = JSON.stringify({ Records: [aRecord()] }).replace(
      'user/dev-alice',
      'user\\/dev-alice',
    );
    const usage = (() => {
      const aggregate = new UsageAggregator();
      const reader = new RecordReader(aggregate);
      scanCloudTrail(Buffer.from(escaped), reader.add, reader.malformed);
      return aggregate.finish();
    })();
    expect(usage.principals.map((p) => p.principal)).toEqual([
      `arn:aws:iam::${ACCOUNT}:user/dev-alice`,
    ]);
  });

  it('takes the action and caller from the record, never from request parameters', () => {
    const event = mapRecord(
      aRecord({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'TagResource20170331v2',
        requestParameters: {
          resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:app`,
          tags: { eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com' },
          userIdentity: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root` },
          eventTime: '1999-01-01T00:00:00Z',
        },
      }),
    );
    expect(event?.action).toBe('lambda:TagResource');
    expect(event?.principal.kind).toBe('user');
    expect(event?.time).toBe('2026-10-01T10:00:00Z');
  });

  it('notes the role a successful AssumeRole assumed, and no role for a refused one', () => {
    const assume = (errorCode?: string) =>
      mapRecord(
        aRecord({
          eventSource: 'sts.amazonaws.com',
          eventName: 'AssumeRole',
          requestParameters: {
            roleArn: `arn:aws:iam::${ACCOUNT}:role/break-glass`,
            roleSessionName: 'alice',
          },
          ...(errorCode ? { errorCode } : {}),
        }),
      );
    expect(assume()?.assumedRole).toBe(`arn:aws:iam::${ACCOUNT}:role/break-glass`);
    expect(assume('AccessDenied')?.assumedRole).toBeNull();
  });

  it('counts a console sign-in only when it succeeded', () => {
    const login = (result: string) =>
      mapRecord(
        aRecord({
          eventSource: 'signin.amazonaws.com',
          eventName: 'ConsoleLogin',
          eventType: 'AwsConsoleSignIn',
          userIdentity: { ...iamUser('dev-alice'), accessKeyId: '' },
          responseElements: { ConsoleLogin: result },
          additionalEventData: { MFAUsed: 'No', MobileVersion: 'No' },
          ...(result === 'Failure' ? { errorMessage: 'Failed authentication' } : {}),
        }),
      );
    expect(login('Success')).toMatchObject({ action: 'signin:ConsoleLogin', consoleLogin: true });
    expect(login('Failure')).toMatchObject({ action: 'signin:ConsoleLogin', consoleLogin: false });
  });

  it('normalises record times to whole seconds in UTC', () => {
    expect(normaliseEventTime('2026-10-01T10:00:00Z')).toBe('2026-10-01T10:00:00Z');
    expect(normaliseEventTime('2026-10-01T10:00:00.987Z')).toBe('2026-10-01T10:00:00Z');
    expect(normaliseEventTime('2026-10-01T12:00:00+02:00')).toBe('2026-10-01T10:00:00Z');
    expect(normaliseEventTime('2026-02-30T10:00:00Z')).toBeNull();
    expect(normaliseEventTime('2026-10-01 10:00:00')).toBeNull();
    expect(normaliseEventTime('yesterday')).toBeNull();
  });
});

describe('malformed and attacker-sized records', () => {
  it.each([
    ['no eventTime', { eventTime: undefined }],
    ['no eventSource', { eventSource: undefined }],
    ['no eventName', { eventName: undefined }],
    ['an eventName that is not a string', { eventName: 42 }],
    ['an eventTime that is not a date', { eventTime: 'not-a-date' }],
    ['a date that does not exist', { eventTime: '2026-02-30T10:00:00Z' }],
    ['an event name longer than any AWS one', { eventName: 'A'.repeat(300) }],
    [
      'a principal ARN longer than IAM allows',
      {
        userIdentity: { ...iamUser('x'), arn: `arn:aws:iam::${ACCOUNT}:user/${'x'.repeat(2100)}` },
      },
    ],
  ])('%s is counted as malformed', (_, fields) => {
    const usage = usageOf([aRecord(fields), aRecord()]);
    expect(usage.stats).toMatchObject({ records: 2, malformedRecords: 1 });
    expect(usage.principals[0]?.actions[0]?.count).toBe(1);
  });

  it('counts array elements that are not records as malformed', () => {
    const usage = usageOf([aRecord(), 'a string', 42, null, ['nested'], aRecord()]);
    expect(usage.stats).toMatchObject({ records: 6, malformedRecords: 4 });
    expect(usage.principals[0]?.actions[0]?.count).toBe(2);
  });

  it('keeps at most USAGE_RESOURCE_LIMIT resources per action, and says when it dropped some', () => {
    const records = Array.from({ length: USAGE_RESOURCE_LIMIT + 5 }, (_, i) =>
      aRecord({
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        resources: [{ type: 'AWS::S3::Object', ARN: `${BUCKET}/reports/${i}.csv` }],
      }),
    );
    const action = usageOf(records).principals[0]?.actions[0];
    expect(action?.count).toBe(USAGE_RESOURCE_LIMIT + 5);
    expect(action?.resources).toHaveLength(USAGE_RESOURCE_LIMIT);
    expect(action?.resourcesTruncated).toBe(true);
    // The first ARNs in code-unit order are kept, whatever order the records come in.
    expect(usageOf([...records].reverse()).principals[0]?.actions[0]?.resources).toEqual(
      action?.resources,
    );
    expect(action?.resources).toEqual(
      records
        .map((r) => (r.resources as { ARN: string }[])[0]!.ARN)
        .sort()
        .slice(0, USAGE_RESOURCE_LIMIT),
    );
  });

  it('skips resource ARNs longer than IAM allows and resources of failed calls', () => {
    const usage = usageOf([
      aRecord({ resources: [{ ARN: `${BUCKET}/${'k'.repeat(2100)}` }, { ARN: BUCKET }] }),
      aRecord({ errorCode: 'AccessDenied', resources: [{ ARN: `${BUCKET}-other` }] }),
    ]);
    expect(usage.principals[0]?.actions[0]).toMatchObject({
      count: 2,
      denied: 1,
      resources: [BUCKET],
      resourcesTruncated: false,
    });
  });
});

describe('the aggregate of many records', () => {
  it('keeps per principal × action first and last seen, count and denied count', () => {
    const alice = iamUser('dev-alice');
    const usage = usageOf([
      aRecord({ userIdentity: alice, eventTime: '2026-10-05T10:00:00Z' }),
      aRecord({ userIdentity: alice, eventTime: '2026-10-01T10:00:00Z' }),
      aRecord({
        userIdentity: alice,
        eventTime: '2026-10-03T10:00:00Z',
        errorCode: 'AccessDenied',
      }),
      aRecord({ userIdentity: roleSession('ci'), eventName: 'GetRole' }),
    ]);
    expect(usage.window).toEqual({ start: '2026-10-01T10:00:00Z', end: '2026-10-05T10:00:00Z' });
    expect(usage.principals.map((p) => [p.principal, p.kind])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:role/ci`, 'role'],
      [`arn:aws:iam::${ACCOUNT}:user/dev-alice`, 'user'],
    ]);
    expect(usage.principals[1]?.actions).toEqual([
      {
        action: 'iam:ListRoles',
        firstSeen: '2026-10-01T10:00:00Z',
        lastSeen: '2026-10-05T10:00:00Z',
        count: 3,
        denied: 1,
        resources: [],
        resourcesTruncated: false,
      },
    ]);
  });

  it('keeps long-lived keys (AKIA) with the services they called; temporary keys only on request', () => {
    const records = [
      aRecord({ eventTime: '2026-10-02T00:00:00Z' }),
      aRecord({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' }),
      aRecord({ userIdentity: roleSession('ci') }),
    ];
    expect(usageOf(records).accessKeys).toEqual([
      {
        accessKeyId: 'AKIAEXAMPLEKEY000001',
        principal: `arn:aws:iam::${ACCOUNT}:user/dev-alice`,
        firstSeen: '2026-10-01T10:00:00Z',
        lastSeen: '2026-10-02T00:00:00Z',
        count: 2,
        services: ['iam', 's3'],
      },
    ]);
    expect(usageOf(records, { temporaryKeys: true }).accessKeys.map((k) => k.accessKeyId)).toEqual([
      'AKIAEXAMPLEKEY000001',
      'ASIAEXAMPLETEMPKEY01',
    ]);
  });

  it('keeps who assumed each role and when', () => {
    const assume = (userIdentity: unknown, time: string) =>
      aRecord({
        userIdentity,
        eventTime: time,
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        requestParameters: {
          roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
          roleSessionName: 's',
        },
      });
    const usage = usageOf([
      assume(iamUser('dev-alice'), '2026-10-01T10:00:00Z'),
      assume(iamUser('dev-alice'), '2026-10-04T10:00:00Z'),
      assume({ type: 'AWSService', invokedBy: 'codebuild.amazonaws.com' }, '2026-10-02T10:00:00Z'),
    ]);
    expect(usage.assumptions).toEqual([
      {
        role: `arn:aws:iam::${ACCOUNT}:role/deployer`,
        assumedBy: `arn:aws:iam::${ACCOUNT}:user/dev-alice`,
        firstSeen: '2026-10-01T10:00:00Z',
        lastSeen: '2026-10-04T10:00:00Z',
        count: 2,
      },
      {
        role: `arn:aws:iam::${ACCOUNT}:role/deployer`,
        assumedBy: 'service:codebuild.amazonaws.com',
        firstSeen: '2026-10-02T10:00:00Z',
        lastSeen: '2026-10-02T10:00:00Z',
        count: 1,
      },
    ]);
  });

  it('counts records outside the time window apart (since inclusive, until exclusive)', () => {
    const usage = usageOf(
      [
        aRecord({ eventTime: '2026-09-30T23:59:59Z' }),
        aRecord({ eventTime: '2026-10-01T00:00:00Z' }),
        aRecord({ eventTime: '2026-10-31T23:59:59Z' }),
        aRecord({ eventTime: '2026-11-01T00:00:00Z' }),
      ],
      { since: '2026-10-01T00:00:00Z', until: '2026-11-01T00:00:00Z' },
    );
    expect(usage.stats).toMatchObject({ records: 4, outsideWindow: 2, malformedRecords: 0 });
    expect(usage.window).toEqual({ start: '2026-10-01T00:00:00Z', end: '2026-10-31T23:59:59Z' });
  });
});
