/**
 * AWS CodeStar: CreateProject provisions the project's toolchain, a CloudFormation template the
 * caller supplies, with the toolchain service role passed in the request (trusted by
 * `codestar.amazonaws.com`), so the template can create any resource (an IAM policy, a user, a
 * function) with that role's permissions. AWS stopped accepting new CodeStar projects on
 * 31 July 2024; the permission set stays risky wherever the API still answers.
 * Sources: anchors.md §B.9 row 58 (Prowler; Rhino Security Labs' CodeStar research; no
 * pathfinding.cloud YAML).
 */
import type { Technique } from './types.js';

export const CODESTAR_TECHNIQUES: readonly Technique[] = [
  {
    id: 'codestar-001',
    name: 'iam:PassRole + codestar:CreateProject',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'codestar.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      { action: 'codestar:CreateProject', on: 'any' },
    ],
    gain: 'target',
    reason:
      '{actor} can create a CodeStar project whose toolchain template is deployed as {target} and creates any resource it chooses',
    source: 'anchors §B.9 row 58 (Prowler; CodeStar CreateProject with a toolchain role)',
  },
];
