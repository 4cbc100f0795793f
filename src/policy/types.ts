/**
 * Types shared by the policy engine: normalised policies, requests, and explained decisions.
 *
 * Decisions are values, never exceptions (Cedar): a malformed statement becomes a diagnostic and
 * evaluation goes on. Unknown is not false: a condition on a key the request does not supply is
 * `unknown` in discovery mode, and the decision then says which conditions it depends on.
 */
import type { ActionSet } from '../catalog/index.js';

/** The kinds of policy AWS evaluates, in the terms of the AWS evaluation logic documentation. */
export type PolicyKind =
  'identity' | 'resource' | 'trust' | 'boundary' | 'scp' | 'rcp' | 'session' | 'endpoint';

/** A problem found while parsing a policy; never stops evaluation. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  /** Stable code, e.g. `unknown-action`, `unknown-operator`, `malformed-arn`, `wrong-value-type`. */
  readonly code: string;
  readonly message: string;
  /** JSON path inside the document, e.g. `$.Statement[1].Condition.StringEquals`. */
  readonly path: string;
}

/** One entry of a Principal / NotPrincipal element. */
export interface PrincipalEntry {
  readonly kind: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*';
  /** The value as written (`*`, an account id, an ARN, `lambda.amazonaws.com`, ...). */
  readonly value: string;
}

/**
 * One clause of a Condition block: one operator, one key, its values.
 * `operator` is as written (`ForAnyValue:StringLikeIfExists`); the rest is its parsed form.
 */
export interface ConditionClause {
  readonly operator: string;
  /** The operator without qualifier and IfExists, e.g. `StringLike`. */
  readonly baseOperator: string;
  readonly setQualifier: 'ForAllValues' | 'ForAnyValue' | null;
  readonly ifExists: boolean;
  /** The key as written (keys are matched case-insensitively). */
  readonly key: string;
  /** Values as strings (booleans and numbers are written as their JSON text). */
  readonly values: readonly string[];
}

export interface NormalizedStatement {
  /** Position in the document's Statement list (0 when Statement is a single object). */
  readonly index: number;
  readonly sid: string | null;
  readonly effect: 'Allow' | 'Deny';
  /** null when the statement has neither Action nor NotAction (an invalid statement: matches nothing). */
  readonly action: {
    readonly not: boolean;
    readonly patterns: readonly string[];
    readonly set: ActionSet;
  } | null;
  /** null when the statement has neither Resource nor NotResource (trust policies). */
  readonly resource: { readonly not: boolean; readonly patterns: readonly string[] } | null;
  /** null when the statement has neither Principal nor NotPrincipal (identity policies). */
  readonly principal: { readonly not: boolean; readonly entries: readonly PrincipalEntry[] } | null;
  readonly conditions: readonly ConditionClause[];
}

/** A parsed policy document. */
export interface NormalizedPolicy {
  /** Where the document came from: a policy ARN (+ version), `role/x#inline-name`, a file path… */
  readonly id: string;
  readonly kind: PolicyKind;
  readonly statements: readonly NormalizedStatement[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Context keys and their values. Keys are compared case-insensitively (store them lower-cased:
 * use {@link contextOf}); every value is a list (a single-valued key has one element).
 */
export type ContextValues = ReadonlyMap<string, readonly string[]>;

/** Builds {@link ContextValues} from a plain object (`{ 'aws:SourceIp': '10.0.0.1' }`). */
export function contextOf(
  values: Readonly<Record<string, string | readonly string[]>>,
): ContextValues {
  const map = new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(values)) {
    map.set(key.toLowerCase(), typeof value === 'string' ? [value] : [...value]);
  }
  return map;
}

/**
 * A context entry listing key prefixes (lower case) whose keys the context holds completely: in
 * discovery mode a key under one of them that the context lacks is absent, not unknown. A snapshot
 * knows every tag of a principal, so `aws:principaltag/` is complete for its requests.
 */
export const COMPLETE_PREFIXES = 'iamsight:complete-prefixes';

/** True when the context lacks `key` (lower case) and says it knows all keys of its kind. */
export function knownAbsent(context: ContextValues, key: string): boolean {
  const prefixes = context.get(COMPLETE_PREFIXES);
  return prefixes !== undefined && prefixes.some((prefix) => key.startsWith(prefix));
}

/**
 * How a key that the context does not hold is treated:
 * - `discovery`: unknown — a condition on it is neither met nor unmet, and the decision lists it;
 * - `complete`: absent from the request, exactly as AWS would see it.
 */
export type ContextMode = 'discovery' | 'complete';

/** Three-valued result of a condition, a statement match, or a policy. */
export type Tri = 'true' | 'false' | 'unknown';

/** A condition clause that could not be decided, with the statement it belongs to. */
export interface PendingCondition {
  readonly policyId: string;
  readonly policyKind: PolicyKind;
  readonly sid: string | null;
  readonly statementIndex: number;
  readonly effect: 'Allow' | 'Deny';
  readonly clause: ConditionClause;
}

/** A statement that decided (part of) an answer. */
export interface StatementRef {
  readonly policyId: string;
  readonly policyKind: PolicyKind;
  readonly sid: string | null;
  readonly statementIndex: number;
  readonly effect: 'Allow' | 'Deny';
}

export type Decision = 'Allowed' | 'ExplicitDeny' | 'ImplicitDeny';
