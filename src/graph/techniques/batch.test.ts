import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/batch-job-admin';

function jobRole(service: string) {
  return (estate: TestEstate): string =>
    estate.role('batch-job-admin', {
      trust: trust({ Service: service }),
      attached: [ADMIN_ACCESS],
    });
}

describeTechniques('AWS Batch techniques', [
  {
    technique: 'batch-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
        allow(
          ['batch:RegisterJobDefinition', 'batch:SubmitJob'],
          [
            'arn:aws:batch:*:111122223333:job-definition/*',
            'arn:aws:batch:*:111122223333:job-queue/*',
          ],
        ),
      ],
    },
    setup: jobRole('ecs-tasks.amazonaws.com'),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => void jobRole('batch.amazonaws.com')(estate),
      },
    ],
  },
  {
    technique: 'batch-001',
    name: 'batch-001 (a role with PassRole on every role)',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', '*'),
        allow(['batch:RegisterJobDefinition', 'batch:SubmitJob'], '*'),
      ],
    },
    setup: jobRole('ecs-tasks.amazonaws.com'),
    twins: ['missing-permission', 'deny', 'scp'],
  },
]);
