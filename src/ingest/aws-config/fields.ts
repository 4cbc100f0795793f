import type { PolicyDocument } from '../../model/index.js';
import { InputError, iamArn, quoteForMessage } from '../../model/index.js';

/** One step of a JSON path: a member name or an array index. */
export type PathSegment = string | number;

/** A parsed JSON object (attacker-controlled text from AWS; read, never trusted). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** An object inside a configuration item, with its path from the item for error messages. */
export interface Node {
  readonly value: JsonObject;
  readonly path: readonly PathSegment[];
}

/** Where the item being read is: names the file and formats a location for an {@link InputError}. */
export interface ItemContext {
  readonly file: string;
  /** Formats the location of `path` (relative to the item), e.g. `$.configurationItems[3].ARN`. */
  locate(path: readonly PathSegment[]): string;
}

/**
 * Largest policy document accepted, in bytes. AWS's own limits are far smaller (20 KiB for an S3
 * bucket policy, 32 KiB for a KMS key policy), so anything bigger is not a real policy.
 */
export const MAX_POLICY_BYTES = 128 * 1024;

/** How many times a JSON value may be encoded as a string inside another (AWS Config double-encodes some). */
const MAX_JSON_NESTING = 3;

/** Longest string kept in a properties excerpt. */
const MAX_EXCERPT_STRING = 200;
/** Most members kept in a properties excerpt, and most elements of an array in it. */
const MAX_EXCERPT_KEYS = 16;
const MAX_EXCERPT_ARRAY = 8;

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function casingsOf(name: string): string[] {
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return [...new Set([name, upper, lower])];
}

/**
 * Finds the first of `names` that `node` has, in either casing (`roleArn` also finds `RoleArn`):
 * AWS Config records older types in camelCase and newer ones in CloudFormation's PascalCase.
 */
export function memberOf(
  node: Node | undefined,
  ...names: string[]
): { readonly value: unknown; readonly path: readonly PathSegment[] } | undefined {
  if (!node) return undefined;
  for (const name of names) {
    for (const key of casingsOf(name)) {
      if (Object.hasOwn(node.value, key) && node.value[key] !== undefined) {
        return { value: node.value[key], path: [...node.path, key] };
      }
    }
  }
  return undefined;
}

