/**
 * AWS Config configuration items for the resources of an account, in AWS Config's item shape
 * (see reference/aws-config-items.json): older types with camelCase configuration, newer ones with
 * CloudFormation-style PascalCase, resource policies where AWS Config keeps them.
 */
import { daysBefore, isoLambda, isoZ } from './dates.js';
import type { AccountBuilder, PolicyDoc, RoleEntity } from './estate.js';
import { HEX, type Random } from './random.js';

/** An AWS Config configuration item. */
export type ConfigItem = Record<string, unknown>;

interface ItemOptions {
  readonly type: string;
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly created: Date;
  readonly tags?: Readonly<Record<string, string>>;
  readonly relationships?: readonly Record<string, unknown>[];
  readonly configuration: Record<string, unknown>;
  readonly supplementary?: Record<string, unknown>;
  readonly availabilityZone?: string;
  readonly notRecorded?: boolean;
}

/** Adds one configuration item to the account. */
export function addItem(b: AccountBuilder, rng: Random, options: ItemOptions): ConfigItem {
  const capture = new Date(
    Math.max(options.created.getTime(), daysBefore(b.now, rng.float(0.5, 40)).getTime()),
  );
  const item: ConfigItem = {
    version: '1.3',
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: isoZ(capture),
    configurationItemStatus: 'OK',
    configurationStateId: String(capture.getTime()),
    configurationItemMD5Hash: '',
    ARN: options.arn,
    resourceType: options.type,
    resourceId: options.id,
    resourceName: options.name,
    awsAccountId: b.id,
    awsRegion: options.region,
    availabilityZone: options.availabilityZone ?? 'Not Applicable',
    resourceCreationTime: isoZ(options.created),
    tags: { ...(options.tags ?? {}) },
    relatedEvents: [],
    relationships: [...(options.relationships ?? [])],
    configuration: options.configuration,
    supplementaryConfiguration: options.supplementary ?? {},
  };
  if (options.notRecorded) item.notRecordedByAwsConfig = true;
  b.items.push(item);
  return item;
}

function roleRelationship(role: RoleEntity): Record<string, unknown> {
  return { resourceName: role.name, resourceType: 'AWS::IAM::Role', name: 'Is associated with ' };
}

function pascalTagList(
  tags: Readonly<Record<string, string>> | undefined,
): { Key: string; Value: string }[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

/** The network of one region of an account: a VPC, two subnets. */
export interface Network {
  readonly vpcId: string;
  readonly subnets: readonly string[];
}

/** The account's VPC in `region` (created once). */
export function networkOf(b: AccountBuilder, region: string): Network {
  return b.shared(`network/${region}`, () => {
    const rng = b.rng.fork(`network/${region}`);
    return {
      vpcId: `vpc-0${rng.chars(HEX, 16)}`,
      subnets: [`subnet-0${rng.chars(HEX, 16)}`, `subnet-0${rng.chars(HEX, 16)}`],
    };
  });
}

/** One ingress rule of a security group. */
export interface IngressRule {
  readonly protocol: string;
  readonly from: number | null;
  readonly to: number | null;
  readonly cidr?: string;
  readonly cidr6?: string;
}

/** A security group item, with its id. */
export interface SecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly open: boolean;
}

/** Adds a security group. */
export function addSecurityGroup(
  b: AccountBuilder,
  options: { name: string; region: string; description: string; ingress: readonly IngressRule[] },
): SecurityGroup {
  const rng = b.rng.fork(`sg/${options.region}/${options.name}`);
  const id = `sg-0${rng.chars(HEX, 16)}`;
  const network = networkOf(b, options.region);
  const permission = (rule: IngressRule): Record<string, unknown> => ({
    ...(rule.from === null ? {} : { fromPort: rule.from }),
    ipProtocol: rule.protocol,
    ipv6Ranges: rule.cidr6 ? [{ cidrIpv6: rule.cidr6 }] : [],
    prefixListIds: [],
    ...(rule.to === null ? {} : { toPort: rule.to }),
    userIdGroupPairs: [],
    ipv4Ranges: rule.cidr ? [{ cidrIp: rule.cidr }] : [],
    ipRanges: rule.cidr ? [rule.cidr] : [],
  });
  addItem(b, rng, {
    type: 'AWS::EC2::SecurityGroup',
    arn: `arn:aws:ec2:${options.region}:${b.id}:security-group/${id}`,
    id,
    name: options.name,
    region: options.region,
    created: b.createdDate(rng, { recentChance: 0.02 }),
    relationships: [
      { resourceId: network.vpcId, resourceType: 'AWS::EC2::VPC', name: 'Is contained in Vpc' },
    ],
    configuration: {
      description: options.description,
      groupName: options.name,
      ipPermissions: options.ingress.map(permission),
      ownerId: b.id,
      groupId: id,
      ipPermissionsEgress: [
        permission({ protocol: '-1', from: null, to: null, cidr: '0.0.0.0/0' }),
      ],
      tags: [],
      vpcId: network.vpcId,
    },
  });
  const open = options.ingress.some((r) => r.cidr === '0.0.0.0/0' || r.cidr6 === '::/0');
  return { id, name: options.name, open };
}

