import type {
  AccessKey,
  Account,
  Gap,
  ManagedPolicy,
  MfaDevice,
  Notice,
  Organization,
  Principal,
  RootPrincipal,
  Snapshot,
  UserPrincipal,
} from '../model/index.js';
import { rootArn } from '../model/index.js';
import type {
  CredentialReport,
  CredentialReportRow,
  IamCredentialsInput,
  SnapshotPart,
} from './snapshot-part.js';

/** Looks up AWS managed policies by ARN; returns those it knows. */
export type AwsManagedPolicyResolver = (
  arns: readonly string[],
) => Promise<ReadonlyMap<string, ManagedPolicy>>;

export interface BuildOptions {
  /** Fills AWS managed policies that principals reference but the inputs did not include. */
  readonly resolveAwsManagedPolicies?: AwsManagedPolicyResolver;
}

const byArn = <T extends { arn: string }>(a: T, b: T): number =>
  a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0;

/**
 * Merges what each input contributed into one Snapshot: unions by ARN, applies credential reports
 * to users and roots, resolves referenced AWS managed policies, and records a gap for every kind of
 * data an account is missing. The result is sorted, so equal inputs give equal snapshots.
 */
export async function buildSnapshot(
  parts: readonly SnapshotPart[],
  options: BuildOptions = {},
): Promise<Snapshot> {
  const accounts = new Map<string, Account>();
  const principals = new Map<string, Principal>();
  const policies = new Map<string, ManagedPolicy>();
  const instanceProfiles = new Map<string, Snapshot['instanceProfiles'][number]>();
  const identityProviders = new Map<string, Snapshot['identityProviders'][number]>();
  const resources = new Map<string, Snapshot['resources'][number]>();
  const gaps: Gap[] = [];
  const notices: Notice[] = [];
  const reports: CredentialReport[] = [];
  const lastAccessed: NonNullable<SnapshotPart['serviceLastAccessed']>[number][] = [];
  const listedCredentials: IamCredentialsInput[] = [];
  let organization: Organization | null = null;
  const iamAccounts = new Set<string>();

  for (const part of parts) {
    for (const account of part.accounts ?? []) {
      const known = accounts.get(account.id);
      accounts.set(
        account.id,
        known
          ? {
              ...known,
              name: known.name ?? account.name,
              sources: [...known.sources, ...account.sources],
              passwordPolicy: known.passwordPolicy ?? account.passwordPolicy ?? null,
              // The first input that knows the account-level settings gives them, as for names.
              ...(known.s3PublicAccessBlock || !account.s3PublicAccessBlock
                ? {}
                : { s3PublicAccessBlock: account.s3PublicAccessBlock }),
            }
          : account,
      );
    }
    for (const principal of part.principals ?? []) {
      iamAccounts.add(principal.accountId);
      if (principals.has(principal.arn)) {
        notices.push({
          file: accounts.get(principal.accountId)?.sources.at(-1) ?? '',
          detail: `${principal.arn} appears in more than one input; the first is kept`,
        });
        continue;
      }
      principals.set(principal.arn, principal);
    }
    for (const policy of part.policies ?? []) {
      if (!policies.has(policy.arn)) policies.set(policy.arn, policy);
    }
    for (const profile of part.instanceProfiles ?? []) instanceProfiles.set(profile.arn, profile);
    for (const provider of part.identityProviders ?? [])
      identityProviders.set(provider.arn, provider);
    for (const resource of part.resources ?? []) resources.set(resource.arn, resource);
    if (part.organization) organization = part.organization;
    reports.push(...(part.credentialReports ?? []));
    lastAccessed.push(...(part.serviceLastAccessed ?? []));
    listedCredentials.push(...(part.iamCredentials ?? []));
    gaps.push(...(part.gaps ?? []));
    notices.push(...(part.notices ?? []));
  }

  const reportedAccounts = new Set<string>();
  for (const report of reports) {
    reportedAccounts.add(report.accountId);
    if (!accounts.has(report.accountId)) {
      accounts.set(report.accountId, { id: report.accountId, name: null, sources: [report.file] });
    } else {
      const account = accounts.get(report.accountId)!;
      accounts.set(report.accountId, { ...account, sources: [...account.sources, report.file] });
    }
    for (const row of report.rows) applyCredentialReportRow(row, report.file, principals, notices);
  }

  for (const accountId of iamAccounts) {
    if (!reportedAccounts.has(accountId)) {
      gaps.push({
        source: 'iam:credential-report',
        accountId,
        region: null,
        detail:
          'no credential report was given: access keys, passwords and MFA of its users are unknown',
      });
    }
  }

  // After the reports: the listing's key ids and device kinds refine what the report said.
  for (const input of listedCredentials) applyIamCredentials(input, principals, notices);
  for (const input of lastAccessed) applyServiceLastAccessed(input, principals, notices);

  await resolveReferencedPolicies(principals, policies, gaps, options);

  return {
    accounts: [...accounts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    principals: [...principals.values()].sort(byArn),
    policies: [...policies.values()].sort(byArn),
    instanceProfiles: [...instanceProfiles.values()].sort(byArn),
    identityProviders: [...identityProviders.values()].sort(byArn),
    resources: [...resources.values()].sort(byArn),
    organization,
    gaps,
    notices,
  };
}

function accessKeysFromRow(row: CredentialReportRow): AccessKey[] {
  return row.accessKeys
    .filter((key) => key.active || key.lastRotated !== null)
    .map((key) => ({
      id: null,
      slot: key.slot,
      status: key.active ? 'Active' : 'Inactive',
      createDate: null,
      lastRotated: key.lastRotated,
      lastUsedDate: key.lastUsedDate,
      lastUsedRegion: key.lastUsedRegion,
      lastUsedService: key.lastUsedService,
    }));
}

function credentialsFromRow(
  row: CredentialReportRow,
): Pick<UserPrincipal, 'accessKeys' | 'loginProfile' | 'mfaDevices'> {
  const mfaDevices: MfaDevice[] = row.mfaActive
    ? [{ serialNumber: null, kind: 'unknown', enableDate: null }]
    : [];
  return {
    accessKeys: accessKeysFromRow(row),
    loginProfile:
      row.passwordEnabled === true
        ? {
            exists: true,
            createDate: null,
            passwordLastUsed: row.passwordLastUsed,
            passwordLastChanged: row.passwordLastChanged,
            passwordNextRotation: row.passwordNextRotation,
          }
        : row.passwordEnabled === false
          ? { exists: false }
          : null,
    mfaDevices,
  };
}

function applyCredentialReportRow(
  row: CredentialReportRow,
  file: string,
  principals: Map<string, Principal>,
  notices: Notice[],
): void {
  const credentials = credentialsFromRow(row);
  if (row.isRoot) {
    // The report's own ARN keeps the partition (aws-cn, aws-us-gov); the importer checked its form.
    const arn = row.arn || rootArn(row.accountId);
    const root: RootPrincipal = {
      type: 'root',
      arn,
      accountId: row.accountId,
      name: '<root_account>',
      id: null,
      path: '/',
      createDate: row.userCreationTime,
      passwordLastUsed: row.passwordLastUsed,
      tags: {},
      attachedPolicies: [],
      inlinePolicies: [],
      permissionsBoundaryArn: null,
      ...credentials,
    };
    principals.set(arn, root);
    return;
  }
  const user = principals.get(row.arn);
  if (!user || user.type !== 'user') {
    notices.push({
      file,
      detail: `line ${row.line}: ${row.arn} is not among the users of the authorization details; its row is ignored`,
    });
    return;
  }
  // Key ids and MFA serials from the account's own listing are more precise than the report's:
  // keep what the user already has where the report only confirms it.
  const keys = (user.accessKeys ?? []).filter((key) => key.id !== null);
  principals.set(row.arn, {
    ...user,
    accessKeys:
      keys.length > 0 ? mergeListedKeys(keys, credentials.accessKeys) : credentials.accessKeys,
    loginProfile: user.loginProfile ?? credentials.loginProfile,
    mfaDevices:
      user.mfaDevices && user.mfaDevices.length > 0 ? user.mfaDevices : credentials.mfaDevices,
  });
}

/** Two dates within a second of each other (the report keeps seconds, the listing milliseconds). */
function isSameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const difference = Math.abs(Date.parse(a) - Date.parse(b));
  return !Number.isNaN(difference) && difference < 1000;
}

