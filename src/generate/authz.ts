/**
 * Renders an account as the JSON that `aws iam get-account-authorization-details` prints.
 * Customer managed policies are listed with every version; AWS managed policies are referenced by
 * ARN only (as with `--filter User Role Group LocalManagedPolicy`): their documents come from the
 * bundled AWS managed policy set. Documents are objects, except for a small deterministic share of
 * entities whose documents are URL-encoded strings, as the raw IAM API returns them.
 */
import { isoOffset } from './dates.js';
import type { AccountBuilder, InlinePolicy, PolicyDoc, RoleEntity } from './estate.js';

/** The `get-account-authorization-details` document. */
export interface AuthorizationDetails {
  readonly UserDetailList: Record<string, unknown>[];
  readonly GroupDetailList: Record<string, unknown>[];
  readonly RoleDetailList: Record<string, unknown>[];
  readonly Policies: Record<string, unknown>[];
}

function documentOf(doc: PolicyDoc, encoded: boolean): PolicyDoc | string {
  return encoded ? encodeURIComponent(JSON.stringify(doc)) : doc;
}

function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function attachedList(arns: readonly string[]): { PolicyName: string; PolicyArn: string }[] {
  return arns.map((arn) => ({ PolicyName: policyName(arn), PolicyArn: arn }));
}

function inlineList(
  list: readonly InlinePolicy[],
  encoded: boolean,
): { PolicyName: string; PolicyDocument: PolicyDoc | string }[] {
  return list.map((p) => ({ PolicyName: p.name, PolicyDocument: documentOf(p.document, encoded) }));
}

function boundaryOf(arn: string | null): Record<string, unknown> {
  return arn
    ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } }
    : {};
}

function renderRole(role: RoleEntity): Record<string, unknown> {
  const trust = documentOf(role.trust, role.encoded);
  const profile = role.instanceProfile;
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: isoOffset(role.created),
    AssumeRolePolicyDocument: trust,
    InstanceProfileList: profile
      ? [
          {
            Path: profile.path,
            InstanceProfileName: profile.name,
            InstanceProfileId: profile.id,
            Arn: profile.arn,
            CreateDate: isoOffset(profile.created),
            Roles: [
              {
                Path: role.path,
                RoleName: role.name,
                RoleId: role.id,
                Arn: role.arn,
                CreateDate: isoOffset(role.created),
                AssumeRolePolicyDocument: trust,
              },
            ],
          },
        ]
      : [],
    RolePolicyList: inlineList(role.inline, role.encoded),
    AttachedManagedPolicies: attachedList(role.attached),
    ...boundaryOf(role.boundary),
    Tags: role.tags,
    RoleLastUsed: role.lastUsed
      ? { LastUsedDate: isoOffset(role.lastUsed), Region: role.lastUsedRegion }
      : {},
  };
}

/** Renders the account's authorization details. */
export function renderAuthorizationDetails(b: AccountBuilder): AuthorizationDetails {
  const attachments = new Map<string, number>();
  const boundaries = new Map<string, number>();
  const count = (map: Map<string, number>, arn: string): void => {
    map.set(arn, (map.get(arn) ?? 0) + 1);
  };
  for (const entity of [...b.users, ...b.groups, ...b.roles])
    for (const arn of entity.attached) count(attachments, arn);
  for (const entity of [...b.users, ...b.roles])
    if (entity.boundary) count(boundaries, entity.boundary);

  return {
    UserDetailList: b.users.map((user) => ({
      Path: user.path,
      UserName: user.name,
      UserId: user.id,
      Arn: user.arn,
      CreateDate: isoOffset(user.created),
      ...(user.inline.length > 0 ? { UserPolicyList: inlineList(user.inline, user.encoded) } : {}),
      GroupList: user.groups,
      AttachedManagedPolicies: attachedList(user.attached),
      ...boundaryOf(user.boundary),
      Tags: user.tags,
    })),
    GroupDetailList: b.groups.map((group) => ({
      Path: group.path,
      GroupName: group.name,
      GroupId: group.id,
      Arn: group.arn,
      CreateDate: isoOffset(group.created),
      GroupPolicyList: inlineList(group.inline, group.encoded),
      AttachedManagedPolicies: attachedList(group.attached),
    })),
    RoleDetailList: b.roles.map(renderRole),
    Policies: b.policies.map((p) => {
      const versions = p.versions.map((version, i) => ({
        Document: documentOf(version.document, p.encoded),
        VersionId: `v${i + 1}`,
        IsDefaultVersion: i + 1 === p.defaultVersion,
        CreateDate: isoOffset(version.created),
      }));
      const defaultCreated = p.versions[p.defaultVersion - 1]?.created ?? p.created;
      return {
        PolicyName: p.name,
        PolicyId: p.id,
        Arn: p.arn,
        Path: p.path,
        DefaultVersionId: `v${p.defaultVersion}`,
        AttachmentCount: attachments.get(p.arn) ?? 0,
        PermissionsBoundaryUsageCount: boundaries.get(p.arn) ?? 0,
        IsAttachable: true,
        ...(p.description ? { Description: p.description } : {}),
        CreateDate: isoOffset(p.created),
        UpdateDate: isoOffset(defaultCreated),
        PolicyVersionList: versions.reverse(),
      };
    }),
  };
}