/** Adds a Lambda function (and its resource policy and function URL when given). */
export function addLambdaFunction(
  b: AccountBuilder,
  options: {
    name: string;
    role: RoleEntity;
    region?: string;
    policy?: PolicyDoc | null;
    url?: 'NONE' | 'AWS_IAM' | null;
    tags?: Record<string, string>;
  },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`lambda/${region}/${options.name}`);
  const arn = `arn:aws:lambda:${region}:${b.id}:function:${options.name}`;
  const created = b.createdDate(rng);
  const modified = daysBefore(
    b.now,
    rng.float(0, (b.now.getTime() - created.getTime()) / 86_400_000),
  );
  const supplementary: Record<string, unknown> = { Tags: { ...(options.tags ?? {}) } };
  if (options.policy) supplementary.Policy = JSON.stringify(options.policy);
  // As iamsight collect records it: ListFunctionUrlConfigs, empty when the function has no URL.
  supplementary.FunctionUrlConfigs = [];
  if (options.url) {
    const urlId = rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 32);
    supplementary.FunctionUrlConfigs = [
      {
        FunctionUrl: `https://${urlId}.lambda-url.${region}.on.aws/`,
        FunctionArn: arn,
        CreationTime: isoLambda(modified),
        LastModifiedTime: isoLambda(modified),
        Cors: {},
        AuthType: options.url,
        InvokeMode: 'BUFFERED',
      },
    ];
  }
  return addItem(b, rng, {
    type: 'AWS::Lambda::Function',
    arn,
    id: options.name,
    name: options.name,
    region,
    created,
    tags: options.tags,
    relationships: [roleRelationship(options.role)],
    configuration: {
      functionName: options.name,
      functionArn: arn,
      runtime: rng.pick(['python3.12', 'nodejs20.x', 'python3.11', 'java21', 'nodejs18.x']),
      role: options.role.arn,
      handler: rng.pick(['app.handler', 'index.handler', 'main.lambda_handler']),
      codeSize: rng.int(1200, 9_000_000),
      description: '',
      timeout: rng.pick([3, 15, 30, 60, 300, 900]),
      memorySize: rng.pick([128, 256, 512, 1024, 2048]),
      lastModified: isoLambda(modified),
      codeSha256:
        rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 43) + '=',
      version: '$LATEST',
      vpcConfig: { subnetIds: [], securityGroupIds: [] },
      tracingConfig: { mode: 'PassThrough' },
      revisionId: uuid(rng),
      layers: [],
      state: { value: 'Active' },
      lastUpdateStatus: { value: 'Successful' },
      fileSystemConfigs: [],
      packageType: { value: 'Zip' },
      architectures: [rng.chance(0.3) ? 'arm64' : 'x86_64'],
      ephemeralStorage: { size: 512 },
    },
    supplementary,
  });
}

