import type { ConfigExtractor } from './extractor.js';
import { firstKnown, policyAt, scalarAt } from './fields.js';

/**
 * AWS::KMS::Key. The key policy is JSON text in `supplementaryConfiguration.Policy`: confirmed by
 * the AWS Config data source of cloud-copilot/iam-collect (AwsConfigKmsClient selects
 * `supplementaryConfiguration.Policy` for KMS keys); awslabs/aws-config-resource-schema lists only
 * the indexed members (`configuration.keyManager`, `supplementaryConfiguration.KeyRotationStatus`).
 * Our collector may write the CloudFormation-style `configuration.KeyPolicy` instead.
 */
export const kmsKey: ConfigExtractor = {
  type: 'AWS::KMS::Key',
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:kms:${region}:${accountId}:key/${resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    const policy = firstKnown(
      policyAt(ctx, item.supplementary, 'Policy', 'KeyPolicy'),
      policyAt(ctx, configuration, 'KeyPolicy', 'Policy'),
    );
    return {
      policy,
      properties: {
        keyManager: scalarAt(configuration, 'keyManager'),
        keyState: scalarAt(configuration, 'keyState'),
        keyUsage: scalarAt(configuration, 'keyUsage'),
        keySpec: scalarAt(configuration, 'keySpec', 'customerMasterKeySpec'),
        origin: scalarAt(configuration, 'origin'),
        description: scalarAt(configuration, 'description'),
        rotationEnabled: scalarAt(item.supplementary, 'KeyRotationStatus'),
      },
    };
  },
};
