import type { ConfigExtractor } from './extractor.js';
import { firstKnown, policyAt, scalarAt } from './fields.js';

/**
 * AWS::SecretsManager::Secret. AWS Config records the secret's metadata in PascalCase (`Name`,
 * `KMSKeyId`, `RotationEnabled`: awslabs/aws-config-resource-schema) but not its resource policy
 * (cloud-copilot/iam-collect's AWS Config data source returns none for the same reason). Our
 * collector adds `supplementaryConfiguration.ResourcePolicy` (the GetResourcePolicy text, null
 * when there is none); without it the policy is unknown and recorded as a gap.
 */
export const secretsManagerSecret: ConfigExtractor = {
  type: 'AWS::SecretsManager::Secret',
  extract(item, ctx) {
    const configuration = item.configuration;
    const policy = firstKnown(
      policyAt(ctx, item.supplementary, 'ResourcePolicy'),
      policyAt(ctx, configuration, 'ResourcePolicy'),
    );
    return {
      policy,
      unknowns:
        policy === undefined
          ? [
              'AWS Config does not record Secrets Manager resource policies; who else can read these secrets is unknown',
            ]
          : [],
      properties: {
        kmsKeyId: scalarAt(configuration, 'KmsKeyId', 'KMSKeyId'),
        rotationEnabled: scalarAt(configuration, 'RotationEnabled'),
        rotationLambdaArn: scalarAt(configuration, 'RotationLambdaARN'),
      },
    };
  },
};
