/** The resource collectors, one row per service: the one place that lists them. */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { clientConfig, type ClientSettings } from '../aws.js';
import {
  cloudformation,
  codebuild,
  ec2,
  ecs,
  glue,
  lambdaFunctions,
  sagemaker,
} from './compute.js';
import type { ResourceCollector } from './context.js';
import { dynamoDbTables } from './dynamodb.js';
import { ecrRepositories, kmsKeys, s3Buckets, secrets, snsTopics, sqsQueues } from './policies.js';
import { s3AccountPublicAccessBlock } from './s3-account.js';

export type { RegionContext, ResourceCollector } from './context.js';

/** Every resource collector, in the order they run in a region. */
export const RESOURCE_COLLECTORS: readonly ResourceCollector[] = [
  s3Buckets,
  s3AccountPublicAccessBlock,
  kmsKeys,
  sqsQueues,
  snsTopics,
  secrets,
  ecrRepositories,
  dynamoDbTables,
  lambdaFunctions,
  ec2,
  ecs,
  glue,
  sagemaker,
  codebuild,
  cloudformation,
];

/** The service names `--services` accepts. */
export const SERVICE_NAMES: readonly string[] = RESOURCE_COLLECTORS.map((c) => c.service);

/** The regions enabled for the account (DescribeRegions with AllRegions false), sorted. */
export async function listEnabledRegions(settings: ClientSettings): Promise<string[]> {
  const client = new EC2Client(clientConfig(settings));
  const response = await client.send(new DescribeRegionsCommand({ AllRegions: false }));
  return (response.Regions ?? [])
    .filter((r) => r.OptInStatus !== 'not-opted-in')
    .map((r) => r.RegionName)
    .filter((name): name is string => Boolean(name))
    .sort();
}
