/**
 * Matching of `Resource` / `NotResource` patterns against a request's resource, as the IAM User
 * Guide describes it ("IAM JSON policy elements: Resource", "Using wildcards in resource ARNs";
 * "IAM policy elements: Variables and tags"):
 *
 * - a pattern made only of `*` matches every resource, including the `*` of actions that take no
 *   resource;
 * - an ARN pattern is compared field by field with the resource's ARN: partition, service, region
 *   and account are each matched on their own (a wildcard never reaches across the colon that
 *   ends them), while the resource part — everything after the fifth colon, which may itself hold
 *   colons and slashes (`function:name:alias`, `log-group:/x:*`) — is matched as one piece, so
 *   there `*` spans `/` and `:`;
 * - a pattern with fewer than six fields whose last field ends in `*` lets that `*` run on over
 *   the remaining fields ("if the `*` wildcard is the last character of a resource ARN segment,
 *   it can expand to match beyond the colon boundaries"); any other short pattern matches nothing;
 * - an ARN pattern never matches a resource that is not an ARN (such as the `*` of actions without
 *   resource types), and a pattern that is not an ARN is matched as plain text;
 * - matching is case-sensitive; `*` is any run of characters, `?` exactly one;
 * - policy variables are substituted as literal text, and only in the resource part ("You can use a
 *   policy variable in the Resource element, but only in the resource portion of the ARN … after
 *   the fifth colon"); an absent key makes the pattern fail, and in discovery mode a key the
 *   context does not hold makes the match unknown.
 *
 * Patterns are compiled once (cached by text) and matched without building regular expressions.
 */
import { resolveVariables, type PatternPart } from './variables.js';
import type { ContextMode, ContextValues, Tri } from './types.js';

/** Options of resource matching. */
export interface ResourceMatchOptions {
  /**
   * Whether `${...}` is a policy variable (Version `2012-10-17`, the default) or plain text (the
   * Version element is missing or `2008-10-17`).
   */
  readonly variables?: boolean;
}

/** A Resource pattern prepared for fast repeated matching. */
export interface CompiledResourcePattern {
  /** The pattern as written. */
  readonly pattern: string;
  /** True when the pattern matches every resource whatever the context (`*`). */
  readonly matchesEverything: boolean;
  /** True when matching depends on the request context (the pattern holds policy variables). */
  readonly usesVariables: boolean;
  /**
   * The keys (as written) of the pattern's policy variables that have no default value: in
   * discovery mode, the keys an `unknown` answer depends on.
   */
  readonly variableKeys: readonly string[];
  /** Matches one resource ARN (or `*`); three-valued only through policy variables. */
  match(resource: string, context: ContextValues, mode: ContextMode): Tri;
  /**
   * Whether one of the pattern's policy variables has no value in the request: `true` (absent and
   * without default, or multivalued), `unknown` (discovery mode, not supplied) or `false`.
   */
  missingVariable(context: ContextValues, mode: ContextMode): Tri;
}

// --- Glob matching over text with a per-character wildcard mask -----------------------------

const LITERAL = 0;
const STAR = 1;
const ONE = 2;

/** A compiled wildcard pattern; `kinds` is null when the text has no wildcard. */
interface Glob {
  readonly shape: 'exact' | 'any' | 'prefix' | 'general';
  readonly text: string;
  readonly kinds: Uint8Array | null;
  /** For `prefix`: the literal text before the single trailing `*`. */
  readonly prefix: string;
}

function globFromKinds(text: string, kinds: Uint8Array): Glob {
  let wildcards = 0;
  let stars = 0;
  let lastWildcard = -1;
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] !== LITERAL) {
      wildcards++;
      lastWildcard = i;
      if (kinds[i] === STAR) stars++;
    }
  }
  if (wildcards === 0) return { shape: 'exact', text, kinds: null, prefix: text };
  if (stars === text.length) return { shape: 'any', text, kinds, prefix: '' };
  if (wildcards === 1 && stars === 1 && lastWildcard === text.length - 1) {
    return { shape: 'prefix', text, kinds, prefix: text.slice(0, -1) };
  }
  return { shape: 'general', text, kinds, prefix: '' };
}

/** Compiles text whose `*` and `?` are wildcards. */
function globOf(text: string): Glob {
  const kinds = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    kinds[i] = code === 42 ? STAR : code === 63 ? ONE : LITERAL;
  }
  return globFromKinds(text, kinds);
}

/** Compiles resolved parts: literal parts (substituted values) never act as wildcards. */
function globOfParts(parts: readonly PatternPart[]): Glob {
  let text = '';
  for (const part of parts) text += part.text;
  const kinds = new Uint8Array(text.length);
  let offset = 0;
  for (const part of parts) {
    if (!part.literal) {
      for (let i = 0; i < part.text.length; i++) {
        const code = part.text.charCodeAt(i);
        kinds[offset + i] = code === 42 ? STAR : code === 63 ? ONE : LITERAL;
      }
    }
    offset += part.text.length;
  }
  return globFromKinds(text, kinds);
}

