/**
 * The ordinary bulk of an account: groups of people, human and service users, and workload roles
 * with the resources they run (functions, tasks, instances, jobs, stacks). Exactly `count`
 * principals are added. Hygiene problems appear here at natural rates (no MFA, old or unused keys,
 * unused roles, broad inline policies), so their number grows with the estate.
 */
import {
  allow,
  policy,
  trustStatement,
  type AccountBuilder,
  type Activity,
  type GroupEntity,
  type InlinePolicy,
  type RoleEntity,
  type Statement,
} from './estate.js';
import { developerBoundary } from './kits.js';
import { awsManaged, type AwsManagedName } from './managed-policies.js';
import type { AccountKind, AccountPlan } from './org-plan.js';
import { COMPONENTS, NOUNS, PERSONA_ACTIONS, usageOfManaged, type Persona } from './personas.js';
import { apportion, type Random } from './random.js';
import {
  addBucket,
  addCodeBuildProject,
  addDynamoTable,
  addEc2Instance,
  addEcrRepository,
  addEcsTaskDefinition,
  addGlueJob,
  addKmsKey,
  addLambdaFunction,
  addNotebook,
  addQueue,
  addSecret,
  addSecurityGroup,
  addStack,
  addTopic,
} from './resources.js';
import { keyPolicy } from './scenarios.js';
import { githubProvider, internalGroup, openSshGroup, personName } from './targets.js';

const PRINCIPAL_MIX: Record<AccountKind, [groups: number, users: number, roles: number]> = {
  management: [5, 15, 80],
  security: [3, 7, 90],
  'log-archive': [2, 5, 93],
  prod: [2, 8, 90],
  dev: [5, 30, 65],
  sandbox: [4, 26, 70],
};

type Archetype =
  | 'lambda'
  | 'ecs'
  | 'ecsExecution'
  | 'ec2'
  | 'glue'
  | 'sagemaker'
  | 'codebuild'
  | 'cloudformation'
  | 'github'
  | 'crossAccount'
  | 'human'
  | 'automation'
  | 'rds'
  | 'legacy';

const ROLE_MIX: Record<AccountKind, Partial<Record<Archetype, number>>> = {
  management: {
    automation: 20,
    human: 20,
    crossAccount: 10,
    github: 12,
    lambda: 20,
    cloudformation: 10,
    legacy: 8,
  },
  security: {
    lambda: 30,
    automation: 20,
    crossAccount: 12,
    human: 10,
    ecs: 10,
    github: 6,
    legacy: 6,
    ecsExecution: 1,
  },
  'log-archive': { lambda: 30, automation: 30, crossAccount: 20, human: 10, legacy: 10 },
  prod: {
    lambda: 30,
    ecs: 17,
    ecsExecution: 1,
    ec2: 12,
    glue: 5,
    sagemaker: 3,
    codebuild: 4,
    cloudformation: 3,
    github: 5,
    crossAccount: 6,
    human: 4,
    automation: 6,
    rds: 2,
    legacy: 2,
  },
  dev: {
    lambda: 28,
    ecs: 11,
    ecsExecution: 1,
    ec2: 12,
    glue: 5,
    sagemaker: 6,
    codebuild: 5,
    cloudformation: 3,
    github: 6,
    crossAccount: 4,
    human: 8,
    automation: 6,
    rds: 2,
    legacy: 3,
  },
  sandbox: {
    lambda: 30,
    ec2: 25,
    ecs: 8,
    ecsExecution: 1,
    sagemaker: 8,
    human: 6,
    cloudformation: 5,
    legacy: 17,
  },
};

interface GroupType {
  readonly name: string;
  readonly attached: readonly AwsManagedName[];
  readonly persona: Persona;
}

