/**
 * Amazon ECS techniques: run a task (through a new or existing cluster, a new task definition or
 * an existing one with a task role override) as a role trusted by ECS tasks (new-passrole), or
 * open a shell in a running task that has a task role (existing-passrole).
 * Sources: pathfinding.cloud data/paths/ecs; pathfinding-labs scenarios ecs-006…009;
 * anchors.md §B.9 rows 45–51, 76.
 */
import type { PermissionSpec, Technique } from './types.js';

const ECS_TASKS = 'ecs-tasks.amazonaws.com';
const CLUSTER = 'arn:aws:ecs:{region}:{account}:cluster/iamsight-probe';
const TASK_DEFINITION = 'arn:aws:ecs:{region}:{account}:task-definition/iamsight-probe:1';
const TASK = 'arn:aws:ecs:{region}:{account}:task/iamsight-probe/0123456789abcdef0123456789abcdef';
const passable = { kind: 'passable-role', service: ECS_TASKS } as const;
const passRole: PermissionSpec = { action: 'iam:PassRole', on: 'role' };
const createCluster: PermissionSpec = { action: 'ecs:CreateCluster', on: 'new', arn: CLUSTER };
const registerTaskDefinition: PermissionSpec = {
  action: 'ecs:RegisterTaskDefinition',
  on: 'new',
  arn: TASK_DEFINITION,
};
const createService: PermissionSpec = {
  action: 'ecs:CreateService',
  on: 'new',
  arn: 'arn:aws:ecs:{region}:{account}:service/iamsight-probe/iamsight-probe',
};
/** RunTask and StartTask are authorized on the task definition run (new or existing). */
const runTask: PermissionSpec = { action: 'ecs:RunTask', on: 'new', arn: TASK_DEFINITION };
const startTask: PermissionSpec = { action: 'ecs:StartTask', on: 'new', arn: TASK_DEFINITION };

export const ECS_TECHNIQUES: readonly Technique[] = [
  {
    id: 'ecs-001',
    name: 'iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:CreateService',
    category: 'new-passrole',
    target: passable,
    permissions: [passRole, createCluster, registerTaskDefinition, createService],
    gain: 'target',
    reason:
      '{actor} can create an ECS cluster and a service running a task definition whose task role is {target}',
    source: 'pathfinding.cloud ecs-001; anchors §B.9 row 45',
  },
  {
    id: 'ecs-002',
    name: 'iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:RunTask',
    category: 'new-passrole',
    target: passable,
    permissions: [passRole, createCluster, registerTaskDefinition, runTask],
    gain: 'target',
    reason:
      '{actor} can create an ECS cluster and run a task definition whose task role is {target} in it',
    source: 'pathfinding.cloud ecs-002; anchors §B.9 row 46',
  },
  {
    id: 'ecs-003',
    name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:CreateService',
    category: 'new-passrole',
    target: passable,
    permissions: [passRole, registerTaskDefinition, createService],
    prerequisites: ['ecs-cluster-exists'],
    gain: 'target',
    reason:
      '{actor} can create a service in an existing ECS cluster running a task definition whose task role is {target}',
    source: 'pathfinding.cloud ecs-003; anchors §B.9 row 47',
  },
  {
    id: 'ecs-004',
    name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:RunTask',
    category: 'new-passrole',
    target: passable,
    permissions: [passRole, registerTaskDefinition, runTask],
    prerequisites: ['ecs-cluster-exists'],
    gain: 'target',
    reason:
      '{actor} can run a task definition whose task role is {target} in an existing ECS cluster',
    source: 'pathfinding.cloud ecs-004; anchors §B.9 row 48',
  },
  {
    id: 'ecs-005',
    name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:StartTask',
    category: 'new-passrole',
    target: passable,
    permissions: [passRole, registerTaskDefinition, startTask],
    prerequisites: ['ecs-ec2-cluster-exists'],
    gain: 'target',
    reason:
      '{actor} can start a task definition whose task role is {target} on an existing EC2 container instance',
    source: 'pathfinding.cloud ecs-005; anchors §B.9 row 49',
  },
  {
    id: 'ecs-006',
    name: 'ecs:ExecuteCommand + ecs:DescribeTasks',
    category: 'existing-passrole',
    target: {
      kind: 'resource-role',
      resourceTypes: ['AWS::ECS::Service', 'AWS::ECS::TaskDefinition'],
    },
    // Both actions are authorized on the running task (task/<cluster>/<id>), whose id the
    // snapshot does not hold: the actor's own task patterns are tried.
    permissions: [
      { action: 'ecs:ExecuteCommand', on: 'new', arn: TASK },
      { action: 'ecs:DescribeTasks', on: 'new', arn: TASK },
    ],
    gain: 'target',
    reason:
      '{actor} can open a shell with ECS Exec in a running task of {resource} and read the credentials of its task role {target}',
    source: 'pathfinding-labs ecs-006; anchors §B.9 row 76 (Prowler ECS-006)',
  },
  {
    id: 'ecs-007',
    name: 'iam:PassRole + ecs:StartTask + ecs:RegisterContainerInstance + ecs:DeregisterContainerInstance',
    category: 'new-passrole',
    target: passable,
    permissions: [
      passRole,
      startTask,
      { action: 'ecs:RegisterContainerInstance', on: 'new', arn: CLUSTER },
      { action: 'ecs:DeregisterContainerInstance', on: 'new', arn: CLUSTER },
    ],
    prerequisites: ['ecs-cluster-exists', 'ecs-task-definition-exists'],
    gain: 'target',
    reason:
      '{actor} can register an EC2 instance it controls to an ECS cluster and start a task there with {target} as the task role override',
    source: 'pathfinding-labs ecs-007 (Reversec); anchors §B.9 row 50 (Prowler ECS-007)',
  },
  {
    id: 'ecs-008',
    name: 'iam:PassRole + ecs:RunTask',
    category: 'new-passrole',
    target: passable,
    permissions: [passRole, runTask],
    prerequisites: ['ecs-task-definition-exists'],
    gain: 'target',
    reason:
      '{actor} can run an existing ECS task definition with {target} as the task role override and its own command',
    source: 'pathfinding-labs ecs-008; anchors §B.9 row 51 (Prowler ECS-008)',
  },
  {
    id: 'ecs-009',
    name: 'iam:PassRole + ecs:StartTask',
    category: 'new-passrole',
    target: passable,
    permissions: [passRole, startTask],
    prerequisites: ['ecs-task-definition-exists', 'ecs-ec2-cluster-exists'],
    gain: 'target',
    reason:
      '{actor} can start an existing ECS task definition on a container instance with {target} as the task role override and its own command',
    source: 'pathfinding-labs ecs-009; anchors §B.9 row 51 (Prowler ECS-009)',
  },
];
