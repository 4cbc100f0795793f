/**
 * Policy variables (`${aws:username}`) in Resource elements and condition values, as the IAM User
 * Guide describes them ("IAM policy elements: Variables and tags"): the key name is
 * case-insensitive; `${*}`, `${?}` and `${$}` stand for the literal characters; a default value is
 * written `${key, 'default'}`; a key the request does not have, and that has no default, makes the
 * element fail to match. Substituted text is literal: a `*` in a user name is not a wildcard.
 */
import { knownAbsent, type ContextMode, type ContextValues } from './types.js';

/** A piece of a resolved pattern: `literal` text is matched as is, other text keeps its wildcards. */
export interface PatternPart {
  readonly text: string;
  readonly literal: boolean;
}

/** The outcome of resolving variables in one pattern. */
export type Resolution =
  | { readonly kind: 'resolved'; readonly parts: readonly PatternPart[] }
  /** A variable's key is absent from the request and has no default: the element does not match. */
  | { readonly kind: 'absent'; readonly key: string }
  /** A variable's key is not supplied and the context is in discovery mode: the match is unknown. */
  | { readonly kind: 'unknown'; readonly key: string };

const SPECIAL: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/** True when `text` contains a policy variable. */
export function hasVariables(text: string): boolean {
  return text.includes('${');
}

/**
 * Resolves the variables of `text` against the request context. Text without `${` resolves to one
 * non-literal part. An unterminated `${` is kept as ordinary text (AWS would reject the policy).
 */
export function resolveVariables(
  text: string,
  context: ContextValues,
  mode: ContextMode,
): Resolution {
  if (!hasVariables(text)) return plainResolution(text);
  const parts: PatternPart[] = [];
  let position = 0;
  while (position < text.length) {
    const start = text.indexOf('${', position);
    if (start < 0) {
      parts.push({ text: text.slice(position), literal: false });
      break;
    }
    const end = text.indexOf('}', start + 2);
    if (end < 0) {
      parts.push({ text: text.slice(position), literal: false });
      break;
    }
    if (start > position) parts.push({ text: text.slice(position, start), literal: false });
    const body = text.slice(start + 2, end);
    position = end + 1;
    const special = SPECIAL[body.trim()];
    if (special !== undefined) {
      parts.push({ text: special, literal: true });
      continue;
    }
    const { key, fallback } = splitDefault(body);
    const values = context.get(key.toLowerCase());
    if (values && values.length === 1 && values[0] !== undefined) {
      parts.push({ text: values[0], literal: true });
    } else if (fallback !== null) {
      parts.push({ text: fallback, literal: true });
    } else if (
      values === undefined &&
      mode === 'discovery' &&
      !knownAbsent(context, key.toLowerCase())
    ) {
      return { kind: 'unknown', key };
    } else {
      // Absent, or a multivalued key (which cannot be substituted): the element does not match.
      return { kind: 'absent', key };
    }
  }
  return { kind: 'resolved', parts: mergeParts(parts) };
}

const plain = new Map<string, Resolution>();

/** The (shared, cached) resolution of text without variables, so matchers can cache by identity. */
function plainResolution(text: string): Resolution {
  let resolution = plain.get(text);
  if (!resolution) {
    // Bounded: policy text is attacker-controlled.
    if (plain.size >= 100_000) plain.clear();
    resolution = { kind: 'resolved', parts: [{ text, literal: false }] };
    plain.set(text, resolution);
  }
  return resolution;
}

/** `aws:username, 'guest'` → key and default; the default is quoted with single quotes. */
function splitDefault(body: string): { key: string; fallback: string | null } {
  const comma = body.indexOf(',');
  if (comma < 0) return { key: body.trim(), fallback: null };
  const key = body.slice(0, comma).trim();
  const rest = body.slice(comma + 1).trim();
  const quoted = /^'(.*)'$/s.exec(rest);
  return { key, fallback: quoted ? (quoted[1] ?? '') : rest };
}

function mergeParts(parts: readonly PatternPart[]): PatternPart[] {
  const merged: PatternPart[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (last && last.literal === part.literal)
      merged[merged.length - 1] = { text: last.text + part.text, literal: part.literal };
    else if (part.text !== '') merged.push(part);
  }
  return merged.length > 0 ? merged : [{ text: '', literal: true }];
}

/** The resolved text with wildcards of literal parts escaped for display (`\*`). */
export function describeParts(parts: readonly PatternPart[]): string {
  return parts
    .map((part) => (part.literal ? part.text.replace(/[*?]/g, '\\$&') : part.text))
    .join('');
}
