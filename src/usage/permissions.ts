/**
 * Granted versus used, per action: for one principal, the actions its identity policies grant
 * (effective permissions after denies, the permissions boundary and SCPs: src/policy/effective.ts)
 * split into used within the tracking period, unused, and unknown — actions the logs cannot show
 * (`iam:PassRole`, data events the trail does not log: ./logging.ts). Deny-only statements grant
 * nothing, so they have nothing to be unused.
 *
 * An action counts as used when CloudTrail recorded a call that was not refused (AccessDenied and
 * the like) on or after the period's start. Used actions the identity policies do not grant
 * (allowed by a resource policy, or unknown to the catalog) are listed apart.
 */
import { loadCatalog, type ActionSet } from '../catalog/index.js';
import type { ActionUsage, PrincipalUsage } from '../model/index.js';
import { unobservableActions, whyUnobservable } from './logging.js';
import { isAtOrAfter, periodStartOf, type TrackingOptions } from './tracking.js';
import { successfulCalls, type UsageIndex } from './usage-index.js';

export type ActionStatus = 'used' | 'unused' | 'unknown';

/** One granted action: whether it was used, when last, and what it touched. */
export interface ActionVerdict {
  readonly action: string;
  readonly status: ActionStatus;
  /** Last call recorded (successful or not, any time in the logs); null when none. */
  readonly lastUsed: string | null;
  /** Calls recorded that were not refused. */
  readonly calls: number;
  readonly denied: number;
  readonly resources: readonly string[];
  readonly resourcesTruncated: boolean;
  /** Why the logs cannot show its use (for `unknown`). */
  readonly reason: string | null;
}

/** Counts of one service's granted actions. */
export interface ServiceVerdict {
  readonly service: string;
  readonly granted: number;
  readonly used: number;
  readonly unused: number;
  readonly unknown: number;
  /** The latest use of any of its actions in the logs; null when none. */
  readonly lastUsed: string | null;
}

/** Granted versus used for one principal over the tracking period. */
export interface PermissionUsage {
  readonly principal: string;
  readonly asOf: string;
  readonly periodStart: string;
  readonly granted: ActionSet;
  readonly used: ActionSet;
  readonly unknown: ActionSet;
  readonly unused: ActionSet;
  /** Calls the logs hold for this principal, by lower-cased action name. */
  readonly calls: ReadonlyMap<string, ActionUsage>;
  /** Actions used within the period that the identity policies do not grant. */
  readonly usedNotGranted: readonly ActionUsage[];
  /** Share of the granted actions whose use the logs can show that went unused (0–1; 0 when none). */
  readonly unusedRatio: number;
}

/** Compares what a principal is granted with what it used over the tracking period. */
export function analyzePermissionUsage(input: {
  readonly principal: string;
  readonly granted: ActionSet;
  readonly usage: UsageIndex;
  readonly asOf: string;
  readonly tracking: TrackingOptions;
}): PermissionUsage {
  const catalog = loadCatalog();
  const periodStart = periodStartOf(input.asOf, input.tracking);
  const own: PrincipalUsage | undefined = input.usage.principal(input.principal);
  const calls = new Map<string, ActionUsage>();
  const usedIndexes: number[] = [];
  const usedNotGranted: ActionUsage[] = [];
  for (const action of own?.actions ?? []) {
    calls.set(action.action.toLowerCase(), action);
    if (successfulCalls(action) <= 0 || !isAtOrAfter(action.lastSeen, periodStart)) continue;
    const index = catalog.actionIndex(action.action);
    if (index !== undefined && input.granted.has(index)) usedIndexes.push(index);
    else usedNotGranted.push(action);
  }
  const used = catalog.setOf(usedIndexes);
  const unknown = input.granted
    .intersect(unobservableActions(input.usage.dataEvents))
    .difference(used);
  const unused = input.granted.difference(used).difference(unknown);
  const observable = input.granted.count() - unknown.count();
  return {
    principal: input.principal,
    asOf: input.asOf,
    periodStart,
    granted: input.granted,
    used,
    unknown,
    unused,
    calls,
    usedNotGranted,
    unusedRatio: observable === 0 ? 0 : unused.count() / observable,
  };
}

/** The verdict on one granted action (the catalog's index). */
export function verdictOf(
  permissions: PermissionUsage,
  index: number,
  usage: UsageIndex,
): ActionVerdict {
  const action = loadCatalog().actionName(index);
  const call = permissions.calls.get(action.toLowerCase());
  const status: ActionStatus = permissions.used.has(index)
    ? 'used'
    : permissions.unknown.has(index)
      ? 'unknown'
      : 'unused';
  return {
    action,
    status,
    lastUsed: call?.lastSeen ?? null,
    calls: call ? successfulCalls(call) : 0,
    denied: call?.denied ?? 0,
    resources: call?.resources ?? [],
    resourcesTruncated: call?.resourcesTruncated ?? false,
    reason: status === 'unknown' ? whyUnobservable(action, usage.dataEvents) : null,
  };
}

const serviceVerdicts = new WeakMap<PermissionUsage, ServiceVerdict[]>();

/** Per service: how many granted actions were used, unused, unknown; sorted by service (cached). */
export function servicesOf(permissions: PermissionUsage): ServiceVerdict[] {
  const cached = serviceVerdicts.get(permissions);
  if (cached) return cached;
  const catalog = loadCatalog();
  const index = catalog.index;
  const services = index.serviceKeys.length;
  // Counters per service number: granted, used, unknown.
  const counts = new Uint32Array(services * 3);
  permissions.granted.forEach((action) => {
    const base = index.serviceOfAction[action]! * 3;
    counts[base]! += 1;
    if (permissions.used.has(action)) counts[base + 1]! += 1;
    else if (permissions.unknown.has(action)) counts[base + 2]! += 1;
  });
  const lastUsed = new Map<string, string>();
  for (const call of permissions.calls.values()) {
    const service = call.action.split(':')[0]?.toLowerCase() ?? '';
    const known = lastUsed.get(service);
    if (known === undefined || Date.parse(call.lastSeen) > Date.parse(known))
      lastUsed.set(service, call.lastSeen);
  }
  const result: ServiceVerdict[] = [];
  // Service numbers follow the sorted service keys: the result is sorted by service.
  for (let service = 0; service < services; service++) {
    const granted = counts[service * 3]!;
    if (granted === 0) continue;
    const used = counts[service * 3 + 1]!;
    const unknown = counts[service * 3 + 2]!;
    const key = index.serviceKeys[service]!;
    result.push({
      service: key,
      granted,
      used,
      unused: granted - used - unknown,
      unknown,
      lastUsed: lastUsed.get(key) ?? null,
    });
  }
  serviceVerdicts.set(permissions, result);
  return result;
}

/** The verdicts on every granted action of one service, sorted by action. */
export function actionVerdictsOf(
  permissions: PermissionUsage,
  service: string,
  usage: UsageIndex,
): ActionVerdict[] {
  const actions = loadCatalog().actionsOfService(service);
  if (!actions) return [];
  const verdicts: ActionVerdict[] = [];
  permissions.granted.intersect(actions).forEach((index) => {
    verdicts.push(verdictOf(permissions, index, usage));
  });
  return verdicts;
}
