import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/codestar-toolchain-admin';

function toolchainRole(service: string) {
  return (estate: TestEstate): string =>
    estate.role('codestar-toolchain-admin', {
      trust: trust({ Service: service }),
      attached: [ADMIN_ACCESS],
    });
}

describeTechniques('AWS CodeStar techniques', [
  {
    technique: 'codestar-001',
    actor: {
      type: 'user',
      statements: [allow('iam:PassRole', ROLE), allow('codestar:CreateProject', '*')],
    },
    setup: toolchainRole('codestar.amazonaws.com'),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => void toolchainRole('codebuild.amazonaws.com')(estate),
      },
    ],
  },
]);
