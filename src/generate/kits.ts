/**
 * Escalation kits: one deliberate privilege-escalation setup per technique of anchors.md §B.9, each
 * an actor holding exactly the technique's permission set, with the prerequisite the technique
 * needs (a role trusted by the service, an existing privileged resource, a target user or role).
 */
import {
  allow,
  policy,
  trustStatement,
  type AccountBuilder,
  type PolicyDoc,
  type RoleEntity,
  type Statement,
  type UserEntity,
} from './estate.js';
import { awsManaged } from './managed-policies.js';
import { COMPONENTS, FIRST_NAMES } from './personas.js';
import {
  adminServiceRole,
  adminUser,
  adminsGroup,
  privilegedAppRunner,
  privilegedCodeBuild,
  privilegedDevEndpoint,
  privilegedEcsService,
  privilegedGlueJob,
  privilegedInstance,
  privilegedInterpreter,
  privilegedLambda,
  privilegedLaunchTemplate,
  privilegedNotebook,
  privilegedStack,
} from './targets.js';
import { addEc2Instance, addLambdaFunction, type ConfigItem } from './resources.js';
import { internalGroup } from './targets.js';
import type { Random } from './random.js';

/** Where a kit may be placed. */
export type KitPlacement = 'workload' | 'management';

/** One escalation setup. */
export interface Kit {
  /** pathfinding.cloud id where one exists (`iam-001`), else a project id. */
  readonly id: string;
  readonly placement: KitPlacement;
  /**
   * The Prod OU's SCP DenyLongLivedCredentials denies iam:CreateUser, CreateAccessKey and
   * CreateLoginProfile: a kit relying on them is placed in a non-prod account, or the planted
   * escalation would be false ground truth.
   */
  readonly avoidProd?: boolean;
  /** Builds the setup in the account; `n` numbers repeated instances. */
  readonly build: (b: AccountBuilder, n: number) => void;
}

type Actor = UserEntity | RoleEntity;

interface ActorOptions {
  readonly kind: 'user' | 'role';
  readonly statements: (self: { arn: string; name: string }) => Statement[];
  /** Attach as a customer managed policy instead of inline. */
  readonly managed?: boolean;
  readonly extra?: { boundary?: string; attached?: string[]; groups?: string[] };
}

const PRINCIPAL_ACCESS = new Set([
  'sts-001',
  'iam-002',
  'iam-003',
  'iam-004',
  'iam-006',
  'iam-012',
  'iam-014',
  'iam-015',
  'iam-016',
  'iam-017',
  'iam-018',
  'iam-019',
  'iam-020',
  'iam-021',
  'iam-023',
]);

/** Records a kit's technique and the detections of anchors.md §B.2 it should raise. */
function plantKit(b: AccountBuilder, id: string, arn: string, note: string): void {
  b.plant(id, arn, note);
  b.plant(id.startsWith('sso-') ? 'PE-07' : 'PE-01', arn, `can escalate to admin (${id})`);
  if (PRINCIPAL_ACCESS.has(id)) b.plant('PE-03', arn, `can move to another principal (${id})`);
  else b.plant('PE-02', arn, `holds a privilege-escalation permission set (${id})`);
}

function kitRng(b: AccountBuilder, id: string, n: number): Random {
  return b.rng.fork(`kit/${id}/${n}`);
}

