import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/lambda-admin';
const FUNCTION = 'arn:aws:lambda:us-east-1:111122223333:function:nightly-report';

/** An admin role Lambda may assume (the passed role of new-passrole cases). */
function lambdaAdmin(estate: TestEstate): string {
  return estate.role('lambda-admin', {
    trust: trust({ Service: 'lambda.amazonaws.com' }),
    attached: [ADMIN_ACCESS],
  });
}

const otherService = {
  name: 'the passed role trusts another service',
  replaceSetup: true,
  setup: (estate: TestEstate) => {
    estate.role('lambda-admin', {
      trust: trust({ Service: 'ecs-tasks.amazonaws.com' }),
      attached: [ADMIN_ACCESS],
    });
  },
};

describeTechniques('Lambda techniques', [
  {
    technique: 'lambda-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow(
          ['lambda:CreateFunction', 'lambda:InvokeFunction'],
          'arn:aws:lambda:*:111122223333:function:*',
        ),
      ],
    },
    setup: lambdaAdmin,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'lambda-006',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
        }),
        allow(['lambda:CreateFunction', 'lambda:AddPermission'], '*'),
      ],
    },
    setup: lambdaAdmin,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'scp', otherService],
  },
  {
    technique: 'lambda-003',
    actor: { type: 'user', statements: [allow('lambda:UpdateFunctionCode', FUNCTION)] },
    setup: (estate) => {
      const role = estate.role('report-runner', {
        trust: trust({ Service: 'lambda.amazonaws.com' }),
        attached: [ADMIN_ACCESS],
      });
      estate.resource('AWS::Lambda::Function', FUNCTION, { role });
      return role;
    },
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'no function runs with the role',
        replaceSetup: true,
        setup: (estate) => {
          estate.role('report-runner', {
            trust: trust({ Service: 'lambda.amazonaws.com' }),
            attached: [ADMIN_ACCESS],
          });
          estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::reports');
        },
      },
    ],
  },
  {
    technique: 'lambda-002',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow('lambda:CreateFunction', 'arn:aws:lambda:*:111122223333:function:*'),
        allow('lambda:CreateEventSourceMapping', '*'),
      ],
    },
    setup: (estate) => {
      estate.resource(
        'AWS::DynamoDB::Table',
        'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
      );
      return lambdaAdmin(estate);
    },
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      otherService,
      {
        name: 'no event source exists and it cannot create one',
        replaceSetup: true,
        setup: (estate) => {
          lambdaAdmin(estate);
          estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::reports');
        },
      },
    ],
  },
  {
    name: 'lambda-002 creating its own event source',
    technique: 'lambda-002',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow(['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], '*'),
        allow(['dynamodb:CreateTable', 'dynamodb:PutItem'], '*'),
      ],
    },
    setup: (estate) => {
      estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::reports');
      return lambdaAdmin(estate);
    },
  },
  {
    name: 'lambda-002 without a resource inventory',
    technique: 'lambda-002',
    conditional: true,
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow(['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], '*'),
      ],
    },
    setup: lambdaAdmin,
  },
  ...(['lambda-004', 'lambda-005', 'lambda-update-function-configuration'] as const).map(
    (technique) => ({
      technique,
      actor: {
        type: 'role' as const,
        statements: [
          allow(
            technique === 'lambda-update-function-configuration'
              ? ['lambda:UpdateFunctionConfiguration']
              : [
                  'lambda:UpdateFunctionCode',
                  technique === 'lambda-004' ? 'lambda:InvokeFunction' : 'lambda:AddPermission',
                ],
            FUNCTION,
          ),
        ],
      },
      setup: (estate: TestEstate) => {
        const role = estate.role('report-runner', {
          trust: trust({ Service: 'lambda.amazonaws.com' }),
          attached: [ADMIN_ACCESS],
        });
        estate.resource('AWS::Lambda::Function', FUNCTION, { role });
        return role;
      },
      twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp'] as const,
    }),
  ),
]);
