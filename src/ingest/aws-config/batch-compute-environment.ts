import type { ConfigExtractor } from './extractor.js';
import { instanceProfileArnOf, objectAt, scalarAt, stringAt, stringsAt } from './fields.js';

/**
 * AWS::Batch::ComputeEnvironment. AWS Config records CloudFormation-style properties:
 * `ServiceRole`, `ComputeResources.InstanceRole` (an instance profile name or ARN, EC2 only),
 * `ComputeResources.SecurityGroupIds` (/work/shared/reference/aws-config-items.json).
 */
export const batchComputeEnvironment: ConfigExtractor = {
  type: 'AWS::Batch::ComputeEnvironment',
  extract(item, ctx) {
    const configuration = item.configuration;
    const resources = objectAt(ctx, configuration, 'ComputeResources');
    const serviceRole = stringAt(ctx, configuration, 'ServiceRole');
    const instanceRole = stringAt(ctx, resources, 'InstanceRole');
    return {
      roleArns: serviceRole ? [serviceRole] : [],
      instanceProfileArn: instanceRole
        ? instanceProfileArnOf(instanceRole, item.accountId, item.partition)
        : null,
      exposure: { securityGroupIds: stringsAt(ctx, resources, 'SecurityGroupIds') },
      properties: {
        type: scalarAt(configuration, 'Type'),
        state: scalarAt(configuration, 'State'),
        computeType: scalarAt(resources, 'Type'),
      },
    };
  },
};
