import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeRepositoriesCommand,
  ECRClient,
  GetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import {
  GetPolicyCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListFunctionUrlConfigsCommand,
} from '@aws-sdk/client-lambda';
import {
  GetResourcePolicyCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetTopicAttributesCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetResourcePolicyCommand as GetTablePolicyCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  BatchGetProjectsCommand,
  CodeBuildClient,
  ListProjectsCommand,
} from '@aws-sdk/client-codebuild';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionFamiliesCommand,
} from '@aws-sdk/client-ecs';
import { GetDevEndpointsCommand, GetJobsCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  DescribeNotebookInstanceCommand,
  ListNotebookInstancesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { mapConfigItems } from '../../ingest/aws-config.js';
import type { Gap, Resource } from '../../model/index.js';
import type { ConfigItem } from '../config-item.js';
import {
  cloudformation,
  codebuild,
  ec2,
  ecs,
  glue,
  lambdaFunctions,
  sagemaker,
} from './compute.js';
import { awsError, collectInRegion } from '../../test-support/collector.js';
import type { ResourceCollector } from './context.js';
import { dynamoDbTables } from './dynamodb.js';
import { ecrRepositories, kmsKeys, secrets, snsTopics } from './policies.js';

const here = dirname(fileURLToPath(import.meta.url));
/* eslint-disable @typescript-eslint/no-explicit-any -- recorded responses are untyped JSON */
const RECORDED = JSON.parse(
  readFileSync(join(here, '..', 'fixtures', 'sdk', 'resources.json'), 'utf8'),
) as Record<string, any>;
const COMPUTE = JSON.parse(
  readFileSync(join(here, '..', 'fixtures', 'sdk', 'compute.json'), 'utf8'),
) as Record<string, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

const ACCOUNT = '444455556666';
const REGION = 'eu-west-1';

async function collect(
  collector: ResourceCollector,
): Promise<{ items: ConfigItem[]; gaps: Gap[]; resources: Resource[] }> {
  const { items, gaps, part } = await collectInRegion(collector, ACCOUNT, REGION);
  return { items, gaps, resources: [...(part.resources ?? [])] };
}

const mocks: { reset(): void }[] = [];
afterEach(() => {
  for (const mock of mocks.splice(0)) mock.reset();
});
function mock<T>(client: T) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- aws-sdk-client-mock's generic client type
  const m = mockClient(client as any);
  mocks.push(m);
  return m;
}

