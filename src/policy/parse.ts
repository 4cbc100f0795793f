/**
 * Parsing of IAM JSON policy documents into {@link NormalizedPolicy} values, following the IAM User
 * Guide's "IAM JSON policy element reference". Parsing never throws: every problem becomes a
 * {@link Diagnostic} with the JSON path of the element (`$.Statement[1].Action[0]`), and a
 * statement whose meaning cannot be known (no Effect, no Action, both Action and NotAction, values
 * of the wrong type, …) is dropped — it then neither allows nor denies anything. Statements AWS
 * would reject but whose meaning is clear (a Principal in an identity policy, a NotPrincipal with
 * Allow) are kept, with an error or warning.
 *
 * Parsing is pure; caching parsed documents is the caller's job.
 */
import { expandActionPatternWithDiagnostics, expandActionPatterns } from '../catalog/index.js';
import { parseConditionBlock } from './conditions.js';
import { describePrincipalEntry } from './match-principal.js';
import { hasVariableBeforeResourcePart, resourcePatternShape } from './match-resource.js';
import type {
  ConditionClause,
  Diagnostic,
  NormalizedPolicy,
  NormalizedStatement,
  PolicyKind,
  PrincipalEntry,
} from './types.js';

/** What {@link parsePolicy} needs to know about a document. */
export interface ParsePolicyOptions {
  /** Where the document came from: a policy ARN (+ version), `role/x#inline-name`, a file path… */
  readonly id: string;
  readonly kind: PolicyKind;
}

/** The policy language versions AWS knows ("IAM JSON policy elements: Version"). */
export type PolicyVersion = '2012-10-17' | '2008-10-17';

/** A parsed policy with the facts of its Version element. */
export interface ParsedPolicy extends NormalizedPolicy {
  /** The Version element when it is a known version, else null (missing or invalid). */
  readonly version: PolicyVersion | null;
  /**
   * Whether `${...}` in Resource and Condition values is a policy variable: only with Version
   * `2012-10-17`. Without it (missing, `2008-10-17`) AWS treats `${aws:username}` as literal text.
   */
  readonly variables: boolean;
}

/** Whether a policy's `${...}` are policy variables (true unless its parser said otherwise). */
export function policyVariablesEnabled(policy: NormalizedPolicy): boolean {
  return (policy as Partial<ParsedPolicy>).variables ?? true;
}

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const PRINCIPAL_TYPES = new Set<PrincipalEntry['kind']>([
  'AWS',
  'Service',
  'Federated',
  'CanonicalUser',
]);

/** Policy kinds whose statements must name a Principal (resource-based policies, trust policies). */
const PRINCIPAL_REQUIRED: ReadonlySet<PolicyKind> = new Set(['resource', 'trust']);
/** Policy kinds that take no Principal: the principal is the identity the policy applies to. */
const PRINCIPAL_FORBIDDEN: ReadonlySet<PolicyKind> = new Set([
  'identity',
  'boundary',
  'session',
  'scp',
]);
/** Policy kinds that do not support NotPrincipal. */
const NOT_PRINCIPAL_FORBIDDEN: ReadonlySet<PolicyKind> = new Set([
  'identity',
  'boundary',
  'session',
  'scp',
  'rcp',
  'trust',
]);
/** Policy kinds whose statements must have Resource or NotResource. */
const RESOURCE_REQUIRED: ReadonlySet<PolicyKind> = new Set(['identity', 'boundary', 'session']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

class Collector {
  readonly diagnostics: Diagnostic[] = [];

  error(code: string, path: string, message: string): void {
    this.diagnostics.push({ severity: 'error', code, message, path });
  }

  warning(code: string, path: string, message: string): void {
    this.diagnostics.push({ severity: 'warning', code, message, path });
  }
}

/**
 * A string or a list of strings; null (with an error) when the value or one of its items has
 * another type.
 */
function stringList(
  value: unknown,
  path: string,
  out: Collector,
  element: string,
): string[] | null {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) {
    out.error(
      'wrong-value-type',
      path,
      `${element} must be a string or a list of strings, not ${describeType(value)}`,
    );
    return null;
  }
  const items: string[] = [];
  let ok = true;
  value.forEach((item, i) => {
    if (typeof item === 'string') items.push(item);
    else {
      ok = false;
      out.error(
        'wrong-value-type',
        `${path}[${i}]`,
        `each ${element} entry must be a string, not ${describeType(item)}`,
      );
    }
  });
  if (!ok) return null;
  if (items.length === 0) out.warning('empty-element', path, `${element} is an empty list`);
  return items;
}

