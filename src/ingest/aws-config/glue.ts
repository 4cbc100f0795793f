import type { ConfigExtractor } from './extractor.js';
import { objectAt, roleArnOf, scalarAt, stringAt, stringsAt } from './fields.js';

/**
 * AWS::Glue::DevEndpoint (not an AWS Config type: our collector writes GetDevEndpoints in
 * camelCase, `roleArn`, `publicAddress`; /work/shared/reference/aws-config-items.json). A dev
 * endpoint with a public address accepts SSH keys and runs as its role.
 */
export const glueDevEndpoint: ConfigExtractor = {
  type: 'AWS::Glue::DevEndpoint',
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:glue:${region}:${accountId}:devEndpoint/${resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    const role = stringAt(ctx, configuration, 'roleArn');
    return {
      roleArns: role ? [roleArnOf(role, item.accountId, item.partition)] : [],
      exposure: { securityGroupIds: stringsAt(ctx, configuration, 'securityGroupIds') },
      properties: {
        status: scalarAt(configuration, 'status'),
        publicAddress: scalarAt(configuration, 'publicAddress'),
        glueVersion: scalarAt(configuration, 'glueVersion'),
      },
    };
  },
};

/**
 * AWS::Glue::Job. AWS Config records CloudFormation-style properties: `Role` (a role name or ARN),
 * `Command.Name`, `GlueVersion` (/work/shared/reference/aws-config-items.json).
 */
export const glueJob: ConfigExtractor = {
  type: 'AWS::Glue::Job',
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:glue:${region}:${accountId}:job/${resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    const role = stringAt(ctx, configuration, 'Role', 'roleArn');
    return {
      roleArns: role ? [roleArnOf(role, item.accountId, item.partition)] : [],
      properties: {
        command: scalarAt(objectAt(ctx, configuration, 'Command'), 'Name'),
        glueVersion: scalarAt(configuration, 'GlueVersion'),
        workerType: scalarAt(configuration, 'WorkerType'),
      },
    };
  },
};
