import { describe, expect, it } from 'vitest';
import { iamActionOfEvent, isDeniedErrorCode, serviceOfEventSource } from './event-action.js';

// [eventSource, eventName, IAM action, where the difference is documented]
const CASES: readonly [string, string, string, string][] = [
  // Same name: the rule, not an exception.
  ['iam.amazonaws.com', 'CreateUser', 'iam:CreateUser', 'same name'],
  ['ec2.amazonaws.com', 'RunInstances', 'ec2:RunInstances', 'same name'],
  ['kms.amazonaws.com', 'Decrypt', 'kms:Decrypt', 'same name'],
  ['sts.amazonaws.com', 'AssumeRole', 'sts:AssumeRole', 'same name'],
  // STS federation calls keep their names (IAM User Guide, "Logging IAM and AWS STS API calls").
  ['sts.amazonaws.com', 'AssumeRoleWithSAML', 'sts:AssumeRoleWithSAML', 'STS federation'],
  ['sts.amazonaws.com', 'AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithWebIdentity', 'STS'],
  ['sts.amazonaws.com', 'GetFederationToken', 'sts:GetFederationToken', 'STS'],
  // Console sign-in events (CloudTrail User Guide, "AWS Management Console sign-in events").
  ['signin.amazonaws.com', 'ConsoleLogin', 'signin:ConsoleLogin', 'sign-in event'],
  ['signin.amazonaws.com', 'SwitchRole', 'signin:SwitchRole', 'sign-in event'],
  // CloudWatch's endpoint is monitoring.amazonaws.com; its IAM prefix is cloudwatch.
  ['monitoring.amazonaws.com', 'PutMetricAlarm', 'cloudwatch:PutMetricAlarm', 'CloudWatch'],
  ['monitoring.amazonaws.com', 'DeleteAlarms', 'cloudwatch:DeleteAlarms', 'CloudWatch'],
  // EC2 Instance Connect has its own prefix and source (Stratus lateral-movement logs).
  [
    'ec2-instance-connect.amazonaws.com',
    'SendSSHPublicKey',
    'ec2-instance-connect:SendSSHPublicKey',
    'EC2 Instance Connect',
  ],
  [
    'ec2-instance-connect.amazonaws.com',
    'SendSerialConsoleSSHPublicKey',
    'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
    'EC2 Instance Connect',
  ],
  ['tagging.amazonaws.com', 'TagResources', 'tag:TagResources', 'Resource Groups Tagging API'],
  ['streams.dynamodb.amazonaws.com', 'GetRecords', 'dynamodb:GetRecords', 'DynamoDB Streams'],
  // Lambda records the API version in the event name (Lambda Developer Guide, CloudTrail).
  ['lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'lambda:UpdateFunctionCode', 'Lambda'],
  ['lambda.amazonaws.com', 'ListFunctions20150331', 'lambda:ListFunctions', 'Lambda'],
  ['lambda.amazonaws.com', 'AddPermission20150331v2', 'lambda:AddPermission', 'Lambda'],
  ['lambda.amazonaws.com', 'PublishLayerVersion20181031', 'lambda:PublishLayerVersion', 'Lambda'],
  ['lambda.amazonaws.com', 'CreateFunctionUrlConfig', 'lambda:CreateFunctionUrlConfig', 'Lambda'],
  // Lambda's data event for invocations is named Invoke.
  ['lambda.amazonaws.com', 'Invoke', 'lambda:InvokeFunction', 'Lambda data event'],
  // Amazon S3 (S3 User Guide, "Amazon S3 policy actions"; Service Authorization Reference).
  ['s3.amazonaws.com', 'ListBuckets', 's3:ListAllMyBuckets', 'S3 one-to-one, other name'],
  ['s3.amazonaws.com', 'ListObjectsV2', 's3:ListBucket', 'S3 one-to-one, other name'],
  ['s3.amazonaws.com', 'ListObjects', 's3:ListBucket', 'S3'],
  ['s3.amazonaws.com', 'HeadBucket', 's3:ListBucket', 'S3'],
  ['s3.amazonaws.com', 'ListObjectVersions', 's3:ListBucketVersions', 'S3'],
  ['s3.amazonaws.com', 'HeadObject', 's3:GetObject', 'S3 data event'],
  ['s3.amazonaws.com', 'GetObject', 's3:GetObject', 'S3 data event'],
  ['s3.amazonaws.com', 'PutObject', 's3:PutObject', 'S3 data event'],
  ['s3.amazonaws.com', 'CopyObject', 's3:PutObject', 'S3 data event'],
  ['s3.amazonaws.com', 'CreateMultipartUpload', 's3:PutObject', 'S3 data event'],
  ['s3.amazonaws.com', 'UploadPart', 's3:PutObject', 'S3 data event'],
  ['s3.amazonaws.com', 'CompleteMultipartUpload', 's3:PutObject', 'S3 data event'],
  ['s3.amazonaws.com', 'DeleteObjects', 's3:DeleteObject', 'S3 data event'],
  ['s3.amazonaws.com', 'ListParts', 's3:ListMultipartUploadParts', 'S3'],
  ['s3.amazonaws.com', 'GetBucketEncryption', 's3:GetEncryptionConfiguration', 'S3'],
  ['s3.amazonaws.com', 'DeleteBucketEncryption', 's3:PutEncryptionConfiguration', 'S3'],
  ['s3.amazonaws.com', 'GetBucketLifecycle', 's3:GetLifecycleConfiguration', 'S3'],
  ['s3.amazonaws.com', 'DeleteBucketLifecycle', 's3:PutLifecycleConfiguration', 'S3'],
  ['s3.amazonaws.com', 'PutBucketCors', 's3:PutBucketCORS', 'S3'],
  ['s3.amazonaws.com', 'DeleteBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock', 'S3'],
  ['s3.amazonaws.com', 'GetObjectLockConfiguration', 's3:GetBucketObjectLockConfiguration', 'S3'],
  ['s3.amazonaws.com', 'PutBucketPolicy', 's3:PutBucketPolicy', 'S3 same name'],
  ['s3.amazonaws.com', 'DeleteBucketPolicy', 's3:DeleteBucketPolicy', 'S3 same name'],
  // Bedrock's Converse API needs the InvokeModel actions (Bedrock User Guide, Converse API).
  ['bedrock.amazonaws.com', 'Converse', 'bedrock:InvokeModel', 'Bedrock'],
  ['bedrock.amazonaws.com', 'ConverseStream', 'bedrock:InvokeModelWithResponseStream', 'Bedrock'],
  ['bedrock.amazonaws.com', 'InvokeModel', 'bedrock:InvokeModel', 'Bedrock'],
  // Unknown names are kept, never dropped.
  ['example.amazonaws.com', 'DoSomethingNew', 'example:DoSomethingNew', 'unknown: kept'],
  ['s3.amazonaws.com', 'SomeFutureOperation', 's3:SomeFutureOperation', 'unknown: kept'],
];

describe('iamActionOfEvent', () => {
  it.each(CASES)('%s %s → %s (%s)', (source, name, action) => {
    expect(iamActionOfEvent(source, name)).toBe(action);
  });

  it('strips the version suffix only from Lambda events', () => {
    expect(iamActionOfEvent('ec2.amazonaws.com', 'Describe20150331')).toBe('ec2:Describe20150331');
  });

  it('does not treat an inherited object member as an exception', () => {
    expect(iamActionOfEvent('s3.amazonaws.com', 'toString')).toBe('s3:toString');
    expect(iamActionOfEvent('lambda.amazonaws.com', 'constructor')).toBe('lambda:constructor');
  });
});

describe('serviceOfEventSource', () => {
  it.each([
    ['iam.amazonaws.com', 'iam'],
    ['monitoring.amazonaws.com', 'cloudwatch'],
    ['runtime.lex.amazonaws.com', 'lex'],
    ['access-analyzer.amazonaws.com', 'access-analyzer'],
    ['custom-source', 'custom-source'],
  ])('%s → %s', (source, service) => {
    expect(serviceOfEventSource(source)).toBe(service);
  });
});

describe('isDeniedErrorCode', () => {
  it.each([
    ['AccessDenied', true],
    ['AccessDeniedException', true],
    ['Client.UnauthorizedOperation', true],
    ['UnauthorizedOperation', true],
    ['Forbidden', true],
    ['AuthorizationError', true],
    ['NoSuchEntity', false],
    ['NoSuchEntityException', false],
    ['ThrottlingException', false],
    ['Client.InvalidParameterValue', false],
  ])('%s → %s', (code, denied) => {
    expect(isDeniedErrorCode(code)).toBe(denied);
  });
});
