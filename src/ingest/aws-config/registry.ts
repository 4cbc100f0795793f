import { appRunnerService } from './apprunner-service.js';
import { autoScalingGroup } from './autoscaling-group.js';
import { batchComputeEnvironment } from './batch-compute-environment.js';
import { bedrockAgentCoreCodeInterpreter } from './bedrockagentcore-code-interpreter.js';
import { cloudFormationStack } from './cloudformation-stack.js';
import { codeBuildProject } from './codebuild-project.js';
import { dynamoDbTable } from './dynamodb-table.js';
import { ec2Instance } from './ec2-instance.js';
import { ec2LaunchTemplate } from './ec2-launch-template.js';
import { ec2SecurityGroup } from './ec2-security-group.js';
import { ecrRepository } from './ecr-repository.js';
import { ecsCluster, ecsService, ecsTaskDefinition } from './ecs.js';
import type { ConfigExtractor } from './extractor.js';
import { glueDevEndpoint, glueJob } from './glue.js';
import { kmsKey } from './kms-key.js';
import { lambdaFunction } from './lambda-function.js';
import { s3AccountPublicAccessBlock } from './s3-account-public-access-block.js';
import { s3Bucket } from './s3-bucket.js';
import { sageMakerNotebookInstance } from './sagemaker-notebook-instance.js';
import { secretsManagerSecret } from './secretsmanager-secret.js';
import { snsTopic } from './sns-topic.js';
import { sqsQueue } from './sqs-queue.js';

/** Every resource type iamsight reads from AWS Config items: the one place they are listed. */
export const configExtractors: ReadonlyMap<string, ConfigExtractor> = new Map(
  [
    appRunnerService,
    autoScalingGroup,
    batchComputeEnvironment,
    bedrockAgentCoreCodeInterpreter,
    cloudFormationStack,
    codeBuildProject,
    dynamoDbTable,
    ec2Instance,
    ec2LaunchTemplate,
    ec2SecurityGroup,
    ecrRepository,
    ecsCluster,
    ecsService,
    ecsTaskDefinition,
    glueDevEndpoint,
    glueJob,
    kmsKey,
    lambdaFunction,
    s3AccountPublicAccessBlock,
    s3Bucket,
    sageMakerNotebookInstance,
    secretsManagerSecret,
    snsTopic,
    sqsQueue,
  ].map((extractor) => [extractor.type, extractor]),
);
