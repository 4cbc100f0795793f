/**
 * The access keys and MFA devices of an account's IAM users as the listing APIs give them:
 * `accounts/<id>/iam-credentials.json` of a snapshot folder (docs/formats.md), close to the
 * ListAccessKeys, GetAccessKeyLastUsed, ListMFADevices and ListVirtualMFADevices responses. A kind
 * that could not be collected is absent (a user without `AccessKeys`, a file without
 * `VirtualMFADevices`): what the credential report says then stands.
 */
import { z } from 'zod';
import type { AccessKey, MfaDevice } from '../model/index.js';
import { InputError, formatJsonPath } from '../model/index.js';
import {
  awsDateSchema,
  boundedTextSchema,
  parseWithSchema,
  readJsonFile,
  type ReadOptions,
} from './read-input.js';
import type { ListedUserCredentials, SnapshotPart } from './snapshot-part.js';

/** Bounds of the file: IAM allows 5,000 users an account, 2 keys and 8 MFA devices a user. */
export const IAM_CREDENTIALS_LIMITS = {
  bytes: 64 * 1024 * 1024,
  users: 100_000,
  keysPerUser: 10,
  devicesPerUser: 50,
  virtualDevices: 200_000,
  text: 2_048,
} as const;

const L = IAM_CREDENTIALS_LIMITS;

const text = (what: string) => boundedTextSchema(what, L.text);
const date = awsDateSchema;
/** IAM's pattern of an MFA serial number: a device ARN, or a hardware token's serial. */
const serial = z
  .string({ error: 'expected SerialNumber as a string' })
  .regex(/^[\w+=/:,.@-]{9,256}$/, {
    error: 'expected SerialNumber: a device ARN or a token serial (9 to 256 of [\\w+=/:,.@-])',
  });

const keySchema = z.looseObject({
  AccessKeyId: z
    .string({ error: 'expected AccessKeyId as a string' })
    .regex(/^[A-Z0-9]{16,128}$/, { error: 'expected AccessKeyId, an access key id such as AKIA…' }),
  Status: z.enum(['Active', 'Inactive', 'Expired'], {
    error: 'expected Status: "Active", "Inactive" or "Expired"',
  }),
  CreateDate: date('CreateDate').nullish(),
  LastUsed: z
    .looseObject(
      {
        LastUsedDate: date('LastUsedDate').nullish(),
        ServiceName: text('ServiceName').nullish(),
        Region: text('Region').nullish(),
      },
      { error: 'expected LastUsed: {LastUsedDate, ServiceName, Region}' },
    )
    .nullish(),
});

const deviceSchema = z.looseObject({
  SerialNumber: serial,
  EnableDate: date('EnableDate').nullish(),
});

const userSchema = z.looseObject({
  UserName: text('UserName'),
  Arn: text('Arn').regex(/^arn:[\w-]+:iam::\d{12}:user\/.+$/, {
    error: 'expected Arn, the ARN of an IAM user',
  }),
  AccessKeys: z
    .array(keySchema, { error: 'expected AccessKeys as a list' })
    .max(L.keysPerUser, { error: `expected at most ${L.keysPerUser} access keys` })
    .optional(),
  MFADevices: z
    .array(deviceSchema, { error: 'expected MFADevices as a list' })
    .max(L.devicesPerUser, { error: `expected at most ${L.devicesPerUser} MFA devices` })
    .optional(),
});

const virtualSchema = z.looseObject({
  SerialNumber: serial,
  EnableDate: date('EnableDate').nullish(),
  UserArn: text('UserArn')
    .regex(/^arn:[\w-]+:iam::\d{12}:(root|user\/.+)$/, {
      error: 'expected UserArn, the ARN of the user or root the device is assigned to',
    })
    .nullish(),
});

