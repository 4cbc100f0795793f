import { readFile, stat } from 'node:fs/promises';
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { InputError, formatJsonPath, quoteForMessage } from '../model/index.js';

/** Default upper bound for one JSON or CSV input file (override with `maxBytes`). */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

export interface ReadOptions {
  /** Refuse files larger than this many bytes, before reading them. */
  readonly maxBytes?: number;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(0)} MiB` : `${bytes} bytes`;
}

/** Reads a UTF-8 text file, refusing one over the size limit with an {@link InputError}. */
export async function readTextFile(file: string, options: ReadOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new InputError(file, '', 'expected a file, found a folder');
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, '', 'cannot be read: ' + describeFsError(error), { cause: error });
  }
  if (size > maxBytes) {
    throw new InputError(
      file,
      '',
      `is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for one input file ` +
        `(split it per account, or raise the limit with --max-input-size)`,
    );
  }
  try {
    const text = await readFile(file, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw new InputError(file, '', 'cannot be read: ' + describeFsError(error), { cause: error });
  }
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** Parses JSON text, turning a syntax error into an {@link InputError} with line and column. */
export function parseJsonText(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Slow path, only on bad input: V8 on Node 20 does not say where the error is, so a
    // second parser finds the first error's offset.
    const errors: ParseError[] = [];
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    let location = '';
    let problem = error instanceof Error ? error.message : String(error);
    if (first) {
      const before = text.slice(0, first.offset);
      const line = before.split('\n').length;
      const column = first.offset - before.lastIndexOf('\n');
      location = `line ${line}, column ${column}`;
      problem = printParseErrorCode(first.error);
    }
    // A file cut inside a string fails where that string starts: nothing after it closes it.
    const cutInString =
      first !== undefined &&
      printParseErrorCode(first.error) === 'UnexpectedEndOfString' &&
      !text.slice(first.offset + 1).includes('"');
    const endsEarly = first
      ? first.offset >= text.trimEnd().length || cutInString
      : /end of JSON/.test(problem);
    throw new InputError(
      file,
      location,
      endsEarly
        ? 'expected valid JSON, but the file ends early (is it truncated?)'
        : `expected valid JSON (${problem})`,
      { cause: error },
    );
  }
}

/** Reads and parses a JSON file with the size limit. */
export async function readJsonFile(file: string, options: ReadOptions = {}): Promise<unknown> {
  return parseJsonText(file, await readTextFile(file, options));
}

/**
 * Validates `value` with a zod schema and returns the typed result, or throws an
 * {@link InputError} naming the JSON path of the first problem (prefixed by `basePath`).
 */
export function parseWithSchema<T extends z.ZodType>(
  schema: T,
  value: unknown,
  file: string,
  basePath: readonly (string | number)[] = [],
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new InputError(file, formatJsonPath(basePath), 'is not valid');
  const path = [
    ...basePath,
    ...issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
  ];
  const found = valueAt(
    value,
    issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
  );
  const got = found === undefined ? 'nothing' : quoteForMessage(found);
  throw new InputError(file, formatJsonPath(path), `${lowerFirst(issue.message)} (found ${got})`);
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

const AWS_DATE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Normalises an AWS timestamp, ISO (`2023-03-09T10:41:38Z`) or boto3-style
 * (`2023-03-09 10:41:38+00:00`), to ISO UTC (`2023-03-09T10:41:38.000Z`); null when it is not one.
 */
export function normaliseAwsDate(value: string | Date): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const match = AWS_DATE.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = fields;
  const utc = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Reject dates that do not exist (2023-02-31) instead of letting Date roll them over.
  if (
    utc.getUTCFullYear() !== y ||
    utc.getUTCMonth() !== mo - 1 ||
    utc.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    return null;
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const zoneHours = Number(digits.slice(0, 2));
    const zoneMinutes = Number(digits.slice(2) || '0');
    if (zoneHours > 23 || zoneMinutes > 59) return null;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  const millis = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  return new Date(utc.getTime() - offsetMinutes * 60_000 + millis).toISOString();
}

/** A zod string of at most `max` characters; the messages name `what`. */
export function boundedTextSchema(what: string, max: number) {
  return z
    .string({ error: `expected ${what} as a string` })
    .max(max, { error: `expected ${what} of at most ${max} characters` });
}

/** A zod AWS timestamp (text or Date), normalised to ISO UTC; the message names `what`. */
export function awsDateSchema(what: string) {
  return z
    .union([z.string(), z.date()], { error: `expected ${what} as an ISO-8601 date` })
    .transform((value, ctx) => {
      const normal = normaliseAwsDate(value);
      if (normal === null) {
        ctx.addIssue({ code: 'custom', message: `expected ${what} as an ISO-8601 date` });
        return z.NEVER;
      }
      return normal;
    });
}
