/**
 * Indexes over a snapshot that the escalation search and the graph share, built once per scan:
 * principals per account and type, group members, roles per trusted service, per trusted ARN and
 * per trusted account (from trust policies), resources per type and per role they run as, and
 * each principal's effective permissions (the action bitsets that pre-filter candidates).
 * Nothing here compares pairs of principals.
 */
import { describePrincipalEntry } from '../policy/match-principal.js';
import { EffectivePermissionIndex } from '../policy/who-can.js';
import { SnapshotEvaluator } from '../policy/snapshot-evaluator.js';
import type {
  GroupPrincipal,
  Principal,
  Resource,
  RolePrincipal,
  Snapshot,
  UserPrincipal,
} from '../model/index.js';
import type { NormalizedPolicy } from '../policy/types.js';

/** Who a role's trust policy names in its Allow statements for sts:AssumeRole*. */
export interface TrustFacts {
  readonly role: RolePrincipal;
  /** Exact principal ARNs (users, roles, sessions). */
  readonly arns: readonly string[];
  /** Accounts named by root ARN or bare id. */
  readonly accounts: readonly string[];
  /** Service principals, lower case. */
  readonly services: readonly string[];
  /** Federated providers (ARNs of SAML/OIDC providers, or names such as `cognito-identity.amazonaws.com`). */
  readonly providers: readonly string[];
  /** `Principal: "*"` or `{"AWS": "*"}`. */
  readonly everyone: boolean;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const byArn = (a: { arn: string }, b: { arn: string }): number =>
  a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0;

export class AccessContext {
  readonly evaluator: SnapshotEvaluator;
  readonly permissions: EffectivePermissionIndex;
  /** Principals that can act (users, roles, roots), sorted by ARN. */
  readonly actors: readonly Principal[];
  readonly principalByArn = new Map<string, Principal>();
  readonly usersByAccount = new Map<string, UserPrincipal[]>();
  readonly rolesByAccount = new Map<string, RolePrincipal[]>();
  readonly groupsByAccount = new Map<string, GroupPrincipal[]>();
  readonly actorsByAccount = new Map<string, Principal[]>();
  /** Group ARN → member users. */
  readonly groupMembers = new Map<string, UserPrincipal[]>();
  /** `account/group-name` → group. */
  readonly groupByName = new Map<string, GroupPrincipal>();
  readonly trust = new Map<string, TrustFacts>();
  /** Service principal → roles trusting it. */
  readonly rolesByService = new Map<string, RolePrincipal[]>();
  /** Federated provider (ARN or name such as `cognito-identity.amazonaws.com`) → roles trusting it. */
  readonly rolesByProvider = new Map<string, RolePrincipal[]>();
  /** Exact principal ARN → roles whose trust names it. */
  readonly rolesByTrustedArn = new Map<string, RolePrincipal[]>();
  /** Account id → roles whose trust names the account. */
  readonly rolesByTrustedAccount = new Map<string, RolePrincipal[]>();
  /** Roles whose trust admits everyone (conditions decide). */
  readonly rolesTrustingEveryone: RolePrincipal[] = [];
  /** Resource type → resources (sorted by ARN). */
  readonly resourcesByType = new Map<string, Resource[]>();
  /** Role ARN → resources that run with it. */
  readonly resourcesByRole = new Map<string, Resource[]>();
  /** Accounts with any resource inventory (AWS Config items or a collector's resources). */
  readonly accountsWithInventory = new Set<string>();
  readonly resourceByArn = new Map<string, Resource>();
  /** Roles that are in some instance profile. */
  readonly rolesInInstanceProfiles = new Set<string>();
  /** Instance profile ARN → its roles. */
  private readonly profileRoles = new Map<string, readonly string[]>();

  constructor(
    readonly snapshot: Snapshot,
    options: { readonly asOf?: string | null } = {},
  ) {
    this.evaluator = new SnapshotEvaluator(snapshot, { asOf: options.asOf ?? null });
    this.permissions = new EffectivePermissionIndex(this.evaluator);
    const actors: Principal[] = [];
    for (const principal of [...snapshot.principals].sort(byArn)) {
      this.principalByArn.set(principal.arn, principal);
      switch (principal.type) {
        case 'user':
          push(this.usersByAccount, principal.accountId, principal);
          break;
        case 'role':
          push(this.rolesByAccount, principal.accountId, principal);
          this.indexTrust(principal);
          break;
        case 'group':
          push(this.groupsByAccount, principal.accountId, principal);
          this.groupByName.set(`${principal.accountId}/${principal.name}`, principal);
          continue;
        case 'root':
          break;
      }
      actors.push(principal);
      push(this.actorsByAccount, principal.accountId, principal);
    }
    this.actors = actors;
    for (const users of this.usersByAccount.values()) {
      for (const user of users) {
        for (const name of user.groupNames) {
          const group = this.groupByName.get(`${user.accountId}/${name}`);
          if (group) push(this.groupMembers, group.arn, user);
        }
      }
    }
    for (const profile of snapshot.instanceProfiles) {
      this.profileRoles.set(profile.arn, profile.roleArns);
      for (const role of profile.roleArns) this.rolesInInstanceProfiles.add(role);
    }
    for (const principal of snapshot.principals) {
      if (principal.type !== 'role') continue;
      for (const profile of principal.instanceProfileArns) {
        const known = this.profileRoles.get(profile) ?? [];
        if (!known.includes(principal.arn))
          this.profileRoles.set(profile, [...known, principal.arn]);
      }
    }
    for (const resource of snapshot.resources) this.resourceByArn.set(resource.arn, resource);
    for (const resource of [...snapshot.resources].sort(byArn)) {
      push(this.resourcesByType, resource.type, resource);
      this.accountsWithInventory.add(resource.accountId);
      for (const role of this.rolesOfResource(resource)) push(this.resourcesByRole, role, resource);
    }
    for (const principal of snapshot.principals) {
      if (principal.type === 'role' && principal.instanceProfileArns.length > 0)
        this.rolesInInstanceProfiles.add(principal.arn);
    }
  }

