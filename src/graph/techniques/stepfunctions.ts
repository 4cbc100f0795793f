/**
 * AWS Step Functions: a state machine runs with its execution role, and its AWS SDK service
 * integrations (`arn:aws:states:::aws-sdk:<service>:<action>`) call almost any AWS API action as
 * that role.
 * Sources: pathfinding.cloud stepfunctions-001 (Prowler id; no YAML in our snapshot), anchors.md
 * §B.9 row 59.
 *
 * stepfunctions-002 (`states:UpdateStateMachine` + `states:StartExecution` on an existing state
 * machine, row 77) is not modelled: the snapshot has no resource type for state machines.
 */
import type { Technique } from './types.js';

const STATE_MACHINE = 'arn:aws:states:{region}:{account}:stateMachine:iamsight-probe';

export const STEPFUNCTIONS_TECHNIQUES: readonly Technique[] = [
  {
    id: 'stepfunctions-001',
    name: 'iam:PassRole + states:CreateStateMachine + states:StartExecution',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'states.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      { action: 'states:CreateStateMachine', on: 'new', arn: STATE_MACHINE },
      { action: 'states:StartExecution', on: 'new', arn: STATE_MACHINE },
    ],
    gain: 'target',
    reason:
      '{actor} can create a Step Functions state machine that runs as {target} and start it to call any AWS API action as it',
    source:
      'pathfinding.cloud stepfunctions-001 (Prowler STEPFUNCTIONS-001; no YAML in our snapshot); anchors §B.9 row 59',
  },
];