/** Creates the kit's actor with its permissions. */
function addActor(b: AccountBuilder, id: string, n: number, options: ActorOptions): Actor {
  const rng = kitRng(b, id, n);
  const managed = options.managed ?? rng.chance(0.5);
  // The actor uses only the read side of its permissions: the escalation is possible, not performed.
  const actions = (statements: Statement[]): string[] => [
    'sts:GetCallerIdentity',
    ...statements
      .flatMap((s) => (Array.isArray(s.Action) ? (s.Action as string[]) : [String(s.Action)]))
      .filter((a) => /^[\w-]+:(Get|List|Describe)\w*$/.test(a)),
  ];
  if (options.kind === 'user') {
    const reserved = b.reserve(
      'user',
      `${rng.pick(['dev', 'ops', 'build', 'data', 'contractor'])}-${rng.pick(FIRST_NAMES)}`,
    );
    const statements = options.statements(reserved);
    const document = policy(...statements);
    const attached = [...(options.extra?.attached ?? [])];
    const inline = [];
    if (managed)
      attached.push(b.addPolicy({ name: `${reserved.name}-access`, versions: [document] }).arn);
    else inline.push({ name: `${reserved.name}-access`, document });
    const user = b.addUser({
      ...reserved,
      attached,
      inline,
      groups: options.extra?.groups ?? [],
      boundary: options.extra?.boundary ?? null,
      password: rng.chance(0.6) ? 'active' : null,
      mfa: rng.chance(0.5),
      keys: rng.chance(0.7) ? [{ activity: rng.pick(['active', 'active', 'stale'] as const) }] : [],
      usage: { actions: actions(statements), resources: [] },
    });
    plantKit(b, id, user.arn, `user ${user.name} holds the ${id} permission set`);
    return user;
  }
  const component = rng.pick(COMPONENTS);
  const reserved = b.reserve('role', `${b.account.theme}-${component}-automation`);
  const statements = options.statements(reserved);
  const document = policy(...statements);
  const attached = [...(options.extra?.attached ?? [])];
  const inline = [];
  if (managed)
    attached.push(b.addPolicy({ name: `${reserved.name}-policy`, versions: [document] }).arn);
  else inline.push({ name: 'automation', document });
  const role = b.addRole({
    ...reserved,
    trust: policy(trustStatement({ Service: 'lambda.amazonaws.com' })),
    attached,
    inline,
    boundary: options.extra?.boundary ?? null,
    session: { kind: 'service', service: 'lambda.amazonaws.com' },
    usage: { actions: actions(statements), resources: [] },
  });
  // A workload runs as the actor: escalation from a compute role (PE-04).
  addLambdaFunction(b, { name: reserved.name, role });
  plantKit(
    b,
    id,
    role.arn,
    `role ${role.name} (a Lambda execution role) holds the ${id} permission set`,
  );
  b.plant('PE-04', role.arn, `workload role ${role.name} can escalate (${id})`);
  return role;
}

/** A PassRole statement on the target: its ARN, or `*` now and then (POL-01). */
function passRole(rng: Random, target: RoleEntity, service: string): Statement {
  const roll = rng.next();
  if (roll < 0.2) return allow('iam:PassRole', '*', { Sid: 'PassAnyRole' });
  if (roll < 0.35)
    return allow('iam:PassRole', '*', {
      Sid: 'PassRoleToService',
      Condition: { StringEquals: { 'iam:PassedToService': service } },
    });
  return allow('iam:PassRole', target.arn, { Sid: 'PassDeployRole' });
}

function newPassRole(
  id: string,
  service: string,
  actions: readonly string[],
  prepare?: (b: AccountBuilder) => void,
): Kit {
  return {
    id,
    placement: 'workload',
    build: (b, n) => {
      const rng = kitRng(b, id, n);
      const target = adminServiceRole(b, service);
      prepare?.(b);
      addActor(b, id, n, {
        kind: rng.chance(0.7) ? 'user' : 'role',
        statements: () => [
          passRole(rng, target, service),
          allow([...actions], '*', { Sid: 'Create' }),
        ],
      });
    },
  };
}

function existingResource(
  id: string,
  resource: (b: AccountBuilder) => ConfigItem,
  actions: readonly string[],
  resourceArn: (item: ConfigItem) => string = (item) => String(item.ARN),
): Kit {
  return {
    id,
    placement: 'workload',
    build: (b, n) => {
      const rng = kitRng(b, id, n);
      const item = resource(b);
      // Describe and List actions take no resource-level permission: AWS checks them on `*`.
      const scoped = actions.filter((a) => !/:(Describe|List)/.test(a));
      const unscoped = actions.filter((a) => /:(Describe|List)/.test(a));
      addActor(b, id, n, {
        kind: rng.chance(0.6) ? 'user' : 'role',
        statements: () => [
          allow(scoped, rng.chance(0.5) ? resourceArn(item) : '*', { Sid: 'Operate' }),
          ...(unscoped.length > 0 ? [allow(unscoped, '*', { Sid: 'Discover' })] : []),
        ],
      });
    },
  };
}

/** A non-admin role that trusts `actorArn` (or a service), as the target of principal-access paths. */
function targetRole(
  b: AccountBuilder,
  base: string,
  trustedArn: string | null,
  extra: { boundary?: string; attached?: string[] } = {},
): RoleEntity {
  return b.addRole({
    name: base,
    trust: policy(
      trustedArn
        ? trustStatement({ AWS: trustedArn })
        : trustStatement({ Service: 'lambda.amazonaws.com' }),
    ),
    attached: extra.attached ?? [awsManaged('AmazonS3ReadOnlyAccess')],
    boundary: extra.boundary ?? null,
    activity: 'active',
    session: trustedArn
      ? { kind: 'principal', arn: trustedArn }
      : { kind: 'service', service: 'lambda.amazonaws.com' },
    usage: { actions: ['s3:GetObject'], resources: [] },
  });
}

