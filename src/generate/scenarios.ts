/**
 * Planted stories: each scenario places, once per organization, the risks of anchors.md §B that
 * need a specific setup (and a near-miss beside many of them), and records them as ground truth.
 */
import { daysBefore } from './dates.js';
import {
  allow,
  deny,
  policy,
  trustStatement,
  type AccountBuilder,
  type PolicyDoc,
  type RoleEntity,
  type UserEntity,
} from './estate.js';
import { awsManaged } from './managed-policies.js';
import { firstAccountOf, managementAccount, securityAccount, type OrgPlan } from './org-plan.js';
import { FIRST_NAMES, LAST_NAMES, PERSONA_ACTIONS, usageOfManaged } from './personas.js';
import {
  addBucket,
  addDynamoTable,
  addEc2Instance,
  addEcrRepository,
  addKmsKey,
  addLambdaFunction,
  addOidcProvider,
  addQueue,
  addSamlProvider,
  addSecret,
  addSecurityGroup,
  addStack,
  addTopic,
} from './resources.js';
import {
  adminServiceRole,
  githubProvider,
  internalGroup,
  openSshGroup,
  privilegedInstance,
} from './targets.js';
import { HEX } from './random.js';

/** The scenario ids. */
export type ScenarioId =
  'management' | 'security' | 'prod-main' | 'dev-main' | 'trust-zoo' | 'exposure' | 'sandbox-main';

/** Places each scenario in its account of the plan. */
export function assignScenarios(plan: OrgPlan): void {
  const place = (id: ScenarioId, accountId: string): void => {
    plan.accounts.find((a) => a.id === accountId)?.scenarios.push(id);
  };
  place('management', managementAccount(plan).id);
  place('security', securityAccount(plan).id);
  place('prod-main', firstAccountOf(plan, 'prod').id);
  place('dev-main', firstAccountOf(plan, 'dev').id);
  place('trust-zoo', firstAccountOf(plan, 'dev').id);
  place('exposure', firstAccountOf(plan, 'dev').id);
  place('sandbox-main', firstAccountOf(plan, 'sandbox', 'dev').id);
}

/** What members of the dev account's `developers` group call (Lambda and EC2, which it grants). */
const DEVELOPER_GROUP_ACTIONS = [
  'lambda:ListFunctions',
  'lambda:GetFunction',
  'lambda:UpdateFunctionCode',
  'ec2:DescribeInstances',
  'ec2:DescribeSecurityGroups',
];

/** About `days` days before the generation instant, at a time of day drawn from the seed. */
function ago(b: AccountBuilder, days: number): Date {
  return daysBefore(b.now, days + b.rng.fork(`ago/${days}`).float(0.05, 0.95));
}

function person(b: AccountBuilder, seed: string): string {
  const rng = b.rng.fork(`person/${seed}`);
  return `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}`;
}

function lambdaRole(
  b: AccountBuilder,
  name: string,
  attached: string[],
  extra: { boundary?: string; actions?: string[] } = {},
): RoleEntity {
  const actions =
    extra.actions ??
    (attached.length === 0
      ? ['sts:GetCallerIdentity']
      : ['s3:ListAllMyBuckets', 'ec2:DescribeInstances', 'iam:ListRoles']);
  return b.addRole({
    name,
    trust: policy(trustStatement({ Service: 'lambda.amazonaws.com' })),
    attached: [awsManaged('service-role/AWSLambdaBasicExecutionRole'), ...attached],
    boundary: extra.boundary ?? null,
    session: { kind: 'service', service: 'lambda.amazonaws.com' },
    usage: { actions, resources: [] },
  });
}

function management(b: AccountBuilder): void {
  const breakglass = b.addUser({
    name: 'breakglass-admin',
    attached: [awsManaged('AdministratorAccess')],
    password: 'stale',
    mfa: true,
    created: ago(b, 1300),
    usage: { actions: PERSONA_ACTIONS.admin, resources: [] },
  });
  b.plant('ADM-01', breakglass.arn, 'break-glass user is admin');
  b.plant('UNU-05', breakglass.arn, 'admin user with no activity for months');
  b.plant('CRED-09', breakglass.arn, 'AdministratorAccess attached directly to a user');

  const finance = b.addGroup({
    name: 'finance',
    attached: [awsManaged('job-function/Billing'), awsManaged('AWSBillingReadOnlyAccess')],
  });
  b.addUser({
    name: person(b, 'finance'),
    groups: [finance.name],
    password: 'active',
    mfa: true,
    usage: { actions: PERSONA_ACTIONS.billing, resources: [] },
  });
  const orgAdmins = b.addGroup({
    name: 'org-admins',
    attached: [
      awsManaged('AWSOrganizationsFullAccess'),
      awsManaged('AWSSSOMasterAccountAdministrator'),
    ],
  });
  const lead = b.addUser({
    name: 'cloud-platform-lead',
    groups: [orgAdmins.name],
    password: 'active',
    mfa: false,
    keys: [{ activity: 'active', ageDays: 130 }],
    usage: {
      actions: ['organizations:ListAccounts', 'sso:ListPermissionSets', 'sts:GetCallerIdentity'],
      resources: [],
    },
  });
  b.plant('CRED-03', lead.arn, 'console user without MFA');
  b.plant('CRED-07', lead.arn, 'user with both a password and an access key');

  // Terraform for the organization runs from one GitHub repository and branch (narrow trust).
  const github = githubProvider(b);
  const terraform = b.addRole({
    name: 'terraform-org-admin',
    trust: policy(
      trustStatement({ Federated: github }, 'sts:AssumeRoleWithWebIdentity', {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': `repo:${b.org.githubOrg}/aws-organization:ref:refs/heads/main`,
        },
      }),
    ),
    attached: [awsManaged('AdministratorAccess')],
    session: {
      kind: 'web-identity',
      provider: github,
      subject: `repo:${b.org.githubOrg}/aws-organization:ref:refs/heads/main`,
    },
    usage: {
      actions: ['organizations:ListAccounts', 'iam:GetRole', 'sso:ListPermissionSets'],
      resources: [],
    },
  });
  b.plant(
    'ADM-02',
    terraform.arn,
    'admin role for organization Terraform (trust pinned to one repository)',
  );

  // A second federation: an external IdP whose metadata expired, and a role trusting an IdP that is gone.
  const okta = addSamlProvider(b, {
    name: 'okta',
    validUntil: ago(b, 45),
    entityId: 'http://www.okta.com/exk1example',
  });
  const oktaAdmin = b.addRole({
    name: 'okta-admin',
    trust: policy(
      trustStatement({ Federated: okta }, 'sts:AssumeRoleWithSAML', {
        StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' },
      }),
    ),
    attached: [awsManaged('AdministratorAccess')],
    activity: 'recent',
    session: { kind: 'saml', provider: okta, users: ['it-admin@example.com'] },
    usage: { actions: PERSONA_ACTIONS.admin, resources: [] },
  });
  b.plant('TRU-13', okta, 'SAML provider metadata expired');
  b.plant('ADM-02', oktaAdmin.arn, 'admin role federated from Okta');
  const adfs = b.addRole({
    name: 'legacy-adfs-readonly',
    trust: policy(
      trustStatement(
        { Federated: `arn:aws:iam::${b.id}:saml-provider/adfs-legacy` },
        'sts:AssumeRoleWithSAML',
        {
          StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' },
        },
      ),
    ),
    attached: [awsManaged('ReadOnlyAccess')],
    activity: 'never',
    created: ago(b, 1100),
    session: {
      kind: 'saml',
      provider: `arn:aws:iam::${b.id}:saml-provider/adfs-legacy`,
      users: [],
    },
  });
  b.plant('TRU-13', adfs.arn, 'role trusts a SAML provider that does not exist');
  b.plant('UNU-01', adfs.arn, 'role never used');
}

