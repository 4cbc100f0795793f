/**
 * A real PostgreSQL server for tests: IAMSIGHT_TEST_POSTGRES names one where tests may create
 * throwaway databases (dropped afterwards); unset, the local socket's default is tried. When no
 * server answers the PostgreSQL half of a suite is skipped with a visible notice, unless
 * IAMSIGHT_REQUIRE_POSTGRES=1 (set by .ci/run): then it fails.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests use: IAMSIGHT_TEST_POSTGRES, else the local Unix socket as the current user. */
export const testPostgresUrl =
  process.env.IAMSIGHT_TEST_POSTGRES ?? 'postgresql://%2Fvar%2Frun%2Fpostgresql/postgres';

const required = process.env.IAMSIGHT_REQUIRE_POSTGRES === '1';

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined); // already failed to connect: nothing to close
  }
}

/**
 * Whether tests can use PostgreSQL: true, or false after printing why (or throws when it is
 * required).
 */
export async function hasTestPostgres(): Promise<boolean> {
  const problem = await reachable(testPostgresUrl);
  if (problem === null) return true;
  const where = process.env.IAMSIGHT_TEST_POSTGRES
    ? 'IAMSIGHT_TEST_POSTGRES'
    : 'the local socket (set IAMSIGHT_TEST_POSTGRES)';
  if (required) {
    throw new Error(
      `IAMSIGHT_REQUIRE_POSTGRES=1 but PostgreSQL at ${where} cannot be used: ${problem}`,
    );
  }
  console.warn(`[postgres] ${where} cannot be used (${problem}): skipping the PostgreSQL tests`);
  return false;
}

/** Creates an empty database on the test server; returns its URL and how to drop it. */
export async function createThrowawayDatabase(): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `iamsight_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
