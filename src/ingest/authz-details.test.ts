import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../model/index.js';
import type {
  GroupPrincipal,
  ManagedPolicy,
  Principal,
  RolePrincipal,
  UserPrincipal,
} from '../model/index.js';
import { corpusPath, describeWithCorpus } from '../test-support/corpus.js';
import { importAuthorizationDetails, mapAuthorizationDetails } from './authz-details.js';
import { buildSnapshot } from './build-snapshot.js';
import { normaliseAwsDate } from './read-input.js';
import type { SnapshotPart } from './snapshot-part.js';

const fixture = (name: string): string =>
  new URL(`./fixtures/iam/${name}`, import.meta.url).pathname;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'iamsight-authz-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function fixtureJson(name: string): Promise<Record<string, unknown[]>> {
  return JSON.parse(await readFile(fixture(name), 'utf8')) as Record<string, unknown[]>;
}

/** The InputError a promise or call rejects with (fails the test when there is none). */
async function inputErrorOf(action: () => unknown): Promise<InputError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, but the input was accepted');
}

function byType(part: SnapshotPart) {
  const principals = part.principals ?? [];
  const find = <T extends Principal>(type: T['type'], name: string): T => {
    const found = principals.find((p) => p.type === type && p.name === name);
    if (!found) throw new Error(`no ${type} ${name}`);
    return found as T;
  };
  return {
    users: principals.filter((p): p is UserPrincipal => p.type === 'user'),
    groups: principals.filter((p): p is GroupPrincipal => p.type === 'group'),
    roles: principals.filter((p): p is RolePrincipal => p.type === 'role'),
    user: (name: string) => find<UserPrincipal>('user', name),
    group: (name: string) => find<GroupPrincipal>('group', name),
    role: (name: string) => find<RolePrincipal>('role', name),
    policy: (arn: string): ManagedPolicy => {
      const found = (part.policies ?? []).find((p) => p.arn === arn);
      if (!found) throw new Error(`no policy ${arn}`);
      return found;
    },
  };
}

describe('normaliseAwsDate', () => {
  it('turns ISO and boto3-style timestamps into ISO UTC with milliseconds', () => {
    expect(normaliseAwsDate('2023-03-09T10:41:38Z')).toBe('2023-03-09T10:41:38.000Z');
    expect(normaliseAwsDate('2023-03-09 10:41:38+00:00')).toBe('2023-03-09T10:41:38.000Z');
    expect(normaliseAwsDate('2023-03-09 10:41:38.123456+00:00')).toBe('2023-03-09T10:41:38.123Z');
    expect(normaliseAwsDate('2024-01-31 23:30:00-02:00')).toBe('2024-02-01T01:30:00.000Z');
    expect(normaliseAwsDate(new Date(Date.UTC(2023, 2, 9, 10, 41, 38)))).toBe(
      '2023-03-09T10:41:38.000Z',
    );
  });

  it('refuses text that is not a real timestamp with a zone', () => {
    for (const bad of [
      '2023-02-31T00:00:00Z',
      '2023-03-09T24:00:00Z',
      '2023-03-09T10:41:38',
      'yesterday',
      '',
    ]) {
      expect(normaliseAwsDate(bad), bad).toBeNull();
    }
  });
});

