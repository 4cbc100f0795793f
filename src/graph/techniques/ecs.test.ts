import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import {
  describeTechniques,
  type CustomTwin,
  type EscalationCase,
} from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/ecs-admin';
const CLUSTER = 'arn:aws:ecs:us-east-1:111122223333:cluster/shared-cluster';
const TASK_DEFINITION = 'arn:aws:ecs:us-east-1:111122223333:task-definition/ops-console:3';
const STANDARD = ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp'] as const;

/** An admin role ECS tasks may assume (the passed task role). */
function ecsAdmin(estate: TestEstate): string {
  return estate.role('ecs-admin', {
    trust: trust({ Service: 'ecs-tasks.amazonaws.com' }),
    attached: [ADMIN_ACCESS],
  });
}

/** The passed role, an existing cluster and a task definition that does not use the role. */
function withCluster(estate: TestEstate): string {
  estate.resource('AWS::ECS::Cluster', CLUSTER);
  estate.resource('AWS::ECS::TaskDefinition', TASK_DEFINITION);
  return ecsAdmin(estate);
}

const otherService: CustomTwin = {
  name: 'the passed role trusts another service',
  replaceSetup: true,
  setup: (estate) => {
    estate.role('ecs-admin', {
      trust: trust({ Service: 'lambda.amazonaws.com' }),
      attached: [ADMIN_ACCESS],
    });
    estate.resource('AWS::ECS::Cluster', CLUSTER);
    estate.resource('AWS::ECS::TaskDefinition', TASK_DEFINITION);
  },
};

const noCluster: CustomTwin = {
  name: 'the account has no ECS cluster or task definition (other resources are known)',
  replaceSetup: true,
  setup: (estate) => {
    ecsAdmin(estate);
    estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::ops-artifacts');
  },
};

/** A case whose prerequisite is unknown: no resource inventory at all, so the step is conditional. */
function withoutInventory(c: EscalationCase): EscalationCase {
  return {
    ...c,
    name: `${c.technique} without a resource inventory`,
    setup: ecsAdmin,
    conditional: true,
    twins: [],
  };
}

const passToEcs = (statements: ReturnType<typeof allow>[]): EscalationCase['actor'] => ({
  type: 'user',
  statements: [allow('iam:PassRole', ROLE), ...statements],
});

const ecs003: EscalationCase = {
  technique: 'ecs-003',
  actor: passToEcs([allow(['ecs:RegisterTaskDefinition', 'ecs:CreateService'], '*')]),
  setup: withCluster,
  twins: [...STANDARD, otherService, noCluster],
};
const ecs004: EscalationCase = {
  technique: 'ecs-004',
  actor: {
    type: 'role',
    statements: [
      allow('iam:PassRole', ROLE, {
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
      allow(['ecs:RegisterTaskDefinition', 'ecs:RunTask'], 'arn:aws:ecs:*:111122223333:*'),
    ],
  },
  setup: withCluster,
  twins: [...STANDARD, otherService, noCluster],
};
const ecs005: EscalationCase = {
  technique: 'ecs-005',
  actor: passToEcs([allow(['ecs:RegisterTaskDefinition', 'ecs:StartTask'], '*')]),
  setup: withCluster,
  twins: [...STANDARD, otherService, noCluster],
};
const ecs007: EscalationCase = {
  technique: 'ecs-007',
  actor: {
    type: 'role',
    statements: [
      allow('iam:PassRole', ROLE),
      allow(
        ['ecs:StartTask', 'ecs:RegisterContainerInstance', 'ecs:DeregisterContainerInstance'],
        '*',
      ),
    ],
  },
  setup: withCluster,
  twins: [...STANDARD, otherService, noCluster],
};
const ecs008: EscalationCase = {
  technique: 'ecs-008',
  actor: passToEcs([allow('ecs:RunTask', 'arn:aws:ecs:*:111122223333:task-definition/*')]),
  setup: withCluster,
  twins: [...STANDARD, otherService, noCluster],
};
const ecs009: EscalationCase = {
  technique: 'ecs-009',
  actor: passToEcs([allow('ecs:StartTask', '*')]),
  setup: withCluster,
  twins: [...STANDARD, otherService, noCluster],
};

describeTechniques('ECS techniques', [
  {
    technique: 'ecs-001',
    actor: passToEcs([
      allow(['ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'], '*'),
    ]),
    setup: ecsAdmin,
    twins: [...STANDARD, otherService],
  },
  {
    technique: 'ecs-002',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
        allow(
          ['ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'],
          'arn:aws:ecs:*:111122223333:*',
        ),
      ],
    },
    setup: ecsAdmin,
    twins: [...STANDARD, otherService],
  },
  ecs003,
  withoutInventory(ecs003),
  ecs004,
  withoutInventory(ecs004),
  ecs005,
  withoutInventory(ecs005),
  {
    technique: 'ecs-006',
    actor: {
      type: 'user',
      statements: [
        allow(['ecs:ExecuteCommand', 'ecs:DescribeTasks'], 'arn:aws:ecs:*:*:task/shared-cluster/*'),
      ],
    },
    setup: (estate) => {
      const role = ecsAdmin(estate);
      estate.resource('AWS::ECS::Cluster', CLUSTER);
      estate.resource('AWS::ECS::TaskDefinition', TASK_DEFINITION, { role });
      return role;
    },
    // No resource-mismatch twin: the task ids are not in the snapshot, so the actor's own task
    // patterns are the resources tried (see the technique).
    twins: [
      'missing-permission',
      'deny',
      'boundary',
      'scp',
      {
        name: 'no task runs with the role',
        replaceSetup: true,
        setup: (estate) => {
          ecsAdmin(estate);
          estate.resource('AWS::ECS::Cluster', CLUSTER);
          estate.resource('AWS::ECS::TaskDefinition', TASK_DEFINITION);
        },
      },
    ],
  },
  ecs007,
  withoutInventory(ecs007),
  ecs008,
  withoutInventory(ecs008),
  ecs009,
  withoutInventory(ecs009),
]);
