/**
 * Versioned migrations of the store, applied automatically when a store is opened (Kysely's
 * migrator: each in a transaction, under its lock). Append new ones; never edit a released one.
 * A store that holds a migration this version does not know was written by a newer iamsight:
 * refused with a clear error, never downgraded silently.
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Database } from './schema.js';
import { StoreError } from './errors.js';

export type Flavor = 'sqlite' | 'postgres';

/** The migration bookkeeping tables (names fixed for the life of the project). */
export const MIGRATION_TABLE = 'iamsight_migration';
export const MIGRATION_LOCK_TABLE = 'iamsight_migration_lock';

// Kysely's schema builder is untyped by design (tables do not exist yet).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

function migrations(flavor: Flavor): Record<string, Migration> {
  const id = flavor === 'sqlite' ? 'integer' : 'serial';
  return {
    '0001_initial': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('scans')
          .addColumn('id', id, (c) =>
            flavor === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
          )
          .addColumn('as_of', 'text', (c) => c.notNull())
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .addColumn('iamsight_version', 'text', (c) => c.notNull())
          .addColumn('inputs', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('score_value', 'double precision', (c) => c.notNull())
          .addColumn('score_earned', 'double precision', (c) => c.notNull())
          .addColumn('score_possible', 'double precision', (c) => c.notNull())
          .addColumn('findings_total', 'integer', (c) => c.notNull())
          .addColumn('findings_muted', 'integer', (c) => c.notNull())
          .addColumn('opened', 'integer', (c) => c.notNull())
          .addColumn('reopened', 'integer', (c) => c.notNull())
          .addColumn('resolved', 'integer', (c) => c.notNull())
          .addColumn('unchecked', 'integer', (c) => c.notNull())
          .addColumn('gaps', 'text', (c) => c.notNull())
          .addColumn('coverage', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('scans_as_of').on('scans').columns(['as_of', 'id']).execute();

        await db.schema
          .createTable('scan_scores')
          .addColumn('scan_id', 'integer', (c) =>
            c.notNull().references('scans.id').onDelete('cascade'),
          )
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('value', 'double precision', (c) => c.notNull())
          .addColumn('earned', 'double precision', (c) => c.notNull())
          .addColumn('possible', 'double precision', (c) => c.notNull())
          .addPrimaryKeyConstraint('scan_scores_pk', ['account_id', 'scan_id'])
          .execute();

        await db.schema
          .createTable('mutes')
          .addColumn('id', id, (c) =>
            flavor === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
          )
          .addColumn('fingerprint', 'text')
          .addColumn('rule', 'text')
          .addColumn('arn', 'text')
          .addColumn('account', 'text')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('until', 'text')
          .addColumn('removed_at', 'text')
          .addColumn('removed_by', 'text')
          .execute();

        await db.schema
          .createTable('findings')
          .addColumn('id', id, (c) =>
            flavor === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
          )
          .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('anchor', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('severity_rank', 'integer', (c) => c.notNull())
          .addColumn('resource_arn', 'text', (c) => c.notNull())
          .addColumn('resource_type', 'text', (c) => c.notNull())
          .addColumn('resource_name', 'text', (c) => c.notNull())
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('content_hash', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('state_scan', 'integer', (c) => c.notNull().references('scans.id'))
          .addColumn('state_at', 'text', (c) => c.notNull())
          .addColumn('scan_muted', 'integer', (c) => c.notNull())
          .addColumn('is_muted', 'integer', (c) => c.notNull())
          .addColumn('mute_reason', 'text')
          .addColumn('mute_until', 'text')
          .addColumn('mute_by', 'text')
          .addColumn('mute_id', 'integer', (c) => c.references('mutes.id'))
          .addColumn('first_seen_scan', 'integer', (c) => c.notNull().references('scans.id'))
          .addColumn('first_seen_at', 'text', (c) => c.notNull())
          .execute();
        // The explorer lists by severity within a status, optionally for one account, rule or
        // resource type, and counts per rule, resource, account or severity: each of these reads
        // one index only. Every index starts with the state and ends with the mute columns, so a
        // status filter (mutes expire) is judged from the index.
        for (const [name, columns] of [
          ['findings_state', ['state', 'severity_rank', 'id', 'is_muted', 'mute_until']],
          ['findings_rule', ['state', 'rule_id', 'severity_rank', 'id', 'is_muted', 'mute_until']],
          [
            'findings_account',
            ['state', 'account_id', 'severity_rank', 'id', 'is_muted', 'mute_until'],
          ],
          [
            'findings_type',
            ['state', 'resource_type', 'severity_rank', 'id', 'is_muted', 'mute_until'],
          ],
          [
            'findings_resource',
            ['state', 'resource_arn', 'severity_rank', 'is_muted', 'mute_until'],
          ],
          // What every scan reads of every open finding (src/store/record-scan.ts readPrior).
          [
            'findings_prior',
            ['state', 'fingerprint', 'id', 'scan_muted', 'is_muted', 'content_hash'],
          ],
        ] as const) {
          await db.schema
            .createIndex(name)
            .on('findings')
            .columns([...columns])
            .execute();
        }

        await db.schema
          .createTable('finding_content')
          .addColumn('finding_id', 'integer', (c) =>
            c.primaryKey().references('findings.id').onDelete('cascade'),
          )
          .addColumn('rule_version', 'integer', (c) => c.notNull())
          .addColumn('category', 'text', (c) => c.notNull())
          .addColumn('region', 'text')
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('evidence', 'text', (c) => c.notNull())
          .addColumn('remediation', 'text', (c) => c.notNull())
          .addColumn('console_url', 'text')
          .execute();

        let events = db.schema
          .createTable('finding_events')
          .addColumn('finding_id', 'integer', (c) =>
            c.notNull().references('findings.id').onDelete('cascade'),
          )
          .addColumn('scan_id', 'integer', (c) =>
            c.notNull().references('scans.id').onDelete('cascade'),
          )
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .addPrimaryKeyConstraint('finding_events_pk', ['finding_id', 'scan_id', 'kind']);
        // SQLite: the events of a finding are stored together, in its primary key's order.
        if (flavor === 'sqlite') events = events.modifyEnd(sql`without rowid`);
        await events.execute();
        await db.schema
          .createIndex('finding_events_scan')
          .on('finding_events')
          .columns(['scan_id', 'kind'])
          .execute();
      },
    },
    // The live score (src/store/live-score.ts): each finding carries the weight its (rule,
    // resource) pair had in the score of the last scan that reported it (0: not scored). Stores
    // recorded before have 0 until their next scan writes it; the live score is then the scan's.
    '0002_live_score': {
      async up(db: AnyDb) {
        await db.schema
          .alterTable('findings')
          .addColumn('score_weight', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        // What every scan reads of every open finding, now with its weight.
        await db.schema.dropIndex('findings_prior').execute();
        await db.schema
          .createIndex('findings_prior')
          .on('findings')
          .columns([
            'state',
            'fingerprint',
            'id',
            'scan_muted',
            'is_muted',
            'content_hash',
            'score_weight',
          ])
          .execute();
      },
    },
  };
}

/** The schema version this build knows: the number of its migrations. */
export const SCHEMA_VERSION = Object.keys(migrations('sqlite')).length;

/** The migration names recorded in a store (empty for a new one). */
async function appliedMigrations(db: AnyDb): Promise<string[]> {
  const tables = await db.introspection.getTables();
  if (!tables.some((t) => t.name === MIGRATION_TABLE)) return [];
  const rows = await db.selectFrom(MIGRATION_TABLE).select('name').execute();
  return rows.map((row: { name: string }) => row.name);
}

/** Refuses a store written by a newer iamsight (a migration this build does not know). */
export async function checkSchemaVersion(
  db: Kysely<Database> | AnyDb,
  flavor: Flavor,
  location: string,
): Promise<void> {
  const known = new Set(Object.keys(migrations(flavor)));
  const unknown = (await appliedMigrations(db as AnyDb)).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    const newest = [...unknown].sort().at(-1) ?? '';
    throw new StoreError(
      `${location}: the store has schema version ${Number.parseInt(newest, 10) || newest}, ` +
        `written by a newer iamsight; this one knows version ${SCHEMA_VERSION}. Upgrade iamsight ` +
        `(the store is left as it is).`,
    );
  }
}

/** Brings a store to the latest schema (a new store is created), after the version check. */
export async function migrateToLatest(
  db: Kysely<Database>,
  flavor: Flavor,
  location: string,
  /** True when the caller already holds a transaction. */
  inTransaction: boolean,
): Promise<void> {
  await checkSchemaVersion(db, flavor, location);
  const all = migrations(flavor);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(all) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    disableTransactions: inTransaction,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    throw new StoreError(
      `${location}: cannot bring the store's schema up to date (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
}
