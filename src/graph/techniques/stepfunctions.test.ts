import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/workflow-admin';

function executionRole(service: string) {
  return (estate: TestEstate): string =>
    estate.role('workflow-admin', { trust: trust({ Service: service }), attached: [ADMIN_ACCESS] });
}

describeTechniques('AWS Step Functions techniques', [
  {
    technique: 'stepfunctions-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow(
          ['states:CreateStateMachine', 'states:StartExecution'],
          'arn:aws:states:us-east-1:111122223333:stateMachine:*',
        ),
      ],
    },
    setup: executionRole('states.amazonaws.com'),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => void executionRole('lambda.amazonaws.com')(estate),
      },
    ],
  },
]);