const fileSchema = z.looseObject(
  {
    AccountId: z
      .string({ error: 'expected "AccountId": the 12-digit account id' })
      .regex(/^\d{12}$/, { error: 'expected "AccountId": the 12-digit account id' }),
    Users: z
      .array(userSchema, {
        error: 'expected "Users": a list of {UserName, Arn, AccessKeys, MFADevices}',
      })
      .max(L.users, { error: `expected at most ${L.users} users` }),
    VirtualMFADevices: z
      .array(virtualSchema, {
        error: 'expected "VirtualMFADevices": a list of {SerialNumber, EnableDate, UserArn}',
      })
      .max(L.virtualDevices, { error: `expected at most ${L.virtualDevices} devices` })
      .optional(),
  },
  { error: 'expected an object with "AccountId" and "Users"' },
);

/**
 * The kind of an MFA device from its serial number: a virtual device's serial is its
 * `arn:…:mfa/…` ARN, a FIDO security key's an `arn:…:u2f/…` ARN, and a hardware TOTP token's
 * the serial printed on it.
 */
export function mfaKindOfSerial(serialNumber: string): MfaDevice['kind'] {
  return /^arn:[\w-]+:iam::\d{12}:mfa\//.test(serialNumber) ? 'virtual' : 'hardware';
}

/** GetAccessKeyLastUsed says "N/A" for the service and region of a key never used. */
const known = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value === 'N/A' || value === '' ? null : value;

/** Maps a parsed iam-credentials.json; `accountId` (the folder's, when known) must be its account. */
export function mapIamCredentials(
  value: unknown,
  file: string,
  accountId: string | null = null,
): SnapshotPart {
  const parsed = parseWithSchema(fileSchema, value, file);
  const account = parsed.AccountId;
  if (accountId !== null && account !== accountId)
    throw new InputError(
      file,
      formatJsonPath(['AccountId']),
      `expected ${accountId}, the account of the folder the file is in (found ${account})`,
    );
  const ownerOf = (arn: string): string => arn.split(':')[4] ?? '';
  const users = new Map<string, ListedUserCredentials>();
  parsed.Users.forEach((user, index) => {
    if (ownerOf(user.Arn) !== account)
      throw new InputError(
        file,
        formatJsonPath(['Users', index, 'Arn']),
        `expected a user of account ${account} (found ${ownerOf(user.Arn)})`,
      );
    if (users.has(user.Arn))
      throw new InputError(
        file,
        formatJsonPath(['Users', index, 'Arn']),
        'expected each user once (this ARN appears earlier in the list)',
      );
    const accessKeys: AccessKey[] | undefined = user.AccessKeys?.map((key) => ({
      id: key.AccessKeyId,
      slot: null,
      status: key.Status === 'Active' ? 'Active' : 'Inactive',
      createDate: key.CreateDate ?? null,
      lastRotated: null,
      lastUsedDate: key.LastUsed?.LastUsedDate ?? null,
      lastUsedRegion: known(key.LastUsed?.Region),
      lastUsedService: known(key.LastUsed?.ServiceName),
    }));
    const mfaDevices: MfaDevice[] | undefined = user.MFADevices?.map((device) => ({
      serialNumber: device.SerialNumber,
      kind: mfaKindOfSerial(device.SerialNumber),
      enableDate: device.EnableDate ?? null,
    }));
    users.set(user.Arn, {
      ...(accessKeys ? { accessKeys } : {}),
      ...(mfaDevices ? { mfaDevices } : {}),
    });
  });
  const virtualMfaDevices =
    parsed.VirtualMFADevices?.map((device, index) => {
      const owner = device.UserArn ? ownerOf(device.UserArn) : account;
      if (owner !== account)
        throw new InputError(
          file,
          formatJsonPath(['VirtualMFADevices', index, 'UserArn']),
          `expected a user or root of account ${account} (found ${owner})`,
        );
      return {
        serialNumber: device.SerialNumber,
        enableDate: device.EnableDate ?? null,
        userArn: device.UserArn ?? null,
      };
    }) ?? null;
  return { iamCredentials: [{ file, accountId: account, users, virtualMfaDevices }] };
}

/** Reads an iam-credentials.json (size-bounded) into a snapshot part. */
export async function importIamCredentials(
  file: string,
  options: ReadOptions & { readonly accountId?: string | null } = {},
): Promise<SnapshotPart> {
  const value = await readJsonFile(file, { maxBytes: options.maxBytes ?? L.bytes });
  return mapIamCredentials(value, file, options.accountId ?? null);
}