/** Adds an EC2 instance running with the role's instance profile. */
export function addEc2Instance(
  b: AccountBuilder,
  options: {
    name: string;
    role: RoleEntity | null;
    region?: string;
    publicIp?: boolean;
    securityGroups: readonly SecurityGroup[];
    imdsV1?: boolean;
    ssmManaged?: boolean;
  },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`ec2/${region}/${options.name}`);
  const network = networkOf(b, region);
  const instanceId = `i-0${rng.chars(HEX, 16)}`;
  const eni = `eni-0${rng.chars(HEX, 16)}`;
  const subnet = rng.pick(network.subnets);
  const az = `${region}${subnet === network.subnets[0] ? 'a' : 'b'}`;
  const privateIp = `10.${rng.int(0, 31)}.${rng.int(0, 255)}.${rng.int(4, 250)}`;
  const publicIp = options.publicIp ? `203.0.113.${rng.int(1, 254)}` : null;
  const created = b.createdDate(rng);
  const groups = options.securityGroups.map((g) => ({ groupName: g.name, groupId: g.id }));
  const profile = options.role?.instanceProfile ?? null;
  const host = privateIp.replaceAll('.', '-');
  const item = addItem(b, rng, {
    type: 'AWS::EC2::Instance',
    arn: `arn:aws:ec2:${region}:${b.id}:instance/${instanceId}`,
    id: instanceId,
    name: instanceId,
    region,
    created,
    availabilityZone: az,
    tags: { Name: options.name },
    relationships: [
      ...options.securityGroups.map((g) => ({
        resourceId: g.id,
        resourceType: 'AWS::EC2::SecurityGroup',
        name: 'Is associated with SecurityGroup',
      })),
      { resourceId: subnet, resourceType: 'AWS::EC2::Subnet', name: 'Is contained in Subnet' },
      { resourceId: network.vpcId, resourceType: 'AWS::EC2::VPC', name: 'Is contained in Vpc' },
      {
        resourceId: eni,
        resourceType: 'AWS::EC2::NetworkInterface',
        name: 'Contains NetworkInterface',
      },
    ],
    configuration: {
      amiLaunchIndex: 0,
      imageId: `ami-0${rng.chars(HEX, 16)}`,
      instanceId,
      instanceType: rng.pick(['t3.micro', 't3.medium', 'm6i.large', 'c6i.xlarge', 'r6i.large']),
      keyName: rng.chance(0.3) ? `${options.name}-key` : null,
      launchTime: isoZ(created),
      monitoring: { state: 'disabled' },
      placement: { availabilityZone: az, groupName: '', tenancy: 'default' },
      privateDnsName: `ip-${host}.ec2.internal`,
      privateIpAddress: privateIp,
      productCodes: [],
      publicDnsName: publicIp ? `ec2-${publicIp.replaceAll('.', '-')}.compute-1.amazonaws.com` : '',
      ...(publicIp ? { publicIpAddress: publicIp } : {}),
      state: { code: 16, name: 'running' },
      stateTransitionReason: '',
      subnetId: subnet,
      vpcId: network.vpcId,
      architecture: 'x86_64',
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            attachTime: isoZ(created),
            deleteOnTermination: true,
            status: 'attached',
            volumeId: `vol-0${rng.chars(HEX, 16)}`,
          },
        },
      ],
      clientToken: '',
      ebsOptimized: false,
      enaSupport: true,
      hypervisor: 'xen',
      ...(profile ? { iamInstanceProfile: { arn: profile.arn, id: profile.id } } : {}),
      networkInterfaces: [
        {
          networkInterfaceId: eni,
          subnetId: subnet,
          vpcId: network.vpcId,
          status: 'in-use',
          groups,
          privateIpAddress: privateIp,
          ...(publicIp ? { association: { ipOwnerId: 'amazon', publicIp } } : {}),
        },
      ],
      rootDeviceName: '/dev/xvda',
      rootDeviceType: 'ebs',
      securityGroups: groups,
      sourceDestCheck: true,
      tags: [{ key: 'Name', value: options.name }],
      virtualizationType: 'hvm',
      metadataOptions: {
        state: 'applied',
        httpTokens: options.imdsV1 ? 'optional' : 'required',
        httpPutResponseHopLimit: options.imdsV1 ? 1 : 2,
        httpEndpoint: 'enabled',
      },
      platformDetails: 'Linux/UNIX',
    },
  });
  if (options.ssmManaged) {
    addItem(b, rng, {
      type: 'AWS::SSM::ManagedInstanceInventory',
      arn: `arn:aws:ssm:${region}:${b.id}:managed-instance-inventory/${instanceId}`,
      id: instanceId,
      name: instanceId,
      region,
      created,
      relationships: [
        {
          resourceId: instanceId,
          resourceType: 'AWS::EC2::Instance',
          name: 'Is associated with Instance',
        },
      ],
      configuration: {
        'AWS:InstanceInformation': {
          TypeName: 'AWS:InstanceInformation',
          SchemaVersion: '1.0',
          CaptureTime: isoZ(daysBefore(b.now, rng.float(0, 2))),
          Content: {
            [instanceId]: {
              AgentType: 'amazon-ssm-agent',
              AgentVersion: '3.3.1142.0',
              ComputerName: `ip-${host}.ec2.internal`,
              InstanceId: instanceId,
              InstanceStatus: 'Active',
              IpAddress: privateIp,
              PlatformName: 'Amazon Linux',
              PlatformType: 'Linux',
              PlatformVersion: '2023',
              ResourceType: 'EC2Instance',
            },
          },
        },
      },
      supplementary: { instanceStatus: 'Active' },
    });
  }
  return item;
}

/** S3 Block Public Access settings; `true` blocks everything. */
export type PublicAccessBlock = boolean | null;

