/**
 * Lookups over a Usage document (src/model/usage.ts), built once per analysis: a principal's
 * aggregates by its ARN, who assumed a role and when, the long-lived keys a principal used, the
 * accounts the logs hold records of, and the data-event categories the trail logs.
 */
import { accountIdOfArn, nameOfIamArn, type Principal } from '../model/index.js';
import type {
  AccessKeyUsage,
  ActionUsage,
  PrincipalUsage,
  RoleAssumption,
  Usage,
} from '../model/index.js';
import { dataEventCategoryOf, type DataEventCategory } from './logging.js';

/** Lookups over one Usage document. */
export interface UsageIndex {
  readonly usage: Usage;
  /** Earliest and latest counted record (ISO-8601), null when the logs held none. */
  readonly window: { readonly start: string | null; readonly end: string | null };
  /** Accounts the logs hold at least one record of (a caller's, a role's, a key's). */
  readonly accounts: ReadonlySet<string>;
  /** Data-event categories the logs hold at least one event of: the trail logs them. */
  readonly dataEvents: ReadonlySet<DataEventCategory>;
  /** The aggregates of the IAM identity with this ARN (role sessions count for their role). */
  principal(arn: string): PrincipalUsage | undefined;
  /** Who assumed the role with this ARN. */
  assumptionsOf(roleArn: string): readonly RoleAssumption[];
  /** The access keys that acted for this principal. */
  keysOf(principalArn: string): readonly AccessKeyUsage[];
}

/** `account|type|name` (lower case): IAM names are unique per account regardless of case and path. */
function iamKey(arn: string): string | null {
  const account = accountIdOfArn(arn);
  const match = /^arn:[^:]+:iam::\d{12}:(user|role)\//.exec(arn);
  if (!account || !match) return null;
  return `${account}|${match[1]}|${nameOfIamArn(arn).toLowerCase()}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the lookups of a Usage document. */
export function buildUsageIndex(usage: Usage): UsageIndex {
  const byArn = new Map<string, PrincipalUsage>();
  const byKey = new Map<string, PrincipalUsage>();
  const assumptions = new Map<string, RoleAssumption[]>();
  const keys = new Map<string, AccessKeyUsage[]>();
  const accounts = new Set<string>();
  const dataEvents = new Set<DataEventCategory>();
  const addAccount = (arn: string, accountId: string | null = null): void => {
    const account = accountId ?? accountIdOfArn(arn);
    if (account) accounts.add(account);
  };
  for (const principal of usage.principals) {
    byArn.set(principal.principal, principal);
    const key = iamKey(principal.principal);
    if (key) byKey.set(key, principal);
    addAccount(principal.principal, principal.accountId);
    for (const action of principal.actions) {
      const category = dataEventCategoryOf(action.action);
      if (category) dataEvents.add(category);
    }
  }
  for (const assumption of usage.assumptions) {
    push(assumptions, assumption.role, assumption);
    const key = iamKey(assumption.role);
    if (key) push(assumptions, key, assumption);
    addAccount(assumption.role);
  }
  for (const key of usage.accessKeys) {
    push(keys, key.principal, key);
    const name = iamKey(key.principal);
    if (name) push(keys, name, key);
    addAccount(key.principal);
  }
  const lookup = <T>(map: Map<string, T>, arn: string): T | undefined => {
    const exact = map.get(arn);
    if (exact !== undefined) return exact;
    const key = iamKey(arn);
    return key ? map.get(key) : undefined;
  };
  return {
    usage,
    window: usage.window,
    accounts,
    dataEvents,
    principal: (arn) => lookup(byArn, arn) ?? lookup(byKey, arn),
    assumptionsOf: (arn) => lookup(assumptions, arn) ?? [],
    keysOf: (arn) => lookup(keys, arn) ?? [],
  };
}

/** The action's successful use: records that were not refused (count − denied). */
export function successfulCalls(action: ActionUsage): number {
  return action.count - action.denied;
}

/**
 * When the logs last show the principal acting: its own calls (a role's sessions included) and,
 * for a role, its assumption. Null when the logs hold nothing of it.
 */
export function lastSeenInLogs(index: UsageIndex, principal: Principal): string | null {
  let last = index.principal(principal.arn)?.lastSeen ?? null;
  if (principal.type === 'role') {
    for (const assumption of index.assumptionsOf(principal.arn))
      if (last === null || Date.parse(assumption.lastSeen) > Date.parse(last))
        last = assumption.lastSeen;
  }
  return last;
}
