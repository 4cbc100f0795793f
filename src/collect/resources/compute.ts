/**
 * Compute that runs with roles: Lambda functions (with their policies and function URLs), EC2
 * instances and security groups, ECS clusters, task definitions and services, Glue jobs and dev
 * endpoints, SageMaker notebook instances, CodeBuild projects and CloudFormation stacks.
 * Environment variables, parameters and arguments are never written: they often hold secrets.
 */
import {
  GetPolicyCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListFunctionUrlConfigsCommand,
} from '@aws-sdk/client-lambda';
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
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
import {
  BatchGetProjectsCommand,
  CodeBuildClient,
  ListProjectsCommand,
} from '@aws-sdk/client-codebuild';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { attempt, clientConfig, readPages } from '../aws.js';
import { configItem, tagsOf, type ConfigItem } from '../config-item.js';
import {
  batches,
  boundedPolicy,
  capped,
  partitionOf,
  without,
  type RegionContext,
  type ResourceCollector,
} from './context.js';

const LAMBDA_TYPE = 'AWS::Lambda::Function';

/** Lambda functions: role, VPC security groups, resource policy and function URLs. */
export const lambdaFunctions: ResourceCollector = {
  service: 'lambda',
  types: [LAMBDA_TYPE],
  async collect(context) {
    const client = new LambdaClient(clientConfig(context.settings));
    const source = `config:${LAMBDA_TYPE}`;
    const listed = await attempt(context.sink, source, 'lambda:ListFunctions', () =>
      readPages(
        (Marker) => client.send(new ListFunctionsCommand({ Marker, MaxItems: 50 })),
        (page) => page.Functions,
        (page) => page.NextMarker,
      ),
    );
    const items: ConfigItem[] = [];
    for (const fn of capped(context, LAMBDA_TYPE, listed?.items ?? [])) {
      const name = fn.FunctionName;
      const arn = fn.FunctionArn;
      if (!name || !arn) continue;
      const policy = await attempt(context.sink, source, `lambda:GetPolicy ${name}`, async () => {
        try {
          return await client.send(new GetPolicyCommand({ FunctionName: name }));
        } catch (error) {
          // No resource policy: Lambda answers ResourceNotFoundException.
          if ((error as { name?: unknown }).name === 'ResourceNotFoundException') return null;
          throw error;
        }
      });
      const urls = await attempt(
        context.sink,
        source,
        `lambda:ListFunctionUrlConfigs ${name}`,
        () =>
          readPages(
            (Marker) =>
              client.send(new ListFunctionUrlConfigsCommand({ FunctionName: name, Marker })),
            (page) => page.FunctionUrlConfigs,
            (page) => page.NextMarker,
            20,
          ),
      );
      const supplementary: Record<string, unknown> = {};
      if (policy !== undefined) {
        const text = boundedPolicy(context, LAMBDA_TYPE, arn, policy?.Policy);
        if (text !== undefined) supplementary.Policy = text;
      }
      if (urls)
        supplementary.FunctionUrlConfigs = urls.items.map((url) => ({
          FunctionUrl: url.FunctionUrl,
          AuthType: url.AuthType,
        }));
      items.push(
        configItem({
          type: LAMBDA_TYPE,
          arn,
          id: name,
          name,
          accountId: context.accountId,
          region: context.region,
          configuration: without(fn, 'Environment'),
          supplementary,
          capturedAt: context.now,
        }),
      );
    }
    return items;
  },
};

/** EC2 instances (instance profile, public IP, security groups) and security groups. */
export const ec2: ResourceCollector = {
  service: 'ec2',
  types: ['AWS::EC2::Instance', 'AWS::EC2::SecurityGroup'],
  async collect(context) {
    const client = new EC2Client(clientConfig(context.settings));
    const partition = partitionOf(context.region);
    const items: ConfigItem[] = [];
    const reservations = await attempt(
      context.sink,
      'config:AWS::EC2::Instance',
      'ec2:DescribeInstances',
      () =>
        readPages(
          (NextToken) => client.send(new DescribeInstancesCommand({ NextToken, MaxResults: 1000 })),
          (page) => page.Reservations,
          (page) => page.NextToken,
        ),
    );
    const instances = (reservations?.items ?? []).flatMap((r) => r.Instances ?? []);
    for (const instance of capped(context, 'AWS::EC2::Instance', instances)) {
      const id = instance.InstanceId;
      if (!id || instance.State?.Name === 'terminated') continue;
      const tags = tagsOf(instance.Tags);
      items.push(
        configItem({
          type: 'AWS::EC2::Instance',
          arn: `arn:${partition}:ec2:${context.region}:${context.accountId}:instance/${id}`,
          id,
          name: tags.Name ?? id,
          accountId: context.accountId,
          region: context.region,
          configuration: instance,
          tags,
          createdAt: instance.LaunchTime ?? null,
          capturedAt: context.now,
        }),
      );
    }
    const groups = await attempt(
      context.sink,
      'config:AWS::EC2::SecurityGroup',
      'ec2:DescribeSecurityGroups',
      () =>
        readPages(
          (NextToken) =>
            client.send(new DescribeSecurityGroupsCommand({ NextToken, MaxResults: 1000 })),
          (page) => page.SecurityGroups,
          (page) => page.NextToken,
        ),
    );
    for (const group of capped(context, 'AWS::EC2::SecurityGroup', groups?.items ?? [])) {
      const id = group.GroupId;
      if (!id) continue;
      items.push(
        configItem({
          type: 'AWS::EC2::SecurityGroup',
          arn:
            group.SecurityGroupArn ??
            `arn:${partition}:ec2:${context.region}:${context.accountId}:security-group/${id}`,
          id,
          name: group.GroupName ?? id,
          accountId: context.accountId,
          region: context.region,
          configuration: group,
          tags: tagsOf(group.Tags),
          capturedAt: context.now,
        }),
      );
    }
    return items;
  },
};

