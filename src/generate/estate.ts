/**
 * The generator's working model of one account: IAM entities with the facts each output format
 * needs (authz details, credential report, CloudTrail), and the AWS Config items of its resources.
 * Renderers turn it into AWS's own formats; nothing here is an AWS shape yet.
 */
import { daysBefore, earliest, latest } from './dates.js';
import { IAM_ID_ALPHABET, type Random } from './random.js';
import type { AccountPlan, OrgPlan } from './org-plan.js';

/** One statement of a policy document, as AWS stores it. */
export type Statement = Record<string, unknown>;

/** A policy document, as AWS stores it. */
export interface PolicyDoc {
  readonly Version: '2012-10-17';
  readonly Id?: string;
  readonly Statement: Statement[];
}

/** Builds a policy document. */
export function policy(...statements: Statement[]): PolicyDoc {
  return { Version: '2012-10-17', Statement: statements };
}

/** An Allow statement (`Sid` optional). */
export function allow(
  action: string | readonly string[],
  resource: string | readonly string[] = '*',
  extra: Statement = {},
): Statement {
  return { ...sidOf(extra), Effect: 'Allow', Action: action, Resource: resource, ...rest(extra) };
}

/** A Deny statement (`Sid` optional). */
export function deny(
  action: string | readonly string[],
  resource: string | readonly string[] = '*',
  extra: Statement = {},
): Statement {
  return { ...sidOf(extra), Effect: 'Deny', Action: action, Resource: resource, ...rest(extra) };
}

function sidOf(extra: Statement): Statement {
  return 'Sid' in extra ? { Sid: extra.Sid } : {};
}

function rest(extra: Statement): Statement {
  const { Sid: _sid, ...others } = extra;
  return others;
}

/** A trust statement letting `principal` assume the role with `action`. */
export function trustStatement(
  principal: Statement | '*',
  action: string | readonly string[] = 'sts:AssumeRole',
  condition?: Statement,
): Statement {
  return {
    Effect: 'Allow',
    Principal: principal,
    Action: action,
    ...(condition ? { Condition: condition } : {}),
  };
}

/** An IAM tag. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** An inline policy. */
export interface InlinePolicy {
  readonly name: string;
  readonly document: PolicyDoc;
}

/** When a principal was last used, relative to the CloudTrail window. */
export type Activity = 'active' | 'recent' | 'stale' | 'never';

/** How sessions of a role come about, for CloudTrail. */
export type SessionSource =
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'service-linked'; readonly service: string }
  | { readonly kind: 'saml'; readonly provider: string; readonly users: readonly string[] }
  | { readonly kind: 'web-identity'; readonly provider: string; readonly subject: string }
  | { readonly kind: 'principal'; readonly arn: string }
  | { readonly kind: 'account'; readonly accountId: string };

/** What a principal does in CloudTrail: the actions it calls and the resources it touches. */
export interface Usage {
  /** `service:Action` names the principal calls. */
  readonly actions: readonly string[];
  /** Resource ARNs its calls name (may be empty). */
  readonly resources: readonly string[];
  /** Share of calls that fail with AccessDenied (default 0.03). */
  readonly deniedRate?: number;
  /** Actions it tries and is refused (drawn when a call is denied). */
  readonly deniedActions?: readonly string[];
}

/** An IAM role. */
export interface RoleEntity {
  readonly kind: 'role';
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly id: string;
  readonly created: Date;
  trust: PolicyDoc;
  readonly attached: string[];
  readonly inline: InlinePolicy[];
  boundary: string | null;
  readonly tags: Tag[];
  instanceProfile: InstanceProfileEntity | null;
  lastUsed: Date | null;
  lastUsedRegion: string;
  readonly session: SessionSource;
  readonly usage: Usage;
  readonly encoded: boolean;
}

/** An instance profile (always holding exactly one role here). */
export interface InstanceProfileEntity {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly id: string;
  readonly created: Date;
}

/** An IAM access key. */
export interface AccessKeyEntity {
  readonly id: string;
  readonly active: boolean;
  readonly created: Date;
  readonly lastUsed: Date | null;
  readonly region: string;
  readonly service: string;
}

/** An IAM user. */
export interface UserEntity {
  readonly kind: 'user';
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly id: string;
  readonly created: Date;
  readonly groups: string[];
  readonly attached: string[];
  readonly inline: InlinePolicy[];
  boundary: string | null;
  readonly tags: Tag[];
  password: {
    readonly created: Date;
    readonly changed: Date;
    readonly lastUsed: Date | null;
  } | null;
  mfa: boolean;
  readonly keys: AccessKeyEntity[];
  readonly usage: Usage;
  readonly encoded: boolean;
}

