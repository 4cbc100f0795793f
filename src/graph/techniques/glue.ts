/**
 * AWS Glue techniques: pass a role to a new dev endpoint, job or interactive session and run code
 * in it, point an existing job at the passed role and the attacker's script, or add an SSH key to
 * a dev endpoint that already runs with a role.
 * Sources: pathfinding.cloud data/paths/glue, anchors.md §B.9 rows 39–44 and 71; glue-007 from the
 * pathfinding-labs scenario glue-007-iam-passrole+glue-createsession+glue-runstatement (newer than
 * the pathfinding.cloud snapshot; Prowler GLUE-007).
 */
import type { PermissionSpec, Technique } from './types.js';

const GLUE = 'glue.amazonaws.com';
const JOB = 'arn:aws:glue:{region}:{account}:job/iamsight-probe';
const TRIGGER = 'arn:aws:glue:{region}:{account}:trigger/iamsight-probe';
const SESSION = 'arn:aws:glue:{region}:{account}:session/iamsight-probe';
const passRole: PermissionSpec = { action: 'iam:PassRole', on: 'role' };
const createJob: PermissionSpec = { action: 'glue:CreateJob', on: 'new', arn: JOB };
/** The job updated is an existing one (prerequisite `glue-job-exists`): any the actor may update. */
const updateJob: PermissionSpec = { action: 'glue:UpdateJob', on: 'new', arn: JOB };
const createTrigger: PermissionSpec = { action: 'glue:CreateTrigger', on: 'new', arn: TRIGGER };

export const GLUE_TECHNIQUES: readonly Technique[] = [
  {
    id: 'glue-001',
    name: 'iam:PassRole + glue:CreateDevEndpoint',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: GLUE },
    // CreateDevEndpoint has no resource-level permissions.
    permissions: [passRole, { action: 'glue:CreateDevEndpoint', on: 'any' }],
    gain: 'target',
    reason:
      '{actor} can create a Glue dev endpoint that runs as {target} with its own SSH key, and run code on it',
    source: 'pathfinding.cloud glue-001; anchors §B.9 row 39',
  },
  {
    id: 'glue-003',
    name: 'iam:PassRole + glue:CreateJob + glue:StartJobRun',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: GLUE },
    permissions: [passRole, createJob, { action: 'glue:StartJobRun', on: 'new', arn: JOB }],
    gain: 'target',
    reason: '{actor} can create a Glue job with its own script that runs as {target} and start it',
    source: 'pathfinding.cloud glue-003; anchors §B.9 row 40',
  },
  {
    id: 'glue-004',
    name: 'iam:PassRole + glue:CreateJob + glue:CreateTrigger',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: GLUE },
    permissions: [passRole, createJob, createTrigger],
    gain: 'target',
    reason:
      '{actor} can create a Glue job with its own script that runs as {target} and a trigger that starts it',
    source: 'pathfinding.cloud glue-004; anchors §B.9 row 41',
  },
  {
    id: 'glue-005',
    name: 'iam:PassRole + glue:UpdateJob + glue:StartJobRun',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: GLUE },
    permissions: [passRole, updateJob, { action: 'glue:StartJobRun', on: 'new', arn: JOB }],
    prerequisites: ['glue-job-exists'],
    gain: 'target',
    reason:
      '{actor} can change an existing Glue job to run its own script as {target} and start it',
    source: 'pathfinding.cloud glue-005; anchors §B.9 row 42',
  },
  {
    id: 'glue-006',
    name: 'iam:PassRole + glue:UpdateJob + glue:CreateTrigger',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: GLUE },
    permissions: [passRole, updateJob, createTrigger],
    prerequisites: ['glue-job-exists'],
    gain: 'target',
    reason:
      '{actor} can change an existing Glue job to run its own script as {target} and create a trigger that starts it',
    source: 'pathfinding.cloud glue-006; anchors §B.9 row 43',
  },
  {
    id: 'glue-007',
    name: 'iam:PassRole + glue:CreateSession + glue:RunStatement',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: GLUE },
    permissions: [
      passRole,
      { action: 'glue:CreateSession', on: 'new', arn: SESSION },
      { action: 'glue:RunStatement', on: 'new', arn: SESSION },
    ],
    gain: 'target',
    reason:
      '{actor} can create a Glue interactive session that runs as {target} and run its own Python statements in it',
    source:
      'pathfinding-labs glue-007 (newer than the pathfinding.cloud snapshot); anchors §B.9 row 44 (Prowler GLUE-007)',
  },
  {
    id: 'glue-002',
    name: 'glue:UpdateDevEndpoint',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: ['AWS::Glue::DevEndpoint'] },
    permissions: [{ action: 'glue:UpdateDevEndpoint', on: 'target' }],
    gain: 'target',
    reason:
      '{actor} can add its own SSH key to {resource}, a Glue dev endpoint that runs as {target}, and run code on it',
    source: 'pathfinding.cloud glue-002; anchors §B.9 row 71',
  },
];
