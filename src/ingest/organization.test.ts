import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OrgPolicy } from '../model/index.js';
import { InputError } from '../model/index.js';
import { repoRoot } from '../test-support/corpus.js';
import { importOrganization, mapOrganization } from './organization.js';
import type { SnapshotPart } from './snapshot-part.js';

const orgFile = join(repoRoot, 'src', 'ingest', 'fixtures', 'org', 'organization.json');

interface OrgJson {
  Roots: Record<string, unknown>[];
  OrganizationalUnits: { Id: string; Name: string; ParentId: string }[];
  Accounts: { Id: string; ParentId: string }[];
  Policies: { PolicySummary: Record<string, unknown>; Content: unknown; Targets: unknown[] }[];
  Organization: Record<string, unknown>;
}

/** A fresh, mutable copy of the fixture organization. */
function anOrganization(): OrgJson {
  return JSON.parse(readFileSync(orgFile, 'utf8')) as OrgJson;
}

function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

function policyNamed(part: SnapshotPart, name: string): OrgPolicy {
  const policy = part.organization?.policies.find((candidate) => candidate.name === name);
  if (!policy) throw new Error(`no policy ${name}`);
  return policy;
}

describe('importOrganization: the o-11111111 fixture', async () => {
  const part = await importOrganization(orgFile);
  const org = part.organization;

  it('reads the organization, its one root and its nested OUs', () => {
    expect(org).toMatchObject({
      id: 'o-11111111',
      arn: 'arn:aws:organizations::100000000001:organization/o-11111111',
      managementAccountId: '100000000001',
      rootId: 'r-ab12',
    });
    expect(org?.units).toEqual([
      { id: 'ou-ab12-11111111', name: 'Workloads', parentId: 'r-ab12' },
      { id: 'ou-ab12-22222222', name: 'Prod', parentId: 'ou-ab12-11111111' },
      { id: 'ou-ab12-33333333', name: 'Sandbox', parentId: 'r-ab12' },
    ]);
  });

  it('reads the accounts with their parents, and State where Status is absent', () => {
    expect(org?.accounts).toEqual([
      {
        id: '100000000001',
        name: 'management',
        email: 'aws-management@example.com',
        status: 'ACTIVE',
        parentId: 'r-ab12',
      },
      {
        id: '100000000002',
        name: 'orders-prod',
        email: 'orders-prod@example.com',
        status: 'ACTIVE',
        parentId: 'ou-ab12-22222222',
      },
      {
        id: '100000000003',
        name: 'analytics',
        email: 'analytics@example.com',
        status: 'ACTIVE',
        parentId: 'ou-ab12-11111111',
      },
      {
        id: '100000000004',
        name: 'sandbox-dev',
        email: 'sandbox-dev@example.com',
        status: 'SUSPENDED',
        parentId: 'ou-ab12-33333333',
      },
    ]);
    expect(part.accounts).toEqual(
      ['management', 'orders-prod', 'analytics', 'sandbox-dev'].map((name, index) => ({
        id: `10000000000${index + 1}`,
        name,
        sources: [orgFile],
      })),
    );
  });

  it('reads SCPs and RCPs with their documents and targets, AWS managed ones included', () => {
    expect(org?.policies.map((policy) => [policy.name, policy.type, policy.awsManaged])).toEqual([
      ['FullAWSAccess', 'SERVICE_CONTROL_POLICY', true],
      ['WorkloadsGuardrails', 'SERVICE_CONTROL_POLICY', false],
      ['RCPFullAWSAccess', 'RESOURCE_CONTROL_POLICY', true],
      ['EnforceOrgIdentities', 'RESOURCE_CONTROL_POLICY', false],
    ]);
    expect(policyNamed(part, 'FullAWSAccess')).toMatchObject({
      id: 'p-FullAWSAccess',
      arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
      document: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    });
    expect(policyNamed(part, 'FullAWSAccess').targetIds).toContain('r-ab12');
    const guardrails = policyNamed(part, 'WorkloadsGuardrails');
    expect(guardrails.targetIds).toEqual(['ou-ab12-11111111']);
    expect(guardrails.document.Statement).toEqual([
      expect.objectContaining({ Sid: 'DenyLeaveOrganization', Effect: 'Deny' }),
      expect.objectContaining({ Sid: 'DenyOutsideApprovedRegions', NotAction: expect.any(Array) }),
      expect.objectContaining({ Sid: 'ProtectSecurityRoles' }),
    ]);
    // Content given as an object rather than JSON text.
    expect(policyNamed(part, 'EnforceOrgIdentities').document).toMatchObject({
      Statement: [{ Sid: 'EnforceOrgIdentities', Effect: 'Deny', Principal: '*' }],
    });
  });

  it('skips other policy types with a notice', () => {
    expect(part.notices).toEqual([
      {
        file: orgFile,
        detail:
          'skipped policy CostCenterTags (p-95tagpol) of type TAG_POLICY: iamsight evaluates only service and resource control policies',
      },
    ]);
  });

  it('lists one delegated administrator entry per service', () => {
    expect(org?.delegatedAdministrators).toEqual([
      { accountId: '100000000003', servicePrincipal: 'access-analyzer.amazonaws.com' },
      { accountId: '100000000003', servicePrincipal: 'guardduty.amazonaws.com' },
    ]);
  });
});