const isLater = (a: string | null, b: string | null): boolean =>
  a !== null && (b === null || Date.parse(a) > Date.parse(b));

/**
 * The listed keys (with ids) of a holder, each completed by the credential report's slot that
 * is the same key (the report's `last_rotated` is the key's creation time): the slot and the later
 * of the two last-used dates (the report is a copy of the same tracking, up to four hours old). A
 * report key that matches no listed key was deleted since: the listing is the newer word.
 */
export function mergeListedKeys(
  listed: readonly AccessKey[],
  reported: readonly AccessKey[] | null,
): AccessKey[] {
  const slots = (reported ?? []).filter((key) => key.id === null && key.slot !== null);
  const claimed = new Set<AccessKey>();
  return listed.map((key) => {
    const same = slots.filter(
      (slot) => !claimed.has(slot) && isSameInstant(slot.lastRotated, key.createDate),
    );
    const match = same.length === 1 ? same[0] : undefined;
    if (!match) return key;
    claimed.add(match);
    return {
      ...key,
      slot: match.slot,
      lastRotated: match.lastRotated,
      ...(isLater(match.lastUsedDate, key.lastUsedDate)
        ? {
            lastUsedDate: match.lastUsedDate,
            lastUsedRegion: match.lastUsedRegion,
            lastUsedService: match.lastUsedService,
          }
        : {}),
    };
  });
}

