/** Every technique, in a fixed order (ties in path search are broken by id, not by this order). */
import { IAM_TECHNIQUES, STS_TECHNIQUES } from './iam.js';
import { LAMBDA_TECHNIQUES } from './lambda.js';
import { BATCH_TECHNIQUES } from './batch.js';
import { BRAKET_TECHNIQUES } from './braket.js';
import { CODESTAR_TECHNIQUES } from './codestar.js';
import { COGNITOIDENTITY_TECHNIQUES } from './cognitoidentity.js';
import { EMR_TECHNIQUES } from './emr.js';
import { GAMELIFT_TECHNIQUES } from './gamelift.js';
import { IMAGEBUILDER_TECHNIQUES } from './imagebuilder.js';
import { KINESISANALYTICS_TECHNIQUES } from './kinesisanalytics.js';
import { OMICS_TECHNIQUES } from './omics.js';
import { SCHEDULER_TECHNIQUES } from './scheduler.js';
import { STEPFUNCTIONS_TECHNIQUES } from './stepfunctions.js';
import { CLOUDFORMATION_TECHNIQUES } from './cloudformation.js';
import { CODEBUILD_TECHNIQUES } from './codebuild.js';
import { GLUE_TECHNIQUES } from './glue.js';
import { SAGEMAKER_TECHNIQUES } from './sagemaker.js';
import { DATAPIPELINE_TECHNIQUES } from './datapipeline.js';
import { APPRUNNER_TECHNIQUES } from './apprunner.js';
import { BEDROCK_TECHNIQUES } from './bedrock.js';
import { EC2_TECHNIQUES } from './ec2.js';
import { EC2_INSTANCE_CONNECT_TECHNIQUES } from './ec2-instance-connect.js';
import { SSM_TECHNIQUES } from './ssm.js';
import { ECS_TECHNIQUES } from './ecs.js';
import { AUTOSCALING_TECHNIQUES } from './autoscaling.js';
import type { Technique } from './types.js';

export type { Technique } from './types.js';

export const TECHNIQUES: readonly Technique[] = [
  ...IAM_TECHNIQUES,
  ...STS_TECHNIQUES,
  ...LAMBDA_TECHNIQUES,
  ...BATCH_TECHNIQUES,
  ...BRAKET_TECHNIQUES,
  ...CODESTAR_TECHNIQUES,
  ...COGNITOIDENTITY_TECHNIQUES,
  ...EMR_TECHNIQUES,
  ...GAMELIFT_TECHNIQUES,
  ...IMAGEBUILDER_TECHNIQUES,
  ...KINESISANALYTICS_TECHNIQUES,
  ...OMICS_TECHNIQUES,
  ...SCHEDULER_TECHNIQUES,
  ...STEPFUNCTIONS_TECHNIQUES,
  ...CLOUDFORMATION_TECHNIQUES,
  ...CODEBUILD_TECHNIQUES,
  ...GLUE_TECHNIQUES,
  ...SAGEMAKER_TECHNIQUES,
  ...DATAPIPELINE_TECHNIQUES,
  ...APPRUNNER_TECHNIQUES,
  ...BEDROCK_TECHNIQUES,
  ...EC2_TECHNIQUES,
  ...EC2_INSTANCE_CONNECT_TECHNIQUES,
  ...SSM_TECHNIQUES,
  ...ECS_TECHNIQUES,
  ...AUTOSCALING_TECHNIQUES,
];

export const TECHNIQUES_BY_ID: ReadonlyMap<string, Technique> = new Map(
  TECHNIQUES.map((t) => [t.id, t]),
);
