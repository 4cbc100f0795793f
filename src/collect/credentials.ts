/**
 * The access keys and MFA devices of an account's IAM users, from the listing APIs rather than the
 * credential report (which has no key ids and does not tell a virtual MFA device from a hardware
 * one): ListAccessKeys and GetAccessKeyLastUsed for each key, ListMFADevices for each user (a few
 * users at once), and once per account ListVirtualMFADevices, the only call that tells the root's
 * virtual device. Written as `accounts/<id>/iam-credentials.json` (docs/formats.md). Access denied
 * is one gap per account and kind (`iam:access-keys`, `iam:mfa-devices`) and stops that kind's
 * calls in the account; a user deleted while the collection runs is skipped.
 */
import {
  GetAccessKeyLastUsedCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListVirtualMFADevicesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import {
  classifyAwsError,
  describeFailure,
  readPages,
  type AwsFailure,
  type GapSink,
} from './aws.js';
import { mapWithLimit } from './limit.js';

/** The gap source of access keys that could not be listed. */
export const ACCESS_KEYS_SOURCE = 'iam:access-keys';
/** The gap source of MFA devices that could not be listed. */
export const MFA_DEVICES_SOURCE = 'iam:mfa-devices';

/** Bounds of what is asked and read. */
export const CREDENTIALS_LIMITS = {
  /** Users of one account whose keys and devices are asked (then a gap says the rest is missing). */
  users: 20_000,
  /** Pages of one user's keys or devices (IAM allows 2 keys and 8 MFA devices a user). */
  userPages: 10,
  /** Pages of the account's virtual MFA devices (1,000 a page). */
  virtualDevicePages: 100,
  /** Users named in a gap's detail. */
  namedInGap: 5,
} as const;

/** How many users are asked at once (tests may lower it). */
export interface CredentialsDependencies {
  /** Users of one account asked at once (default 4: IAM throttles its control plane). */
  readonly concurrency?: number;
}

/** One access key as written to the file: ListAccessKeys' metadata and GetAccessKeyLastUsed's answer. */
export interface AccessKeyEntry {
  readonly AccessKeyId: string;
  readonly Status: string;
  readonly CreateDate: string | null;
  /** `ServiceName`/`Region` are "N/A" and `LastUsedDate` null for a key never used. */
  readonly LastUsed: {
    readonly LastUsedDate: string | null;
    readonly ServiceName: string | null;
    readonly Region: string | null;
  };
}

/** One MFA device of a user (ListMFADevices). */
export interface MfaDeviceEntry {
  readonly SerialNumber: string;
  readonly EnableDate: string | null;
}

/** One user's credentials; a kind that could not be read is absent (a gap says why). */
export interface UserCredentialsEntry {
  readonly UserName: string;
  readonly Arn: string;
  readonly AccessKeys?: readonly AccessKeyEntry[];
  readonly MFADevices?: readonly MfaDeviceEntry[];
}

/** One assigned virtual MFA device (ListVirtualMFADevices): `UserArn` ends in `:root` for the root's. */
export interface VirtualMfaDeviceEntry {
  readonly SerialNumber: string;
  readonly EnableDate: string | null;
  readonly UserArn: string | null;
}

/** The document of `iam-credentials.json`. */
export interface IamCredentialsDocument {
  readonly AccountId: string;
  readonly Users: readonly UserCredentialsEntry[];
  /** Absent when the account's virtual devices could not be listed. */
  readonly VirtualMFADevices?: readonly VirtualMfaDeviceEntry[];
}

/** A user whose credentials are asked. */
export interface CredentialUser {
  readonly UserName: string;
  readonly Arn: string;
}

/** The users of an authorization details document. */
export function usersForCredentials(authz: Record<string, unknown>): CredentialUser[] {
  const entries = authz.UserDetailList;
  if (!Array.isArray(entries)) return [];
  return (entries as { UserName?: unknown; Arn?: unknown }[]).flatMap((entry) =>
    typeof entry.UserName === 'string' && typeof entry.Arn === 'string'
      ? [{ UserName: entry.UserName, Arn: entry.Arn }]
      : [],
  );
}

const iso = (date: Date | undefined): string | null => date?.toISOString() ?? null;

/** IAM's answer when the user (or key) no longer exists. */
function isGone(failure: AwsFailure): boolean {
  return failure.code === 'NoSuchEntity' || failure.code === 'NoSuchEntityException';
}

/** What happened to one kind of one user. */
type KindOutcome<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'denied'; readonly detail: string }
  | { readonly kind: 'failed'; readonly why: string }
  | { readonly kind: 'gone' }
  | { readonly kind: 'skipped' };

