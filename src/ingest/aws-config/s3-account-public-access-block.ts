import type { S3PublicAccessBlock } from '../../model/index.js';
import { InputError, quoteForMessage } from '../../model/index.js';
import type { ConfigExtractor } from './extractor.js';
import { booleanAt, memberOf } from './fields.js';

const SETTINGS = [
  'blockPublicAcls',
  'ignorePublicAcls',
  'blockPublicPolicy',
  'restrictPublicBuckets',
] as const;

/**
 * AWS::S3::AccountPublicAccessBlock: the account-level S3 Block Public Access settings, recorded
 * by AWS Config with the account id as `resourceId` and the four settings in `configuration`
 * (camelCase; the CloudFormation PascalCase spelling is read too). A setting left out is off, as S3 treats it. The settings go on the
 * account; no resource is created. AWS Config gives these items no ARN, and none exists: the
 * key built from the account id only satisfies the item reader and is never shown.
 */
export const s3AccountPublicAccessBlock: ConfigExtractor = {
  type: 'AWS::S3::AccountPublicAccessBlock',
  target: 'account',
  arnFromId: ({ accountId, partition }) =>
    `arn:${partition}:s3::${accountId}:account-public-access-block`,
  extract(item, ctx) {
    const configuration = item.configuration;
    if (!SETTINGS.some((name) => memberOf(configuration, name))) {
      throw new InputError(
        ctx.file,
        ctx.locate(configuration.path),
        'expected the account-level Block Public Access settings (blockPublicAcls, ' +
          `ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets) (found ${quoteForMessage(configuration.value)})`,
      );
    }
    const settings: S3PublicAccessBlock = {
      blockPublicAcls: booleanAt(ctx, configuration, 'blockPublicAcls') ?? false,
      ignorePublicAcls: booleanAt(ctx, configuration, 'ignorePublicAcls') ?? false,
      blockPublicPolicy: booleanAt(ctx, configuration, 'blockPublicPolicy') ?? false,
      restrictPublicBuckets: booleanAt(ctx, configuration, 'restrictPublicBuckets') ?? false,
    };
    return { account: { s3PublicAccessBlock: settings } };
  },
};