function selfEscalation(
  id: string,
  actor: 'user' | 'role',
  statements: (self: { arn: string; name: string }) => Statement[],
): Kit {
  return {
    id,
    placement: 'workload',
    build: (b, n) => {
      addActor(b, id, n, { kind: actor, statements });
    },
  };
}

function ecsCluster(b: AccountBuilder): void {
  privilegedEcsService(b);
}

/** Every kit, in a fixed order. */
export const KITS: readonly Kit[] = [
  // Self-escalation.
  {
    id: 'iam-001',
    placement: 'workload',
    build: (b, n) => {
      const rng = kitRng(b, 'iam-001', n);
      const reserved = b.reserve('user', `dev-${rng.pick(FIRST_NAMES)}`);
      const policyName = b.reserve('policy', `${reserved.name}-self-service`);
      const managed = b.addPolicy({
        ...policyName,
        versions: [
          policy(
            allow(
              ['iam:CreatePolicyVersion', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions'],
              policyName.arn,
              {
                Sid: 'ManageOwnPolicy',
              },
            ),
            allow(['s3:ListAllMyBuckets', 'lambda:ListFunctions'], '*'),
          ),
        ],
      });
      const user = b.addUser({
        ...reserved,
        attached: [managed.arn],
        password: 'active',
        mfa: true,
        keys: [{ activity: 'active' }],
        usage: {
          actions: ['iam:GetPolicyVersion', 's3:ListAllMyBuckets', 'lambda:ListFunctions'],
          resources: [],
        },
      });
      plantKit(
        b,
        'iam-001',
        user.arn,
        `${user.name} can create a new default version of its own policy`,
      );
    },
  },
  {
    id: 'iam-set-default-policy-version',
    placement: 'workload',
    build: (b, n) => {
      const rng = kitRng(b, 'iam-set-default-policy-version', n);
      const reserved = b.reserve('user', `ops-${rng.pick(FIRST_NAMES)}`);
      const policyName = b.reserve('policy', `${reserved.name}-tools`);
      const managed = b.addPolicy({
        ...policyName,
        description: 'operator tools (v1 was the bootstrap policy)',
        versions: [
          policy(allow('*', '*', { Sid: 'Bootstrap' })),
          policy(
            allow(['iam:SetDefaultPolicyVersion', 'iam:ListPolicyVersions'], policyName.arn, {
              Sid: 'Versions',
            }),
            allow(['ec2:DescribeInstances', 'cloudwatch:DescribeAlarms'], '*'),
          ),
        ],
        defaultVersion: 2,
      });
      const user = b.addUser({
        ...reserved,
        attached: [managed.arn],
        password: 'active',
        mfa: false,
        usage: { actions: ['ec2:DescribeInstances', 'cloudwatch:DescribeAlarms'], resources: [] },
      });
      plantKit(
        b,
        'iam-set-default-policy-version',
        user.arn,
        `${user.name} can make the admin v1 of its policy the default`,
      );
    },
  },
  selfEscalation('iam-005', 'role', (self) => [
    allow(['iam:PutRolePolicy', 'iam:GetRolePolicy'], self.arn),
  ]),
  selfEscalation('iam-007', 'user', () => [
    allow(
      ['iam:PutUserPolicy', 'iam:GetUserPolicy', 'iam:ListUserPolicies'],
      'arn:aws:iam::*:user/${aws:username}',
      {
        Sid: 'ManageOwnInlinePolicies',
      },
    ),
  ]),
  selfEscalation('iam-008', 'user', (self) => [
    allow(['iam:AttachUserPolicy', 'iam:ListAttachedUserPolicies'], self.arn),
  ]),
  selfEscalation('iam-009', 'role', (self) => [
    allow(['iam:AttachRolePolicy', 'iam:ListAttachedRolePolicies'], self.arn),
  ]),
  ...(['iam-010', 'iam-011'] as const).map((id): Kit => ({
    id,
    placement: 'workload',
    build: (b, n) => {
      const group = b.addGroup({
        name: `${b.account.theme}-team`,
        attached: [awsManaged('AmazonS3ReadOnlyAccess')],
      });
      const action = id === 'iam-010' ? 'iam:AttachGroupPolicy' : 'iam:PutGroupPolicy';
      addActor(b, id, n, {
        kind: 'user',
        statements: () => [allow([action, 'iam:GetGroup'], group.arn, { Sid: 'ManageTeamGroup' })],
        extra: { groups: [group.name] },
      });
    },
  })),
  {
    id: 'iam-013',
    placement: 'workload',
    build: (b, n) => {
      const group = adminsGroup(b);
      addActor(b, 'iam-013', n, {
        kind: 'user',
        statements: () => [
          allow(['iam:AddUserToGroup', 'iam:GetGroup'], group.arn, { Sid: 'ManageAdminsGroup' }),
        ],
      });
    },
  },
  {
    id: 'iam-022',
    placement: 'workload',
    build: (b, n) => {
      const boundary = b.shared(
        'self-service-boundary',
        () =>
          b.addPolicy({
            name: 'self-service-boundary',
            description: 'Boundary for self-service users (lets them manage their own user)',
            versions: [
              policy(
                allow(['s3:*', 'lambda:*', 'logs:*', 'dynamodb:*', 'ec2:Describe*'], '*', {
                  Sid: 'Workloads',
                }),
                allow(
                  ['iam:Get*', 'iam:List*', 'iam:DeleteUserPermissionsBoundary'],
                  'arn:aws:iam::*:user/${aws:username}',
                  {
                    Sid: 'ManageOwnUser',
                  },
                ),
              ),
            ],
          }).arn,
      );
      const actor = addActor(b, 'iam-022', n, {
        kind: 'user',
        statements: (self) => [
          allow(['iam:DeleteUserPermissionsBoundary', 'iam:GetUser'], self.arn),
        ],
        extra: { boundary, attached: [awsManaged('AdministratorAccess')] },
      });
      b.plant('PE-06', actor.arn, 'user can delete its own permissions boundary');
    },
  },
  // Principal access.
  {
    id: 'sts-001',
    placement: 'workload',
    build: (b, n) => {
      const target = b.shared('break-glass-role', () =>
        b.addRole({
          name: `${b.account.theme}-break-glass`,
          trust: policy(trustStatement({ AWS: b.rootArn })),
          attached: [awsManaged('AdministratorAccess')],
          activity: 'stale',
          session: { kind: 'account', accountId: b.id },
          usage: { actions: ['iam:ListRoles'], resources: [] },
        }),
      );
      addActor(b, 'sts-001', n, {
        kind: 'user',
        statements: () => [allow('sts:AssumeRole', target.arn)],
      });
      b.plant('TRU-12', target.arn, 'admin role trusts its own account root');
    },
  },
  credentialKit('iam-002', ['iam:CreateAccessKey'], { password: true, keys: 1 }),
  credentialKit('iam-003', ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys'], {
    password: true,
    keys: 2,
  }),
  credentialKit('iam-004', ['iam:CreateLoginProfile'], { password: false, keys: 1 }),
  credentialKit('iam-006', ['iam:UpdateLoginProfile'], { password: true, keys: 0 }),
  {
    id: 'iam-012',
    placement: 'workload',
    build: (b, n) => {
      const target = b.shared('deploy-admin-role', () =>
        b.addRole({
          name: 'pipeline-deploy-admin',
          trust: policy(trustStatement({ Service: 'codepipeline.amazonaws.com' })),
          attached: [awsManaged('AdministratorAccess')],
          session: { kind: 'service', service: 'codepipeline.amazonaws.com' },
          usage: {
            actions: [
              'cloudformation:CreateChangeSet',
              'cloudformation:ExecuteChangeSet',
              's3:GetObject',
            ],
            resources: [],
          },
        }),
      );
      addActor(b, 'iam-012', n, {
        kind: 'user',
        statements: () => [allow(['iam:UpdateAssumeRolePolicy', 'iam:GetRole'], target.arn)],
      });
    },
  },
  ...principalPairKits(),
  // New PassRole.
  newPassRole('ec2-001', 'ec2.amazonaws.com', ['ec2:RunInstances']),
  newPassRole('ec2-003', 'ec2.amazonaws.com', ['ec2:RequestSpotInstances']),
  newPassRole('ec2-associate-instance-profile', 'ec2.amazonaws.com', [
    'ec2:AssociateIamInstanceProfile',
    'ec2:ReplaceIamInstanceProfileAssociation',
    'ec2:DescribeInstances',
  ]),
  newPassRole('lambda-001', 'lambda.amazonaws.com', [
    'lambda:CreateFunction',
    'lambda:InvokeFunction',
  ]),
  newPassRole('lambda-002', 'lambda.amazonaws.com', [
    'lambda:CreateFunction',
    'lambda:CreateEventSourceMapping',
  ]),
  newPassRole('lambda-006', 'lambda.amazonaws.com', [
    'lambda:CreateFunction',
    'lambda:AddPermission',
  ]),
  newPassRole('cloudformation-001', 'cloudformation.amazonaws.com', ['cloudformation:CreateStack']),
  newPassRole('cloudformation-003', 'cloudformation.amazonaws.com', [
    'cloudformation:CreateStackSet',
    'cloudformation:CreateStackInstances',
  ]),
  newPassRole('cloudformation-004', 'cloudformation.amazonaws.com', [
    'cloudformation:UpdateStackSet',
  ]),
  newPassRole('codebuild-001', 'codebuild.amazonaws.com', [
    'codebuild:CreateProject',
    'codebuild:StartBuild',
  ]),
  newPassRole('codebuild-004', 'codebuild.amazonaws.com', [
    'codebuild:CreateProject',
    'codebuild:StartBuildBatch',
  ]),
  newPassRole('datapipeline-001', 'datapipeline.amazonaws.com', [
    'datapipeline:CreatePipeline',
    'datapipeline:PutPipelineDefinition',
    'datapipeline:ActivatePipeline',
  ]),
  newPassRole('glue-001', 'glue.amazonaws.com', ['glue:CreateDevEndpoint', 'glue:GetDevEndpoint']),
  newPassRole('glue-003', 'glue.amazonaws.com', ['glue:CreateJob', 'glue:StartJobRun']),
  newPassRole('glue-004', 'glue.amazonaws.com', ['glue:CreateJob', 'glue:CreateTrigger']),
  newPassRole(
    'glue-005',
    'glue.amazonaws.com',
    ['glue:UpdateJob', 'glue:StartJobRun'],
    privilegedGlueJob,
  ),
  newPassRole(
    'glue-006',
    'glue.amazonaws.com',
    ['glue:UpdateJob', 'glue:CreateTrigger'],
    privilegedGlueJob,
  ),
  newPassRole('glue-007', 'glue.amazonaws.com', ['glue:CreateSession', 'glue:RunStatement']),
  newPassRole('ecs-001', 'ecs-tasks.amazonaws.com', [
    'ecs:CreateCluster',
    'ecs:RegisterTaskDefinition',
    'ecs:CreateService',
  ]),
  newPassRole('ecs-002', 'ecs-tasks.amazonaws.com', [
    'ecs:CreateCluster',
    'ecs:RegisterTaskDefinition',
    'ecs:RunTask',
  ]),
  newPassRole(
    'ecs-003',
    'ecs-tasks.amazonaws.com',
    ['ecs:RegisterTaskDefinition', 'ecs:CreateService'],
    ecsCluster,
  ),
  newPassRole(
    'ecs-004',
    'ecs-tasks.amazonaws.com',
    ['ecs:RegisterTaskDefinition', 'ecs:RunTask'],
    ecsCluster,
  ),
  newPassRole(
    'ecs-005',
    'ecs-tasks.amazonaws.com',
    ['ecs:RegisterTaskDefinition', 'ecs:StartTask'],
    ecsCluster,
  ),
  newPassRole(
    'ecs-007',
    'ecs-tasks.amazonaws.com',
    ['ecs:StartTask', 'ecs:RegisterContainerInstance', 'ecs:DeregisterContainerInstance'],
    ecsCluster,
  ),
  newPassRole('ecs-008', 'ecs-tasks.amazonaws.com', ['ecs:RunTask'], ecsCluster),
  newPassRole('ecs-009', 'ecs-tasks.amazonaws.com', ['ecs:StartTask'], ecsCluster),
  newPassRole('sagemaker-001', 'sagemaker.amazonaws.com', ['sagemaker:CreateNotebookInstance']),
  newPassRole('sagemaker-002', 'sagemaker.amazonaws.com', ['sagemaker:CreateTrainingJob']),
  newPassRole('sagemaker-003', 'sagemaker.amazonaws.com', ['sagemaker:CreateProcessingJob']),
  newPassRole('apprunner-001', 'tasks.apprunner.amazonaws.com', ['apprunner:CreateService']),
  newPassRole('bedrock-001', 'bedrock-agentcore.amazonaws.com', [
    'bedrock-agentcore:CreateCodeInterpreter',
    'bedrock-agentcore:StartCodeInterpreterSession',
    'bedrock-agentcore:InvokeCodeInterpreter',
  ]),
  newPassRole('autoscaling-001', 'ec2.amazonaws.com', [
    'autoscaling:CreateAutoScalingGroup',
    'autoscaling:CreateLaunchConfiguration',
  ]),
  newPassRole('codestar-001', 'codestar.amazonaws.com', ['codestar:CreateProject']),
  newPassRole('batch-001', 'ecs-tasks.amazonaws.com', [
    'batch:RegisterJobDefinition',
    'batch:SubmitJob',
  ]),
  newPassRole('emr-001', 'ec2.amazonaws.com', ['elasticmapreduce:RunJobFlow']),
  newPassRole('emrserverless-001', 'emr-serverless.amazonaws.com', [
    'emr-serverless:CreateApplication',
    'emr-serverless:StartJobRun',
  ]),
  newPassRole('scheduler-001', 'scheduler.amazonaws.com', ['scheduler:CreateSchedule']),
  newPassRole('ssm-003', 'ssm.amazonaws.com', [
    'ssm:CreateDocument',
    'ssm:StartAutomationExecution',
  ]),
  newPassRole('stepfunctions-001', 'states.amazonaws.com', [
    'states:CreateStateMachine',
    'states:StartExecution',
  ]),
  newPassRole('kinesisanalytics-001', 'kinesisanalytics.amazonaws.com', [
    'kinesisanalytics:CreateApplication',
    'kinesisanalytics:StartApplication',
  ]),
  newPassRole('imagebuilder-001', 'ec2.amazonaws.com', [
    'imagebuilder:CreateComponent',
    'imagebuilder:CreateImageRecipe',
    'imagebuilder:CreateInfrastructureConfiguration',
    'imagebuilder:CreateImage',
  ]),
  newPassRole('braket-001', 'braket.amazonaws.com', ['braket:CreateJob']),
  newPassRole('omics-001', 'omics.amazonaws.com', [
    'omics:CreateWorkflow',
    'omics:StartRun',
    's3:GetObject',
  ]),
  newPassRole('gamelift-001', 'gamelift.amazonaws.com', [
    'gamelift:CreateBuild',
    'gamelift:CreateFleet',
    'gamelift:RequestUploadCredentials',
  ]),
  newPassRole('cognitoidentity-001', 'cognito-identity.amazonaws.com', [
    'cognito-identity:SetIdentityPoolRoles',
  ]),
  // Existing PassRole: compute that already runs with a privileged role.
  existingResource('lambda-003', privilegedLambda, ['lambda:UpdateFunctionCode']),
  existingResource('lambda-004', privilegedLambda, [
    'lambda:UpdateFunctionCode',
    'lambda:InvokeFunction',
  ]),
  existingResource('lambda-005', privilegedLambda, [
    'lambda:UpdateFunctionCode',
    'lambda:AddPermission',
  ]),
  existingResource('lambda-update-function-configuration', privilegedLambda, [
    'lambda:UpdateFunctionConfiguration',
  ]),
  existingResource('ec2-002', privilegedInstance, [
    'ec2:ModifyInstanceAttribute',
    'ec2:StopInstances',
    'ec2:StartInstances',
  ]),
  existingResource('ec2-004', privilegedLaunchTemplate, [
    'ec2:CreateLaunchTemplateVersion',
    'ec2:ModifyLaunchTemplate',
  ]),
  existingResource('ec2instanceconnect-003', privilegedInstance, [
    'ec2-instance-connect:SendSSHPublicKey',
    'ec2:DescribeInstances',
  ]),
  existingResource('ssm-001', privilegedInstance, ['ssm:StartSession']),
  existingResource('ssm-002', privilegedInstance, ['ssm:SendCommand']),
  existingResource('cloudformation-002', privilegedStack, ['cloudformation:UpdateStack']),
  existingResource('cloudformation-005', privilegedStack, [
    'cloudformation:CreateChangeSet',
    'cloudformation:ExecuteChangeSet',
  ]),
  existingResource('codebuild-002', privilegedCodeBuild, ['codebuild:StartBuild']),
  existingResource('codebuild-003', privilegedCodeBuild, ['codebuild:StartBuildBatch']),
  existingResource('glue-002', privilegedDevEndpoint, ['glue:UpdateDevEndpoint']),
  existingResource('sagemaker-004', privilegedNotebook, [
    'sagemaker:CreatePresignedNotebookInstanceUrl',
  ]),
  existingResource('sagemaker-005', privilegedNotebook, [
    'sagemaker:CreateNotebookInstanceLifecycleConfig',
    'sagemaker:StopNotebookInstance',
    'sagemaker:UpdateNotebookInstance',
    'sagemaker:StartNotebookInstance',
  ]),
  existingResource('apprunner-002', privilegedAppRunner, ['apprunner:UpdateService']),
  existingResource('bedrock-002', privilegedInterpreter, [
    'bedrock-agentcore:StartCodeInterpreterSession',
    'bedrock-agentcore:InvokeCodeInterpreter',
  ]),
  // ECS Exec is authorized on the tasks (task/<cluster>/<id>), not on the service.
  existingResource(
    'ecs-006',
    (b) => privilegedEcsService(b).service,
    ['ecs:ExecuteCommand', 'ecs:DescribeTasks'],
    (item) => String(item.ARN).replace(/:service\/([^/]+)\/.*$/, ':task/$1/*'),
  ),
  {
    id: 'ssm-lateral-movement',
    placement: 'workload',
    build: (b, n) => {
      // ADM-12: an instance role that may run commands on every instance, one of which is admin.
      privilegedInstance(b);
      const rng = kitRng(b, 'ssm-lateral-movement', n);
      const role = b.addRole({
        name: `${b.account.theme}-fleet-agent`,
        trust: policy(trustStatement({ Service: 'ec2.amazonaws.com' })),
        attached: [awsManaged('AmazonSSMManagedInstanceCore')],
        inline: [
          {
            name: 'fleet-operations',
            document: policy(
              allow(['ssm:SendCommand', 'ssm:StartSession', 'ssm:ListCommandInvocations'], '*'),
            ),
          },
        ],
        instanceProfile: true,
        session: { kind: 'service', service: 'ec2.amazonaws.com' },
        usage: { actions: ['ssm:SendCommand', 'ssm:ListCommandInvocations'], resources: [] },
      });
      addEc2Instance(b, {
        name: `fleet-agent-${rng.int(1, 9)}`,
        role,
        securityGroups: [internalGroup(b)],
        ssmManaged: true,
      });
      b.plant(
        'ADM-12',
        role.arn,
        'instance role can run commands on an instance with an admin profile',
      );
      plantKit(
        b,
        'ssm-lateral-movement',
        role.arn,
        'instance role can send commands to an admin instance',
      );
      b.plant('ssm-002', role.arn, 'instance role can send commands to an admin instance');
      b.plant('PE-04', role.arn, 'workload role can escalate (ssm-002)');
    },
  },
  // Organization level (Identity Center).
  ...(
    [
      [
        'sso-001',
        [
          'sso:CreatePermissionSet',
          'sso:CreateAccountAssignment',
          'sso:AttachManagedPolicyToPermissionSet',
        ],
      ],
      ['sso-002', ['sso:AttachManagedPolicyToPermissionSet', 'sso:ProvisionPermissionSet']],
      ['sso-003', ['sso:PutInlinePolicyToPermissionSet', 'sso:ProvisionPermissionSet']],
    ] as const
  ).map(([id, actions]): Kit => ({
    id,
    placement: 'management',
    build: (b, n) => {
      addActor(b, id, n, {
        kind: 'user',
        statements: () => [
          allow([...actions], '*', { Sid: 'IdentityCenterAdmin' }),
          allow('identitystore:*', '*'),
        ],
      });
    },
  })),
];

