/**
 * AWS Batch techniques: register a job definition whose job role is the passed role and submit a
 * job with it (new-passrole). The job role is the ECS task role of the container Batch starts, so
 * the passed role trusts `ecs-tasks.amazonaws.com`.
 * Sources: pathfinding.cloud batch-001 (newer than the corpus snapshot), anchors.md §B.9 row 59.
 *
 * batch-002 (`batch:SubmitJob` on an existing job definition with a privileged job role, row 77)
 * is not modelled: the snapshot has no resource type for job definitions (only
 * AWS::Batch::ComputeEnvironment, whose roles are the service and instance roles).
 */
import type { Technique } from './types.js';

const JOB_DEFINITION = 'arn:aws:batch:{region}:{account}:job-definition/iamsight-probe';

export const BATCH_TECHNIQUES: readonly Technique[] = [
  {
    id: 'batch-001',
    name: 'iam:PassRole + batch:RegisterJobDefinition + batch:SubmitJob',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'ecs-tasks.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      { action: 'batch:RegisterJobDefinition', on: 'new', arn: JOB_DEFINITION },
      { action: 'batch:SubmitJob', on: 'new', arn: JOB_DEFINITION },
    ],
    gain: 'target',
    reason:
      '{actor} can register a Batch job definition whose job role is {target} and submit a job that runs its own command as it',
    source: 'pathfinding.cloud batch-001; anchors §B.9 row 59 (Prowler BATCH-001)',
  },
];
