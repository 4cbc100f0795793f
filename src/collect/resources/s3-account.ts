/**
 * S3 account-level Block Public Access, from S3 Control. S3 Control prefixes its host with the
 * account id, so the loopback replay of the end-to-end test cannot answer it: it is unit-tested
 * with aws-sdk-client-mock (docs/decisions.md).
 */
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { attempt, clientConfig } from '../aws.js';
import { configItem } from '../config-item.js';
import { orNone, type ResourceCollector } from './context.js';

const ACCOUNT_BLOCK_TYPE = 'AWS::S3::AccountPublicAccessBlock';

/**
 * The account-level S3 Block Public Access (S3 Control GetPublicAccessBlock), once per account.
 * "None configured" is an answer (all four settings off); a refusal is a gap, so the detections
 * know the account level is unknown rather than off.
 */
export const s3AccountPublicAccessBlock: ResourceCollector = {
  service: 's3control',
  types: [ACCOUNT_BLOCK_TYPE],
  global: true,
  async collect(context) {
    const client = new S3ControlClient(clientConfig(context.settings));
    const answer = await attempt(
      context.sink,
      `config:${ACCOUNT_BLOCK_TYPE}`,
      's3:GetAccountPublicAccessBlock',
      () =>
        orNone(
          () => client.send(new GetPublicAccessBlockCommand({ AccountId: context.accountId })),
          'NoSuchPublicAccessBlockConfiguration',
        ),
    );
    if (answer === undefined) return [];
    const settings = answer?.PublicAccessBlockConfiguration;
    return [
      configItem({
        type: ACCOUNT_BLOCK_TYPE,
        arn: null,
        id: context.accountId,
        name: context.accountId,
        accountId: context.accountId,
        region: context.region,
        configuration: {
          blockPublicAcls: settings?.BlockPublicAcls ?? false,
          ignorePublicAcls: settings?.IgnorePublicAcls ?? false,
          blockPublicPolicy: settings?.BlockPublicPolicy ?? false,
          restrictPublicBuckets: settings?.RestrictPublicBuckets ?? false,
        },
        capturedAt: context.now,
      }),
    ];
  },
};
