/**
 * A least-privilege policy for one principal, from what it used over the tracking period
 * (anchors.md §D.4): the actions used, with resources narrowed to those the logs saw where the
 * action supports resource-level permissions (the catalog knows), plus every granted action the
 * logs cannot show (`iam:PassRole`, unlogged data events), kept and flagged — never silently
 * removed. Statements are grouped by service and resource set; nothing is granted that today's
 * identity policies do not (each resource seen must be covered by today's grant, and conditions
 * every granting statement carries are carried over). The result is valid IAM JSON within the
 * managed-policy size limit: when it is over, actions are widened to wildcards that today's
 * grant already covers, then the statements are split across several documents, with a note.
 */
import { loadCatalog, type ActionSet } from '../catalog/index.js';
import type { PolicyDocument } from '../model/index.js';
import { matchAnyResource } from '../policy/match-resource.js';
import type { ConditionClause, NormalizedPolicy, NormalizedStatement } from '../policy/types.js';
import type { PermissionUsage } from './permissions.js';
import { whyUnobservable } from './logging.js';
import type { UsageIndex } from './usage-index.js';

/** AWS's limit for a customer managed policy, in characters without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

export const SUGGESTED_POLICY_SCHEMA = 'iamsight.suggested-policy/v1';

/** One service's share of the change. */
export interface ServiceDiff {
  readonly service: string;
  readonly granted: number;
  readonly kept: number;
  readonly removed: number;
  /** The removed actions, when some of the service is kept (a wholly removed service: count only). */
  readonly removedActions: readonly string[] | null;
}

/** The suggested policy and how it differs from today's grant. */
export interface SuggestedPolicy {
  readonly schema: typeof SUGGESTED_POLICY_SCHEMA;
  readonly principal: string;
  readonly asOf: string;
  readonly periodStart: string;
  /** The identity policies the suggestion replaces (the permissions boundary and SCPs stay). */
  readonly replaces: readonly string[];
  /** One or more documents, each within {@link MANAGED_POLICY_MAX_CHARS}; empty when nothing is needed. */
  readonly documents: readonly PolicyDocument[];
  /** Characters (without whitespace) of each document. */
  readonly sizes: readonly number[];
  /** Actions were widened to wildcards to fit the size limit. */
  readonly widened: boolean;
  /** Granted actions the logs cannot show, kept in the policy: check them. */
  readonly unknownActions: readonly { readonly action: string; readonly reason: string }[];
  readonly notes: readonly string[];
  readonly diff: {
    readonly granted: number;
    readonly kept: number;
    readonly removed: number;
    /** Actions the suggestion allows that today's policies do not: always empty by construction. */
    readonly added: readonly string[];
    readonly byService: readonly ServiceDiff[];
  };
}

/** A statement being built: one service, one resource set, one condition block. */
interface Group {
  readonly service: string;
  readonly unknown: boolean;
  readonly resources: readonly string[];
  readonly condition: Record<string, Record<string, string | string[]>> | null;
  actions: string[];
}

const SAFE_ARN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[^*?$\s]+$/;