describe('importAuthorizationDetails on CLI output (object documents, ISO dates)', () => {
  let part: SnapshotPart;
  beforeAll(async () => {
    part = await importAuthorizationDetails(fixture('authz-cli.json'));
  });

  it('maps users with their groups, policies, tags and boundary, and no credential facts', () => {
    const { users, user } = byType(part);
    expect(users.map((u) => u.name).sort()).toEqual(['dev-alice', 'ops-bob']);
    const alice = user('dev-alice');
    expect(alice).toMatchObject({
      arn: 'arn:aws:iam::100000000001:user/dev-alice',
      accountId: '100000000001',
      id: 'AIDAAAAAAAAAAAAAALICE',
      path: '/',
      createDate: '2023-03-09T10:41:38.000Z',
      groupNames: ['developers'],
      tags: { team: 'payments', owner: 'dev-alice@example.com' },
      attachedPolicies: [
        { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', policyName: 'ReadOnlyAccess' },
      ],
      permissionsBoundaryArn: null,
      accessKeys: null,
      loginProfile: null,
      mfaDevices: null,
    });
    expect(alice.inlinePolicies).toHaveLength(1);
    expect(alice.inlinePolicies[0]?.document).toMatchObject({
      Statement: [{ Action: 'sts:AssumeRole' }],
    });
    const bob = user('ops-bob');
    expect(bob.path).toBe('/ops/');
    expect(bob.createDate).toBe('2022-11-01T08:00:00.250Z');
    expect(bob.groupNames).toEqual(['admins', 'developers']);
    expect(bob.permissionsBoundaryArn).toBe('arn:aws:iam::100000000001:policy/ops-boundary');
  });

  it('maps groups with inline and attached policies', () => {
    const developers = byType(part).group('developers');
    expect(developers.inlinePolicies.map((p) => p.name)).toEqual(['read-artifacts']);
    expect(developers.attachedPolicies.map((p) => p.policyName)).toEqual(['deploy-artifacts']);
    expect(developers.tags).toEqual({});
  });

  it('maps roles with trust policy, last use, session length and description', () => {
    const { role } = byType(part);
    const deployer = role('ci-deployer');
    expect(deployer.trustPolicy).toMatchObject({
      Statement: [
        { Principal: { AWS: 'arn:aws:iam::100000000001:user/dev-alice' } },
        { Action: 'sts:AssumeRoleWithWebIdentity' },
      ],
    });
    expect(deployer.lastUsed).toEqual({ date: '2024-02-29T23:59:59.000Z', region: 'eu-west-1' });
    expect(deployer.maxSessionDuration).toBe(7200);
    expect(deployer.description).toBe('Assumed by the CI pipeline to deploy');
    expect(deployer.tags).toEqual({ purpose: 'deploy from CI' });
    const web = role('web-server');
    expect(web.path).toBe('/service-role/');
    expect(web.instanceProfileArns).toEqual([
      'arn:aws:iam::100000000001:instance-profile/web-server',
    ]);
    // An empty RoleLastUsed is "never used", which is known: not null.
    expect(web.lastUsed).toEqual({ date: null, region: null });
    expect(web.maxSessionDuration).toBeNull();
  });

  it('keeps every version of a managed policy and marks the default one', () => {
    const deploy = byType(part).policy('arn:aws:iam::100000000001:policy/deploy-artifacts');
    expect(deploy).toMatchObject({
      name: 'deploy-artifacts',
      accountId: '100000000001',
      isAwsManaged: false,
      defaultVersionId: 'v2',
      attachmentCount: 2,
      permissionsBoundaryUsageCount: 0,
      source: 'snapshot',
      createDate: '2023-01-10T10:00:00.000Z',
    });
    expect(deploy.versions.map((v) => [v.versionId, v.isDefault])).toEqual([
      ['v3', false],
      ['v2', true],
      ['v1', false],
    ]);
    expect(deploy.versions.find((v) => v.isDefault)?.document).toMatchObject({
      Statement: [{ Resource: 'arn:aws:s3:::build-artifacts/*' }],
    });
    const admin = byType(part).policy('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(admin).toMatchObject({ accountId: 'aws', isAwsManaged: true, source: 'snapshot' });
  });

  it('lists instance profiles and the account the file is about', () => {
    expect(part.instanceProfiles).toEqual([
      {
        arn: 'arn:aws:iam::100000000001:instance-profile/web-server',
        name: 'web-server',
        accountId: '100000000001',
        roleArns: ['arn:aws:iam::100000000001:role/service-role/web-server'],
      },
    ]);
    expect(part.accounts).toEqual([
      { id: '100000000001', name: null, sources: [fixture('authz-cli.json')] },
    ]);
    expect(part.gaps).toEqual([]);
    expect(part.notices).toEqual([]);
  });
});

describe('importAuthorizationDetails on raw API output (URL-encoded documents, boto3 dates)', () => {
  let part: SnapshotPart;
  beforeAll(async () => {
    part = await importAuthorizationDetails(fixture('authz-api-encoded.json'));
  });

  it('decodes URL-encoded trust, inline and managed policy documents', () => {
    const { role, user, policy } = byType(part);
    expect(role('cross-account-auditor').trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::100000000001:root' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    // Decoded exactly once: a literal "%" in the document survives.
    expect(user('audit-carol').inlinePolicies[0]?.document).toMatchObject({
      Statement: [{ Resource: 'arn:aws:logs:eu-west-1:100000000002:log-group:audit %/*' }],
    });
    const extra = policy('arn:aws:iam::100000000002:policy/batch-extra');
    expect(extra.versions.map((v) => [v.versionId, v.isDefault, v.document])).toEqual([
      [
        'v2',
        true,
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }],
        },
      ],
      [
        'v1',
        false,
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] },
      ],
    ]);
  });

  it('normalises boto3-style dates, fractions and offsets to ISO UTC', () => {
    const { role, user, policy } = byType(part);
    expect(user('audit-carol').createDate).toBe('2023-03-09T10:41:38.000Z');
    expect(role('batch-worker').createDate).toBe('2023-03-10T08:00:00.123Z');
    expect(role('cross-account-auditor').lastUsed).toEqual({
      date: '2024-02-01T01:30:00.000Z',
      region: 'us-east-1',
    });
    expect(policy('arn:aws:iam::100000000002:policy/batch-extra').updateDate).toBe(
      '2023-04-01T09:15:00.000Z',
    );
  });

  it('gives each file its own account', () => {
    expect(part.accounts?.map((a) => a.id)).toEqual(['100000000002']);
    expect(part.instanceProfiles?.map((p) => p.roleArns)).toEqual([
      ['arn:aws:iam::100000000002:role/batch-worker'],
    ]);
  });
});

