/**
 * The product is Apache-2.0: every package installed for it at run time (not a dev dependency,
 * per package-lock.json) must be under a permissive licence. An SPDX `OR` expression passes when
 * one of its choices is permissive. Dev dependencies (Vite's lightningcss is MPL-2.0) are build
 * and test tools: nothing of them ships.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const PERMISSIVE = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'Unlicense',
]);

function isPermissive(expression: string): boolean {
  const choices = expression.replace(/^\(|\)$/g, '').split(/\s+OR\s+/);
  return choices.some((choice) => PERMISSIVE.has(choice.trim()));
}

interface LockPackage {
  readonly license?: string;
  readonly dev?: boolean;
  readonly devOptional?: boolean;
}

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, LockPackage>;
};

describe('runtime dependency licences', () => {
  it('tells permissive expressions from others', () => {
    expect(isPermissive('MIT')).toBe(true);
    expect(isPermissive('(MIT OR WTFPL)')).toBe(true);
    expect(isPermissive('AGPL-3.0-only')).toBe(false);
    expect(isPermissive('MPL-2.0')).toBe(false);
    expect(isPermissive('(GPL-2.0 OR LGPL-3.0)')).toBe(false);
  });

  it('ships only permissively licensed packages', () => {
    const runtime = Object.entries(lock.packages).filter(
      ([path, pkg]) => path !== '' && !pkg.dev && !pkg.devOptional,
    );
    expect(runtime.length).toBeGreaterThan(20);
    const offending = runtime
      .filter(([, pkg]) => !isPermissive(pkg.license ?? 'UNKNOWN'))
      .map(([path, pkg]) => `${path.replace(/^.*node_modules\//, '')}: ${pkg.license ?? 'none'}`);
    expect(offending).toEqual([]);
  });
});