/** `${Partition}`-style template of a resource type → a regex matching ARNs of that type. */
function templateRegex(template: string): RegExp {
  const parts = template.split(/\$\{[^}]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}

function conditionBlock(
  clauses: readonly ConditionClause[],
): Record<string, Record<string, string | string[]>> {
  const block: Record<string, Record<string, string | string[]>> = {};
  for (const clause of clauses) {
    const operator = (block[clause.operator] ??= {});
    operator[clause.key] = clause.values.length === 1 ? clause.values[0]! : [...clause.values];
  }
  return block;
}

function pascal(service: string): string {
  return service
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function compactSize(document: PolicyDocument): number {
  return JSON.stringify(document).replace(/\s+/g, '').length;
}

/** The statements of today's identity policies that allow `index`, on some resource. */
function grantingStatements(
  policies: readonly NormalizedPolicy[],
  index: number,
): NormalizedStatement[] {
  const out: NormalizedStatement[] = [];
  for (const policy of policies)
    for (const statement of policy.statements)
      if (statement.effect === 'Allow' && statement.action?.set.has(index)) out.push(statement);
  return out;
}

/** Builds the least-privilege suggestion for one principal. */
export function suggestPolicy(input: {
  readonly principal: string;
  readonly permissions: PermissionUsage;
  /** The principal's identity policies, parsed (its own, its groups', attached managed ones). */
  readonly policies: readonly NormalizedPolicy[];
  readonly usage: UsageIndex;
  /** Size limit per document (default {@link MANAGED_POLICY_MAX_CHARS}). */
  readonly maxChars?: number;
}): SuggestedPolicy {
  const catalog = loadCatalog();
  const { permissions, policies, usage } = input;
  const maxChars = input.maxChars ?? MANAGED_POLICY_MAX_CHARS;
  const notes: string[] = [];
  const groups = new Map<string, Group>();
  const unknownActions: { action: string; reason: string }[] = [];
  const outsideGrant = new Set<string>();
  const notCarried = new Set<string>();

  const place = (index: number, unknown: boolean): void => {
    const action = catalog.actionName(index);
    const service = action.split(':')[0] ?? '';
    const grants = grantingStatements(policies, index);
    // Today's resources for this action: every granting statement's Resource patterns.
    let today: string[] = [];
    let everywhere = grants.length === 0;
    for (const statement of grants) {
      if (!statement.resource || statement.resource.not) everywhere = true;
      else today.push(...statement.resource.patterns);
    }
    if (everywhere || today.includes('*')) today = ['*'];
    let resources = [...new Set(today)].sort();
    // Narrow to the resources the logs saw, when the action has resource types and each seen
    // resource is an ARN of one of them that today's grant covers.
    const call = permissions.calls.get(action.toLowerCase());
    const types = (catalog.resourceTypesOfAction(index) ?? []).filter((t) => t.arn);
    if (!unknown && call && types.length > 0 && call.resources.length > 0) {
      if (call.resourcesTruncated) {
        notCarried.add(
          `${action} touched more than ${call.resources.length} resources: today's resources kept`,
        );
      } else {
        const patterns = types.map((t) => templateRegex(t.arn!));
        const seen = new Set<string>();
        for (const arn of call.resources) {
          if (!SAFE_ARN.test(arn) || !patterns.some((p) => p.test(arn))) continue;
          if (matchAnyResource(resources, arn, new Map(), 'discovery') !== 'true') {
            outsideGrant.add(action);
            continue;
          }
          // An S3 object stands for its bucket's objects: keys change, buckets do not.
          const object = /^(arn:[a-z-]+:s3:::[^/]+)\/.+$/.exec(arn);
          seen.add(object ? `${object[1]}/*` : arn);
        }
        if (seen.size > 0) resources = [...seen].sort();
      }
    }
    // Conditions: carried when every granting statement has them (else the grant is unconditional).
    const conditional = grants.length > 0 && grants.every((s) => s.conditions.length > 0);
    const condition = conditional ? conditionBlock(grants[0]!.conditions) : null;
    if (conditional && grants.length > 1)
      notCarried.add(
        `${action} is allowed by ${grants.length} conditional statements: the conditions of the first are carried over`,
      );
    const key = JSON.stringify([service, unknown, resources, condition]);
    let group = groups.get(key);
    if (!group) {
      group = { service, unknown, resources, condition, actions: [] };
      groups.set(key, group);
    }
    group.actions.push(action);
    if (unknown)
      unknownActions.push({
        action,
        reason: whyUnobservable(action, usage.dataEvents) ?? 'not shown by the logs',
      });
  };
  permissions.used.forEach((index) => place(index, false));
  permissions.unknown.forEach((index) => place(index, true));

  const ordered = [...groups.values()].sort(
    (a, b) =>
      (a.service < b.service ? -1 : a.service > b.service ? 1 : 0) ||
      Number(a.unknown) - Number(b.unknown) ||
      (JSON.stringify(a.resources) < JSON.stringify(b.resources) ? -1 : 1),
  );
  const statementsOf = (list: readonly Group[]): Record<string, unknown>[] => {
    const counters = new Map<string, number>();
    return list.map((group) => {
      const base = `${pascal(group.service)}${group.unknown ? 'NotInLogs' : 'Used'}`;
      const n = (counters.get(base) ?? 0) + 1;
      counters.set(base, n);
      const actions = [...group.actions].sort();
      return {
        Sid: n === 1 ? base : `${base}${n}`,
        Effect: 'Allow',
        Action: actions.length === 1 ? actions[0] : actions,
        Resource: group.resources.length === 1 ? group.resources[0] : [...group.resources],
        ...(group.condition ? { Condition: group.condition } : {}),
      };
    });
  };
  const documentOf = (statements: Record<string, unknown>[]): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: statements,
  });

  // Over the limit: widen actions to wildcards today's grant already covers, `Verb*` first and
  // `service:*` only if that is not enough.
  let widened = false;
  for (const level of ['verb', 'service'] as const) {
    if (ordered.length === 0 || compactSize(documentOf(statementsOf(ordered))) <= maxChars) break;
    widened = true;
    for (const group of ordered)
      group.actions = widenActions(group.actions, permissions.granted, level);
  }
  if (widened)
    notes.push(
      `The exact policy is over the ${maxChars}-character limit of a managed policy: actions were widened to wildcards (Verb*, then service:* if needed) that today's policies already grant, so some unused actions stay allowed.`,
    );
  // Still over: split statements across documents.
  const documents: PolicyDocument[] = [];
  let current: Record<string, unknown>[] = [];
  for (const statement of statementsOf(ordered)) {
    if (current.length > 0 && compactSize(documentOf([...current, statement])) > maxChars) {
      documents.push(documentOf(current));
      current = [];
    }
    current.push(statement);
  }
  if (current.length > 0) documents.push(documentOf(current));
  if (documents.length > 1)
    notes.push(
      `Split into ${documents.length} policies of at most ${maxChars} characters each (a role or user can have 10 managed policies attached by default).`,
    );
  const sizes = documents.map(compactSize);
  if (sizes.some((size) => size > maxChars))
    notes.push(
      'One statement alone is over the size limit (very many resources): narrow its resources by hand.',
    );

  if (documents.length === 0)
    notes.push(
      'Nothing was used in the tracking period and nothing granted is beyond what the logs show: the principal may need no permissions (or may be unused).',
    );
  if (unknownActions.length > 0)
    notes.push(
      `${unknownActions.length} granted actions cannot be seen in CloudTrail (${[...new Set(unknownActions.map((u) => u.action.split(':')[0]))].slice(0, 8).join(', ')}…): they are kept in *NotInLogs statements; remove those the workload does not need.`,
    );
  if (permissions.usedNotGranted.length > 0)
    notes.push(
      `Used but not granted by the identity policies (allowed by a resource policy, or unknown to the catalog), so not added: ${permissions.usedNotGranted
        .map((a) => a.action)
        .slice(0, 20)
        .join(', ')}.`,
    );
  if (outsideGrant.size > 0)
    notes.push(
      `Some resources ${[...outsideGrant].slice(0, 10).join(', ')} touched are not covered by today's identity grant (a resource policy allowed them): they are left out.`,
    );
  notes.push(...[...notCarried].slice(0, 20));

  // The diff against today's grant.
  let suggested = catalog.emptySet();
  for (const group of ordered)
    for (const action of group.actions)
      suggested = suggested.union(catalog.expandActionPattern(action));
  const added = suggested.difference(permissions.granted).toActions();
  const kept = permissions.granted.intersect(suggested);
  const removed = permissions.granted.difference(suggested);
  return {
    schema: SUGGESTED_POLICY_SCHEMA,
    principal: input.principal,
    asOf: permissions.asOf,
    periodStart: permissions.periodStart,
    replaces: policies.map((p) => p.id),
    documents,
    sizes,
    widened,
    unknownActions,
    notes,
    diff: {
      granted: permissions.granted.count(),
      kept: kept.count(),
      removed: removed.count(),
      added,
      byService: diffByService(permissions.granted, kept, removed),
    },
  };
}