describe('several authorization-details files together', () => {
  it('give one snapshot with each account and its principals', async () => {
    const snapshot = await buildSnapshot([
      await importAuthorizationDetails(fixture('authz-cli.json')),
      await importAuthorizationDetails(fixture('authz-api-encoded.json')),
    ]);
    expect(snapshot.accounts.map((a) => [a.id, a.sources.length])).toEqual([
      ['100000000001', 1],
      ['100000000002', 1],
    ]);
    expect(snapshot.principals.map((p) => `${p.accountId} ${p.type} ${p.name}`)).toEqual([
      '100000000001 group admins',
      '100000000001 group developers',
      '100000000001 role ci-deployer',
      '100000000001 role web-server',
      '100000000001 user dev-alice',
      '100000000001 user ops-bob',
      '100000000002 role batch-worker',
      '100000000002 role cross-account-auditor',
      '100000000002 user audit-carol',
    ]);
    expect(snapshot.instanceProfiles).toHaveLength(2);
    expect(snapshot.notices).toEqual([]);
  });
});

describe('mapAuthorizationDetails edge cases', () => {
  it('deduplicates instance profiles listed under several roles', async () => {
    const json = await fixtureJson('authz-cli.json');
    const roles = json.RoleDetailList as { InstanceProfileList: unknown[] }[];
    roles[0]!.InstanceProfileList = structuredClone(roles[1]!.InstanceProfileList);
    const part = mapAuthorizationDetails(json, 'two-roles.json');
    expect(part.instanceProfiles).toHaveLength(1);
    expect(part.instanceProfiles?.[0]?.roleArns).toEqual([
      'arn:aws:iam::100000000001:role/ci-deployer',
      'arn:aws:iam::100000000001:role/service-role/web-server',
    ]);
  });

  it('records a gap for each list the file lacks (e.g. aws ... --filter Role)', async () => {
    const json = await fixtureJson('authz-cli.json');
    const part = mapAuthorizationDetails({ RoleDetailList: json.RoleDetailList }, 'roles.json');
    expect(part.principals?.every((p) => p.type === 'role')).toBe(true);
    expect(part.gaps?.map((g) => [g.accountId, g.detail.split(':')[0]])).toEqual([
      ['100000000001', 'roles.json has no UserDetailList (was --filter used?)'],
      ['100000000001', 'roles.json has no GroupDetailList (was --filter used?)'],
      ['100000000001', 'roles.json has no Policies (was --filter used?)'],
    ]);
  });

  it('notes when the file is only one page of the API response', async () => {
    const json = { ...(await fixtureJson('authz-api-encoded.json')), IsTruncated: true };
    const part = mapAuthorizationDetails(json, 'page-1.json');
    expect(part.notices?.[0]?.detail).toMatch(/IsTruncated is true/);
  });

  it('accepts documents given as plain JSON text, as some tools write them', async () => {
    const json = await fixtureJson('authz-cli.json');
    const role = json.RoleDetailList?.[1] as Record<string, unknown>;
    role.AssumeRolePolicyDocument = JSON.stringify(role.AssumeRolePolicyDocument);
    const part = mapAuthorizationDetails(json, 'text-docs.json');
    expect(byType(part).role('web-server').trustPolicy).toMatchObject({
      Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }],
    });
  });
});