/**
 * A holder's MFA devices where only the account's virtual devices were listed: the virtual ones
 * assigned to it; else, when the credential report says MFA is active, a hardware device (a FIDO
 * key or TOTP token: the only kinds not in the virtual list); else what the report said.
 */
function mfaFromVirtualListing(
  reported: readonly MfaDevice[] | null,
  virtual: readonly MfaDevice[] | undefined,
): readonly MfaDevice[] | null {
  if (virtual && virtual.length > 0) return virtual;
  if (reported === null || reported.length === 0) return reported;
  return reported.map((device) =>
    device.kind === 'unknown' ? { ...device, kind: 'hardware' as const } : device,
  );
}

/**
 * Applies an account's listed access keys and MFA devices to its users and root: listed keys
 * replace the report's (keeping its slots and later dates), listed devices replace the report's
 * `unknown` one, and the virtual device list decides the kind of the root's (and of any user's
 * whose devices were not listed).
 */
function applyIamCredentials(
  input: IamCredentialsInput,
  principals: Map<string, Principal>,
  notices: Notice[],
): void {
  const virtualOf = new Map<string, MfaDevice[]>();
  for (const device of input.virtualMfaDevices ?? []) {
    if (device.userArn === null) continue;
    const devices = virtualOf.get(device.userArn) ?? [];
    devices.push({
      serialNumber: device.serialNumber,
      kind: 'virtual',
      enableDate: device.enableDate,
    });
    virtualOf.set(device.userArn, devices);
  }
  for (const [arn, listed] of input.users) {
    const user = principals.get(arn);
    if (!user || user.type !== 'user') {
      notices.push({
        file: input.file,
        detail: `${arn} is not among the users of the authorization details; its access keys and MFA devices are ignored`,
      });
      continue;
    }
    principals.set(arn, {
      ...user,
      ...(listed.accessKeys
        ? { accessKeys: mergeListedKeys(listed.accessKeys, user.accessKeys) }
        : {}),
      ...(listed.mfaDevices ? { mfaDevices: listed.mfaDevices } : {}),
    });
  }
  if (input.virtualMfaDevices === null) return;
  for (const [arn, principal] of principals) {
    if (principal.accountId !== input.accountId) continue;
    if (principal.type === 'root') {
      const root = [...virtualOf].find(([userArn]) => userArn.endsWith(':root'))?.[1];
      principals.set(arn, {
        ...principal,
        mfaDevices: mfaFromVirtualListing(principal.mfaDevices, root),
      });
    } else if (principal.type === 'user' && !input.users.get(arn)?.mfaDevices) {
      principals.set(arn, {
        ...principal,
        mfaDevices: mfaFromVirtualListing(principal.mfaDevices, virtualOf.get(arn)),
      });
    }
  }
}

/** Puts each service last accessed report on its user, role or group. */
function applyServiceLastAccessed(
  input: NonNullable<SnapshotPart['serviceLastAccessed']>[number],
  principals: Map<string, Principal>,
  notices: Notice[],
): void {
  for (const [arn, report] of input.reports) {
    const principal = principals.get(arn);
    if (!principal || principal.type === 'root') {
      notices.push({
        file: input.file,
        detail: `${arn} is not among the users, roles and groups of the authorization details; its service last accessed data is ignored`,
      });
      continue;
    }
    principals.set(arn, { ...principal, serviceLastAccessed: report });
  }
}

async function resolveReferencedPolicies(
  principals: Map<string, Principal>,
  policies: Map<string, ManagedPolicy>,
  gaps: Gap[],
  options: BuildOptions,
): Promise<void> {
  const missing = new Map<string, string>(); // policy ARN → an account that references it
  for (const principal of principals.values()) {
    const referenced = principal.attachedPolicies.map((attachment) => attachment.policyArn);
    if (principal.permissionsBoundaryArn) referenced.push(principal.permissionsBoundaryArn);
    for (const arn of referenced) {
      if (!policies.has(arn) && !missing.has(arn)) missing.set(arn, principal.accountId);
    }
  }
  if (missing.size === 0) return;
  const awsManaged = [...missing.keys()].filter((arn) => /^arn:[\w-]+:iam::aws:policy\//.test(arn));
  const resolved =
    options.resolveAwsManagedPolicies && awsManaged.length > 0
      ? await options.resolveAwsManagedPolicies(awsManaged)
      : new Map<string, ManagedPolicy>();
  for (const [arn, accountId] of [...missing].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const policy = resolved.get(arn);
    if (policy) {
      policies.set(arn, policy);
      continue;
    }
    gaps.push({
      source: 'iam:managed-policy',
      accountId: arn.includes(':iam::aws:') ? null : accountId,
      region: null,
      detail: `${arn} is attached but its document is not in the inputs${
        arn.includes(':iam::aws:') ? ' nor in the bundled AWS managed policies' : ''
      }`,
    });
  }
}
