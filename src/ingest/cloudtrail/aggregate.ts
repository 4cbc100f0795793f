/**
 * The aggregate iamsight keeps from CloudTrail (src/model/usage.ts): per principal × action first and
 * last seen, count and denied count; per access key last use; per role who assumed it and when.
 * Memory grows with the number of distinct principals, actions, keys and roles, never with the
 * number of records. Local files (one aggregator per worker, merged) and Athena result rows feed
 * the same aggregator, so both give the same Usage.
 */
import {
  USAGE_RESOURCE_LIMIT,
  USAGE_SCHEMA,
  type AccessKeyUsage,
  type ActionUsage,
  type PrincipalUsage,
  type RoleAssumption,
  type Usage,
  type UsageStats,
} from '../../model/index.js';
import type { PrincipalRef } from './principal.js';

/** At most this many services are listed per access key (src/model/usage.ts). */
export const ACCESS_KEY_SERVICE_LIMIT = 64;

interface ActionAggregate {
  first: number;
  last: number;
  count: number;
  denied: number;
  resources: Set<string> | null;
  /** The largest kept resource (code-unit order), the one dropped first. */
  largest: string | null;
  truncated: boolean;
}

interface PrincipalAggregate {
  kind: PrincipalRef['kind'];
  accountId: string | null;
  first: number;
  last: number;
  actions: Map<string, ActionAggregate>;
  lastConsoleLogin: number | null;
}

interface KeyAggregate {
  principal: string;
  first: number;
  last: number;
  count: number;
  services: Set<string>;
}

interface AssumptionAggregate {
  role: string;
  assumedBy: string;
  first: number;
  last: number;
  count: number;
}

/** Counters of what was read; unreadable files are listed with their reason. */
export interface MutableStats {
  files: number;
  bytes: number;
  records: number;
  outsideWindow: number;
  malformedRecords: number;
  unreadableFiles: { file: string; reason: string }[];
}

/** An aggregator's whole state as plain data (Maps and Sets), to send between threads and merge. */
export interface UsagePartial {
  readonly principals: Map<string, PrincipalAggregate>;
  readonly keys: Map<string, KeyAggregate>;
  readonly assumptions: Map<string, AssumptionAggregate>;
  readonly stats: MutableStats;
}

/** Times are seconds since the epoch inside the aggregate (cheap to compare, no string per record). */
function earlier(a: number, b: number): number {
  return b < a ? b : a;
}

function later(a: number, b: number): number {
  return b > a ? b : a;
}

