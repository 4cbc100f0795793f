import type { Exposure } from '../../model/index.js';
import type { ConfigExtractor } from './extractor.js';
import { booleanAt, memberOf, objectAt, policyAt, scalarAt } from './fields.js';

/**
 * AWS::S3::Bucket. AWS Config records the bucket policy as JSON text in
 * `supplementaryConfiguration.BucketPolicy.policyText` (null when there is none) and the
 * bucket-level Block Public Access settings in `supplementaryConfiguration.PublicAccessBlockConfiguration`
 * (absent when none is set); shapes confirmed in /work/shared/reference/aws-config-items.json.
 * Account-level Block Public Access is a separate resource (AWS::S3::AccountPublicAccessBlock).
 */
export const s3Bucket: ConfigExtractor = {
  type: 'AWS::S3::Bucket',
  arnFromId: ({ resourceId, partition }) => `arn:${partition}:s3:::${resourceId}`,
  extract(item, ctx) {
    const supplementary = item.supplementary;
    const bucketPolicy = objectAt(ctx, supplementary, 'BucketPolicy');
    // BucketPolicy present means recorded: a missing policyText inside it is "no policy".
    const policy = bucketPolicy
      ? (policyAt(ctx, bucketPolicy, 'policyText') ?? null)
      : memberOf(supplementary, 'BucketPolicy')
        ? null
        : undefined;
    const block = objectAt(ctx, supplementary, 'PublicAccessBlockConfiguration');
    const exposure: Exposure = {
      publicAccessBlock: block
        ? {
            blockPublicAcls: booleanAt(ctx, block, 'blockPublicAcls') ?? false,
            ignorePublicAcls: booleanAt(ctx, block, 'ignorePublicAcls') ?? false,
            blockPublicPolicy: booleanAt(ctx, block, 'blockPublicPolicy') ?? false,
            restrictPublicBuckets: booleanAt(ctx, block, 'restrictPublicBuckets') ?? false,
          }
        : null,
    };
    const versioning = objectAt(ctx, supplementary, 'BucketVersioningConfiguration');
    return {
      policy,
      exposure,
      properties: {
        creationDate: scalarAt(item.configuration, 'creationDate'),
        versioning: scalarAt(versioning, 'status'),
      },
    };
  },
};