/** Adds an S3 bucket with its bucket policy and Block Public Access settings. */
export function addBucket(
  b: AccountBuilder,
  options: {
    name: string;
    region?: string;
    policy?: PolicyDoc | null;
    publicAccessBlock?: PublicAccessBlock;
    tags?: Record<string, string>;
  },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`s3/${options.name}`);
  const created = b.createdDate(rng, { recentChance: 0.03 });
  const block = options.publicAccessBlock ?? null;
  const supplementary: Record<string, unknown> = {
    BucketPolicy: { policyText: options.policy ? JSON.stringify(options.policy) : null },
    BucketVersioningConfiguration: { status: rng.chance(0.5) ? 'Enabled' : 'Off' },
    ServerSideEncryptionConfiguration: {
      rules: [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: false },
      ],
    },
  };
  if (block !== null) {
    supplementary.PublicAccessBlockConfiguration = {
      blockPublicAcls: block,
      ignorePublicAcls: block,
      blockPublicPolicy: block,
      restrictPublicBuckets: block,
    };
  }
  return addItem(b, rng, {
    type: 'AWS::S3::Bucket',
    arn: `arn:aws:s3:::${options.name}`,
    id: options.name,
    name: options.name,
    region,
    created,
    tags: options.tags,
    configuration: {
      name: options.name,
      owner: { id: rng.chars(HEX, 64) },
      creationDate: isoZ(created),
    },
    supplementary,
  });
}

/** Adds a KMS key with its key policy. */
export function addKmsKey(
  b: AccountBuilder,
  options: { alias: string; region?: string; policy: PolicyDoc; tags?: Record<string, string> },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`kms/${region}/${options.alias}`);
  const keyId = uuid(rng);
  const arn = `arn:aws:kms:${region}:${b.id}:key/${keyId}`;
  const created = b.createdDate(rng);
  return addItem(b, rng, {
    type: 'AWS::KMS::Key',
    arn,
    id: keyId,
    name: keyId,
    region,
    created,
    tags: options.tags,
    configuration: {
      aWSAccountId: b.id,
      keyId,
      arn,
      creationDate: isoZ(created),
      enabled: true,
      description: `${options.alias} data key`,
      keyUsage: 'ENCRYPT_DECRYPT',
      keyState: 'Enabled',
      origin: 'AWS_KMS',
      keyManager: 'CUSTOMER',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      keySpec: 'SYMMETRIC_DEFAULT',
      encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      multiRegion: false,
    },
    supplementary: {
      Policy: JSON.stringify(options.policy),
      KeyRotationStatus: rng.chance(0.7),
      Aliases: [
        {
          AliasName: `alias/${options.alias}`,
          AliasArn: `arn:aws:kms:${region}:${b.id}:alias/${options.alias}`,
        },
      ],
    },
  });
}

/** Adds an SQS queue with its queue policy. */
export function addQueue(
  b: AccountBuilder,
  options: {
    name: string;
    region?: string;
    policy?: PolicyDoc | null;
    tags?: Record<string, string>;
  },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`sqs/${region}/${options.name}`);
  const arn = `arn:aws:sqs:${region}:${b.id}:${options.name}`;
  const url = `https://sqs.${region}.amazonaws.com/${b.id}/${options.name}`;
  return addItem(b, rng, {
    type: 'AWS::SQS::Queue',
    arn,
    id: url,
    name: options.name,
    region,
    created: b.createdDate(rng),
    tags: options.tags,
    configuration: {
      QueueUrl: url,
      QueueName: options.name,
      Arn: arn,
      ...(options.policy ? { Policy: JSON.stringify(options.policy) } : {}),
      VisibilityTimeout: String(rng.pick([30, 60, 300, 900])),
      MessageRetentionPeriod: '345600',
      MaximumMessageSize: '262144',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
      Tags: pascalTagList(options.tags),
    },
  });
}

/** Adds an SNS topic with its topic policy. */
export function addTopic(
  b: AccountBuilder,
  options: {
    name: string;
    region?: string;
    policy?: PolicyDoc | null;
    tags?: Record<string, string>;
  },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`sns/${region}/${options.name}`);
  const arn = `arn:aws:sns:${region}:${b.id}:${options.name}`;
  return addItem(b, rng, {
    type: 'AWS::SNS::Topic',
    arn,
    id: arn,
    name: options.name,
    region,
    created: b.createdDate(rng),
    tags: options.tags,
    configuration: {
      TopicArn: arn,
      TopicName: options.name,
      DisplayName: '',
      Owner: b.id,
      ...(options.policy ? { Policy: JSON.stringify(options.policy) } : {}),
      SubscriptionsConfirmed: String(rng.int(0, 4)),
      SubscriptionsPending: '0',
      Tags: pascalTagList(options.tags),
    },
  });
}

/** Adds a Secrets Manager secret; its resource policy goes in `supplementaryConfiguration.ResourcePolicy`. */
export function addSecret(
  b: AccountBuilder,
  options: {
    name: string;
    region?: string;
    policy?: PolicyDoc | null;
    tags?: Record<string, string>;
  },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`secret/${region}/${options.name}`);
  const arn = `arn:aws:secretsmanager:${region}:${b.id}:secret:${options.name}-${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 6)}`;
  const created = b.createdDate(rng);
  return addItem(b, rng, {
    type: 'AWS::SecretsManager::Secret',
    arn,
    id: arn,
    name: options.name,
    region,
    created,
    tags: options.tags,
    configuration: {
      ARN: arn,
      Name: options.name,
      Description: '',
      RotationEnabled: rng.chance(0.4),
      CreatedDate: isoZ(created),
      LastChangedDate: isoZ(daysBefore(b.now, rng.float(1, 200))),
      Tags: pascalTagList(options.tags),
    },
    supplementary: { ResourcePolicy: options.policy ? JSON.stringify(options.policy) : null },
  });
}

