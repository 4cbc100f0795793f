import type { ConfigExtractor } from './extractor.js';
import { scalarAt, stringAt, stringsAt } from './fields.js';

/**
 * AWS::SageMaker::NotebookInstance. AWS Config records CloudFormation-style properties:
 * `RoleArn`, `DirectInternetAccess` ("Enabled"/"Disabled"), `RootAccess`
 * (/work/shared/reference/aws-config-items.json).
 */
export const sageMakerNotebookInstance: ConfigExtractor = {
  type: 'AWS::SageMaker::NotebookInstance',
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:sagemaker:${region}:${accountId}:notebook-instance/${resourceId.toLowerCase()}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    const role = stringAt(ctx, configuration, 'RoleArn');
    const internet = stringAt(ctx, configuration, 'DirectInternetAccess');
    return {
      roleArns: role ? [role] : [],
      exposure: {
        directInternetAccess: internet === null ? null : internet === 'Enabled',
        securityGroupIds: stringsAt(ctx, configuration, 'SecurityGroupIds'),
      },
      properties: {
        instanceType: scalarAt(configuration, 'InstanceType'),
        rootAccess: scalarAt(configuration, 'RootAccess'),
        platformIdentifier: scalarAt(configuration, 'PlatformIdentifier'),
      },
    };
  },
};