const GROUP_TYPES: readonly GroupType[] = [
  {
    name: 'developers',
    attached: ['AWSLambda_FullAccess', 'AmazonDynamoDBFullAccess', 'CloudWatchLogsFullAccess'],
    persona: 'developer',
  },
  { name: 'readonly', attached: ['ReadOnlyAccess'], persona: 'readonly' },
  {
    name: 'data-engineers',
    attached: ['AmazonS3FullAccess', 'AWSGlueConsoleFullAccess', 'AmazonAthenaFullAccess'],
    persona: 'data',
  },
  { name: 'network-admins', attached: ['job-function/NetworkAdministrator'], persona: 'network' },
  { name: 'dba', attached: ['job-function/DatabaseAdministrator'], persona: 'dba' },
  {
    name: 'support',
    attached: ['job-function/SupportUser', 'AWSSupportAccess'],
    persona: 'readonly',
  },
  { name: 'ops', attached: ['job-function/SystemAdministrator'], persona: 'developer' },
  {
    name: 'ml-researchers',
    attached: ['job-function/DataScientist', 'AmazonSageMakerFullAccess'],
    persona: 'data',
  },
  {
    name: 'security-champions',
    attached: ['SecurityAudit', 'AWSCloudTrail_ReadOnlyAccess'],
    persona: 'auditor',
  },
  {
    name: 'ec2-operators',
    attached: ['AmazonEC2FullAccess', 'AmazonSSMManagedInstanceCore'],
    persona: 'developer',
  },
  { name: 'power-users', attached: ['PowerUserAccess'], persona: 'developer' },
  { name: 'viewers', attached: ['job-function/ViewOnlyAccess'], persona: 'readonly' },
  { name: 'billing', attached: ['job-function/Billing'], persona: 'billing' },
  { name: 'iam-managers', attached: ['IAMFullAccess'], persona: 'admin' },
  { name: 'administrators', attached: ['AdministratorAccess'], persona: 'admin' },
];

const DIRECT_POLICIES: readonly AwsManagedName[] = [
  'ReadOnlyAccess',
  'AmazonS3ReadOnlyAccess',
  'AWSLambda_ReadOnlyAccess',
  'IAMReadOnlyAccess',
  'AmazonEC2ReadOnlyAccess',
  'CloudWatchReadOnlyAccess',
  'AmazonS3FullAccess',
  'AWSCodeBuildDeveloperAccess',
];

const SERVICE_AUTOMATION = [
  'events.amazonaws.com',
  'scheduler.amazonaws.com',
  'states.amazonaws.com',
  'backup.amazonaws.com',
  'ssm.amazonaws.com',
  'firehose.amazonaws.com',
] as const;

/** The resources one application uses, and what its role may do on them. */
interface App {
  readonly name: string;
  readonly statements: Statement[];
  readonly actions: string[];
  readonly resources: string[];
}

function pickActivity(rng: Random, weights: Readonly<Record<Activity, number>>): Activity {
  return rng.weighted(weights);
}

const ROLE_ACTIVITY: Record<Activity, number> = {
  active: 0.62,
  recent: 0.08,
  stale: 0.16,
  never: 0.14,
};
const USER_ACTIVITY: Record<Activity, number> = {
  active: 0.55,
  recent: 0.1,
  stale: 0.2,
  never: 0.15,
};