/** Greedy wildcard matching with single-star backtracking: linear in practice, no regex. */
function globMatches(glob: Glob, subject: string): boolean {
  switch (glob.shape) {
    case 'exact':
      return glob.text === subject;
    case 'any':
      return true;
    case 'prefix':
      return subject.startsWith(glob.prefix);
    case 'general':
      break;
  }
  const { text } = glob;
  const kinds = glob.kinds!;
  const n = text.length;
  const m = subject.length;
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < m) {
    if (p < n) {
      const kind = kinds[p];
      if (kind === STAR) {
        starP = p++;
        starT = t;
        continue;
      }
      if (kind === ONE || text.charCodeAt(p) === subject.charCodeAt(t)) {
        p++;
        t++;
        continue;
      }
    }
    if (starP < 0) return false;
    p = starP + 1;
    t = ++starT;
  }
  while (p < n && kinds[p] === STAR) p++;
  return p === n;
}

// --- Templates: a field of a pattern, static or holding policy variables ----------------------

/**
 * One field of a compiled pattern. A field with policy variables keeps its text, resolved per
 * request, and a relaxed glob in which each variable is `*`: whatever a variable's value, the
 * field can only match what the relaxed glob matches, so a mismatch there is definite even while
 * a variable is unknown.
 */
type Template =
  | { readonly dynamic: false; readonly glob: Glob }
  | { readonly dynamic: true; readonly text: string; readonly relaxed: Glob };

/** The characters `${*}`, `${?}` and `${$}` stand for. */
const SPECIAL_VARIABLES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

function relaxedGlob(text: string): Glob {
  const parts: PatternPart[] = [];
  let position = 0;
  while (position < text.length) {
    const start = text.indexOf('${', position);
    const end = start < 0 ? -1 : text.indexOf('}', start + 2);
    if (start < 0 || end < 0) {
      parts.push({ text: text.slice(position), literal: false });
      break;
    }
    parts.push({ text: text.slice(position, start), literal: false });
    const special = SPECIAL_VARIABLES[text.slice(start + 2, end).trim()];
    parts.push(
      special === undefined ? { text: '*', literal: false } : { text: special, literal: true },
    );
    position = end + 1;
  }
  return globOfParts(parts);
}

/** The keys of the variables in `text` that have no default (`${aws:username}` → `aws:username`). */
function variableKeysOf(text: string): string[] {
  const keys: string[] = [];
  let position = 0;
  for (;;) {
    const start = text.indexOf('${', position);
    const end = start < 0 ? -1 : text.indexOf('}', start + 2);
    if (start < 0 || end < 0) return keys;
    const body = text.slice(start + 2, end);
    if (SPECIAL_VARIABLES[body.trim()] === undefined && !body.includes(',')) keys.push(body.trim());
    position = end + 1;
  }
}

function templateOf(text: string, variables: boolean): Template {
  return variables && text.includes('${')
    ? { dynamic: true, text, relaxed: relaxedGlob(text) }
    : { dynamic: false, glob: globOf(text) };
}

function missingIn(template: Template, context: ContextValues, mode: ContextMode): Tri {
  if (!template.dynamic) return 'false';
  const resolution = resolveVariables(template.text, context, mode);
  return resolution.kind === 'absent'
    ? 'true'
    : resolution.kind === 'unknown'
      ? 'unknown'
      : 'false';
}

function matchTemplate(
  template: Template,
  subject: string,
  context: ContextValues,
  mode: ContextMode,
): Tri {
  if (!template.dynamic) return globMatches(template.glob, subject) ? 'true' : 'false';
  if (!globMatches(template.relaxed, subject)) return 'false';
  const resolution = resolveVariables(template.text, context, mode);
  if (resolution.kind === 'absent') return 'false';
  if (resolution.kind === 'unknown') return 'unknown';
  return globMatches(globOfParts(resolution.parts), subject) ? 'true' : 'false';
}

// --- Splitting ARNs ------------------------------------------------------------------------

/** A resource ARN cut into its fields; `starts[i]` is where field i begins (0 = partition). */
interface ArnFields {
  readonly fields: readonly [string, string, string, string, string];
  readonly starts: readonly [number, number, number, number, number];
  readonly text: string;
}

let lastResource: string | null = null;
let lastFields: ArnFields | null = null;

