import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const INSTANCE_ROLE = 'arn:aws:iam::111122223333:role/emr-instance-admin';
const JOB_ROLE = 'arn:aws:iam::111122223333:role/spark-job-admin';

/** The cluster's EC2 instance profile role (JobFlowRole): the role emr-001 gains. */
function instanceRole(estate: TestEstate): string {
  return estate.role('emr-instance-admin', {
    trust: trust({ Service: 'ec2.amazonaws.com' }),
    attached: [ADMIN_ACCESS],
    instanceProfile: true,
  });
}

function jobRole(service: string) {
  return (estate: TestEstate): string =>
    estate.role('spark-job-admin', {
      trust: trust({ Service: service }),
      attached: [ADMIN_ACCESS],
    });
}

describeTechniques('Amazon EMR techniques', [
  {
    technique: 'emr-001',
    actor: {
      type: 'user',
      statements: [allow('iam:PassRole', INSTANCE_ROLE), allow('elasticmapreduce:RunJobFlow', '*')],
    },
    setup: instanceRole,
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the admin role is the EMR service role, not an instance profile role',
        replaceSetup: true,
        setup: (estate) => {
          estate.role('emr-instance-admin', {
            trust: trust({ Service: 'elasticmapreduce.amazonaws.com' }),
            attached: [ADMIN_ACCESS],
          });
        },
      },
      {
        name: 'the EC2 role is in no instance profile',
        replaceSetup: true,
        setup: (estate) => {
          estate.role('emr-instance-admin', {
            trust: trust({ Service: 'ec2.amazonaws.com' }),
            attached: [ADMIN_ACCESS],
          });
        },
      },
    ],
  },
  {
    technique: 'emr-001',
    name: 'emr-001 (PassRole limited to EC2, as AmazonEMRFullAccessPolicy_v2 writes it)',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', 'arn:aws:iam::111122223333:role/emr-*', {
          Condition: { StringLike: { 'iam:PassedToService': 'ec2.amazonaws.com*' } },
        }),
        allow('elasticmapreduce:RunJobFlow', '*'),
      ],
    },
    setup: instanceRole,
    twins: ['missing-permission', 'resource-mismatch', 'scp'],
  },
  {
    technique: 'emrserverless-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', JOB_ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' } },
        }),
        allow(['emr-serverless:CreateApplication', 'emr-serverless:StartJobRun'], '*'),
      ],
    },
    setup: jobRole('emr-serverless.amazonaws.com'),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => void jobRole('elasticmapreduce.amazonaws.com')(estate),
      },
    ],
  },
]);