/** Adds an ECR repository with its repository policy. */
export function addEcrRepository(
  b: AccountBuilder,
  options: { name: string; region?: string; policy?: PolicyDoc | null },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`ecr/${region}/${options.name}`);
  const arn = `arn:aws:ecr:${region}:${b.id}:repository/${options.name}`;
  return addItem(b, rng, {
    type: 'AWS::ECR::Repository',
    arn,
    id: options.name,
    name: options.name,
    region,
    created: b.createdDate(rng),
    configuration: {
      RepositoryName: options.name,
      Arn: arn,
      RepositoryUri: `${b.id}.dkr.ecr.${region}.amazonaws.com/${options.name}`,
      ...(options.policy ? { RepositoryPolicyText: options.policy } : {}),
      ImageTagMutability: rng.chance(0.6) ? 'MUTABLE' : 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: rng.chance(0.5) },
      EncryptionConfiguration: { EncryptionType: 'AES256' },
      Tags: [],
    },
  });
}

/** Adds a DynamoDB table. */
export function addDynamoTable(
  b: AccountBuilder,
  options: { name: string; region?: string; tags?: Record<string, string> },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`ddb/${region}/${options.name}`);
  const arn = `arn:aws:dynamodb:${region}:${b.id}:table/${options.name}`;
  return addItem(b, rng, {
    type: 'AWS::DynamoDB::Table',
    arn,
    id: options.name,
    name: options.name,
    region,
    created: b.createdDate(rng),
    tags: options.tags,
    configuration: {
      tableName: options.name,
      tableArn: arn,
      tableStatus: 'ACTIVE',
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      itemCount: rng.int(0, 5_000_000),
      tableSizeBytes: rng.int(0, 2_000_000_000),
      billingModeSummary: { billingMode: 'PAY_PER_REQUEST' },
    },
    // Written as iamsight collect records it: the table has no resource policy.
    supplementary: { ResourcePolicy: null },
  });
}

/** Adds an ECS task definition. */
export function addEcsTaskDefinition(
  b: AccountBuilder,
  options: {
    family: string;
    taskRole: RoleEntity | null;
    executionRole: RoleEntity | null;
    region?: string;
  },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`ecs-td/${region}/${options.family}`);
  const revision = rng.int(1, 40);
  const arn = `arn:aws:ecs:${region}:${b.id}:task-definition/${options.family}:${revision}`;
  return addItem(b, rng, {
    type: 'AWS::ECS::TaskDefinition',
    arn,
    id: arn,
    name: options.family,
    region,
    created: b.createdDate(rng),
    configuration: {
      TaskDefinitionArn: arn,
      Family: options.family,
      TaskRoleArn: options.taskRole?.arn ?? null,
      ExecutionRoleArn: options.executionRole?.arn ?? null,
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      Cpu: '256',
      Memory: '512',
      ContainerDefinitions: [
        {
          Name: options.family,
          Image: `${b.id}.dkr.ecr.${region}.amazonaws.com/${options.family}:latest`,
          Essential: true,
          PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
          Environment: [],
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: {
              'awslogs-group': `/ecs/${options.family}`,
              'awslogs-region': region,
              'awslogs-stream-prefix': 'ecs',
            },
          },
        },
      ],
      Status: 'ACTIVE',
      Tags: [],
    },
  });
}

/** Adds an ECS cluster. */
export function addEcsCluster(
  b: AccountBuilder,
  options: { name: string; region?: string; ec2Backed?: boolean },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`ecs-cluster/${region}/${options.name}`);
  const arn = `arn:aws:ecs:${region}:${b.id}:cluster/${options.name}`;
  return addItem(b, rng, {
    type: 'AWS::ECS::Cluster',
    arn,
    id: options.name,
    name: options.name,
    region,
    created: b.createdDate(rng),
    configuration: {
      Arn: arn,
      ClusterName: options.name,
      ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }],
      CapacityProviders: options.ec2Backed ? [] : ['FARGATE'],
      DefaultCapacityProviderStrategy: [],
      Tags: [],
    },
  });
}