describe('resource collectors write AWS Config items the importer reads', () => {
  it('KMS: customer keys with their key policy; AWS managed keys are left out', async () => {
    const kms = mock(KMSClient);
    kms.on(ListKeysCommand).resolves(RECORDED.KMS.ListKeys);
    for (const [keyId, response] of Object.entries(RECORDED.KMS.DescribeKey))
      kms.on(DescribeKeyCommand, { KeyId: keyId }).resolves(response as object);
    kms.on(GetKeyPolicyCommand).resolves(RECORDED.KMS.GetKeyPolicy);
    const { resources, gaps } = await collect(kmsKeys);
    expect(gaps).toEqual([]);
    expect(resources.map((r) => r.arn)).toEqual([
      `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    ]);
    expect(JSON.stringify(resources[0]?.policy)).toContain('arn:aws:iam::999988887777:root');
    expect(kms.commandCalls(GetKeyPolicyCommand)).toHaveLength(1);
  });

  it('SNS: the topic policy from the topic attributes', async () => {
    const sns = mock(SNSClient);
    sns.on(ListTopicsCommand).resolves(RECORDED.SNS.ListTopics);
    sns.on(GetTopicAttributesCommand).resolves(RECORDED.SNS.GetTopicAttributes);
    const { resources } = await collect(snsTopics);
    expect(resources).toMatchObject([
      { type: 'AWS::SNS::Topic', arn: `arn:aws:sns:${REGION}:${ACCOUNT}:deploys`, region: REGION },
    ]);
    expect(JSON.stringify(resources[0]?.policy)).toContain('"AWS":"*"');
  });

  it('Secrets Manager: the resource policy, or none, so the import records no gap', async () => {
    const sm = mock(SecretsManagerClient);
    sm.on(ListSecretsCommand).resolves(RECORDED.SecretsManager.ListSecrets);
    for (const secret of RECORDED.SecretsManager.ListSecrets.SecretList as {
      ARN: string;
      Name: string;
    }[])
      sm.on(GetResourcePolicyCommand, { SecretId: secret.ARN }).resolves(
        RECORDED.SecretsManager.GetResourcePolicy[secret.Name],
      );
    const { resources, items } = await collect(secrets);
    const part = mapConfigItems(JSON.parse(JSON.stringify(items)) as unknown[], 'x.json');
    expect(part.gaps ?? []).toEqual([]);
    expect(resources.map((r) => [r.name, r.policy === null ? 'none' : 'policy']).sort()).toEqual([
      ['ci/token', 'none'],
      ['prod/db', 'policy'],
    ]);
    // Never the secret's value: only metadata is read.
    expect(JSON.stringify(items)).not.toContain('SecretString');
  });

  it('DynamoDB: every page of tables, the resource policy or none; a table deleted meanwhile is skipped', async () => {
    const ddb = mock(DynamoDBClient);
    ddb.on(ListTablesCommand).resolves(RECORDED.DynamoDB.ListTables.first);
    ddb
      .on(ListTablesCommand, { ExclusiveStartTableName: 'orders' })
      .resolves(RECORDED.DynamoDB.ListTables.next);
    ddb
      .on(DescribeTableCommand, { TableName: 'audit' })
      .rejects(awsError('ResourceNotFoundException', 'Requested resource not found'));
    for (const name of ['orders', 'sessions'])
      ddb
        .on(DescribeTableCommand, { TableName: name })
        .resolves(RECORDED.DynamoDB.DescribeTable[name]);
    ddb
      .on(GetTablePolicyCommand, {
        ResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
      })
      .resolves(RECORDED.DynamoDB.GetResourcePolicy.orders);
    ddb
      .on(GetTablePolicyCommand, {
        ResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/sessions`,
      })
      .rejects(
        awsError(
          'PolicyNotFoundException',
          'Resource-based policy not found for the provided ResourceArn',
        ),
      );
    const { resources, items, gaps } = await collect(dynamoDbTables);
    expect(gaps).toEqual([]);
    expect(ddb.commandCalls(ListTablesCommand)).toHaveLength(2);
    // The importer records no "policy not recorded by AWS Config" gap: the collector read it.
    const part = mapConfigItems(JSON.parse(JSON.stringify(items)) as unknown[], 'x.json');
    expect(part.gaps ?? []).toEqual([]);
    expect(resources.map((r) => [r.type, r.name, r.policy === null ? 'none' : 'policy'])).toEqual([
      ['AWS::DynamoDB::Table', 'orders', 'policy'],
      ['AWS::DynamoDB::Table', 'sessions', 'none'],
    ]);
    expect(JSON.stringify(resources[0]?.policy)).toContain('arn:aws:iam::999988887777:root');
  });

  it('DynamoDB: a policy that cannot be read is a gap, and the import keeps it unknown', async () => {
    const ddb = mock(DynamoDBClient);
    ddb.on(ListTablesCommand).resolves(RECORDED.DynamoDB.ListTables.next);
    ddb.on(DescribeTableCommand).resolves(RECORDED.DynamoDB.DescribeTable.sessions);
    ddb
      .on(GetTablePolicyCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User is not authorized to perform: dynamodb:GetResourcePolicy',
        ),
      );
    const { resources, items, gaps } = await collect(dynamoDbTables);
    expect(gaps).toMatchObject([
      {
        source: 'config:AWS::DynamoDB::Table',
        accountId: ACCOUNT,
        region: REGION,
        detail: expect.stringContaining('dynamodb:GetResourcePolicy sessions'),
      },
    ]);
    expect(resources.map((r) => r.name)).toEqual(['sessions']);
    const part = mapConfigItems(JSON.parse(JSON.stringify(items)) as unknown[], 'x.json');
    expect(JSON.stringify(part.gaps)).toContain('DynamoDB resource policies');
  });

  it('ECR: the repository policy', async () => {
    const ecr = mock(ECRClient);
    ecr.on(DescribeRepositoriesCommand).resolves(RECORDED.ECR.DescribeRepositories);
    ecr.on(GetRepositoryPolicyCommand).resolves(RECORDED.ECR.GetRepositoryPolicy);
    const { resources } = await collect(ecrRepositories);
    expect(resources.map((r) => r.arn)).toEqual([
      `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/app`,
    ]);
    expect(JSON.stringify(resources[0]?.policy)).toContain('aws:PrincipalOrgID');
  });

  it('ECR: a repository without a policy has none (not a gap)', async () => {
    const ecr = mock(ECRClient);
    ecr.on(DescribeRepositoriesCommand).resolves(RECORDED.ECR.DescribeRepositories);
    ecr
      .on(GetRepositoryPolicyCommand)
      .rejects(awsError('RepositoryPolicyNotFoundException', 'Repository policy does not exist'));
    const { resources, gaps } = await collect(ecrRepositories);
    expect(gaps).toEqual([]);
    expect(resources[0]?.policy).toBeNull();
  });

  it('Lambda: every page, role, policy, function URL auth type; never environment variables', async () => {
    const lambda = mock(LambdaClient);
    lambda
      .on(ListFunctionsCommand, { Marker: undefined })
      .resolves(RECORDED.Lambda.ListFunctions[0]);
    lambda
      .on(ListFunctionsCommand, { Marker: 'EXAMPLEMARKER2' })
      .resolves(RECORDED.Lambda.ListFunctions[1]);
    lambda
      .on(GetPolicyCommand, { FunctionName: 'rotate-db' })
      .rejects(
        awsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404),
      );
    lambda
      .on(GetPolicyCommand, { FunctionName: 'public-hook' })
      .resolves(RECORDED.Lambda.GetPolicy['public-hook']);
    for (const name of ['rotate-db', 'public-hook'])
      lambda
        .on(ListFunctionUrlConfigsCommand, { FunctionName: name })
        .resolves(RECORDED.Lambda.ListFunctionUrlConfigs[name]);
    const { resources, items, gaps } = await collect(lambdaFunctions);
    expect(gaps).toEqual([]);
    expect(JSON.stringify(items)).not.toContain('DB_PASSWORD');
    expect(
      [...resources]
        .sort((a, b) => b.name.localeCompare(a.name))
        .map((r) => ({
          name: r.name,
          roles: r.roleArns,
          policy: r.policy !== null,
          url: r.exposure.functionUrlAuthType,
          groups: r.exposure.securityGroupIds,
        })),
    ).toEqual([
      {
        name: 'rotate-db',
        roles: [`arn:aws:iam::${ACCOUNT}:role/rotate-db-role`],
        policy: false,
        url: null,
        groups: ['sg-0example1'],
      },
      {
        name: 'public-hook',
        roles: [`arn:aws:iam::${ACCOUNT}:role/public-hook-role`],
        policy: true,
        url: 'NONE',
        groups: [],
      },
    ]);
  });

  it('EC2: running instances with profile, public IP and groups; security groups open to the internet', async () => {
    const client = mock(EC2Client);
    client.on(DescribeInstancesCommand).resolves(RECORDED.EC2.DescribeInstances);
    client.on(DescribeSecurityGroupsCommand).resolves(RECORDED.EC2.DescribeSecurityGroups);
    const { resources } = await collect(ec2);
    const instance = resources.find((r) => r.type === 'AWS::EC2::Instance');
    expect(resources.filter((r) => r.type === 'AWS::EC2::Instance')).toHaveLength(1);
    expect(instance).toMatchObject({
      arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0example1`,
      name: 'web-1',
      instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/web`,
      exposure: { publicIp: '203.0.113.10', securityGroupIds: ['sg-0example1'] },
    });
    const group = resources.find((r) => r.type === 'AWS::EC2::SecurityGroup');
    expect(group?.exposure.openIngress).toEqual([
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' },
      { protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '::/0' },
    ]);
  });

  it('AccessDenied on a listing becomes a gap for that type, account and region, not a failure', async () => {
    const client = mock(EC2Client);
    client
      .on(DescribeInstancesCommand)
      .rejects(
        awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403),
      );
    client.on(DescribeSecurityGroupsCommand).resolves(RECORDED.EC2.DescribeSecurityGroups);
    const { resources, gaps } = await collect(ec2);
    expect(gaps).toEqual([
      {
        source: 'config:AWS::EC2::Instance',
        accountId: ACCOUNT,
        region: REGION,
        detail:
          'ec2:DescribeInstances: access denied (UnauthorizedOperation: You are not authorized to perform this operation.)',
      },
    ]);
    expect(resources.map((r) => r.type)).toEqual(['AWS::EC2::SecurityGroup']);
  });

  it('a disabled region is a gap that says so', async () => {
    const sns = mock(SNSClient);
    sns
      .on(ListTopicsCommand)
      .rejects(
        awsError(
          'InvalidClientTokenId',
          'The security token included in the request is invalid.',
          403,
        ),
      );
    const { gaps } = await collect(snsTopics);
    expect(gaps.map((g) => g.detail)).toEqual([
      'sns:ListTopics: the region is not enabled for the account (or the credentials are not valid there) (InvalidClientTokenId: The security token included in the request is invalid.)',
    ]);
  });

  it('a bug (not an AWS error) is not hidden as a gap', async () => {
    const sns = mock(SNSClient);
    sns.on(ListTopicsCommand).rejects(new TypeError('cannot read properties of undefined'));
    await expect(collect(snsTopics)).rejects.toThrow(TypeError);
  });

  it('ECS: clusters, services with their security groups, and task roles; no container environment', async () => {
    const client = mock(ECSClient);
    client.on(ListClustersCommand).resolves(COMPUTE.ECS.ListClusters);
    client.on(DescribeClustersCommand).resolves(COMPUTE.ECS.DescribeClusters);
    client.on(ListServicesCommand).resolves(COMPUTE.ECS.ListServices);
    client.on(DescribeServicesCommand).resolves(COMPUTE.ECS.DescribeServices);
    client.on(ListTaskDefinitionFamiliesCommand).resolves(COMPUTE.ECS.ListTaskDefinitionFamilies);
    client.on(DescribeTaskDefinitionCommand).resolves(COMPUTE.ECS.DescribeTaskDefinition);
    const { resources, items, gaps } = await collect(ecs);
    expect(gaps).toEqual([]);
    expect(JSON.stringify(items)).not.toContain('STRIPE_KEY');
    const byType = (type: string) => resources.find((r) => r.type === type);
    expect(byType('AWS::ECS::Cluster')?.name).toBe('apps');
    expect(byType('AWS::ECS::Service')?.exposure.securityGroupIds).toEqual(['sg-0example2']);
    expect(byType('AWS::ECS::TaskDefinition')?.roleArns).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/payments-api-task`,
      `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    ]);
  });

  it('Glue, SageMaker, CodeBuild, CloudFormation: the roles they run as; no arguments, variables or parameters', async () => {
    const g = mock(GlueClient);
    g.on(GetJobsCommand).resolves(COMPUTE.Glue.GetJobs);
    g.on(GetDevEndpointsCommand).resolves(COMPUTE.Glue.GetDevEndpoints);
    const sm = mock(SageMakerClient);
    sm.on(ListNotebookInstancesCommand).resolves(COMPUTE.SageMaker.ListNotebookInstances);
    sm.on(DescribeNotebookInstanceCommand).resolves(COMPUTE.SageMaker.DescribeNotebookInstance);
    const cb = mock(CodeBuildClient);
    cb.on(ListProjectsCommand).resolves(COMPUTE.CodeBuild.ListProjects);
    cb.on(BatchGetProjectsCommand).resolves(COMPUTE.CodeBuild.BatchGetProjects);
    const cf = mock(CloudFormationClient);
    cf.on(DescribeStacksCommand).resolves(COMPUTE.CloudFormation.DescribeStacks);
    const found: Resource[] = [];
    for (const collector of [glue, sagemaker, codebuild, cloudformation]) {
      const { resources, items, gaps } = await collect(collector);
      expect(gaps).toEqual([]);
      expect(JSON.stringify(items)).not.toContain('example-not-a-secret');
      found.push(...resources);
    }
    expect(found.map((r) => [r.type, r.roleArns.map((arn) => arn.split('/').pop())])).toEqual([
      ['AWS::Glue::DevEndpoint', ['glue-dev']],
      ['AWS::Glue::Job', ['glue-etl']],
      ['AWS::SageMaker::NotebookInstance', ['sagemaker-research']],
      ['AWS::CodeBuild::Project', ['codebuild-release']],
      ['AWS::CloudFormation::Stack', ['cfn-deployer']],
    ]);
    const notebook = found.find((r) => r.type === 'AWS::SageMaker::NotebookInstance');
    expect(notebook?.exposure).toMatchObject({
      directInternetAccess: true,
      securityGroupIds: ['sg-0example4'],
    });
  });
});
