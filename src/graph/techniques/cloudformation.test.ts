import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques, type CustomTwin } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/cfn-admin';
const STACK =
  'arn:aws:cloudformation:us-east-1:111122223333:stack/core-infrastructure/5e1b2c30-8f1a-11ee-b9d1-0242ac120002';

/** An admin role CloudFormation may assume (passed role, or a stack's service role). */
function cfnAdmin(estate: TestEstate, service = 'cloudformation.amazonaws.com'): string {
  return estate.role('cfn-admin', { trust: trust({ Service: service }), attached: [ADMIN_ACCESS] });
}

/** An existing stack that deploys with the admin service role. */
function adminStack(estate: TestEstate): string {
  const role = cfnAdmin(estate);
  estate.resource('AWS::CloudFormation::Stack', STACK, { role });
  return role;
}

const otherService: CustomTwin = {
  name: 'the passed role trusts another service',
  replaceSetup: true,
  setup: (estate) => {
    cfnAdmin(estate, 'codebuild.amazonaws.com');
  },
};

const noStack: CustomTwin = {
  name: 'no stack deploys with the role',
  replaceSetup: true,
  setup: (estate) => {
    cfnAdmin(estate);
    estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::templates');
  },
};

describeTechniques('CloudFormation techniques', [
  {
    technique: 'cloudformation-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow('cloudformation:CreateStack', 'arn:aws:cloudformation:*:111122223333:stack/*'),
      ],
    },
    setup: (estate) => cfnAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'cloudformation-002',
    actor: { type: 'user', statements: [allow('cloudformation:UpdateStack', STACK)] },
    setup: adminStack,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', noStack],
  },
  {
    technique: 'cloudformation-003',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
        }),
        allow('cloudformation:CreateStackSet', '*'),
        allow(
          'cloudformation:CreateStackInstances',
          'arn:aws:cloudformation:*:111122223333:stackset/*',
        ),
      ],
    },
    setup: (estate) => cfnAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'cloudformation-004',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow(
          'cloudformation:UpdateStackSet',
          'arn:aws:cloudformation:us-east-1:111122223333:stackset/org-baseline:*',
        ),
      ],
    },
    setup: (estate) => cfnAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'cloudformation-005',
    actor: {
      type: 'role',
      statements: [
        allow(['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], STACK),
      ],
    },
    setup: adminStack,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', noStack],
  },
]);
