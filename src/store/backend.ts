/**
 * The two databases behind one typed query layer (Kysely): the embedded store (SQLite through
 * better-sqlite3, a file in a folder) and PostgreSQL (node-postgres). Only what SQL cannot say
 * the same way in both lives here: opening, the writer's lock, case-insensitive matching and the
 * number of bound parameters a statement may carry.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import pg from 'pg';
import { StoreError } from './errors.js';
import { describeLocation, type StoreLocation } from './location.js';
import { migrateToLatest, type Flavor } from './migrations.js';
import type { Database } from './schema.js';

export interface Backend {
  readonly flavor: Flavor;
  readonly db: Kysely<Database>;
  /** The location for messages (no password). */
  readonly location: string;
  /** `like` (SQLite: case-insensitive for ASCII) or `ilike` (PostgreSQL). */
  readonly caseInsensitiveLike: 'like' | 'ilike';
  /** Bound parameters one statement may carry. */
  readonly maxParameters: number;
  /**
   * Runs `work` in a transaction that writers take one at a time (SQLite `BEGIN IMMEDIATE`,
   * PostgreSQL a transaction-scoped advisory lock): a concurrent writer waits, then sees this
   * one's result. Rolled back on any error.
   */
  write<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Runs `work` on one consistent snapshot of the data. */
  read<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Arbitrary but fixed: the advisory lock key of scan writers (PostgreSQL). */
const WRITER_LOCK = 7_373_001;

/** How long a writer waits for another one (SQLite busy timeout), in ms. */
const BUSY_TIMEOUT_MS = 30_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function openSqlite(location: Extract<StoreLocation, { kind: 'sqlite' }>, mustExist: boolean) {
  if (!existsSync(location.file)) {
    if (mustExist) {
      throw new StoreError(
        `no store at ${location.file}: record a scan first (iamsight scan …), or name the store with --store`,
      );
    }
    try {
      // Findings describe weaknesses: the store is readable by its owner only.
      mkdirSync(location.dir, { recursive: true, mode: 0o700 });
      closeSync(openSync(location.file, 'a', 0o600));
    } catch (error) {
      throw new StoreError(`cannot create the store ${location.file}: ${message(error)}`, {
        cause: error,
      });
    }
  }
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(location.file, { fileMustExist: true });
    // The busy timeout first: switching a new file to WAL waits for a concurrent opener.
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
    // Up to 64 MiB of pages cached (the default is 2 MiB): a scan reads every open finding.
    database.pragma('cache_size = -65536');
  } catch (error) {
    throw new StoreError(`${location.file}: not an iamsight store (${message(error)})`, {
      cause: error,
    });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, database };
}

async function inTransaction<T>(
  db: Kysely<Database>,
  begin: string,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql.raw(begin).execute(connection);
    try {
      const result = await work(connection);
      await sql.raw('commit').execute(connection);
      return result;
    } catch (error) {
      await sql.raw('rollback').execute(connection);
      throw error;
    }
  });
}

/** Opens (and creates or migrates) the store at `location`. */
export async function openBackend(
  location: StoreLocation,
  options: { readonly mustExist?: boolean } = {},
): Promise<Backend> {
  const shown = describeLocation(location);
  let backend: Backend;
  if (location.kind === 'sqlite') {
    const { db } = openSqlite(location, options.mustExist ?? false);
    backend = {
      flavor: 'sqlite',
      db,
      location: shown,
      caseInsensitiveLike: 'like',
      // SQLITE_MAX_VARIABLE_NUMBER of the SQLite that better-sqlite3 bundles.
      maxParameters: 32_766,
      write: (work) => inTransaction(db, 'begin immediate', work),
      read: (work) => inTransaction(db, 'begin', work),
      close: async () => {
        // Keeps the query planner's statistics current (SQLite's advice for short connections).
        await sql`pragma optimize`.execute(db);
        await db.destroy();
      },
    };
  } else {
    const pool = new pg.Pool({
      connectionString: location.url,
      max: 4,
      application_name: 'iamsight',
      connectionTimeoutMillis: 15_000,
    });
    // An idle connection dropped by the server is replaced by the pool on next use.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      await db.destroy();
      throw new StoreError(`cannot use the PostgreSQL store ${shown}: ${message(error)}`, {
        cause: error,
      });
    }
    backend = {
      flavor: 'postgres',
      db,
      location: shown,
      caseInsensitiveLike: 'ilike',
      maxParameters: 65_535,
      write: (work) =>
        db.transaction().execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(${WRITER_LOCK})`.execute(trx);
          return work(trx);
        }),
      read: (work) => db.transaction().setIsolationLevel('repeatable read').execute(work),
      close: () => db.destroy(),
    };
  }
  try {
    // SQLite: Kysely runs its migrations outside transactions and without a lock there; one
    // writer's transaction makes a concurrent first opening wait, and a crash leave nothing half
    // done. PostgreSQL: the migrator's own transaction and advisory lock do the same.
    if (backend.flavor === 'sqlite')
      await backend.write((db) => migrateToLatest(db, backend.flavor, shown, true));
    else await migrateToLatest(backend.db, backend.flavor, shown, false);
  } catch (error) {
    await backend.close();
    throw error;
  }
  return backend;
}