/** Splits `arn:partition:service:region:account:resource`; null when `text` is not an ARN. */
function splitResourceArn(text: string): ArnFields | null {
  if (text === lastResource) return lastFields;
  let fields: ArnFields | null = null;
  if (text.startsWith('arn:')) {
    const starts: number[] = [4];
    let position = 4;
    for (let i = 0; i < 4; i++) {
      const colon = text.indexOf(':', position);
      if (colon < 0) break;
      position = colon + 1;
      starts.push(position);
    }
    if (starts.length === 5) {
      const s = starts as [number, number, number, number, number];
      fields = {
        fields: [
          text.slice(s[0], s[1] - 1),
          text.slice(s[1], s[2] - 1),
          text.slice(s[2], s[3] - 1),
          text.slice(s[3], s[4] - 1),
          text.slice(s[4]),
        ],
        starts: s,
        text,
      };
    }
  }
  lastResource = text;
  lastFields = fields;
  return fields;
}

/**
 * Splits a pattern on its first five colons into at most six fields (the last keeps its colons).
 * Policy variables are substituted only after the fifth colon ("You can't use a variable to replace
 * parts of the ARN before the fifth colon"), so a colon before it always separates fields.
 */
function splitPatternFields(pattern: string): string[] {
  const fields: string[] = [];
  let start = 0;
  while (fields.length < 5) {
    const colon = pattern.indexOf(':', start);
    if (colon < 0) break;
    fields.push(pattern.slice(start, colon));
    start = colon + 1;
  }
  fields.push(pattern.slice(start));
  return fields;
}

// --- Compilation -----------------------------------------------------------------------------

const TRUE_PATTERN = (pattern: string): CompiledResourcePattern => ({
  pattern,
  matchesEverything: true,
  usesVariables: false,
  variableKeys: [],
  match: () => 'true',
  missingVariable: () => 'false',
});

const FALSE_PATTERN = (pattern: string): CompiledResourcePattern => ({
  pattern,
  matchesEverything: false,
  usesVariables: false,
  variableKeys: [],
  match: () => 'false',
  missingVariable: () => 'false',
});

/** An ARN pattern: `fields` are partition … resource (up to five); `openEnded` per the docs. */
class ArnPattern implements CompiledResourcePattern {
  readonly matchesEverything = false;
  readonly usesVariables: boolean;
  readonly variableKeys: readonly string[];
  /** Static fields first, so a definite mismatch is found before any variable is resolved. */
  private readonly order: readonly number[];

  constructor(
    readonly pattern: string,
    private readonly fields: readonly Template[],
    private readonly openEnded: boolean,
  ) {
    this.usesVariables = fields.some((field) => field.dynamic);
    this.variableKeys = fields.flatMap((field) =>
      field.dynamic ? variableKeysOf(field.text) : [],
    );
    const indexes = fields.map((_, i) => i);
    this.order = [
      ...indexes.filter((i) => !fields[i]!.dynamic),
      ...indexes.filter((i) => fields[i]!.dynamic),
    ];
  }

  match(resource: string, context: ContextValues, mode: ContextMode): Tri {
    const arn = splitResourceArn(resource);
    if (arn === null) return 'false';
    const last = this.fields.length - 1;
    let result: Tri = 'true';
    for (const i of this.order) {
      const subject =
        this.openEnded && i === last ? arn.text.slice(arn.starts[i]!) : arn.fields[i]!;
      const tri = matchTemplate(this.fields[i]!, subject, context, mode);
      if (tri === 'false') return 'false';
      if (tri === 'unknown') result = 'unknown';
    }
    return result;
  }

  missingVariable(context: ContextValues, mode: ContextMode): Tri {
    let result: Tri = 'false';
    for (const field of this.fields) {
      const tri = missingIn(field, context, mode);
      if (tri === 'true') return 'true';
      if (tri === 'unknown') result = 'unknown';
    }
    return result;
  }
}

/** A pattern that is not an ARN: matched as plain text against the whole resource. */
class TextPattern implements CompiledResourcePattern {
  readonly matchesEverything = false;
  readonly usesVariables: boolean;
  readonly variableKeys: readonly string[];

  constructor(
    readonly pattern: string,
    private readonly template: Template,
  ) {
    this.usesVariables = template.dynamic;
    this.variableKeys = template.dynamic ? variableKeysOf(template.text) : [];
  }

  match(resource: string, context: ContextValues, mode: ContextMode): Tri {
    return matchTemplate(this.template, resource, context, mode);
  }

  missingVariable(context: ContextValues, mode: ContextMode): Tri {
    return missingIn(this.template, context, mode);
  }
}

