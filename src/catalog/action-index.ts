/**
 * The dense action index: every action of every service numbered 0..n-1, sorted by service key
 * and then by lower-cased action name (plain code-unit order, so the numbering is the same on
 * every machine). The actions of one service are contiguous, and within a service names sorted
 * this way put every name prefix in one contiguous range.
 */

import type { ActionUniverse } from './action-set.js';

/** One service's key and the canonical names of its actions (without the `service:` prefix). */
export interface ServiceActions {
  readonly key: string;
  readonly actions: readonly string[];
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The numbering of all actions, with lookups by name, by service and by name prefix. */
export class ActionIndex implements ActionUniverse {
  /** Canonical names (`iam:PassRole`) in index order. */
  readonly names: readonly string[];
  /** Lower-cased names in index order. */
  readonly lowerNames: readonly string[];
  /** Lower-cased service keys in service-number order. */
  readonly serviceKeys: readonly string[];
  /** The service number of each action. */
  readonly serviceOfAction: Uint16Array;
  private readonly serviceStarts: Uint32Array;
  private readonly byLowerName = new Map<string, number>();
  private readonly byServiceKey = new Map<string, number>();

  constructor(services: readonly ServiceActions[]) {
    const sorted = services
      .map((service) => ({
        key: service.key.toLowerCase(),
        actions: service.actions
          .map((name) => ({ name, lower: name.toLowerCase() }))
          .sort((a, b) => compareCodeUnits(a.lower, b.lower)),
      }))
      .sort((a, b) => compareCodeUnits(a.key, b.key));
    if (sorted.length > 0xffff) throw new Error('ActionIndex: more than 65535 services');

    const names: string[] = [];
    const lowerNames: string[] = [];
    const serviceKeys: string[] = [];
    const starts: number[] = [];
    const serviceOf: number[] = [];
    for (const service of sorted) {
      if (this.byServiceKey.has(service.key)) {
        throw new Error(`ActionIndex: service ${service.key} is listed twice`);
      }
      this.byServiceKey.set(service.key, serviceKeys.length);
      starts.push(names.length);
      for (const action of service.actions) {
        const name = `${service.key}:${action.name}`;
        const lower = `${service.key}:${action.lower}`;
        if (this.byLowerName.has(lower))
          throw new Error(`ActionIndex: action ${name} is listed twice`);
        this.byLowerName.set(lower, names.length);
        names.push(name);
        lowerNames.push(lower);
        serviceOf.push(serviceKeys.length);
      }
      serviceKeys.push(service.key);
    }
    starts.push(names.length);
    this.names = names;
    this.lowerNames = lowerNames;
    this.serviceKeys = serviceKeys;
    this.serviceStarts = Uint32Array.from(starts);
    this.serviceOfAction = Uint16Array.from(serviceOf);
  }

  /** The number of actions. */
  get size(): number {
    return this.names.length;
  }

  /** The canonical name of the action with this index. */
  nameOf(index: number): string {
    const name = this.names[index];
    if (name === undefined) {
      throw new RangeError(`ActionIndex: no action has index ${index} (there are ${this.size})`);
    }
    return name;
  }

  /** The index of an action named `service:Action` in any casing, or undefined when unknown. */
  indexOf(name: string): number | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  /** The number of a service from its key in any casing, or undefined when unknown. */
  serviceNumber(key: string): number | undefined {
    return this.byServiceKey.get(key.toLowerCase());
  }

  /** The first action index of a service. */
  serviceStart(service: number): number {
    return this.serviceStarts[service] ?? this.size;
  }

  /** One past the last action index of a service. */
  serviceEnd(service: number): number {
    return this.serviceStarts[service + 1] ?? this.size;
  }

  /**
   * The index range `[start, end)` of a service's actions whose lower-cased full name starts with
   * `lowerPrefix` (which must itself start with the service's `key:`).
   */
  prefixRange(service: number, lowerPrefix: string): [number, number] {
    const names = this.lowerNames;
    let low = this.serviceStart(service);
    let high = this.serviceEnd(service);
    // First name >= prefix.
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (names[mid]! < lowerPrefix) low = mid + 1;
      else high = mid;
    }
    const start = low;
    high = this.serviceEnd(service);
    // First name that no longer starts with the prefix.
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (names[mid]!.startsWith(lowerPrefix)) low = mid + 1;
      else high = mid;
    }
    return [start, low];
  }
}
