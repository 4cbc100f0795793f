import { ADMIN_ACCESS, allow, trust } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/ec2-admin';

describeTechniques('Auto Scaling techniques', [
  {
    technique: 'autoscaling-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow(['autoscaling:CreateAutoScalingGroup', 'autoscaling:CreateLaunchConfiguration'], '*'),
      ],
    },
    setup: (estate) =>
      estate.role('ec2-admin', {
        trust: trust({ Service: 'ec2.amazonaws.com' }),
        attached: [ADMIN_ACCESS],
        instanceProfile: true,
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
          estate.role('ec2-admin', {
            trust: trust({ Service: 'ecs-tasks.amazonaws.com' }),
            attached: [ADMIN_ACCESS],
            instanceProfile: true,
          });
        },
      },
      {
        name: 'the passed role is in no instance profile',
        replaceSetup: true,
        setup: (estate) => {
          estate.role('ec2-admin', {
            trust: trust({ Service: 'ec2.amazonaws.com' }),
            attached: [ADMIN_ACCESS],
          });
        },
      },
    ],
  },
]);
