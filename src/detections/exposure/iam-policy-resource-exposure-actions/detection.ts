/**
 * RES-03: an identity policy (customer managed, or inline on a user, group or role) that allows,
 * on every resource and under no condition, actions that change who can reach a resource: resource
 * policies, ACLs, grants, public-access settings, sharing (s3:PutBucketPolicy, kms:PutKeyPolicy,
 * lambda:AddPermission, sqs:SetQueueAttributes, ram:CreateResourceShare, ...). Decided on the
 * policy's own action sets (wildcards expanded by the catalog), less what the same policy denies
 * everywhere.
 *
 * Not reported: AWS managed policies (AdministratorAccess, PowerUserAccess, service policies) —
 * their owner cannot change them, and whoever holds them is reported for what it can do (ADM,
 * PE); a policy that allows every action on every resource — that is ADM-04, whose fix (replace
 * the policy) also removes this; a policy used only as a permissions boundary (it grants nothing);
 * AWS-owned roles' inline policies.
 */
import { actionIndex, loadCatalog, type ActionSet } from '../../../catalog/index.js';
import type { NormalizedPolicy } from '../../../policy/types.js';
import type { Detection, DetectionContext, DetectionResult, ResourceRef } from '../../types.js';

/** Actions that change a resource's policy, ACL, grants, public-access settings or sharing. */
export const RESOURCE_EXPOSURE_ACTIONS: readonly string[] = [
  's3:PutBucketPolicy',
  's3:PutBucketAcl',
  's3:PutObjectAcl',
  's3:PutObjectVersionAcl',
  's3:PutBucketPublicAccessBlock',
  's3:PutAccountPublicAccessBlock',
  's3:PutBucketOwnershipControls',
  's3:PutAccessPointPolicy',
  's3:PutMultiRegionAccessPointPolicy',
  'kms:PutKeyPolicy',
  'kms:CreateGrant',
  'lambda:AddPermission',
  'lambda:AddLayerVersionPermission',
  'lambda:CreateFunctionUrlConfig',
  'lambda:UpdateFunctionUrlConfig',
  'sqs:SetQueueAttributes',
  'sqs:AddPermission',
  'sns:SetTopicAttributes',
  'sns:AddPermission',
  'ecr:SetRepositoryPolicy',
  'ecr:PutRegistryPolicy',
  'ecr-public:SetRepositoryPolicy',
  'secretsmanager:PutResourcePolicy',
  'ram:CreateResourceShare',
  'ram:AssociateResourceShare',
  'ram:UpdateResourceShare',
  'ram:EnableSharingWithAwsOrganization',
  'glacier:SetVaultAccessPolicy',
  'elasticfilesystem:PutFileSystemPolicy',
  'backup:PutBackupVaultAccessPolicy',
  'ec2:ModifySnapshotAttribute',
  'ec2:ModifyImageAttribute',
  'rds:ModifyDBSnapshotAttribute',
  'rds:ModifyDBClusterSnapshotAttribute',
  'dynamodb:PutResourcePolicy',
  'logs:PutResourcePolicy',
  'logs:PutDestinationPolicy',
  'events:PutPermission',
  'apigateway:UpdateRestApiPolicy',
  'glue:PutResourcePolicy',
  'codeartifact:PutRepositoryPermissionsPolicy',
  'codeartifact:PutDomainPermissionsPolicy',
  'serverlessrepo:PutApplicationPolicy',
  'es:UpdateDomainConfig',
  'es:UpdateElasticsearchDomainConfig',
  'redshift:AuthorizeSnapshotAccess',
  'ssm:ModifyDocumentPermission',
  'mediastore:PutContainerPolicy',
  'kinesis:PutResourcePolicy',
  'iam:UpdateAssumeRolePolicy',
];

let exposureSet: ActionSet | null = null;
function exposureActions(): ActionSet {
  exposureSet ??= loadCatalog().setOf(
    RESOURCE_EXPOSURE_ACTIONS.filter((a) => actionIndex(a) !== undefined),
  );
  return exposureSet;
}

interface Offence {
  readonly actions: string[];
  readonly statements: { sid: string | null; index: number }[];
}

