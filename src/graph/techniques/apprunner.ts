/**
 * AWS App Runner techniques: create a service whose instance role is the passed role and whose
 * container or start command is the attacker's (new-passrole), or redeploy an existing service
 * that runs with an instance role (existing-passrole). The instance role trusts
 * `tasks.apprunner.amazonaws.com` (the access role for ECR trusts `build.apprunner.amazonaws.com`
 * and gives no code execution).
 * Sources: pathfinding.cloud data/paths/apprunner, anchors.md §B.9 rows 55 and 74.
 */
import type { Technique } from './types.js';

export const APPRUNNER_TECHNIQUES: readonly Technique[] = [
  {
    id: 'apprunner-001',
    name: 'iam:PassRole + apprunner:CreateService',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'tasks.apprunner.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      {
        action: 'apprunner:CreateService',
        on: 'new',
        arn: 'arn:aws:apprunner:{region}:{account}:service/iamsight-probe/iamsight',
      },
    ],
    gain: 'target',
    reason:
      '{actor} can create an App Runner service whose instance role is {target}, running its own container or start command',
    source: 'pathfinding.cloud apprunner-001; anchors §B.9 row 55',
  },
  {
    id: 'apprunner-002',
    name: 'apprunner:UpdateService',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: ['AWS::AppRunner::Service'] },
    permissions: [{ action: 'apprunner:UpdateService', on: 'target' }],
    gain: 'target',
    reason:
      '{actor} can redeploy {resource}, an App Runner service whose instance role is {target}, with its own image or start command',
    source: 'pathfinding.cloud apprunner-002; anchors §B.9 row 74',
  },
];
