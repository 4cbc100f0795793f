import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, type RootPrincipal, type UserPrincipal } from '../model/index.js';
import { mapAuthorizationDetails } from './authz-details.js';
import { buildSnapshot } from './build-snapshot.js';
import { mapCredentialReport } from './credential-report.js';
import { importIamCredentials, mapIamCredentials, mfaKindOfSerial } from './iam-credentials.js';
import { loadSnapshot } from './load-inputs.js';

const ACCOUNT = '100000000001';
const arnOf = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const SYNC = arnOf('svc-sync');
const ALICE = arnOf('dev-alice');
const BOB = arnOf('ops-bob');
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

const aUser = (name: string, id: number) => ({
  Path: '/',
  UserName: name,
  UserId: `AIDA0000000000000000${id}`,
  Arn: arnOf(name),
  CreateDate: '2024-01-01T00:00:00Z',
  GroupList: [],
  UserPolicyList: [],
  AttachedManagedPolicies: [],
  Tags: [],
});
const AUTHZ = {
  UserDetailList: [aUser('svc-sync', 1), aUser('dev-alice', 2), aUser('ops-bob', 3)],
  GroupDetailList: [],
  RoleDetailList: [],
  Policies: [],
};

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const NO_KEY = 'false,N/A,N/A,N/A,N/A';
const key = (rotated: string, used: string, region: string, service: string) =>
  `true,${rotated},${used},${region},${service}`;
const row = (user: string, arn: string, mfa: boolean, key1 = NO_KEY, key2 = NO_KEY) =>
  `${user},${arn},2023-01-10T09:00:00+00:00,${user === '<root_account>' ? 'not_supported' : 'false'},N/A,${user === '<root_account>' ? 'not_supported' : 'N/A'},${user === '<root_account>' ? 'not_supported' : 'N/A'},${mfa},${key1},${key2},false,N/A,false,N/A`;

/** The report generated at 08:00; the listing an hour later. */
const REPORT = [
  HEADER,
  row('<root_account>', ROOT, true),
  row(
    'svc-sync',
    SYNC,
    false,
    key('2025-01-05T10:00:00+00:00', '2026-11-23T09:00:00+00:00', 'us-east-1', 'sqs'),
    key('2026-06-01T00:00:00+00:00', '2026-10-01T00:00:00+00:00', 'eu-west-1', 's3'),
  ),
  row(
    'dev-alice',
    ALICE,
    true,
    key('2025-03-09T10:50:00+00:00', '2026-11-01T00:00:00+00:00', 'us-east-1', 's3'),
  ),
  row('ops-bob', BOB, true),
].join('\n');

