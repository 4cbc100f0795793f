import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { mapServiceLastAccessed } from '../ingest/service-last-accessed.js';
import type { Gap } from '../model/index.js';
import {
  collectServiceLastAccessed,
  pollDelayMs,
  principalsForReports,
} from './service-last-accessed.js';

const iam = mockClient(IAMClient);
afterEach(() => iam.reset());

const ACCOUNT = '111122223333';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/dev-alice`;
const WORKER = `arn:aws:iam::${ACCOUNT}:role/orders-worker`;

/** GetServiceLastAccessedDetails responses as the SDK returns them (Dates, absent members). */
const ALICE_PAGE_1 = {
  JobStatus: 'COMPLETED' as const,
  JobType: 'ACTION_LEVEL' as const,
  JobCreationDate: new Date('2026-11-24T08:00:01Z'),
  JobCompletionDate: new Date('2026-11-24T08:00:04Z'),
  IsTruncated: true,
  Marker: 'EXAMPLEMARKER',
  ServicesLastAccessed: [
    {
      ServiceName: 'Amazon S3',
      ServiceNamespace: 's3',
      LastAuthenticated: new Date('2026-11-22T09:00:00Z'),
      LastAuthenticatedEntity: ALICE,
      LastAuthenticatedRegion: 'eu-west-1',
      TotalAuthenticatedEntities: 1,
      TrackedActionsLastAccessed: [
        {
          ActionName: 'GetObject',
          LastAccessedEntity: ALICE,
          LastAccessedRegion: 'eu-west-1',
          LastAccessedTime: new Date('2026-11-22T09:00:00Z'),
        },
        { ActionName: 'PutObject' },
      ],
    },
  ],
};
const ALICE_PAGE_2 = {
  JobStatus: 'COMPLETED' as const,
  JobCompletionDate: new Date('2026-11-24T08:00:04Z'),
  IsTruncated: false,
  ServicesLastAccessed: [
    { ServiceName: 'Amazon DynamoDB', ServiceNamespace: 'dynamodb', TotalAuthenticatedEntities: 0 },
  ],
};

function accessDenied(action: string): Error {
  return Object.assign(
    new Error(`User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: ${action}`),
    { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } },
  );
}

function run(arns: string[], polls?: number) {
  const gaps: Gap[] = [];
  const sleeps: number[] = [];
  const result = collectServiceLastAccessed(
    iam,
    { accountId: ACCOUNT, region: null, add: (gap) => gaps.push(gap) },
    arns,
    {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      ...(polls ? { polls } : {}),
    },
  );
  return { result, gaps, sleeps };
}

describe('collectServiceLastAccessed', () => {
  it('asks an action-level report, polls it until COMPLETED and reads every page', async () => {
    iam
      .on(GenerateServiceLastAccessedDetailsCommand, { Arn: ALICE })
      .resolves({ JobId: 'examplejob-alice' });
    iam
      .on(GetServiceLastAccessedDetailsCommand, { JobId: 'examplejob-alice', Marker: undefined })
      .resolvesOnce({ JobStatus: 'IN_PROGRESS', JobCreationDate: new Date() })
      .resolvesOnce({ JobStatus: 'IN_PROGRESS', JobCreationDate: new Date() })
      .resolves(ALICE_PAGE_1);
    iam
      .on(GetServiceLastAccessedDetailsCommand, {
        JobId: 'examplejob-alice',
        Marker: 'EXAMPLEMARKER',
      })
      .resolves(ALICE_PAGE_2);
    const { result, gaps, sleeps } = run([ALICE]);
    const document = await result;
    expect(gaps).toEqual([]);
    expect(sleeps).toEqual([1000, 2000]);
    expect(iam.commandCalls(GenerateServiceLastAccessedDetailsCommand)[0]?.args[0].input).toEqual({
      Arn: ALICE,
      Granularity: 'ACTION_LEVEL',
    });
    expect(iam.commandCalls(GetServiceLastAccessedDetailsCommand)).toHaveLength(4);
    // What was written is what the importer reads.
    const part = mapServiceLastAccessed(
      JSON.parse(JSON.stringify(document)),
      'service-last-accessed.json',
      ACCOUNT,
    );
    expect(part.serviceLastAccessed?.[0]?.reports.get(ALICE)).toEqual({
      jobCompletionDate: '2026-11-24T08:00:04.000Z',
      services: [
        {
          namespace: 's3',
          lastAuthenticated: '2026-11-22T09:00:00.000Z',
          lastAuthenticatedEntity: ALICE,
          lastAuthenticatedRegion: 'eu-west-1',
          totalAuthenticatedEntities: 1,
          actions: [
            {
              action: 'GetObject',
              lastAccessed: '2026-11-22T09:00:00.000Z',
              region: 'eu-west-1',
              entity: ALICE,
            },
            { action: 'PutObject', lastAccessed: null, region: null, entity: null },
          ],
        },
        {
          namespace: 'dynamodb',
          lastAuthenticated: null,
          lastAuthenticatedEntity: null,
          lastAuthenticatedRegion: null,
          totalAuthenticatedEntities: 0,
          actions: [],
        },
      ],
    });
  });

  it('keeps the reports that completed and records a FAILED job as the account’s gap', async () => {
    iam.on(GenerateServiceLastAccessedDetailsCommand, { Arn: ALICE }).resolves({ JobId: 'job-a' });
    iam.on(GenerateServiceLastAccessedDetailsCommand, { Arn: WORKER }).resolves({ JobId: 'job-w' });
    iam
      .on(GetServiceLastAccessedDetailsCommand, { JobId: 'job-a' })
      .resolves({ ...ALICE_PAGE_1, IsTruncated: false, Marker: undefined });
    iam.on(GetServiceLastAccessedDetailsCommand, { JobId: 'job-w' }).resolves({
      JobStatus: 'FAILED',
      JobCreationDate: new Date('2026-11-24T08:00:01Z'),
      ServicesLastAccessed: [],
      Error: { Code: 'InternalFailure', Message: 'The job could not be completed.' },
    });
    const { result, gaps } = run([ALICE, WORKER]);
    const document = await result;
    expect(document?.Principals.map((p) => p.Arn)).toEqual([ALICE]);
    expect(gaps).toEqual([
      {
        source: 'iam:service-last-accessed',
        accountId: ACCOUNT,
        region: null,
        detail:
          'iam:GetServiceLastAccessedDetails: 1 of 2 reports could not be read (role/orders-worker: the job failed (InternalFailure: The job could not be completed.))',
      },
    ]);
  });

  it('gives up on a job that stays IN_PROGRESS, with a gap that says so', async () => {
    iam.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'job-slow' });
    iam
      .on(GetServiceLastAccessedDetailsCommand)
      .resolves({ JobStatus: 'IN_PROGRESS', JobCreationDate: new Date() });
    const { result, gaps, sleeps } = run([WORKER], 3);
    expect(await result).toBeNull();
    expect(sleeps).toEqual([1000, 2000]);
    expect(gaps.map((g) => g.detail)).toEqual([
      'iam:GetServiceLastAccessedDetails: 1 of 1 reports could not be read (role/orders-worker: still IN_PROGRESS after 3 checks)',
    ]);
  });

  it('records AccessDenied once for the account and asks nothing more', async () => {
    iam
      .on(GenerateServiceLastAccessedDetailsCommand)
      .rejects(accessDenied('iam:GenerateServiceLastAccessedDetails'));
    const arns = Array.from({ length: 12 }, (_, i) => `${ALICE}-${i}`);
    const { result, gaps } = run(arns);
    expect(await result).toBeNull();
    // The jobs already running when the first refusal came back (4 at once), no more.
    expect(iam.commandCalls(GenerateServiceLastAccessedDetailsCommand).length).toBeLessThanOrEqual(
      4,
    );
    expect(gaps).toEqual([
      {
        source: 'iam:service-last-accessed',
        accountId: ACCOUNT,
        region: null,
        detail: `iam:GenerateServiceLastAccessedDetails: access denied (AccessDenied: User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iam:GenerateServiceLastAccessedDetails); 0 of 12 principals have service last accessed data`,
      },
    ]);
  });

  it('backs off from 1 s to at most 15 s between checks', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(pollDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
  });

  it('asks for users and roles, not AWS service-linked roles', () => {
    expect(
      principalsForReports({
        UserDetailList: [{ Arn: ALICE, Path: '/' }],
        GroupDetailList: [{ Arn: `arn:aws:iam::${ACCOUNT}:group/devs` }],
        RoleDetailList: [
          { Arn: WORKER, Path: '/' },
          {
            Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
            Path: '/aws-service-role/ecs.amazonaws.com/',
          },
        ],
      }),
    ).toEqual([ALICE, WORKER]);
  });
});
