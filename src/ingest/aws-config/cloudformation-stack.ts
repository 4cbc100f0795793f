import type { ConfigExtractor } from './extractor.js';
import { scalarAt, stringAt, stringsAt } from './fields.js';

/**
 * AWS::CloudFormation::Stack. AWS Config records DescribeStacks in camelCase with the service
 * role as `roleARN` (/work/shared/reference/aws-config-items.json); whoever can update the stack
 * acts with that role.
 */
export const cloudFormationStack: ConfigExtractor = {
  type: 'AWS::CloudFormation::Stack',
  extract(item, ctx) {
    const configuration = item.configuration;
    const role = stringAt(ctx, configuration, 'roleARN', 'roleArn');
    return {
      roleArns: role ? [role] : [],
      properties: {
        stackStatus: scalarAt(configuration, 'stackStatus'),
        capabilities: stringsAt(ctx, configuration, 'capabilities'),
        enableTerminationProtection: scalarAt(configuration, 'enableTerminationProtection'),
        lastUpdatedTime: scalarAt(configuration, 'lastUpdatedTime'),
      },
    };
  },
};
