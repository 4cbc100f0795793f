import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { mapOrganization } from '../ingest/organization.js';
import type { Gap } from '../model/index.js';
import { collectOrganization } from './organization.js';

const org = mockClient(OrganizationsClient);
afterEach(() => org.reset());

// The replayed organization of the end-to-end test, read here as the SDK's outputs.
const here = dirname(fileURLToPath(import.meta.url));
const REPLAY = join(here, 'fixtures', 'replay', '111122223333', 'organizations');
const recorded = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(REPLAY, `${name}.json`), 'utf8')) as Record<string, unknown>;

function error(name: string, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

function answerEverything(): void {
  org.on(DescribeOrganizationCommand).resolves(recorded('DescribeOrganization'));
  org.on(ListRootsCommand).resolves(recorded('ListRoots'));
  org
    .on(ListAccountsForParentCommand, { ParentId: 'r-a1b2', NextToken: undefined })
    .resolves(recorded('ListAccountsForParent.r-a1b2'));
  org
    .on(ListAccountsForParentCommand, {
      ParentId: 'r-a1b2',
      NextToken: 'EXAMPLETOKENROOTACCOUNTS2',
    })
    .resolves(recorded('ListAccountsForParent.page2'));
  org
    .on(ListAccountsForParentCommand, { ParentId: 'ou-a1b2-11111111' })
    .resolves(recorded('ListAccountsForParent.ou-a1b2-11111111'));
  org
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'r-a1b2' })
    .resolves(recorded('ListOrganizationalUnitsForParent.r-a1b2'));
  org
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-a1b2-11111111' })
    .resolves(recorded('ListOrganizationalUnitsForParent.ou-a1b2-11111111'));
  org
    .on(ListPoliciesCommand, { Filter: 'SERVICE_CONTROL_POLICY' })
    .resolves(recorded('ListPolicies.SERVICE_CONTROL_POLICY'));
  org
    .on(ListPoliciesCommand, { Filter: 'RESOURCE_CONTROL_POLICY' })
    .rejects(
      error(
        'PolicyTypeNotEnabledException',
        'This operation can be performed only for enabled policy types.',
      ),
    );
  for (const id of ['p-FullAWSAccess', 'p-examplescp1']) {
    org.on(DescribePolicyCommand, { PolicyId: id }).resolves(recorded(`DescribePolicy.${id}`));
    org
      .on(ListTargetsForPolicyCommand, { PolicyId: id })
      .resolves(recorded(`ListTargetsForPolicy.${id}`));
  }
  org.on(ListDelegatedAdministratorsCommand).resolves(recorded('ListDelegatedAdministrators'));
  org
    .on(ListDelegatedServicesForAccountCommand)
    .resolves(recorded('ListDelegatedServicesForAccount.444455556666'));
}

async function collect() {
  const gaps: Gap[] = [];
  const data = await collectOrganization(org, {
    accountId: '111122223333',
    region: null,
    add: (gap) => gaps.push(gap),
  });
  return { data, gaps };
}

describe('collectOrganization', () => {
  it('walks the tree and writes the organization format the importer reads', async () => {
    answerEverything();
    const { data, gaps } = await collect();
    // RCPs not enabled: no RCPs, and nothing missing.
    expect(gaps).toEqual([]);
    expect(data?.activeAccounts.map((a) => a.id)).toEqual([
      '111122223333',
      '444455556666',
      '777788889999',
    ]);
    const part = mapOrganization(JSON.parse(JSON.stringify(data?.document)), 'organization.json');
    const organization = part.organization;
    expect(organization?.id).toBe('o-a1b2c3d4e5');
    expect(organization?.managementAccountId).toBe('111122223333');
    expect(organization?.units.map((u) => [u.id, u.parentId])).toEqual([
      ['ou-a1b2-11111111', 'r-a1b2'],
    ]);
    expect(organization?.policies.map((p) => p.name)).toEqual([
      'FullAWSAccess',
      'DenyLeaveOrganization',
    ]);
    expect(organization?.delegatedAdministrators).toEqual([
      { accountId: '444455556666', servicePrincipal: 'access-analyzer.amazonaws.com' },
    ]);
  });

  it('records an account that is not in an organization (or may not see it) as the gap "org"', async () => {
    org
      .on(DescribeOrganizationCommand)
      .rejects(
        error(
          'AWSOrganizationsNotInUseException',
          'Your account is not a member of an organization.',
        ),
      );
    const { data, gaps } = await collect();
    expect(data).toBeNull();
    expect(gaps).toEqual([
      {
        source: 'org',
        accountId: '111122223333',
        region: null,
        detail:
          'organizations:DescribeOrganization: AWS refused the call (AWSOrganizationsNotInUseException: Your account is not a member of an organization.)',
      },
    ]);
  });

  it('keeps the tree when the SCPs may not be read, with the gap org:scp', async () => {
    answerEverything();
    org
      .on(DescribePolicyCommand, { PolicyId: 'p-examplescp1' })
      .rejects(
        Object.assign(
          error('AccessDeniedException', 'You don’t have permissions to access this resource.'),
          {},
        ),
      );
    const { data, gaps } = await collect();
    expect(gaps.map((g) => `${g.source} ${g.detail.split(':')[0]}`)).toEqual([
      'org:scp organizations',
    ]);
    expect((data?.document.Policies as unknown[]).length).toBe(1);
  });
});
