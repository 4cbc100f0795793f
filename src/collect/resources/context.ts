import type { ClientSettings, GapSink } from '../aws.js';
import type { ConfigItem } from '../config-item.js';

/** What a resource collector gets for one account and region. */
export interface RegionContext {
  readonly accountId: string;
  readonly region: string;
  /** Client settings for this account and region (credentials, retries). */
  readonly settings: ClientSettings;
  readonly sink: GapSink;
  readonly now: Date;
}

/** One service's resource collector (a row of the table in resources/index.ts). */
export interface ResourceCollector {
  /** Short service name, as in `--services` and the progress lines. */
  readonly service: string;
  /** The configuration item types it writes (a gap names the type it lacks). */
  readonly types: readonly string[];
  /** Account-wide (run once, not per region). */
  readonly global?: boolean;
  collect(context: RegionContext): Promise<ConfigItem[]>;
}

/** The partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Largest resource policy kept (the importer refuses larger ones; AWS's own limits are far lower). */
export const MAX_POLICY_BYTES = 128 * 1024;

/** Most resources of one type read in one region (then a gap says the rest is missing). */
export const MAX_RESOURCES_PER_TYPE = 20_000;

/** The policy text when it is within bounds; otherwise undefined and a gap. */
export function boundedPolicy(
  context: RegionContext,
  type: string,
  arn: string,
  text: string | null | undefined,
): string | null | undefined {
  if (text === null || text === undefined || text === '') return null;
  if (Buffer.byteLength(text) <= MAX_POLICY_BYTES) return text;
  context.sink.add({
    source: `config:${type}`,
    accountId: context.accountId,
    region: context.region,
    detail: `${arn}: the resource policy is larger than 128 KiB; it was not read`,
  });
  return undefined;
}

/** Keeps at most {@link MAX_RESOURCES_PER_TYPE} items; a gap says what was left out. */
export function capped<T>(context: RegionContext, type: string, items: readonly T[]): T[] {
  if (items.length <= MAX_RESOURCES_PER_TYPE) return [...items];
  context.sink.add({
    source: `config:${type}`,
    accountId: context.accountId,
    region: context.region,
    detail: `more than ${MAX_RESOURCES_PER_TYPE} resources; the rest were not read`,
  });
  return items.slice(0, MAX_RESOURCES_PER_TYPE);
}

/** A copy of `value` without the members named (environment variables and other secrets). */
export function without<T extends object>(value: T, ...names: string[]): Partial<T> {
  const copy = { ...value } as Record<string, unknown>;
  for (const name of names) delete copy[name];
  return copy as Partial<T>;
}

/** Splits `items` into batches of `size` (for Describe calls that take several names). */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `run`; an error named in `none` means "there is none" (null). */
export async function orNone<T>(run: () => Promise<T>, ...none: string[]): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (none.includes(String((error as { name?: unknown }).name))) return null;
    throw error;
  }
}
