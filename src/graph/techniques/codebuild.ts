/**
 * AWS CodeBuild techniques: pass a role to a new project and run a build whose buildspec is the
 * attacker's (new-passrole), or start a build of an existing project with a buildspec override
 * (existing-passrole): the build's commands run with the project's service role.
 * Sources: pathfinding.cloud data/paths/codebuild, anchors.md §B.9 rows 36, 37 and 70.
 */
import type { PermissionSpec, Technique } from './types.js';

const CODEBUILD = 'codebuild.amazonaws.com';
const PROJECT = 'arn:aws:codebuild:{region}:{account}:project/iamsight-probe';
const passRole: PermissionSpec = { action: 'iam:PassRole', on: 'role' };
const createProject: PermissionSpec = {
  action: 'codebuild:CreateProject',
  on: 'new',
  arn: PROJECT,
};
const PROJECTS = ['AWS::CodeBuild::Project'] as const;

export const CODEBUILD_TECHNIQUES: readonly Technique[] = [
  {
    id: 'codebuild-001',
    name: 'iam:PassRole + codebuild:CreateProject + codebuild:StartBuild',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: CODEBUILD },
    permissions: [
      passRole,
      createProject,
      { action: 'codebuild:StartBuild', on: 'new', arn: PROJECT },
    ],
    gain: 'target',
    reason:
      '{actor} can create a CodeBuild project whose service role is {target} and start a build that runs its own commands as it',
    source: 'pathfinding.cloud codebuild-001; anchors §B.9 row 36',
  },
  {
    id: 'codebuild-004',
    name: 'iam:PassRole + codebuild:CreateProject + codebuild:StartBuildBatch',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: CODEBUILD },
    permissions: [
      passRole,
      createProject,
      { action: 'codebuild:StartBuildBatch', on: 'new', arn: PROJECT },
    ],
    gain: 'target',
    reason:
      '{actor} can create a CodeBuild project whose service role is {target} and start a batch build that runs its own commands as it',
    source: 'pathfinding.cloud codebuild-004; anchors §B.9 row 37',
  },
  {
    id: 'codebuild-002',
    name: 'codebuild:StartBuild',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: PROJECTS },
    permissions: [{ action: 'codebuild:StartBuild', on: 'target' }],
    gain: 'target',
    reason:
      '{actor} can start a build of {resource} with its own buildspec, whose commands run as {target}',
    source: 'pathfinding.cloud codebuild-002; anchors §B.9 row 70',
  },
  {
    id: 'codebuild-003',
    name: 'codebuild:StartBuildBatch',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: PROJECTS },
    permissions: [{ action: 'codebuild:StartBuildBatch', on: 'target' }],
    gain: 'target',
    reason:
      '{actor} can start a batch build of {resource} with its own buildspec, whose commands run as {target}',
    source: 'pathfinding.cloud codebuild-003; anchors §B.9 row 70',
  },
];
