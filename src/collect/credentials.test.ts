import {
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { mapIamCredentials } from '../ingest/iam-credentials.js';
import type { Gap } from '../model/index.js';
import { collectCredentials, usersForCredentials } from './credentials.js';

const iam = mockClient(IAMClient);
afterEach(() => iam.reset());

const ACCOUNT = '111122223333';
const ALICE = { UserName: 'dev-alice', Arn: `arn:aws:iam::${ACCOUNT}:user/dev-alice` };
const SYNC = { UserName: 'svc-sync', Arn: `arn:aws:iam::${ACCOUNT}:user/svc-sync` };

function accessDenied(action: string): Error {
  return Object.assign(
    new Error(`User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: ${action}`),
    { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } },
  );
}

function noSuchEntity(user: string): Error {
  return Object.assign(new Error(`The user with name ${user} cannot be found.`), {
    name: 'NoSuchEntityException',
    $fault: 'client',
    $metadata: { httpStatusCode: 404 },
  });
}

/** Responses as the SDK returns them (Dates, absent members). */
function answerAlice(): void {
  iam.on(ListAccessKeysCommand, { UserName: 'dev-alice', Marker: undefined }).resolves({
    AccessKeyMetadata: [
      {
        UserName: 'dev-alice',
        AccessKeyId: 'AKIAI44QH8DHBEXAMPLE',
        Status: 'Active',
        CreateDate: new Date('2025-03-09T10:50:00Z'),
      },
    ],
    IsTruncated: true,
    Marker: 'EXAMPLEMARKER',
  });
  iam.on(ListAccessKeysCommand, { UserName: 'dev-alice', Marker: 'EXAMPLEMARKER' }).resolves({
    AccessKeyMetadata: [
      {
        UserName: 'dev-alice',
        AccessKeyId: 'AKIAJ4444EXAMPLE2222',
        Status: 'Inactive',
        CreateDate: new Date('2026-11-24T08:30:00Z'),
      },
    ],
    IsTruncated: false,
  });
  iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAI44QH8DHBEXAMPLE' }).resolves({
    UserName: 'dev-alice',
    AccessKeyLastUsed: {
      LastUsedDate: new Date('2026-11-24T07:40:00Z'),
      ServiceName: 's3',
      Region: 'eu-west-1',
    },
  });
  // A key never used: no date, "N/A" for the service and region.
  iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAJ4444EXAMPLE2222' }).resolves({
    UserName: 'dev-alice',
    AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
  });
  iam.on(ListMFADevicesCommand, { UserName: 'dev-alice' }).resolves({
    MFADevices: [
      {
        UserName: 'dev-alice',
        SerialNumber: `arn:aws:iam::${ACCOUNT}:u2f/user/dev-alice/fidosecuritykey1-7XNL7NFNLZ123456789EXAMPLE`,
        EnableDate: new Date('2025-03-10T08:00:00Z'),
      },
      {
        UserName: 'dev-alice',
        SerialNumber: 'GAKT12345678',
        EnableDate: new Date('2025-04-01T08:00:00Z'),
      },
    ],
    IsTruncated: false,
  });
}

