/**
 * Privileged things that escalation paths lead to, created once per account on first use: admin
 * roles trusted by a service, and existing compute running with them.
 */
import {
  policy,
  trustStatement,
  type AccountBuilder,
  type GroupEntity,
  type RoleEntity,
  type UserEntity,
} from './estate.js';
import { awsManaged } from './managed-policies.js';
import { FIRST_NAMES, LAST_NAMES, PERSONA_ACTIONS } from './personas.js';
import {
  addAppRunnerService,
  addCodeBuildProject,
  addCodeInterpreter,
  addEc2Instance,
  addEcsCluster,
  addEcsService,
  addEcsTaskDefinition,
  addGlueDevEndpoint,
  addGlueJob,
  addLambdaFunction,
  addLaunchTemplateWithGroup,
  addNotebook,
  addOidcProvider,
  addSecurityGroup,
  addStack,
  type ConfigItem,
  type SecurityGroup,
} from './resources.js';
import type { Random } from './random.js';

/** A person's user name, `first.last`. */
export function personName(rng: Random): string {
  return `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}`;
}

/** The first word of a service principal (`lambda.amazonaws.com` → `lambda`). */
export function serviceShortName(service: string): string {
  const [first = service, second = service] = service.split('.');
  return first === 'tasks' ? second : first;
}

/** A role trusted by `service` with AdministratorAccess (one per service and account). */
export function adminServiceRole(b: AccountBuilder, service: string): RoleEntity {
  return b.shared(`admin-service-role/${service}`, () => {
    const short = serviceShortName(service);
    const federated = service === 'cognito-identity.amazonaws.com';
    return b.addRole({
      name: `${short}-admin-exec`,
      trust: policy(
        federated
          ? trustStatement({ Federated: service }, 'sts:AssumeRoleWithWebIdentity', {
              StringEquals: {
                'cognito-identity.amazonaws.com:aud': `${b.region}:${b.hex(8)}-${b.hex(4)}-${b.hex(4)}-${b.hex(4)}-${b.hex(12)}`,
              },
              'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
            })
          : trustStatement({ Service: service }),
      ),
      attached: [awsManaged('AdministratorAccess')],
      instanceProfile: service === 'ec2.amazonaws.com',
      activity: b.rng.fork(`target/${service}`).pick(['active', 'active', 'recent', 'never']),
      session: federated
        ? { kind: 'web-identity', provider: service, subject: 'us-east-1:identity' }
        : { kind: 'service', service },
      usage: { actions: PERSONA_ACTIONS.admin, resources: [] },
    });
  });
}

/** The account's security group open to the internet on SSH. */
export function openSshGroup(b: AccountBuilder, region = b.region): SecurityGroup {
  return b.shared(`sg-open-ssh/${region}`, () =>
    addSecurityGroup(b, {
      name: 'ssh-from-anywhere',
      region,
      description: 'temporary SSH access',
      ingress: [{ protocol: 'tcp', from: 22, to: 22, cidr: '0.0.0.0/0' }],
    }),
  );
}

/** The account's internal-only security group. */
export function internalGroup(b: AccountBuilder, region = b.region): SecurityGroup {
  return b.shared(`sg-internal/${region}`, () =>
    addSecurityGroup(b, {
      name: 'internal-services',
      region,
      description: 'traffic from inside the VPC',
      ingress: [{ protocol: 'tcp', from: 443, to: 443, cidr: '10.0.0.0/8' }],
    }),
  );
}

/** An existing Lambda function running with an admin role. */
export function privilegedLambda(b: AccountBuilder): ConfigItem {
  return b.shared('privileged-lambda', () =>
    addLambdaFunction(b, {
      name: 'ops-admin-tasks',
      role: adminServiceRole(b, 'lambda.amazonaws.com'),
    }),
  );
}

/** An existing, SSM-managed, private EC2 instance running with an admin instance profile. */
export function privilegedInstance(b: AccountBuilder): ConfigItem {
  return b.shared('privileged-instance', () =>
    addEc2Instance(b, {
      name: 'admin-jumpbox',
      role: adminServiceRole(b, 'ec2.amazonaws.com'),
      securityGroups: [internalGroup(b)],
      ssmManaged: true,
    }),
  );
}

/** An existing launch template and Auto Scaling group using an admin instance profile. */
export function privilegedLaunchTemplate(b: AccountBuilder): ConfigItem {
  return b.shared('privileged-launch-template', () =>
    addLaunchTemplateWithGroup(b, {
      name: 'batch-workers',
      role: adminServiceRole(b, 'ec2.amazonaws.com'),
    }),
  );
}

/** An existing CloudFormation stack whose service role is admin. */
export function privilegedStack(b: AccountBuilder): ConfigItem {
  return b.shared('privileged-stack', () =>
    addStack(b, {
      name: 'core-infrastructure',
      role: adminServiceRole(b, 'cloudformation.amazonaws.com'),
    }),
  );
}