describe('mapOrganization: invalid organizations', () => {
  it('requires exactly one root', () => {
    const two = anOrganization();
    two.Roots.push({ Id: 'r-cd34', Name: 'Other' });
    const error = inputErrorOf(() => mapOrganization(two, 'org.json'));
    expect(error.location).toBe('$.Roots');
    expect(error.expected).toBe('expected exactly one root (found 2)');
    const none = anOrganization();
    none.Roots = [];
    expect(inputErrorOf(() => mapOrganization(none, 'org.json')).expected).toContain('(found 0)');
  });

  it('names an OU whose ParentId is neither the root nor a known OU', () => {
    const org = anOrganization();
    const prod = org.OrganizationalUnits[1];
    if (prod) prod.ParentId = 'ou-ab12-99999999';
    const error = inputErrorOf(() => mapOrganization(org, 'org.json'));
    expect(error.location).toBe('$.OrganizationalUnits[1].ParentId');
    expect(error.expected).toContain('"ou-ab12-99999999"');
  });

  it('names an account whose ParentId is unknown', () => {
    const org = anOrganization();
    const analytics = org.Accounts[2];
    if (analytics) analytics.ParentId = 'ou-ab12-44444444';
    expect(inputErrorOf(() => mapOrganization(org, 'org.json')).location).toBe(
      '$.Accounts[2].ParentId',
    );
  });

  it('rejects OUs whose parents form a cycle', () => {
    const org = anOrganization();
    const workloads = org.OrganizationalUnits[0];
    if (workloads) workloads.ParentId = 'ou-ab12-22222222';
    const error = inputErrorOf(() => mapOrganization(org, 'org.json'));
    expect(error.location).toBe('$.OrganizationalUnits[1].ParentId');
    expect(error.expected).toContain(
      'cycle: ou-ab12-11111111 → ou-ab12-22222222 → ou-ab12-11111111',
    );
  });

  it('names a policy whose Content is not JSON, or not a JSON object', () => {
    const org = anOrganization();
    const guardrails = org.Policies[1];
    if (guardrails) guardrails.Content = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny",';
    const error = inputErrorOf(() => mapOrganization(org, 'org.json'));
    expect(error.location).toBe('$.Policies[1].Content');
    expect(error.expected).toContain('expected the policy document as JSON text');
    if (guardrails) guardrails.Content = '["not", "a", "policy"]';
    expect(inputErrorOf(() => mapOrganization(org, 'org.json')).expected).toContain(
      'a policy document (a JSON object)',
    );
  });

  it('names a missing management account and a repeated OU', () => {
    const org = anOrganization();
    delete org.Organization.MasterAccountId;
    const error = inputErrorOf(() => mapOrganization(org, 'org.json'));
    expect(error.location).toBe('$.Organization.MasterAccountId');
    expect(error.expected).toContain('12-digit AWS account id');
    const repeated = anOrganization();
    const sandbox = repeated.OrganizationalUnits[2];
    if (sandbox) repeated.OrganizationalUnits.push({ ...sandbox });
    expect(inputErrorOf(() => mapOrganization(repeated, 'org.json')).location).toBe(
      '$.OrganizationalUnits[3].Id',
    );
  });

  it('notes a policy attached to something the file does not list', () => {
    const org = anOrganization();
    org.Policies[1]?.Targets.push({ TargetId: '100000000009', Type: 'ACCOUNT' });
    const part = mapOrganization(org, 'org.json');
    expect(part.notices?.map((notice) => notice.detail)).toContain(
      'policy WorkloadsGuardrails (p-7k2m9x4q) is attached to 100000000009, which is not the root, an OU or an account of the file',
    );
  });

  it('reports a truncated file as such', async () => {
    const text = readFileSync(orgFile, 'utf8');
    const file = join(mkdtempSync(join(tmpdir(), 'iamsight-org-')), 'organization.json');
    // Cut after a member, as an interrupted download would.
    writeFileSync(file, text.slice(0, text.lastIndexOf(',\n', text.length / 2) + 1));
    await expect(importOrganization(file)).rejects.toThrow(/truncated/);
  });
});
