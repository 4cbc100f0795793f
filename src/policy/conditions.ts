/**
 * Condition evaluation for the policy engine: parsing a statement's Condition element, checking
 * its clauses, and deciding them against a request context exactly as the IAM User Guide
 * describes ("IAM JSON policy elements: Condition operators", "Conditions with multiple context
 * keys or values", "Single-valued vs. multivalued context keys"). The modules under
 * src/policy/conditions/ hold the parts; this is their one entry point.
 */
export {
  evaluateClause,
  evaluateConditions,
  type ConditionOptions,
} from './conditions/evaluate.js';
export {
  CONDITION_OPERATOR_NAMES,
  operatorInfo,
  type OperatorFamily,
  type OperatorInfo,
} from './conditions/operators.js';
export {
  parseConditionBlock,
  parseConditionOperator,
  type ParsedOperator,
} from './conditions/parse.js';
export {
  validateConditionClause,
  type ConditionIssue,
  type GlobalKeyLookup,
} from './conditions/validate.js';