/** The JSON path of item `i` of a list element, or of the element itself when it is a string. */
function itemPath(path: string, value: unknown, i: number): string {
  return Array.isArray(value) ? `${path}[${i}]` : path;
}

function parseActions(
  value: unknown,
  not: boolean,
  path: string,
  out: Collector,
): NonNullable<NormalizedStatement['action']> | null {
  const element = not ? 'NotAction' : 'Action';
  const patterns = stringList(value, path, out, element);
  if (patterns === null) return null;
  patterns.forEach((pattern, i) => {
    const at = itemPath(path, value, i);
    const expansion = expandActionPatternWithDiagnostics(pattern);
    if (expansion.problem !== undefined) {
      out.warning('invalid-action', at, invalidActionMessage(pattern, expansion.problem));
    } else if (expansion.unknownService !== undefined) {
      out.warning(
        'unknown-service',
        at,
        `"${pattern}": the action catalog has no service "${expansion.unknownService}"`,
      );
    } else if (expansion.unknownAction !== undefined) {
      out.warning('unknown-action', at, `"${pattern}": the action catalog has no such action`);
    } else if (expansion.matchedNothing) {
      out.warning('action-matches-nothing', at, `"${pattern}" matches no action in the catalog`);
    }
  });
  return { not, patterns, set: expandActionPatterns(patterns, { not }) };
}

function invalidActionMessage(pattern: string, problem: string): string {
  switch (problem) {
    case 'empty':
      return 'an empty action matches nothing';
    case 'missing-service-prefix':
      return `"${pattern}" lacks a "service:" prefix (AWS rejects it)`;
    case 'wildcard-in-service':
      return `"${pattern}" has a wildcard in the service prefix (AWS rejects it)`;
    default:
      return `"${pattern}" holds more than one colon and matches nothing (AWS rejects it)`;
  }
}

function parseResources(
  value: unknown,
  not: boolean,
  path: string,
  variables: boolean,
  out: Collector,
): NonNullable<NormalizedStatement['resource']> | null {
  const element = not ? 'NotResource' : 'Resource';
  const patterns = stringList(value, path, out, element);
  if (patterns === null) return null;
  patterns.forEach((pattern, i) => {
    const at = itemPath(path, value, i);
    const shape = resourcePatternShape(pattern);
    if (shape === 'not-arn') {
      out.warning(
        'malformed-arn',
        at,
        `"${pattern}" is neither "*" nor an ARN; it is matched as plain text`,
      );
    } else if (shape === 'short-arn') {
      out.warning(
        'malformed-arn',
        at,
        `"${pattern}" has fewer than the six fields of an ARN and matches nothing`,
      );
    } else if (shape === 'open-ended-arn') {
      out.warning(
        'malformed-arn',
        at,
        `"${pattern}" has fewer than six fields; its trailing "*" covers the rest of the ARN`,
      );
    }
    if (!variables && pattern.includes('${')) {
      out.warning(
        'variables-not-substituted',
        at,
        'without Version "2012-10-17" a policy variable is plain text, not substituted',
      );
    } else if (variables && hasVariableBeforeResourcePart(pattern)) {
      out.warning(
        'variables-not-substituted',
        at,
        'a policy variable is substituted only in the resource part of an ARN (after the fifth colon); here it is plain text',
      );
    }
  });
  return { not, patterns };
}