describe('importAuthorizationDetails rejects bad input with the file, the place and what was expected', () => {
  it('a policy document that is not JSON, naming its JSON path', async () => {
    const file = fixture('authz-bad-trust-document.json');
    const error = await inputErrorOf(() => importAuthorizationDetails(file));
    expect(error.file).toBe(file);
    expect(error.location).toBe('$.RoleDetailList[3].AssumeRolePolicyDocument');
    expect(error.expected).toMatch(/^expected a JSON policy document/);
    expect(error.message).toContain('%7B%22Version');
  });

  it('a file cut off mid-way, with the line where it ends', async () => {
    const text = await readFile(fixture('authz-cli.json'), 'utf8');
    const inString = text.indexOf('"deploy-artifacts"') + 5;
    for (const cut of [Math.floor(text.length / 2), Math.floor(text.length / 3), inString]) {
      const file = join(tmp, `truncated-${cut}.json`);
      await writeFile(file, text.slice(0, cut));
      const error = await inputErrorOf(() => importAuthorizationDetails(file));
      expect(error.location, `cut at ${cut}`).toMatch(/^line \d+, column \d+$/);
      expect(error.expected, `cut at ${cut}`).toMatch(/truncated/);
    }
  });

  it('a top level that is not authorization details', async () => {
    for (const [name, content, found] of [
      ['array.json', '[{"UserName": "dev-alice"}]', 'an array'],
      ['other.json', '{"Users": [], "Roles": []}', '"Users, Roles"'],
      ['string.json', '"UserDetailList"', '"UserDetailList"'],
    ] as const) {
      const file = join(tmp, name);
      await writeFile(file, content);
      const error = await inputErrorOf(() => importAuthorizationDetails(file));
      expect(error.location).toBe('$');
      expect(error.expected).toContain(
        'expected the output of aws iam get-account-authorization-details: an object with ' +
          'UserDetailList, GroupDetailList, RoleDetailList and Policies',
      );
      expect(error.expected).toContain(found);
    }
  });

  it('shapes the importer relies on: dates, ARNs, default versions, document size', async () => {
    const cases: [string, (json: Record<string, unknown[]>) => void, string, RegExp][] = [
      [
        'unparsable date',
        (json) => Object.assign(json.UserDetailList![0]!, { CreateDate: 'last tuesday' }),
        '$.UserDetailList[0].CreateDate',
        /expected a date such as 2023-03-09T10:41:38Z/,
      ],
      [
        'name that is not the one in the ARN',
        (json) => Object.assign(json.RoleDetailList![0]!, { RoleName: 'innocent-looking' }),
        '$.RoleDetailList[0].Arn',
        /expected an ARN ending in the RoleName "innocent-looking"/,
      ],
      [
        'group ARN in the role list',
        (json) =>
          Object.assign(json.RoleDetailList![0]!, {
            Arn: 'arn:aws:iam::100000000001:group/ci-deployer',
          }),
        '$.RoleDetailList[0].Arn',
        /expected an IAM role ARN/,
      ],
      [
        'default version absent',
        (json) => Object.assign(json.Policies![0]!, { DefaultVersionId: 'v9' }),
        '$.Policies[0].PolicyVersionList',
        /expected the default version "v9" among the versions/,
      ],
      [
        'two versions marked default',
        (json) =>
          Object.assign(
            (json.Policies![0] as { PolicyVersionList: object[] }).PolicyVersionList[0]!,
            {
              IsDefaultVersion: true,
            },
          ),
        '$.Policies[0].PolicyVersionList[0].IsDefaultVersion',
        /expected only DefaultVersionId "v2" to be marked default/,
      ],
      [
        'policy document over the size bound',
        (json) =>
          Object.assign(json.RoleDetailList![0]!, {
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Sid: 'x'.repeat(1100 * 1024) }],
            },
          }),
        '$.RoleDetailList[0].AssumeRolePolicyDocument',
        /expected a policy document of at most 1048576 characters \(found 1126\d{3} characters\)/,
      ],
      [
        'policy document that is a JSON array',
        (json) => Object.assign(json.RoleDetailList![0]!, { AssumeRolePolicyDocument: '%5B%5D' }),
        '$.RoleDetailList[0].AssumeRolePolicyDocument',
        /expected a JSON policy document/,
      ],
      [
        'trust policy missing',
        (json) =>
          delete (json.RoleDetailList![1] as Record<string, unknown>).AssumeRolePolicyDocument,
        '$.RoleDetailList[1].AssumeRolePolicyDocument',
        /expected a JSON policy document.*found nothing/,
      ],
      [
        'list of the wrong type',
        (json) => Object.assign(json, { GroupDetailList: { admins: {} } }),
        '$.GroupDetailList',
        /expected array/,
      ],
    ];
    for (const [story, change, location, expected] of cases) {
      const json = await fixtureJson('authz-cli.json');
      change(json);
      const error = await inputErrorOf(() => mapAuthorizationDetails(json, 'authz.json'));
      expect(error.location, story).toBe(location);
      expect(error.expected, story).toMatch(expected);
    }
  });

  it('a file over the size limit, refused from its size alone', async () => {
    // 600 MB of holes: reading it would fail differently (a string that long cannot exist).
    const file = join(tmp, 'huge.json');
    await writeFile(file, '');
    await truncate(file, 600 * 1024 * 1024);
    const started = performance.now();
    const error = await inputErrorOf(() => importAuthorizationDetails(file));
    expect(error.expected).toMatch(/^is 600 MiB, over the 256 MiB limit for one input file/);
    expect(performance.now() - started).toBeLessThan(1000);
    const small = await inputErrorOf(() =>
      importAuthorizationDetails(fixture('authz-cli.json'), { maxBytes: 1024 }),
    );
    expect(small.expected).toMatch(/over the 1024 bytes limit/);
  });
});