/** `YYYY-MM-DDTHH:MM:SSZ` of a time in seconds since the epoch. */
export function isoSeconds(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

/** Accumulates CloudTrail evidence; {@link UsageAggregator.finish} turns it into a {@link Usage}. */
export class UsageAggregator {
  private readonly principals = new Map<string, PrincipalAggregate>();
  private readonly keys = new Map<string, KeyAggregate>();
  private readonly assumptions = new Map<string, AssumptionAggregate>();
  readonly stats: MutableStats = {
    files: 0,
    bytes: 0,
    records: 0,
    outsideWindow: 0,
    malformedRecords: 0,
    unreadableFiles: [],
  };

  private principal(ref: PrincipalRef, first: number, last: number): PrincipalAggregate {
    let entry = this.principals.get(ref.key);
    if (entry === undefined) {
      entry = {
        kind: ref.kind,
        accountId: ref.accountId,
        first,
        last,
        actions: new Map(),
        lastConsoleLogin: null,
      };
      this.principals.set(ref.key, entry);
    } else {
      if (first < entry.first) entry.first = first;
      if (last > entry.last) entry.last = last;
      if (entry.accountId === null && ref.accountId !== null) entry.accountId = ref.accountId;
    }
    return entry;
  }

  /**
   * Records `count` calls of `action` by `principal` between `first` and `last` (seconds since the
   * epoch), `denied` of them refused; returns the action's entry for {@link addResource}.
   */
  addCalls(
    principal: PrincipalRef,
    action: string,
    first: number,
    last: number,
    count: number,
    denied: number,
  ): ActionAggregate {
    const actions = this.principal(principal, first, last).actions;
    let entry = actions.get(action);
    if (entry === undefined) {
      entry = { first, last, count, denied, resources: null, largest: null, truncated: false };
      actions.set(action, entry);
    } else {
      if (first < entry.first) entry.first = first;
      if (last > entry.last) entry.last = last;
      entry.count += count;
      entry.denied += denied;
    }
    return entry;
  }

  /** The entry of `principal` × `action`, when calls of it were added. */
  actionEntry(principal: string, action: string): ActionAggregate | undefined {
    return this.principals.get(principal)?.actions.get(action);
  }

  /**
   * Notes a resource ARN a successful call of the action named. At most
   * {@link USAGE_RESOURCE_LIMIT} are kept: the first ones in code-unit order, so the result does not
   * depend on the order records (or threads) arrive in.
   */
  addResource(entry: ActionAggregate, arn: string): void {
    const resources = (entry.resources ??= new Set());
    if (resources.has(arn)) return;
    if (resources.size < USAGE_RESOURCE_LIMIT) {
      resources.add(arn);
      if (entry.largest === null || arn > entry.largest) entry.largest = arn;
      return;
    }
    entry.truncated = true;
    if (entry.largest === null || arn >= entry.largest) return;
    resources.delete(entry.largest);
    resources.add(arn);
    let largest = arn;
    for (const kept of resources) if (kept > largest) largest = kept;
    entry.largest = largest;
  }

  /** Records `count` uses of an access key by `principal` for `service`. */
  addKeyUse(
    accessKeyId: string,
    principal: string,
    first: number,
    last: number,
    count: number,
    service: string | null,
  ): void {
    let entry = this.keys.get(accessKeyId);
    if (entry === undefined) {
      entry = { principal, first, last, count, services: new Set() };
      this.keys.set(accessKeyId, entry);
    } else {
      if (first < entry.first) entry.first = first;
      if (last > entry.last) entry.last = last;
      entry.count += count;
    }
    if (service !== null && entry.services.size < ACCESS_KEY_SERVICE_LIMIT)
      entry.services.add(service);
  }

  /** Records `count` successful assumptions of `role` by `assumedBy`. */
  addAssumption(role: string, assumedBy: string, first: number, last: number, count: number): void {
    const key = `${role}\n${assumedBy}`;
    const entry = this.assumptions.get(key);
    if (entry === undefined) this.assumptions.set(key, { role, assumedBy, first, last, count });
    else {
      entry.first = earlier(entry.first, first);
      entry.last = later(entry.last, last);
      entry.count += count;
    }
  }

  /** Records a successful console sign-in of a user or root (time in seconds since the epoch). */
  addConsoleLogin(principal: PrincipalRef, time: number): void {
    const entry = this.principal(principal, time, time);
    if (entry.lastConsoleLogin === null || time > entry.lastConsoleLogin)
      entry.lastConsoleLogin = time;
  }

  /** The state as plain data (for another thread); the aggregator must not be used afterwards. */
  toPartial(): UsagePartial {
    return {
      principals: this.principals,
      keys: this.keys,
      assumptions: this.assumptions,
      stats: this.stats,
    };
  }

  /** Adds another aggregator's state to this one. */
  merge(partial: UsagePartial): void {
    for (const [key, other] of partial.principals) {
      const entry = this.principal(
        { key, kind: other.kind, accountId: other.accountId },
        other.first,
        other.last,
      );
      if (
        other.lastConsoleLogin !== null &&
        (entry.lastConsoleLogin === null || other.lastConsoleLogin > entry.lastConsoleLogin)
      )
        entry.lastConsoleLogin = other.lastConsoleLogin;
      for (const [action, use] of other.actions) {
        const mine = entry.actions.get(action);
        if (mine === undefined) {
          entry.actions.set(action, use);
          continue;
        }
        mine.first = earlier(mine.first, use.first);
        mine.last = later(mine.last, use.last);
        mine.count += use.count;
        mine.denied += use.denied;
        if (use.truncated) mine.truncated = true;
        for (const arn of use.resources ?? []) this.addResource(mine, arn);
      }
    }
    for (const [id, other] of partial.keys) {
      const entry = this.keys.get(id);
      if (entry === undefined) {
        this.keys.set(id, other);
        continue;
      }
      this.addKeyUse(id, entry.principal, other.first, other.last, other.count, null);
      for (const service of other.services)
        if (entry.services.size < ACCESS_KEY_SERVICE_LIMIT) entry.services.add(service);
    }
    for (const other of partial.assumptions.values())
      this.addAssumption(other.role, other.assumedBy, other.first, other.last, other.count);
    const stats = this.stats;
    stats.files += partial.stats.files;
    stats.bytes += partial.stats.bytes;
    stats.records += partial.stats.records;
    stats.outsideWindow += partial.stats.outsideWindow;
    stats.malformedRecords += partial.stats.malformedRecords;
    stats.unreadableFiles.push(...partial.stats.unreadableFiles);
  }

  /** The Usage document: everything sorted (plain code-unit order), so equal input gives equal output. */
  finish(): Usage {
    let start: number | null = null;
    let end: number | null = null;
    const principals: PrincipalUsage[] = [];
    for (const key of [...this.principals.keys()].sort(byCodeUnits)) {
      const entry = this.principals.get(key) as PrincipalAggregate;
      const actions: ActionUsage[] = [];
      for (const action of [...entry.actions.keys()].sort(byCodeUnits)) {
        const use = entry.actions.get(action) as ActionAggregate;
        actions.push({
          action,
          firstSeen: isoSeconds(use.first),
          lastSeen: isoSeconds(use.last),
          count: use.count,
          denied: use.denied,
          resources: [...(use.resources ?? [])].sort(byCodeUnits),
          resourcesTruncated: use.truncated,
        });
        if (start === null || use.first < start) start = use.first;
        if (end === null || use.last > end) end = use.last;
      }
      principals.push({
        principal: key,
        kind: entry.kind,
        accountId: entry.accountId,
        firstSeen: isoSeconds(entry.first),
        lastSeen: isoSeconds(entry.last),
        actions,
        lastConsoleLogin:
          entry.lastConsoleLogin === null ? null : isoSeconds(entry.lastConsoleLogin),
      });
    }
    const accessKeys: AccessKeyUsage[] = [...this.keys.keys()].sort(byCodeUnits).map((id) => {
      const entry = this.keys.get(id) as KeyAggregate;
      return {
        accessKeyId: id,
        principal: entry.principal,
        firstSeen: isoSeconds(entry.first),
        lastSeen: isoSeconds(entry.last),
        count: entry.count,
        services: [...entry.services].sort(byCodeUnits),
      };
    });
    const assumptions: RoleAssumption[] = [...this.assumptions.values()]
      .sort((a, b) => byCodeUnits(a.role, b.role) || byCodeUnits(a.assumedBy, b.assumedBy))
      .map((entry) => ({
        role: entry.role,
        assumedBy: entry.assumedBy,
        firstSeen: isoSeconds(entry.first),
        lastSeen: isoSeconds(entry.last),
        count: entry.count,
      }));
    const stats: UsageStats = {
      ...this.stats,
      unreadableFiles: [...this.stats.unreadableFiles].sort(
        (a, b) => byCodeUnits(a.file, b.file) || byCodeUnits(a.reason, b.reason),
      ),
    };
    return {
      schema: USAGE_SCHEMA,
      window: {
        start: start === null ? null : isoSeconds(start),
        end: end === null ? null : isoSeconds(end),
      },
      principals,
      accessKeys,
      assumptions,
      stats,
    };
  }
}

/** Sorts by UTF-16 code units, the same on every machine (no locale). */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