/** Parses a Principal / NotPrincipal value; null (with an error) when its meaning is unknown. */
function parsePrincipals(
  value: unknown,
  element: 'Principal' | 'NotPrincipal',
  path: string,
  out: Collector,
): PrincipalEntry[] | null {
  if (value === '*') return [{ kind: '*', value: '*' }];
  if (!isObject(value)) {
    out.error(
      'wrong-value-type',
      path,
      `${element} must be "*" or an object such as {"AWS": ...}, not ${typeof value === 'string' ? `the string "${value}"` : describeType(value)}`,
    );
    return null;
  }
  const entries: PrincipalEntry[] = [];
  let ok = true;
  for (const [key, raw] of Object.entries(value)) {
    const keyPath = `${path}.${key}`;
    if (!PRINCIPAL_TYPES.has(key as PrincipalEntry['kind'])) {
      out.error(
        'unknown-principal-type',
        keyPath,
        `"${key}" is not a principal type (AWS, Service, Federated, CanonicalUser); its entries match no one`,
      );
      continue;
    }
    const kind = key as PrincipalEntry['kind'];
    const values = stringList(raw, keyPath, out, `${element}.${key}`);
    if (values === null) {
      ok = false;
      continue;
    }
    values.forEach((text, i) => {
      const entry: PrincipalEntry = { kind, value: text };
      const target = describePrincipalEntry(entry);
      if (target.form === 'nothing')
        reportPrincipalProblem(target.problem, entry, itemPath(keyPath, raw, i), out);
      entries.push(entry);
    });
  }
  if (!ok) return null;
  if (Object.keys(value).length === 0) out.warning('empty-element', path, `${element} is empty`);
  return entries;
}

function reportPrincipalProblem(
  problem:
    'wildcard-in-principal' | 'principal-unique-id' | 'invalid-principal' | 'empty-principal',
  entry: PrincipalEntry,
  path: string,
  out: Collector,
): void {
  switch (problem) {
    case 'wildcard-in-principal':
      out.error(
        problem,
        path,
        `"${entry.value}": a wildcard can only stand alone ("*") in a principal; this entry matches no one`,
      );
      return;
    case 'principal-unique-id':
      out.warning(
        problem,
        path,
        `"${entry.value}" is a unique id, shown when the principal it named was deleted; it matches no one`,
      );
      return;
    case 'empty-principal':
      out.error('invalid-principal', path, 'an empty principal matches no one');
      return;
    case 'invalid-principal':
      out.error(
        problem,
        path,
        `"${entry.value}" is not an account id, "*", or the ARN of a user, role, role session or federated user; it matches no one`,
      );
  }
}

