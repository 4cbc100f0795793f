/**
 * Amazon EventBridge Scheduler: a schedule's target is invoked with the schedule's role, and a
 * universal target (`arn:aws:scheduler:::aws-sdk:<service>:<action>`) calls almost any AWS API
 * action as that role, so a schedule is a way to act as the role without running code.
 * Sources: pathfinding.cloud scheduler-001 (Prowler id; no YAML in our snapshot), anchors.md §B.9
 * row 59, AmazonEventBridgeSchedulerFullAccess (PassRole with `iam:PassedToService`
 * `scheduler.amazonaws.com`).
 */
import type { Technique } from './types.js';

export const SCHEDULER_TECHNIQUES: readonly Technique[] = [
  {
    id: 'scheduler-001',
    name: 'iam:PassRole + scheduler:CreateSchedule',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'scheduler.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      {
        action: 'scheduler:CreateSchedule',
        on: 'new',
        arn: 'arn:aws:scheduler:{region}:{account}:schedule/default/iamsight-probe',
      },
    ],
    gain: 'target',
    reason:
      '{actor} can create an EventBridge schedule that calls any AWS API action as {target} through a universal target',
    source:
      'pathfinding.cloud scheduler-001 (Prowler SCHEDULER-001; no YAML in our snapshot); anchors §B.9 row 59',
  },
];
