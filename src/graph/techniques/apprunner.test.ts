import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/apprunner-admin';
const SERVICE =
  'arn:aws:apprunner:us-east-1:111122223333:service/internal-portal/8fe1e10304f84fd2b0df550fe98a71fa';

/** An admin App Runner instance role. */
function instanceAdmin(estate: TestEstate, service = 'tasks.apprunner.amazonaws.com'): string {
  return estate.role('apprunner-admin', {
    trust: trust({ Service: service }),
    attached: [ADMIN_ACCESS],
  });
}

describeTechniques('App Runner techniques', [
  {
    technique: 'apprunner-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow('apprunner:CreateService', 'arn:aws:apprunner:*:111122223333:service/*'),
      ],
    },
    setup: (estate) => instanceAdmin(estate),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        // The access role (image pulls from ECR) trusts the build principal and runs no code.
        name: 'the passed role is an access role (build.apprunner.amazonaws.com)',
        replaceSetup: true,
        setup: (estate) => {
          instanceAdmin(estate, 'build.apprunner.amazonaws.com');
        },
      },
    ],
  },
  {
    technique: 'apprunner-002',
    actor: { type: 'role', statements: [allow('apprunner:UpdateService', SERVICE)] },
    setup: (estate) => {
      const role = instanceAdmin(estate);
      estate.resource('AWS::AppRunner::Service', SERVICE, { role });
      return role;
    },
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'no service runs with the role',
        replaceSetup: true,
        setup: (estate) => {
          instanceAdmin(estate);
          estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::portal-assets');
        },
      },
    ],
  },
]);