/** An IAM group. */
export interface GroupEntity {
  readonly kind: 'group';
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly id: string;
  readonly created: Date;
  readonly attached: string[];
  readonly inline: InlinePolicy[];
  readonly encoded: boolean;
}

/** A customer managed policy. */
export interface PolicyEntity {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly id: string;
  readonly created: Date;
  readonly description: string | null;
  /** Oldest first; at most five, as in AWS. */
  readonly versions: { readonly document: PolicyDoc; readonly created: Date }[];
  /** 1-based index into `versions`. */
  defaultVersion: number;
  readonly encoded: boolean;
}

/** A risk or technique deliberately placed in the estate: ground truth for tests and benchmarks. */
export interface PlantedRisk {
  /** A detection id of anchors.md §B (`ADM-05`) or an escalation technique id (`iam-001`). */
  readonly id: string;
  /** The resource the risk is about (a principal, policy or resource ARN). */
  readonly arn: string;
  readonly note: string;
}

/** A planted CloudTrail record template, rendered by the CloudTrail generator. */
export interface PlantedEvent {
  readonly time: Date;
  readonly actor:
    | { readonly kind: 'user'; readonly user: UserEntity; readonly console?: boolean }
    | { readonly kind: 'root' }
    | { readonly kind: 'role'; readonly role: RoleEntity };
  readonly action: string;
  readonly region: string;
  readonly requestParameters?: Record<string, unknown> | null;
  readonly errorCode?: string;
}

/** Options shared by the principal constructors. */
interface PrincipalOptions {
  readonly name: string;
  /** The name was already taken with {@link AccountBuilder.uniqueName}. */
  readonly reserved?: boolean;
  readonly path?: string;
  readonly created?: Date;
  readonly attached?: readonly string[];
  readonly inline?: readonly InlinePolicy[];
  readonly boundary?: string | null;
  readonly tags?: readonly Tag[];
}

/** Options of {@link AccountBuilder.addRole}. */
export interface RoleOptions extends PrincipalOptions {
  readonly trust: PolicyDoc;
  readonly instanceProfile?: boolean;
  readonly activity?: Activity;
  readonly session: SessionSource;
  readonly usage?: Usage;
}

/** Options of {@link AccountBuilder.addUser}. */
export interface UserOptions extends PrincipalOptions {
  readonly groups?: readonly string[];
  /** Console password; `activity` says when it was last used. */
  readonly password?: Activity | null;
  readonly mfa?: boolean;
  /** One entry per access key: when it was last used, its age in days, and whether it is active. */
  readonly keys?: readonly { activity: Activity; ageDays?: number; active?: boolean }[];
  readonly usage?: Usage;
}

/** Options of {@link AccountBuilder.addPolicy}. */
export interface PolicyOptions {
  readonly name: string;
  /** The name was already taken with {@link AccountBuilder.uniqueName}. */
  readonly reserved?: boolean;
  readonly path?: string;
  readonly description?: string;
  /** Oldest first; the default is the last unless `defaultVersion` says otherwise. */
  readonly versions: readonly PolicyDoc[];
  readonly defaultVersion?: number;
  readonly created?: Date;
}