describeWithCorpus('authorization details from cloudsplaining', ['cloudsplaining'], () => {
  const vulnerable = corpusPath(
    'cloudsplaining',
    'iam-vulnerable-account-authorization-details.json',
  );

  it('imports the iam-vulnerable account completely', async () => {
    const part = await importAuthorizationDetails(vulnerable);
    const { users, groups, roles, user, role, policy } = byType(part);
    expect([users.length, groups.length, roles.length, part.policies?.length]).toEqual([
      41, 3, 75, 56,
    ]);
    expect(part.accounts?.map((a) => a.id)).toEqual(['200611803367']);

    expect(user('privesc-sre-user').groupNames).toEqual(['privesc-sre-group']);
    expect(user('fn1-privesc3-partial-user').createDate).toBe('2023-03-09T10:41:45.000Z');

    const service = role('privesc-high-priv-service-role');
    const principal = (service.trustPolicy.Statement as { Principal: { Service: string[] } }[])[0]
      ?.Principal;
    expect(principal?.Service).toContain('ec2.amazonaws.com');
    expect(principal?.Service).toHaveLength(10);
    expect(service.instanceProfileArns).toEqual([
      'arn:aws:iam::200611803367:instance-profile/privesc-high-priv-service-profile',
    ]);
    expect(service.attachedPolicies.map((p) => p.policyName)).toEqual([
      'privesc-high-priv-service-policy',
      'AmazonSSMManagedInstanceCore',
    ]);
    expect(role('AWS-QuickSetup-StackSet-Local-ExecutionRole').trustPolicy).toMatchObject({
      Statement: [
        {
          Principal: {
            AWS: 'arn:aws:iam::200611803367:role/AWS-QuickSetup-StackSet-Local-AdministrationRole',
          },
        },
      ],
    });
    expect(roles.filter((r) => r.lastUsed?.date).length).toBe(25);
    expect(roles.filter((r) => Object.keys(r.tags).length > 0).length).toBe(16);

    expect(policy('arn:aws:iam::aws:policy/ReadOnlyAccess')).toMatchObject({
      isAwsManaged: true,
      accountId: 'aws',
      updateDate: '2023-03-13T18:25:39.000Z',
    });
    expect(part.policies?.filter((p) => p.isAwsManaged)).toHaveLength(12);
    expect(part.instanceProfiles).toHaveLength(1);
    expect(part.gaps).toEqual([]);
  });

  it('imports the teaching example, with a policy of two versions', async () => {
    const part = await importAuthorizationDetails(
      corpusPath('cloudsplaining', 'example-authz-details.json'),
    );
    const { users, groups, roles, user, role, policy } = byType(part);
    expect([users.length, groups.length, roles.length, part.policies?.length]).toEqual([
      3, 2, 3, 32,
    ]);
    expect(user('obama').groupNames).toEqual(['admin']);
    expect(role('OverprivilegedEC2').lastUsed).toEqual({
      date: '2019-01-20T18:48:00.000Z',
      region: 'us-east-1',
    });
    const codeCommit = policy('arn:aws:iam::aws:policy/AWSCodeCommitPowerUser');
    expect(codeCommit.versions.map((v) => [v.versionId, v.isDefault])).toEqual([
      ['v11', true],
      ['v10', false],
    ]);
  });

  it('imports every authorization-details file in the folder and refuses the others', async () => {
    const names = (await readdir(corpusPath('cloudsplaining'))).filter((n) => n.endsWith('.json'));
    let imported = 0;
    for (const name of names) {
      const file = corpusPath('cloudsplaining', name);
      const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      if ('RoleDetailList' in json || 'UserDetailList' in json) {
        const part = await importAuthorizationDetails(file);
        expect(part.principals?.length, name).toBeGreaterThan(0);
        imported += 1;
      } else {
        const error = await inputErrorOf(() => importAuthorizationDetails(file));
        expect(error.location, name).toBe('$');
      }
    }
    expect(imported).toBeGreaterThanOrEqual(2);
  });
});