function offenceOf(ctx: DetectionContext, policy: NormalizedPolicy): Offence | null {
  const summary = ctx.policies.summary(policy);
  const catalog = loadCatalog();
  if (summary.allowEverywhere.count() === catalog.actionCount) return null; // ADM-04
  const exposed = summary.allowEverywhere
    .intersect(exposureActions())
    .difference(summary.denyEverywhere);
  if (exposed.isEmpty()) return null;
  const actions = [...exposed].map((i) => catalog.actionName(i)).sort();
  const statements = policy.statements
    .filter(
      (s) =>
        s.effect === 'Allow' &&
        s.conditions.length === 0 &&
        (s.resource === null || (!s.resource.not && s.resource.patterns.includes('*'))) &&
        (s.action?.set.intersects(exposed) ?? false),
    )
    .map((s) => ({ sid: s.sid, index: s.index }));
  return { actions, statements };
}

function messageOf(subject: string, actions: readonly string[]): string {
  const shown = actions.slice(0, 4).join(', ') + (actions.length > 4 ? ', …' : '');
  return `${subject} allows ${shown} on every resource without conditions: whoever holds it can make resources public or share them outside the organization.`;
}

export const detection: Detection = {
  id: 'iam-policy-resource-exposure-actions',
  anchor: 'RES-03',
  version: 1,
  title: 'Policy allows resource-exposure actions without constraints',
  severity: 'high',
  category: 'exposure',
  description:
    'A customer managed or inline policy allows, on Resource "*" and without conditions, actions that change resource policies, ACLs, grants, public-access settings or sharing (s3:PutBucketPolicy, kms:PutKeyPolicy, lambda:AddPermission, sqs:SetQueueAttributes, ram:CreateResourceShare, ...).',
  risk: 'Any principal with the policy can open buckets, keys, queues, functions or secrets to the internet or to other accounts.',
  remediation:
    'Scope these actions to the ARNs of the resources the principal manages, or add conditions (aws:ResourceTag, aws:ResourceAccount); keep resource-policy changes to a small administration role.',
  references: [
    'https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/resource-exposure.md',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_controlling.html#access_controlling-resources',
  ],
  requires: ['iam'],
  identityFields: ['policy'],
  appliesTo: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    // A policy used only as a permissions boundary grants nothing by itself.
    const attached = new Set<string>();
    const boundaries = new Set<string>();
    for (const principal of ctx.snapshot.principals) {
      for (const a of principal.attachedPolicies) attached.add(a.policyArn);
      if (principal.permissionsBoundaryArn) boundaries.add(principal.permissionsBoundaryArn);
    }
    for (const managed of ctx.snapshot.policies) {
      if (managed.isAwsManaged) continue;
      if (boundaries.has(managed.arn) && !attached.has(managed.arn)) continue;
      const policy = ctx.policies.managed(managed.arn);
      const offence = policy && offenceOf(ctx, policy);
      if (!offence) continue;
      const ref: ResourceRef = {
        arn: managed.arn,
        type: 'AWS::IAM::ManagedPolicy',
        name: managed.name,
        accountId: managed.accountId,
      };
      results.push({
        resource: ref,
        message: messageOf(`Policy ${managed.name}`, offence.actions),
        evidence: {
          policy: managed.arn,
          version: managed.defaultVersionId,
          attachments: managed.attachmentCount,
          ...offence,
        },
      });
    }
    for (const principal of ctx.snapshot.principals) {
      if (principal.inlinePolicies.length === 0 || ctx.isAwsOwned(principal)) continue;
      for (const { policy, ref } of ctx.policies.own(principal)) {
        if (ref.arn !== principal.arn) continue; // attached managed policies are reported above
        const offence = offenceOf(ctx, policy);
        if (!offence) continue;
        const name = policy.id.slice(principal.arn.length + 1);
        results.push({
          resource: ref,
          identity: { policy: name },
          message: messageOf(
            `Inline policy ${name} of ${principal.type} ${principal.name}`,
            offence.actions,
          ),
          evidence: { policy: name, ...offence },
        });
      }
    }
    return results;
  },
};