/** Adds an ECS service running a task definition in a cluster. */
export function addEcsService(
  b: AccountBuilder,
  options: {
    name: string;
    cluster: string;
    taskDefinitionArn: string;
    region?: string;
    executeCommand?: boolean;
  },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`ecs-svc/${region}/${options.cluster}/${options.name}`);
  const arn = `arn:aws:ecs:${region}:${b.id}:service/${options.cluster}/${options.name}`;
  const network = networkOf(b, region);
  return addItem(b, rng, {
    type: 'AWS::ECS::Service',
    arn,
    id: arn,
    name: options.name,
    region,
    created: b.createdDate(rng),
    relationships: [
      {
        resourceId: options.cluster,
        resourceType: 'AWS::ECS::Cluster',
        name: 'Is associated with Cluster',
      },
      {
        resourceId: options.taskDefinitionArn,
        resourceType: 'AWS::ECS::TaskDefinition',
        name: 'Is associated with TaskDefinition',
      },
    ],
    configuration: {
      ServiceArn: arn,
      ServiceName: options.name,
      Name: options.name,
      Cluster: `arn:aws:ecs:${region}:${b.id}:cluster/${options.cluster}`,
      TaskDefinition: options.taskDefinitionArn,
      DesiredCount: rng.int(1, 6),
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      SchedulingStrategy: 'REPLICA',
      EnableExecuteCommand: options.executeCommand ?? false,
      EnableECSManagedTags: false,
      PropagateTags: 'NONE',
      DeploymentController: { Type: 'ECS' },
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'DISABLED',
          Subnets: [...network.subnets],
          SecurityGroups: [],
        },
      },
      LoadBalancers: [],
      ServiceRegistries: [],
      Tags: [],
    },
  });
}

/** Adds a CloudFormation stack, optionally with a service role. */
export function addStack(
  b: AccountBuilder,
  options: { name: string; role: RoleEntity | null; region?: string },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`cfn/${region}/${options.name}`);
  const arn = `arn:aws:cloudformation:${region}:${b.id}:stack/${options.name}/${uuid(rng)}`;
  const created = b.createdDate(rng);
  return addItem(b, rng, {
    type: 'AWS::CloudFormation::Stack',
    arn,
    id: arn,
    name: options.name,
    region,
    created,
    relationships: [],
    configuration: {
      stackId: arn,
      stackName: options.name,
      description: `${options.name} resources`,
      parameters: [],
      creationTime: isoZ(created),
      lastUpdatedTime: isoZ(daysBefore(b.now, rng.float(1, 90))),
      rollbackConfiguration: { rollbackTriggers: [] },
      stackStatus: rng.pick(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_COMPLETE']),
      disableRollback: false,
      notificationARNs: [],
      capabilities: ['CAPABILITY_NAMED_IAM'],
      outputs: [],
      ...(options.role ? { roleARN: options.role.arn } : {}),
      tags: [],
      enableTerminationProtection: rng.chance(0.3),
      driftInformation: { stackDriftStatus: 'NOT_CHECKED' },
    },
    supplementary: { StackResourceSummaries: [] },
  });
}

/** Adds a Glue job. */
export function addGlueJob(
  b: AccountBuilder,
  options: { name: string; role: RoleEntity; region?: string },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`glue-job/${region}/${options.name}`);
  return addItem(b, rng, {
    type: 'AWS::Glue::Job',
    arn: `arn:aws:glue:${region}:${b.id}:job/${options.name}`,
    id: options.name,
    name: options.name,
    region,
    created: b.createdDate(rng),
    configuration: {
      Name: options.name,
      Role: options.role.arn,
      Command: {
        Name: 'glueetl',
        ScriptLocation: `s3://aws-glue-assets-${b.id}-${region}/scripts/${options.name}.py`,
        PythonVersion: '3',
      },
      DefaultArguments: { '--job-language': 'python' },
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      MaxRetries: 0,
      Timeout: 2880,
      GlueVersion: '4.0',
      WorkerType: 'G.1X',
      NumberOfWorkers: rng.int(2, 10),
    },
  });
}

/** Adds a Glue development endpoint (not recorded by AWS Config; written in its envelope). */
export function addGlueDevEndpoint(
  b: AccountBuilder,
  options: { name: string; role: RoleEntity; region?: string },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`glue-dev/${region}/${options.name}`);
  const created = b.createdDate(rng);
  return addItem(b, rng, {
    type: 'AWS::Glue::DevEndpoint',
    arn: `arn:aws:glue:${region}:${b.id}:devEndpoint/${options.name}`,
    id: options.name,
    name: options.name,
    region,
    created,
    notRecorded: true,
    configuration: {
      endpointName: options.name,
      roleArn: options.role.arn,
      status: 'READY',
      glueVersion: '1.0',
      numberOfNodes: 2,
      publicAddress: `ec2-203-0-113-${rng.int(1, 254)}.compute-1.amazonaws.com`,
      createdTimestamp: isoZ(created),
    },
  });
}