/** Runs one kind's calls for one user; AWS errors become an outcome, other errors are bugs. */
async function read<T>(what: () => string, run: () => Promise<T>): Promise<KindOutcome<T>> {
  try {
    return { kind: 'done', value: await run() };
  } catch (error) {
    const failure = classifyAwsError(error);
    if (!failure) throw error;
    if (isGone(failure)) return { kind: 'gone' };
    if (failure.kind === 'denied' || failure.kind === 'region-disabled')
      return { kind: 'denied', detail: `${what()}: ${describeFailure(failure)}` };
    return { kind: 'failed', why: `${what()}: ${describeFailure(failure)}` };
  }
}

async function readAccessKeys(
  client: Pick<IAMClient, 'send'>,
  user: CredentialUser,
): Promise<KindOutcome<AccessKeyEntry[]>> {
  let what = 'iam:ListAccessKeys';
  return read(
    () => what,
    async () => {
      const listed = await readPages(
        (Marker) => client.send(new ListAccessKeysCommand({ UserName: user.UserName, Marker })),
        (page) => page.AccessKeyMetadata,
        (page) => (page.IsTruncated ? page.Marker : undefined),
        CREDENTIALS_LIMITS.userPages,
      );
      if (listed.truncated) throw tooManyPages(CREDENTIALS_LIMITS.userPages);
      const keys: AccessKeyEntry[] = [];
      for (const key of listed.items) {
        const id = key.AccessKeyId;
        if (!id) continue;
        what = 'iam:GetAccessKeyLastUsed';
        const used = await client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }));
        const last = used.AccessKeyLastUsed;
        keys.push({
          AccessKeyId: id,
          Status: key.Status ?? 'Inactive',
          CreateDate: iso(key.CreateDate),
          LastUsed: {
            LastUsedDate: iso(last?.LastUsedDate),
            ServiceName: last?.ServiceName ?? null,
            Region: last?.Region ?? null,
          },
        });
      }
      return keys;
    },
  );
}

async function readMfaDevices(
  client: Pick<IAMClient, 'send'>,
  user: CredentialUser,
): Promise<KindOutcome<MfaDeviceEntry[]>> {
  return read(
    () => 'iam:ListMFADevices',
    async () => {
      const listed = await readPages(
        (Marker) => client.send(new ListMFADevicesCommand({ UserName: user.UserName, Marker })),
        (page) => page.MFADevices,
        (page) => (page.IsTruncated ? page.Marker : undefined),
        CREDENTIALS_LIMITS.userPages,
      );
      if (listed.truncated) throw tooManyPages(CREDENTIALS_LIMITS.userPages);
      return listed.items.flatMap((device) =>
        device.SerialNumber
          ? [{ SerialNumber: device.SerialNumber, EnableDate: iso(device.EnableDate) }]
          : [],
      );
    },
  );
}

/**
 * More pages than IAM's own limits allow: the answer is not trusted. Shaped as a service failure
 * so that it is recorded for the user (or the account), not raised as a bug.
 */
function tooManyPages(pages: number): Error {
  return Object.assign(new Error(`more than ${pages} pages`), {
    name: 'TooManyPages',
    $fault: 'client',
  });
}

/** The assigned virtual MFA devices of the account. */
async function readVirtualDevices(
  client: Pick<IAMClient, 'send'>,
): Promise<KindOutcome<VirtualMfaDeviceEntry[]>> {
  return read(
    () => 'iam:ListVirtualMFADevices',
    async () => {
      const listed = await readPages(
        (Marker) =>
          client.send(
            new ListVirtualMFADevicesCommand({
              AssignmentStatus: 'Assigned',
              Marker,
              MaxItems: 1000,
            }),
          ),
        (page) => page.VirtualMFADevices,
        (page) => (page.IsTruncated ? page.Marker : undefined),
        CREDENTIALS_LIMITS.virtualDevicePages,
      );
      if (listed.truncated) throw tooManyPages(CREDENTIALS_LIMITS.virtualDevicePages);
      // The seed and QR code are only returned when a device is created; never copied anyway.
      return listed.items.flatMap((device) =>
        device.SerialNumber
          ? [
              {
                SerialNumber: device.SerialNumber,
                EnableDate: iso(device.EnableDate),
                UserArn: device.User?.Arn ?? null,
              },
            ]
          : [],
      );
    },
  );
}

const shortName = (arn: string): string => arn.split(':').slice(5).join(':');