/** ECS clusters, the latest active task definition of each family, and services. */
export const ecs: ResourceCollector = {
  service: 'ecs',
  types: ['AWS::ECS::Cluster', 'AWS::ECS::TaskDefinition', 'AWS::ECS::Service'],
  async collect(context) {
    const client = new ECSClient(clientConfig(context.settings));
    const items: ConfigItem[] = [];
    const base = { accountId: context.accountId, region: context.region, capturedAt: context.now };
    const clusterArns = await attempt(
      context.sink,
      'config:AWS::ECS::Cluster',
      'ecs:ListClusters',
      () =>
        readPages(
          (nextToken) => client.send(new ListClustersCommand({ nextToken })),
          (page) => page.clusterArns,
          (page) => page.nextToken,
        ),
    );
    for (const batch of batches(clusterArns?.items ?? [], 100)) {
      const described = await attempt(
        context.sink,
        'config:AWS::ECS::Cluster',
        'ecs:DescribeClusters',
        () => client.send(new DescribeClustersCommand({ clusters: batch })),
      );
      for (const cluster of described?.clusters ?? []) {
        if (!cluster.clusterArn || !cluster.clusterName) continue;
        items.push(
          configItem({
            ...base,
            type: 'AWS::ECS::Cluster',
            arn: cluster.clusterArn,
            id: cluster.clusterName,
            name: cluster.clusterName,
            configuration: {
              ClusterName: cluster.clusterName,
              ClusterArn: cluster.clusterArn,
              CapacityProviders: cluster.capacityProviders ?? [],
              Status: cluster.status,
            },
            tags: tagsOf(cluster.tags),
          }),
        );
      }
      for (const clusterArn of batch) {
        const services = await attempt(
          context.sink,
          'config:AWS::ECS::Service',
          `ecs:ListServices ${clusterArn}`,
          () =>
            readPages(
              (nextToken) =>
                client.send(new ListServicesCommand({ cluster: clusterArn, nextToken })),
              (page) => page.serviceArns,
              (page) => page.nextToken,
            ),
        );
        for (const serviceBatch of batches(services?.items ?? [], 10)) {
          const described = await attempt(
            context.sink,
            'config:AWS::ECS::Service',
            'ecs:DescribeServices',
            () =>
              client.send(
                new DescribeServicesCommand({ cluster: clusterArn, services: serviceBatch }),
              ),
          );
          for (const service of described?.services ?? []) {
            if (!service.serviceArn || !service.serviceName) continue;
            const awsvpc = service.networkConfiguration?.awsvpcConfiguration;
            items.push(
              configItem({
                ...base,
                type: 'AWS::ECS::Service',
                arn: service.serviceArn,
                id: service.serviceArn,
                name: service.serviceName,
                configuration: {
                  ServiceName: service.serviceName,
                  ServiceArn: service.serviceArn,
                  Cluster: clusterArn,
                  Role: service.roleArn,
                  TaskDefinition: service.taskDefinition,
                  LaunchType: service.launchType,
                  DesiredCount: service.desiredCount,
                  EnableExecuteCommand: service.enableExecuteCommand,
                  NetworkConfiguration: awsvpc
                    ? {
                        AwsvpcConfiguration: {
                          SecurityGroups: awsvpc.securityGroups ?? [],
                          Subnets: awsvpc.subnets ?? [],
                          AssignPublicIp: awsvpc.assignPublicIp,
                        },
                      }
                    : undefined,
                },
                createdAt: service.createdAt ?? null,
              }),
            );
          }
        }
      }
    }
    const families = await attempt(
      context.sink,
      'config:AWS::ECS::TaskDefinition',
      'ecs:ListTaskDefinitionFamilies',
      () =>
        readPages(
          (nextToken) =>
            client.send(new ListTaskDefinitionFamiliesCommand({ status: 'ACTIVE', nextToken })),
          (page) => page.families,
          (page) => page.nextToken,
        ),
    );
    for (const family of capped(context, 'AWS::ECS::TaskDefinition', families?.items ?? [])) {
      const described = await attempt(
        context.sink,
        'config:AWS::ECS::TaskDefinition',
        `ecs:DescribeTaskDefinition ${family}`,
        () => client.send(new DescribeTaskDefinitionCommand({ taskDefinition: family })),
      );
      const definition = described?.taskDefinition;
      if (!definition?.taskDefinitionArn) continue;
      items.push(
        configItem({
          ...base,
          type: 'AWS::ECS::TaskDefinition',
          arn: definition.taskDefinitionArn,
          id: definition.taskDefinitionArn,
          name: `${family}:${definition.revision ?? ''}`,
          configuration: {
            Family: definition.family,
            Revision: definition.revision,
            TaskRoleArn: definition.taskRoleArn,
            ExecutionRoleArn: definition.executionRoleArn,
            NetworkMode: definition.networkMode,
            RequiresCompatibilities: definition.requiresCompatibilities ?? [],
            ContainerDefinitions: (definition.containerDefinitions ?? []).map((c) => ({
              Name: c.name,
              Image: c.image,
              Privileged: c.privileged ?? false,
            })),
          },
        }),
      );
    }
    return items;
  },
};

