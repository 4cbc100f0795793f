/**
 * Resources with resource-based policies: S3 buckets (with Block Public Access), KMS keys, SQS
 * queues, SNS topics, Secrets Manager secrets and ECR repositories, as AWS Config items with the
 * policy where AWS Config keeps it (docs/formats.md).
 */
import {
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetTopicAttributesCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetResourcePolicyCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  DescribeRepositoriesCommand,
  ECRClient,
  GetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { attempt, clientConfig, readPages } from '../aws.js';
import { configItem, tagsOf, type ConfigItem } from '../config-item.js';
import {
  boundedPolicy,
  capped,
  partitionOf,
  type RegionContext,
  type ResourceCollector,
} from './context.js';

/** Runs `run`; an error named in `none` means "there is none" (null). */
export async function orNone<T>(run: () => Promise<T>, ...none: string[]): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (none.includes(String((error as { name?: unknown }).name))) return null;
    throw error;
  }
}

const S3_TYPE = 'AWS::S3::Bucket';

/** S3 buckets (listed once per account), their policies and bucket-level Block Public Access. */
export const s3Buckets: ResourceCollector = {
  service: 's3',
  types: [S3_TYPE],
  global: true,
  async collect(context) {
    const client = new S3Client({
      ...clientConfig(context.settings),
      followRegionRedirects: true,
    });
    const source = `config:${S3_TYPE}`;
    const listed = await attempt(context.sink, source, 's3:ListBuckets', () =>
      readPages(
        (ContinuationToken) =>
          client.send(new ListBucketsCommand({ ContinuationToken, MaxBuckets: 1000 })),
        (page) => page.Buckets,
        (page) => page.ContinuationToken,
      ),
    );
    const items: ConfigItem[] = [];
    for (const bucket of capped(context, S3_TYPE, listed?.items ?? [])) {
      const name = bucket.Name;
      if (!name) continue;
      const region = bucket.BucketRegion ?? context.region;
      const arn = `arn:${partitionOf(region)}:s3:::${name}`;
      const where = { ...context.sink, region };
      const policy = await attempt(
        where,
        source,
        `s3:GetBucketPolicy ${name}`,
        () =>
          orNone(
            () => client.send(new GetBucketPolicyCommand({ Bucket: name })),
            'NoSuchBucketPolicy',
          ),
        region,
      );
      const block = await attempt(
        where,
        source,
        `s3:GetPublicAccessBlock ${name}`,
        () =>
          orNone(
            () => client.send(new GetPublicAccessBlockCommand({ Bucket: name })),
            'NoSuchPublicAccessBlockConfiguration',
          ),
        region,
      );
      const supplementary: Record<string, unknown> = {};
      if (policy !== undefined) {
        const text = boundedPolicy(context, S3_TYPE, arn, policy?.Policy);
        if (text !== undefined) supplementary.BucketPolicy = { policyText: text };
      }
      const configuration = block?.PublicAccessBlockConfiguration;
      if (configuration)
        supplementary.PublicAccessBlockConfiguration = {
          blockPublicAcls: configuration.BlockPublicAcls ?? false,
          ignorePublicAcls: configuration.IgnorePublicAcls ?? false,
          blockPublicPolicy: configuration.BlockPublicPolicy ?? false,
          restrictPublicBuckets: configuration.RestrictPublicBuckets ?? false,
        };
      items.push(
        configItem({
          type: S3_TYPE,
          arn,
          id: name,
          name,
          accountId: context.accountId,
          region,
          configuration: { name, creationDate: bucket.CreationDate ?? null },
          supplementary,
          createdAt: bucket.CreationDate ?? null,
          capturedAt: context.now,
        }),
      );
    }
    return items;
  },
};

const KMS_TYPE = 'AWS::KMS::Key';