/**
 * Replaces actions of one service by wildcards today's grant covers: `svc:Verb*` for two or more
 * actions sharing their first word, or (`level` service) `svc:*` when the whole service is granted.
 */
function widenActions(
  actions: readonly string[],
  granted: ActionSet,
  level: 'verb' | 'service',
): string[] {
  const catalog = loadCatalog();
  const service = actions[0]?.split(':')[0] ?? '';
  const all = catalog.actionsOfService(service);
  if (level === 'service' && all && all.isSubsetOf(granted)) return [`${service}:*`];
  const byVerb = new Map<string, string[]>();
  for (const action of actions) {
    const name = action.split(':')[1] ?? '';
    const verb = /^[A-Z][a-z]+/.exec(name)?.[0] ?? name;
    const list = byVerb.get(verb) ?? [];
    list.push(action);
    byVerb.set(verb, list);
  }
  const out: string[] = [];
  for (const [verb, list] of byVerb) {
    const wildcard = `${service}:${verb}*`;
    if (list.some((a) => a.endsWith('*'))) out.push(...list);
    else if (list.length > 1 && catalog.expandActionPattern(wildcard).isSubsetOf(granted))
      out.push(wildcard);
    else out.push(...list);
  }
  return out.sort();
}

function diffByService(granted: ActionSet, kept: ActionSet, removed: ActionSet): ServiceDiff[] {
  const catalog = loadCatalog();
  const index = catalog.index;
  const services = new Set<number>();
  granted.forEach((action) => services.add(index.serviceOfAction[action]!));
  return [...services]
    .map((number) => {
      const key = index.serviceKeys[number]!;
      const actions = catalog.actionsOfService(key)!;
      const keptHere = kept.intersect(actions).count();
      const removedHere = removed.intersect(actions);
      return {
        service: key,
        granted: granted.intersect(actions).count(),
        kept: keptHere,
        removed: removedHere.count(),
        removedActions: keptHere > 0 ? removedHere.toActions() : null,
      };
    })
    .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}
