import type { ConfigExtractor } from './extractor.js';
import { objectAt, policyAt, scalarAt } from './fields.js';

/**
 * AWS::ECR::Repository. AWS Config records CloudFormation-style properties (`RepositoryName`,
 * `ImageTagMutability`, `ImageScanningConfiguration.ScanOnPush`: awslabs/aws-config-resource-schema)
 * with the repository policy in `RepositoryPolicyText`, an object or JSON text (selected as
 * `configuration.RepositoryPolicyText` by cloud-copilot/iam-collect). Absent when there is none.
 */
export const ecrRepository: ConfigExtractor = {
  type: 'AWS::ECR::Repository',
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:ecr:${region}:${accountId}:repository/${resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    return {
      policy: policyAt(ctx, configuration, 'RepositoryPolicyText') ?? null,
      properties: {
        imageTagMutability: scalarAt(configuration, 'ImageTagMutability'),
        scanOnPush: scalarAt(
          objectAt(ctx, configuration, 'ImageScanningConfiguration'),
          'ScanOnPush',
        ),
      },
    };
  },
};
