/**
 * Amazon Managed Service for Apache Flink (Kinesis Data Analytics v2): an application runs its
 * code with its service execution role (trusted by `kinesisanalytics.amazonaws.com`). The IAM
 * actions keep the `kinesisanalytics` prefix for the v2 API.
 * Sources: pathfinding.cloud kinesisanalytics-001 (newer than the corpus snapshot), anchors.md
 * §B.9 row 59.
 */
import type { Technique } from './types.js';

export const KINESISANALYTICS_TECHNIQUES: readonly Technique[] = [
  {
    id: 'kinesisanalytics-001',
    name: 'iam:PassRole + kinesisanalytics:CreateApplication + kinesisanalytics:StartApplication',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'kinesisanalytics.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      { action: 'kinesisanalytics:CreateApplication', on: 'any' },
      {
        action: 'kinesisanalytics:StartApplication',
        on: 'new',
        arn: 'arn:aws:kinesisanalytics:{region}:{account}:application/iamsight-probe',
      },
    ],
    gain: 'target',
    reason:
      '{actor} can create and start a Managed Apache Flink application whose code runs as {target}',
    source:
      'pathfinding.cloud kinesisanalytics-001; anchors §B.9 row 59 (Prowler KINESISANALYTICS-001)',
  },
];
