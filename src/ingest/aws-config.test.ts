import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../model/index.js';
import { InputError } from '../model/index.js';
import { repoRoot } from '../test-support/corpus.js';
import { describeWithReference, referencePath } from '../test-support/reference.js';
import {
  importConfigItems,
  locateInArray,
  mapConfigItems,
  parseConfigItemsText,
} from './aws-config.js';
import { configExtractors } from './aws-config/registry.js';
import type { SnapshotPart } from './snapshot-part.js';

const fixtureDir = join(repoRoot, 'src', 'ingest', 'fixtures', 'config');
const snapshotFile = join(fixtureDir, 'config-snapshot.json');
const jsonLinesFile = join(fixtureDir, 'select-resource-config.jsonl');
const PROD = '100000000002';

type Item = Record<string, unknown> & {
  supplementaryConfiguration: Record<string, unknown>;
  configuration: Record<string, unknown>;
};

/** A fresh, mutable copy of the fixture's configuration items. */
function fixtureItems(): Item[] {
  const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as { configurationItems: Item[] };
  return snapshot.configurationItems;
}

function itemOfType(items: Item[], type: string): Item {
  const item = items.find((candidate) => candidate.resourceType === type);
  if (!item) throw new Error(`fixture has no ${type}`);
  return item;
}

function resourceOf(part: SnapshotPart, arn: string): Resource {
  const resource = part.resources?.find((candidate) => candidate.arn === arn);
  if (!resource) throw new Error(`no resource ${arn}`);
  return resource;
}

function resourceOfType(part: SnapshotPart, type: string): Resource {
  const resource = part.resources?.find((candidate) => candidate.type === type);
  if (!resource) throw new Error(`no resource of type ${type}`);
  return resource;
}

function statementSids(resource: Resource): unknown[] {
  const statements = resource.policy?.Statement;
  return Array.isArray(statements)
    ? statements.map((statement: { Sid?: unknown }) => statement.Sid)
    : [];
}

function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

async function asyncInputErrorOf(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

function tempFile(name: string, content: string | Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'iamsight-config-')), name);
  writeFileSync(file, content);
  return file;
}

const role = (name: string, account = PROD): string => `arn:aws:iam::${account}:role/${name}`;