function answerVirtual(): void {
  iam.on(ListVirtualMFADevicesCommand, { AssignmentStatus: 'Assigned' }).resolves({
    VirtualMFADevices: [
      {
        SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`,
        EnableDate: new Date('2024-11-02T08:10:00Z'),
        User: {
          Arn: `arn:aws:iam::${ACCOUNT}:root`,
          UserId: ACCOUNT,
          CreateDate: new Date('2024-11-02T08:00:00Z'),
        } as never,
      },
    ],
    IsTruncated: false,
  });
}

function run(users: { UserName: string; Arn: string }[]) {
  const gaps: Gap[] = [];
  const result = collectCredentials(
    iam,
    { accountId: ACCOUNT, region: null, add: (gap) => gaps.push(gap) },
    users,
  );
  return { result, gaps };
}

describe('collectCredentials', () => {
  it('lists every page of keys, asks each key’s last use, lists the MFA devices and the virtual ones', async () => {
    answerAlice();
    answerVirtual();
    const { result, gaps } = run([ALICE]);
    const document = await result;
    expect(gaps).toEqual([]);
    expect(iam.commandCalls(ListAccessKeysCommand)).toHaveLength(2);
    expect(iam.commandCalls(ListVirtualMFADevicesCommand)).toHaveLength(1);
    expect(document).toEqual({
      AccountId: ACCOUNT,
      Users: [
        {
          ...ALICE,
          AccessKeys: [
            {
              AccessKeyId: 'AKIAI44QH8DHBEXAMPLE',
              Status: 'Active',
              CreateDate: '2025-03-09T10:50:00.000Z',
              LastUsed: {
                LastUsedDate: '2026-11-24T07:40:00.000Z',
                ServiceName: 's3',
                Region: 'eu-west-1',
              },
            },
            {
              AccessKeyId: 'AKIAJ4444EXAMPLE2222',
              Status: 'Inactive',
              CreateDate: '2026-11-24T08:30:00.000Z',
              LastUsed: { LastUsedDate: null, ServiceName: 'N/A', Region: 'N/A' },
            },
          ],
          MFADevices: [
            {
              SerialNumber: `arn:aws:iam::${ACCOUNT}:u2f/user/dev-alice/fidosecuritykey1-7XNL7NFNLZ123456789EXAMPLE`,
              EnableDate: '2025-03-10T08:00:00.000Z',
            },
            { SerialNumber: 'GAKT12345678', EnableDate: '2025-04-01T08:00:00.000Z' },
          ],
        },
      ],
      VirtualMFADevices: [
        {
          SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`,
          EnableDate: '2024-11-02T08:10:00.000Z',
          UserArn: `arn:aws:iam::${ACCOUNT}:root`,
        },
      ],
    });
    // What was written is what the importer reads: the never-used key has no last use.
    const part = mapIamCredentials(JSON.parse(JSON.stringify(document)), 'x.json', ACCOUNT);
    const alice = part.iamCredentials?.[0]?.users.get(ALICE.Arn);
    expect(alice?.accessKeys?.[1]).toMatchObject({
      id: 'AKIAJ4444EXAMPLE2222',
      status: 'Inactive',
      lastUsedDate: null,
      lastUsedService: null,
      lastUsedRegion: null,
    });
    expect(alice?.mfaDevices?.map((d) => d.kind)).toEqual(['hardware', 'hardware']);
  });

  it('records AccessDenied once per kind, stops asking that kind and keeps the other', async () => {
    iam.on(ListAccessKeysCommand).rejects(accessDenied('iam:ListAccessKeys'));
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [], IsTruncated: false });
    iam.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [], IsTruncated: false });
    const users = Array.from({ length: 12 }, (_, i) => ({
      UserName: `user-${i}`,
      Arn: `arn:aws:iam::${ACCOUNT}:user/user-${i}`,
    }));
    const { result, gaps } = run(users);
    const document = await result;
    // The users already being asked when the first refusal came back (4 at once), no more.
    expect(iam.commandCalls(ListAccessKeysCommand).length).toBeLessThanOrEqual(4);
    expect(iam.commandCalls(ListMFADevicesCommand)).toHaveLength(12);
    expect(document?.Users).toHaveLength(12);
    expect(document?.Users.every((u) => u.AccessKeys === undefined)).toBe(true);
    expect(document?.Users.every((u) => u.MFADevices?.length === 0)).toBe(true);
    expect(gaps).toEqual([
      {
        source: 'iam:access-keys',
        accountId: ACCOUNT,
        region: null,
        detail: `iam:ListAccessKeys: access denied (AccessDenied: User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iam:ListAccessKeys); 0 of 12 users have their access keys listed`,
      },
    ]);
  });

  it('records a refused GetAccessKeyLastUsed as the access keys’ gap, not keys without a last use', async () => {
    answerAlice();
    answerVirtual();
    iam.on(GetAccessKeyLastUsedCommand).rejects(accessDenied('iam:GetAccessKeyLastUsed'));
    const { result, gaps } = run([ALICE]);
    const document = await result;
    expect(document?.Users[0]?.AccessKeys).toBeUndefined();
    expect(document?.Users[0]?.MFADevices).toHaveLength(2);
    expect(gaps.map((g) => [g.source, g.detail.split(' (')[0]])).toEqual([
      ['iam:access-keys', 'iam:GetAccessKeyLastUsed: access denied'],
    ]);
  });

  it('leaves the virtual devices out, with an MFA gap, when they may not be listed', async () => {
    answerAlice();
    iam.on(ListVirtualMFADevicesCommand).rejects(accessDenied('iam:ListVirtualMFADevices'));
    const { result, gaps } = run([ALICE]);
    const document = await result;
    expect(document).not.toHaveProperty('VirtualMFADevices');
    expect(document?.Users[0]?.MFADevices).toHaveLength(2);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.source).toBe('iam:mfa-devices');
    expect(gaps[0]?.detail).toMatch(
      /^iam:ListVirtualMFADevices: access denied .*; the root's MFA device kind is unknown$/,
    );
  });

  it('skips a user deleted since the authorization details were read, without a gap', async () => {
    answerAlice();
    answerVirtual();
    iam.on(ListAccessKeysCommand, { UserName: 'svc-sync' }).rejects(noSuchEntity('svc-sync'));
    const { result, gaps } = run([ALICE, SYNC]);
    const document = await result;
    expect(gaps).toEqual([]);
    expect(document?.Users.map((u) => u.UserName)).toEqual(['dev-alice']);
    expect(iam.commandCalls(ListMFADevicesCommand).map((c) => c.args[0].input.UserName)).toEqual([
      'dev-alice',
    ]);
  });

  it('names the users whose keys failed otherwise, and keeps the rest', async () => {
    answerAlice();
    answerVirtual();
    iam.on(ListAccessKeysCommand, { UserName: 'svc-sync' }).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'Throttling',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    iam.on(ListMFADevicesCommand, { UserName: 'svc-sync' }).resolves({ MFADevices: [] });
    const { result, gaps } = run([ALICE, SYNC]);
    const document = await result;
    expect(document?.Users.map((u) => [u.UserName, u.AccessKeys?.length])).toEqual([
      ['dev-alice', 2],
      ['svc-sync', undefined],
    ]);
    expect(gaps.map((g) => g.detail)).toEqual([
      "1 of 2 users' access keys could not be read (user/svc-sync: iam:ListAccessKeys: still throttled after retries (Throttling: Rate exceeded))",
    ]);
  });

  it('asks every user of the authorization details', () => {
    expect(
      usersForCredentials({
        UserDetailList: [ALICE, { UserName: 'broken' }],
        RoleDetailList: [{ RoleName: 'r', Arn: `arn:aws:iam::${ACCOUNT}:role/r` }],
      }),
    ).toEqual([ALICE]);
  });
});
