import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

function jobRole(service: string) {
  return (estate: TestEstate): string =>
    estate.role('AmazonBraketJobsExecutionRole-admin', {
      path: '/service-role/',
      trust: trust({ Service: service }),
      attached: [ADMIN_ACCESS],
    });
}

describeTechniques('Amazon Braket techniques', [
  {
    technique: 'braket-001',
    actor: {
      type: 'role',
      statements: [
        // As AmazonBraketFullAccess writes it.
        allow(
          'iam:PassRole',
          'arn:aws:iam::111122223333:role/service-role/AmazonBraketJobsExecutionRole*',
          { Condition: { StringLike: { 'iam:PassedToService': ['braket.amazonaws.com'] } } },
        ),
        allow('braket:CreateJob', '*'),
      ],
    },
    setup: jobRole('braket.amazonaws.com'),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => void jobRole('sagemaker.amazonaws.com')(estate),
      },
    ],
  },
]);