function fail(
  ctx: ItemContext,
  path: readonly PathSegment[],
  expected: string,
  found: unknown,
  cause?: unknown,
): never {
  throw new InputError(
    ctx.file,
    ctx.locate(path),
    `expected ${expected} (found ${quoteForMessage(found)})`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Decodes a value that may be JSON text, or JSON text of JSON text: `select-resource-config`
 * returns `configuration` as a string, and AWS Config double-encodes some supplementary values.
 */
export function decodeJsonValue(
  ctx: ItemContext,
  path: readonly PathSegment[],
  value: unknown,
  expected: string,
): unknown {
  let current = value;
  for (let depth = 0; typeof current === 'string' && depth < MAX_JSON_NESTING; depth += 1) {
    const text = current.trim();
    if (text === '') return null;
    if (!/^[[{"]/.test(text)) return current;
    try {
      current = JSON.parse(text);
    } catch (error) {
      fail(ctx, path, `${expected} as JSON`, text, error);
    }
  }
  return current;
}

/** The object at one of `names`, decoding JSON text; undefined when absent or null. */
export function objectAt(
  ctx: ItemContext,
  node: Node | undefined,
  ...names: string[]
): Node | undefined {
  const found = memberOf(node, ...names);
  if (!found) return undefined;
  const value = decodeJsonValue(ctx, found.path, found.value, 'an object');
  if (value === null) return undefined;
  if (!isJsonObject(value)) fail(ctx, found.path, 'an object', value);
  return { value, path: found.path };
}

/** The objects of the array at one of `names`; an absent or null array is empty. */
export function objectsAt(ctx: ItemContext, node: Node | undefined, ...names: string[]): Node[] {
  const found = memberOf(node, ...names);
  if (!found) return [];
  const value = decodeJsonValue(ctx, found.path, found.value, 'an array');
  if (value === null) return [];
  if (!Array.isArray(value)) fail(ctx, found.path, 'an array of objects', value);
  return value.map((element: unknown, index) => {
    const path = [...found.path, index];
    if (!isJsonObject(element)) fail(ctx, path, 'an object', element);
    return { value: element, path };
  });
}

/** The string at one of `names`; null when absent, null or empty; an InputError for another type. */
export function stringAt(
  ctx: ItemContext,
  node: Node | undefined,
  ...names: string[]
): string | null {
  const found = memberOf(node, ...names);
  if (!found || found.value === null || found.value === '') return null;
  if (typeof found.value !== 'string') fail(ctx, found.path, 'a string', found.value);
  return found.value;
}

/** The strings of the array at one of `names` (empty strings and nulls dropped). */
export function stringsAt(ctx: ItemContext, node: Node | undefined, ...names: string[]): string[] {
  const found = memberOf(node, ...names);
  if (!found || found.value === null) return [];
  if (!Array.isArray(found.value)) fail(ctx, found.path, 'an array of strings', found.value);
  const out: string[] = [];
  found.value.forEach((element: unknown, index) => {
    if (element === null || element === '') return;
    if (typeof element !== 'string') fail(ctx, [...found.path, index], 'a string', element);
    out.push(element);
  });
  return out;
}

/** The integer at one of `names` (AWS Config writes some numbers as strings); null when absent. */
export function integerAt(
  ctx: ItemContext,
  node: Node | undefined,
  ...names: string[]
): number | null {
  const found = memberOf(node, ...names);
  if (!found || found.value === null || found.value === '') return null;
  const value = typeof found.value === 'string' ? Number(found.value) : found.value;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    fail(ctx, found.path, 'an integer', found.value);
  }
  return value;
}

/** The boolean at one of `names` (`"true"`/`"false"` accepted); null when absent. */
export function booleanAt(
  ctx: ItemContext,
  node: Node | undefined,
  ...names: string[]
): boolean | null {
  const found = memberOf(node, ...names);
  if (!found || found.value === null || found.value === '') return null;
  if (typeof found.value === 'boolean') return found.value;
  if (found.value === 'true' || found.value === 'false') return found.value === 'true';
  return fail(ctx, found.path, 'true or false', found.value);
}

/**
 * Reads a policy document given as an object, JSON text, doubly encoded JSON text or URL-encoded
 * JSON text. Null or empty means "no policy"; anything else that is not a JSON object, or is
 * larger than {@link MAX_POLICY_BYTES}, is an {@link InputError} naming the path.
 */
export function readPolicy(
  ctx: ItemContext,
  path: readonly PathSegment[],
  value: unknown,
): PolicyDocument | null {
  let current = value;
  for (let depth = 0; typeof current === 'string' && depth < MAX_JSON_NESTING; depth += 1) {
    let text = current.trim();
    if (text === '') return null;
    if (Buffer.byteLength(text) > MAX_POLICY_BYTES) {
      fail(
        ctx,
        path,
        `a policy document of at most ${MAX_POLICY_BYTES / 1024} KiB`,
        `${text.length} characters`,
      );
    }
    if (/^%7B/i.test(text)) text = decodeUrlEncoded(ctx, path, text);
    try {
      current = JSON.parse(text);
    } catch (error) {
      fail(ctx, path, 'a policy document as JSON', text, error);
    }
  }
  if (current === null || current === undefined) return null;
  if (!isJsonObject(current)) fail(ctx, path, 'a policy document (a JSON object)', current);
  const size = Buffer.byteLength(JSON.stringify(current));
  if (size > MAX_POLICY_BYTES) {
    fail(ctx, path, `a policy document of at most ${MAX_POLICY_BYTES / 1024} KiB`, `${size} bytes`);
  }
  return current;
}

function decodeUrlEncoded(ctx: ItemContext, path: readonly PathSegment[], text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch (error) {
    return fail(ctx, path, 'a URL-encoded policy document', text, error);
  }
}

/**
 * The policy at the first of `names` that `node` has: a document, null when the member says there
 * is none, or undefined when the item does not have the member at all (not recorded).
 */
export function policyAt(
  ctx: ItemContext,
  node: Node | undefined,
  ...names: string[]
): PolicyDocument | null | undefined {
  const found = memberOf(node, ...names);
  if (!found) return undefined;
  return readPolicy(ctx, found.path, found.value);
}

/** The first of `candidates` that is not undefined (null counts: it means "known to be none"). */
export function firstKnown<T>(...candidates: (T | undefined)[]): T | undefined {
  return candidates.find((candidate) => candidate !== undefined);
}

/** A scalar for display, without errors: strings, numbers, booleans, and `{value: x}` wrappers. */
export function scalarAt(
  node: Node | undefined,
  ...names: string[]
): string | number | boolean | null {
  const found = memberOf(node, ...names);
  if (!found) return null;
  let value = found.value;
  if (isJsonObject(value) && 'value' in value) value = value.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? value
    : null;
}

function boundValue(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_EXCERPT_STRING ? `${value.slice(0, MAX_EXCERPT_STRING)}…` : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    return value
      .filter((element) => ['string', 'number', 'boolean'].includes(typeof element))
      .slice(0, MAX_EXCERPT_ARRAY)
      .map(boundValue);
  }
  return undefined;
}

/**
 * A small, bounded excerpt for display: scalars and short arrays of scalars only, strings cut at
 * 200 characters, at most 16 members; null, empty and nested values are dropped.
 */
export function excerpt(entries: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (Object.keys(out).length >= MAX_EXCERPT_KEYS) break;
    const bounded = boundValue(value);
    if (
      bounded === undefined ||
      bounded === '' ||
      (Array.isArray(bounded) && bounded.length === 0)
    ) {
      continue;
    }
    out[key] = bounded;
  }
  return out;
}

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), `aws` when it has none. */
export function partitionOfArn(arn: string): string {
  const partition = arn.split(':')[1];
  return partition && /^aws[\w-]*$/.test(partition) ? partition : 'aws';
}

/** The partition a region belongs to (`cn-north-1` → `aws-cn`). */
export function partitionOfRegion(region: string | null): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * A role ARN from a value that services accept as a role name or ARN (Glue, CodeBuild). A bare
 * name becomes the ARN with path `/`; role names are unique in an account whatever their path,
 * so the graph can still match it by name.
 */
export function roleArnOf(value: string, accountId: string, partition: string): string {
  return value.startsWith('arn:') ? value : iamArn(accountId, 'role', '/', value, partition);
}

/** An instance profile ARN from a value that may be its name or its ARN (see {@link roleArnOf}). */
export function instanceProfileArnOf(value: string, accountId: string, partition: string): string {
  return value.startsWith('arn:')
    ? value
    : iamArn(accountId, 'instance-profile', '/', value, partition);
}

/** Drops duplicates, keeping the first occurrence's order. */
export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
