/**
 * Checks one condition clause the way IAM and IAM Access Analyzer would: a known operator (names
 * are case-sensitive: IAM rejects `stringEquals` as an invalid Condition type), values of the type
 * the operator compares, policy variables only where the operator takes them, and `aws:` keys
 * that exist. Checks never throw.
 */
import type { Catalog } from '../../catalog/index.js';
import { loadCatalog } from '../../catalog/index.js';
import type { ConditionClause, Diagnostic } from '../types.js';
import { hasVariables } from '../variables.js';
import { splitArn } from './match.js';
import { operatorIgnoringCase, operatorInfo, type OperatorInfo } from './operators.js';
import { decodeBase64, parseBool, parseCidr, parseDate, parseNumber } from './values.js';

/** A problem with one clause; {@link Diagnostic} without the JSON path. */
export type ConditionIssue = Omit<Diagnostic, 'path'>;

/** What validation needs to know about global condition keys (a catalog provides it). */
export type GlobalKeyLookup = Pick<Catalog, 'globalConditionKey'>;

function defaultLookup(): GlobalKeyLookup | null {
  try {
    return loadCatalog();
  } catch {
    // Without the catalog data the key checks are skipped: validation must never throw, and the
    // clause itself can still be checked.
    return null;
  }
}

const TYPE_NAMES: Readonly<Record<OperatorInfo['family'], string>> = {
  string: 'a string',
  numeric: 'an integer or decimal number',
  date: 'an ISO 8601 date/time or epoch seconds',
  bool: '"true" or "false"',
  binary: 'base-64 encoded binary data',
  ip: 'an IPv4 or IPv6 address or CIDR range',
  arn: 'an ARN',
  null: '"true" or "false"',
};

function isOfType(info: OperatorInfo, value: string): boolean {
  switch (info.family) {
    case 'numeric':
      return parseNumber(value) !== undefined;
    case 'date':
      return parseDate(value) !== undefined;
    case 'bool':
    case 'null':
      return parseBool(value) !== undefined;
    case 'binary':
      return decodeBase64(value) !== undefined;
    case 'ip':
      return parseCidr(value) !== undefined;
    case 'string':
    case 'arn':
      return true;
  }
}

function checkValues(info: OperatorInfo, clause: ConditionClause): ConditionIssue[] {
  const issues: ConditionIssue[] = [];
  for (const value of clause.values) {
    const variable = hasVariables(value);
    if (variable && !info.allowsVariables) {
      issues.push({
        severity: 'warning',
        code: 'unsupported-variable',
        message: `${clause.operator} does not take policy variables: ${JSON.stringify(value)} is compared as written`,
      });
    }
    if (variable && info.allowsVariables) continue;
    if (!isOfType(info, value)) {
      issues.push({
        severity: 'error',
        code: 'wrong-value-type',
        message: `${clause.operator} expects ${TYPE_NAMES[info.family]}, not ${JSON.stringify(value)}`,
      });
    } else if (info.family === 'arn' && splitArn(value) === undefined) {
      issues.push({
        severity: 'warning',
        code: 'malformed-arn',
        message: `${JSON.stringify(value)} does not have the six colon-separated parts of an ARN, so ${clause.operator} never matches it`,
      });
    }
  }
  return issues;
}

function checkOperator(clause: ConditionClause): ConditionIssue[] {
  const info = operatorInfo(clause.baseOperator);
  if (!info) {
    const near = operatorIgnoringCase(clause.baseOperator);
    return [
      {
        severity: 'error',
        code: 'unknown-operator',
        message: near
          ? `unknown condition operator ${JSON.stringify(clause.operator)}: operator names are case-sensitive (did you mean ${near.name}?)`
          : `unknown condition operator ${JSON.stringify(clause.operator)}`,
      },
    ];
  }
  const issues: ConditionIssue[] = [];
  if (info.family === 'null' && clause.ifExists) {
    issues.push({
      severity: 'error',
      code: 'invalid-operator',
      message: 'IfExists cannot be added to the Null condition operator',
    });
  }
  if (info.family === 'null' && clause.setQualifier !== null) {
    issues.push({
      severity: 'warning',
      code: 'invalid-operator',
      message: `${clause.setQualifier} has no effect on the Null condition operator, which tests presence`,
    });
  }
  if (clause.values.length === 0) {
    issues.push({
      severity: 'warning',
      code: 'empty-condition-values',
      message: `${clause.operator} on ${clause.key} lists no values`,
    });
  }
  return [...issues, ...checkValues(info, clause)];
}

function checkKey(clause: ConditionClause, lookup: GlobalKeyLookup | null): ConditionIssue[] {
  if (clause.key.trim() === '') {
    return [{ severity: 'error', code: 'empty-condition-key', message: 'empty condition key' }];
  }
  if (!lookup || !clause.key.toLowerCase().startsWith('aws:')) return [];
  const global = lookup.globalConditionKey(clause.key);
  if (!global) {
    return [
      {
        severity: 'warning',
        code: 'unknown-global-key',
        message: `${clause.key} is not an AWS global condition key; a key the request never has makes the condition ${operatorInfo(clause.baseOperator)?.negated ? 'always true' : 'never true'}`,
      },
    ];
  }
  if (operatorInfo(clause.baseOperator)?.family === 'null') return [];
  const multivalued = global.type.startsWith('ArrayOf');
  // "Single-valued vs. multivalued context keys": set operators are for multivalued keys only.
  if (clause.setQualifier !== null && !multivalued) {
    return [
      {
        severity: 'warning',
        code: 'set-operator-on-single-valued-key',
        message: `${clause.setQualifier} on the single-valued key ${clause.key} can be overly permissive; use ${clause.operator.slice(clause.setQualifier.length + 1)}`,
      },
    ];
  }
  if (clause.setQualifier === null && multivalued) {
    return [
      {
        severity: 'warning',
        code: 'multivalued-key-without-set-operator',
        message: `${clause.key} is multivalued: use ForAllValues: or ForAnyValue: with ${clause.operator}`,
      },
    ];
  }
  return [];
}

/**
 * The problems of one clause (unknown operator, ill-typed values, unsupported variables, unknown
 * `aws:` keys, set operators that do not fit the key), never throwing; `null` skips key checks.
 */
export function validateConditionClause(
  clause: ConditionClause,
  lookup: GlobalKeyLookup | null = defaultLookup(),
): ConditionIssue[] {
  return [...checkOperator(clause), ...checkKey(clause, lookup)];
}