/** An existing CodeBuild project whose service role is admin. */
export function privilegedCodeBuild(b: AccountBuilder): ConfigItem {
  return b.shared('privileged-codebuild', () =>
    addCodeBuildProject(b, {
      name: 'release-pipeline',
      role: adminServiceRole(b, 'codebuild.amazonaws.com'),
      repo: `${b.org.githubOrg}/release-pipeline`,
    }),
  );
}

/** An existing Glue development endpoint whose role is admin. */
export function privilegedDevEndpoint(b: AccountBuilder): ConfigItem {
  return b.shared('privileged-glue-dev', () =>
    addGlueDevEndpoint(b, {
      name: 'analytics-dev',
      role: adminServiceRole(b, 'glue.amazonaws.com'),
    }),
  );
}

/** An existing Glue job whose role is admin. */
export function privilegedGlueJob(b: AccountBuilder): ConfigItem {
  return b.shared('privileged-glue-job', () =>
    addGlueJob(b, { name: 'nightly-compaction', role: adminServiceRole(b, 'glue.amazonaws.com') }),
  );
}

/** An existing SageMaker notebook whose role is admin. */
export function privilegedNotebook(b: AccountBuilder): ConfigItem {
  return b.shared('privileged-notebook', () =>
    addNotebook(b, {
      name: 'research-notebook',
      role: adminServiceRole(b, 'sagemaker.amazonaws.com'),
    }),
  );
}

/** An existing App Runner service whose instance role is admin. */
export function privilegedAppRunner(b: AccountBuilder): ConfigItem {
  return b.shared('privileged-apprunner', () =>
    addAppRunnerService(b, {
      name: 'internal-portal',
      role: adminServiceRole(b, 'tasks.apprunner.amazonaws.com'),
    }),
  );
}

/** An existing AgentCore code interpreter whose execution role is admin. */
export function privilegedInterpreter(b: AccountBuilder): ConfigItem {
  return b.shared('privileged-interpreter', () =>
    addCodeInterpreter(b, {
      name: 'analyst-sandbox',
      role: adminServiceRole(b, 'bedrock-agentcore.amazonaws.com'),
    }),
  );
}

/** An existing ECS cluster (EC2-backed) with a service whose task role is admin and ECS Exec on. */
export function privilegedEcsService(b: AccountBuilder): {
  cluster: ConfigItem;
  taskDefinition: ConfigItem;
  service: ConfigItem;
} {
  return b.shared('privileged-ecs', () => {
    const role = adminServiceRole(b, 'ecs-tasks.amazonaws.com');
    const cluster = addEcsCluster(b, { name: 'shared-cluster', ec2Backed: true });
    const taskDefinition = addEcsTaskDefinition(b, {
      family: 'ops-console',
      taskRole: role,
      executionRole: null,
    });
    const service = addEcsService(b, {
      name: 'ops-console',
      cluster: 'shared-cluster',
      taskDefinitionArn: String(taskDefinition.ARN),
      executeCommand: true,
    });
    return { cluster, taskDefinition, service };
  });
}

/** The `admins` group: AdministratorAccess, with one member. */
export function adminsGroup(b: AccountBuilder): GroupEntity {
  return b.shared('admins-group', () => {
    const group = b.addGroup({ name: 'admins', attached: [awsManaged('AdministratorAccess')] });
    const rng = b.rng.fork('admins-group');
    b.addUser({
      name: `admin.${rng.pick(LAST_NAMES)}`,
      groups: [group.name],
      password: 'active',
      mfa: true,
      usage: { actions: PERSONA_ACTIONS.admin, resources: [] },
    });
    return group;
  });
}

/** An admin user with the given credentials, used as the target of credential-access paths. */
export function adminUser(
  b: AccountBuilder,
  key: string,
  options: { password: boolean; keys: number },
): UserEntity {
  return b.shared(`admin-user/${key}`, () => {
    const rng = b.rng.fork(`admin-user/${key}`);
    return b.addUser({
      name: `ops-admin-${rng.pick(FIRST_NAMES)}`,
      attached: [awsManaged('AdministratorAccess')],
      password: options.password ? 'active' : null,
      mfa: options.password,
      keys: Array.from({ length: options.keys }, () => ({ activity: 'active' as const })),
      usage: { actions: PERSONA_ACTIONS.admin, resources: [] },
    });
  });
}

/** The GitHub Actions OIDC provider of the account. */
export function githubProvider(b: AccountBuilder): string {
  return b.shared('oidc/github', () =>
    addOidcProvider(b, {
      url: 'token.actions.githubusercontent.com',
      clientIds: ['sts.amazonaws.com'],
    }),
  );
}