/** Glue jobs (their role) and development endpoints. */
export const glue: ResourceCollector = {
  service: 'glue',
  types: ['AWS::Glue::Job', 'AWS::Glue::DevEndpoint'],
  async collect(context) {
    const client = new GlueClient(clientConfig(context.settings));
    const partition = partitionOf(context.region);
    const base = { accountId: context.accountId, region: context.region, capturedAt: context.now };
    const items: ConfigItem[] = [];
    const jobs = await attempt(context.sink, 'config:AWS::Glue::Job', 'glue:GetJobs', () =>
      readPages(
        (NextToken) => client.send(new GetJobsCommand({ NextToken })),
        (page) => page.Jobs,
        (page) => page.NextToken,
      ),
    );
    for (const job of capped(context, 'AWS::Glue::Job', jobs?.items ?? [])) {
      if (!job.Name) continue;
      items.push(
        configItem({
          ...base,
          type: 'AWS::Glue::Job',
          arn: `arn:${partition}:glue:${context.region}:${context.accountId}:job/${job.Name}`,
          id: job.Name,
          name: job.Name,
          configuration: {
            Name: job.Name,
            Role: job.Role,
            Command: { Name: job.Command?.Name },
            GlueVersion: job.GlueVersion,
            WorkerType: job.WorkerType,
          },
          createdAt: job.CreatedOn ?? null,
        }),
      );
    }
    const endpoints = await attempt(
      context.sink,
      'config:AWS::Glue::DevEndpoint',
      'glue:GetDevEndpoints',
      () =>
        readPages(
          (NextToken) => client.send(new GetDevEndpointsCommand({ NextToken })),
          (page) => page.DevEndpoints,
          (page) => page.NextToken,
        ),
    );
    for (const endpoint of capped(context, 'AWS::Glue::DevEndpoint', endpoints?.items ?? [])) {
      if (!endpoint.EndpointName) continue;
      items.push(
        configItem({
          ...base,
          type: 'AWS::Glue::DevEndpoint',
          arn: `arn:${partition}:glue:${context.region}:${context.accountId}:devEndpoint/${endpoint.EndpointName}`,
          id: endpoint.EndpointName,
          name: endpoint.EndpointName,
          configuration: {
            endpointName: endpoint.EndpointName,
            roleArn: endpoint.RoleArn,
            securityGroupIds: endpoint.SecurityGroupIds ?? [],
            status: endpoint.Status,
            publicAddress: endpoint.PublicAddress,
            glueVersion: endpoint.GlueVersion,
          },
          notRecordedByAwsConfig: true,
          createdAt: endpoint.CreatedTimestamp ?? null,
        }),
      );
    }
    return items;
  },
};

const NOTEBOOK_TYPE = 'AWS::SageMaker::NotebookInstance';

