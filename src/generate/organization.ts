/**
 * The organization document (docs/formats.md "Organization"): AWS Organizations responses verbatim,
 * plus `ParentId` on OUs and accounts and `Targets` on policies.
 */
import { isoOffset } from './dates.js';
import { LOWER_ALNUM, createRandom } from './random.js';
import { managementAccount, securityAccount, type AccountPlan, type OrgPlan } from './org-plan.js';
import { deny, policy, type PolicyDoc } from './estate.js';

/** The organization JSON document. */
export interface OrganizationDocument {
  readonly Organization: Record<string, unknown>;
  readonly Roots: Record<string, unknown>[];
  readonly OrganizationalUnits: Record<string, unknown>[];
  readonly Accounts: Record<string, unknown>[];
  readonly Policies: {
    PolicySummary: Record<string, unknown>;
    Content: string;
    Targets: { TargetId: string; Arn: string; Name: string; Type: string }[];
  }[];
  readonly DelegatedAdministrators: Record<string, unknown>[];
}

/** The regions the region-deny SCP allows. */
export const APPROVED_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'] as const;

const GLOBAL_SERVICE_ACTIONS = [
  'a4b:*',
  'acm:*',
  'aws-marketplace-management:*',
  'aws-marketplace:*',
  'budgets:*',
  'ce:*',
  'chime:*',
  'cloudfront:*',
  'config:*',
  'cur:*',
  'directconnect:*',
  'ec2:DescribeRegions',
  'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways',
  'fms:*',
  'globalaccelerator:*',
  'health:*',
  'iam:*',
  'importexport:*',
  'kms:*',
  'mobileanalytics:*',
  'networkmanager:*',
  'organizations:*',
  'pricing:*',
  'route53:*',
  'route53domains:*',
  's3:GetAccountPublic*',
  's3:ListAllMyBuckets',
  's3:PutAccountPublic*',
  'shield:*',
  'sts:*',
  'support:*',
  'trustedadvisor:*',
  'waf-regional:*',
  'waf:*',
  'wafv2:*',
  'wellarchitected:*',
];