/** Customer managed KMS keys and their key policies (AWS managed keys have AWS's fixed policy). */
export const kmsKeys: ResourceCollector = {
  service: 'kms',
  types: [KMS_TYPE],
  async collect(context) {
    const client = new KMSClient(clientConfig(context.settings));
    const source = `config:${KMS_TYPE}`;
    const listed = await attempt(context.sink, source, 'kms:ListKeys', () =>
      readPages(
        (Marker) => client.send(new ListKeysCommand({ Marker, Limit: 1000 })),
        (page) => page.Keys,
        (page) => (page.Truncated ? page.NextMarker : undefined),
      ),
    );
    const items: ConfigItem[] = [];
    for (const key of capped(context, KMS_TYPE, listed?.items ?? [])) {
      const keyId = key.KeyId;
      if (!keyId) continue;
      const described = await attempt(context.sink, source, `kms:DescribeKey ${keyId}`, () =>
        client.send(new DescribeKeyCommand({ KeyId: keyId })),
      );
      const metadata = described?.KeyMetadata;
      if (!metadata || metadata.KeyManager === 'AWS') continue;
      const arn = metadata.Arn ?? key.KeyArn ?? keyId;
      const policy = await attempt(context.sink, source, `kms:GetKeyPolicy ${keyId}`, () =>
        client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })),
      );
      const text = policy ? boundedPolicy(context, KMS_TYPE, arn, policy.Policy) : undefined;
      items.push(
        configItem({
          type: KMS_TYPE,
          arn,
          id: keyId,
          name: keyId,
          accountId: context.accountId,
          region: context.region,
          configuration: metadata,
          supplementary: text === undefined ? {} : { Policy: text },
          createdAt: metadata.CreationDate ?? null,
          capturedAt: context.now,
        }),
      );
    }
    return items;
  },
};

const SQS_TYPE = 'AWS::SQS::Queue';

/** SQS queues and their access policies (the `Policy` attribute). */
export const sqsQueues: ResourceCollector = {
  service: 'sqs',
  types: [SQS_TYPE],
  async collect(context) {
    // The regional endpoint (or AWS_ENDPOINT_URL), not each queue URL's host: the same endpoint
    // serves every queue of the region, and an endpoint override must hold for every call.
    const client = new SQSClient({
      ...clientConfig(context.settings),
      useQueueUrlAsEndpoint: false,
    });
    const source = `config:${SQS_TYPE}`;
    const listed = await attempt(context.sink, source, 'sqs:ListQueues', () =>
      readPages(
        (NextToken) => client.send(new ListQueuesCommand({ NextToken, MaxResults: 1000 })),
        (page) => page.QueueUrls,
        (page) => page.NextToken,
      ),
    );
    const items: ConfigItem[] = [];
    for (const url of capped(context, SQS_TYPE, listed?.items ?? [])) {
      const attributes = await attempt(context.sink, source, `sqs:GetQueueAttributes ${url}`, () =>
        client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })),
      );
      const found = attributes?.Attributes;
      if (!found?.QueueArn) continue;
      const arn = found.QueueArn;
      const name = arn.slice(arn.lastIndexOf(':') + 1);
      const policy = boundedPolicy(context, SQS_TYPE, arn, found.Policy);
      const { Policy: _policy, ...rest } = found;
      items.push(
        configItem({
          type: SQS_TYPE,
          arn,
          id: url,
          name,
          accountId: context.accountId,
          region: context.region,
          configuration: { ...rest, QueueUrl: url, ...(policy ? { Policy: policy } : {}) },
          createdAt: found.CreatedTimestamp
            ? new Date(Number(found.CreatedTimestamp) * 1000)
            : null,
          capturedAt: context.now,
        }),
      );
    }
    return items;
  },
};

const SNS_TYPE = 'AWS::SNS::Topic';

/** SNS topics and their access policies. */
export const snsTopics: ResourceCollector = {
  service: 'sns',
  types: [SNS_TYPE],
  async collect(context) {
    const client = new SNSClient(clientConfig(context.settings));
    const source = `config:${SNS_TYPE}`;
    const listed = await attempt(context.sink, source, 'sns:ListTopics', () =>
      readPages(
        (NextToken) => client.send(new ListTopicsCommand({ NextToken })),
        (page) => page.Topics,
        (page) => page.NextToken,
      ),
    );
    const items: ConfigItem[] = [];
    for (const topic of capped(context, SNS_TYPE, listed?.items ?? [])) {
      const arn = topic.TopicArn;
      if (!arn) continue;
      const attributes = await attempt(context.sink, source, `sns:GetTopicAttributes ${arn}`, () =>
        client.send(new GetTopicAttributesCommand({ TopicArn: arn })),
      );
      if (!attributes?.Attributes) continue;
      const policy = boundedPolicy(context, SNS_TYPE, arn, attributes.Attributes.Policy);
      const { Policy: _policy, ...rest } = attributes.Attributes;
      items.push(
        configItem({
          type: SNS_TYPE,
          arn,
          id: arn,
          name: arn.slice(arn.lastIndexOf(':') + 1),
          accountId: context.accountId,
          region: context.region,
          configuration: { ...rest, TopicArn: arn, ...(policy ? { Policy: policy } : {}) },
          capturedAt: context.now,
        }),
      );
    }
    return items;
  },
};