/** The one gap detail of a kind, or null when the kind was read for every user asked. */
function kindDetail(
  outcomes: readonly { readonly user: CredentialUser; readonly outcome: KindOutcome<unknown> }[],
  label: string,
  extra: readonly string[],
): string | null {
  const parts: string[] = [];
  const asked = outcomes.filter((o) => o.outcome.kind !== 'gone');
  const done = asked.filter((o) => o.outcome.kind === 'done').length;
  const refusal = asked.find((o) => o.outcome.kind === 'denied')?.outcome;
  if (refusal?.kind === 'denied')
    parts.push(`${refusal.detail}; ${done} of ${asked.length} users have their ${label} listed`);
  const failed = asked.flatMap((o) =>
    o.outcome.kind === 'failed' ? [`${shortName(o.user.Arn)}: ${o.outcome.why}`] : [],
  );
  if (failed.length > 0) {
    const named = failed.slice(0, CREDENTIALS_LIMITS.namedInGap).join('; ');
    const more =
      failed.length > CREDENTIALS_LIMITS.namedInGap
        ? `; and ${failed.length - CREDENTIALS_LIMITS.namedInGap} more`
        : '';
    parts.push(
      `${failed.length} of ${asked.length} users' ${label} could not be read (${named}${more})`,
    );
  }
  parts.push(...extra);
  return parts.length > 0 ? parts.join('; ') : null;
}

/**
 * Collects the access keys and MFA devices of `users` and the account's assigned virtual MFA
 * devices; null when nothing could be read (the gaps say why).
 */
export async function collectCredentials(
  client: Pick<IAMClient, 'send'>,
  sink: GapSink,
  users: readonly CredentialUser[],
  dependencies: CredentialsDependencies = {},
): Promise<IamCredentialsDocument | null> {
  const wanted = users.slice(0, CREDENTIALS_LIMITS.users);
  const virtual = await readVirtualDevices(client);
  let keysDenied = false;
  let devicesDenied = false;

  const perUser = await mapWithLimit(wanted, dependencies.concurrency ?? 4, async (user) => {
    const keys: KindOutcome<AccessKeyEntry[]> = keysDenied
      ? { kind: 'skipped' }
      : await readAccessKeys(client, user);
    if (keys.kind === 'denied') keysDenied = true;
    const devices: KindOutcome<MfaDeviceEntry[]> =
      devicesDenied || keys.kind === 'gone'
        ? { kind: 'skipped' }
        : await readMfaDevices(client, user);
    if (devices.kind === 'denied') devicesDenied = true;
    // A user deleted since the authorization details were read has nothing left to list.
    const gone = keys.kind === 'gone' || devices.kind === 'gone';
    return {
      user,
      keys: gone ? { kind: 'gone' as const } : keys,
      devices: gone ? { kind: 'gone' as const } : devices,
    };
  });

  const entries: UserCredentialsEntry[] = perUser.flatMap(({ user, keys, devices }) =>
    keys.kind === 'done' || devices.kind === 'done'
      ? [
          {
            UserName: user.UserName,
            Arn: user.Arn,
            ...(keys.kind === 'done' ? { AccessKeys: keys.value } : {}),
            ...(devices.kind === 'done' ? { MFADevices: devices.value } : {}),
          },
        ]
      : [],
  );

  const bounded =
    users.length > wanted.length
      ? [`only the first ${wanted.length} of ${users.length} users were asked`]
      : [];
  const gap = (source: string, detail: string | null): void => {
    if (detail !== null) sink.add({ source, accountId: sink.accountId, region: null, detail });
  };
  gap(
    ACCESS_KEYS_SOURCE,
    kindDetail(
      perUser.map((o) => ({ user: o.user, outcome: o.keys })),
      'access keys',
      bounded,
    ),
  );
  const virtualProblem =
    virtual.kind === 'denied'
      ? [`${virtual.detail}; the root's MFA device kind is unknown`]
      : virtual.kind === 'failed'
        ? [`${virtual.why}; the root's MFA device kind is unknown`]
        : [];
  gap(
    MFA_DEVICES_SOURCE,
    kindDetail(
      perUser.map((o) => ({ user: o.user, outcome: o.devices })),
      'MFA devices',
      [...virtualProblem, ...bounded],
    ),
  );

  if (entries.length === 0 && virtual.kind !== 'done') return null;
  return {
    AccountId: sink.accountId,
    Users: entries,
    ...(virtual.kind === 'done' ? { VirtualMFADevices: virtual.value } : {}),
  };
}
