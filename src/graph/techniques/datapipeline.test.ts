import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/datapipeline-admin';

/** An admin pipeline role (the passed role). */
function pipelineAdmin(estate: TestEstate, service = 'datapipeline.amazonaws.com'): string {
  return estate.role('datapipeline-admin', {
    trust: trust({ Service: service }),
    attached: [ADMIN_ACCESS],
  });
}

const statements = [
  allow('iam:PassRole', ROLE),
  allow('datapipeline:CreatePipeline', '*'),
  allow(
    ['datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline'],
    'arn:aws:datapipeline:*:111122223333:pipeline/*',
  ),
];

describeTechniques('Data Pipeline techniques', [
  {
    technique: 'datapipeline-001',
    actor: { type: 'user', statements },
    setup: (estate) => pipelineAdmin(estate),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service (EC2 only)',
        replaceSetup: true,
        setup: (estate) => {
          pipelineAdmin(estate, 'ec2.amazonaws.com');
        },
      },
    ],
  },
  {
    technique: 'datapipeline-001',
    name: 'datapipeline-001 with a pipeline role that is also the EMR service role',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', '*', {
          Condition: { StringEquals: { 'iam:PassedToService': 'datapipeline.amazonaws.com' } },
        }),
        allow(
          [
            'datapipeline:CreatePipeline',
            'datapipeline:PutPipelineDefinition',
            'datapipeline:ActivatePipeline',
          ],
          '*',
        ),
      ],
    },
    setup: (estate) =>
      estate.role('datapipeline-admin', {
        trust: trust({ Service: ['datapipeline.amazonaws.com', 'elasticmapreduce.amazonaws.com'] }),
        attached: [ADMIN_ACCESS],
      }),
    twins: ['missing-permission', 'deny', 'scp'],
  },
]);
