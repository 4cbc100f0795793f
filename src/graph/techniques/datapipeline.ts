/**
 * AWS Data Pipeline technique: create a pipeline with the passed role whose definition runs the
 * attacker's shell command (ShellCommandActivity) on an EC2 resource it launches.
 * Sources: pathfinding.cloud datapipeline-001, the pathfinding-labs scenario
 * iam-passrole+datapipeline-pipeline-to-admin, anchors.md §B.9 row 38.
 *
 * A pipeline names two roles: `role`, the pipeline role the service acts with (trusted by
 * `datapipeline.amazonaws.com`, and by `elasticmapreduce.amazonaws.com` when it is also the EMR
 * service role), and `resourceRole`, the instance profile role of the EC2 resources on which the
 * activities' commands run (trusted by `ec2.amazonaws.com`). The passed role modelled is the
 * pipeline role, as pathfinding.cloud's prerequisite states: it is the role the service uses to
 * launch the pipeline's resources and pass them their instance profile, so an admin pipeline role
 * launches the instance with whatever role the definition names. The commands themselves run with
 * `resourceRole`; the labs scenario passes one admin role as both.
 */
import type { Technique } from './types.js';

const PIPELINE = 'arn:aws:datapipeline:{region}:{account}:pipeline/df-iamsightprobe';

export const DATAPIPELINE_TECHNIQUES: readonly Technique[] = [
  {
    id: 'datapipeline-001',
    name: 'iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition + datapipeline:ActivatePipeline',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'datapipeline.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      // CreatePipeline has no resource-level permissions; the pipeline id is AWS's choice.
      { action: 'datapipeline:CreatePipeline', on: 'any' },
      { action: 'datapipeline:PutPipelineDefinition', on: 'new', arn: PIPELINE },
      { action: 'datapipeline:ActivatePipeline', on: 'new', arn: PIPELINE },
    ],
    gain: 'target',
    reason:
      '{actor} can create and activate a Data Pipeline whose pipeline role is {target}, with a shell command activity on an instance it launches',
    source: 'pathfinding.cloud datapipeline-001; anchors §B.9 row 38',
  },
];
