/**
 * AWS CloudFormation techniques: pass a role to a new stack or stack set whose template creates
 * whatever the role may create (an admin role trusting the attacker, ...), or change the template
 * of a stack that already deploys with a service role.
 * Sources: pathfinding.cloud data/paths/cloudformation, anchors.md §B.9 rows 32–35 and 69.
 *
 * Stack sets (cloudformation-003/004) pass the administration role, which trusts
 * `cloudformation.amazonaws.com`; the template itself runs as the execution role of each target
 * account (ExecutionRoleName, which trusts the administration role). The gain is modelled as the
 * passed administration role's permissions: an administration role that is admin can assume the
 * execution roles anyway, and the two-role chain cannot be expressed by one step.
 */
import type { PermissionSpec, Technique } from './types.js';

const CLOUDFORMATION = 'cloudformation.amazonaws.com';
const STACK = 'arn:aws:cloudformation:{region}:{account}:stack/iamsight-probe/iamsight';
const STACK_SET = 'arn:aws:cloudformation:{region}:{account}:stackset/iamsight-probe:iamsight';
const passRole: PermissionSpec = { action: 'iam:PassRole', on: 'role' };
const STACKS = ['AWS::CloudFormation::Stack'] as const;

export const CLOUDFORMATION_TECHNIQUES: readonly Technique[] = [
  {
    id: 'cloudformation-001',
    name: 'iam:PassRole + cloudformation:CreateStack',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: CLOUDFORMATION },
    permissions: [passRole, { action: 'cloudformation:CreateStack', on: 'new', arn: STACK }],
    gain: 'target',
    reason:
      '{actor} can create a CloudFormation stack that deploys as {target}, with a template creating any resource {target} may create',
    source: 'pathfinding.cloud cloudformation-001; anchors §B.9 row 32',
  },
  {
    id: 'cloudformation-002',
    name: 'cloudformation:UpdateStack',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: STACKS },
    permissions: [{ action: 'cloudformation:UpdateStack', on: 'target' }],
    gain: 'target',
    reason:
      '{actor} can update the template of {resource}, which deploys as {target}, to create any resource {target} may create',
    source: 'pathfinding.cloud cloudformation-002; anchors §B.9 row 69',
  },
  {
    id: 'cloudformation-003',
    name: 'iam:PassRole + cloudformation:CreateStackSet + cloudformation:CreateStackInstances',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: CLOUDFORMATION },
    permissions: [
      passRole,
      // CreateStackSet has no resource-level permissions.
      { action: 'cloudformation:CreateStackSet', on: 'any' },
      { action: 'cloudformation:CreateStackInstances', on: 'new', arn: STACK_SET },
    ],
    gain: 'target',
    reason:
      '{actor} can create a CloudFormation stack set administered by {target} and deploy its instances, with a template creating any resource it may create',
    source: 'pathfinding.cloud cloudformation-003; anchors §B.9 row 33',
  },
  {
    id: 'cloudformation-004',
    name: 'iam:PassRole + cloudformation:UpdateStackSet',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: CLOUDFORMATION },
    permissions: [
      passRole,
      // An existing stack set (not in the inventory): any the actor may update.
      { action: 'cloudformation:UpdateStackSet', on: 'new', arn: STACK_SET },
    ],
    gain: 'target',
    reason:
      '{actor} can update a CloudFormation stack set to be administered by {target}, with a template creating any resource it may create',
    source: 'pathfinding.cloud cloudformation-004; anchors §B.9 row 34',
  },
  {
    // pathfinding.cloud files it as new-passrole, but the role is the existing stack's service role.
    id: 'cloudformation-005',
    name: 'cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet',
    category: 'new-passrole',
    target: { kind: 'resource-role', resourceTypes: STACKS },
    permissions: [
      { action: 'cloudformation:CreateChangeSet', on: 'target' },
      { action: 'cloudformation:ExecuteChangeSet', on: 'target' },
    ],
    gain: 'target',
    reason:
      '{actor} can create and execute a change set on {resource}, which deploys as {target}, to create any resource {target} may create',
    source: 'pathfinding.cloud cloudformation-005; anchors §B.9 row 35',
  },
];