/** Creates the data resources of an application and the scoped statements its role needs. */
function newApp(b: AccountBuilder, rng: Random, component: string, region: string): App {
  const name = b.uniqueName(
    'app',
    rng.chance(0.7)
      ? `${b.account.theme}-${rng.pick(NOUNS)}-${component}`
      : `${b.account.theme}-${component}`,
  );
  const statements: Statement[] = [];
  const actions: string[] = [];
  const resources: string[] = [];
  const grant = (sid: string, granted: string[], arns: string[]): void => {
    statements.push(allow(granted, arns.length === 1 ? (arns[0] as string) : arns, { Sid: sid }));
    actions.push(...granted);
    resources.push(arns[0] as string);
  };
  if (rng.chance(0.4)) {
    const table = addDynamoTable(b, {
      name,
      region,
      tags: rng.chance(0.1) ? { 'data-classification': 'sensitive' } : {},
    });
    const arn = String(table.ARN);
    grant(
      'Table',
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ],
      [arn, `${arn}/index/*`],
    );
  }
  if (rng.chance(0.35)) {
    const bucketName = `${name}-${b.id}`;
    const roll = rng.next();
    const bucketPolicy =
      roll < 0.025
        ? policy(
            allow('s3:GetObject', `arn:aws:s3:::${bucketName}/*`, {
              Sid: 'PublicRead',
              Principal: '*',
            }),
          )
        : roll < 0.06
          ? policy(
              allow(
                ['s3:GetObject', 's3:ListBucket'],
                [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
                { Principal: { AWS: `arn:aws:iam::${b.org.vendors.partner.accountId}:root` } },
              ),
            )
          : roll < 0.5
            ? policy({
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              })
            : null;
    addBucket(b, {
      name: bucketName,
      region,
      policy: bucketPolicy,
      publicAccessBlock: roll < 0.06 ? false : rng.chance(0.8) ? true : null,
      tags: rng.chance(0.08) ? { 'data-classification': 'sensitive' } : {},
    });
    grant('Objects', ['s3:GetObject', 's3:PutObject'], [`arn:aws:s3:::${bucketName}/*`]);
  }
  if (rng.chance(0.35)) {
    const queue = addQueue(b, { name, region });
    grant(
      'Queue',
      ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      [String(queue.ARN)],
    );
  }
  if (rng.chance(0.2)) {
    const secret = addSecret(b, { name: `${name}/credentials`, region });
    grant('Secret', ['secretsmanager:GetSecretValue'], [String(secret.ARN)]);
  }
  if (rng.chance(0.12)) {
    const key = addKmsKey(b, { alias: name, region, policy: keyPolicy(b) });
    grant('Key', ['kms:Decrypt', 'kms:GenerateDataKey'], [String(key.ARN)]);
  }
  if (rng.chance(0.08)) {
    const topic = addTopic(b, { name: `${name}-events`, region });
    grant('Topic', ['sns:Publish'], [String(topic.ARN)]);
  }
  if (statements.length === 0)
    grant(
      'Parameters',
      ['ssm:GetParameter', 'ssm:GetParametersByPath'],
      [`arn:aws:ssm:${region}:${b.id}:parameter/${name}/*`],
    );
  // Now and then the scoped grants are replaced by service wildcards on everything.
  if (rng.chance(0.15)) {
    const services = [...new Set(actions.map((a) => a.split(':')[0]))];
    statements.splice(
      0,
      statements.length,
      allow(
        services.map((s) => `${s}:*`),
        '*',
        { Sid: 'Broad' },
      ),
    );
  }
  return { name, statements, actions, resources };
}

function usageFor(
  rng: Random,
  app: App,
  extra: readonly string[] = [],
): { actions: string[]; resources: string[] } {
  const used = rng.sample(
    app.actions,
    Math.max(1, Math.ceil(app.actions.length * rng.float(0.3, 0.85))),
  );
  return { actions: [...used, ...extra], resources: app.resources };
}

function inlineFor(app: App): InlinePolicy[] {
  return [{ name: `${app.name}-access`, document: policy(...app.statements) }];
}

/** Moves an entity's app policy from inline to its own customer managed policy, about a third of the time. */
function maybeManaged(
  b: AccountBuilder,
  rng: Random,
  entity: { inline: InlinePolicy[]; attached: string[] } | undefined,
): void {
  const grant = entity?.inline[0];
  if (!entity || !grant || !grant.name.endsWith('-access') || !rng.chance(0.35)) return;
  const versions = [grant.document];
  // Some policies were edited a few times; AWS keeps up to five versions.
  if (rng.chance(0.3) && grant.document.Statement.length > 1)
    versions.unshift(
      policy(...grant.document.Statement.slice(0, grant.document.Statement.length - 1)),
    );
  const managed = b.addPolicy({
    name: grant.name.replace(/-access$/, '-policy'),
    path: rng.chance(0.2) ? `/${b.account.theme}/` : '/',
    versions,
    defaultVersion: versions.length > 1 && rng.chance(0.15) ? 1 : versions.length,
  });
  entity.inline.splice(0, 1);
  entity.attached.push(managed.arn);
}

