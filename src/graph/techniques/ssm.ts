/**
 * AWS Systems Manager techniques: open a session on, or send a command to, an instance that runs
 * with a role (existing-passrole); run an automation runbook of one's own as a role trusted by
 * Systems Manager (new-passrole).
 * Sources: pathfinding.cloud data/paths/ssm, anchors.md §B.9 rows 59 (SSM-003), 67–68.
 */
import type { Technique } from './types.js';

const INSTANCES = ['AWS::EC2::Instance'] as const;
/** A runbook the actor creates. */
const DOCUMENT = 'arn:aws:ssm:{region}:{account}:document/iamsight-probe';

export const SSM_TECHNIQUES: readonly Technique[] = [
  {
    id: 'ssm-001',
    name: 'ssm:StartSession',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: INSTANCES },
    permissions: [{ action: 'ssm:StartSession', on: 'target' }],
    gain: 'target',
    reason:
      '{actor} can open a Session Manager shell on {resource} and read the credentials of {target} from the instance',
    source: 'pathfinding.cloud ssm-001; anchors §B.9 row 67',
  },
  {
    id: 'ssm-002',
    name: 'ssm:SendCommand',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: INSTANCES },
    permissions: [
      // SendCommand is authorized on the instance and on the document it runs (Service
      // Authorization Reference: document is required); AWS-owned documents have no account.
      { action: 'ssm:SendCommand', on: 'target' },
      {
        action: 'ssm:SendCommand',
        on: 'new',
        arn: 'arn:aws:ssm:{region}::document/AWS-RunShellScript',
      },
    ],
    gain: 'target',
    reason:
      '{actor} can run a shell command on {resource} with Run Command and read the credentials of {target} from the instance',
    source: 'pathfinding.cloud ssm-002; anchors §B.9 row 68',
  },
  {
    id: 'ssm-003',
    name: 'iam:PassRole + ssm:CreateDocument + ssm:StartAutomationExecution',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'ssm.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      { action: 'ssm:CreateDocument', on: 'new', arn: DOCUMENT },
      { action: 'ssm:StartAutomationExecution', on: 'new', arn: DOCUMENT },
    ],
    gain: 'target',
    reason: '{actor} can create an Automation runbook and run it with {target} as its assume role',
    source: 'anchors §B.9 row 59 (Prowler SSM-003; no pathfinding.cloud id in the snapshot)',
  },
];
