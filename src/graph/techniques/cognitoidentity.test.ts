import { describe } from 'vitest';
import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/identity-pool-admin';
const POOL = 'us-east-1:0f2c4e6a-1b3d-4f5a-8c7e-9d0b1a2c3e4f';

/** A role an identity pool may vend: trusted by Cognito as a Federated principal. */
function poolRole(principal: Record<string, string>) {
  return (estate: TestEstate): string =>
    estate.role('identity-pool-admin', {
      trust: trust(principal, {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': POOL },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
        },
      }),
      attached: [ADMIN_ACCESS],
    });
}

// Cognito roles trust `cognito-identity.amazonaws.com` as a Federated principal.
describe('passable roles trusted by a federated provider', () => {
  describeTechniques('Amazon Cognito identity techniques', [
    {
      technique: 'cognitoidentity-001',
      actor: {
        type: 'user',
        statements: [
          allow('iam:PassRole', ROLE, {
            Condition: {
              StringEquals: { 'iam:PassedToService': 'cognito-identity.amazonaws.com' },
            },
          }),
          allow('cognito-identity:SetIdentityPoolRoles', '*'),
        ],
      },
      setup: poolRole({ Federated: 'cognito-identity.amazonaws.com' }),
      twins: [
        'missing-permission',
        'resource-mismatch',
        'deny',
        'boundary',
        'scp',
        {
          name: 'the role trusts another identity provider',
          replaceSetup: true,
          setup: (estate) => void poolRole({ Federated: 'accounts.google.com' })(estate),
        },
      ],
    },
  ]);
});
