/**
 * Amazon Braket Hybrid Jobs: the job's container runs the attacker's script with the job
 * execution role (trusted by `braket.amazonaws.com`).
 * Sources: pathfinding.cloud braket-001 (newer than the corpus snapshot), anchors.md §B.9 row 59.
 */
import type { Technique } from './types.js';

export const BRAKET_TECHNIQUES: readonly Technique[] = [
  {
    id: 'braket-001',
    name: 'iam:PassRole + braket:CreateJob',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'braket.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      {
        action: 'braket:CreateJob',
        on: 'new',
        arn: 'arn:aws:braket:{region}:{account}:job/iamsight-probe',
      },
    ],
    gain: 'target',
    reason: '{actor} can create an Amazon Braket hybrid job whose script runs as {target}',
    source: 'pathfinding.cloud braket-001; anchors §B.9 row 59 (Prowler BRAKET-001)',
  },
];
