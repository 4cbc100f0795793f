/**
 * CloudTrail event (eventSource + eventName) → the IAM action that authorised it.
 *
 * Most events are named after their API operation, and most operations after their IAM action:
 * `iam.amazonaws.com` + `CreateUser` is `iam:CreateUser`. The exceptions below are the documented
 * ones where the names differ:
 * - the service prefix is not the host name (`monitoring.amazonaws.com` is CloudWatch, `cloudwatch:`);
 * - Lambda records versioned operation names (`UpdateFunctionCode20150331v2`) and `Invoke` for
 *   `lambda:InvokeFunction`;
 * - Amazon S3 operations whose policy action has another name ("Amazon S3 policy actions" in the S3
 *   User Guide, and the S3 page of the Service Authorization Reference: `ListBuckets` needs
 *   `s3:ListAllMyBuckets`, `ListObjectsV2` `s3:ListBucket`, `HeadObject` `s3:GetObject`, ...);
 * - Amazon Bedrock's Converse API, authorised by `bedrock:InvokeModel*`.
 * Anything else is kept as `service:EventName`, never dropped: an event the table does not know is
 * still evidence that something was used.
 */

/** Event sources whose IAM service prefix is not the first label of the host name. */
const SERVICE_OF_SOURCE: Readonly<Record<string, string>> = {
  'monitoring.amazonaws.com': 'cloudwatch',
  'email.amazonaws.com': 'ses',
  'tagging.amazonaws.com': 'tag',
  'runtime.lex.amazonaws.com': 'lex',
  'models.lex.amazonaws.com': 'lex',
  'runtime-v2-lex.amazonaws.com': 'lex',
  'models-v2-lex.amazonaws.com': 'lex',
  'runtime.sagemaker.amazonaws.com': 'sagemaker',
  'api.sagemaker.amazonaws.com': 'sagemaker',
  'data.iot.amazonaws.com': 'iot',
  'data.mediastore.amazonaws.com': 'mediastore',
};

/**
 * Amazon S3 operations whose IAM action has a different name (S3 User Guide, "Amazon S3 policy
 * actions", and the Service Authorization Reference's table of S3 API operations). Operations that
 * need several actions map to the principal one (CopyObject → s3:PutObject on the target).
 */
const S3_ACTION_OF_EVENT: Readonly<Record<string, string>> = {
  ListBuckets: 'ListAllMyBuckets',
  ListDirectoryBuckets: 'ListAllMyDirectoryBuckets',
  HeadBucket: 'ListBucket',
  ListObjects: 'ListBucket',
  ListObjectsV2: 'ListBucket',
  ListObjectVersions: 'ListBucketVersions',
  ListMultipartUploads: 'ListBucketMultipartUploads',
  ListParts: 'ListMultipartUploadParts',
  HeadObject: 'GetObject',
  SelectObjectContent: 'GetObject',
  GetObjectAttributes: 'GetObject',
  CopyObject: 'PutObject',
  CreateMultipartUpload: 'PutObject',
  UploadPart: 'PutObject',
  UploadPartCopy: 'PutObject',
  CompleteMultipartUpload: 'PutObject',
  DeleteObjects: 'DeleteObject',
  GetBucketCors: 'GetBucketCORS',
  PutBucketCors: 'PutBucketCORS',
  DeleteBucketCors: 'PutBucketCORS',
  GetBucketEncryption: 'GetEncryptionConfiguration',
  PutBucketEncryption: 'PutEncryptionConfiguration',
  DeleteBucketEncryption: 'PutEncryptionConfiguration',
  GetBucketLifecycle: 'GetLifecycleConfiguration',
  GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration',
  PutBucketLifecycle: 'PutLifecycleConfiguration',
  PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration',
  DeleteBucketLifecycle: 'PutLifecycleConfiguration',
  GetBucketReplication: 'GetReplicationConfiguration',
  PutBucketReplication: 'PutReplicationConfiguration',
  DeleteBucketReplication: 'PutReplicationConfiguration',
  DeleteBucketPublicAccessBlock: 'PutBucketPublicAccessBlock',
  GetBucketNotificationConfiguration: 'GetBucketNotification',
  PutBucketNotificationConfiguration: 'PutBucketNotification',
  DeleteBucketTagging: 'PutBucketTagging',
  DeleteBucketOwnershipControls: 'PutBucketOwnershipControls',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
  PutObjectLockConfiguration: 'PutBucketObjectLockConfiguration',
  GetBucketAccelerateConfiguration: 'GetAccelerateConfiguration',
  PutBucketAccelerateConfiguration: 'PutAccelerateConfiguration',
  GetBucketAnalyticsConfiguration: 'GetAnalyticsConfiguration',
  PutBucketAnalyticsConfiguration: 'PutAnalyticsConfiguration',
  DeleteBucketAnalyticsConfiguration: 'PutAnalyticsConfiguration',
  ListBucketAnalyticsConfigurations: 'GetAnalyticsConfiguration',
  GetBucketInventoryConfiguration: 'GetInventoryConfiguration',
  PutBucketInventoryConfiguration: 'PutInventoryConfiguration',
  DeleteBucketInventoryConfiguration: 'PutInventoryConfiguration',
  ListBucketInventoryConfigurations: 'GetInventoryConfiguration',
  GetBucketMetricsConfiguration: 'GetMetricsConfiguration',
  PutBucketMetricsConfiguration: 'PutMetricsConfiguration',
  DeleteBucketMetricsConfiguration: 'PutMetricsConfiguration',
  ListBucketMetricsConfigurations: 'GetMetricsConfiguration',
  GetBucketIntelligentTieringConfiguration: 'GetIntelligentTieringConfiguration',
  PutBucketIntelligentTieringConfiguration: 'PutIntelligentTieringConfiguration',
  DeleteBucketIntelligentTieringConfiguration: 'PutIntelligentTieringConfiguration',
  ListBucketIntelligentTieringConfigurations: 'GetIntelligentTieringConfiguration',
  GetPublicAccessBlock: 'GetAccountPublicAccessBlock',
  PutPublicAccessBlock: 'PutAccountPublicAccessBlock',
  DeletePublicAccessBlock: 'PutAccountPublicAccessBlock',
};

