/**
 * Evaluates condition clauses against a request context, following the IAM User Guide:
 * - "IAM JSON policy elements: Condition operators": a key absent from the request context makes
 *   a condition false, except that negated operators (`StringNotLike`, `ArnNotLike`, ...) are then
 *   true; `...IfExists` is true for an absent key, and `Null` tests presence itself.
 * - "Conditions with multiple context keys or values": several values for one key are OR-ed,
 *   and for a negated operator NOR-ed (the key must match none of them); several keys and
 *   several operators are AND-ed.
 * - "Single-valued vs. multivalued context keys": `ForAllValues` is true when every request value
 *   matches, and also when the key is absent or its values are an empty set; `ForAnyValue` is
 *   true when at least one request value matches, false when the key is absent or empty.
 * - "IAM policy elements: Variables and tags", "Policy variables with no value": a variable the
 *   request cannot supply is effectively null; `StringEquals` does not match it and the inverted
 *   operators do.
 * In discovery mode a key the context does not hold makes the clause `unknown`.
 */
import {
  knownAbsent,
  type ConditionClause,
  type ContextMode,
  type ContextValues,
  type Tri,
} from '../types.js';
import { resolveVariables, type PatternPart } from '../variables.js';
import { matchesValue } from './match.js';
import { operatorInfo, type OperatorInfo } from './operators.js';
import { parseBool } from './values.js';

function triOr(values: Iterable<Tri>): Tri {
  let result: Tri = 'false';
  for (const value of values) {
    if (value === 'true') return 'true';
    if (value === 'unknown') result = 'unknown';
  }
  return result;
}

function triAnd(values: Iterable<Tri>): Tri {
  let result: Tri = 'true';
  for (const value of values) {
    if (value === 'false') return 'false';
    if (value === 'unknown') result = 'unknown';
  }
  return result;
}

function triNot(value: Tri): Tri {
  return value === 'true' ? 'false' : value === 'false' ? 'true' : 'unknown';
}

/** A policy value resolved against the request: its parts, or why it cannot be compared. */
type ResolvedValue =
  | { readonly kind: 'resolved'; readonly parts: readonly PatternPart[] }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown' };

function resolvePolicyValues(
  info: OperatorInfo,
  values: readonly string[],
  context: ContextValues,
  mode: ContextMode,
  variables: boolean,
): ResolvedValue[] {
  return values.map((value): ResolvedValue => {
    // Operators that take no policy variables, and policies without Version 2012-10-17, compare
    // the value as written.
    if (!info.allowsVariables || !variables)
      return { kind: 'resolved', parts: [{ text: value, literal: false }] };
    const resolution = resolveVariables(value, context, mode);
    return resolution.kind === 'resolved' ? resolution : { kind: resolution.kind };
  });
}

/**
 * One request value against all policy values: OR of the positive comparisons, negated for a
 * negated operator (NOR). A policy value whose variable has no value matches nothing.
 */
function matchRequestValue(
  info: OperatorInfo,
  request: string,
  policy: readonly ResolvedValue[],
): Tri {
  // IAM User Guide, "Variables and tags": a variable AWS cannot resolve makes any attempt to match
  // it fail and "might cause the entire statement to be invalid". A negated operator therefore
  // does not turn the failed comparison into a match: the clause is not met.
  if (info.negated && policy.some((value) => value.kind === 'absent')) return 'false';
  const positive = triOr(
    policy.map((value): Tri => {
      if (value.kind === 'unknown') return 'unknown';
      if (value.kind === 'absent') return 'false';
      return matchesValue(info, request, value.parts) ? 'true' : 'false';
    }),
  );
  return info.negated ? triNot(positive) : positive;
}

function evaluateNull(clause: ConditionClause, values: readonly string[] | undefined): Tri {
  // "Condition operator to check existence of condition keys": `true` — the key doesn't exist (it
  // is null); `false` — the key exists and its value is not null. An empty list is null.
  const isNull = values === undefined || values.length === 0;
  return clause.values.some((value) => parseBool(value) === isNull) ? 'true' : 'false';
}

/** The request values as the set qualifiers see them: an empty string is an empty data set. */
function requestSet(values: readonly string[]): readonly string[] {
  return values.length === 1 && values[0] === '' ? [] : values;
}

/** Options of condition evaluation. */
export interface ConditionOptions {
  /** False for policies whose Version predates policy variables (`${…}` is then plain text). */
  readonly variables?: boolean;
}

/**
 * Evaluates one condition clause: `true` when the condition is met, `false` when not, and
 * `unknown` in discovery mode when it depends on a key (or a policy variable) the context lacks.
 */
export function evaluateClause(
  clause: ConditionClause,
  context: ContextValues,
  mode: ContextMode,
  options: ConditionOptions = {},
): Tri {
  const info = operatorInfo(clause.baseOperator);
  // An operator AWS does not know (AWS rejects such a policy) can never be met.
  if (!info) return 'false';
  const key = clause.key.toLowerCase();
  const values = context.get(key);
  if (values === undefined && mode === 'discovery' && !knownAbsent(context, key)) return 'unknown';
  if (info.family === 'null') return evaluateNull(clause, values);

  const policy = resolvePolicyValues(
    info,
    clause.values,
    context,
    mode,
    options.variables !== false,
  );
  if (clause.setQualifier === 'ForAllValues') {
    // True when every request value matches; vacuously true for an absent key or an empty set.
    const set = requestSet(values ?? []);
    return triAnd(set.map((value) => matchRequestValue(info, value, policy)));
  }
  if (clause.setQualifier === 'ForAnyValue') {
    // False for an absent key or an empty set, even with IfExists (the set has no member to
    // match; AWS denies `ForAnyValue:StringEqualsIfExists` on a request without the key).
    const set = requestSet(values ?? []);
    return triOr(set.map((value) => matchRequestValue(info, value, policy)));
  }
  if (values === undefined || values.length === 0) {
    return clause.ifExists || info.negated ? 'true' : 'false';
  }
  const [only, ...more] = values;
  // A multivalued request key needs a set qualifier: an unqualified operator does not match a key
  // with several values ("Multivalued context keys require a condition set operator").
  if (only === undefined || more.length > 0) return 'false';
  return matchRequestValue(info, only, policy);
}

/**
 * Evaluates all clauses of a statement (AND): `false` as soon as one is false; otherwise `unknown`
 * with the undecided clauses, or `true`.
 */
export function evaluateConditions(
  clauses: readonly ConditionClause[],
  context: ContextValues,
  mode: ContextMode,
  options: ConditionOptions = {},
): { result: Tri; pending: readonly ConditionClause[] } {
  const pending: ConditionClause[] = [];
  for (const clause of clauses) {
    const result = evaluateClause(clause, context, mode, options);
    if (result === 'false') return { result: 'false', pending: [] };
    if (result === 'unknown') pending.push(clause);
  }
  return pending.length > 0 ? { result: 'unknown', pending } : { result: 'true', pending: [] };
}
