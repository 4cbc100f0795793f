import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const INSTANCE = 'arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718';

function role(estate: TestEstate): string {
  return estate.role('jumpbox-admin', {
    trust: trust({ Service: 'ec2.amazonaws.com' }),
    attached: [ADMIN_ACCESS],
    instanceProfile: true,
  });
}

describeTechniques('EC2 Instance Connect techniques', [
  {
    technique: 'ec2instanceconnect-003',
    actor: {
      type: 'user',
      statements: [
        allow('ec2-instance-connect:SendSSHPublicKey', INSTANCE),
        allow('ec2:DescribeInstances', '*'),
      ],
    },
    setup: (estate) => {
      const arn = role(estate);
      estate.resource('AWS::EC2::Instance', INSTANCE, { role: arn });
      return arn;
    },
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'no instance runs with the role',
        replaceSetup: true,
        setup: (estate) => {
          role(estate);
          estate.resource('AWS::EC2::Instance', INSTANCE);
        },
      },
    ],
  },
]);