/** SageMaker notebook instances: role, direct internet access, security groups. */
export const sagemaker: ResourceCollector = {
  service: 'sagemaker',
  types: [NOTEBOOK_TYPE],
  async collect(context) {
    const client = new SageMakerClient(clientConfig(context.settings));
    const source = `config:${NOTEBOOK_TYPE}`;
    const listed = await attempt(context.sink, source, 'sagemaker:ListNotebookInstances', () =>
      readPages(
        (NextToken) =>
          client.send(new ListNotebookInstancesCommand({ NextToken, MaxResults: 100 })),
        (page) => page.NotebookInstances,
        (page) => page.NextToken,
      ),
    );
    const items: ConfigItem[] = [];
    for (const notebook of capped(context, NOTEBOOK_TYPE, listed?.items ?? [])) {
      const name = notebook.NotebookInstanceName;
      if (!name) continue;
      const described = await attempt(
        context.sink,
        source,
        `sagemaker:DescribeNotebookInstance ${name}`,
        () => client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name })),
      );
      if (!described?.NotebookInstanceArn) continue;
      items.push(
        configItem({
          type: NOTEBOOK_TYPE,
          arn: described.NotebookInstanceArn,
          id: name,
          name,
          accountId: context.accountId,
          region: context.region,
          configuration: {
            NotebookInstanceName: name,
            RoleArn: described.RoleArn,
            DirectInternetAccess: described.DirectInternetAccess,
            SecurityGroupIds: described.SecurityGroups ?? [],
            SubnetId: described.SubnetId,
            InstanceType: described.InstanceType,
            RootAccess: described.RootAccess,
            PlatformIdentifier: described.PlatformIdentifier,
          },
          createdAt: described.CreationTime ?? null,
          capturedAt: context.now,
        }),
      );
    }
    return items;
  },
};

const CODEBUILD_TYPE = 'AWS::CodeBuild::Project';

/** CodeBuild projects: service role, source, image, VPC security groups. */
export const codebuild: ResourceCollector = {
  service: 'codebuild',
  types: [CODEBUILD_TYPE],
  async collect(context) {
    const client = new CodeBuildClient(clientConfig(context.settings));
    const source = `config:${CODEBUILD_TYPE}`;
    const listed = await attempt(context.sink, source, 'codebuild:ListProjects', () =>
      readPages(
        (nextToken) => client.send(new ListProjectsCommand({ nextToken })),
        (page) => page.projects,
        (page) => page.nextToken,
      ),
    );
    const items: ConfigItem[] = [];
    for (const batch of batches(capped(context, CODEBUILD_TYPE, listed?.items ?? []), 100)) {
      const described = await attempt(context.sink, source, 'codebuild:BatchGetProjects', () =>
        client.send(new BatchGetProjectsCommand({ names: batch })),
      );
      for (const project of described?.projects ?? []) {
        if (!project.arn || !project.name) continue;
        items.push(
          configItem({
            type: CODEBUILD_TYPE,
            arn: project.arn,
            id: project.name,
            name: project.name,
            accountId: context.accountId,
            region: context.region,
            configuration: {
              name: project.name,
              serviceRole: project.serviceRole,
              source: { type: project.source?.type, location: project.source?.location },
              environment: {
                image: project.environment?.image,
                privilegedMode: project.environment?.privilegedMode ?? false,
              },
              vpcConfig: project.vpcConfig
                ? { securityGroupIds: project.vpcConfig.securityGroupIds ?? [] }
                : undefined,
            },
            tags: tagsOf(project.tags),
            createdAt: project.created ?? null,
            capturedAt: context.now,
          }),
        );
      }
    }
    return items;
  },
};

const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** CloudFormation stacks and the service role they deploy with. */
export const cloudformation: ResourceCollector = {
  service: 'cloudformation',
  types: [STACK_TYPE],
  async collect(context: RegionContext) {
    const client = new CloudFormationClient(clientConfig(context.settings));
    const listed = await attempt(
      context.sink,
      `config:${STACK_TYPE}`,
      'cloudformation:DescribeStacks',
      () =>
        readPages(
          (NextToken) => client.send(new DescribeStacksCommand({ NextToken })),
          (page) => page.Stacks,
          (page) => page.NextToken,
        ),
    );
    return capped(context, STACK_TYPE, listed?.items ?? []).flatMap((stack) =>
      stack.StackId && stack.StackName
        ? [
            configItem({
              type: STACK_TYPE,
              arn: stack.StackId,
              id: stack.StackId,
              name: stack.StackName,
              accountId: context.accountId,
              region: context.region,
              configuration: {
                stackName: stack.StackName,
                stackStatus: stack.StackStatus,
                roleARN: stack.RoleARN,
                capabilities: stack.Capabilities ?? [],
                enableTerminationProtection: stack.EnableTerminationProtection ?? false,
                lastUpdatedTime: stack.LastUpdatedTime,
              },
              tags: tagsOf(stack.Tags),
              createdAt: stack.CreationTime ?? null,
              capturedAt: context.now,
            }),
          ]
        : [],
    );
  },
};
