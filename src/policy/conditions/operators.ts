/**
 * The condition operators of the IAM User Guide, "IAM JSON policy elements: Condition operators":
 * each with its family, its comparison, whether it is negated ("Negated matching"), and whether
 * policy variables may appear in its values (the guide says so per family: String, Boolean and ARN
 * yes; Numeric, Date, Binary, IP address and Null no).
 */

/** The kind of value an operator compares. */
export type OperatorFamily =
  'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';

/** How the request value is compared with one policy value (before negation). */
export type Comparison =
  | 'equals'
  | 'equalsIgnoreCase'
  | 'like'
  | 'lessThan'
  | 'lessThanEquals'
  | 'greaterThan'
  | 'greaterThanEquals'
  | 'inRange'
  | 'presence';

/** What the engine knows about one base operator (no qualifier, no IfExists). */
export interface OperatorInfo {
  readonly name: string;
  readonly family: OperatorFamily;
  readonly comparison: Comparison;
  /** Negated operators match when the request value matches none of the policy values (NOR). */
  readonly negated: boolean;
  readonly allowsVariables: boolean;
}

const VARIABLES: Readonly<Record<OperatorFamily, boolean>> = {
  string: true,
  numeric: false,
  date: false,
  bool: true,
  binary: false,
  ip: false,
  arn: true,
  null: false,
};

function op(
  name: string,
  family: OperatorFamily,
  comparison: Comparison,
  negated = false,
): OperatorInfo {
  return { name, family, comparison, negated, allowsVariables: VARIABLES[family] };
}

const ORDERED: readonly Comparison[] = [
  'equals',
  'lessThan',
  'lessThanEquals',
  'greaterThan',
  'greaterThanEquals',
];

function ordered(prefix: 'Numeric' | 'Date', family: 'numeric' | 'date'): OperatorInfo[] {
  const names = ['Equals', 'LessThan', 'LessThanEquals', 'GreaterThan', 'GreaterThanEquals'];
  return [
    ...names.map((suffix, i) => op(`${prefix}${suffix}`, family, ORDERED[i] ?? 'equals')),
    op(`${prefix}NotEquals`, family, 'equals', true),
  ];
}

const ALL: readonly OperatorInfo[] = [
  op('StringEquals', 'string', 'equals'),
  op('StringNotEquals', 'string', 'equals', true),
  op('StringEqualsIgnoreCase', 'string', 'equalsIgnoreCase'),
  op('StringNotEqualsIgnoreCase', 'string', 'equalsIgnoreCase', true),
  op('StringLike', 'string', 'like'),
  op('StringNotLike', 'string', 'like', true),
  ...ordered('Numeric', 'numeric'),
  ...ordered('Date', 'date'),
  op('Bool', 'bool', 'equals'),
  op('BinaryEquals', 'binary', 'equals'),
  op('IpAddress', 'ip', 'inRange'),
  op('NotIpAddress', 'ip', 'inRange', true),
  // "The ArnEquals and ArnLike condition operators behave identically" (and so do the negations).
  op('ArnEquals', 'arn', 'like'),
  op('ArnLike', 'arn', 'like'),
  op('ArnNotEquals', 'arn', 'like', true),
  op('ArnNotLike', 'arn', 'like', true),
  op('Null', 'null', 'presence'),
];

const BY_NAME: ReadonlyMap<string, OperatorInfo> = new Map(ALL.map((info) => [info.name, info]));
const BY_LOWER_NAME: ReadonlyMap<string, OperatorInfo> = new Map(
  ALL.map((info) => [info.name.toLowerCase(), info]),
);

/** The names of every base condition operator, in the order of the IAM User Guide. */
export const CONDITION_OPERATOR_NAMES: readonly string[] = ALL.map((info) => info.name);

/** The operator named exactly `name` (operator names are case-sensitive), or undefined. */
export function operatorInfo(name: string): OperatorInfo | undefined {
  return BY_NAME.get(name);
}

/** The operator whose name equals `name` ignoring case, to suggest the right spelling. */
export function operatorIgnoringCase(name: string): OperatorInfo | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}
