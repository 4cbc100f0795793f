import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const INSTANCE = 'arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718';
const AUTOMATION_ROLE = 'arn:aws:iam::111122223333:role/automation-admin';

/** An admin instance profile role and an instance running with it. */
function jumpbox(estate: TestEstate): string {
  const role = estate.role('jumpbox-admin', {
    trust: trust({ Service: 'ec2.amazonaws.com' }),
    attached: [ADMIN_ACCESS],
    instanceProfile: true,
  });
  estate.resource('AWS::EC2::Instance', INSTANCE, { role });
  return role;
}

const noInstance = {
  name: 'no instance runs with the role',
  replaceSetup: true,
  setup: (estate: TestEstate) => {
    estate.role('jumpbox-admin', {
      trust: trust({ Service: 'ec2.amazonaws.com' }),
      attached: [ADMIN_ACCESS],
      instanceProfile: true,
    });
    estate.resource('AWS::EC2::Instance', INSTANCE);
  },
};

describeTechniques('Systems Manager techniques', [
  {
    technique: 'ssm-001',
    actor: { type: 'user', statements: [allow('ssm:StartSession', INSTANCE)] },
    setup: jumpbox,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', noInstance],
  },
  {
    technique: 'ssm-002',
    actor: {
      type: 'role',
      statements: [
        allow('ssm:SendCommand', [INSTANCE, 'arn:aws:ssm:us-east-1::document/AWS-RunShellScript']),
      ],
    },
    setup: jumpbox,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', noInstance],
  },
  {
    technique: 'ssm-003',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', AUTOMATION_ROLE),
        allow(
          ['ssm:CreateDocument', 'ssm:StartAutomationExecution'],
          'arn:aws:ssm:*:111122223333:document/*',
        ),
      ],
    },
    setup: (estate) =>
      estate.role('automation-admin', {
        trust: trust({ Service: 'ssm.amazonaws.com' }),
        attached: [ADMIN_ACCESS],
      }),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => {
          estate.role('automation-admin', {
            trust: trust({ Service: 'ec2.amazonaws.com' }),
            attached: [ADMIN_ACCESS],
          });
        },
      },
    ],
  },
]);
