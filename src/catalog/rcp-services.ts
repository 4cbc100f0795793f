import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamDataPackageRoot } from './iam-data-source.js';

let cached: ReadonlySet<string> | null = null;

/**
 * The service prefixes that resource control policies apply to (RCPs affect only these services'
 * resources), from the iam-data package's `rcpSupportedServices.json`.
 */
export function rcpSupportedServices(): ReadonlySet<string> {
  if (!cached) {
    const file = join(iamDataPackageRoot(), 'data', 'rcpSupportedServices.json');
    const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
      throw new Error(`${file}: expected a JSON array of service prefixes`);
    }
    cached = new Set(list.map((s: string) => s.toLowerCase()));
  }
  return cached;
}
