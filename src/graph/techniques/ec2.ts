/**
 * Amazon EC2 techniques: launch an instance (or Spot request) with a role's instance profile, or
 * attach the profile to an instance the actor controls (new-passrole); change the user data of an
 * instance that runs with a role, or the launch template an Auto Scaling group launches from
 * (existing-passrole).
 * Sources: pathfinding.cloud data/paths/ec2, anchors.md §B.9 rows 26–28, 64–65.
 */
import type { PermissionSpec, Technique } from './types.js';

const EC2 = 'ec2.amazonaws.com';
/** An instance the actor launches or controls (its id is chosen by EC2). */
const INSTANCE = 'arn:aws:ec2:{region}:{account}:instance/i-0iamsightprobe';
const passRole: PermissionSpec = { action: 'iam:PassRole', on: 'role' };
const INSTANCES = ['AWS::EC2::Instance'] as const;

export const EC2_TECHNIQUES: readonly Technique[] = [
  {
    id: 'ec2-001',
    name: 'iam:PassRole + ec2:RunInstances',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: EC2, instanceProfile: true },
    permissions: [passRole, { action: 'ec2:RunInstances', on: 'new', arn: INSTANCE }],
    gain: 'target',
    reason:
      '{actor} can launch an EC2 instance with the instance profile of {target} and read its credentials from the instance',
    source: 'pathfinding.cloud ec2-001; anchors §B.9 row 26',
  },
  {
    id: 'ec2-003',
    name: 'iam:PassRole + ec2:RequestSpotInstances',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: EC2, instanceProfile: true },
    permissions: [
      passRole,
      {
        action: 'ec2:RequestSpotInstances',
        on: 'new',
        arn: 'arn:aws:ec2:{region}:{account}:spot-instances-request/sir-iamsight',
      },
    ],
    gain: 'target',
    reason:
      '{actor} can request a Spot instance with the instance profile of {target} and read its credentials from the instance',
    source: 'pathfinding.cloud ec2-003; anchors §B.9 row 27',
  },
  {
    id: 'ec2-associate-instance-profile',
    name: 'iam:PassRole + ec2:AssociateIamInstanceProfile',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: EC2, instanceProfile: true },
    permissions: [
      passRole,
      { action: 'ec2:AssociateIamInstanceProfile', on: 'new', arn: INSTANCE },
    ],
    gain: 'target',
    reason:
      '{actor} can attach the instance profile of {target} to an EC2 instance it controls and read the credentials there',
    source:
      'anchors §B.9 row 28 (PMapper ec2_edges, awspx AssociateInstanceProfile; no pathfinding.cloud id)',
  },
  {
    id: 'ec2-002',
    name: 'ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: INSTANCES },
    permissions: [
      { action: 'ec2:ModifyInstanceAttribute', on: 'target' },
      { action: 'ec2:StopInstances', on: 'target' },
      { action: 'ec2:StartInstances', on: 'target' },
    ],
    gain: 'target',
    reason:
      '{actor} can stop {resource}, which runs as {target}, replace its user data and start it again to run code as {target}',
    source: 'pathfinding.cloud ec2-002; anchors §B.9 row 64',
  },
  {
    id: 'ec2-004',
    name: 'ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: ['AWS::EC2::LaunchTemplate'] },
    permissions: [
      { action: 'ec2:CreateLaunchTemplateVersion', on: 'target' },
      { action: 'ec2:ModifyLaunchTemplate', on: 'target' },
    ],
    prerequisites: ['autoscaling-group-exists'],
    gain: 'target',
    reason:
      '{actor} can make a new default version of {resource}, whose instances run as {target}, with its own user data, and the Auto Scaling group launches it',
    source: 'pathfinding.cloud ec2-004; anchors §B.9 row 65',
  },
];
