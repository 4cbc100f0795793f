/**
 * Amazon GameLift Servers: a fleet's instance role is handed to the game server processes (the
 * `SHARED_CREDENTIAL_FILE` credentials provider), and the game server is the attacker's uploaded
 * build. The instance role trusts `gamelift.amazonaws.com` (AWS "Set up an IAM service role for
 * Amazon GameLift Servers"; the pathfinding-labs scenario's role trusts it too, although the
 * pathfinding.cloud YAML says `ec2.amazonaws.com`).
 * Sources: pathfinding.cloud gamelift-001 (newer than the corpus snapshot), anchors.md §B.9 row 59.
 */
import type { Technique } from './types.js';

export const GAMELIFT_TECHNIQUES: readonly Technique[] = [
  {
    id: 'gamelift-001',
    name: 'iam:PassRole + gamelift:CreateBuild + gamelift:CreateFleet + gamelift:RequestUploadCredentials',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'gamelift.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      { action: 'gamelift:CreateBuild', on: 'any' },
      { action: 'gamelift:CreateFleet', on: 'any' },
      {
        action: 'gamelift:RequestUploadCredentials',
        on: 'new',
        arn: 'arn:aws:gamelift:{region}:{account}:build/build-iamsight-probe',
      },
    ],
    gain: 'target',
    reason:
      '{actor} can upload a game server build and create a GameLift fleet that runs it with {target} as instance role',
    source: 'pathfinding.cloud gamelift-001; anchors §B.9 row 59 (Prowler GAMELIFT-001)',
  },
];
