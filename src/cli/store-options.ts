/** The `--store DIR|URL` option of the commands that use the store, and opening it. */
import type { Command } from 'commander';
import { homedir } from 'node:os';
import { openStore, resolveStoreLocation, type Store } from '../store/index.js';

export const STORE_HELP =
  'the store: a folder (embedded, the default is $XDG_DATA_HOME/iamsight or ~/.local/share/iamsight) or a postgres:// URL; default $IAMSIGHT_STORE';

/** Adds `--store` to a command. */
export function withStoreOption(command: Command): Command {
  return command.option('--store <dir|url>', STORE_HELP);
}

/** Opens the store named by `--store`, IAMSIGHT_STORE or the default. */
export function openCliStore(
  value: string | undefined,
  options: { readonly mustExist?: boolean } = {},
): Promise<Store> {
  return openStore(resolveStoreLocation(value, process.env, homedir()), options);
}

/** Runs `work` with the store open, and closes it. */
export async function withStore<T>(
  value: string | undefined,
  work: (store: Store) => Promise<T>,
  options: { readonly mustExist?: boolean } = { mustExist: true },
): Promise<T> {
  const store = await openCliStore(value, options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The current time (the CLI's clock: the store's queries judge mute expiry by it). */
export function nowIso(): string {
  return new Date().toISOString();
}
