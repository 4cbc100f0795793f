import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  aRecord,
  iamUser,
  mapRecord,
  roleSession,
} from '../../test-support/cloudtrail.js';

const SAML_PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/corp-okta`;
const GITHUB = 'token.actions.githubusercontent.com';
const GITHUB_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB}`;
const DEPLOY_ROLE = `arn:aws:iam::${ACCOUNT}:role/github-deployer`;
const IDENTITY_STORE = 'arn:aws:identitystore::100000000001:identitystore/d-9067642ac7';

// Each userIdentity follows the CloudTrail User Guide's "CloudTrail userIdentity element" (and
// the STS/sign-in records of the IAM User Guide), with fake ids.
const CASES: readonly {
  name: string;
  record: Record<string, unknown>;
  principal: string;
  kind: string;
  accountId: string | null;
}[] = [
  {
    name: 'IAMUser: the user ARN',
    record: aRecord({ userIdentity: iamUser('dev-alice') }),
    principal: `arn:aws:iam::${ACCOUNT}:user/dev-alice`,
    kind: 'user',
    accountId: ACCOUNT,
  },
  {
    name: 'AssumedRole: the role of sessionContext.sessionIssuer, path included',
    record: aRecord({ userIdentity: roleSession('ci-deployer', 'build-42', '/automation/') }),
    principal: `arn:aws:iam::${ACCOUNT}:role/automation/ci-deployer`,
    kind: 'role',
    accountId: ACCOUNT,
  },
  {
    name: 'AssumedRole without sessionContext: the role named in the session ARN',
    record: aRecord({
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEROLEID0001:i-0abc',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app-instance/i-0abc`,
        accountId: ACCOUNT,
      },
    }),
    principal: `arn:aws:iam::${ACCOUNT}:role/app-instance`,
    kind: 'role',
    accountId: ACCOUNT,
  },
  {
    name: 'Root: the root ARN',
    record: aRecord({
      userIdentity: {
        type: 'Root',
        principalId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:root`,
        accountId: ACCOUNT,
        accessKeyId: 'ASIAEXAMPLEROOTKEY01',
      },
    }),
    principal: `arn:aws:iam::${ACCOUNT}:root`,
    kind: 'root',
    accountId: ACCOUNT,
  },
  {
    name: 'Root without an ARN: built from the account',
    record: aRecord({ userIdentity: { type: 'Root', principalId: ACCOUNT, accountId: ACCOUNT } }),
    principal: `arn:aws:iam::${ACCOUNT}:root`,
    kind: 'root',
    accountId: ACCOUNT,
  },
  {
    name: 'FederatedUser (GetFederationToken): the IAM user that issued the session',
    record: aRecord({
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      userIdentity: {
        type: 'FederatedUser',
        principalId: `${ACCOUNT}:contractor`,
        arn: `arn:aws:sts::${ACCOUNT}:federated-user/contractor`,
        accountId: ACCOUNT,
        accessKeyId: 'ASIAEXAMPLEFEDKEY001',
        sessionContext: {
          sessionIssuer: {
            type: 'IAMUser',
            principalId: 'AIDAEXAMPLEPRINCIPAL1',
            arn: `arn:aws:iam::${ACCOUNT}:user/federation-broker`,
            accountId: ACCOUNT,
            userName: 'federation-broker',
          },
        },
      },
    }),
    principal: `arn:aws:iam::${ACCOUNT}:user/federation-broker`,
    kind: 'user',
    accountId: ACCOUNT,
  },
  {
    name: 'SAMLUser (AssumeRoleWithSAML): the SAML provider of requestParameters.principalArn',
    record: aRecord({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithSAML',
      userIdentity: {
        type: 'SAMLUser',
        principalId: 'SJ6pdGm4hQxWfq6/bDnpURmUQLE=:it-admin@example.com',
        userName: 'it-admin@example.com',
        identityProvider: 'SJ6pdGm4hQxWfq6/bDnpURmUQLE=',
      },
      requestParameters: {
        roleArn: `arn:aws:iam::${ACCOUNT}:role/okta-admin`,
        roleSessionName: 'it-admin@example.com',
        principalArn: SAML_PROVIDER,
        durationSeconds: 43200,
      },
    }),
    principal: `federated:${SAML_PROVIDER}`,
    kind: 'federated',
    accountId: ACCOUNT,
  },
  {
    name: 'WebIdentityUser (AssumeRoleWithWebIdentity): the OIDC provider of responseElements',
    record: aRecord({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithWebIdentity',
      userIdentity: {
        type: 'WebIdentityUser',
        principalId: `${GITHUB_PROVIDER}:sts.amazonaws.com:repo:example/app:ref:refs/heads/main`,
        userName: 'repo:example/app:ref:refs/heads/main',
        identityProvider: GITHUB,
      },
      requestParameters: { roleArn: DEPLOY_ROLE, roleSessionName: 'GitHubActions' },
      responseElements: { provider: GITHUB_PROVIDER, audience: 'sts.amazonaws.com' },
    }),
    principal: `federated:${GITHUB_PROVIDER}`,
    kind: 'federated',
    accountId: ACCOUNT,
  },
  {
    name: 'WebIdentityUser refused (no response): the same provider, from the role account',
    record: aRecord({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithWebIdentity',
      errorCode: 'AccessDenied',
      userIdentity: {
        type: 'WebIdentityUser',
        principalId: `${GITHUB_PROVIDER}:sts.amazonaws.com:repo:attacker/fork:ref:refs/heads/x`,
        userName: 'repo:attacker/fork:ref:refs/heads/x',
        identityProvider: GITHUB,
      },
      requestParameters: { roleArn: DEPLOY_ROLE, roleSessionName: 'GitHubActions' },
    }),
    principal: `federated:${GITHUB_PROVIDER}`,
    kind: 'federated',
    accountId: ACCOUNT,
  },
  {
    name: 'WebIdentityUser of a provider built into AWS: named without an ARN',
    record: aRecord({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithWebIdentity',
      errorCode: 'AccessDenied',
      userIdentity: {
        type: 'WebIdentityUser',
        principalId: 'accounts.google.com:application-id.apps.googleusercontent.com:user-id',
        userName: 'user-id',
        identityProvider: 'accounts.google.com',
      },
      requestParameters: { roleArn: DEPLOY_ROLE, roleSessionName: 'web' },
    }),
    principal: 'federated:accounts.google.com',
    kind: 'federated',
    accountId: null,
  },
  {
    name: 'AWSService: the service that made the call',
    record: aRecord({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
      sourceIPAddress: 'lambda.amazonaws.com',
    }),
    principal: 'service:lambda.amazonaws.com',
    kind: 'service',
    accountId: null,
  },
  {
    name: 'AWSAccount (a caller from another account): the account only',
    record: aRecord({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      userIdentity: {
        type: 'AWSAccount',
        principalId: 'AIDAEXAMPLEPRINCIPAL9',
        accountId: OTHER_ACCOUNT,
      },
    }),
    principal: `account:${OTHER_ACCOUNT}`,
    kind: 'unknown',
    accountId: OTHER_ACCOUNT,
  },
  {
    name: 'IdentityCenterUser: the identity store it belongs to',
    record: aRecord({
      eventSource: 's3.amazonaws.com',
      eventName: 'GetDataAccess',
      userIdentity: {
        type: 'IdentityCenterUser',
        accountId: ACCOUNT,
        onBehalfOf: {
          userId: '544894e8-80c1-707f-60e3-3ba6510dfac1',
          identityStoreArn: IDENTITY_STORE,
        },
        credentialId: 'EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE',
      },
    }),
    principal: `federated:${IDENTITY_STORE}`,
    kind: 'federated',
    accountId: ACCOUNT,
  },
  {
    name: 'Role: the role ARN',
    record: aRecord({
      userIdentity: {
        type: 'Role',
        principalId: 'AROAEXAMPLEROLEID0001',
        arn: `arn:aws:iam::${ACCOUNT}:role/service-role/glue`,
        accountId: ACCOUNT,
      },
    }),
    principal: `arn:aws:iam::${ACCOUNT}:role/service-role/glue`,
    kind: 'role',
    accountId: ACCOUNT,
  },
  {
    name: 'no userIdentity: the account that received the record',
    record: (() => {
      const record = aRecord({ eventName: 'RotateKey', eventSource: 'kms.amazonaws.com' });
      delete record.userIdentity;
      return record;
    })(),
    principal: `account:${ACCOUNT}`,
    kind: 'unknown',
    accountId: ACCOUNT,
  },
];

describe('the principal a record acts for', () => {
  it.each(CASES)('$name', ({ record, principal, kind, accountId }) => {
    expect(mapRecord(record)?.principal).toEqual({ key: principal, kind, accountId });
  });

  it('keeps one principal per role whatever the session name', () => {
    const a = mapRecord(aRecord({ userIdentity: roleSession('ci-deployer', 'build-1') }));
    const b = mapRecord(aRecord({ userIdentity: roleSession('ci-deployer', 'build-2') }));
    expect(a?.principal.key).toBe(b?.principal.key);
  });

  it('reads the principal of a real stratus-red-team federation record the same way', () => {
    // Shape of aws.persistence.sts-federation-token: a GetFederationToken session's call.
    const event = mapRecord({
      eventName: 'GetCallerIdentity',
      eventSource: 'sts.amazonaws.com',
      eventTime: '2024-11-30T08:43:18Z',
      userIdentity: {
        accessKeyId: 'ASIAEXAMPLEFEDKEY002',
        accountId: ACCOUNT,
        arn: `arn:aws:sts::${ACCOUNT}:federated-user/stratus_red_team`,
        principalId: `${ACCOUNT}:stratus_red_team`,
        sessionContext: {
          attributes: { creationDate: '2024-11-30T08:43:17Z', mfaAuthenticated: 'false' },
          sessionIssuer: {
            accountId: ACCOUNT,
            arn: `arn:aws:iam::${ACCOUNT}:user/federation-user`,
            principalId: 'AIDAEXAMPLEPRINCIPAL2',
            type: 'IAMUser',
            userName: 'federation-user',
          },
          webIdFederationData: {},
        },
        type: 'FederatedUser',
      },
    });
    expect(event?.principal.key).toBe(`arn:aws:iam::${ACCOUNT}:user/federation-user`);
    expect(event?.accessKeyId).toBe('ASIAEXAMPLEFEDKEY002');
  });
});