  /**
   * The roles a resource runs as: its own (execution role, service role, ...) and, for EC2
   * instances and launch templates, the roles of its instance profile.
   */
  rolesOfResource(resource: Resource): string[] {
    // ECS: code in a task gets the task role only (the execution role is the agent's, a
    // service's own role is its load balancer's); a service runs its task definition's task role.
    if (resource.type === 'AWS::ECS::TaskDefinition' && 'taskRoleArn' in resource.properties) {
      const task = resource.properties.taskRoleArn;
      return typeof task === 'string' ? [task] : [];
    }
    if (resource.type === 'AWS::ECS::Service') {
      const definition = this.resourceByArn.get(String(resource.properties.taskDefinition ?? ''));
      if (definition) return this.rolesOfResource(definition);
    }
    const roles = new Set(resource.roleArns);
    if (resource.instanceProfileArn)
      for (const role of this.profileRoles.get(resource.instanceProfileArn) ?? []) roles.add(role);
    return [...roles].sort();
  }

  /** The parsed trust policy of a role. */
  trustPolicy(role: RolePrincipal): NormalizedPolicy | null {
    return this.evaluator.resourcePolicyFor(role.arn, 'sts:AssumeRole');
  }

  private indexTrust(role: RolePrincipal): void {
    const policy = this.trustPolicy(role);
    const arns = new Set<string>();
    const accounts = new Set<string>();
    const services = new Set<string>();
    const providers = new Set<string>();
    let everyone = false;
    for (const statement of policy?.statements ?? []) {
      if (statement.effect !== 'Allow' || !statement.principal || statement.principal.not) continue;
      for (const entry of statement.principal.entries) {
        const target = describePrincipalEntry(entry);
        switch (target.form) {
          case 'everyone':
            everyone = true;
            break;
          case 'account':
            accounts.add(target.accountId);
            break;
          case 'user':
          case 'role':
          case 'session':
          case 'federated-user':
            arns.add(target.arn);
            break;
          case 'service':
            services.add(target.name);
            break;
          case 'provider':
            providers.add(target.provider);
            break;
          default:
            break;
        }
      }
    }
    const facts: TrustFacts = {
      role,
      arns: [...arns].sort(),
      accounts: [...accounts].sort(),
      services: [...services].sort(),
      providers: [...providers].sort(),
      everyone,
    };
    this.trust.set(role.arn, facts);
    for (const arn of facts.arns) push(this.rolesByTrustedArn, arn, role);
    for (const account of facts.accounts) push(this.rolesByTrustedAccount, account, role);
    for (const service of facts.services) push(this.rolesByService, service, role);
    for (const provider of facts.providers) push(this.rolesByProvider, provider, role);
    if (everyone) this.rolesTrustingEveryone.push(role);
  }

  /** Groups a user belongs to. */
  groupsOf(user: UserPrincipal): GroupPrincipal[] {
    return user.groupNames.flatMap((name) => {
      const group = this.groupByName.get(`${user.accountId}/${name}`);
      return group ? [group] : [];
    });
  }

  /** Customer managed policies attached to a principal, directly or (users) through groups. */
  attachedCustomerPolicies(principal: Principal): string[] {
    const owners: Principal[] = [principal];
    if (principal.type === 'user') owners.push(...this.groupsOf(principal));
    const arns = new Set<string>();
    for (const owner of owners) {
      for (const attachment of owner.attachedPolicies) {
        if (!attachment.policyArn.startsWith('arn:aws:iam::aws:policy/'))
          arns.add(attachment.policyArn);
      }
    }
    return [...arns].sort();
  }

  /** Roles that may trust `actor` (exact ARN, its account, or everyone); the engine decides. */
  rolesPossiblyTrusting(actor: Principal): RolePrincipal[] {
    const roles = new Map<string, RolePrincipal>();
    for (const role of this.rolesByTrustedArn.get(actor.arn) ?? []) roles.set(role.arn, role);
    for (const role of this.rolesByTrustedAccount.get(actor.accountId) ?? [])
      roles.set(role.arn, role);
    for (const role of this.rolesTrustingEveryone) roles.set(role.arn, role);
    return [...roles.values()].sort(byArn);
  }
}
