/**
 * How one request value compares with one (resolved) policy value, per operator family, before
 * negation. Wildcards follow the IAM User Guide: in `StringLike` and the ARN operators `*` matches
 * any run of characters (also none) and `?` exactly one; text substituted for a policy variable,
 * and `${*}` / `${?}`, is literal.
 */
import type { PatternPart } from '../variables.js';
import type { OperatorInfo } from './operators.js';
import {
  cidrContains,
  decodeBase64,
  parseBool,
  parseCidr,
  parseDate,
  parseIpAddress,
  parseNumber,
} from './values.js';

type Token =
  | { readonly kind: 'star' }
  | { readonly kind: 'one' }
  | { readonly kind: 'char'; readonly char: string };

const STAR: Token = { kind: 'star' };
const ONE: Token = { kind: 'one' };

/** The plain text of resolved parts (wildcards kept as characters). */
export function textOf(parts: readonly PatternPart[]): string {
  return parts.map((part) => part.text).join('');
}

/** Compiled plain patterns (no variable parts), by text; bounded since policies are untrusted. */
const tokenCache = new Map<string, Token[]>();

function tokensOf(parts: readonly PatternPart[]): Token[] {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only && !only.literal) {
    let cached = tokenCache.get(only.text);
    if (!cached) {
      if (tokenCache.size >= 50_000) tokenCache.clear();
      cached = compileTokens(parts);
      tokenCache.set(only.text, cached);
    }
    return cached;
  }
  return compileTokens(parts);
}

function compileTokens(parts: readonly PatternPart[]): Token[] {
  const tokens: Token[] = [];
  for (const part of parts) {
    for (const char of part.text) {
      if (!part.literal && char === '*') tokens.push(STAR);
      else if (!part.literal && char === '?') tokens.push(ONE);
      else tokens.push({ kind: 'char', char });
    }
  }
  return tokens;
}

/** Wildcard match over code points; linear backtracking on the last `*` (no regular expression). */
function globMatch(pattern: readonly Token[], text: string): boolean {
  // Code points: a surrogate pair is one character (so `?` matches it whole). Most text has none,
  // and is matched in place without copying it into an array.
  const chars: string | string[] = /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : text;
  let p = 0;
  let t = 0;
  let starAt = -1;
  let starText = 0;
  while (t < chars.length) {
    const token = pattern[p];
    if (token && (token.kind === 'one' || (token.kind === 'char' && token.char === chars[t]))) {
      p += 1;
      t += 1;
    } else if (token?.kind === 'star') {
      starAt = p;
      starText = t;
      p += 1;
    } else if (starAt >= 0) {
      p = starAt + 1;
      starText += 1;
      t = starText;
    } else {
      return false;
    }
  }
  while (pattern[p]?.kind === 'star') p += 1;
  return p === pattern.length;
}

/** True when `text` matches the resolved pattern (`*` and `?` wildcards outside literal parts). */
export function matchesPattern(parts: readonly PatternPart[], text: string): boolean {
  return globMatch(tokensOf(parts), text);
}

/**
 * Splits resolved ARN pattern parts into the six colon-separated fields (the sixth keeps any
 * further colons), or undefined when there are fewer than six.
 */
export function splitArnPattern(parts: readonly PatternPart[]): PatternPart[][] | undefined {
  const fields: PatternPart[][] = [[]];
  for (const part of parts) {
    let rest = part.text;
    while (fields.length < 6) {
      const colon = rest.indexOf(':');
      if (colon < 0) break;
      fields.at(-1)?.push({ text: rest.slice(0, colon), literal: part.literal });
      fields.push([]);
      rest = rest.slice(colon + 1);
    }
    fields.at(-1)?.push({ text: rest, literal: part.literal });
  }
  return fields.length === 6 ? fields : undefined;
}

/** The six colon-separated fields of an ARN, or undefined when it has fewer. */
export function splitArn(arn: string): string[] | undefined {
  const fields: string[] = [];
  let rest = arn;
  while (fields.length < 5) {
    const colon = rest.indexOf(':');
    if (colon < 0) return undefined;
    fields.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  fields.push(rest);
  return fields;
}

function compareOrdered(info: OperatorInfo, request: number, policy: number): boolean {
  switch (info.comparison) {
    case 'equals':
      return request === policy;
    case 'lessThan':
      return request < policy;
    case 'lessThanEquals':
      return request <= policy;
    case 'greaterThan':
      return request > policy;
    case 'greaterThanEquals':
      return request >= policy;
    default:
      return false;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Split plain ARN patterns (no variable parts), by text; bounded since policies are untrusted. */
const arnPatternCache = new Map<string, PatternPart[][] | undefined>();

function arnFieldsOf(policy: readonly PatternPart[]): PatternPart[][] | undefined {
  const only = policy.length === 1 ? policy[0] : undefined;
  if (!only || only.literal) return splitArnPattern(policy);
  if (arnPatternCache.has(only.text)) return arnPatternCache.get(only.text);
  if (arnPatternCache.size >= 50_000) arnPatternCache.clear();
  const fields = splitArnPattern(policy);
  arnPatternCache.set(only.text, fields);
  return fields;
}

function matchesArn(policy: readonly PatternPart[], request: string): boolean {
  // "Each of the six colon-delimited components of the ARN is checked separately and each can
  // include multi-character match wildcards (*) or single-character match wildcards (?)."
  const patternFields = arnFieldsOf(policy);
  const requestFields = splitArn(request);
  if (!patternFields || !requestFields) return false;
  return patternFields.every((field, i) => matchesPattern(field, requestFields[i] ?? ''));
}

/** Whether one request value matches one resolved policy value (before negation); ill-typed values never match. */
export function matchesValue(
  info: OperatorInfo,
  request: string,
  policy: readonly PatternPart[],
): boolean {
  switch (info.family) {
    case 'string':
      if (info.comparison === 'like') return matchesPattern(policy, request);
      if (info.comparison === 'equalsIgnoreCase') {
        return textOf(policy).toLowerCase() === request.toLowerCase();
      }
      return textOf(policy) === request;
    case 'numeric': {
      const want = parseNumber(textOf(policy));
      const have = parseNumber(request);
      return want !== undefined && have !== undefined && compareOrdered(info, have, want);
    }
    case 'date': {
      const want = parseDate(textOf(policy));
      const have = parseDate(request);
      return want !== undefined && have !== undefined && compareOrdered(info, have, want);
    }
    case 'bool': {
      const want = parseBool(textOf(policy));
      const have = parseBool(request);
      return want !== undefined && want === have;
    }
    case 'binary': {
      const want = decodeBase64(textOf(policy));
      const have = decodeBase64(request);
      return want !== undefined && have !== undefined && bytesEqual(want, have);
    }
    case 'ip': {
      const range = parseCidr(textOf(policy));
      const address = parseIpAddress(request);
      return range !== undefined && address !== undefined && cidrContains(range, address);
    }
    case 'arn':
      return matchesArn(policy, request);
    case 'null':
      return false;
  }
}
