/**
 * Amazon EMR techniques (new-passrole).
 *
 * - emr-001: RunJobFlow creates a cluster with two roles: the EMR service role (trusted by
 *   `elasticmapreduce.amazonaws.com`, used by the EMR service itself to provision) and the EC2
 *   instance profile (`JobFlowRole`, trusted by `ec2.amazonaws.com`). Steps and bootstrap actions
 *   run on the cluster's instances, whose processes hold the instance profile credentials (IMDS):
 *   the role gained is the instance profile role. The service role is never exposed to code the
 *   attacker runs, so it is not the target.
 * - emrserverless-001: a Spark job run's execution role (trusted by `emr-serverless.amazonaws.com`)
 *   is the identity of the job's code.
 *
 * Sources: pathfinding.cloud emr-001 and emrserverless-001 (newer than the corpus snapshot),
 * anchors.md §B.9 row 59, AmazonEMRFullAccessPolicy_v2 (the EC2 role is passed with
 * `iam:PassedToService` `ec2.amazonaws.com`).
 */
import type { Technique } from './types.js';

export const EMR_TECHNIQUES: readonly Technique[] = [
  {
    id: 'emr-001',
    name: 'iam:PassRole + elasticmapreduce:RunJobFlow',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'ec2.amazonaws.com', instanceProfile: true },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      { action: 'elasticmapreduce:RunJobFlow', on: 'any' },
    ],
    gain: 'target',
    reason:
      '{actor} can create an EMR cluster whose instances run with the instance profile of {target} and run its own step on it',
    source: 'pathfinding.cloud emr-001; anchors §B.9 row 59 (Prowler EMR-001)',
  },
  {
    id: 'emrserverless-001',
    name: 'iam:PassRole + emr-serverless:CreateApplication + emr-serverless:StartJobRun',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'emr-serverless.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      { action: 'emr-serverless:CreateApplication', on: 'any' },
      {
        action: 'emr-serverless:StartJobRun',
        on: 'new',
        arn: 'arn:aws:emr-serverless:{region}:{account}:/applications/iamsight-probe',
      },
    ],
    gain: 'target',
    reason:
      '{actor} can create an EMR Serverless application and start a job run of its own code with {target} as execution role',
    source: 'pathfinding.cloud emrserverless-001; anchors §B.9 row 59 (Prowler EMRSERVERLESS-001)',
  },
];
