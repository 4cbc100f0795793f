import type { ConfigExtractor } from './extractor.js';
import { policyAt, scalarAt } from './fields.js';

/**
 * AWS::SNS::Topic. AWS Config records the topic's attributes in PascalCase (`TopicArn`, `Owner`,
 * `KmsMasterKeyId`: awslabs/aws-config-resource-schema) and the topic policy as the JSON text of
 * the `Policy` attribute (selected as `configuration.Policy` by cloud-copilot/iam-collect).
 */
export const snsTopic: ConfigExtractor = {
  type: 'AWS::SNS::Topic',
  extract(item, ctx) {
    const configuration = item.configuration;
    return {
      policy: policyAt(ctx, configuration, 'Policy') ?? null,
      properties: {
        displayName: scalarAt(configuration, 'DisplayName'),
        owner: scalarAt(configuration, 'Owner'),
        kmsMasterKeyId: scalarAt(configuration, 'KmsMasterKeyId'),
      },
    };
  },
};