/** Adds a SageMaker notebook instance. */
export function addNotebook(
  b: AccountBuilder,
  options: { name: string; role: RoleEntity; region?: string; internet?: boolean },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`sagemaker/${region}/${options.name}`);
  return addItem(b, rng, {
    type: 'AWS::SageMaker::NotebookInstance',
    arn: `arn:aws:sagemaker:${region}:${b.id}:notebook-instance/${options.name}`,
    id: options.name,
    name: options.name,
    region,
    created: b.createdDate(rng),
    configuration: {
      NotebookInstanceName: options.name,
      InstanceType: rng.pick(['ml.t3.medium', 'ml.m5.xlarge', 'ml.g4dn.xlarge']),
      RoleArn: options.role.arn,
      DirectInternetAccess: (options.internet ?? true) ? 'Enabled' : 'Disabled',
      RootAccess: 'Enabled',
      VolumeSizeInGB: rng.pick([5, 20, 50]),
      PlatformIdentifier: 'notebook-al2-v2',
      Tags: [],
    },
  });
}

/** Adds a CodeBuild project. */
export function addCodeBuildProject(
  b: AccountBuilder,
  options: { name: string; role: RoleEntity; region?: string; repo: string },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`codebuild/${region}/${options.name}`);
  const arn = `arn:aws:codebuild:${region}:${b.id}:project/${options.name}`;
  const created = b.createdDate(rng);
  return addItem(b, rng, {
    type: 'AWS::CodeBuild::Project',
    arn,
    id: uuid(rng),
    name: options.name,
    region,
    created,
    relationships: [roleRelationship(options.role)],
    configuration: {
      name: options.name,
      arn,
      description: '',
      source: {
        type: 'GITHUB',
        location: `https://github.com/${options.repo}.git`,
        gitCloneDepth: 1,
        buildSpec: 'buildspec.yml',
        reportBuildStatus: false,
        insecureSsl: false,
      },
      secondarySources: [],
      artifacts: { type: 'NO_ARTIFACTS' },
      secondaryArtifacts: [],
      cache: { type: 'NO_CACHE' },
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/standard:7.0',
        computeType: 'BUILD_GENERAL1_SMALL',
        environmentVariables: [],
        privilegedMode: rng.chance(0.3),
        imagePullCredentialsType: 'CODEBUILD',
      },
      serviceRole: options.role.arn,
      timeoutInMinutes: 60,
      queuedTimeoutInMinutes: 480,
      encryptionKey: `arn:aws:kms:${region}:${b.id}:alias/aws/s3`,
      tags: [],
      created: isoZ(created),
      lastModified: isoZ(daysBefore(b.now, rng.float(1, 120))),
      badge: { badgeEnabled: false },
      logsConfig: {
        cloudWatchLogs: { status: 'ENABLED' },
        s3Logs: { status: 'DISABLED', encryptionDisabled: false },
      },
    },
  });
}

/** Adds a launch template using the role's instance profile, and an Auto Scaling group using it. */
export function addLaunchTemplateWithGroup(
  b: AccountBuilder,
  options: { name: string; role: RoleEntity; region?: string },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`lt/${region}/${options.name}`);
  const templateId = `lt-0${rng.chars(HEX, 16)}`;
  const profile = options.role.instanceProfile;
  const template = addItem(b, rng, {
    type: 'AWS::EC2::LaunchTemplate',
    arn: `arn:aws:ec2:${region}:${b.id}:launch-template/${templateId}`,
    id: templateId,
    name: `${options.name}-lt`,
    region,
    created: b.createdDate(rng),
    configuration: {
      LaunchTemplateName: `${options.name}-lt`,
      DefaultVersionNumber: 2,
      LatestVersionNumber: 2,
      LaunchTemplateData: {
        ImageId: `ami-0${rng.chars(HEX, 16)}`,
        InstanceType: 't3.small',
        ...(profile ? { IamInstanceProfile: { Arn: profile.arn } } : {}),
        MetadataOptions: { HttpTokens: 'required' },
      },
      Tags: [],
    },
  });
  const groupName = `${options.name}-asg`;
  const groupArn = `arn:aws:autoscaling:${region}:${b.id}:autoScalingGroup:${uuid(rng)}:autoScalingGroupName/${groupName}`;
  addItem(b, rng, {
    type: 'AWS::AutoScaling::AutoScalingGroup',
    arn: groupArn,
    id: groupArn,
    name: groupName,
    region,
    created: b.createdDate(rng),
    relationships: [
      {
        resourceId: templateId,
        resourceType: 'AWS::EC2::LaunchTemplate',
        name: 'Is associated with LaunchTemplate',
      },
    ],
    configuration: {
      autoScalingGroupName: groupName,
      autoScalingGroupARN: groupArn,
      launchTemplate: {
        launchTemplateId: templateId,
        launchTemplateName: `${options.name}-lt`,
        version: '$Default',
      },
      minSize: 1,
      maxSize: 3,
      desiredCapacity: 1,
      defaultCooldown: 300,
      availabilityZones: [`${region}a`],
      healthCheckType: 'EC2',
      healthCheckGracePeriod: 300,
      instances: [],
      terminationPolicies: ['Default'],
      newInstancesProtectedFromScaleIn: false,
    },
  });
  return template;
}