function compile(pattern: string, variables: boolean): CompiledResourcePattern {
  if (/^\*+$/.test(pattern)) return TRUE_PATTERN(pattern);
  if (!pattern.startsWith('arn:')) return new TextPattern(pattern, templateOf(pattern, variables));
  const [, ...fields] = splitPatternFields(pattern);
  // Only the resource part (the fifth field after `arn`) substitutes variables.
  const templates = fields.map((field, i) => templateOf(field, variables && i === 4));
  if (fields.length >= 5) return new ArnPattern(pattern, templates, false);
  // Fewer than six fields: only a written trailing `*` reaches the rest (`${*}` ends in `}`).
  const lastField = fields.at(-1) ?? '';
  if (lastField.endsWith('*')) return new ArnPattern(pattern, templates, true);
  return FALSE_PATTERN(pattern);
}

/** At most this many distinct patterns are cached; the cache is emptied when it fills up. */
export const RESOURCE_PATTERN_CACHE_LIMIT = 100_000;

const withVariables = new Map<string, CompiledResourcePattern>();
const withoutVariables = new Map<string, CompiledResourcePattern>();

/** Compiles a Resource pattern, or returns the cached compilation of the same text and options. */
export function compileResourcePattern(
  pattern: string,
  options: ResourceMatchOptions = {},
): CompiledResourcePattern {
  const variables = options.variables ?? true;
  // One cache per flag, keyed by the pattern itself: no string is built per lookup.
  const cache = variables ? withVariables : withoutVariables;
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    compiled = compile(pattern, variables);
    if (cache.size >= RESOURCE_PATTERN_CACHE_LIMIT) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** Whether one Resource pattern matches a resource ARN (or `*`), three-valued through variables. */
export function matchResource(
  pattern: string,
  resource: string,
  context: ContextValues,
  mode: ContextMode,
  options: ResourceMatchOptions = {},
): Tri {
  return compileResourcePattern(pattern, options).match(resource, context, mode);
}

/** Whether any of the patterns matches: true wins, then unknown, else false. */
export function matchAnyResource(
  patterns: readonly string[],
  resource: string,
  context: ContextValues,
  mode: ContextMode,
  options: ResourceMatchOptions = {},
): Tri {
  let result: Tri = 'false';
  for (const pattern of patterns) {
    const tri = compileResourcePattern(pattern, options).match(resource, context, mode);
    if (tri === 'true') return 'true';
    if (tri === 'unknown') result = 'unknown';
  }
  return result;
}

/**
 * How a pattern is shaped, for validation: `*`, an ARN with all six fields, a short ARN whose
 * trailing `*` covers the rest, or something else (which matches as plain text or not at all).
 */
export function resourcePatternShape(
  pattern: string,
): 'everything' | 'arn' | 'open-ended-arn' | 'short-arn' | 'not-arn' {
  if (/^\*+$/.test(pattern)) return 'everything';
  if (!pattern.startsWith('arn:')) return 'not-arn';
  const fields = splitPatternFields(pattern);
  if (fields.length >= 6) return 'arn';
  const last = fields.at(-1) ?? '';
  return last.endsWith('*') ? 'open-ended-arn' : 'short-arn';
}

/**
 * True when an ARN pattern writes `${` before its fifth colon, where AWS does not substitute
 * policy variables (the text is matched as written).
 */
export function hasVariableBeforeResourcePart(pattern: string): boolean {
  if (!pattern.startsWith('arn:')) return false;
  const fields = splitPatternFields(pattern);
  const head = fields.length >= 6 ? fields.slice(0, 5) : fields;
  return head.some((field) => field.includes('${'));
}

/** A Resource or NotResource element, as {@link NormalizedStatement} holds it. */
export interface ResourceElement {
  readonly not: boolean;
  readonly patterns: readonly string[];
}

/**
 * Whether a Resource / NotResource element covers the resource. For NotResource, a pattern whose
 * policy variable the request does not have makes the statement not apply at all ("any attempt to
 * match it fails and causes the statement to be invalid") instead of counting as "not listed".
 */
export function matchResourceElement(
  element: ResourceElement,
  resource: string,
  context: ContextValues,
  mode: ContextMode,
  options: ResourceMatchOptions = {},
): Tri {
  if (!element.not) return matchAnyResource(element.patterns, resource, context, mode, options);
  let listed: Tri = 'false';
  let invalid: Tri = 'false';
  for (const pattern of element.patterns) {
    const compiled = compileResourcePattern(pattern, options);
    const tri = compiled.match(resource, context, mode);
    if (tri === 'true') listed = 'true';
    else if (tri === 'unknown' && listed === 'false') listed = 'unknown';
    if (compiled.usesVariables) {
      const absent = compiled.missingVariable(context, mode);
      if (absent === 'true') invalid = 'true';
      else if (absent === 'unknown' && invalid === 'false') invalid = 'unknown';
    }
  }
  if (listed === 'true' || invalid === 'true') return 'false';
  if (listed === 'unknown' || invalid === 'unknown') return 'unknown';
  return 'true';
}