/** The account's shared customer managed policy for application roles. */
function commonPolicy(b: AccountBuilder): string {
  return b.shared(
    'common-app-policy',
    () =>
      b.addPolicy({
        name: `${b.account.theme}-app-common`,
        description: 'Logging, tracing and configuration for every application role',
        versions: [
          policy(
            allow(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], '*', {
              Sid: 'Logs',
            }),
            allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*', { Sid: 'Tracing' }),
            allow(
              ['ssm:GetParameter', 'ssm:GetParametersByPath'],
              `arn:aws:ssm:*:${b.id}:parameter/${b.account.theme}/*`,
              { Sid: 'Config' },
            ),
          ),
          policy(
            allow(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], '*', {
              Sid: 'Logs',
            }),
            allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*', { Sid: 'Tracing' }),
            allow(
              ['ssm:GetParameter', 'ssm:GetParametersByPath'],
              `arn:aws:ssm:*:${b.id}:parameter/${b.account.theme}/*`,
              { Sid: 'Config' },
            ),
            allow(['kms:Decrypt'], `arn:aws:kms:*:${b.id}:key/*`, {
              Sid: 'DecryptViaSsm',
              Condition: { StringLike: { 'kms:ViaService': 'ssm.*.amazonaws.com' } },
            }),
          ),
        ],
      }).arn,
  );
}

function otherOrgAccount(b: AccountBuilder, rng: Random): AccountPlan {
  const others = b.org.accounts.filter((a) => a.id !== b.id);
  return rng.pick(others.length > 0 ? others : b.org.accounts);
}