const SECRET_TYPE = 'AWS::SecretsManager::Secret';

/** Secrets Manager secrets (metadata only, never values) and their resource policies. */
export const secrets: ResourceCollector = {
  service: 'secretsmanager',
  types: [SECRET_TYPE],
  async collect(context) {
    const client = new SecretsManagerClient(clientConfig(context.settings));
    const source = `config:${SECRET_TYPE}`;
    const listed = await attempt(context.sink, source, 'secretsmanager:ListSecrets', () =>
      readPages(
        (NextToken) => client.send(new ListSecretsCommand({ NextToken, MaxResults: 100 })),
        (page) => page.SecretList,
        (page) => page.NextToken,
      ),
    );
    const items: ConfigItem[] = [];
    for (const secret of capped(context, SECRET_TYPE, listed?.items ?? [])) {
      const arn = secret.ARN;
      if (!arn) continue;
      const policy = await attempt(
        context.sink,
        source,
        `secretsmanager:GetResourcePolicy ${arn}`,
        () => client.send(new GetResourcePolicyCommand({ SecretId: arn })),
      );
      const text = policy
        ? boundedPolicy(context, SECRET_TYPE, arn, policy.ResourcePolicy)
        : undefined;
      items.push(
        configItem({
          type: SECRET_TYPE,
          arn,
          id: arn,
          name: secret.Name ?? arn,
          accountId: context.accountId,
          region: context.region,
          configuration: {
            Name: secret.Name,
            KmsKeyId: secret.KmsKeyId,
            RotationEnabled: secret.RotationEnabled ?? false,
            RotationLambdaARN: secret.RotationLambdaARN,
          },
          supplementary: text === undefined ? {} : { ResourcePolicy: text },
          tags: tagsOf(secret.Tags),
          createdAt: secret.CreatedDate ?? null,
          capturedAt: context.now,
        }),
      );
    }
    return items;
  },
};

const ECR_TYPE = 'AWS::ECR::Repository';

/** ECR repositories and their repository policies. */
export const ecrRepositories: ResourceCollector = {
  service: 'ecr',
  types: [ECR_TYPE],
  async collect(context: RegionContext) {
    const client = new ECRClient(clientConfig(context.settings));
    const source = `config:${ECR_TYPE}`;
    const listed = await attempt(context.sink, source, 'ecr:DescribeRepositories', () =>
      readPages(
        (nextToken) =>
          client.send(new DescribeRepositoriesCommand({ nextToken, maxResults: 1000 })),
        (page) => page.repositories,
        (page) => page.nextToken,
      ),
    );
    const items: ConfigItem[] = [];
    for (const repository of capped(context, ECR_TYPE, listed?.items ?? [])) {
      const name = repository.repositoryName;
      const arn = repository.repositoryArn;
      if (!name || !arn) continue;
      const policy = await attempt(context.sink, source, `ecr:GetRepositoryPolicy ${name}`, () =>
        orNone(
          () => client.send(new GetRepositoryPolicyCommand({ repositoryName: name })),
          'RepositoryPolicyNotFoundException',
        ),
      );
      const text =
        policy === undefined
          ? undefined
          : boundedPolicy(context, ECR_TYPE, arn, policy?.policyText);
      items.push(
        configItem({
          type: ECR_TYPE,
          arn,
          id: name,
          name,
          accountId: context.accountId,
          region: context.region,
          configuration: {
            RepositoryName: name,
            Arn: arn,
            ImageTagMutability: repository.imageTagMutability,
            ImageScanningConfiguration: {
              ScanOnPush: repository.imageScanningConfiguration?.scanOnPush ?? false,
            },
            ...(text === undefined ? {} : { RepositoryPolicyText: text }),
          },
          createdAt: repository.createdAt ?? null,
          capturedAt: context.now,
        }),
      );
    }
    return items;
  },
};
