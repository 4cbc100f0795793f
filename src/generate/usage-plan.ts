/**
 * The generator's ground truth about use: for every role and user, when it was created and last
 * used (the same dates the authorization details, the credential report and the CloudTrail
 * records are rendered from), and what it calls. Tests turn it into a Usage document to check the
 * unused-access analysis against what was planned.
 */
import { daysBefore, isoZ } from './dates.js';
import type { AccessKeyEntity, AccountBuilder } from './estate.js';

/** A planned access key. */
export interface PlannedKey {
  readonly id: string;
  readonly active: boolean;
  readonly created: string;
  readonly lastUsed: string | null;
}

/** A role's or user's planned use. */
export interface PlannedPrincipal {
  readonly arn: string;
  readonly kind: 'role' | 'user';
  readonly path: string;
  readonly created: string;
  /** Roles: when last used (RoleLastUsed); users: null (see the password and keys). */
  readonly lastUsed: string | null;
  /** Users: the console password, when it has one. */
  readonly password: { readonly changed: string; readonly lastUsed: string | null } | null;
  readonly keys: readonly PlannedKey[];
  /** `service:Action` names it calls. */
  readonly actions: readonly string[];
  /** Resource ARNs its calls name. */
  readonly resources: readonly string[];
}

/** One account's planned use, and the CloudTrail window it is relative to. */
export interface UsagePlan {
  readonly accountId: string;
  /** The start of the generated CloudTrail window and the generation instant. */
  readonly window: { readonly start: string; readonly end: string };
  readonly principals: readonly PlannedPrincipal[];
  readonly root: {
    readonly arn: string;
    readonly passwordLastUsed: string | null;
    readonly keys: readonly PlannedKey[];
  };
}

const iso = (date: Date | null): string | null => (date ? isoZ(date) : null);

function keyOf(key: AccessKeyEntity): PlannedKey {
  return {
    id: key.id,
    active: key.active,
    created: isoZ(key.created),
    lastUsed: iso(key.lastUsed),
  };
}

/** The planned use of an account's principals. */
export function planUsage(b: AccountBuilder): UsagePlan {
  return {
    accountId: b.id,
    window: { start: isoZ(daysBefore(b.now, b.org.windowDays)), end: isoZ(b.now) },
    principals: [
      ...b.roles.map((role): PlannedPrincipal => ({
        arn: role.arn,
        kind: 'role',
        path: role.path,
        created: isoZ(role.created),
        lastUsed: iso(role.lastUsed),
        password: null,
        keys: [],
        actions: role.usage.actions,
        resources: role.usage.resources,
      })),
      ...b.users.map((user): PlannedPrincipal => ({
        arn: user.arn,
        kind: 'user',
        path: user.path,
        created: isoZ(user.created),
        lastUsed: null,
        password: user.password
          ? { changed: isoZ(user.password.changed), lastUsed: iso(user.password.lastUsed) }
          : null,
        keys: user.keys.map(keyOf),
        actions: user.usage.actions,
        resources: user.usage.resources,
      })),
    ],
    root: {
      arn: b.rootArn,
      passwordLastUsed: iso(b.root.passwordLastUsed),
      keys: b.root.keys.map(keyOf),
    },
  };
}
