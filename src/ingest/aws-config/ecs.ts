import type { ConfigExtractor } from './extractor.js';
import { objectAt, objectsAt, roleArnOf, scalarAt, stringAt, stringsAt, unique } from './fields.js';

/**
 * AWS::ECS::TaskDefinition. AWS Config records CloudFormation-style properties: `TaskRoleArn`,
 * `ExecutionRoleArn` (either may be null), `ContainerDefinitions[].Image`
 * (/work/shared/reference/aws-config-items.json). ECS accepts a role's name or ARN.
 */
export const ecsTaskDefinition: ConfigExtractor = {
  type: 'AWS::ECS::TaskDefinition',
  extract(item, ctx) {
    const configuration = item.configuration;
    const taskRole = stringAt(ctx, configuration, 'TaskRoleArn');
    const executionRole = stringAt(ctx, configuration, 'ExecutionRoleArn');
    const roles = [taskRole, executionRole].filter((role): role is string => role !== null);
    const containers = objectsAt(ctx, configuration, 'ContainerDefinitions');
    return {
      roleArns: unique(roles.map((role) => roleArnOf(role, item.accountId, item.partition))),
      properties: {
        // The task role is what the containers' code gets; the execution role is the agent's.
        taskRoleArn: taskRole ? roleArnOf(taskRole, item.accountId, item.partition) : null,
        executionRoleArn: executionRole
          ? roleArnOf(executionRole, item.accountId, item.partition)
          : null,
        family: scalarAt(configuration, 'Family'),
        revision: scalarAt(configuration, 'Revision'),
        networkMode: scalarAt(configuration, 'NetworkMode'),
        requiresCompatibilities: stringsAt(ctx, configuration, 'RequiresCompatibilities'),
        images: containers.map((container) => scalarAt(container, 'Image')),
        privilegedContainers: containers
          .filter((container) => scalarAt(container, 'Privileged') === true)
          .map((container) => scalarAt(container, 'Name')),
      },
    };
  },
};

/**
 * AWS::ECS::Service. AWS Config records CloudFormation-style properties: `TaskDefinition`,
 * `Cluster`, `Role`, `NetworkConfiguration.AwsvpcConfiguration.SecurityGroups`
 * (/work/shared/reference/aws-config-items.json). The task's roles come from its task definition.
 */
export const ecsService: ConfigExtractor = {
  type: 'AWS::ECS::Service',
  extract(item, ctx) {
    const configuration = item.configuration;
    const role = stringAt(ctx, configuration, 'Role');
    const awsvpc = objectAt(
      ctx,
      objectAt(ctx, configuration, 'NetworkConfiguration'),
      'AwsvpcConfiguration',
    );
    return {
      roleArns: role ? [roleArnOf(role, item.accountId, item.partition)] : [],
      exposure: { securityGroupIds: stringsAt(ctx, awsvpc, 'SecurityGroups') },
      properties: {
        cluster: scalarAt(configuration, 'Cluster'),
        taskDefinition: scalarAt(configuration, 'TaskDefinition'),
        launchType: scalarAt(configuration, 'LaunchType'),
        desiredCount: scalarAt(configuration, 'DesiredCount'),
        enableExecuteCommand: scalarAt(configuration, 'EnableExecuteCommand'),
        assignPublicIp: scalarAt(awsvpc, 'AssignPublicIp'),
      },
    };
  },
};

/**
 * AWS::ECS::Cluster. AWS Config records CloudFormation-style properties: `ClusterName`,
 * `CapacityProviders` (FARGATE / FARGATE_SPOT or capacity providers backed by EC2 Auto Scaling
 * groups; an empty list usually means EC2 container instances registered directly). A cluster runs
 * with no role of its own; escalation techniques need to know it exists.
 */
export const ecsCluster: ConfigExtractor = {
  type: 'AWS::ECS::Cluster',
  extract(item, ctx) {
    const configuration = item.configuration;
    const providers = stringsAt(ctx, configuration, 'CapacityProviders');
    return {
      roleArns: [],
      properties: {
        clusterName: scalarAt(configuration, 'ClusterName'),
        capacityProviders: providers,
        ec2Backed: providers.every((p) => !p.startsWith('FARGATE')),
      },
    };
  },
};
