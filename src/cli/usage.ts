/** A mistake in how the command was called (not in an input file); exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Open findings at or above `--fail-on`: the report is written, and the exit code is 1. */
export class FindingsAtOrAbove extends Error {
  override readonly name = 'FindingsAtOrAbove';
}

/** Commander helper for repeatable options: `--authz a --authz b` → `['a', 'b']`. */
export function collectValues(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parses an ISO-8601 date (midnight UTC) or date-time given to `flag`; a usage error otherwise. */
function parseDate(value: string, flag: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    throw new UsageError(
      `${flag}: expected an ISO-8601 date such as 2026-11-24 or 2026-11-24T10:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a real date`);
  }
  // Date rolls 2026-02-30 over to March: refuse days that do not exist.
  if (value.length === 10 && date.toISOString().slice(0, 10) !== value)
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a real date`);
  return date;
}

/** Parses `--as-of` (ISO-8601 date or date-time) to an ISO string; default now. */
export function parseAsOf(value: string | undefined, now: () => Date = () => new Date()): string {
  if (value === undefined) return now().toISOString();
  return parseDate(value, '--as-of').toISOString();
}

/**
 * Parses a time-window flag (`--since`, `--until`) to CloudTrail's `YYYY-MM-DDTHH:MM:SSZ`; a date
 * alone is midnight UTC; null when absent.
 */
export function parseWindowFlag(value: string | undefined, flag: string): string | null {
  if (value === undefined) return null;
  return `${parseDate(value, flag).toISOString().slice(0, 19)}Z`;
}

/** Parses a size in MiB given on the command line to bytes. */
export function parseMebibytes(value: string, flag: string): number {
  const mebibytes = Number(value);
  if (!Number.isFinite(mebibytes) || mebibytes <= 0) {
    throw new UsageError(
      `${flag}: expected a positive number of MiB, got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(mebibytes * 1024 * 1024);
}