function addFillerRole(b: AccountBuilder, archetype: Archetype, i: number): void {
  const rng = b.rng.fork(`filler-role/${i}`);
  const component = rng.pick(COMPONENTS);
  const region = rng.chance(0.8) ? b.account.regions[0] : b.account.regions[1];
  const activity = pickActivity(rng, ROLE_ACTIVITY);
  const common = rng.chance(0.4) ? [commonPolicy(b)] : [];
  const service = (
    svc: string,
  ): { trust: ReturnType<typeof policy>; session: { kind: 'service'; service: string } } => ({
    trust: policy(trustStatement({ Service: svc })),
    session: { kind: 'service', service: svc },
  });
  switch (archetype) {
    case 'lambda': {
      const app = newApp(b, rng, component, region);
      const role = b.addRole({
        name: `${app.name}-lambda`,
        ...service('lambda.amazonaws.com'),
        attached: [
          awsManaged(
            rng.chance(0.2)
              ? 'service-role/AWSLambdaVPCAccessExecutionRole'
              : 'service-role/AWSLambdaBasicExecutionRole',
          ),
          ...common,
        ],
        inline: inlineFor(app),
        activity,
        usage: usageFor(rng, app),
      });
      if (activity !== 'never' || rng.chance(0.3)) {
        const invokePolicy = rng.chance(0.12)
          ? policy(
              allow(
                'lambda:InvokeFunction',
                `arn:aws:lambda:${region}:${b.id}:function:${app.name}`,
                {
                  Sid: 'ApiGatewayInvoke',
                  Principal: { Service: 'apigateway.amazonaws.com' },
                  Condition: {
                    ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:${region}:${b.id}:*/*/*/*` },
                  },
                },
              ),
            )
          : null;
        addLambdaFunction(b, {
          name: app.name,
          role,
          region,
          policy: invokePolicy,
          url: rng.chance(0.04) ? (rng.chance(0.3) ? 'NONE' : 'AWS_IAM') : null,
          tags: { app: b.account.theme, component },
        });
      }
      return;
    }
    case 'ecs':
    case 'ecsExecution': {
      if (archetype === 'ecsExecution' && !b.hasShared('ecs-execution-role')) {
        const execution = b.addRole({
          name: 'ecsTaskExecutionRole',
          ...service('ecs-tasks.amazonaws.com'),
          attached: [awsManaged('service-role/AmazonECSTaskExecutionRolePolicy')],
          usage: {
            actions: ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'logs:CreateLogStream'],
            resources: [],
          },
        });
        b.shared('ecs-execution-role', () => execution);
        return;
      }
      const app = newApp(b, rng, component, region);
      const role = b.addRole({
        name: `${app.name}-task`,
        ...service('ecs-tasks.amazonaws.com'),
        attached: common,
        inline: inlineFor(app),
        activity,
        usage: usageFor(rng, app),
      });
      const execution = b.hasShared('ecs-execution-role')
        ? b.shared<RoleEntity | null>('ecs-execution-role', () => null)
        : null;
      addEcsTaskDefinition(b, {
        family: app.name,
        taskRole: role,
        executionRole: execution,
        region,
      });
      if (rng.chance(0.5)) addEcrRepository(b, { name: app.name, region });
      return;
    }
    case 'ec2': {
      const app = newApp(b, rng, component, region);
      const role = b.addRole({
        name: `${app.name}-ec2`,
        ...service('ec2.amazonaws.com'),
        attached: [
          awsManaged('AmazonSSMManagedInstanceCore'),
          ...(rng.chance(0.6) ? [awsManaged('CloudWatchAgentServerPolicy')] : []),
        ],
        inline: inlineFor(app),
        instanceProfile: true,
        activity,
        usage: usageFor(rng, app, ['ssm:UpdateInstanceInformation', 'ec2:DescribeTags']),
      });
      if (activity === 'never' && rng.chance(0.7)) return;
      const exposure = rng.next();
      const groups = [internalGroup(b, region)];
      if (exposure < 0.03) groups.push(openSshGroup(b, region));
      else if (exposure < 0.12)
        groups.push(
          b.shared(`sg-web/${region}`, () =>
            addSecurityGroup(b, {
              name: 'alb-public',
              region,
              description: 'load balancer listeners',
              ingress: [{ protocol: 'tcp', from: 443, to: 443, cidr: '0.0.0.0/0' }],
            }),
          ),
        );
      addEc2Instance(b, {
        name: app.name,
        role,
        region,
        publicIp: exposure < 0.15,
        securityGroups: groups,
        imdsV1: rng.chance(0.1),
        ssmManaged: rng.chance(0.6),
      });
      return;
    }
    case 'glue': {
      const app = newApp(b, rng, component, region);
      const role = b.addRole({
        name: `${app.name}-glue`,
        ...service('glue.amazonaws.com'),
        attached: [awsManaged('service-role/AWSGlueServiceRole')],
        inline: inlineFor(app),
        activity,
        usage: usageFor(rng, app, ['glue:GetTable']),
      });
      addGlueJob(b, { name: app.name, role, region });
      return;
    }
    case 'sagemaker': {
      const app = newApp(b, rng, component, region);
      const role = b.addRole({
        name: `${app.name}-sagemaker`,
        ...service('sagemaker.amazonaws.com'),
        attached: [awsManaged('AmazonSageMakerFullAccess')],
        inline: inlineFor(app),
        activity,
        usage: usageFor(rng, app, [
          'sagemaker:DescribeNotebookInstance',
          'ecr:GetAuthorizationToken',
        ]),
      });
      if (rng.chance(0.5))
        addNotebook(b, { name: app.name, role, region, internet: rng.chance(0.6) });
      return;
    }
    case 'codebuild': {
      const app = newApp(b, rng, component, region);
      const role = b.addRole({
        name: `${app.name}-codebuild`,
        ...service('codebuild.amazonaws.com'),
        attached: [awsManaged('AmazonEC2ContainerRegistryPowerUser'), ...common],
        inline: inlineFor(app),
        activity,
        usage: usageFor(rng, app, ['ecr:GetAuthorizationToken', 'ecr:PutImage']),
      });
      addCodeBuildProject(b, {
        name: app.name,
        role,
        region,
        repo: `${b.org.githubOrg}/${app.name}`,
      });
      return;
    }
    case 'cloudformation': {
      const broad = rng.chance(0.15);
      const role = b.addRole({
        name: `${b.account.theme}-${component}-cfn-exec`,
        ...service('cloudformation.amazonaws.com'),
        attached: [
          awsManaged('AWSLambda_FullAccess'),
          awsManaged('AmazonS3FullAccess'),
          awsManaged('AmazonDynamoDBFullAccess'),
          ...(broad ? [awsManaged('IAMFullAccess')] : []),
        ],
        activity,
        usage: {
          actions: [
            'lambda:CreateFunction',
            's3:CreateBucket',
            'dynamodb:CreateTable',
            ...(broad ? ['iam:CreateRole', 'iam:PassRole'] : []),
          ],
          resources: [],
        },
      });
      addStack(b, { name: `${b.account.theme}-${component}`, role, region });
      return;
    }
    case 'github': {
      const provider = githubProvider(b);
      const repo = `${b.org.githubOrg}/${b.account.theme}-${component}`;
      const ref = rng.chance(0.7) ? 'ref:refs/heads/main' : 'environment:production';
      const deployPolicy = rng.pick([
        'AWSCloudFormationFullAccess',
        'AmazonEC2ContainerRegistryPowerUser',
        'AWSLambda_FullAccess',
        'AmazonS3FullAccess',
      ] as const);
      b.addRole({
        name: `gha-${b.account.theme}-${component}`,
        trust: policy(
          trustStatement({ Federated: provider }, 'sts:AssumeRoleWithWebIdentity', {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': `repo:${repo}:${ref}`,
            },
          }),
        ),
        attached: [awsManaged(deployPolicy)],
        inline: [
          {
            name: 'pass-deploy-roles',
            document: policy(
              allow('iam:PassRole', `arn:aws:iam::${b.id}:role/${b.account.theme}-*`, {
                Condition: {
                  StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
                },
              }),
            ),
          },
        ],
        activity,
        session: { kind: 'web-identity', provider, subject: `repo:${repo}:${ref}` },
        usage: usageOfManaged([deployPolicy]),
      });
      return;
    }
    case 'crossAccount': {
      const other = otherOrgAccount(b, rng);
      const readOnly = rng.chance(0.5);
      b.addRole({
        name: `${other.name}-${component}-access`,
        trust: policy(
          trustStatement(
            {
              AWS: rng.chance(0.6)
                ? `arn:aws:iam::${other.id}:root`
                : `arn:aws:iam::${other.id}:role/OrganizationAccountAccessRole`,
            },
            'sts:AssumeRole',
            rng.chance(0.3) ? { StringEquals: { 'aws:PrincipalOrgID': b.org.orgId } } : undefined,
          ),
        ),
        attached: readOnly ? [awsManaged('ReadOnlyAccess')] : [],
        inline: readOnly ? [] : inlineFor(newApp(b, rng, component, region)),
        activity,
        session: { kind: 'account', accountId: other.id },
        usage: {
          actions: readOnly
            ? rng.sample(PERSONA_ACTIONS.readonly, 4)
            : ['s3:GetObject', 'dynamodb:Query'],
          resources: [],
        },
      });
      return;
    }
    case 'human': {
      const job = rng.pick([
        ['data-analyst', ['job-function/DataScientist'], 'data'],
        ['readonly', ['ReadOnlyAccess'], 'readonly'],
        ['developer', ['PowerUserAccess'], 'developer'],
        ['operator', ['job-function/SystemAdministrator'], 'developer'],
        ['dba', ['job-function/DatabaseAdministrator'], 'dba'],
        ['auditor', ['SecurityAudit'], 'auditor'],
      ] as const);
      b.addRole({
        name: `${job[0]}-access`,
        trust: policy(
          trustStatement(
            { AWS: b.rootArn },
            'sts:AssumeRole',
            rng.chance(0.6) ? { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } : undefined,
          ),
        ),
        attached: job[1].map((name) => awsManaged(name)),
        activity,
        session: { kind: 'account', accountId: b.id },
        usage: { actions: PERSONA_ACTIONS[job[2]], resources: [] },
      });
      return;
    }
    case 'automation': {
      const svc = rng.pick(SERVICE_AUTOMATION);
      const app = newApp(b, rng, component, region);
      b.addRole({
        name: `${app.name}-${svc.split('.')[0]}`,
        ...service(svc),
        inline: inlineFor(app),
        activity,
        usage: usageFor(rng, app),
      });
      return;
    }
    case 'rds':
      b.addRole({
        name: `rds-monitoring-${component}`,
        ...service('monitoring.rds.amazonaws.com'),
        attached: [awsManaged('service-role/AmazonRDSEnhancedMonitoringRole')],
        activity,
        usage: { actions: ['logs:PutLogEvents'], resources: [] },
      });
      return;
    case 'legacy': {
      const svc = rng.pick(['ec2.amazonaws.com', 'lambda.amazonaws.com'] as const);
      const broad = rng.pick([
        'AmazonEC2FullAccess',
        'AmazonS3FullAccess',
        'PowerUserAccess',
        'AmazonSQSFullAccess',
        'AmazonSNSFullAccess',
      ] as const);
      b.addRole({
        name: `legacy-${b.account.theme}-${component}`,
        ...service(svc),
        attached: [awsManaged(broad)],
        instanceProfile: svc === 'ec2.amazonaws.com',
        created: b.createdDate(rng, { recentChance: 0, minDays: 400 }),
        activity: rng.pick(['never', 'stale', 'stale'] as const),
        usage: usageOfManaged([broad]),
      });
      return;
    }
  }
}

function addFillerGroup(b: AccountBuilder, i: number): GroupEntity {
  const type = GROUP_TYPES[(i + b.account.index) % GROUP_TYPES.length] as GroupType;
  const rng = b.rng.fork(`filler-group/${i}`);
  const inline: InlinePolicy[] = rng.chance(0.25)
    ? [
        {
          name: `${type.name}-extras`,
          document: policy(allow(['support:*', 'health:Describe*'], '*')),
        },
      ]
    : [];
  return b.addGroup({
    name: type.name,
    attached: type.attached.map((name) => awsManaged(name)),
    inline,
  });
}

function addFillerUser(b: AccountBuilder, i: number, groups: readonly GroupEntity[]): void {
  const rng = b.rng.fork(`filler-user/${i}`);
  const kind = b.account.kind;
  const humanShare = kind === 'prod' ? 0.3 : kind === 'dev' || kind === 'sandbox' ? 0.85 : 0.7;
  const activity = pickActivity(rng, USER_ACTIVITY);
  const follow = (): Activity => (rng.chance(0.75) ? activity : pickActivity(rng, USER_ACTIVITY));
  if (rng.chance(humanShare)) {
    const memberOf =
      groups.length > 0 ? rng.sample(groups, rng.int(1, Math.min(2, groups.length))) : [];
    const type = GROUP_TYPES.find((t) => t.name === memberOf[0]?.name.replace(/-\d+$/, ''));
    const direct = rng.chance(0.15) || memberOf.length === 0 ? [rng.pick(DIRECT_POLICIES)] : [];
    const persona: Persona | null = type?.persona ?? null;
    const hasPassword = rng.chance(0.85);
    const keyCount = rng.weighted({ '0': 0.45, '1': 0.47, '2': 0.08 });
    b.addUser({
      name: personName(rng),
      groups: memberOf.map((g) => g.name),
      attached: direct.map((name) => awsManaged(name)),
      inline: rng.chance(0.1)
        ? [
            {
              name: 'personal-bucket',
              document: policy(
                allow(
                  ['s3:*'],
                  [
                    `arn:aws:s3:::${b.account.theme}-scratch-${b.id}`,
                    `arn:aws:s3:::${b.account.theme}-scratch-${b.id}/*`,
                  ],
                ),
              ),
            },
          ]
        : [],
      boundary: kind === 'sandbox' && rng.chance(0.5) ? developerBoundary(b) : null,
      password: hasPassword ? follow() : null,
      mfa: hasPassword && rng.chance(0.75),
      keys: Array.from({ length: Number(keyCount) }, (_, k) => ({
        activity: k === 0 ? follow() : rng.pick(['never', 'stale', 'active'] as const),
        active: rng.chance(0.92),
      })),
      tags: rng.chance(0.3) ? [{ Key: 'team', Value: b.account.theme }] : [],
      usage: {
        actions: persona ? PERSONA_ACTIONS[persona] : usageOfManaged(direct).actions,
        resources: [],
        deniedActions: ['iam:CreateUser', 'organizations:ListAccounts', 'kms:Decrypt'],
      },
    });
    return;
  }
  const component = rng.pick(COMPONENTS);
  const app = newApp(b, rng, component, b.region);
  b.addUser({
    name: `svc-${app.name}`,
    path: rng.chance(0.3) ? '/service/' : '/',
    inline: inlineFor(app),
    attached: rng.chance(0.2) ? [commonPolicy(b)] : [],
    keys: rng.chance(0.85)
      ? [{ activity: follow(), ageDays: rng.float(10, 1400) }]
      : [
          { activity: follow(), ageDays: rng.float(10, 1400) },
          { activity: rng.pick(['never', 'active'] as const), ageDays: rng.float(5, 300) },
        ],
    tags: [{ Key: 'owner', Value: `${b.account.theme}-team@example.com` }],
    usage: usageFor(rng, app),
  });
}

/** Adds exactly `count` ordinary principals to the account. */
export function buildFiller(b: AccountBuilder, count: number): void {
  if (count <= 0) return;
  const [groupCount = 0, userCount = 0, roleCount = 0] = apportion(
    count,
    PRINCIPAL_MIX[b.account.kind],
  );
  const groups: GroupEntity[] = [];
  for (let i = 0; i < groupCount; i++) groups.push(addFillerGroup(b, i));
  const managedRng = b.rng.fork('filler-managed');
  for (let i = 0; i < userCount; i++) {
    addFillerUser(b, i, groups);
    maybeManaged(b, managedRng, b.users[b.users.length - 1]);
  }
  const mix = ROLE_MIX[b.account.kind] as Record<Archetype, number>;
  const rng = b.rng.fork('filler-roles');
  for (let i = 0; i < roleCount; i++) {
    addFillerRole(b, rng.weighted(mix), i);
    maybeManaged(b, managedRng, b.roles[b.roles.length - 1]);
  }
  // A couple of account-wide buckets every estate has.
  const logs = `${b.account.name}-logs-${b.id}`;
  if (!b.items.some((item) => item.ARN === `arn:aws:s3:::${logs}`)) {
    addBucket(b, {
      name: logs,
      publicAccessBlock: true,
      policy: policy(
        allow('s3:PutObject', `arn:aws:s3:::${logs}/AWSLogs/${b.id}/*`, {
          Sid: 'AWSLogDeliveryWrite',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': b.id } },
        }),
      ),
    });
  }
}
