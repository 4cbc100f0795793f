/**
 * AWS Lambda techniques: pass a role to a new function and run it (new-passrole), or change the
 * code or configuration of a function that already runs with a role (existing-passrole).
 * Sources: pathfinding.cloud data/paths/lambda, anchors.md §B.9 rows 29–31, 60–63.
 */
import type { PermissionSpec, Technique } from './types.js';

const LAMBDA = 'lambda.amazonaws.com';
const FUNCTION = 'arn:aws:lambda:{region}:{account}:function:iamsight-probe';
const passRole: PermissionSpec = { action: 'iam:PassRole', on: 'role' };
const createFunction: PermissionSpec = {
  action: 'lambda:CreateFunction',
  on: 'new',
  arn: FUNCTION,
};
const FUNCTIONS = ['AWS::Lambda::Function'] as const;

export const LAMBDA_TECHNIQUES: readonly Technique[] = [
  {
    id: 'lambda-001',
    name: 'iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: LAMBDA },
    permissions: [
      passRole,
      createFunction,
      { action: 'lambda:InvokeFunction', on: 'new', arn: FUNCTION },
    ],
    gain: 'target',
    reason: '{actor} can create a Lambda function that runs as {target} and invoke it',
    source: 'pathfinding.cloud lambda-001; anchors §B.9 row 29',
  },
  {
    id: 'lambda-002',
    name: 'iam:PassRole + lambda:CreateFunction + lambda:CreateEventSourceMapping',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: LAMBDA },
    permissions: [
      passRole,
      createFunction,
      { action: 'lambda:CreateEventSourceMapping', on: 'any' },
    ],
    prerequisites: ['lambda-event-source-exists'],
    orPermissions: [
      {
        action: 'dynamodb:CreateTable',
        on: 'new',
        arn: 'arn:aws:dynamodb:{region}:{account}:table/iamsight-probe',
      },
      {
        action: 'dynamodb:PutItem',
        on: 'new',
        arn: 'arn:aws:dynamodb:{region}:{account}:table/iamsight-probe',
      },
    ],
    gain: 'target',
    reason:
      '{actor} can create a Lambda function that runs as {target} and trigger it from an event source',
    source: 'pathfinding.cloud lambda-002; anchors §B.9 row 30',
  },
  {
    id: 'lambda-006',
    name: 'iam:PassRole + lambda:CreateFunction + lambda:AddPermission',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: LAMBDA },
    permissions: [
      passRole,
      createFunction,
      { action: 'lambda:AddPermission', on: 'new', arn: FUNCTION },
    ],
    gain: 'target',
    reason:
      '{actor} can create a Lambda function that runs as {target} and allow itself to invoke it',
    source: 'pathfinding.cloud lambda-006; anchors §B.9 row 31',
  },
  {
    id: 'lambda-003',
    name: 'lambda:UpdateFunctionCode',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: FUNCTIONS },
    permissions: [{ action: 'lambda:UpdateFunctionCode', on: 'target' }],
    gain: 'target',
    reason: '{actor} can replace the code of {resource}, which runs as {target}',
    source: 'pathfinding.cloud lambda-003; anchors §B.9 row 60',
  },
  {
    id: 'lambda-004',
    name: 'lambda:UpdateFunctionCode + lambda:InvokeFunction',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: FUNCTIONS },
    permissions: [
      { action: 'lambda:UpdateFunctionCode', on: 'target' },
      { action: 'lambda:InvokeFunction', on: 'target' },
    ],
    gain: 'target',
    reason: '{actor} can replace the code of {resource}, which runs as {target}, and invoke it',
    source: 'pathfinding.cloud lambda-004; anchors §B.9 row 61',
  },
  {
    id: 'lambda-005',
    name: 'lambda:UpdateFunctionCode + lambda:AddPermission',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: FUNCTIONS },
    permissions: [
      { action: 'lambda:UpdateFunctionCode', on: 'target' },
      { action: 'lambda:AddPermission', on: 'target' },
    ],
    gain: 'target',
    reason:
      '{actor} can replace the code of {resource}, which runs as {target}, and allow itself to invoke it',
    source: 'pathfinding.cloud lambda-005; anchors §B.9 row 62',
  },
  {
    id: 'lambda-update-function-configuration',
    name: 'lambda:UpdateFunctionConfiguration',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: FUNCTIONS },
    permissions: [{ action: 'lambda:UpdateFunctionConfiguration', on: 'target' }],
    gain: 'target',
    reason:
      '{actor} can add a layer or extension to {resource}, which runs as {target}, and run code as it',
    source: 'anchors §B.9 row 63 (Prowler; no pathfinding.cloud id)',
  },
];