function parseStatement(
  raw: unknown,
  index: number,
  path: string,
  kind: PolicyKind,
  variables: boolean,
  out: Collector,
): NormalizedStatement | null {
  if (!isObject(raw)) {
    out.error(
      'wrong-value-type',
      path,
      `a statement must be an object, not ${describeType(raw)}; it is ignored`,
    );
    return null;
  }
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) {
      out.warning(
        'unknown-element',
        `${path}.${key}`,
        `"${key}" is not a statement element; it is ignored`,
      );
    }
  }
  let dropped = false;
  const drop = (code: string, at: string, message: string): void => {
    out.error(code, at, `${message}; the statement is ignored`);
    dropped = true;
  };

  let sid: string | null = null;
  if ('Sid' in raw) {
    if (typeof raw.Sid === 'string') sid = raw.Sid;
    else
      out.warning(
        'wrong-value-type',
        `${path}.Sid`,
        `Sid must be a string, not ${describeType(raw.Sid)}`,
      );
  }

  let effect: 'Allow' | 'Deny' = 'Deny';
  if (!('Effect' in raw)) drop('missing-effect', path, 'the statement has no Effect');
  else if (raw.Effect === 'Allow' || raw.Effect === 'Deny') effect = raw.Effect;
  else {
    drop(
      'invalid-effect',
      `${path}.Effect`,
      `Effect must be "Allow" or "Deny", not ${typeof raw.Effect === 'string' ? `"${raw.Effect}"` : describeType(raw.Effect)}`,
    );
  }

  let action: NormalizedStatement['action'] = null;
  if ('Action' in raw && 'NotAction' in raw) {
    drop('action-and-notaction', path, 'a statement cannot have both Action and NotAction');
  } else if ('Action' in raw || 'NotAction' in raw) {
    const not = 'NotAction' in raw;
    action = parseActions(
      not ? raw.NotAction : raw.Action,
      not,
      `${path}.${not ? 'NotAction' : 'Action'}`,
      out,
    );
    if (action === null) dropped = true;
  } else {
    drop('missing-action', path, 'the statement has neither Action nor NotAction');
  }

  let resource: NormalizedStatement['resource'] = null;
  if ('Resource' in raw && 'NotResource' in raw) {
    drop('resource-and-notresource', path, 'a statement cannot have both Resource and NotResource');
  } else if ('Resource' in raw || 'NotResource' in raw) {
    const not = 'NotResource' in raw;
    const at = `${path}.${not ? 'NotResource' : 'Resource'}`;
    resource = parseResources(not ? raw.NotResource : raw.Resource, not, at, variables, out);
    if (resource === null) dropped = true;
    else if (kind === 'trust') {
      out.error(
        'resource-in-trust-policy',
        at,
        'a role trust policy takes no Resource: the resource is the role itself',
      );
    }
  } else if (RESOURCE_REQUIRED.has(kind)) {
    drop('missing-resource', path, 'the statement has neither Resource nor NotResource');
  }

  let principal: NormalizedStatement['principal'] = null;
  if ('Principal' in raw && 'NotPrincipal' in raw) {
    drop(
      'principal-and-notprincipal',
      path,
      'a statement cannot have both Principal and NotPrincipal',
    );
  } else if ('Principal' in raw || 'NotPrincipal' in raw) {
    const not = 'NotPrincipal' in raw;
    const element = not ? 'NotPrincipal' : 'Principal';
    const at = `${path}.${element}`;
    const entries = parsePrincipals(not ? raw.NotPrincipal : raw.Principal, element, at, out);
    if (entries === null) dropped = true;
    else {
      principal = { not, entries };
      checkPrincipalPlacement(kind, not, entries, effect, at, out);
    }
  } else if (PRINCIPAL_REQUIRED.has(kind)) {
    drop(
      'missing-principal',
      path,
      `a statement of a ${kind === 'trust' ? 'role trust' : 'resource-based'} policy must name a Principal`,
    );
  } else if (kind === 'rcp') {
    out.warning('missing-principal', path, 'an RCP statement should have "Principal": "*"');
  }

  let conditions: readonly ConditionClause[] = [];
  if ('Condition' in raw) {
    const at = `${path}.Condition`;
    const parsed = parseConditionBlock(raw.Condition, at);
    out.diagnostics.push(...parsed.diagnostics);
    conditions = parsed.clauses;
    if (!variables && JSON.stringify(raw.Condition ?? null).includes('${')) {
      out.warning(
        'variables-not-substituted',
        at,
        'without Version "2012-10-17" a policy variable is plain text, not substituted',
      );
    }
  }

  if (dropped) return null;
  return { index, sid, effect, action, resource, principal, conditions };
}

function checkPrincipalPlacement(
  kind: PolicyKind,
  not: boolean,
  entries: readonly PrincipalEntry[],
  effect: 'Allow' | 'Deny',
  path: string,
  out: Collector,
): void {
  if (PRINCIPAL_FORBIDDEN.has(kind)) {
    out.error(
      'principal-not-allowed',
      path,
      `a ${kindName(kind)} takes no ${not ? 'NotPrincipal' : 'Principal'}: it applies to the identity it is attached to`,
    );
    return;
  }
  if (not && NOT_PRINCIPAL_FORBIDDEN.has(kind)) {
    out.error(
      'notprincipal-not-allowed',
      path,
      `a ${kindName(kind)} does not support NotPrincipal`,
    );
    return;
  }
  if (not && effect === 'Allow') {
    out.warning(
      'notprincipal-with-allow',
      path,
      'NotPrincipal is supported only with "Effect": "Deny"; with Allow it grants everyone not listed',
    );
  }
  if (kind === 'rcp' && !entries.every((entry) => entry.value === '*')) {
    out.error('invalid-principal', path, 'an RCP supports only "Principal": "*"');
  }
}