function security(b: AccountBuilder): void {
  const { scanner, finops, msp } = b.org.vendors;
  const vendorRole = (
    name: string,
    accountId: string,
    condition: Record<string, unknown> | undefined,
    attached: string[],
    activity: 'active' | 'stale' | 'never',
  ): RoleEntity =>
    b.addRole({
      name,
      trust: policy(
        trustStatement({ AWS: `arn:aws:iam::${accountId}:root` }, 'sts:AssumeRole', condition),
      ),
      attached,
      activity,
      session: { kind: 'account', accountId },
      usage: { actions: PERSONA_ACTIONS.vendor, resources: [], deniedRate: 0.05 },
    });
  const cspm = vendorRole(
    `${scanner.name}-integration`,
    scanner.accountId,
    { StringEquals: { 'sts:ExternalId': 'a8f3c2e1-5d7b-4c9a-9e2f-1b6d8c4a7e30' } },
    [awsManaged('SecurityAudit'), awsManaged('job-function/ViewOnlyAccess')],
    'active',
  );
  b.plant(
    'TRU-02',
    cspm.arn,
    'trusted by a vendor account outside the organization (with ExternalId)',
  );
  const cost = vendorRole(
    `${finops.name}-readonly`,
    finops.accountId,
    { StringEquals: { 'sts:ExternalId': 'cloudcost-7731' } },
    [awsManaged('ReadOnlyAccess')],
    'active',
  );
  b.plant('TRU-11', cost.arn, 'ReadOnlyAccess granted to an external account');
  const mspAdmin = vendorRole(
    `${msp.name}-admin`,
    msp.accountId,
    undefined,
    [awsManaged('AdministratorAccess')],
    'stale',
  );
  b.plant('TRU-02', mspAdmin.arn, 'trusted by an external account');
  b.plant('TRU-03', mspAdmin.arn, 'admin role trusted by an external account');
  b.plant('TRU-04', mspAdmin.arn, 'external trust without sts:ExternalId');
  const mspRead = vendorRole(
    `${msp.name}-readonly`,
    msp.accountId,
    { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    [awsManaged('job-function/ViewOnlyAccess')],
    'never',
  );
  b.plant('TRU-02', mspRead.arn, 'trusted by an external account (MFA required, no ExternalId)');

  const incident = b.addRole({
    name: 'incident-response',
    trust: policy(
      trustStatement({ AWS: b.rootArn }, 'sts:AssumeRole', {
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
    ),
    attached: [awsManaged('AdministratorAccess')],
    activity: 'never',
    created: ago(b, 900),
    session: { kind: 'account', accountId: b.id },
  });
  b.plant('UNU-01', incident.arn, 'break-glass role never used');
  b.plant('TRU-12', incident.arn, 'trusts its own account root');

  const bucket = `security-findings-${b.id}`;
  addBucket(b, {
    name: bucket,
    publicAccessBlock: true,
    tags: { 'data-classification': 'sensitive' },
    policy: policy(
      allow('s3:PutObject', `arn:aws:s3:::${bucket}/*`, {
        Sid: 'OrgWrites',
        Principal: { AWS: '*' },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': b.org.orgId } },
      }),
    ),
  });
  addKmsKey(b, {
    alias: 'security-findings',
    policy: keyPolicy(b, [
      {
        Sid: 'OrgDecrypt',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': b.org.orgId } },
      },
    ]),
  });
}

/** A KMS key policy: the account root administers the key, plus `extra` statements. */
export function keyPolicy(b: AccountBuilder, extra: Record<string, unknown>[] = []): PolicyDoc {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: b.rootArn },
        Action: 'kms:*',
        Resource: '*',
      },
      ...extra,
    ],
  };
}

