/**
 * AWS HealthOmics: a workflow run's tasks run with the run's role (trusted by
 * `omics.amazonaws.com`). Tasks have no internet access, so the attacker's task writes the role's
 * credentials to an S3 bucket and the attacker reads them back (`s3:GetObject` on its own
 * bucket).
 * Sources: pathfinding.cloud omics-001 (newer than the corpus snapshot), anchors.md §B.9 row 59.
 */
import type { Technique } from './types.js';

export const OMICS_TECHNIQUES: readonly Technique[] = [
  {
    id: 'omics-001',
    name: 'iam:PassRole + omics:CreateWorkflow + omics:StartRun + s3:GetObject',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'omics.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      { action: 'omics:CreateWorkflow', on: 'any' },
      {
        action: 'omics:StartRun',
        on: 'new',
        arn: 'arn:aws:omics:{region}:{account}:run/iamsight-probe',
      },
      { action: 's3:GetObject', on: 'new', arn: 'arn:aws:s3:::iamsight-probe/credentials.json' },
    ],
    gain: 'target',
    reason:
      '{actor} can run a HealthOmics workflow as {target} whose task copies the role credentials to S3, and read them back',
    source: 'pathfinding.cloud omics-001; anchors §B.9 row 59 (Prowler OMICS-001)',
  },
];
