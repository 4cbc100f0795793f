/**
 * EC2 Instance Connect techniques: push an SSH key to an instance that runs with a role, log in
 * and read the role's credentials from the instance metadata (existing-passrole).
 * Sources: pathfinding.cloud data/paths/ec2-instance-connect, anchors.md §B.9 row 66.
 */
import type { Technique } from './types.js';

export const EC2_INSTANCE_CONNECT_TECHNIQUES: readonly Technique[] = [
  {
    id: 'ec2instanceconnect-003',
    name: 'ec2-instance-connect:SendSSHPublicKey',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: ['AWS::EC2::Instance'] },
    permissions: [
      { action: 'ec2-instance-connect:SendSSHPublicKey', on: 'target' },
      { action: 'ec2:DescribeInstances', on: 'any' },
    ],
    gain: 'target',
    reason:
      '{actor} can push an SSH key to {resource}, log in and read the credentials of {target} from the instance metadata',
    source: 'pathfinding.cloud ec2instanceconnect-003; anchors §B.9 row 66',
  },
];
