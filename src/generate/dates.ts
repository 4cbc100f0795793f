/** Date arithmetic and the date spellings AWS uses in each format. */

const DAY_MS = 86_400_000;

/** The instant `days` (may be fractional) before `now`, truncated to whole seconds. */
export function daysBefore(now: Date, days: number): Date {
  return new Date(Math.floor((now.getTime() - days * DAY_MS) / 1000) * 1000);
}

/** The instant `seconds` after `date`. */
export function secondsAfter(date: Date, seconds: number): Date {
  return new Date(date.getTime() + Math.round(seconds) * 1000);
}

/** Whole days between two instants (`later - earlier`). */
export function daysBetween(earlier: Date, later: Date): number {
  return (later.getTime() - earlier.getTime()) / DAY_MS;
}

/** `2026-10-05T12:34:56Z`: CloudTrail and AWS Config. */
export function isoZ(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2026-10-05T12:34:56+00:00`: AWS CLI v2 output and the credential report. */
export function isoOffset(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** `2026-10-05T12:34:56.000+0000`: Lambda's `lastModified`. */
export function isoLambda(date: Date): string {
  return date.toISOString().replace(/Z$/, '+0000');
}

/** The earlier of two instants. */
export function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

/** The later of two instants. */
export function latest(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
