import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  GetSAMLProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { mapConfigItems } from '../ingest/aws-config.js';
import { mapAuthorizationDetails } from '../ingest/authz-details.js';
import { mapCredentialReport } from '../ingest/credential-report.js';
import type { Gap } from '../model/index.js';
import { collectIam } from './iam.js';

const iam = mockClient(IAMClient);
afterEach(() => iam.reset());

const ACCOUNT = '111122223333';
const encode = (document: object): string => encodeURIComponent(JSON.stringify(document));
const TRUST = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
};

/** Two pages of GetAccountAuthorizationDetails as the SDK returns them (URL-encoded documents, Dates). */
const PAGE_1 = {
  IsTruncated: true,
  Marker: 'EXAMPLEMARKER',
  UserDetailList: [
    {
      UserName: 'dev-alice',
      UserId: 'AIDAEXAMPLEDEVALICE1',
      Arn: `arn:aws:iam::${ACCOUNT}:user/dev-alice`,
      Path: '/',
      CreateDate: new Date('2025-03-09T10:41:38Z'),
      GroupList: [],
      AttachedManagedPolicies: [],
      UserPolicyList: [],
      Tags: [],
    },
  ],
  GroupDetailList: [],
  RoleDetailList: [],
  Policies: [],
};
const PAGE_2 = {
  IsTruncated: false,
  UserDetailList: [],
  GroupDetailList: [],
  RoleDetailList: [
    {
      RoleName: 'rotate-db-role',
      RoleId: 'AROAEXAMPLEROTATEDB1',
      Arn: `arn:aws:iam::${ACCOUNT}:role/rotate-db-role`,
      Path: '/',
      CreateDate: new Date('2025-03-01T00:00:00Z'),
      AssumeRolePolicyDocument: encode(TRUST),
      InstanceProfileList: [],
      RolePolicyList: [],
      AttachedManagedPolicies: [],
      Tags: [],
      RoleLastUsed: { LastUsedDate: new Date('2026-11-20T00:00:00Z'), Region: 'eu-west-1' },
    },
  ],
  Policies: [],
};
const REPORT = [
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
  `<root_account>,arn:aws:iam::${ACCOUNT}:root,2024-11-02T08:00:00+00:00,not_supported,no_information,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  `dev-alice,arn:aws:iam::${ACCOUNT}:user/dev-alice,2025-03-09T10:41:38+00:00,true,2026-11-23T17:12:00+00:00,2025-03-09T10:45:00+00:00,N/A,false,true,2025-03-09T10:50:00+00:00,2026-11-22T09:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
].join('\n');

function accessDenied(action: string): Error {
  return Object.assign(
    new Error(`User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: ${action}`),
    { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } },
  );
}

function run(options: { polls?: number } = {}) {
  const gaps: Gap[] = [];
  const sleeps: number[] = [];
  const result = collectIam(
    iam,
    { accountId: ACCOUNT, region: null, add: (gap) => gaps.push(gap) },
    {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      now: () => new Date('2026-11-24T08:00:00Z'),
      ...(options.polls ? { reportPolls: options.polls } : {}),
    },
  );
  return { result, gaps, sleeps };
}

function answerEverything(): void {
  iam.on(GetAccountAuthorizationDetailsCommand, { Marker: undefined }).resolves(PAGE_1);
  iam.on(GetAccountAuthorizationDetailsCommand, { Marker: 'EXAMPLEMARKER' }).resolves(PAGE_2);
  iam
    .on(GenerateCredentialReportCommand)
    .resolvesOnce({ State: 'STARTED' })
    .resolvesOnce({ State: 'INPROGRESS' })
    .resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({
    Content: new TextEncoder().encode(REPORT),
    ReportFormat: 'text/csv',
  });
  iam.on(ListSAMLProvidersCommand).resolves({
    SAMLProviderList: [
      {
        Arn: `arn:aws:iam::${ACCOUNT}:saml-provider/okta`,
        ValidUntil: new Date('2027-01-01T00:00:00Z'),
      },
    ],
  });
  iam.on(GetSAMLProviderCommand).resolves({
    SAMLMetadataDocument: '<md:EntityDescriptor/>',
    ValidUntil: new Date('2027-01-01T00:00:00Z'),
    CreateDate: new Date('2025-01-01T00:00:00Z'),
  });
  iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: [] });
}

describe('collectIam', () => {
  it('merges every page of the authorization details into the document the importer reads', async () => {
    answerEverything();
    const { result, gaps } = run();
    const data = await result;
    expect(gaps).toEqual([]);
    const part = mapAuthorizationDetails(JSON.parse(JSON.stringify(data.authz)), 'authz.json');
    expect(part.principals?.map((p) => p.arn)).toEqual([
      `arn:aws:iam::${ACCOUNT}:user/dev-alice`,
      `arn:aws:iam::${ACCOUNT}:role/rotate-db-role`,
    ]);
    const role = part.principals?.find((p) => p.type === 'role');
    expect(role && role.type === 'role' ? role.trustPolicy : null).toEqual(TRUST);
    expect(role && role.type === 'role' ? role.lastUsed : null).toEqual({
      date: '2026-11-20T00:00:00.000Z',
      region: 'eu-west-1',
    });
  });

  it('generates the credential report, waits until it is complete and decodes it', async () => {
    answerEverything();
    const { result, sleeps } = run();
    const data = await result;
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(3);
    expect(sleeps).toEqual([2000, 2000]);
    const part = mapCredentialReport(data.credentialReport ?? '', 'credential-report.csv');
    expect(part.credentialReports?.[0]?.rows.map((r) => r.user)).toEqual([
      '<root_account>',
      'dev-alice',
    ]);
  });

  it('writes identity providers as configuration items without the SAML metadata', async () => {
    answerEverything();
    const data = await run().result;
    const part = mapConfigItems(JSON.parse(JSON.stringify(data.items)) as unknown[], 'x.json');
    expect(part.identityProviders).toEqual([
      {
        arn: `arn:aws:iam::${ACCOUNT}:saml-provider/okta`,
        accountId: ACCOUNT,
        kind: 'saml',
        url: null,
        clientIds: [],
        validUntil: '2027-01-01T00:00:00.000Z',
      },
    ]);
    expect(JSON.stringify(data.items)).not.toContain('EntityDescriptor');
  });

  it('records AccessDenied on the credential report as its gap and keeps the rest', async () => {
    answerEverything();
    iam.on(GenerateCredentialReportCommand).rejects(accessDenied('iam:GenerateCredentialReport'));
    const { result, gaps } = run();
    const data = await result;
    expect(data.credentialReport).toBeNull();
    expect(data.authz).not.toBeNull();
    expect(gaps).toEqual([
      {
        source: 'iam:credential-report',
        accountId: ACCOUNT,
        region: null,
        detail: `iam:GenerateCredentialReport: access denied (AccessDenied: User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iam:GenerateCredentialReport)`,
      },
    ]);
  });

  it('records AccessDenied on the authorization details as their gap', async () => {
    answerEverything();
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(accessDenied('iam:GetAccountAuthorizationDetails'));
    const { result, gaps } = run();
    const data = await result;
    expect(data.authz).toBeNull();
    expect(gaps.map((g) => g.source)).toEqual(['iam:authorization-details']);
  });

  it('gives up on a report that never completes, with a gap that says so', async () => {
    answerEverything();
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const { result, gaps } = run({ polls: 3 });
    expect((await result).credentialReport).toBeNull();
    expect(gaps.map((g) => g.detail)).toEqual([
      'iam:GenerateCredentialReport: the report was still INPROGRESS after 3 checks',
    ]);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(0);
  });
});
