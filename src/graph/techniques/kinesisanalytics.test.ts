import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

function executionRole(service: string) {
  return (estate: TestEstate): string =>
    estate.role('kinesis-analytics-admin', {
      path: '/service-role/',
      trust: trust({ Service: service }),
      attached: [ADMIN_ACCESS],
    });
}

describeTechniques('Managed Service for Apache Flink techniques', [
  {
    technique: 'kinesisanalytics-001',
    actor: {
      type: 'user',
      statements: [
        // As AmazonKinesisAnalyticsFullAccess writes it.
        allow('iam:PassRole', 'arn:aws:iam::111122223333:role/service-role/kinesis-analytics*'),
        allow(['kinesisanalytics:CreateApplication', 'kinesisanalytics:StartApplication'], '*'),
      ],
    },
    setup: executionRole('kinesisanalytics.amazonaws.com'),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => void executionRole('firehose.amazonaws.com')(estate),
      },
    ],
  },
]);
