import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/imagebuilder-admin';

function instanceRole(service: string, instanceProfile = true) {
  return (estate: TestEstate): string =>
    estate.role('imagebuilder-admin', {
      trust: trust({ Service: service }),
      attached: [ADMIN_ACCESS],
      instanceProfile,
    });
}

describeTechniques('EC2 Image Builder techniques', [
  {
    technique: 'imagebuilder-001',
    actor: {
      type: 'user',
      statements: [
        // As AWSImageBuilderFullAccess writes it.
        allow('iam:PassRole', ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        }),
        allow(
          [
            'imagebuilder:CreateComponent',
            'imagebuilder:CreateImageRecipe',
            'imagebuilder:CreateInfrastructureConfiguration',
            'imagebuilder:CreateImage',
          ],
          'arn:aws:imagebuilder:*:111122223333:*',
        ),
      ],
    },
    setup: instanceRole('ec2.amazonaws.com'),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => void instanceRole('imagebuilder.amazonaws.com')(estate),
      },
      {
        name: 'the role is in no instance profile',
        replaceSetup: true,
        setup: (estate) => void instanceRole('ec2.amazonaws.com', false)(estate),
      },
    ],
  },
]);
