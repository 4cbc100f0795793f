/**
 * A small builder of test estates: IAM entities are written as `get-account-authorization-details`
 * JSON and imported by the real importer; resources, organization data, keys and passwords are
 * model data (their importers are tested on their own formats elsewhere).
 */
import { mapAuthorizationDetails } from '../ingest/authz-details.js';
import { resolveAwsManagedPolicies } from '../ingest/aws-managed-policies.js';
import { buildSnapshot } from '../ingest/build-snapshot.js';
import type { SnapshotPart } from '../ingest/snapshot-part.js';
import type { Organization, OrgPolicy, Resource, Snapshot } from '../model/index.js';

export type Doc = Record<string, unknown>;
export type Statement = Record<string, unknown>;

/** A policy document of these statements. */
export function doc(...statements: Statement[]): Doc {
  return { Version: '2012-10-17', Statement: statements };
}

/** An Allow statement. */
export function allow(
  action: string | string[],
  resource: string | string[] = '*',
  extra: Statement = {},
): Statement {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}

/** A Deny statement. */
export function deny(
  action: string | string[],
  resource: string | string[] = '*',
  extra: Statement = {},
): Statement {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}

/** A trust policy admitting these principals to sts:AssumeRole. */
export function trust(
  principal: Record<string, string | string[]> | '*',
  extra: Statement = {},
): Doc {
  return doc({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });
}

export const ADMIN_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

interface EntityOptions {
  /** Inline policies. */
  readonly inline?: readonly Doc[];
  /** Managed policy ARNs (customer ones must be added with {@link TestEstate.policy}). */
  readonly attached?: readonly string[];
  readonly boundary?: string;
}

interface UserOptions extends EntityOptions {
  readonly groups?: readonly string[];
  /** Number of access keys (unknown when absent). */
  readonly keys?: number;
  /** Whether the user has a console password (unknown when absent). */
  readonly password?: boolean;
}

interface RoleOptions extends EntityOptions {
  readonly trust: Doc;
  readonly path?: string;
  readonly instanceProfile?: boolean;
  /**
   * RoleLastUsed: a date, `never` (an empty RoleLastUsed: not used in the 400 days IAM tracks),
   * or absent (not collected: the role's use is unknown, so it is never judged unused).
   */
  readonly lastUsed?: string | 'never';
}

let counter = 0;
function id(prefix: string): string {
  counter += 1;
  return `${prefix}${String(counter).padStart(17, '0')}`;
}

export class TestEstate {
  private readonly users: Doc[] = [];
  private readonly roles: Doc[] = [];
  private readonly groups: Doc[] = [];
  private readonly policies: Doc[] = [];
  private readonly resources: Resource[] = [];
  private readonly scps: { document: Doc; target: 'root' | 'account' }[] = [];
  private readonly credentials = new Map<string, { keys?: number; password?: boolean }>();

  constructor(readonly accountId = '111122223333') {}

  arn(kind: 'user' | 'role' | 'group' | 'policy', name: string): string {
    return `arn:aws:iam::${this.accountId}:${kind}/${name}`;
  }

  get root(): string {
    return `arn:aws:iam::${this.accountId}:root`;
  }

