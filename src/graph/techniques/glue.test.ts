import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques, type CustomTwin } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/glue-admin';
const JOB = 'arn:aws:glue:us-east-1:111122223333:job/nightly-compaction';
const DEV_ENDPOINT = 'arn:aws:glue:us-east-1:111122223333:devEndpoint/analytics-dev';

/** An admin role Glue may assume (passed role, or a dev endpoint's role). */
function glueAdmin(estate: TestEstate, service = 'glue.amazonaws.com'): string {
  return estate.role('glue-admin', {
    trust: trust({ Service: service }),
    attached: [ADMIN_ACCESS],
  });
}

/** The admin Glue role and an existing job (run by a modest role) to update. */
function adminWithJob(estate: TestEstate): string {
  const role = glueAdmin(estate);
  const etl = estate.role('glue-etl', {
    trust: trust({ Service: 'glue.amazonaws.com' }),
    attached: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
  });
  estate.resource('AWS::Glue::Job', JOB, { role: etl });
  return role;
}

const otherService: CustomTwin = {
  name: 'the passed role trusts another service',
  replaceSetup: true,
  setup: (estate) => {
    glueAdmin(estate, 'sagemaker.amazonaws.com');
  },
};

const noJob: CustomTwin = {
  name: 'no Glue job exists (the account has an inventory)',
  replaceSetup: true,
  setup: (estate) => {
    glueAdmin(estate);
    estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::etl-scripts');
  },
};

const noEndpoint: CustomTwin = {
  name: 'no dev endpoint runs with the role',
  replaceSetup: true,
  setup: (estate) => {
    glueAdmin(estate);
    estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::etl-scripts');
  },
};

const updateJobStatements = (second: string) => [
  allow('iam:PassRole', ROLE),
  allow(['glue:UpdateJob', second], 'arn:aws:glue:us-east-1:111122223333:*'),
];

describeTechniques('Glue techniques', [
  {
    technique: 'glue-001',
    actor: {
      type: 'user',
      statements: [allow('iam:PassRole', ROLE), allow('glue:CreateDevEndpoint', '*')],
    },
    setup: (estate) => glueAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'glue-003',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } },
        }),
        allow(['glue:CreateJob', 'glue:StartJobRun'], 'arn:aws:glue:*:111122223333:job/*'),
      ],
    },
    setup: (estate) => glueAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'glue-004',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow('glue:CreateJob', 'arn:aws:glue:*:111122223333:job/*'),
        allow('glue:CreateTrigger', 'arn:aws:glue:*:111122223333:trigger/*'),
      ],
    },
    setup: (estate) => glueAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'glue-005',
    actor: { type: 'user', statements: updateJobStatements('glue:StartJobRun') },
    setup: adminWithJob,
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      otherService,
      noJob,
    ],
  },
  {
    technique: 'glue-005',
    name: 'glue-005 without a resource inventory',
    actor: { type: 'user', statements: updateJobStatements('glue:StartJobRun') },
    setup: (estate) => glueAdmin(estate),
    conditional: true,
  },
  {
    technique: 'glue-006',
    actor: { type: 'role', statements: updateJobStatements('glue:CreateTrigger') },
    setup: adminWithJob,
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      otherService,
      noJob,
    ],
  },
  {
    technique: 'glue-006',
    name: 'glue-006 without a resource inventory',
    actor: { type: 'role', statements: updateJobStatements('glue:CreateTrigger') },
    setup: (estate) => glueAdmin(estate),
    conditional: true,
  },
  {
    technique: 'glue-007',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow(['glue:CreateSession', 'glue:RunStatement'], '*'),
      ],
    },
    setup: (estate) => glueAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'glue-002',
    actor: { type: 'user', statements: [allow('glue:UpdateDevEndpoint', DEV_ENDPOINT)] },
    setup: (estate) => {
      const role = glueAdmin(estate);
      estate.resource('AWS::Glue::DevEndpoint', DEV_ENDPOINT, { role });
      return role;
    },
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', noEndpoint],
  },
]);
