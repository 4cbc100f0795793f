import type { ConfigExtractor } from './extractor.js';
import { policyAt, scalarAt } from './fields.js';

/**
 * AWS::SQS::Queue. AWS Config records the queue's attributes in PascalCase (`QueueArn`,
 * `KmsMasterKeyId`: awslabs/aws-config-resource-schema), and the queue policy as the JSON text of
 * the `Policy` attribute (selected as `configuration.Policy` by cloud-copilot/iam-collect's AWS
 * Config data source). The attribute is absent when the queue has no policy.
 */
export const sqsQueue: ConfigExtractor = {
  type: 'AWS::SQS::Queue',
  // The resourceId of a queue is its URL: https://sqs.<region>.amazonaws.com/<account>/<name>.
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:sqs:${region}:${accountId}:${resourceId.split('/').pop() ?? resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    return {
      policy: policyAt(ctx, configuration, 'Policy') ?? null,
      properties: {
        queueUrl: scalarAt(configuration, 'QueueUrl'),
        fifoQueue: scalarAt(configuration, 'FifoQueue'),
        kmsMasterKeyId: scalarAt(configuration, 'KmsMasterKeyId'),
        sqsManagedSseEnabled: scalarAt(configuration, 'SqsManagedSseEnabled'),
      },
    };
  },
};