/** Builds the organization document of a plan. */
export function buildOrganizationDocument(plan: OrgPlan): OrganizationDocument {
  const management = managementAccount(plan);
  const security = securityAccount(plan);
  const rng = createRandom(plan.seed, 'organization-policies');
  const orgArn = (kind: string, id: string): string =>
    `arn:aws:organizations::${management.id}:${kind}/${plan.orgId}/${id}`;
  const accountArn = (account: AccountPlan): string => orgArn('account', account.id);
  const ouByName = new Map(plan.units.map((unit) => [unit.name, unit]));
  const ouTarget = (
    name: string,
  ): { TargetId: string; Arn: string; Name: string; Type: string } => {
    const unit = ouByName.get(name);
    if (!unit) throw new RangeError(`no OU named ${name}`);
    return {
      TargetId: unit.id,
      Arn: orgArn('ou', unit.id),
      Name: unit.name,
      Type: 'ORGANIZATIONAL_UNIT',
    };
  };
  const rootTarget = {
    TargetId: plan.rootId,
    Arn: orgArn('root', plan.rootId),
    Name: 'Root',
    Type: 'ROOT',
  };
  const everyTarget = [
    rootTarget,
    ...plan.units.map((unit) => ouTarget(unit.name)),
    ...plan.accounts.map((account) => ({
      TargetId: account.id,
      Arn: accountArn(account),
      Name: account.name,
      Type: 'ACCOUNT',
    })),
  ];

  const customer = (
    type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY',
    name: string,
    description: string,
    document: PolicyDoc,
    targets: { TargetId: string; Arn: string; Name: string; Type: string }[],
  ): OrganizationDocument['Policies'][number] => {
    const id = `p-${rng.chars(LOWER_ALNUM, 8)}`;
    const folder =
      type === 'SERVICE_CONTROL_POLICY' ? 'service_control_policy' : 'resource_control_policy';
    return {
      PolicySummary: {
        Id: id,
        Arn: `arn:aws:organizations::${management.id}:policy/${plan.orgId}/${folder}/${id}`,
        Name: name,
        Description: description,
        Type: type,
        AwsManaged: false,
      },
      Content: JSON.stringify(document),
      Targets: targets,
    };
  };

  const policies: OrganizationDocument['Policies'] = [
    {
      PolicySummary: {
        Id: 'p-FullAWSAccess',
        Arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
        Name: 'FullAWSAccess',
        Description: 'Allows access to every operation',
        Type: 'SERVICE_CONTROL_POLICY',
        AwsManaged: true,
      },
      Content: JSON.stringify(
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        null,
        4,
      ),
      Targets: everyTarget,
    },
    {
      PolicySummary: {
        Id: 'p-RCPFullAWSAccess',
        Arn: 'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess',
        Name: 'RCPFullAWSAccess',
        Description: 'Allows access to every operation',
        Type: 'RESOURCE_CONTROL_POLICY',
        AwsManaged: true,
      },
      Content: JSON.stringify(
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
        },
        null,
        4,
      ),
      Targets: everyTarget,
    },
    customer(
      'SERVICE_CONTROL_POLICY',
      'DenyLeaveOrganization',
      'Member accounts may not leave the organization',
      policy(deny('organizations:LeaveOrganization', '*', { Sid: 'DenyLeaveOrganization' })),
      [ouTarget('Security'), ouTarget('Workloads'), ouTarget('Sandbox')],
    ),
    customer(
      'SERVICE_CONTROL_POLICY',
      'DenyUnapprovedRegions',
      'Only approved regions, except for global services and the break-glass roles',
      policy({
        Sid: 'DenyAllOutsideApprovedRegions',
        Effect: 'Deny',
        NotAction: GLOBAL_SERVICE_ACTIONS,
        Resource: '*',
        Condition: {
          StringNotEquals: { 'aws:RequestedRegion': [...APPROVED_REGIONS] },
          ArnNotLike: {
            'aws:PrincipalARN': [
              'arn:aws:iam::*:role/OrganizationAccountAccessRole',
              'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdministratorAccess_*',
            ],
          },
        },
      }),
      [ouTarget('Workloads'), ouTarget('Sandbox')],
    ),
    customer(
      'SERVICE_CONTROL_POLICY',
      'ProtectSecurityBaseline',
      'Nobody in member accounts may switch off logging or the security services',
      policy(
        deny(
          [
            'cloudtrail:DeleteTrail',
            'cloudtrail:StopLogging',
            'cloudtrail:UpdateTrail',
            'config:DeleteConfigurationRecorder',
            'config:StopConfigurationRecorder',
            'guardduty:DeleteDetector',
            'guardduty:DisassociateFromMasterAccount',
            'access-analyzer:DeleteAnalyzer',
            'securityhub:DisableSecurityHub',
          ],
          '*',
          { Sid: 'ProtectSecurityServices' },
        ),
      ),
      [ouTarget('Workloads'), ouTarget('Sandbox')],
    ),
    customer(
      'SERVICE_CONTROL_POLICY',
      'DenyRootAndLongLivedCredentials',
      'Production: no root user, no IAM users or access keys',
      policy(
        deny('*', '*', {
          Sid: 'DenyRootUser',
          Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
        }),
        deny(['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile'], '*', {
          Sid: 'DenyLongLivedCredentials',
          Condition: {
            ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/OrganizationAccountAccessRole' },
          },
        }),
      ),
      [ouTarget('Prod')],
    ),
    customer(
      'RESOURCE_CONTROL_POLICY',
      'EnforceOrgIdentities',
      'Production data stores accept only principals of this organization and AWS services',
      policy({
        Sid: 'EnforceOrgIdentities',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:AssumeRole'],
        Resource: '*',
        Condition: {
          StringNotEqualsIfExists: { 'aws:PrincipalOrgID': plan.orgId },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
      [ouTarget('Prod')],
    ),
  ];

  const joinedMethod = (account: AccountPlan): string =>
    account.kind === 'management' || account.index % 7 === 3 ? 'INVITED' : 'CREATED';

  return {
    Organization: {
      Id: plan.orgId,
      Arn: `arn:aws:organizations::${management.id}:organization/${plan.orgId}`,
      FeatureSet: 'ALL',
      MasterAccountArn: accountArn(management),
      MasterAccountId: management.id,
      MasterAccountEmail: management.email,
      AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
    },
    Roots: [
      {
        Id: plan.rootId,
        Arn: orgArn('root', plan.rootId),
        Name: 'Root',
        PolicyTypes: [
          { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
          { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' },
        ],
      },
    ],
    OrganizationalUnits: plan.units.map((unit) => ({
      Id: unit.id,
      Arn: orgArn('ou', unit.id),
      Name: unit.name,
      ParentId: unit.parentId,
    })),
    Accounts: plan.accounts.map((account) => ({
      Id: account.id,
      Arn: accountArn(account),
      Email: account.email,
      Name: account.name,
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: joinedMethod(account),
      JoinedTimestamp: isoOffset(account.joined),
      ParentId: account.parentId,
    })),
    Policies: policies,
    DelegatedAdministrators: [
      {
        Id: security.id,
        Arn: accountArn(security),
        Email: security.email,
        Name: security.name,
        Status: 'ACTIVE',
        State: 'ACTIVE',
        JoinedMethod: joinedMethod(security),
        JoinedTimestamp: isoOffset(security.joined),
        DelegationEnabledDate: isoOffset(new Date(security.joined.getTime() + 86_400_000 * 30)),
        ServicePrincipals: [
          'access-analyzer.amazonaws.com',
          'config.amazonaws.com',
          'guardduty.amazonaws.com',
          'securityhub.amazonaws.com',
        ],
      },
    ],
  };
}
