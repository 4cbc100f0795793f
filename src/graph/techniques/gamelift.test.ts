import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/game-fleet-admin';

function fleetRole(service: string) {
  return (estate: TestEstate): string =>
    estate.role('game-fleet-admin', {
      trust: trust({ Service: service }),
      attached: [ADMIN_ACCESS],
    });
}

describeTechniques('Amazon GameLift techniques', [
  {
    technique: 'gamelift-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow(['gamelift:CreateBuild', 'gamelift:CreateFleet'], '*'),
        allow(
          'gamelift:RequestUploadCredentials',
          'arn:aws:gamelift:us-east-1:111122223333:build/*',
        ),
      ],
    },
    setup: fleetRole('gamelift.amazonaws.com'),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => void fleetRole('ec2.amazonaws.com')(estate),
      },
    ],
  },
]);
