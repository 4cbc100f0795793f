import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { awsError, collectInRegion } from '../../test-support/collector.js';
import { s3AccountPublicAccessBlock } from './s3-account.js';

const ACCOUNT = '444455556666';
const REGION = 'us-east-1';
const s3control = mockClient(S3ControlClient);
afterEach(() => s3control.reset());

const collect = () => collectInRegion(s3AccountPublicAccessBlock, ACCOUNT, REGION);

describe('S3 account-level Block Public Access (S3 Control GetPublicAccessBlock)', () => {
  it('writes the configured settings as the account item the importer puts on the account', async () => {
    s3control.on(GetPublicAccessBlockCommand, { AccountId: ACCOUNT }).resolves({
      // Scrubbed S3 Control answer: RestrictPublicBuckets and BlockPublicPolicy on.
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    const { items, gaps, part } = await collect();
    expect(gaps).toEqual([]);
    expect(items).toHaveLength(1);
    expect(items[0]).not.toHaveProperty('ARN');
    expect(items[0]).toMatchObject({
      resourceType: 'AWS::S3::AccountPublicAccessBlock',
      resourceId: ACCOUNT,
      awsAccountId: ACCOUNT,
    });
    expect(part.resources).toEqual([]);
    expect(part.accounts).toEqual([
      {
        id: ACCOUNT,
        name: null,
        sources: ['config-items.json'],
        s3PublicAccessBlock: {
          blockPublicAcls: false,
          ignorePublicAcls: false,
          blockPublicPolicy: true,
          restrictPublicBuckets: true,
        },
      },
    ]);
    expect(s3control.commandCalls(GetPublicAccessBlockCommand)).toHaveLength(1);
  });

  it('reads "none configured" as all four settings off, a known answer', async () => {
    s3control
      .on(GetPublicAccessBlockCommand)
      .rejects(
        awsError(
          'NoSuchPublicAccessBlockConfiguration',
          'The public access block configuration was not found',
          404,
        ),
      );
    const { gaps, part } = await collect();
    expect(gaps).toEqual([]);
    expect(part.accounts?.[0]?.s3PublicAccessBlock).toEqual({
      blockPublicAcls: false,
      ignorePublicAcls: false,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
  });

  it('records a refusal as a gap and writes no item, so the account level stays unknown', async () => {
    s3control
      .on(GetPublicAccessBlockCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:sts::444455556666:assumed-role/iamsight-collector/s is not authorized to perform: s3:GetAccountPublicAccessBlock',
          403,
        ),
      );
    const { items, gaps, part } = await collect();
    expect(items).toEqual([]);
    expect(part.accounts).toEqual([]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({
      source: 'config:AWS::S3::AccountPublicAccessBlock',
      accountId: ACCOUNT,
      region: REGION,
    });
    expect(gaps[0]?.detail).toMatch(/^s3:GetAccountPublicAccessBlock: access denied/);
  });

  it('rethrows an error that is not AWS’s (a bug, not a gap)', async () => {
    s3control.on(GetPublicAccessBlockCommand).rejects(new TypeError('not from AWS'));
    await expect(collect()).rejects.toThrow('not from AWS');
  });
});