  user(name: string, options: UserOptions = {}): string {
    const arn = this.arn('user', name);
    this.users.push({
      Path: '/',
      UserName: name,
      UserId: id('AIDA'),
      Arn: arn,
      CreateDate: '2024-01-01T00:00:00Z',
      GroupList: [...(options.groups ?? [])],
      ...this.entity(name, options, 'UserPolicyList'),
    });
    this.credentials.set(arn, {
      ...(options.keys !== undefined ? { keys: options.keys } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    });
    return arn;
  }

  role(name: string, options: RoleOptions): string {
    const path = options.path ?? '/';
    this.roles.push({
      Path: path,
      RoleName: name,
      RoleId: id('AROA'),
      Arn: `arn:aws:iam::${this.accountId}:role${path}${name}`,
      CreateDate: '2024-01-01T00:00:00Z',
      AssumeRolePolicyDocument: options.trust,
      InstanceProfileList: options.instanceProfile
        ? [
            {
              Path: '/',
              InstanceProfileName: name,
              InstanceProfileId: id('AIPA'),
              Arn: `arn:aws:iam::${this.accountId}:instance-profile/${name}`,
              CreateDate: '2024-01-01T00:00:00Z',
              Roles: [],
            },
          ]
        : [],
      ...(options.lastUsed === undefined
        ? {}
        : {
            RoleLastUsed:
              options.lastUsed === 'never'
                ? {}
                : { LastUsedDate: options.lastUsed, Region: 'us-east-1' },
          }),
      ...this.entity(name, options, 'RolePolicyList'),
    });
    return `arn:aws:iam::${this.accountId}:role${path}${name}`;
  }

  group(name: string, options: EntityOptions = {}): string {
    this.groups.push({
      Path: '/',
      GroupName: name,
      GroupId: id('AGPA'),
      Arn: this.arn('group', name),
      CreateDate: '2024-01-01T00:00:00Z',
      ...this.entity(name, options, 'GroupPolicyList'),
    });
    return this.arn('group', name);
  }

  /** A customer managed policy; `versions` in order, the default last unless `defaultVersion`. */
  policy(name: string, versions: readonly Doc[], defaultVersion = versions.length): string {
    const arn = this.arn('policy', name);
    this.policies.push({
      PolicyName: name,
      PolicyId: id('ANPA'),
      Arn: arn,
      Path: '/',
      DefaultVersionId: `v${defaultVersion}`,
      AttachmentCount: 1,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: '2024-01-01T00:00:00Z',
      UpdateDate: '2024-01-01T00:00:00Z',
      PolicyVersionList: versions.map((document, i) => ({
        Document: document,
        VersionId: `v${i + 1}`,
        IsDefaultVersion: i + 1 === defaultVersion,
        CreateDate: '2024-01-01T00:00:00Z',
      })),
    });
    return arn;
  }

  /** A resource that runs with `role` (execution role, instance profile role, ...). */
  resource(type: string, arn: string, options: { role?: string; policy?: Doc } = {}): string {
    const name = arn.split(/[:/]/).pop() ?? arn;
    this.resources.push({
      arn,
      type,
      accountId: this.accountId,
      region: 'us-east-1',
      name,
      policy: options.policy ?? null,
      roleArns: options.role ? [options.role] : [],
      exposure: {},
      tags: {},
      properties: {},
    });
    return arn;
  }

  /** An SCP attached to the organization root or to this account. */
  scp(document: Doc, target: 'root' | 'account' = 'account'): void {
    this.scps.push({ document, target });
  }

  private entity(name: string, options: EntityOptions, inlineKey: string): Doc {
    return {
      [inlineKey]: (options.inline ?? []).map((document, i) => ({
        PolicyName: `${name}-inline-${i + 1}`,
        PolicyDocument: document,
      })),
      AttachedManagedPolicies: (options.attached ?? []).map((arn) => ({
        PolicyName: arn.split('/').pop(),
        PolicyArn: arn,
      })),
      ...(options.boundary
        ? {
            PermissionsBoundary: {
              PermissionsBoundaryType: 'Policy',
              PermissionsBoundaryArn: options.boundary,
            },
          }
        : {}),
      Tags: [],
    };
  }

  /** The authorization details JSON of this account. */
  authorizationDetails(): Doc {
    return {
      UserDetailList: this.users,
      GroupDetailList: this.groups,
      RoleDetailList: this.roles,
      Policies: this.policies,
    };
  }

  /** Parts to merge with other estates' parts into one snapshot. */
  parts(): SnapshotPart[] {
    const parts: SnapshotPart[] = [
      mapAuthorizationDetails(this.authorizationDetails(), `${this.accountId}.json`),
      { resources: this.resources },
    ];
    if (this.scps.length > 0) parts.push({ organization: this.organization() });
    return parts;
  }

  private organization(): Organization {
    const policies: OrgPolicy[] = [
      {
        id: 'p-FullAWSAccess',
        arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
        name: 'FullAWSAccess',
        type: 'SERVICE_CONTROL_POLICY',
        awsManaged: true,
        document: doc(allow('*')),
        targetIds: ['r-test', this.accountId],
      },
      ...this.scps.map((scp, i): OrgPolicy => ({
        id: `p-test${i}`,
        arn: `arn:aws:organizations::999999999999:policy/o-test/service_control_policy/p-test${i}`,
        name: `test-scp-${i}`,
        type: 'SERVICE_CONTROL_POLICY',
        awsManaged: false,
        document: scp.document,
        targetIds: [scp.target === 'root' ? 'r-test' : this.accountId],
      })),
    ];
    return {
      id: 'o-test',
      arn: null,
      managementAccountId: '999999999999',
      rootId: 'r-test',
      units: [],
      accounts: [
        { id: this.accountId, name: null, email: null, status: 'ACTIVE', parentId: 'r-test' },
      ],
      policies,
      delegatedAdministrators: [],
    };
  }

  /** The snapshot of this estate (AWS managed policies filled from the bundled set). */
  async snapshot(...others: TestEstate[]): Promise<Snapshot> {
    const parts = [this, ...others].flatMap((estate) => estate.parts());
    const snapshot = await buildSnapshot(parts, { resolveAwsManagedPolicies });
    const credentials = new Map([this, ...others].flatMap((e) => [...e.credentials]));
    return {
      ...snapshot,
      principals: snapshot.principals.map((p) => {
        const known = credentials.get(p.arn);
        if (p.type !== 'user' || !known) return p;
        return {
          ...p,
          accessKeys:
            known.keys === undefined
              ? p.accessKeys
              : Array.from({ length: known.keys }, (_, i) => ({
                  id: `AKIA${String(i).padStart(16, '0')}`,
                  slot: (i + 1) as 1 | 2,
                  status: 'Active' as const,
                  createDate: null,
                  lastRotated: null,
                  lastUsedDate: null,
                  lastUsedRegion: null,
                  lastUsedService: null,
                })),
          loginProfile:
            known.password === undefined
              ? p.loginProfile
              : known.password
                ? {
                    exists: true as const,
                    createDate: null,
                    passwordLastUsed: null,
                    passwordLastChanged: null,
                    passwordNextRotation: null,
                  }
                : { exists: false as const },
        };
      }),
    };
  }
}
