import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/omics-admin';

function runRole(service: string) {
  return (estate: TestEstate): string =>
    estate.role('omics-admin', { trust: trust({ Service: service }), attached: [ADMIN_ACCESS] });
}

describeTechniques('AWS HealthOmics techniques', [
  {
    technique: 'omics-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'omics.amazonaws.com' } },
        }),
        allow(['omics:CreateWorkflow', 'omics:StartRun'], '*'),
        allow('s3:GetObject', '*'),
      ],
    },
    setup: runRole('omics.amazonaws.com'),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => void runRole('batch.amazonaws.com')(estate),
      },
    ],
  },
]);
