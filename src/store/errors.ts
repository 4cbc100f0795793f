/**
 * A problem with the store that the user can fix: a store written by a newer iamsight, a scan
 * older than the store's latest, an unreachable or refusing PostgreSQL server, a file that is not
 * a store. The CLI prints the message (never a password) and exits 2.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** True when `error` is a {@link StoreError}. */
export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError;
}