describe('importConfigItems: a Config snapshot of the orders account', async () => {
  const part = await importConfigItems(snapshotFile);

  it('reads every registered resource type from the fixture', () => {
    const types = new Set(part.resources?.map((resource) => resource.type));
    const resourceTypes = [...configExtractors.values()]
      .filter((extractor) => extractor.target !== 'account')
      .map((extractor) => extractor.type);
    expect(resourceTypes.filter((type) => !types.has(type))).toEqual([]);
  });

  it('puts the account-level Block Public Access on the account, not among the resources', () => {
    expect(part.accounts).toEqual([
      {
        id: PROD,
        name: null,
        sources: [snapshotFile],
        s3PublicAccessBlock: {
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: true,
          restrictPublicBuckets: false,
        },
      },
    ]);
    expect(part.resources?.map((resource) => resource.type)).not.toContain(
      'AWS::S3::AccountPublicAccessBlock',
    );
  });

  it('reads an ECS cluster and whether it runs on EC2 instances', () => {
    const cluster = resourceOf(part, 'arn:aws:ecs:us-east-1:100000000002:cluster/orders');
    expect(cluster.roleArns).toEqual([]);
    expect(cluster.properties).toMatchObject({ clusterName: 'orders', ec2Backed: false });
  });

  it('reads a bucket policy and the bucket-level Block Public Access settings', () => {
    const bucket = resourceOf(part, 'arn:aws:s3:::orders-archive-100000000002');
    expect(statementSids(bucket)).toEqual(['AnalyticsReadOrders', 'DenyInsecureTransport']);
    expect(bucket.exposure.publicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    expect(bucket).toMatchObject({
      accountId: PROD,
      region: 'us-east-1',
      name: 'orders-archive-100000000002',
      tags: { app: 'orders', 'data-classification': 'confidential' },
      properties: { versioning: 'Enabled' },
    });
  });

  it('decodes a doubly encoded bucket policy and records a missing Block Public Access as null', () => {
    const bucket = resourceOf(part, 'arn:aws:s3:::storefront-assets-100000000002');
    expect(bucket.policy).toMatchObject({
      Statement: [{ Sid: 'PublicReadAssets', Principal: '*', Action: 's3:GetObject' }],
    });
    expect(bucket.exposure.publicAccessBlock).toBeNull();
  });

  it.each([
    ['AWS::KMS::Key', ['EnableRootAccountPermissions', 'AllowOrderProcessorDecrypt']],
    ['AWS::SQS::Queue', ['AllowOrderEventsTopic']],
    ['AWS::SNS::Topic', ['__default_statement_ID', 'PartnerSubscribe']],
    ['AWS::ECR::Repository', ['AnalyticsAccountPull']],
    ['AWS::DynamoDB::Table', ['AnalyticsReadOrders']],
  ])('reads the resource policy of %s', (type, sids) => {
    expect(statementSids(resourceOfType(part, type))).toEqual(sids);
  });

  it('reads a secret policy written by the collector, and records a gap where Config has none', () => {
    const withPolicy = resourceOf(
      part,
      'arn:aws:secretsmanager:us-east-1:100000000002:secret:prod/orders/db-password-Ab12Cd',
    );
    expect(statementSids(withPolicy)).toEqual(['OrderProcessorReads']);
    const without = resourceOf(
      part,
      'arn:aws:secretsmanager:us-east-1:100000000002:secret:prod/storefront/stripe-key-Ef34Gh',
    );
    expect(without.policy).toBeNull();
    expect(part.gaps).toContainEqual({
      source: 'config:AWS::SecretsManager::Secret',
      accountId: PROD,
      region: 'us-east-1',
      detail: expect.stringMatching(
        /does not record Secrets Manager resource policies.*\(1 resource;/,
      ),
    });
  });

  it('reads a Lambda function: execution role, function policy, VPC groups and an open URL', () => {
    const fn = resourceOf(part, 'arn:aws:lambda:us-east-1:100000000002:function:order-processor');
    expect(fn.roleArns).toEqual([role('lambda-orders')]);
    expect(statementSids(fn)).toEqual(['AllowOrdersQueueTrigger']);
    expect(fn.exposure).toEqual({
      securityGroupIds: ['sg-0f1e2d3c4b5a69788'],
      functionUrlAuthType: 'NONE',
    });
    expect(fn.properties).toMatchObject({ runtime: 'nodejs20.x', packageType: 'Zip' });
    // Environment variables may hold secrets: never in the excerpt.
    expect(JSON.stringify(fn.properties)).not.toContain('ORDERS_TABLE');
  });

  it('leaves the function URL unknown when only AWS Config recorded the function, with a gap', () => {
    const fn = resourceOf(part, 'arn:aws:lambda:us-east-1:100000000002:function:rotate-orders-db');
    expect(fn.exposure).not.toHaveProperty('functionUrlAuthType');
    expect(fn.policy).toBeNull();
    expect(part.gaps).toContainEqual(
      expect.objectContaining({
        source: 'config:AWS::Lambda::Function',
        detail: expect.stringContaining('Lambda function URLs'),
      }),
    );
  });

  it('reads an EC2 instance: instance profile, public IP and security groups', () => {
    const instance = resourceOfType(part, 'AWS::EC2::Instance');
    expect(instance).toMatchObject({
      name: 'i-0a1b2c3d4e5f60718',
      roleArns: [],
      instanceProfileArn: 'arn:aws:iam::100000000002:instance-profile/batch-worker',
      exposure: { publicIp: '203.0.113.25', securityGroupIds: ['sg-0123456789abcdef0'] },
      properties: { state: 'running', httpTokens: 'optional' },
    });
  });

  it('lists only the ingress rules of a security group open to the internet, once each', () => {
    const group = resourceOfType(part, 'AWS::EC2::SecurityGroup');
    expect(group.exposure.openIngress).toEqual([
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' },
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '::/0' },
    ]);
  });

  it.each([
    ['AWS::ECS::TaskDefinition', [role('ecs-orders-task'), role('ecs-task-execution')]],
    ['AWS::CloudFormation::Stack', [role('cfn-deployer')]],
    ['AWS::Glue::DevEndpoint', [role('glue-etl')]],
    // The job names its role by name only.
    ['AWS::Glue::Job', [role('glue-etl')]],
    ['AWS::SageMaker::NotebookInstance', [role('sagemaker-forecasting')]],
    ['AWS::CodeBuild::Project', [role('codebuild-orders')]],
    ['AWS::AppRunner::Service', [role('apprunner-orders-status'), role('apprunner-ecr-access')]],
    [
      'AWS::Batch::ComputeEnvironment',
      [role('aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch')],
    ],
    ['AWS::BedrockAgentCore::CodeInterpreter', [role('agentcore-orders-analyst')]],
    ['AWS::ECS::Service', []],
  ])('reads the roles %s runs as', (type, roleArns) => {
    expect(resourceOfType(part, type).roleArns).toEqual(roleArns);
  });

  it('reads exposure and links of compute that has no role of its own', () => {
    expect(resourceOfType(part, 'AWS::SageMaker::NotebookInstance').exposure).toMatchObject({
      directInternetAccess: true,
    });
    expect(resourceOfType(part, 'AWS::ECS::Service')).toMatchObject({
      exposure: { securityGroupIds: ['sg-0f1e2d3c4b5a69788'] },
      properties: {
        enableExecuteCommand: true,
        taskDefinition: expect.stringContaining('orders-api:7'),
      },
    });
    const profile = 'arn:aws:iam::100000000002:instance-profile/batch-worker';
    expect(resourceOfType(part, 'AWS::EC2::LaunchTemplate').instanceProfileArn).toBe(profile);
    expect(resourceOfType(part, 'AWS::Batch::ComputeEnvironment').instanceProfileArn).toBe(profile);
    expect(resourceOfType(part, 'AWS::AutoScaling::AutoScalingGroup').properties).toMatchObject({
      launchTemplateId: 'lt-0fedcba9876543210',
    });
  });

  it('skips unused types and deleted resources with notices, never silently', () => {
    expect(part.notices?.map((notice) => notice.detail)).toEqual([
      'skipped 2 items of type AWS::EC2::VPC: not used by iamsight',
      'skipped 1 item of type AWS::IAM::Role: IAM is read from the authorization details (--authz)',
      'skipped 1 item with configurationItemStatus ResourceDeleted: the resource was deleted',
    ]);
    expect(part.notices?.every((notice) => notice.file === snapshotFile)).toBe(true);
    expect(part.resources?.some((resource) => resource.arn.endsWith('orders-queue-old'))).toBe(
      false,
    );
  });

  it('names the account the items came from, and keeps every excerpt small', () => {
    expect(part.accounts).toMatchObject([{ id: PROD, name: null, sources: [snapshotFile] }]);
    for (const resource of part.resources ?? []) {
      expect(JSON.stringify(resource.properties).length).toBeLessThan(1024);
    }
  });

  it('gives the same, ARN-sorted result for the same input', () => {
    const again = mapConfigItems(fixtureItems(), snapshotFile);
    expect(again).toEqual(part);
    const arns = part.resources?.map((resource) => resource.arn) ?? [];
    expect(arns).toEqual([...arns].sort());
  });
});

describe('docs/formats.md', () => {
  it('documents every resource type the importer reads', () => {
    const docs = readFileSync(join(repoRoot, 'docs', 'formats.md'), 'utf8');
    expect([...configExtractors.keys()].filter((type) => !docs.includes(`\`${type}\``))).toEqual(
      [],
    );
  });
});

describeWithReference(
  'mapConfigItems: one AWS Config item per type (shared reference)',
  ['aws-config-items.json'],
  () => {
    const file = referencePath('aws-config-items.json');
    const reference = JSON.parse(readFileSync(file, 'utf8')) as { items: unknown[] };
    const part = mapConfigItems(reference.items, file, locateInArray(['items']));
    const exampleRole = 'arn:aws:iam::100000000001:role/example-role-2';

    it.each([
      ['AWS::Lambda::Function', [exampleRole]],
      ['AWS::Glue::DevEndpoint', [exampleRole]],
      ['AWS::Glue::Job', [exampleRole]],
      ['AWS::SageMaker::NotebookInstance', [exampleRole]],
      ['AWS::CloudFormation::Stack', [exampleRole]],
      ['AWS::AppRunner::Service', [exampleRole]],
      ['AWS::BedrockAgentCore::CodeInterpreter', [exampleRole]],
      ['AWS::CodeBuild::Project', [exampleRole]],
      // ExecutionRoleArn is null in the reference item.
      ['AWS::ECS::TaskDefinition', [exampleRole]],
      [
        'AWS::Batch::ComputeEnvironment',
        [
          'arn:aws:iam::100000000001:role/example-role-2/batch.amazonaws.com/AWSServiceRoleForBatch',
        ],
      ],
      ['AWS::EC2::Instance', []],
    ])('reads the roles of %s', (type, roleArns) => {
      expect(resourceOfType(part, type).roleArns).toEqual(roleArns);
    });

    it('reads an EC2 instance and launch template with their instance profile', () => {
      const profile = 'arn:aws:iam::100000000001:instance-profile/example-role-2';
      expect(resourceOfType(part, 'AWS::EC2::Instance')).toMatchObject({
        instanceProfileArn: profile,
        exposure: { publicIp: '54.210.157.205', securityGroupIds: ['sg-0877c3c03811d059c'] },
        tags: { Name: 'ml-research-worker' },
        properties: { httpTokens: 'required' },
      });
      expect(resourceOfType(part, 'AWS::EC2::LaunchTemplate').instanceProfileArn).toBe(profile);
    });

    it('reads the exposure of the reference items', () => {
      expect(resourceOfType(part, 'AWS::SageMaker::NotebookInstance').exposure).toEqual({
        directInternetAccess: true,
        securityGroupIds: [],
      });
      expect(resourceOfType(part, 'AWS::ECS::Service').exposure).toEqual({
        securityGroupIds: ['sg-0fab8fc5c87c125f2'],
      });
      expect(resourceOfType(part, 'AWS::AppRunner::Service').properties).toMatchObject({
        isPubliclyAccessible: true,
      });
      expect(resourceOfType(part, 'AWS::AutoScaling::AutoScalingGroup').properties).toMatchObject({
        launchTemplateId: 'lt-098d8ce3c95787e21',
      });
    });

    it('reads a bucket with no policy (policyText null) and full Block Public Access', () => {
      const bucket = resourceOf(part, 'arn:aws:s3:::qa-sensitive-data-100000000001');
      expect(bucket.policy).toBeNull();
      expect(bucket.exposure.publicAccessBlock).toEqual({
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      });
    });

    it('records that a DynamoDB table policy is unknown when only AWS Config recorded it', () => {
      expect(resourceOfType(part, 'AWS::DynamoDB::Table').policy).toBeNull();
      expect(part.gaps?.map((gap) => gap.source)).toContain('config:AWS::DynamoDB::Table');
    });

    it('skips the types iamsight does not use, with a notice each', () => {
      expect(part.notices?.map((notice) => notice.detail)).toEqual([
        'skipped 1 item of type AWS::Batch::JobQueue: not used by iamsight',
        'skipped 1 item of type AWS::SSM::ManagedInstanceInventory: not used by iamsight',
      ]);
      expect(part.resources).toHaveLength(reference.items.length - 2);
    });
  },
);

describe('importConfigItems: select-resource-config JSON lines', async () => {
  const part = await importConfigItems(jsonLinesFile);

  it('reads items whose configuration and supplementary values are JSON text', () => {
    const fn = resourceOf(part, 'arn:aws:lambda:eu-west-1:100000000001:function:invoice-mailer');
    expect(fn.roleArns).toEqual(['arn:aws:iam::100000000001:role/lambda-invoice-mailer']);
    expect(statementSids(fn)).toEqual(['EventBridgeInvoke']);
    expect(fn.tags).toEqual({ app: 'billing' });
    const bucket = resourceOf(part, 'arn:aws:s3:::org-trail-logs-100000000001');
    expect(statementSids(bucket)).toEqual(['CloudTrailAclCheck']);
    expect(bucket.exposure.publicAccessBlock).toMatchObject({ restrictPublicBuckets: false });
  });

  it('reads security groups and skips unused types with a notice', () => {
    expect(resourceOfType(part, 'AWS::EC2::SecurityGroup').exposure.openIngress).toEqual([
      { protocol: 'tcp', fromPort: 3389, toPort: 3389, cidr: '0.0.0.0/0' },
    ]);
    expect(part.notices).toEqual([
      {
        file: jsonLinesFile,
        detail: 'skipped 1 item of type AWS::EC2::Subnet: not used by iamsight',
      },
    ]);
    expect(part.accounts?.map((account) => account.id)).toEqual(['100000000001']);
  });

  it('names the line of an item that misses its account', async () => {
    const lines = readFileSync(jsonLinesFile, 'utf8').split('\n');
    const second = JSON.parse(lines[1] ?? '') as Record<string, unknown>;
    delete second.accountId;
    lines[1] = JSON.stringify(second);
    const file = tempFile('missing-account.jsonl', lines.join('\n'));
    const error = await asyncInputErrorOf(() => importConfigItems(file));
    expect(error.location).toBe('line 2, $.awsAccountId');
    expect(error.expected).toContain('12-digit AWS account id');
  });

  it('names the line and column of a line that is not JSON, and a truncated last line', async () => {
    const text = readFileSync(jsonLinesFile, 'utf8');
    const lines = text.split('\n');
    lines[2] = lines[2]?.replace('"resourceType"', 'resourceType') ?? '';
    const broken = await asyncInputErrorOf(() =>
      importConfigItems(tempFile('broken.jsonl', lines.join('\n'))),
    );
    expect(broken.location).toMatch(/^line 3, column \d+$/);
    const truncated = await asyncInputErrorOf(() =>
      importConfigItems(tempFile('truncated.jsonl', text.slice(0, text.length - 40))),
    );
    expect(truncated.location).toMatch(/^line 4/);
    expect(truncated.expected).toContain('truncated');
  });
});

describe('parseConfigItemsText: the other input shapes', () => {
  const items = fixtureItems().slice(0, 3);

  it('accepts a bare JSON array, locating items by index', () => {
    const parsed = parseConfigItemsText('items.json', JSON.stringify(items));
    expect(parsed.items).toHaveLength(3);
    expect(parsed.locate(2, ['ARN'])).toBe('$[2].ARN');
  });

  it('accepts the JSON output of select-resource-config ({"Results": [text, ...]})', () => {
    const text = JSON.stringify({
      Results: items.map((item) => JSON.stringify(item)),
      QueryInfo: {},
    });
    const parsed = parseConfigItemsText('results.json', text);
    expect(mapConfigItems(parsed.items, 'results.json', parsed.locate).resources).toHaveLength(3);
  });

  it('accepts a single item on its own', () => {
    const parsed = parseConfigItemsText('one.jsonl', `${JSON.stringify(items[0])}\n`);
    expect(parsed.items).toHaveLength(1);
    expect(parsed.locate(0, ['awsAccountId'])).toBe('line 1, $.awsAccountId');
  });

  it('refuses an empty file and a document of another shape', () => {
    expect(inputErrorOf(() => parseConfigItemsText('empty.json', '\n')).expected).toContain(
      'empty file',
    );
    const other = inputErrorOf(() => parseConfigItemsText('authz.json', '{"UserDetailList": []}'));
    expect(other.expected).toContain('configurationItems');
  });

  it('reads a gzip-compressed snapshot as AWS Config delivers it to S3', async () => {
    const file = tempFile('snapshot.json.gz', gzipSync(readFileSync(snapshotFile)));
    expect((await importConfigItems(file)).resources).toHaveLength(
      (await importConfigItems(snapshotFile)).resources?.length ?? -1,
    );
  });

  it('says when a compressed file does not exist', async () => {
    const missing = join(fixtureDir, 'no-such-snapshot.json.gz');
    expect((await asyncInputErrorOf(() => importConfigItems(missing))).expected).toContain(
      'no such file',
    );
  });

  it('reports a truncated snapshot as such', async () => {
    const text = readFileSync(snapshotFile, 'utf8');
    const error = await asyncInputErrorOf(() =>
      importConfigItems(
        tempFile('truncated.json', text.slice(0, text.lastIndexOf(',\n', text.length * 0.6) + 1)),
      ),
    );
    expect(error.expected).toContain('truncated');
    const gz = tempFile('truncated.json.gz', gzipSync(text).subarray(0, 500));
    expect((await asyncInputErrorOf(() => importConfigItems(gz))).expected).toContain('truncated');
  });
});

describe('mapConfigItems: bad items', () => {
  it('names the JSON path of a missing account id', () => {
    const items = fixtureItems();
    delete items[7]?.awsAccountId;
    const error = inputErrorOf(() => mapConfigItems(items, 'snapshot.json'));
    expect(error.location).toBe('$.configurationItems[7].awsAccountId');
    expect(error.message).toContain(
      'snapshot.json: at $.configurationItems[7].awsAccountId: expected',
    );
  });

  it('names the JSON path of an item with neither ARN nor resourceId, or no resourceType', () => {
    const items = fixtureItems();
    delete items[0]?.ARN;
    delete items[0]?.resourceId;
    expect(inputErrorOf(() => mapConfigItems(items, 'snapshot.json')).location).toBe(
      '$.configurationItems[0].ARN',
    );
    const untyped = fixtureItems();
    delete untyped[4]?.resourceType;
    expect(inputErrorOf(() => mapConfigItems(untyped, 'snapshot.json')).location).toBe(
      '$.configurationItems[4].resourceType',
    );
  });

  it('builds the ARN from the resourceId when the item has none', () => {
    const items = fixtureItems();
    const fn = itemOfType(items, 'AWS::Lambda::Function');
    delete fn.ARN;
    const part = mapConfigItems([fn], 'snapshot.json');
    expect(part.resources?.[0]?.arn).toBe(
      'arn:aws:lambda:us-east-1:100000000002:function:order-processor',
    );
  });

  it('refuses a policy that is not JSON, naming where it is', () => {
    const items = fixtureItems();
    const bucket = itemOfType(items, 'AWS::S3::Bucket');
    bucket.supplementaryConfiguration.BucketPolicy = {
      policyText: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",',
    };
    const error = inputErrorOf(() => mapConfigItems(items, 'snapshot.json'));
    expect(error.location).toBe(
      '$.configurationItems[0].supplementaryConfiguration.BucketPolicy.policyText',
    );
    expect(error.expected).toContain('expected a policy document as JSON');
  });

  it('refuses a policy that is a JSON array or larger than 128 KiB', () => {
    const items = fixtureItems();
    const queue = itemOfType(items, 'AWS::SQS::Queue');
    queue.configuration.Policy = '[]';
    expect(inputErrorOf(() => mapConfigItems([queue], 'q.json')).expected).toContain(
      'a policy document (a JSON object)',
    );
    queue.configuration.Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'x'.repeat(130 * 1024), Effect: 'Allow' }],
    });
    expect(inputErrorOf(() => mapConfigItems([queue], 'q.json')).expected).toContain('128 KiB');
  });

  it('refuses a role that is not a string', () => {
    const items = fixtureItems();
    const fn = itemOfType(items, 'AWS::Lambda::Function');
    fn.configuration.role = 42;
    const error = inputErrorOf(() => mapConfigItems([fn], 'snapshot.json'));
    expect(error.location).toBe('$.configurationItems[0].configuration.role');
  });

  it('skips an unknown type with a notice and no error, even when it lacks an account', () => {
    const part = mapConfigItems(
      [{ resourceType: 'AWS::Foo::Bar', resourceId: 'x' }, { resourceType: 'AWS::Foo::Bar' }],
      'foo.json',
    );
    expect(part.resources).toEqual([]);
    expect(part.notices).toEqual([
      { file: 'foo.json', detail: 'skipped 2 items of type AWS::Foo::Bar: not used by iamsight' },
    ]);
  });

  it('keeps the latest capture of a repeated resource and drops one deleted afterwards', () => {
    const items = fixtureItems();
    const older = itemOfType(items, 'AWS::Lambda::Function');
    const newer = structuredClone(older);
    newer.configurationItemCaptureTime = '2025-03-05T10:00:00.000Z';
    newer.configuration.role = role('lambda-orders-v2');
    const part = mapConfigItems([newer, older], 'history.json');
    expect(part.resources?.[0]?.roleArns).toEqual([role('lambda-orders-v2')]);
    expect(part.notices?.[0]?.detail).toContain('the latest capture of each resource is kept');

    const deleted = {
      ...structuredClone(older),
      configurationItemStatus: 'ResourceDeleted',
      configurationItemCaptureTime: '2025-03-06T00:00:00.000Z',
      configuration: null,
    };
    const gone = mapConfigItems([older, deleted], 'history.json');
    expect(gone.resources).toEqual([]);
    expect(gone.notices?.map((notice) => notice.detail)).toContain(
      '1 resource was deleted after their last recorded configuration and is left out',
    );
  });
});

