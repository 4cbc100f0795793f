import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../model/index.js';
import { loadSnapshot } from './load-inputs.js';
import { importServiceLastAccessed, mapServiceLastAccessed } from './service-last-accessed.js';

const ACCOUNT = '100000000001';
const WORKER = `arn:aws:iam::${ACCOUNT}:role/orders-worker`;

/** A file as `iamsight collect` writes it (boto3-style and ISO dates both occur in exports). */
const FILE = {
  Principals: [
    {
      Arn: WORKER,
      JobId: 'examplejob-orders-worker',
      JobCompletionDate: '2026-11-24 08:00:03+00:00',
      ServicesLastAccessed: [
        {
          ServiceName: 'Amazon SQS',
          ServiceNamespace: 'sqs',
          LastAuthenticated: '2026-11-20T10:00:00Z',
          LastAuthenticatedEntity: WORKER,
          LastAuthenticatedRegion: 'us-east-1',
          TotalAuthenticatedEntities: 1,
        },
        {
          ServiceName: 'Amazon DynamoDB',
          ServiceNamespace: 'dynamodb',
          TotalAuthenticatedEntities: 0,
        },
      ],
    },
  ],
};

function errorOf(value: unknown, accountId: string | null = ACCOUNT): InputError {
  try {
    mapServiceLastAccessed(value, 'accounts/100000000001/service-last-accessed.json', accountId);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const withService = (service: Record<string, unknown>) => ({
  Principals: [{ ...FILE.Principals[0], ServicesLastAccessed: [service] }],
});

describe('service-last-accessed.json', () => {
  it('reads each principal’s services with their dates in ISO UTC', () => {
    const part = mapServiceLastAccessed(FILE, 'x.json', ACCOUNT);
    expect(part.serviceLastAccessed?.[0]?.reports.get(WORKER)).toEqual({
      jobCompletionDate: '2026-11-24T08:00:03.000Z',
      services: [
        {
          namespace: 'sqs',
          lastAuthenticated: '2026-11-20T10:00:00.000Z',
          lastAuthenticatedEntity: WORKER,
          lastAuthenticatedRegion: 'us-east-1',
          totalAuthenticatedEntities: 1,
          actions: [],
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

  it.each([
    [[], '$', 'expected an object with "Principals"'],
    [{ Principals: {} }, '$.Principals', 'expected "Principals": a list'],
    [
      { Principals: [{ ...FILE.Principals[0], Arn: 'arn:aws:s3:::bucket' }] },
      '$.Principals[0].Arn',
      'expected Arn, the ARN of an IAM user, role or group',
    ],
    [
      withService({ ServiceNamespace: 'sqs', LastAuthenticated: 'last tuesday' }),
      '$.Principals[0].ServicesLastAccessed[0].LastAuthenticated',
      'expected LastAuthenticated as an ISO-8601 date',
    ],
    [
      withService({ ServiceName: 'Amazon SQS' }),
      '$.Principals[0].ServicesLastAccessed[0].ServiceNamespace',
      'expected ServiceNamespace, the IAM service prefix',
    ],
    [
      withService({
        ServiceNamespace: 'sqs',
        TrackedActionsLastAccessed: [{ LastAccessedTime: 1 }],
      }),
      '$.Principals[0].ServicesLastAccessed[0].TrackedActionsLastAccessed[0].ActionName',
      'expected ActionName',
    ],
    [
      { Principals: [FILE.Principals[0], FILE.Principals[0]] },
      '$.Principals[1].Arn',
      'expected each principal once',
    ],
  ])('refuses %j at its JSON path', (value, path, message) => {
    const error = errorOf(value);
    expect(error.file).toBe('accounts/100000000001/service-last-accessed.json');
    expect(error.location).toBe(path);
    expect(error.message).toContain(message);
  });

  it('refuses a principal of another account than the folder’s', () => {
    const error = errorOf(FILE, '100000000002');
    expect(error.location).toBe('$.Principals[0].Arn');
    expect(error.message).toContain('expected a principal of account 100000000002');
  });

  it('refuses a file over the size bound before reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-sla-'));
    const file = join(dir, 'service-last-accessed.json');
    await writeFile(file, JSON.stringify(FILE));
    await expect(importServiceLastAccessed(file, { maxBytes: 64 })).rejects.toThrow(
      /over the 64 bytes limit/,
    );
  });

  it('puts the reports on the principals of a snapshot folder; an unknown one is a notice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-sla-'));
    const account = join(dir, 'accounts', ACCOUNT);
    await mkdir(account, { recursive: true });
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({ schema: 'iamsight.snapshot/v1', gaps: [] }),
    );
    await writeFile(
      join(account, 'authz.json'),
      JSON.stringify({
        UserDetailList: [],
        GroupDetailList: [],
        Policies: [],
        RoleDetailList: [
          {
            RoleName: 'orders-worker',
            RoleId: 'AROA00000000000000011',
            Arn: WORKER,
            Path: '/',
            CreateDate: '2024-03-01T10:00:00Z',
            AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
            InstanceProfileList: [],
            RolePolicyList: [],
            AttachedManagedPolicies: [],
            Tags: [],
          },
        ],
      }),
    );
    const gone = `arn:aws:iam::${ACCOUNT}:user/deleted-bob`;
    await writeFile(
      join(account, 'service-last-accessed.json'),
      JSON.stringify({
        Principals: [...FILE.Principals, { Arn: gone, ServicesLastAccessed: [] }],
      }),
    );
    const snapshot = await loadSnapshot({ snapshots: [dir] });
    const worker = snapshot.principals.find((p) => p.arn === WORKER);
    expect(worker?.serviceLastAccessed?.services.map((s) => s.namespace)).toEqual([
      'sqs',
      'dynamodb',
    ]);
    expect(snapshot.notices.map((n) => n.detail)).toContain(
      `${gone} is not among the users, roles and groups of the authorization details; its service last accessed data is ignored`,
    );
  });
});