/** Everything one account holds while it is being generated. */
export class AccountBuilder {
  readonly users: UserEntity[] = [];
  readonly groups: GroupEntity[] = [];
  readonly roles: RoleEntity[] = [];
  readonly policies: PolicyEntity[] = [];
  readonly items: Record<string, unknown>[] = [];
  readonly planted: PlantedRisk[] = [];
  readonly plantedEvents: PlantedEvent[] = [];
  /** Root user facts for the credential report. */
  readonly root = {
    created: new Date(0),
    mfa: true,
    passwordLastUsed: null as Date | null,
    keys: [] as AccessKeyEntity[],
  };
  private readonly names = new Map<string, Set<string>>();
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly org: OrgPlan,
    readonly account: AccountPlan,
    readonly rng: Random,
  ) {
    this.root.created = daysBefore(
      org.now,
      1400 + account.index * 7 + rng.fork('root-created').float(0, 1),
    );
  }

  /** The account id. */
  get id(): string {
    return this.account.id;
  }

  /** The generation instant. */
  get now(): Date {
    return this.org.now;
  }

  /** The account's primary region. */
  get region(): string {
    return this.account.regions[0];
  }

  /** How many principals (users, groups, roles) exist so far. */
  get principalCount(): number {
    return this.users.length + this.groups.length + this.roles.length;
  }

  /** `arn:aws:iam::<id>:root`. */
  get rootArn(): string {
    return `arn:aws:iam::${this.id}:root`;
  }

  /** Returns `base`, or `base-2`, `base-3`… so that names of one kind stay unique. */
  uniqueName(kind: string, base: string): string {
    let taken = this.names.get(kind);
    if (!taken) {
      taken = new Set();
      this.names.set(kind, taken);
    }
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return name;
  }

  /** True when something is stored under `key`. */
  hasShared(key: string): boolean {
    return this.memo.has(key);
  }

  /** Returns the value stored under `key`, creating it once with `make`. */
  shared<T>(key: string, make: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = make();
    this.memo.set(key, value);
    return value;
  }

  /** An IAM unique id (`AROA…`, `AIDA…`) or access key id (`AKIA…`). */
  iamId(prefix: string, rng: Random = this.rng): string {
    return prefix + rng.chars(IAM_ID_ALPHABET, prefix === 'AKIA' || prefix === 'ASIA' ? 16 : 17);
  }

  /** A creation date for an entity: mostly one to four years old, sometimes new. */
  createdDate(rng: Random, options: { recentChance?: number; minDays?: number } = {}): Date {
    const minDays = options.minDays ?? 0;
    if (rng.chance(options.recentChance ?? 0.08))
      return daysBefore(this.now, Math.max(minDays, rng.float(2, 60)));
    return daysBefore(this.now, Math.max(minDays, rng.float(120, 1500)));
  }

  /** The last-used instant for an activity class (null for `never`), not before `created`. */
  lastUsedFor(activity: Activity, created: Date, rng: Random): Date | null {
    const window = this.org.windowDays;
    let when: Date;
    switch (activity) {
      case 'never':
        return null;
      case 'active':
        when = daysBefore(this.now, rng.float(0.02, Math.max(0.05, Math.min(window * 0.25, 7))));
        break;
      case 'recent':
        when = daysBefore(this.now, rng.float(window + 1, Math.max(window + 2, 85)));
        break;
      case 'stale':
        when = daysBefore(this.now, rng.float(100, 500));
        break;
    }
    return latest(when, new Date(created.getTime() + 3_600_000));
  }

  /**
   * A console password: changed by its user while signed in, so never after its last use; one
   * never used still has the password it was created with.
   */
  private passwordFor(
    activity: Activity,
    created: Date,
    ageDays: number,
    rng: Random,
  ): { created: Date; changed: Date; lastUsed: Date | null } {
    const changed = daysBefore(this.now, rng.float(1, Math.max(1.5, ageDays)));
    const lastUsed = this.lastUsedFor(activity, created, rng);
    return {
      created,
      changed: lastUsed === null ? created : earliest(changed, lastUsed),
      lastUsed,
    };
  }

  /** Adds a role (and its instance profile when asked). */
  addRole(options: RoleOptions): RoleEntity {
    const path = options.path ?? '/';
    const name = options.reserved ? options.name : this.uniqueName('role', options.name);
    const rng = this.rng.fork(`role/${path}${name}`);
    const created = options.created ?? this.createdDate(rng);
    const activity = options.activity ?? 'active';
    const role: RoleEntity = {
      kind: 'role',
      name,
      path,
      arn: `arn:aws:iam::${this.id}:role${path}${name}`,
      id: this.iamId('AROA', rng),
      created,
      trust: options.trust,
      attached: [...(options.attached ?? [])],
      inline: [...(options.inline ?? [])],
      boundary: options.boundary ?? null,
      tags: [...(options.tags ?? [])],
      instanceProfile: null,
      lastUsed: this.lastUsedFor(activity, created, rng),
      lastUsedRegion: rng.chance(0.8) ? this.account.regions[0] : this.account.regions[1],
      session: options.session,
      usage: options.usage ?? { actions: ['sts:GetCallerIdentity'], resources: [] },
      encoded: rng.chance(ENCODED_SHARE),
    };
    if (options.instanceProfile) {
      const profileName = this.uniqueName('instance-profile', name);
      role.instanceProfile = {
        name: profileName,
        path,
        arn: `arn:aws:iam::${this.id}:instance-profile${path}${profileName}`,
        id: this.iamId('AIPA', rng),
        created,
      };
    }
    this.roles.push(role);
    return role;
  }

  /** Adds a user with its password, MFA and access keys. */
  addUser(options: UserOptions): UserEntity {
    const path = options.path ?? '/';
    const name = options.reserved ? options.name : this.uniqueName('user', options.name);
    const rng = this.rng.fork(`user/${path}${name}`);
    const created = options.created ?? this.createdDate(rng);
    const ageDays = (this.now.getTime() - created.getTime()) / 86_400_000;
    const passwordActivity = options.password ?? null;
    const user: UserEntity = {
      kind: 'user',
      name,
      path,
      arn: `arn:aws:iam::${this.id}:user${path}${name}`,
      id: this.iamId('AIDA', rng),
      created,
      groups: [...(options.groups ?? [])],
      attached: [...(options.attached ?? [])],
      inline: [...(options.inline ?? [])],
      boundary: options.boundary ?? null,
      tags: [...(options.tags ?? [])],
      password:
        passwordActivity === null
          ? null
          : this.passwordFor(passwordActivity, created, ageDays, rng),
      mfa: options.mfa ?? false,
      keys: [],
      usage: options.usage ?? { actions: ['sts:GetCallerIdentity'], resources: [] },
      encoded: rng.chance(ENCODED_SHARE),
    };
    for (const key of options.keys ?? []) {
      const keyAge = Math.min(
        ageDays,
        (key.ageDays ?? rng.float(1, Math.max(2, ageDays))) + rng.float(0, 0.9),
      );
      const keyCreated = daysBefore(this.now, keyAge);
      user.keys.push({
        id: this.iamId('AKIA', rng),
        active: key.active ?? true,
        created: keyCreated,
        // A deactivated key was last used before it was deactivated, so not within the window.
        lastUsed: this.lastUsedFor(
          key.active === false && key.activity === 'active' ? 'recent' : key.activity,
          keyCreated,
          rng,
        ),
        region: rng.chance(0.8) ? this.account.regions[0] : this.account.regions[1],
        service: rng.pick(['s3', 'sts', 'ec2', 'lambda', 'dynamodb', 'iam']),
      });
    }
    this.users.push(user);
    return user;
  }

  /** Adds a group. */
  addGroup(options: PrincipalOptions): GroupEntity {
    const path = options.path ?? '/';
    const name = options.reserved ? options.name : this.uniqueName('group', options.name);
    const rng = this.rng.fork(`group/${path}${name}`);
    const group: GroupEntity = {
      kind: 'group',
      name,
      path,
      arn: `arn:aws:iam::${this.id}:group${path}${name}`,
      id: this.iamId('AGPA', rng),
      created: options.created ?? this.createdDate(rng, { recentChance: 0.02 }),
      attached: [...(options.attached ?? [])],
      inline: [...(options.inline ?? [])],
      encoded: rng.chance(ENCODED_SHARE),
    };
    this.groups.push(group);
    return group;
  }

  /** Adds a customer managed policy. */
  addPolicy(options: PolicyOptions): PolicyEntity {
    const path = options.path ?? '/';
    const name = options.reserved ? options.name : this.uniqueName('policy', options.name);
    const rng = this.rng.fork(`policy/${path}${name}`);
    const created = options.created ?? this.createdDate(rng, { recentChance: 0.03 });
    const spanDays = (this.now.getTime() - created.getTime()) / 86_400_000;
    const count = options.versions.length;
    const versions = options.versions.map((document, i) => ({
      document,
      created: daysBefore(this.now, spanDays * (1 - i / count)),
    }));
    const entity: PolicyEntity = {
      name,
      path,
      arn: `arn:aws:iam::${this.id}:policy${path}${name}`,
      id: this.iamId('ANPA', rng),
      created,
      description: options.description ?? null,
      versions,
      defaultVersion: options.defaultVersion ?? count,
      encoded: rng.chance(ENCODED_SHARE),
    };
    this.policies.push(entity);
    return entity;
  }

  /** Adds users to a group. */
  addToGroup(group: GroupEntity, ...users: UserEntity[]): void {
    for (const user of users) if (!user.groups.includes(group.name)) user.groups.push(group.name);
  }

  /** Records a planted risk. */
  plant(id: string, arn: string, note: string): void {
    this.planted.push({ id, arn, note });
  }

  /** Takes a unique name of `kind` and returns it with the ARN it will have. */
  reserve(
    kind: 'user' | 'role' | 'group' | 'policy',
    base: string,
    path = '/',
  ): { name: string; arn: string; reserved: true; path: string } {
    const name = this.uniqueName(kind, base);
    return { name, arn: `arn:aws:iam::${this.id}:${kind}${path}${name}`, reserved: true, path };
  }

  /** A random resource suffix of lower-case hex. */
  hex(length: number, rng: Random = this.rng): string {
    return rng.chars('0123456789abcdef', length);
  }
}

/** Share of entities whose policy documents are written URL-encoded, as the raw IAM API returns them. */
export const ENCODED_SHARE = 0.04;