describe('account-level S3 Block Public Access', () => {
  const OTHER = '100000000003';
  const accountBlock = (
    accountId: string,
    configuration: unknown,
    capturedAt = '2025-03-02T09:15:00.000Z',
  ) => ({
    configurationItemCaptureTime: capturedAt,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::S3::AccountPublicAccessBlock',
    resourceId: accountId,
    awsAccountId: accountId,
    awsRegion: 'us-east-1',
    configuration,
  });
  const blockOf = (part: SnapshotPart, id: string) =>
    part.accounts?.find((account) => account.id === id)?.s3PublicAccessBlock;

  it('reads the settings per account, a missing one as off, in either casing and as JSON text', () => {
    const part = mapConfigItems(
      [
        accountBlock(PROD, { restrictPublicBuckets: true, blockPublicPolicy: 'true' }),
        accountBlock(OTHER, JSON.stringify({ BlockPublicAcls: true, IgnorePublicAcls: true })),
      ],
      'account-block.json',
    );
    expect(blockOf(part, PROD)).toEqual({
      blockPublicAcls: false,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    expect(blockOf(part, OTHER)).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
    expect(part.resources).toEqual([]);
    expect(part.notices).toEqual([]);
  });

  it('keeps the latest capture, and reads a later deletion as none configured', () => {
    const on = accountBlock(PROD, { restrictPublicBuckets: true }, '2025-03-01T00:00:00.000Z');
    const off = accountBlock(PROD, { restrictPublicBuckets: false }, '2025-03-02T00:00:00.000Z');
    expect(blockOf(mapConfigItems([off, on], 'history.json'), PROD)).toMatchObject({
      restrictPublicBuckets: false,
    });
    const deleted = {
      ...on,
      configurationItemStatus: 'ResourceDeleted',
      configurationItemCaptureTime: '2025-03-03T00:00:00.000Z',
      configuration: null,
    };
    expect(blockOf(mapConfigItems([on, deleted], 'history.json'), PROD)).toEqual({
      blockPublicAcls: false,
      ignorePublicAcls: false,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
  });

  it('leaves the account-level settings unknown when no item records them', () => {
    const part = mapConfigItems([itemOfType(fixtureItems(), 'AWS::S3::Bucket')], 'buckets.json');
    expect(part.accounts).toHaveLength(1);
    expect(part.accounts?.[0]).not.toHaveProperty('s3PublicAccessBlock');
  });

  it('names the path of a setting that is not a boolean, and of a configuration without settings', () => {
    const notBoolean = inputErrorOf(() =>
      mapConfigItems([accountBlock(PROD, { restrictPublicBuckets: 'yes' })], 'bad.json'),
    );
    expect(notBoolean.location).toBe('$.configurationItems[0].configuration.restrictPublicBuckets');
    expect(notBoolean.expected).toContain('true or false');
    const empty = inputErrorOf(() =>
      mapConfigItems([accountBlock(PROD, { unrelated: 1 })], 'bad.json'),
    );
    expect(empty.location).toBe('$.configurationItems[0].configuration');
    expect(empty.expected).toContain('restrictPublicBuckets');
  });
});

describe('IAM identity providers', () => {
  const envelope = (type: string, arn: string, configuration: Record<string, unknown>) => ({
    resourceType: type,
    ARN: arn,
    resourceId: arn,
    resourceName: arn.split('/').slice(1).join('/'),
    awsAccountId: '100000000001',
    awsRegion: 'global',
    configurationItemStatus: 'ResourceDiscovered',
    configuration,
  });

  it('reads OIDC and SAML providers (the authorization details do not list them)', () => {
    const part = mapConfigItems(
      [
        envelope(
          'AWS::IAM::OIDCProvider',
          'arn:aws:iam::100000000001:oidc-provider/token.actions.githubusercontent.com',
          {
            Url: 'https://token.actions.githubusercontent.com',
            ClientIdList: ['sts.amazonaws.com'],
          },
        ),
        envelope('AWS::IAM::SAMLProvider', 'arn:aws:iam::100000000001:saml-provider/corp-okta', {
          ValidUntil: '2025-01-31T00:00:00Z',
        }),
      ],
      'providers.json',
    );
    expect(part.resources).toEqual([]);
    expect(part.identityProviders).toEqual([
      {
        arn: 'arn:aws:iam::100000000001:oidc-provider/token.actions.githubusercontent.com',
        accountId: '100000000001',
        kind: 'oidc',
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
        validUntil: null,
      },
      {
        arn: 'arn:aws:iam::100000000001:saml-provider/corp-okta',
        accountId: '100000000001',
        kind: 'saml',
        url: null,
        clientIds: [],
        validUntil: '2025-01-31T00:00:00.000Z',
      },
    ]);
    expect(part.notices).toEqual([]);
  });

  it('names the path of a malformed provider field', () => {
    expect(() =>
      mapConfigItems(
        [
          envelope('AWS::IAM::OIDCProvider', 'arn:aws:iam::100000000001:oidc-provider/x', {
            ClientIdList: 'sts.amazonaws.com',
          }),
        ],
        'providers.json',
      ),
    ).toThrow(/providers\.json: at \$\.configurationItems\[0\]\.configuration\.ClientIdList/);
  });
});
