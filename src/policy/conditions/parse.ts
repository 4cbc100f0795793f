/**
 * Reads a statement's Condition element ("IAM JSON policy elements: Condition"):
 * `{ "<operator>": { "<key>": <value or list of values>, ... }, ... }` into one clause per
 * operator and key. Operator names are case-sensitive; keys are kept as written (they are matched
 * case-insensitively); values may be strings, numbers or booleans and become strings.
 */
import type { ConditionClause, Diagnostic } from '../types.js';
import { validateConditionClause, type GlobalKeyLookup } from './validate.js';

const QUALIFIERS = ['ForAllValues', 'ForAnyValue'] as const;
const IF_EXISTS = 'IfExists';

/** The parts of an operator name as written: set qualifier, base operator and IfExists. */
export interface ParsedOperator {
  readonly baseOperator: string;
  readonly setQualifier: 'ForAllValues' | 'ForAnyValue' | null;
  readonly ifExists: boolean;
}

/** Splits `ForAnyValue:StringLikeIfExists` into qualifier, base operator and IfExists. */
export function parseConditionOperator(operator: string): ParsedOperator {
  let rest = operator;
  let setQualifier: ParsedOperator['setQualifier'] = null;
  for (const qualifier of QUALIFIERS) {
    if (rest.startsWith(`${qualifier}:`)) {
      setQualifier = qualifier;
      rest = rest.slice(qualifier.length + 1);
      break;
    }
  }
  const ifExists = rest.endsWith(IF_EXISTS) && rest.length > IF_EXISTS.length;
  return {
    baseOperator: ifExists ? rest.slice(0, -IF_EXISTS.length) : rest,
    setQualifier,
    ifExists,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function member(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function readValues(raw: unknown, path: string, diagnostics: Diagnostic[]): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  const values: string[] = [];
  list.forEach((item, i) => {
    const text = scalarText(item);
    if (text !== undefined) values.push(text);
    else {
      diagnostics.push({
        severity: 'error',
        code: 'wrong-value-type',
        message: `a condition value must be a string, number or boolean, not ${describe(item)}`,
        path: Array.isArray(raw) ? `${path}[${i}]` : path,
      });
    }
  });
  return values;
}

/**
 * Parses a Condition element into clauses (one per operator and key, in document order) with
 * diagnostics for its shape and for each clause; never throws. `path` is the element's JSON path.
 */
export function parseConditionBlock(
  condition: unknown,
  path: string,
  lookup?: GlobalKeyLookup | null,
): { clauses: ConditionClause[]; diagnostics: Diagnostic[] } {
  const clauses: ConditionClause[] = [];
  const diagnostics: Diagnostic[] = [];
  if (condition === undefined) return { clauses, diagnostics };
  if (!isPlainObject(condition)) {
    diagnostics.push({
      severity: 'error',
      code: 'malformed-condition',
      message: `Condition must be an object of condition operators, not ${describe(condition)}`,
      path,
    });
    return { clauses, diagnostics };
  }
  for (const [operator, block] of Object.entries(condition)) {
    const operatorPath = member(path, operator);
    if (!isPlainObject(block)) {
      diagnostics.push({
        severity: 'error',
        code: 'malformed-condition',
        message: `${operator} must map condition keys to values, not be ${describe(block)}`,
        path: operatorPath,
      });
      continue;
    }
    const parsed = parseConditionOperator(operator);
    for (const [key, raw] of Object.entries(block)) {
      const keyPath = member(operatorPath, key);
      const clause: ConditionClause = {
        operator,
        ...parsed,
        key,
        values: readValues(raw, keyPath, diagnostics),
      };
      clauses.push(clause);
      const issues =
        lookup === undefined
          ? validateConditionClause(clause)
          : validateConditionClause(clause, lookup);
      for (const issue of issues) diagnostics.push({ ...issue, path: keyPath });
    }
  }
  return { clauses, diagnostics };
}