function credentialKit(
  id: string,
  actions: readonly string[],
  target: { password: boolean; keys: number },
): Kit {
  return {
    id,
    placement: 'workload',
    avoidProd: actions.some((a) => a === 'iam:CreateAccessKey' || a === 'iam:CreateLoginProfile'),
    build: (b, n) => {
      const victim = adminUser(b, `${target.password}-${target.keys}`, target);
      const rng = kitRng(b, id, n);
      addActor(b, id, n, {
        kind: 'user',
        statements: () => [
          allow([...actions], rng.chance(0.5) ? `arn:aws:iam::${b.id}:user/*` : victim.arn, {
            Sid: 'ManageUsers',
          }),
          allow(['iam:ListUsers', 'iam:GetUser'], '*'),
        ],
      });
    },
  };
}

/** The principal-access kits that pair two permissions on a target role or user. */
function principalPairKits(): Kit[] {
  const onRole = (
    id: string,
    actions: (target: RoleEntity, managedArn: string | null) => Statement[],
    options: { trustActor: boolean; withPolicy?: boolean; boundary?: boolean },
  ): Kit => ({
    id,
    placement: 'workload',
    build: (b, n) => {
      const rng = kitRng(b, id, n);
      const actorKind = rng.chance(0.7) ? 'user' : 'role';
      const actorName = b.reserve(
        actorKind,
        `${rng.pick(['dev', 'ops', 'analyst'])}-${rng.pick(FIRST_NAMES)}`,
      );
      const managed = options.withPolicy
        ? b.addPolicy({
            name: `${id}-target-policy`,
            versions: [policy(allow(['s3:GetObject', 's3:ListBucket'], '*'))],
          })
        : null;
      const target = targetRole(
        b,
        `${b.account.theme}-reporting`,
        options.trustActor ? actorName.arn : null,
        {
          attached: managed ? [managed.arn] : [awsManaged('AmazonS3ReadOnlyAccess')],
          boundary: options.boundary ? developerBoundary(b) : undefined,
        },
      );
      if (options.boundary) target.attached.push(awsManaged('AdministratorAccess'));
      const statements = actions(target, managed?.arn ?? null);
      const document = policy(...statements);
      const usage = { actions: ['sts:GetCallerIdentity'], resources: [] };
      const actor =
        actorKind === 'user'
          ? b.addUser({
              ...actorName,
              inline: [{ name: 'delegated-admin', document }],
              password: 'active',
              mfa: true,
              usage,
            })
          : b.addRole({
              ...actorName,
              trust: policy(trustStatement({ Service: 'lambda.amazonaws.com' })),
              inline: [{ name: 'delegated-admin', document }],
              session: { kind: 'service', service: 'lambda.amazonaws.com' },
              usage,
            });
      plantKit(b, id, actor.arn, `${actor.name} can take over ${target.name} (${id})`);
    },
  });
  const onUser = (id: string, actions: readonly string[]): Kit => ({
    id,
    placement: 'workload',
    avoidProd: actions.includes('iam:CreateAccessKey'),
    build: (b, n) => {
      const victim = b.addUser({
        name: `svc-${b.account.theme}-reports`,
        attached: [awsManaged('AmazonS3ReadOnlyAccess')],
        keys: [{ activity: 'active' }],
        usage: { actions: ['s3:GetObject'], resources: [] },
      });
      addActor(b, id, n, { kind: 'user', statements: () => [allow([...actions], victim.arn)] });
    },
  });
  return [
    onRole('iam-014', (t) => [allow(['iam:AttachRolePolicy', 'sts:AssumeRole'], t.arn)], {
      trustActor: true,
    }),
    onUser('iam-015', ['iam:AttachUserPolicy', 'iam:CreateAccessKey']),
    onRole(
      'iam-016',
      (t, p) => [allow('iam:CreatePolicyVersion', p ?? '*'), allow('sts:AssumeRole', t.arn)],
      { trustActor: true, withPolicy: true },
    ),
    onRole('iam-017', (t) => [allow(['iam:PutRolePolicy', 'sts:AssumeRole'], t.arn)], {
      trustActor: true,
    }),
    onUser('iam-018', ['iam:PutUserPolicy', 'iam:CreateAccessKey']),
    onRole(
      'iam-019',
      (t) => [allow(['iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'], t.arn)],
      {
        trustActor: false,
      },
    ),
    onRole(
      'iam-020',
      (t, p) => [
        allow('iam:CreatePolicyVersion', p ?? '*'),
        allow('iam:UpdateAssumeRolePolicy', t.arn),
      ],
      { trustActor: false, withPolicy: true },
    ),
    onRole('iam-021', (t) => [allow(['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'], t.arn)], {
      trustActor: false,
    }),
    onRole(
      'iam-023',
      (t) => [allow(['sts:AssumeRole', 'iam:DeleteRolePermissionsBoundary'], t.arn)],
      {
        trustActor: true,
        boundary: true,
      },
    ),
  ];
}

/** The account's developer permissions boundary (a customer managed policy). */
export function developerBoundary(b: AccountBuilder): string {
  return b.shared('developer-boundary', () => {
    const document: PolicyDoc = policy(
      allow(
        [
          's3:*',
          'dynamodb:*',
          'lambda:*',
          'logs:*',
          'cloudwatch:*',
          'sqs:*',
          'sns:*',
          'ec2:Describe*',
          'sts:GetCallerIdentity',
        ],
        '*',
        { Sid: 'WorkloadServices' },
      ),
      {
        Sid: 'NoIdentityChanges',
        Effect: 'Deny',
        Action: ['iam:*', 'organizations:*', 'account:*'],
        Resource: '*',
      },
    );
    return b.addPolicy({
      name: 'developer-boundary',
      description: 'Permissions boundary for self-managed developer identities',
      versions: [document],
    }).arn;
  });
}

/** The kits by id. */
export const KITS_BY_ID: ReadonlyMap<string, Kit> = new Map(KITS.map((kit) => [kit.id, kit]));
