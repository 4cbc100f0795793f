/**
 * Where the store is: `--store DIR|URL`, else the environment variable IAMSIGHT_STORE, else a
 * per-user data folder (`$XDG_DATA_HOME/iamsight`, or `~/.local/share/iamsight`). A folder holds
 * the embedded store (`iamsight.db`, SQLite); a `postgres://` or `postgresql://` URL names a
 * PostgreSQL database.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { StoreError } from './errors.js';

export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly dir: string; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** The embedded store's file name inside its folder. */
export const STORE_FILE = 'iamsight.db';

/** The default folder of the embedded store. */
export function defaultStoreDir(env: NodeJS.ProcessEnv, home: string): string {
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share'), 'iamsight');
}

/** Resolves `--store` (or IAMSIGHT_STORE, or the default) to a location. */
export function resolveStoreLocation(
  value: string | undefined,
  env: NodeJS.ProcessEnv,
  home: string,
): StoreLocation {
  const given = value ?? (env.IAMSIGHT_STORE || undefined);
  if (given === undefined) {
    const dir = defaultStoreDir(env, home);
    return { kind: 'sqlite', dir, file: join(dir, STORE_FILE) };
  }
  if (/^postgres(ql)?:\/\//i.test(given)) {
    try {
      new URL(given);
    } catch (error) {
      throw new StoreError(`--store: ${redactUrl(given)} is not a valid PostgreSQL URL`, {
        cause: error,
      });
    }
    return { kind: 'postgres', url: given };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(given)) {
    throw new StoreError(
      `--store: expected a folder or a postgres:// URL, got ${JSON.stringify(given.split('://')[0] + '://…')}`,
    );
  }
  const dir = resolve(given);
  return { kind: 'sqlite', dir, file: join(dir, STORE_FILE) };
}

/** A URL with its password replaced, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not parseable: hide everything between "://" and "@", where a password would be.
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** The location as shown to a person: the file, or the URL without its password. */
export function describeLocation(location: StoreLocation): string {
  return location.kind === 'sqlite' ? location.file : redactUrl(location.url);
}