/** Lambda's other renamed data event. */
const LAMBDA_ACTION_OF_EVENT: Readonly<Record<string, string>> = {
  Invoke: 'InvokeFunction',
  InvokeWithResponseStream: 'InvokeFunction',
};

/** Bedrock's Converse API is authorised by the InvokeModel actions (Bedrock User Guide, Converse). */
const BEDROCK_ACTION_OF_EVENT: Readonly<Record<string, string>> = {
  Converse: 'InvokeModel',
  ConverseStream: 'InvokeModelWithResponseStream',
};

/** `UpdateFunctionCode20150331v2` → `UpdateFunctionCode`: Lambda's API version suffix. */
const LAMBDA_VERSION_SUFFIX = /\d{8}(?:v\d+)?$/;

/** The IAM service prefix of a CloudTrail `eventSource` (`iam.amazonaws.com` → `iam`). */
export function serviceOfEventSource(eventSource: string): string {
  const known = SERVICE_OF_SOURCE[eventSource];
  if (known !== undefined) return known;
  const host = eventSource.endsWith('.amazonaws.com')
    ? eventSource.slice(0, -'.amazonaws.com'.length)
    : eventSource;
  // Hosts with more labels (`runtime.example.amazonaws.com`) name the service last.
  const dot = host.lastIndexOf('.');
  return (dot >= 0 ? host.slice(dot + 1) : host).toLowerCase();
}

/**
 * The IAM action of a CloudTrail event: `s3.amazonaws.com` + `ListBuckets` → `s3:ListAllMyBuckets`.
 * Events the exception tables do not name keep their event name (`service:EventName`).
 */
export function iamActionOfEvent(eventSource: string, eventName: string): string {
  const service = serviceOfEventSource(eventSource);
  let operation = eventName;
  switch (service) {
    case 's3':
      operation = Object.hasOwn(S3_ACTION_OF_EVENT, eventName)
        ? (S3_ACTION_OF_EVENT[eventName] as string)
        : eventName;
      break;
    case 'lambda':
      operation = eventName.replace(LAMBDA_VERSION_SUFFIX, '');
      if (Object.hasOwn(LAMBDA_ACTION_OF_EVENT, operation))
        operation = LAMBDA_ACTION_OF_EVENT[operation] as string;
      break;
    case 'bedrock':
      if (Object.hasOwn(BEDROCK_ACTION_OF_EVENT, eventName))
        operation = BEDROCK_ACTION_OF_EVENT[eventName] as string;
      break;
  }
  return `${service}:${operation}`;
}

/**
 * Error codes that mean the caller was not authorised (`AccessDenied`, `AccessDeniedException`,
 * `Client.UnauthorizedOperation`, `…Forbidden…`, SNS's `AuthorizationError`), as opposed to failures
 * of an allowed call (`NoSuchEntity`, `ThrottlingException`).
 */
export function isDeniedErrorCode(errorCode: string): boolean {
  return DENIED_ERROR.test(errorCode);
}

/** {@link isDeniedErrorCode}'s pattern (case-insensitive), shared with the Athena query. */
export const DENIED_ERROR_PATTERN =
  'AccessDenied|UnauthorizedOperation|Unauthorized|Denied|Forbidden|AuthorizationError';

const DENIED_ERROR = new RegExp(DENIED_ERROR_PATTERN, 'i');