function prodMain(b: AccountBuilder): void {
  // RES-08: a Lambda with an admin role behind an unauthenticated function URL.
  const opsRole = lambdaRole(b, 'ops-automation-lambda', [awsManaged('AdministratorAccess')]);
  const opsFunction = addLambdaFunction(b, {
    name: 'ops-automation',
    role: opsRole,
    url: 'NONE',
    policy: policy({
      Sid: 'FunctionURLAllowPublicAccess',
      Effect: 'Allow',
      Principal: '*',
      Action: 'lambda:InvokeFunctionUrl',
      Resource: `arn:aws:lambda:${b.region}:${b.id}:function:ops-automation`,
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
    }),
  });
  b.plant('ADM-05', opsRole.arn, 'Lambda execution role is admin');
  b.plant(
    'RES-08',
    String(opsFunction.ARN),
    'public function URL (AuthType NONE) on a function with an admin role',
  );
  b.plant('RES-01', String(opsFunction.ARN), 'function URL open to anyone');
  // Near-miss: admin role, but the URL needs IAM auth.
  const maintenance = lambdaRole(b, 'nightly-maintenance-lambda', [
    awsManaged('AdministratorAccess'),
  ]);
  addLambdaFunction(b, { name: 'nightly-maintenance', role: maintenance, url: 'AWS_IAM' });
  b.plant(
    'ADM-05',
    maintenance.arn,
    'Lambda execution role is admin (function URL requires IAM auth)',
  );
  // RES-02: a function invocable by a partner account.
  const webhookRole = lambdaRole(b, 'partner-webhook-lambda', []);
  const webhook = addLambdaFunction(b, {
    name: 'partner-webhook',
    role: webhookRole,
    policy: policy({
      Sid: 'PartnerInvoke',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${b.org.vendors.partner.accountId}:root` },
      Action: 'lambda:InvokeFunction',
      Resource: `arn:aws:lambda:${b.region}:${b.id}:function:partner-webhook`,
    }),
  });
  b.plant('RES-02', String(webhook.ARN), 'function invocable by an external account');

  // ADM-06/07: an internet-facing bastion with an admin instance profile and IMDSv1.
  const bastionRole = b.addRole({
    name: 'bastion-admin-ec2',
    trust: policy(trustStatement({ Service: 'ec2.amazonaws.com' })),
    attached: [awsManaged('AdministratorAccess'), awsManaged('AmazonSSMManagedInstanceCore')],
    instanceProfile: true,
    session: { kind: 'service', service: 'ec2.amazonaws.com' },
    usage: {
      actions: ['ec2:DescribeInstances', 's3:ListAllMyBuckets', 'ssm:UpdateInstanceInformation'],
      resources: [],
    },
  });
  const bastion = addEc2Instance(b, {
    name: 'bastion',
    role: bastionRole,
    publicIp: true,
    securityGroups: [openSshGroup(b)],
    imdsV1: true,
  });
  b.plant('ADM-06', bastionRole.arn, 'instance profile with admin rights on a running instance');
  b.plant(
    'ADM-07',
    String(bastion.ARN),
    'internet-reachable instance (public IP, SSH from 0.0.0.0/0) with an admin role',
  );
  // Near-miss: admin profile on a private instance.
  const jumpbox = privilegedInstance(b);
  b.plant('ADM-06', String(jumpbox.ARN), 'private instance with an admin instance profile');
  // Near-miss: public instance, open security group, harmless role.
  const webRole = b.addRole({
    name: 'public-web-ec2',
    trust: policy(trustStatement({ Service: 'ec2.amazonaws.com' })),
    attached: [
      awsManaged('CloudWatchAgentServerPolicy'),
      awsManaged('AmazonSSMManagedInstanceCore'),
    ],
    instanceProfile: true,
    session: { kind: 'service', service: 'ec2.amazonaws.com' },
    usage: { actions: ['ssm:UpdateInstanceInformation', 'ec2:DescribeTags'], resources: [] },
  });
  const webGroup = addSecurityGroup(b, {
    name: 'web-public',
    region: b.region,
    description: 'HTTPS from the internet',
    ingress: [
      { protocol: 'tcp', from: 443, to: 443, cidr: '0.0.0.0/0' },
      { protocol: 'tcp', from: 80, to: 80, cidr: '0.0.0.0/0' },
      { protocol: 'tcp', from: 443, to: 443, cidr6: '::/0' },
    ],
  });
  addEc2Instance(b, {
    name: 'web-1',
    role: webRole,
    publicIp: true,
    securityGroups: [webGroup, internalGroup(b)],
  });

  // ADM-08: a stack deployed with an admin service role, and one without a role.
  const cfnRole = adminServiceRole(b, 'cloudformation.amazonaws.com');
  const stack = addStack(b, { name: `${b.account.theme}-platform`, role: cfnRole });
  addStack(b, { name: `${b.account.theme}-monitoring`, role: null });
  b.plant('ADM-08', String(stack.ARN), 'stack service role is admin');

  // TRU-01 near-miss: assumable by anyone, but the organization's RCP only admits org principals.
  const anyone = b.addRole({
    name: 'legacy-cross-account-reader',
    trust: policy(trustStatement({ AWS: '*' })),
    attached: [awsManaged('AmazonS3ReadOnlyAccess')],
    activity: 'stale',
    session: { kind: 'account', accountId: b.org.vendors.partner.accountId },
  });
  b.plant(
    'TRU-01',
    anyone.arn,
    'trust allows any AWS principal (an RCP on the Prod OU admits only org principals)',
  );
  // RES-01 near-miss: a public bucket policy in an account whose RCP denies non-org principals.
  const assets = `${b.account.name}-public-assets-${b.id}`;
  addBucket(b, {
    name: assets,
    publicAccessBlock: false,
    policy: policy(
      allow('s3:GetObject', `arn:aws:s3:::${assets}/*`, { Sid: 'PublicRead', Principal: '*' }),
    ),
  });
  b.plant(
    'RES-01',
    `arn:aws:s3:::${assets}`,
    'bucket policy grants public read (an RCP on the Prod OU denies it)',
  );
}

function devMain(b: AccountBuilder): void {
  const lastName = (seed: string): string => b.rng.fork(seed).pick(LAST_NAMES);
  // ADM-03: an admins group with members, one of them inactive (UNU-05).
  const admins = b.addGroup({
    name: 'platform-admins',
    attached: [awsManaged('AdministratorAccess')],
  });
  b.plant('ADM-03', admins.arn, 'group grants AdministratorAccess to its members');
  b.addUser({
    name: `dev-lead-${lastName('lead')}`,
    groups: [admins.name],
    password: 'active',
    mfa: true,
    usage: { actions: PERSONA_ACTIONS.admin, resources: [] },
  });
  const inactiveAdmin = b.addUser({
    name: `ops-${lastName('inactive')}`,
    groups: [admins.name],
    password: 'stale',
    mfa: true,
    keys: [{ activity: 'stale', ageDays: 700 }],
    created: ago(b, 900),
    usage: { actions: PERSONA_ACTIONS.admin, resources: [] },
  });
  b.plant('UNU-05', inactiveAdmin.arn, 'admin (via group) with no activity for months');
  b.plant('UNU-02', inactiveAdmin.arn, 'access key unused for months');
  b.plant('UNU-03', inactiveAdmin.arn, 'console password unused for months');

  // ADM-01/09, CRED-01/02/03/07/09: the legacy admin with old keys and no MFA.
  const legacy = b.addUser({
    name: `legacy-admin-${lastName('legacy')}`,
    attached: [awsManaged('AdministratorAccess')],
    password: 'active',
    mfa: false,
    keys: [
      { activity: 'active', ageDays: 420 },
      { activity: 'never', ageDays: 200 },
    ],
    created: ago(b, 1200),
    usage: { actions: PERSONA_ACTIONS.admin, resources: [] },
  });
  for (const id of [
    'ADM-01',
    'ADM-09',
    'CRED-01',
    'CRED-02',
    'CRED-03',
    'CRED-07',
    'CRED-09',
    'UNU-02',
  ])
    b.plant(
      id,
      legacy.arn,
      'legacy admin user: AdministratorAccess, no MFA, two active keys (one 420 days old, one never used)',
    );

  // UNU-07 + POL-01: an old CI user whose key was last used weeks ago.
  const ciPolicy = b.addPolicy({
    name: 'ci-legacy-deploy',
    versions: [
      policy(allow(['s3:*', 'cloudformation:*'], '*')),
      policy(
        allow(['s3:*', 'cloudformation:*'], '*'),
        allow('iam:PassRole', '*', { Sid: 'PassAnyRole' }),
      ),
    ],
  });
  const ci = b.addUser({
    name: 'ci-legacy',
    attached: [ciPolicy.arn],
    keys: [{ activity: 'recent', ageDays: 640 }],
    created: ago(b, 700),
    usage: {
      actions: ['s3:PutObject', 'cloudformation:CreateChangeSet', 'cloudformation:DescribeStacks'],
      resources: [],
    },
  });
  b.plant('UNU-07', ci.arn, 'access key older than a year, unused for more than 30 days');
  b.plant('POL-01', ciPolicy.arn, 'iam:PassRole on *');
  b.plant('CRED-08', ci.arn, 'long-lived key used for non-IAM APIs');

  // UNU-06: a new hire's setup key, never used.
  const newHire = b.addUser({
    name: `new-hire-${lastName('newhire')}`,
    password: 'never',
    mfa: false,
    keys: [{ activity: 'never', ageDays: 120 }],
    created: ago(b, 121),
  });
  b.plant('UNU-06', newHire.arn, 'access key never used since creation (initial setup key)');
  b.plant('UNU-03', newHire.arn, 'console password never used');

  // ADM-04 and UNU-08: full-admin customer policies, one attached, one not.
  const fullAccess = b.addPolicy({
    name: 'legacy-full-access',
    versions: [policy(allow('*', '*'))],
  });
  const legacyApp = lambdaRole(b, 'legacy-app-lambda', [fullAccess.arn]);
  addLambdaFunction(b, { name: 'legacy-app', role: legacyApp });
  b.plant('ADM-04', fullAccess.arn, 'customer policy allows *:* and is attached');
  b.plant('ADM-05', legacyApp.arn, 'Lambda execution role is admin through a customer policy');
  b.plant('UNU-04', legacyApp.arn, 'granted every action, uses three');
  const orphan = b.addPolicy({
    name: 'old-admin-policy',
    description: 'unused since the migration to Identity Center',
    versions: [policy(allow('*', '*', { Sid: 'Everything' }))],
  });
  b.plant('UNU-08', orphan.arn, 'unattached customer policy that grants admin');
  b.plant('ADM-04', orphan.arn, 'customer policy allows *:* (unattached)');

  // POL-02: Allow with NotAction, attached through a group; near-miss: Deny with NotAction (MFA).
  const notAction = b.addPolicy({
    name: 'platform-poweruser',
    versions: [
      policy({
        Effect: 'Allow',
        NotAction: ['iam:*', 'organizations:*', 'account:*'],
        Resource: '*',
      }),
    ],
  });
  const requireMfa = b.addPolicy({
    name: 'require-mfa',
    versions: [
      policy(
        allow(
          ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices'],
          'arn:aws:iam::*:user/${aws:username}',
          {
            Sid: 'ManageOwnMfa',
          },
        ),
        {
          Sid: 'DenyWithoutMfa',
          Effect: 'Deny',
          NotAction: [
            'iam:CreateVirtualMFADevice',
            'iam:EnableMFADevice',
            'iam:ListMFADevices',
            'sts:GetSessionToken',
          ],
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ),
    ],
  });
  const corpNetwork = b.addPolicy({
    name: 'corp-network-only',
    versions: [
      policy(
        deny('*', '*', {
          Sid: 'DenyOutsideCorporateNetwork',
          Condition: {
            NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.0/24'] },
            Bool: { 'aws:ViaAWSService': 'false' },
          },
        }),
      ),
    ],
  });
  const platform = b.addGroup({
    name: 'platform-engineers',
    attached: [notAction.arn, requireMfa.arn, corpNetwork.arn],
  });
  b.plant('POL-02', notAction.arn, 'Allow with NotAction');
  for (let i = 0; i < 3; i++) {
    b.addUser({
      name: person(b, `platform-${i}`),
      groups: [platform.name],
      password: 'active',
      mfa: i !== 2,
      keys: i === 0 ? [{ activity: 'active' }] : [],
      usage: { actions: PERSONA_ACTIONS.developer, resources: [] },
    });
  }

  // ADM-10: service-wide wildcards on critical services.
  for (const [name, action, calls] of [
    ['identity-automation', 'iam:*', ['iam:ListRoles', 'iam:GetRole']],
    ['crypto-operations', 'kms:*', ['kms:ListKeys', 'kms:Decrypt']],
    [
      'secrets-operator',
      'secretsmanager:*',
      ['secretsmanager:ListSecrets', 'secretsmanager:GetSecretValue'],
    ],
  ] as const) {
    const wildcard = b.addPolicy({
      name: `${name}-policy`,
      versions: [policy(allow(action, '*'))],
    });
    const role = lambdaRole(b, name, [wildcard.arn], { actions: [...calls] });
    b.plant('ADM-10', wildcard.arn, `${action} on *`);
    if (action === 'iam:*') b.plant('ADM-11', role.arn, 'iam:* makes the role a shadow admin');
  }

  // POL-07: marketplace subscriptions and CloudShell.
  const marketplace = b.addPolicy({
    name: 'marketplace-buyers',
    versions: [
      policy(allow(['aws-marketplace:Subscribe', 'aws-marketplace:ViewSubscriptions'], '*')),
    ],
  });
  const procurement = b.addGroup({
    name: 'procurement',
    attached: [marketplace.arn, awsManaged('AWSCloudShellFullAccess')],
  });
  b.addUser({
    name: person(b, 'procurement'),
    groups: [procurement.name],
    password: 'active',
    mfa: true,
  });
  b.plant('POL-07', marketplace.arn, 'aws-marketplace:Subscribe on *');
  b.plant('POL-07', procurement.arn, 'AWSCloudShellFullAccess attached');

  // POL-04 and POL-05: condition misuse and invalid actions.
  const regions = b.addPolicy({
    name: 'region-restricted-developers',
    versions: [
      policy(
        allow(['ec2:*', 'lambda:*'], '*', {
          Condition: {
            'ForAllValues:StringEquals': { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] },
          },
        }),
      ),
    ],
  });
  const misc = b.addPolicy({
    name: 'legacy-misc',
    versions: [
      policy(allow(['s3:GetObjects', 'ec2:DescribeInstance', 'cloudwatchlogs:PutLogEvents'], '*')),
    ],
  });
  const developers = b.addGroup({
    name: 'developers',
    attached: [regions.arn, misc.arn, requireMfa.arn],
  });
  b.plant('POL-04', regions.arn, 'ForAllValues with the single-valued aws:RequestedRegion');
  b.plant(
    'POL-05',
    misc.arn,
    'unknown actions (s3:GetObjects, ec2:DescribeInstance, cloudwatchlogs:PutLogEvents)',
  );
  for (let i = 0; i < 3; i++) {
    b.addUser({
      name: person(b, `developer-${i}`),
      groups: [developers.name],
      password: 'active',
      mfa: true,
      usage: {
        actions: DEVELOPER_GROUP_ACTIONS,
        resources: [],
        deniedRate: 0.08,
        deniedActions: ['iam:CreateRole', 's3:GetObject', 'dynamodb:Scan'],
      },
    });
  }

  // RES-03/04/05/06: resource exposure, data exfiltration, credential exposure, infrastructure writes.
  const exposure = b.addPolicy({
    name: 'sharing-admin',
    versions: [
      policy(
        allow(
          [
            's3:PutBucketPolicy',
            'kms:PutKeyPolicy',
            'lambda:AddPermission',
            'ram:CreateResourceShare',
          ],
          '*',
        ),
      ),
    ],
  });
  const reader = b.addPolicy({
    name: 'data-reader-all',
    versions: [
      policy(
        allow(
          [
            's3:GetObject',
            'ssm:GetParameter',
            'ssm:GetParameters',
            'ssm:GetParametersByPath',
            'secretsmanager:GetSecretValue',
          ],
          '*',
        ),
      ),
    ],
  });
  const creds = b.addPolicy({
    name: 'credentials-helper',
    versions: [
      policy(
        allow(['ecr:GetAuthorizationToken', 'iam:UpdateAccessKey', 'sts:GetFederationToken'], '*'),
      ),
    ],
  });
  const infra = b.addPolicy({
    name: 'network-builder',
    versions: [
      policy(
        allow(
          [
            'ec2:CreateVpc',
            'ec2:DeleteVpc',
            'ec2:CreateSubnet',
            'ec2:ModifyVpcAttribute',
            'ec2:CreateRoute',
          ],
          '*',
        ),
      ),
    ],
  });
  const analytics = lambdaRole(
    b,
    'analytics-export',
    [exposure.arn, reader.arn, creds.arn, infra.arn],
    {
      actions: ['s3:GetObject', 'ssm:GetParameter', 'ecr:GetAuthorizationToken'],
    },
  );
  b.plant('RES-03', exposure.arn, 'resource-policy changes allowed on *');
  b.plant('RES-04', reader.arn, 'data-exfiltration reads on *');
  b.plant('RES-05', creds.arn, 'credential-exposure actions on *');
  b.plant('RES-06', infra.arn, 'infrastructure writes on *');
  b.plant('ADM-05', analytics.arn, 'Lambda execution role with broad data and sharing permissions');

  // Multiple versions with a non-default one in the middle.
  const deploy = b.addPolicy({
    name: 'app-deploy',
    versions: [
      policy(allow(['lambda:UpdateFunctionCode'], '*')),
      policy(allow(['lambda:UpdateFunctionCode', 'lambda:GetFunction'], '*')),
      policy(
        allow(
          ['lambda:UpdateFunctionCode', 'lambda:GetFunction'],
          `arn:aws:lambda:*:${b.id}:function:${b.account.theme}-*`,
        ),
      ),
      policy(allow(['lambda:*'], '*'), allow('iam:PassRole', '*')),
    ],
    defaultVersion: 3,
  });
  // PassRole scoped the way AWS recommends, and a data perimeter on the caller's side.
  const passToLambda = b.addPolicy({
    name: 'pass-lambda-roles',
    versions: [
      policy(
        allow('iam:PassRole', `arn:aws:iam::${b.id}:role/*-lambda`, {
          Sid: 'PassLambdaRolesToLambda',
          Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
        }),
      ),
    ],
  });
  const perimeter = b.addPolicy({
    name: 'data-perimeter',
    versions: [
      policy(
        deny(['s3:GetObject', 's3:PutObject'], '*', {
          Sid: 'OnlyOrganizationBuckets',
          Condition: { StringNotEquals: { 'aws:ResourceOrgID': b.org.orgId } },
        }),
        deny('sts:AssumeRole', '*', {
          Sid: 'OnlyOrganizationRoles',
          Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': b.org.orgId } },
        }),
      ),
    ],
  });
  b.addGroup({ name: 'release-managers', attached: [deploy.arn, passToLambda.arn, perimeter.arn] });

  // UNU-09: an empty group.
  const empty = b.addGroup({
    name: 'legacy-contractors',
    attached: [awsManaged('PowerUserAccess')],
  });
  b.plant('UNU-09', empty.arn, 'group has no members');

  // PE-05: two roles that can assume each other.
  const teamA = b.reserve('role', 'team-a-ops');
  const teamB = b.reserve('role', 'team-b-ops');
  for (const [self, other] of [
    [teamA, teamB],
    [teamB, teamA],
  ] as const) {
    b.addRole({
      ...self,
      trust: policy(trustStatement({ AWS: other.arn })),
      inline: [{ name: 'assume-peer', document: policy(allow('sts:AssumeRole', other.arn)) }],
      attached: [awsManaged('AmazonEC2ReadOnlyAccess')],
      session: { kind: 'principal', arn: other.arn },
      usage: { actions: ['ec2:DescribeInstances', 'sts:AssumeRole'], resources: [] },
    });
    b.plant('PE-05', self.arn, 'roles that can assume each other');
  }

  // sts-001 chain: a support user, two tiers of roles, then an admin role.
  const tier1 = b.reserve('role', 'support-tier1');
  const tier2 = b.reserve('role', 'support-tier2');
  const top = b.reserve('role', 'support-escalation-admin');
  const supportUser = b.addUser({
    name: `support-${lastName('support')}`,
    inline: [{ name: 'assume-tier1', document: policy(allow('sts:AssumeRole', tier1.arn)) }],
    password: 'active',
    mfa: true,
    usage: { actions: ['sts:AssumeRole'], resources: [] },
  });
  const chain: [typeof tier1, string, string | null][] = [
    [tier1, supportUser.arn, tier2.arn],
    [tier2, tier1.arn, top.arn],
    [top, tier2.arn, null],
  ];
  for (const [self, trusted, next] of chain) {
    b.addRole({
      ...self,
      trust: policy(trustStatement({ AWS: trusted })),
      attached: next
        ? [awsManaged('job-function/SupportUser')]
        : [awsManaged('AdministratorAccess')],
      inline: next
        ? [{ name: 'assume-next', document: policy(allow('sts:AssumeRole', next)) }]
        : [],
      session: { kind: 'principal', arn: trusted },
      usage: {
        actions: next ? ['support:DescribeCases', 'sts:AssumeRole'] : PERSONA_ACTIONS.admin,
        resources: [],
      },
    });
  }
  b.plant('POL-06', supportUser.arn, 'inline policy on a user');
  b.plant(
    'sts-001',
    supportUser.arn,
    'can reach an admin role through a chain of three role assumptions',
  );
  b.plant('PE-01', supportUser.arn, 'escalates to admin through role chaining');

  // TRU-10: sts:AssumeRole on * with no condition.
  const jump = b.addPolicy({
    name: 'jump-anywhere',
    versions: [policy(allow('sts:AssumeRole', '*'))],
  });
  const jumpRole = lambdaRole(b, 'cross-account-jump', [jump.arn], { actions: ['sts:AssumeRole'] });
  b.plant('TRU-10', jump.arn, 'sts:AssumeRole on *');
  b.plant('TRU-10', jumpRole.arn, 'role may assume any role that trusts its account');

  plantActivity(b, { legacy, ci, developerGroup: developers.name });
}

function plantActivity(
  b: AccountBuilder,
  actors: { legacy: UserEntity; ci: UserEntity; developerGroup: string },
): void {
  const rng = b.rng.fork('planted-activity');
  const at = (daysAgo: number): Date =>
    daysBefore(b.now, Math.min(daysAgo, b.org.windowDays * 0.9));
  // ACT-04: a backdoor admin user created by the legacy admin.
  const base = rng.float(2, 10);
  const backdoor = `backup-svc-${rng.chars(HEX, 4)}`;
  const events: [number, string, Record<string, unknown>][] = [
    [base, 'iam:CreateUser', { userName: backdoor }],
    [
      base - 0.001,
      'iam:AttachUserPolicy',
      { userName: backdoor, policyArn: awsManaged('AdministratorAccess') },
    ],
    [base - 0.002, 'iam:CreateLoginProfile', { userName: backdoor, passwordResetRequired: false }],
    [base - 0.003, 'iam:CreateAccessKey', { userName: backdoor }],
  ];
  for (const [daysAgo, action, params] of events)
    b.plantedEvents.push({
      time: at(daysAgo),
      actor: { kind: 'user', user: actors.legacy, console: true },
      action,
      region: 'us-east-1',
      requestParameters: params,
    });
  b.plant(
    'ACT-04',
    actors.legacy.arn,
    `created admin user ${backdoor} with a login profile and an access key`,
  );
  b.plantedEvents.push({
    time: at(base - 0.01),
    actor: { kind: 'user', user: actors.legacy, console: true },
    action: 'iam:UpdateAssumeRolePolicy',
    region: 'us-east-1',
    requestParameters: {
      roleName: 'support-tier1',
      policyDocument: JSON.stringify(
        policy(trustStatement({ AWS: `arn:aws:iam::${b.org.vendors.msp.accountId}:root` })),
      ),
    },
  });
  // ACT-04: a federation token from a long-lived key.
  b.plantedEvents.push({
    time: at(rng.float(1, 12)),
    actor: { kind: 'user', user: actors.ci },
    action: 'sts:GetFederationToken',
    region: b.region,
    requestParameters: { name: 'ci', durationSeconds: 129600 },
  });
  b.plant('ACT-04', actors.ci.arn, 'GetFederationToken from a long-lived key');

  // ACT-02: role enumeration then a spree of failed assumptions.
  const intern = b.addUser({
    name: `intern-${rng.pick(FIRST_NAMES)}`,
    groups: [actors.developerGroup],
    password: 'active',
    mfa: true,
    keys: [{ activity: 'active', ageDays: 20 }],
    created: ago(b, 25),
    usage: { actions: DEVELOPER_GROUP_ACTIONS, resources: [] },
  });
  const start = rng.float(1, 8);
  b.plantedEvents.push({
    time: at(start),
    actor: { kind: 'user', user: intern },
    action: 'iam:ListRoles',
    region: 'us-east-1',
    requestParameters: null,
  });
  const targets = [
    'OrganizationAccountAccessRole',
    'support-escalation-admin',
    'team-a-ops',
    'cross-account-jump',
    'legacy-app-lambda',
    'identity-automation',
    'analytics-export',
  ];
  targets.forEach((role, i) =>
    b.plantedEvents.push({
      time: at(start - (i + 1) * 0.0005),
      actor: { kind: 'user', user: intern },
      action: 'sts:AssumeRole',
      region: b.region,
      requestParameters: { roleArn: `arn:aws:iam::${b.id}:role/${role}`, roleSessionName: 'test' },
      errorCode: 'AccessDenied',
    }),
  );
  b.plant('ACT-02', intern.arn, 'listed roles, then failed to assume seven of them');

  // ACT-03: Lambda code and resource policy changed by an IAM user.
  const developer = b.users.find(
    (u) => u.groups.includes(actors.developerGroup) && u.name !== intern.name,
  );
  if (developer) {
    const when = rng.float(1, 10);
    b.plantedEvents.push({
      time: at(when),
      actor: { kind: 'user', user: developer, console: true },
      action: 'lambda:UpdateFunctionCode',
      region: b.region,
      requestParameters: { functionName: 'legacy-app', publish: true },
    });
    b.plantedEvents.push({
      time: at(when - 0.002),
      actor: { kind: 'user', user: developer, console: true },
      action: 'lambda:AddPermission',
      region: b.region,
      requestParameters: {
        functionName: 'legacy-app',
        statementId: 'public',
        action: 'lambda:InvokeFunction',
        principal: '*',
      },
    });
    b.plant('ACT-03', developer.arn, 'IAM user changed Lambda code and resource policy');
  }

  // ACT-01: an escalation API used by a principal that holds an escalation permission.
  const selfService = b.reserve('user', `dev-${rng.pick(FIRST_NAMES)}-selfservice`);
  const policyName = b.reserve('policy', `${selfService.name}-policy`);
  const managed = b.addPolicy({
    ...policyName,
    versions: [
      policy(
        allow(['iam:CreatePolicyVersion', 'iam:ListPolicyVersions'], policyName.arn),
        allow('s3:ListAllMyBuckets', '*'),
      ),
    ],
  });
  const actor = b.addUser({
    ...selfService,
    attached: [managed.arn],
    keys: [{ activity: 'active' }],
    usage: { actions: ['s3:ListAllMyBuckets', 'iam:ListPolicyVersions'], resources: [] },
  });
  b.plantedEvents.push({
    time: at(rng.float(1, 6)),
    actor: { kind: 'user', user: actor },
    action: 'iam:CreatePolicyVersion',
    region: 'us-east-1',
    requestParameters: {
      policyArn: managed.arn,
      policyDocument: JSON.stringify(policy(allow('*', '*'))),
      setAsDefault: true,
    },
  });
  b.plant('iam-001', actor.arn, 'can create a new default version of its own policy');
  b.plant('ACT-01', actor.arn, 'called CreatePolicyVersion with setAsDefault on its own policy');
}

function trustZoo(b: AccountBuilder): void {
  const role = (
    name: string,
    trust: PolicyDoc,
    plant: [string, string][],
    attached = [awsManaged('AmazonS3ReadOnlyAccess')],
    activity: 'active' | 'never' | 'stale' = 'active',
  ): RoleEntity => {
    const statement = trust.Statement[0] ?? {};
    const principal = (statement.Principal ?? {}) as Record<string, unknown>;
    const federated = typeof principal.Federated === 'string' ? principal.Federated : null;
    const created = b.addRole({
      name,
      trust,
      attached,
      activity,
      session: federated
        ? {
            kind: 'web-identity',
            provider: federated,
            subject: 'system:serviceaccount:default:app',
          }
        : { kind: 'account', accountId: b.id },
      usage: usageOfManaged(attached),
    });
    for (const [id, note] of plant) b.plant(id, created.arn, note);
    return created;
  };
  role('public-assume-any', policy(trustStatement({ AWS: '*' })), [
    ['TRU-01', 'any AWS principal may assume the role'],
  ]);
  role(
    'org-wide-reader',
    policy(
      trustStatement({ AWS: '*' }, 'sts:AssumeRole', {
        StringEquals: { 'aws:PrincipalOrgID': b.org.orgId },
      }),
    ),
    [['TRU-01', 'Principal AWS:* restricted by aws:PrincipalOrgID (near-miss)']],
  );
  role(
    'partner-star-external-id',
    policy(
      trustStatement('*', 'sts:AssumeRole', { StringEquals: { 'sts:ExternalId': 'partner-2931' } }),
    ),
    [['TRU-01', 'Principal * with only an ExternalId condition']],
  );

  const github = githubProvider(b);
  const gh = (
    name: string,
    condition: Record<string, unknown>,
    plant: [string, string][],
    attached: string[],
  ) => {
    const subject = `repo:${b.org.githubOrg}/${b.account.theme}-service:ref:refs/heads/main`;
    const created = b.addRole({
      name,
      trust: policy(
        trustStatement({ Federated: github }, 'sts:AssumeRoleWithWebIdentity', condition),
      ),
      attached,
      session: { kind: 'web-identity', provider: github, subject },
      usage: usageOfManaged(attached),
    });
    for (const [id, note] of plant) b.plant(id, created.arn, note);
  };
  gh(
    `github-deploy-${b.account.theme}`,
    {
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': `repo:${b.org.githubOrg}/${b.account.theme}-service:ref:refs/heads/main`,
      },
    },
    [],
    [awsManaged('AWSCloudFormationFullAccess')],
  );
  gh(
    'github-actions-any-repo',
    { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
    [['TRU-06', 'GitHub OIDC trust checks only the audience: any repository can assume it']],
    [awsManaged('PowerUserAccess')],
  );
  gh(
    'github-actions-wildcard',
    {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' },
    },
    [['TRU-06', 'GitHub OIDC sub condition is repo:* (any repository)']],
    [awsManaged('AmazonS3FullAccess')],
  );
  gh(
    'github-actions-org',
    {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': `repo:${b.org.githubOrg}/*` },
    },
    [],
    [awsManaged('AmazonEC2ContainerRegistryPowerUser')],
  );

  const gitlab = addOidcProvider(b, { url: 'gitlab.com', clientIds: ['https://gitlab.com'] });
  role(
    'gitlab-deployer',
    policy(
      trustStatement({ Federated: gitlab }, 'sts:AssumeRoleWithWebIdentity', {
        StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' },
      }),
    ),
    [['TRU-07', 'GitLab OIDC trust without a sub condition']],
    [awsManaged('AWSLambda_FullAccess')],
  );
  role(
    'cognito-unauthenticated',
    policy(
      trustStatement(
        { Federated: 'cognito-identity.amazonaws.com' },
        'sts:AssumeRoleWithWebIdentity',
      ),
    ),
    [['TRU-08', 'Cognito identity pool trust without aud/amr conditions']],
    [awsManaged('AmazonDynamoDBReadOnlyAccess')],
  );
  role(
    'cognito-authenticated',
    policy(
      trustStatement(
        { Federated: 'cognito-identity.amazonaws.com' },
        'sts:AssumeRoleWithWebIdentity',
        {
          StringEquals: {
            'cognito-identity.amazonaws.com:aud': `${b.region}:6f1d2c3b-0a4e-4b5c-8d7e-9f0a1b2c3d4e`,
          },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      ),
    ),
    [],
  );
  const eksIssuer = `oidc.eks.${b.region}.amazonaws.com/id/${b.rng.fork('eks').chars('0123456789ABCDEF', 32)}`;
  const eks = addOidcProvider(b, { url: eksIssuer, clientIds: ['sts.amazonaws.com'] });
  role(
    'eks-external-dns',
    policy(
      trustStatement({ Federated: eks }, 'sts:AssumeRoleWithWebIdentity', {
        StringEquals: {
          [`${eksIssuer}:sub`]: 'system:serviceaccount:kube-system:external-dns',
          [`${eksIssuer}:aud`]: 'sts.amazonaws.com',
        },
      }),
    ),
    [],
  );
  role(
    'eks-any-service-account',
    policy(
      trustStatement({ Federated: eks }, 'sts:AssumeRoleWithWebIdentity', {
        StringEquals: { [`${eksIssuer}:aud`]: 'sts.amazonaws.com' },
      }),
    ),
    [['TRU-08', 'EKS IRSA trust without a sub condition: any service account']],
    [awsManaged('AmazonS3FullAccess')],
  );
  const events = b.addRole({
    name: 'eventbridge-invoke-targets',
    trust: policy(
      trustStatement({ Service: 'events.amazonaws.com' }, 'sts:AssumeRole', {
        StringEquals: { 'aws:SourceAccount': b.id },
      }),
    ),
    inline: [
      {
        name: 'invoke',
        document: policy(allow('lambda:InvokeFunction', `arn:aws:lambda:*:${b.id}:function:*`)),
      },
    ],
    session: { kind: 'service', service: 'events.amazonaws.com' },
    usage: { actions: ['lambda:InvokeFunction'], resources: [] },
  });
  b.plant('TRU-09', events.arn, 'service trust with aws:SourceAccount (near-miss)');

  const prod = firstAccountOf(b.org, 'prod');
  role(
    'prod-data-sync',
    policy(trustStatement({ AWS: `arn:aws:iam::${prod.id}:root` })),
    [['TRU-05', 'trust crosses from the Prod OU into the Dev OU']],
    [awsManaged('AmazonDynamoDBFullAccess')],
  );
  role(
    'orphaned-trust',
    policy(
      trustStatement({
        AWS: `AROA${b.rng.fork('orphan').chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 17)}`,
      }),
    ),
    [['TRU-02', 'trust names the unique id of a deleted role']],
    [awsManaged('AmazonS3ReadOnlyAccess')],
    'never',
  );
  role(
    'developer-access',
    policy(
      trustStatement({ AWS: b.rootArn }, 'sts:AssumeRole', {
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
    ),
    [['TRU-12', 'trusts its own account root']],
    [awsManaged('PowerUserAccess')],
  );
}

function exposure(b: AccountBuilder): void {
  const partner = b.org.vendors.partner.accountId;
  const prefix = `${b.account.name}-${b.id}`;
  const bucket = (
    suffix: string,
    doc: PolicyDoc | null,
    block: boolean | null,
    plant: [string, string][],
    tags?: Record<string, string>,
  ) => {
    const name = `${prefix}-${suffix}`;
    addBucket(b, { name, policy: doc, publicAccessBlock: block, tags });
    for (const [id, note] of plant) b.plant(id, `arn:aws:s3:::${name}`, note);
    return `arn:aws:s3:::${name}`;
  };
  const n = (suffix: string): string => `arn:aws:s3:::${prefix}-${suffix}`;
  bucket(
    'public-downloads',
    policy(
      allow('s3:GetObject', `${n('public-downloads')}/*`, { Sid: 'PublicRead', Principal: '*' }),
    ),
    false,
    [['RES-01', 'bucket policy grants public read and Block Public Access is off']],
  );
  bucket(
    'website',
    policy(
      allow('s3:GetObject', `${n('website')}/*`, { Sid: 'PublicRead', Principal: { AWS: '*' } }),
    ),
    true,
    [['RES-01', 'public bucket policy blocked by Block Public Access (near-miss)']],
  );
  bucket(
    'partner-exchange',
    policy(
      allow(
        ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
        [n('partner-exchange'), `${n('partner-exchange')}/*`],
        { Principal: { AWS: `arn:aws:iam::${partner}:root` } },
      ),
    ),
    true,
    [['RES-02', 'bucket shared with an external account']],
    { 'data-classification': 'sensitive' },
  );
  bucket(
    'org-artifacts',
    policy(
      allow('s3:GetObject', `${n('org-artifacts')}/*`, {
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': b.org.orgId } },
      }),
    ),
    true,
    [],
  );
  bucket(
    'audit-logs',
    policy({
      Sid: 'DenyEveryoneElse',
      Effect: 'Allow',
      NotPrincipal: { AWS: `arn:aws:iam::${b.id}:role/security-audit` },
      Action: 's3:GetObject',
      Resource: `${n('audit-logs')}/*`,
    }),
    null,
    [['POL-03', 'Allow with NotPrincipal']],
    { 'data-classification': 'sensitive' },
  );
  addDynamoTable(b, {
    name: `${b.account.theme}-customers`,
    tags: { 'data-classification': 'sensitive' },
  });
  b.plant(
    'RES-07',
    `arn:aws:dynamodb:${b.region}:${b.id}:table/${b.account.theme}-customers`,
    'table tagged sensitive',
  );

  const queue = addQueue(b, {
    name: `${b.account.theme}-public-intake`,
    policy: policy(
      allow('sqs:SendMessage', `arn:aws:sqs:${b.region}:${b.id}:${b.account.theme}-public-intake`, {
        Principal: '*',
      }),
    ),
  });
  b.plant('RES-01', String(queue.ARN), 'queue accepts messages from anyone');
  addTopic(b, {
    name: `${b.account.theme}-alerts`,
    policy: policy(
      allow('sns:Publish', `arn:aws:sns:${b.region}:${b.id}:${b.account.theme}-alerts`, {
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': b.id } },
      }),
    ),
  });
  const topic = addTopic(b, {
    name: `${b.account.theme}-public-events`,
    policy: policy(
      allow(
        ['sns:Subscribe', 'sns:Publish'],
        `arn:aws:sns:${b.region}:${b.id}:${b.account.theme}-public-events`,
        { Principal: { AWS: '*' } },
      ),
    ),
  });
  b.plant('RES-01', String(topic.ARN), 'topic open to anyone');

  const publicKey = addKmsKey(b, {
    alias: `${b.account.theme}-shared`,
    policy: keyPolicy(b, [
      {
        Sid: 'AnyoneDecrypt',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:Decrypt',
        Resource: '*',
      },
    ]),
  });
  b.plant('RES-01', String(publicKey.ARN), 'key policy lets anyone decrypt');
  addKmsKey(b, {
    alias: `${b.account.theme}-app`,
    policy: keyPolicy(b, [
      {
        Sid: 'AccountUse',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': b.id } },
      },
    ]),
  });
  const partnerKey = addKmsKey(b, {
    alias: `${b.account.theme}-partner`,
    policy: keyPolicy(b, [
      {
        Sid: 'PartnerDecrypt',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${partner}:root` },
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
      },
    ]),
  });
  b.plant('RES-02', String(partnerKey.ARN), 'key usable by an external account');

  const secret = addSecret(b, {
    name: `${b.account.theme}/partner-api-key`,
    tags: { 'data-classification': 'sensitive' },
    policy: policy(
      allow('secretsmanager:GetSecretValue', '*', {
        Principal: { AWS: `arn:aws:iam::${partner}:root` },
      }),
    ),
  });
  b.plant('RES-02', String(secret.ARN), 'secret readable by an external account');
  const repo = addEcrRepository(b, {
    name: `${b.account.theme}/base-images`,
    policy: policy(
      allow(
        ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        '*',
        {
          Sid: 'PublicPull',
          Principal: '*',
        },
      ),
    ),
  });
  b.plant('RES-01', String(repo.ARN), 'repository images pullable by anyone');

  // Near-miss: a Lambda resource policy for a service with a source condition.
  const thumbs = lambdaRole(b, `${b.account.theme}-thumbnails-lambda`, []);
  addLambdaFunction(b, {
    name: `${b.account.theme}-thumbnails`,
    role: thumbs,
    policy: policy(
      allow(
        'lambda:InvokeFunction',
        `arn:aws:lambda:${b.region}:${b.id}:function:${b.account.theme}-thumbnails`,
        {
          Principal: { Service: 's3.amazonaws.com' },
          Condition: {
            ArnLike: { 'AWS:SourceArn': n('public-downloads') },
            StringEquals: { 'AWS:SourceAccount': b.id },
          },
        },
      ),
    ),
  });
}

function sandboxMain(b: AccountBuilder): void {
  // CRED-04/05/06: root with an active access key, no MFA, used recently.
  const rng = b.rng.fork('root');
  b.root.mfa = false;
  b.root.passwordLastUsed = daysBefore(b.now, rng.float(0.5, Math.min(3, b.org.windowDays * 0.5)));
  b.root.keys.push({
    id: b.iamId('AKIA', rng),
    active: true,
    created: ago(b, 810),
    lastUsed: daysBefore(b.now, rng.float(1, Math.min(6, b.org.windowDays * 0.8))),
    region: b.region,
    service: 's3',
  });
  b.plant('CRED-04', b.rootArn, 'root user has an active access key');
  b.plant('CRED-05', b.rootArn, 'root user without MFA');
  b.plant('CRED-06', b.rootArn, 'root user signed in recently');
  const loginAt = b.root.passwordLastUsed;
  b.plantedEvents.push({
    time: loginAt,
    actor: { kind: 'root' },
    action: 'signin:ConsoleLogin',
    region: 'us-east-1',
  });
  b.plantedEvents.push({
    time: new Date(loginAt.getTime() + 40_000),
    actor: { kind: 'root' },
    action: 's3:ListAllMyBuckets',
    region: 'us-east-1',
  });
  b.plantedEvents.push({
    time: new Date(loginAt.getTime() + 95_000),
    actor: { kind: 'root' },
    action: 'iam:ListUsers',
    region: 'us-east-1',
  });

  // Boundaries: admins in a sandbox, held in by a boundary (near-miss for ADM-01).
  const boundary = b.addPolicy({
    name: 'sandbox-boundary',
    description: 'Everything in approved regions except identity and organization changes',
    versions: [
      policy(
        allow('*', '*', {
          Sid: 'AllowWorkloads',
          Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] } },
        }),
        allow(['iam:Get*', 'iam:List*', 'sts:*'], '*', { Sid: 'ReadIdentity' }),
        deny(
          [
            'iam:Create*',
            'iam:Put*',
            'iam:Attach*',
            'iam:Delete*',
            'iam:Update*',
            'organizations:*',
          ],
          '*',
          { Sid: 'NoIdentityChanges' },
        ),
      ),
    ],
  });
  const owner = b.addUser({
    name: `sandbox-owner-${b.account.theme}`,
    attached: [awsManaged('AdministratorAccess')],
    boundary: boundary.arn,
    password: 'active',
    mfa: true,
    keys: [{ activity: 'active' }],
    usage: {
      actions: [...PERSONA_ACTIONS.developer, 'ec2:RunInstances'],
      resources: [],
      deniedRate: 0.06,
      deniedActions: ['iam:CreateRole', 'ec2:RunInstances'],
    },
  });
  b.plant('ADM-01', owner.arn, 'AdministratorAccess limited by a permissions boundary (near-miss)');
  const boundedRole = lambdaRole(b, 'sandbox-lambda-admin', [awsManaged('AdministratorAccess')], {
    boundary: boundary.arn,
  });
  b.plant(
    'ADM-05',
    boundedRole.arn,
    'admin execution role limited by a permissions boundary (near-miss)',
  );
  // A call refused by the region-deny SCP.
  b.plantedEvents.push({
    time: daysBefore(b.now, rng.float(1, Math.min(9, b.org.windowDays * 0.9))),
    actor: { kind: 'user', user: owner },
    action: 'ec2:RunInstances',
    region: 'ap-southeast-1',
    requestParameters: { instanceType: 'g5.12xlarge', minCount: 1, maxCount: 1 },
    errorCode: 'Client.UnauthorizedOperation',
  });
}

/** The scenario builders by id. */
export const SCENARIOS: Readonly<Record<ScenarioId, (b: AccountBuilder) => void>> = {
  management,
  security,
  'prod-main': prodMain,
  'dev-main': devMain,
  'trust-zoo': trustZoo,
  exposure,
  'sandbox-main': sandboxMain,
};