function kindName(kind: PolicyKind): string {
  switch (kind) {
    case 'identity':
      return 'identity-based policy';
    case 'resource':
      return 'resource-based policy';
    case 'trust':
      return 'role trust policy';
    case 'boundary':
      return 'permissions boundary';
    case 'scp':
      return 'service control policy';
    case 'rcp':
      return 'resource control policy';
    case 'session':
      return 'session policy';
    case 'endpoint':
      return 'VPC endpoint policy';
  }
}

function emptyPolicy(options: ParsePolicyOptions, diagnostics: Diagnostic[]): ParsedPolicy {
  return {
    id: options.id,
    kind: options.kind,
    version: null,
    variables: false,
    statements: [],
    diagnostics,
  };
}

/** Parses a policy document (a JSON value); never throws — problems are diagnostics. */
export function parsePolicy(document: unknown, options: ParsePolicyOptions): ParsedPolicy {
  const out = new Collector();
  if (!isObject(document)) {
    out.error(
      'wrong-value-type',
      '$',
      `a policy document must be a JSON object, not ${describeType(document)}`,
    );
    return emptyPolicy(options, out.diagnostics);
  }
  for (const key of Object.keys(document)) {
    if (!DOCUMENT_KEYS.has(key)) {
      out.warning('unknown-element', `$.${key}`, `"${key}" is not a policy element; it is ignored`);
    }
  }

  let version: PolicyVersion | null = null;
  if (!('Version' in document)) {
    out.warning(
      'missing-version',
      '$',
      'the policy has no Version: AWS uses "2008-10-17", where policy variables are plain text',
    );
  } else if (document.Version === '2012-10-17') {
    version = '2012-10-17';
  } else if (document.Version === '2008-10-17') {
    version = '2008-10-17';
    out.warning(
      'old-version',
      '$.Version',
      'Version "2008-10-17" does not substitute policy variables; use "2012-10-17"',
    );
  } else {
    out.error(
      'invalid-version',
      '$.Version',
      `Version must be "2012-10-17" or "2008-10-17", not ${typeof document.Version === 'string' ? `"${document.Version}"` : describeType(document.Version)}`,
    );
  }
  const variables = version === '2012-10-17';

  const statements: NormalizedStatement[] = [];
  const raw = document.Statement;
  if (!('Statement' in document)) {
    out.error('missing-statement', '$', 'the policy has no Statement');
  } else if (Array.isArray(raw)) {
    if (raw.length === 0) out.warning('empty-element', '$.Statement', 'Statement is an empty list');
    raw.forEach((item, i) => {
      const statement = parseStatement(item, i, `$.Statement[${i}]`, options.kind, variables, out);
      if (statement) statements.push(statement);
    });
  } else if (isObject(raw)) {
    const statement = parseStatement(raw, 0, '$.Statement', options.kind, variables, out);
    if (statement) statements.push(statement);
  } else {
    out.error(
      'wrong-value-type',
      '$.Statement',
      `Statement must be an object or a list of objects, not ${describeType(raw)}`,
    );
  }

  const seen = new Map<string, number>();
  for (const statement of statements) {
    if (statement.sid === null || statement.sid === '') continue;
    const first = seen.get(statement.sid);
    if (first === undefined) seen.set(statement.sid, statement.index);
    else {
      out.warning(
        'duplicate-sid',
        Array.isArray(raw) ? `$.Statement[${statement.index}].Sid` : '$.Statement.Sid',
        `Sid "${statement.sid}" is already used by statement ${first}`,
      );
    }
  }

  return {
    id: options.id,
    kind: options.kind,
    version,
    variables,
    statements,
    diagnostics: out.diagnostics,
  };
}

/** Parses a policy from JSON text; text that is not JSON gives a policy with no statements. */
export function parsePolicyText(text: string, options: ParsePolicyOptions): ParsedPolicy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // Bad input is a value, not an exception: it becomes the policy's only diagnostic.
    const reason = error instanceof Error ? error.message : String(error);
    return emptyPolicy(options, [
      { severity: 'error', code: 'invalid-json', message: `not valid JSON: ${reason}`, path: '$' },
    ]);
  }
  return parsePolicy(document, options);
}