const LISTING = {
  AccountId: ACCOUNT,
  Users: [
    {
      UserName: 'svc-sync',
      Arn: SYNC,
      AccessKeys: [
        {
          AccessKeyId: 'AKIA3SVCSYNC00000001',
          Status: 'Active',
          CreateDate: '2025-01-05T10:00:00.000Z',
          // Older than the report's date for the same key: the report's wins.
          LastUsed: {
            LastUsedDate: '2026-11-20T00:00:00Z',
            ServiceName: 'sqs',
            Region: 'us-east-1',
          },
        },
        {
          AccessKeyId: 'AKIA3SVCSYNC00000002',
          Status: 'Inactive',
          CreateDate: '2026-06-01T00:00:00Z',
          LastUsed: {
            LastUsedDate: '2026-11-22T00:00:00Z',
            ServiceName: 'sts',
            Region: 'us-east-2',
          },
        },
      ],
      MFADevices: [],
    },
    {
      UserName: 'dev-alice',
      Arn: ALICE,
      // The report's key was deleted since; the listing is the newer word.
      AccessKeys: [],
      MFADevices: [
        {
          SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/dev-alice`,
          EnableDate: '2025-03-10T08:00:00Z',
        },
      ],
    },
    // Bob's keys and devices could not be listed (a gap says so): the report stands.
    { UserName: 'ops-bob', Arn: BOB },
  ],
  VirtualMFADevices: [
    {
      SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`,
      EnableDate: '2023-01-10T09:30:00Z',
      UserArn: ROOT,
    },
    { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/dev-alice`, EnableDate: null, UserArn: ALICE },
  ],
};

async function snapshotOf(listing: unknown, report: string | null = REPORT) {
  return buildSnapshot([
    mapAuthorizationDetails(AUTHZ, 'authz.json'),
    ...(report === null ? [] : [mapCredentialReport(report, 'credential-report.csv')]),
    ...(listing === null ? [] : [mapIamCredentials(listing, 'iam-credentials.json')]),
  ]);
}

function principal<T extends UserPrincipal | RootPrincipal>(
  snapshot: Awaited<ReturnType<typeof snapshotOf>>,
  arn: string,
): T {
  const found = snapshot.principals.find((p) => p.arn === arn);
  if (!found) throw new Error(`no ${arn}`);
  return found as T;
}

describe('listed access keys and MFA devices, merged with the credential report', () => {
  it('keeps the ids, takes the report’s slot and the later last-used date of each key', async () => {
    const snapshot = await snapshotOf(LISTING);
    const sync = principal<UserPrincipal>(snapshot, SYNC);
    expect(sync.accessKeys).toEqual([
      {
        id: 'AKIA3SVCSYNC00000001',
        slot: 1,
        status: 'Active',
        createDate: '2025-01-05T10:00:00.000Z',
        lastRotated: '2025-01-05T10:00:00.000Z',
        lastUsedDate: '2026-11-23T09:00:00.000Z',
        lastUsedRegion: 'us-east-1',
        lastUsedService: 'sqs',
      },
      {
        id: 'AKIA3SVCSYNC00000002',
        slot: 2,
        status: 'Inactive',
        createDate: '2026-06-01T00:00:00.000Z',
        lastRotated: '2026-06-01T00:00:00.000Z',
        lastUsedDate: '2026-11-22T00:00:00.000Z',
        lastUsedRegion: 'us-east-2',
        lastUsedService: 'sts',
      },
    ]);
    expect(sync.mfaDevices).toEqual([]);
    expect(principal<UserPrincipal>(snapshot, ALICE).accessKeys).toEqual([]);
    expect(principal<UserPrincipal>(snapshot, ALICE).mfaDevices).toEqual([
      {
        serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/dev-alice`,
        kind: 'virtual',
        enableDate: '2025-03-10T08:00:00.000Z',
      },
    ]);
  });

  it('keeps the report’s word for a kind that was not listed, refined by the virtual list', async () => {
    const bob = principal<UserPrincipal>(await snapshotOf(LISTING), BOB);
    expect(bob.accessKeys).toEqual([]);
    // MFA active, and no virtual device of his: a hardware one.
    expect(bob.mfaDevices).toEqual([{ serialNumber: null, kind: 'hardware', enableDate: null }]);
  });

  it('tells the root’s MFA kind from the virtual devices', async () => {
    const virtual = principal<RootPrincipal>(await snapshotOf(LISTING), ROOT);
    expect(virtual.mfaDevices).toEqual([
      {
        serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`,
        kind: 'virtual',
        enableDate: '2023-01-10T09:30:00.000Z',
      },
    ]);
    const hardware = principal<RootPrincipal>(
      await snapshotOf({ ...LISTING, VirtualMFADevices: [] }),
      ROOT,
    );
    expect(hardware.mfaDevices).toEqual([
      { serialNumber: null, kind: 'hardware', enableDate: null },
    ]);
    const { VirtualMFADevices: _, ...notListed } = LISTING;
    const unknown = principal<RootPrincipal>(await snapshotOf(notListed), ROOT);
    expect(unknown.mfaDevices).toEqual([{ serialNumber: null, kind: 'unknown', enableDate: null }]);
    expect(principal<UserPrincipal>(await snapshotOf(notListed), BOB).mfaDevices).toEqual([
      { serialNumber: null, kind: 'unknown', enableDate: null },
    ]);
  });

  it('gives the same snapshot whichever comes first, the report or the listing', async () => {
    const listedFirst = await buildSnapshot([
      mapAuthorizationDetails(AUTHZ, 'authz.json'),
      mapIamCredentials(LISTING, 'iam-credentials.json'),
      mapCredentialReport(REPORT, 'credential-report.csv'),
    ]);
    expect(listedFirst.principals).toEqual((await snapshotOf(LISTING)).principals);
  });

  it('uses the listing alone when there is no report: ids, no slots', async () => {
    const snapshot = await snapshotOf(LISTING, null);
    expect(principal<UserPrincipal>(snapshot, SYNC).accessKeys?.map((k) => [k.id, k.slot])).toEqual(
      [
        ['AKIA3SVCSYNC00000001', null],
        ['AKIA3SVCSYNC00000002', null],
      ],
    );
    expect(principal<UserPrincipal>(snapshot, BOB).accessKeys).toBeNull();
    expect(snapshot.principals.some((p) => p.type === 'root')).toBe(false);
  });

  it('names a listed user the authorization details do not have in a notice', async () => {
    const snapshot = await snapshotOf({
      ...LISTING,
      Users: [{ UserName: 'deleted-eve', Arn: arnOf('deleted-eve'), AccessKeys: [] }],
    });
    expect(snapshot.notices.map((n) => n.detail)).toEqual([
      `${arnOf('deleted-eve')} is not among the users of the authorization details; its access keys and MFA devices are ignored`,
    ]);
  });

  it('tells the MFA kind from the serial number', () => {
    expect(
      [
        `arn:aws:iam::${ACCOUNT}:mfa/dev-alice`,
        `arn:aws:iam::${ACCOUNT}:u2f/user/dev-alice/fidosecuritykey1-7XNL7NFNLZ123456789EXAMPLE`,
        'GAKT12345678',
        `arn:aws-us-gov:iam::${ACCOUNT}:mfa/ops`,
      ].map(mfaKindOfSerial),
    ).toEqual(['virtual', 'hardware', 'hardware', 'virtual']);
  });
});

function errorOf(value: unknown, accountId: string | null = ACCOUNT): InputError {
  try {
    mapIamCredentials(value, 'accounts/100000000001/iam-credentials.json', accountId);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const withKey = (key: Record<string, unknown>) => ({
  AccountId: ACCOUNT,
  Users: [{ UserName: 'svc-sync', Arn: SYNC, AccessKeys: [key] }],
});

describe('iam-credentials.json refuses bad input', () => {
  it.each([
    [[], '$', 'expected an object with "AccountId" and "Users"'],
    [{ Users: [] }, '$.AccountId', 'expected "AccountId": the 12-digit account id'],
    [{ AccountId: ACCOUNT, Users: {} }, '$.Users', 'expected "Users": a list'],
    [
      { AccountId: ACCOUNT, Users: [{ UserName: 'r', Arn: `arn:aws:iam::${ACCOUNT}:role/r` }] },
      '$.Users[0].Arn',
      'expected Arn, the ARN of an IAM user',
    ],
    [
      withKey({ AccessKeyId: 'akia-lower', Status: 'Active' }),
      '$.Users[0].AccessKeys[0].AccessKeyId',
      'expected AccessKeyId, an access key id',
    ],
    [
      withKey({ AccessKeyId: 'AKIA3SVCSYNC00000001', Status: 'Enabled' }),
      '$.Users[0].AccessKeys[0].Status',
      'expected Status: "Active", "Inactive" or "Expired"',
    ],
    [
      withKey({
        AccessKeyId: 'AKIA3SVCSYNC00000001',
        Status: 'Active',
        LastUsed: { LastUsedDate: 'yesterday' },
      }),
      '$.Users[0].AccessKeys[0].LastUsed.LastUsedDate',
      'expected LastUsedDate as an ISO-8601 date',
    ],
    [
      withKey({ AccessKeyId: 'AKIA3SVCSYNC00000001', Status: 'Active', LastUsed: 'never' }),
      '$.Users[0].AccessKeys[0].LastUsed',
      'expected LastUsed: {LastUsedDate, ServiceName, Region}',
    ],
    [
      {
        AccountId: ACCOUNT,
        Users: [
          { UserName: 'svc-sync', Arn: SYNC, AccessKeys: Array(11).fill(withKey({}).Users[0]) },
        ],
      },
      '$.Users[0].AccessKeys',
      'expected at most 10 access keys',
    ],
    [
      {
        AccountId: ACCOUNT,
        Users: [{ UserName: 'a', Arn: SYNC, MFADevices: [{ SerialNumber: 'x' }] }],
      },
      '$.Users[0].MFADevices[0].SerialNumber',
      'expected SerialNumber: a device ARN or a token serial',
    ],
    [
      {
        AccountId: ACCOUNT,
        Users: [],
        VirtualMFADevices: [{ SerialNumber: 'GAKT12345678', UserArn: 'bob' }],
      },
      '$.VirtualMFADevices[0].UserArn',
      'expected UserArn, the ARN of the user or root',
    ],
    [
      { AccountId: ACCOUNT, Users: [{ UserName: 'x', Arn: 'arn:aws:iam::100000000002:user/x' }] },
      '$.Users[0].Arn',
      'expected a user of account 100000000001 (found 100000000002)',
    ],
    [
      {
        AccountId: ACCOUNT,
        Users: [],
        VirtualMFADevices: [
          {
            SerialNumber: 'arn:aws:iam::100000000002:mfa/x',
            UserArn: 'arn:aws:iam::100000000002:root',
          },
        ],
      },
      '$.VirtualMFADevices[0].UserArn',
      'expected a user or root of account 100000000001',
    ],
    [
      {
        AccountId: ACCOUNT,
        Users: [
          { UserName: 'a', Arn: SYNC },
          { UserName: 'a', Arn: SYNC },
        ],
      },
      '$.Users[1].Arn',
      'expected each user once',
    ],
  ])('refuses %j at its JSON path', (value, path, message) => {
    const error = errorOf(value);
    expect(error.file).toBe('accounts/100000000001/iam-credentials.json');
    expect(error.location).toBe(path);
    expect(error.message).toContain(message);
  });

  it('refuses a file of another account than its folder’s', () => {
    const error = errorOf(LISTING, '100000000002');
    expect(error.location).toBe('$.AccountId');
    expect(error.message).toContain('expected 100000000002, the account of the folder');
  });

  it('refuses a file over the size bound before reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-creds-'));
    const file = join(dir, 'iam-credentials.json');
    await writeFile(file, JSON.stringify(LISTING));
    await expect(importIamCredentials(file, { maxBytes: 64 })).rejects.toThrow(
      /over the 64 bytes limit/,
    );
  });

  it('is read from a snapshot folder and applied after the account’s credential report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-creds-'));
    const account = join(dir, 'accounts', ACCOUNT);
    await mkdir(account, { recursive: true });
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({ schema: 'iamsight.snapshot/v1', gaps: [] }),
    );
    await writeFile(join(account, 'authz.json'), JSON.stringify(AUTHZ));
    await writeFile(join(account, 'credential-report.csv'), REPORT);
    await writeFile(join(account, 'iam-credentials.json'), JSON.stringify(LISTING));
    const snapshot = await loadSnapshot({ snapshots: [dir] });
    expect(principal<UserPrincipal>(snapshot, SYNC).accessKeys?.map((k) => k.id)).toEqual([
      'AKIA3SVCSYNC00000001',
      'AKIA3SVCSYNC00000002',
    ]);
    expect(principal<RootPrincipal>(snapshot, ROOT).mfaDevices?.map((d) => d.kind)).toEqual([
      'virtual',
    ]);
  });
});