/** Adds an App Runner service with an instance role. */
export function addAppRunnerService(
  b: AccountBuilder,
  options: { name: string; role: RoleEntity; region?: string },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`apprunner/${region}/${options.name}`);
  const serviceId = rng.chars(HEX, 32);
  const arn = `arn:aws:apprunner:${region}:${b.id}:service/${options.name}/${serviceId}`;
  return addItem(b, rng, {
    type: 'AWS::AppRunner::Service',
    arn,
    id: arn,
    name: options.name,
    region,
    created: b.createdDate(rng),
    configuration: {
      ServiceName: options.name,
      ServiceArn: arn,
      ServiceId: serviceId,
      ServiceUrl: `${rng.chars(HEX, 10)}.${region}.awsapprunner.com`,
      Status: 'RUNNING',
      SourceConfiguration: {
        AutoDeploymentsEnabled: false,
        ImageRepository: {
          ImageIdentifier: `${b.id}.dkr.ecr.${region}.amazonaws.com/${options.name}:latest`,
          ImageRepositoryType: 'ECR',
          ImageConfiguration: { Port: '8080' },
        },
      },
      InstanceConfiguration: { Cpu: '1024', Memory: '2048', InstanceRoleArn: options.role.arn },
      NetworkConfiguration: {
        EgressConfiguration: { EgressType: 'DEFAULT' },
        IngressConfiguration: { IsPubliclyAccessible: true },
        IpAddressType: 'IPV4',
      },
    },
  });
}

/** Adds a Bedrock AgentCore code interpreter (not recorded by AWS Config). */
export function addCodeInterpreter(
  b: AccountBuilder,
  options: { name: string; role: RoleEntity; region?: string },
): ConfigItem {
  const region = options.region ?? b.region;
  const rng = b.rng.fork(`agentcore/${region}/${options.name}`);
  const id = `${options.name}-${rng.chars(HEX, 10)}`;
  const arn = `arn:aws:bedrock-agentcore:${region}:${b.id}:code-interpreter-custom/${id}`;
  const created = b.createdDate(rng, { recentChance: 0.5 });
  return addItem(b, rng, {
    type: 'AWS::BedrockAgentCore::CodeInterpreter',
    arn,
    id,
    name: options.name,
    region,
    created,
    notRecorded: true,
    configuration: {
      codeInterpreterId: id,
      codeInterpreterArn: arn,
      name: options.name,
      executionRoleArn: options.role.arn,
      status: 'READY',
      networkConfiguration: { networkMode: 'PUBLIC' },
      createdAt: isoZ(created),
    },
  });
}

/** Adds an IAM OIDC identity provider. */
export function addOidcProvider(
  b: AccountBuilder,
  options: { url: string; clientIds: readonly string[] },
): string {
  const rng = b.rng.fork(`oidc/${options.url}`);
  const arn = `arn:aws:iam::${b.id}:oidc-provider/${options.url}`;
  addItem(b, rng, {
    type: 'AWS::IAM::OIDCProvider',
    arn,
    id: arn,
    name: options.url,
    region: 'global',
    created: b.createdDate(rng, { recentChance: 0.02 }),
    configuration: {
      Arn: arn,
      Url: options.url,
      ClientIdList: [...options.clientIds],
      ThumbprintList: [rng.chars(HEX, 40)],
      Tags: [],
    },
  });
  return arn;
}

/** Adds an IAM SAML identity provider whose metadata is valid until `validUntil`. */
export function addSamlProvider(
  b: AccountBuilder,
  options: { name: string; validUntil: Date; entityId: string },
): string {
  const rng = b.rng.fork(`saml/${options.name}`);
  const arn = `arn:aws:iam::${b.id}:saml-provider/${options.name}`;
  const metadata =
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ` +
    `entityID="${options.entityId}" validUntil="${isoZ(options.validUntil)}"><md:IDPSSODescriptor ` +
    `protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService ` +
    `Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${options.entityId}/sso/saml"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`;
  addItem(b, rng, {
    type: 'AWS::IAM::SAMLProvider',
    arn,
    id: arn,
    name: options.name,
    region: 'global',
    created: b.createdDate(rng, { recentChance: 0.02 }),
    configuration: {
      Arn: arn,
      Name: options.name,
      SamlMetadataDocument: metadata,
      ValidUntil: isoZ(options.validUntil),
      Tags: [],
    },
  });
  return arn;
}

/** A random UUID (version 4 layout) from `rng`. */
export function uuid(rng: Random): string {
  const h = rng.chars(HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[rng.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20)}`;
}
