import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/ec2-admin';
const INSTANCE = 'arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718';
const TEMPLATE = 'arn:aws:ec2:us-east-1:111122223333:launch-template/lt-0a1b2c3d4e5f60718';
const GROUP =
  'arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:0f6e6c7a-1b2c-4d5e-8f90-a1b2c3d4e5f6:autoScalingGroupName/batch-workers-asg';

/** An admin role EC2 may assume, in an instance profile (the passed role of new-passrole cases). */
function ec2Admin(estate: TestEstate): string {
  return estate.role('ec2-admin', {
    trust: trust({ Service: 'ec2.amazonaws.com' }),
    attached: [ADMIN_ACCESS],
    instanceProfile: true,
  });
}

const otherService = {
  name: 'the passed role trusts another service',
  replaceSetup: true,
  setup: (estate: TestEstate) => {
    estate.role('ec2-admin', {
      trust: trust({ Service: 'ecs-tasks.amazonaws.com' }),
      attached: [ADMIN_ACCESS],
      instanceProfile: true,
    });
  },
};

const noInstanceProfile = {
  name: 'the passed role is in no instance profile',
  replaceSetup: true,
  setup: (estate: TestEstate) => {
    estate.role('ec2-admin', {
      trust: trust({ Service: 'ec2.amazonaws.com' }),
      attached: [ADMIN_ACCESS],
    });
  },
};

/** An admin instance profile role and an instance (or template) running with it. */
function jumpbox(estate: TestEstate, type = 'AWS::EC2::Instance', arn = INSTANCE): string {
  const role = estate.role('jumpbox-admin', {
    trust: trust({ Service: 'ec2.amazonaws.com' }),
    attached: [ADMIN_ACCESS],
    instanceProfile: true,
  });
  estate.resource(type, arn, { role });
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

describeTechniques('EC2 techniques', [
  {
    technique: 'ec2-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow('ec2:RunInstances', 'arn:aws:ec2:*:111122223333:instance/*'),
      ],
    },
    setup: ec2Admin,
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      otherService,
      noInstanceProfile,
    ],
  },
  {
    technique: 'ec2-003',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        }),
        allow('ec2:RequestSpotInstances', '*'),
      ],
    },
    setup: ec2Admin,
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      otherService,
      noInstanceProfile,
    ],
  },
  {
    technique: 'ec2-associate-instance-profile',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', ROLE),
        allow('ec2:AssociateIamInstanceProfile', 'arn:aws:ec2:us-east-1:111122223333:instance/*'),
      ],
    },
    setup: ec2Admin,
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      otherService,
      noInstanceProfile,
    ],
  },
  {
    technique: 'ec2-002',
    actor: {
      type: 'user',
      statements: [
        allow(['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'], INSTANCE),
      ],
    },
    setup: (estate) => jumpbox(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', noInstance],
  },
  {
    technique: 'ec2-004',
    actor: {
      type: 'user',
      statements: [
        allow(['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'], TEMPLATE),
      ],
    },
    setup: (estate) => {
      const role = jumpbox(estate, 'AWS::EC2::LaunchTemplate', TEMPLATE);
      estate.resource('AWS::AutoScaling::AutoScalingGroup', GROUP);
      return role;
    },
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'no launch template uses the role',
        replaceSetup: true,
        setup: (estate) => {
          jumpbox(estate);
          estate.resource('AWS::AutoScaling::AutoScalingGroup', GROUP);
        },
      },
      {
        name: 'no Auto Scaling group launches from a template',
        replaceSetup: true,
        setup: (estate) => {
          jumpbox(estate, 'AWS::EC2::LaunchTemplate', TEMPLATE);
        },
      },
    ],
  },
]);
