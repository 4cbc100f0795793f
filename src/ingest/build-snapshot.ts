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
import type { CredentialReport, CredentialReportRow, SnapshotPart } from './snapshot-part.js';

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
    accessKeys: keys.length > 0 ? user.accessKeys : credentials.accessKeys,
    loginProfile: user.loginProfile ?? credentials.loginProfile,
    mfaDevices:
      user.mfaDevices && user.mfaDevices.length > 0 ? user.mfaDevices : credentials.mfaDevices,
  });
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
