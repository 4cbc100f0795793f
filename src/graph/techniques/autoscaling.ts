/**
 * Amazon EC2 Auto Scaling techniques: create a launch configuration with a role's instance
 * profile and an Auto Scaling group that launches it (new-passrole).
 * Sources: anchors.md §B.9 row 57 (Prowler; PMapper autoscaling_edges); no pathfinding.cloud id.
 */
import type { Technique } from './types.js';

export const AUTOSCALING_TECHNIQUES: readonly Technique[] = [
  {
    id: 'autoscaling-001',
    name: 'iam:PassRole + autoscaling:CreateAutoScalingGroup + autoscaling:CreateLaunchConfiguration',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'ec2.amazonaws.com', instanceProfile: true },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      {
        action: 'autoscaling:CreateAutoScalingGroup',
        on: 'new',
        arn: 'arn:aws:autoscaling:{region}:{account}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/iamsight-probe',
      },
      {
        action: 'autoscaling:CreateLaunchConfiguration',
        on: 'new',
        arn: 'arn:aws:autoscaling:{region}:{account}:launchConfiguration:00000000-0000-0000-0000-000000000000:launchConfigurationName/iamsight-probe',
      },
    ],
    gain: 'target',
    reason:
      '{actor} can create a launch configuration with the instance profile of {target} and an Auto Scaling group that launches it, then read the credentials from the instance',
    source: 'anchors §B.9 row 57 (Prowler, PMapper; no pathfinding.cloud id)',
  },
];
