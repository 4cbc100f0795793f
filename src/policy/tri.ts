/**
 * Three-valued logic with the conditions an unknown value depends on. A value is `true`, `false`,
 * or `unknown` together with the pending conditions that would decide it.
 */
import type { PendingCondition, Tri } from './types.js';

/** A three-valued truth value and, when unknown, the conditions it depends on. */
export interface TriValue {
  readonly tri: Tri;
  readonly pending: readonly PendingCondition[];
}

const NONE: readonly PendingCondition[] = [];

/** Definitely true. */
export const TRUE: TriValue = { tri: 'true', pending: NONE };
/** Definitely false. */
export const FALSE: TriValue = { tri: 'false', pending: NONE };

/** Unknown, pending the given conditions. */
export function unknown(pending: readonly PendingCondition[]): TriValue {
  return { tri: 'unknown', pending };
}

/** Conjunction: false wins, then unknown (with the unknown parts' conditions), else true. */
export function and(values: readonly TriValue[]): TriValue {
  let pending: PendingCondition[] | null = null;
  for (const value of values) {
    if (value.tri === 'false') return FALSE;
    if (value.tri === 'unknown') (pending ??= []).push(...value.pending);
  }
  return pending ? unknown(pending) : TRUE;
}

/** Disjunction: true wins, then unknown (with the unknown parts' conditions), else false. */
export function or(values: readonly TriValue[]): TriValue {
  let pending: PendingCondition[] | null = null;
  for (const value of values) {
    if (value.tri === 'true') return TRUE;
    if (value.tri === 'unknown') (pending ??= []).push(...value.pending);
  }
  return pending ? unknown(pending) : FALSE;
}

/** Negation; an unknown stays unknown with the same conditions. */
export function not(value: TriValue): TriValue {
  if (value.tri === 'true') return FALSE;
  if (value.tri === 'false') return TRUE;
  return value;
}

/** Lifts a plain {@link Tri} (no pending conditions known) into a value. */
export function fromTri(tri: Tri, pending: readonly PendingCondition[] = NONE): TriValue {
  return tri === 'true' ? TRUE : tri === 'false' ? FALSE : unknown(pending);
}

/** Conjunction of two values, without building an array when either is definite. */
export function and2(a: TriValue, b: TriValue): TriValue {
  if (a.tri === 'false' || b.tri === 'true') return a;
  if (b.tri === 'false' || a.tri === 'true') return b;
  return unknown([...a.pending, ...b.pending]);
}

/** Disjunction of two values, without building an array when either is definite. */
export function or2(a: TriValue, b: TriValue): TriValue {
  if (a.tri === 'true' || b.tri === 'false') return a;
  if (b.tri === 'true' || a.tri === 'false') return b;
  return unknown([...a.pending, ...b.pending]);
}
