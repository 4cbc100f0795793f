/**
 * EC2 Image Builder: an infrastructure configuration names an instance profile, and the build
 * instance runs the recipe's components (shell commands of the attacker's choosing) with that
 * instance profile, so the role gained is the instance profile role (trusted by
 * `ec2.amazonaws.com`; AWSImageBuilderFullAccess passes it with `iam:PassedToService`
 * `ec2.amazonaws.com`).
 * Sources: pathfinding.cloud imagebuilder-001 (newer than the corpus snapshot), anchors.md §B.9
 * row 59.
 */
import type { Technique } from './types.js';

const IMAGEBUILDER = 'arn:aws:imagebuilder:{region}:{account}';

export const IMAGEBUILDER_TECHNIQUES: readonly Technique[] = [
  {
    id: 'imagebuilder-001',
    name: 'iam:PassRole + imagebuilder:CreateComponent + imagebuilder:CreateImageRecipe + imagebuilder:CreateInfrastructureConfiguration + imagebuilder:CreateImage',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'ec2.amazonaws.com', instanceProfile: true },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      {
        action: 'imagebuilder:CreateComponent',
        on: 'new',
        arn: `${IMAGEBUILDER}:component/iamsight-probe/1.0.0/1`,
      },
      {
        action: 'imagebuilder:CreateImageRecipe',
        on: 'new',
        arn: `${IMAGEBUILDER}:image-recipe/iamsight-probe/1.0.0`,
      },
      {
        action: 'imagebuilder:CreateInfrastructureConfiguration',
        on: 'new',
        arn: `${IMAGEBUILDER}:infrastructure-configuration/iamsight-probe`,
      },
      {
        action: 'imagebuilder:CreateImage',
        on: 'new',
        arn: `${IMAGEBUILDER}:image/iamsight-probe/1.0.0/1`,
      },
    ],
    gain: 'target',
    reason:
      '{actor} can build an image whose build instance runs its own component commands with the instance profile of {target}',
    source: 'pathfinding.cloud imagebuilder-001; anchors §B.9 row 59 (Prowler IMAGEBUILDER-001)',
  },
];
