/**
 * One technique applied by one actor to one target: which requests it takes, whether the engine
 * allows each on its resource, and whether the snapshot's facts satisfy the prerequisites.
 */
import { actionIndex } from '../catalog/index.js';
import type { Principal, Resource, RolePrincipal, GroupPrincipal } from '../model/index.js';
import { parseArn } from '../model/index.js';
import { identityAllowsOf, type EvaluationResult } from '../policy/evaluate.js';
import {
  contextOf,
  type ContextValues,
  type NormalizedPolicy,
  type PendingCondition,
  type StatementRef,
} from '../policy/types.js';
import { matchResourceElement, type ResourceElement } from '../policy/match-resource.js';
import type { AccessContext } from './context.js';
import { checkPrerequisite } from './prerequisites.js';
import type { PermissionSpec, Technique } from './techniques/types.js';

/** What a technique acts on, resolved against the snapshot. */
export interface TargetCandidate {
  /** The ARN the technique acts on (user, role, group, policy or resource). */
  readonly arn: string;
  /** The principal whose permissions the actor gains (the actor itself for self-escalation). */
  readonly principal: Principal;
  readonly role?: RolePrincipal;
  readonly group?: GroupPrincipal;
  readonly resource?: Resource;
  /** For passable roles: the service the role is passed to. */
  readonly service?: string;
  /** For policy targets. */
  readonly policyArn?: string;
}

/** One allowed request of a step. */
export interface StepRequest {
  readonly action: string;
  readonly resource: string;
  /** The Allow statements that decided it. */
  readonly statements: readonly StatementRef[];
  /** The identity-policy Allow statements among them (cheaper to read than `statements`). */
  readonly identityAllows: readonly StatementRef[];
  readonly conditions: readonly PendingCondition[];
}

/** A technique the actor can use on a target, with the evidence. */
export interface Step {
  readonly technique: Technique;
  readonly actor: Principal;
  readonly target: TargetCandidate;
  readonly requests: readonly StepRequest[];
  /** Prerequisites the data cannot confirm, in words. */
  readonly unknowns: readonly string[];
  readonly conditional: boolean;
}

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

function fill(template: string, actor: Principal): string {
  return template.replaceAll('{account}', actor.accountId).replaceAll('{region}', 'us-east-1');
}

/**
 * Concrete resources to try for an action on a resource the actor creates: the actor's own
 * Allow patterns for the action, with wildcards filled in (the attacker picks the name), then the
 * technique's ARN shape.
 */
function witnesses(ctx: AccessContext, actor: Principal, spec: PermissionSpec): string[] {
  const bit = actionIndex(spec.action);
  const out = new Set<string>();
  // Only patterns that can name a resource of the created kind count (a SendCommand grant on an
  // instance says nothing about the document it runs).
  const shape = spec.arn ? parseArn(fill(spec.arn, actor)) : null;
  const kind = shape ? (/^[^/:]+/.exec(shape.resource)?.[0] ?? '') : '';
  const sameKind = (arn: { service: string; resource: string }, raw: string): boolean =>
    !shape ||
    ((arn.service === shape.service || arn.service.includes('*')) &&
      (raw.startsWith('*') ||
        arn.resource.startsWith(`${kind}/`) ||
        arn.resource.startsWith(`${kind}:`) ||
        arn.resource === kind));
  const policies = ctx.evaluator.policiesFor(actor).identity;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow' || !statement.resource || statement.resource.not) continue;
      if (bit === undefined || !statement.action?.set.has(bit)) continue;
      for (const pattern of statement.resource.patterns) {
        if (pattern === '*') continue;
        const arn = parseArn(pattern.replaceAll('?', 'x'));
        if (!arn || !sameKind(arn, parseArn(pattern)?.resource ?? '')) continue;
        const region = /[*?]/.test(arn.region) ? 'us-east-1' : arn.region;
        const account = /[*?]/.test(arn.accountId) ? actor.accountId : arn.accountId;
        const resource = arn.resource.replaceAll('*', 'iamsight');
        out.add(`arn:${arn.partition}:${arn.service}:${region}:${account}:${resource}`);
        if (out.size >= 6) break;
      }
    }
  }
  out.add(spec.arn ? fill(spec.arn, actor) : '*');
  return [...out];
}

function resourcesFor(
  ctx: AccessContext,
  spec: PermissionSpec,
  actor: Principal,
  target: TargetCandidate,
): string[] {
  switch (spec.on) {
    case 'target':
      return [target.arn];
    case 'role':
      return [target.role?.arn ?? target.principal.arn];
    case 'self':
      return [actor.arn];
    case 'target-policy':
      return ctx.attachedCustomerPolicies(target.principal);
    case 'new':
      return witnesses(ctx, actor, spec);
    case 'any':
      return ['*'];
  }
}

/** Request contexts per permission and passed-to service: built once, shared (never modified). */
const contexts = new WeakMap<PermissionSpec, Map<string, ContextValues | undefined>>();
/** The text of a shared context, for memo keys. */
const contextTexts = new WeakMap<ContextValues, string>();

function contextFor(spec: PermissionSpec, target: TargetCandidate): ContextValues | undefined {
  let byService = contexts.get(spec);
  if (!byService) {
    byService = new Map();
    contexts.set(spec, byService);
  }
  const service = target.service ?? '';
  if (byService.has(service)) return byService.get(service);
  const context = buildContextFor(spec, target);
  byService.set(service, context);
  return context;
}

function buildContextFor(spec: PermissionSpec, target: TargetCandidate): ContextValues | undefined {
  const entries: Record<string, string> = { ...spec.context };
  if (spec.action.toLowerCase() === 'iam:passrole' && target.service)
    entries['iam:PassedToService'] = target.service;
  if (/^iam:attach(user|role|group)policy$/i.test(spec.action))
    entries['iam:PolicyARN'] ??= ADMINISTRATOR_ACCESS;
  return Object.keys(entries).length > 0 ? contextOf(entries) : undefined;
}

/**
 * Keys whose value the attacker chooses when it makes the request: a condition on them holds if
 * some value satisfies it. aws:RequestedRegion is the region the attacker calls.
 */
const ATTACKER_CHOSEN = new Set(['aws:requestedregion']);

/**
 * Evaluates a request; when it is allowed only under conditions on keys the attacker chooses,
 * tries the values those conditions name and keeps the first that decides it.
 */
function evaluateChosen(
  ctx: AccessContext,
  actor: Principal,
  action: string,
  resource: string,
  context: ContextValues | undefined,
): EvaluationResult {
  const memo = memoKey(ctx, actor, action, resource, context);
  if (memo === null) return evaluateChosenNow(ctx, actor, action, resource, context);
  let byKey = answers.get(ctx)?.get(actor);
  if (!byKey) {
    let byActor = answers.get(ctx);
    if (!byActor) {
      byActor = new Map();
      answers.set(ctx, byActor);
    }
    byKey = new Map();
    byActor.set(actor, byKey);
  }
  let result = byKey.get(memo);
  if (!result) {
    result = evaluateChosenNow(ctx, actor, action, resource, context);
    byKey.set(memo, result);
  }
  return result;
}

/** Answers of requests whose resource cannot change them, per actor (see {@link memoKey}). */
const answers = new WeakMap<AccessContext, Map<Principal, Map<string, EvaluationResult>>>();
const blindCache = new WeakMap<AccessContext, Map<Principal, Map<string, boolean>>>();

/**
 * Whether the actor's decision on an action cannot depend on which resource it names: every
 * statement for the action in its identity policies, boundary and SCPs has `Resource: "*"`.
 */
function resourceBlind(ctx: AccessContext, actor: Principal, action: string): boolean {
  let byActor = blindCache.get(ctx);
  if (!byActor) {
    byActor = new Map();
    blindCache.set(ctx, byActor);
  }
  let byAction = byActor.get(actor);
  if (!byAction) {
    byAction = new Map();
    byActor.set(actor, byAction);
  }
  let blind = byAction.get(action);
  if (blind === undefined) {
    const bit = actionIndex(action);
    const policies = ctx.evaluator.policiesFor(actor);
    const all = [
      ...policies.identity,
      ...(policies.boundary ? [policies.boundary] : []),
      ...policies.scpLevels.flat(),
    ];
    blind =
      bit !== undefined &&
      all.every((policy) =>
        policy.statements.every(
          (st) =>
            (st.action !== null && !st.action.set.has(bit)) ||
            st.resource === null ||
            (!st.resource.not && st.resource.patterns.every((p) => p === '*')),
        ),
      );
    byAction.set(action, blind);
  }
  return blind;
}

/**
 * The key under which a request's answer can be shared with the same actor's requests on other
 * resources: null unless the actor's policies are resource-blind for the action and no resource
 * policy governs the resource; then only the resource's account (RCPs, cross-account rules) and
 * the request context matter.
 */
function memoKey(
  ctx: AccessContext,
  actor: Principal,
  action: string,
  resource: string,
  context: ContextValues | undefined,
): string | null {
  if (!resourceBlind(ctx, actor, action)) return null;
  const account = resource === '*' ? actor.accountId : (resource.split(':')[4] ?? '');
  if (account === '' || ctx.evaluator.resourcePolicyFor(resource, action)) return null;
  let key = `${action}|${account}`;
  if (context) {
    let text = contextTexts.get(context);
    if (text === undefined) {
      text = '';
      for (const [k, values] of context) text += `|${k}=${values.join(',')}`;
      contextTexts.set(context, text);
    }
    key += text;
  }
  return key;
}

function evaluateChosenNow(
  ctx: AccessContext,
  actor: Principal,
  action: string,
  resource: string,
  context: ContextValues | undefined,
): EvaluationResult {
  const result = ctx.evaluator.evaluate(actor, action, resource, context ? { context } : {});
  if (result.decision !== 'Allowed' || result.conditional.length === 0) return result;
  const chosen = result.conditional.filter((c) => ATTACKER_CHOSEN.has(c.clause.key.toLowerCase()));
  if (chosen.length === 0) return result;
  const candidates = new Map<string, Set<string>>();
  for (const c of chosen) {
    const key = c.clause.key.toLowerCase();
    const values = candidates.get(key) ?? new Set<string>(['us-east-1']);
    for (const value of c.clause.values) if (!/[*?$]/.test(value)) values.add(value);
    candidates.set(key, values);
  }
  let best = result;
  for (const [key, values] of candidates) {
    for (const value of [...values].slice(0, 16)) {
      const tried = new Map(context ?? []);
      tried.set(key, [value]);
      const retry = ctx.evaluator.evaluate(actor, action, resource, { context: tried });
      if (retry.decision !== 'Allowed') continue;
      if (retry.conditional.length < best.conditional.length) best = retry;
      if (retry.conditional.length === 0) return retry;
    }
  }
  return best;
}

/**
 * The resource elements of an actor's identity Allow statements for one action, cached: what a
 * grant of the action can cover.
 */
const grantsCache = new WeakMap<AccessContext, Map<Principal, Map<number, ResourceElement[]>>>();

function grantsOf(ctx: AccessContext, actor: Principal, bit: number): ResourceElement[] {
  let byActor = grantsCache.get(ctx);
  if (!byActor) {
    byActor = new Map();
    grantsCache.set(ctx, byActor);
  }
  let byBit = byActor.get(actor);
  if (!byBit) {
    byBit = new Map();
    byActor.set(actor, byBit);
  }
  let grants = byBit.get(bit);
  if (!grants) {
    grants = [];
    for (const policy of ctx.evaluator.policiesFor(actor).identity)
      for (const st of policy.statements)
        if (st.effect === 'Allow' && (!st.action || st.action.set.has(bit)))
          grants.push(st.resource ?? { not: false, patterns: ['*'] });
    byBit.set(bit, grants);
  }
  return grants;
}

const NO_CONTEXT: ContextValues = new Map();

/** Whether a resource policy has an Allow for the action that can name the actor (conditions aside). */
function mayAdmit(policy: NormalizedPolicy, bit: number, actor: Principal): boolean {
  return policy.statements.some(
    (st) =>
      st.effect === 'Allow' &&
      (!st.action || st.action.set.has(bit)) &&
      (!st.principal ||
        st.principal.not ||
        st.principal.entries.some(
          (e) =>
            e.kind === '*' ||
            e.value === '*' ||
            (e.kind === 'AWS' &&
              (e.value === actor.accountId || e.value.split(':')[4] === actor.accountId)),
        )),
  );
}

/**
 * False only when the request surely is denied: the actor is not a root user, the resource policy (if any) cannot admit the
 * actor, and either the resource is in another account (then only that policy could) or none of
 * the actor's identity Allow statements for the action can cover the resource (a policy variable
 * counts as covering). Most candidate steps fail here, without a full evaluation; the engine
 * decides every request that passes.
 */
export function mayBeAllowed(
  ctx: AccessContext,
  actor: Principal,
  action: string,
  resource: string,
): boolean {
  const bit = actionIndex(action);
  // The root user needs no policy in its own account.
  if (bit === undefined || actor.type === 'root') return true;
  const policy = ctx.evaluator.resourcePolicyFor(resource, action);
  if (policy && mayAdmit(policy, bit, actor)) return true;
  const account = resource.startsWith('arn:') ? (resource.split(':')[4] ?? '') : '';
  if (account !== '' && account !== actor.accountId) return false;
  return grantsOf(ctx, actor, bit).some(
    (element) => matchResourceElement(element, resource, NO_CONTEXT, 'discovery') !== 'false',
  );
}

/** Tries one permission on its candidate resources; the first allowed (unconditional first) wins. */
function tryPermission(
  ctx: AccessContext,
  spec: PermissionSpec,
  actor: Principal,
  target: TargetCandidate,
): StepRequest | null {
  const context = contextFor(spec, target);
  let conditional: StepRequest | null = null;
  for (const resource of resourcesFor(ctx, spec, actor, target)) {
    if (!mayBeAllowed(ctx, actor, spec.action, resource)) continue;
    const result = evaluateChosen(ctx, actor, spec.action, resource, context);
    if (result.decision !== 'Allowed') continue;
    // The deciding statements are written only when read (most candidate steps are discarded).
    let statements: readonly StatementRef[] | null = null;
    let identityAllows: readonly StatementRef[] | null = null;
    const request: StepRequest = {
      action: spec.action,
      resource,
      get statements() {
        statements ??= result.reasons.flatMap((r) => r.statements);
        return statements;
      },
      get identityAllows() {
        identityAllows ??= identityAllowsOf(result);
        return identityAllows;
      },
      conditions: result.conditional,
    };
    if (request.conditions.length === 0) return request;
    conditional ??= request;
  }
  return conditional;
}

/** Checks a technique for one actor and target; null when it does not apply. */
export function checkStep(
  ctx: AccessContext,
  technique: Technique,
  actor: Principal,
  target: TargetCandidate,
): Step | null {
  const unknowns: string[] = [];
  let prerequisitesHold = true;
  for (const name of technique.prerequisites ?? []) {
    const answer = checkPrerequisite(ctx, name, {
      actor,
      target: target.principal === actor ? undefined : target.principal,
      ...(target.policyArn ? { policyArn: target.policyArn } : {}),
    });
    if (answer.holds === false) prerequisitesHold = false;
    else if (answer.holds === 'unknown') unknowns.push(answer.why);
  }
  const requests: StepRequest[] = [];
  for (const spec of technique.permissions) {
    const request = tryPermission(ctx, spec, actor, target);
    if (!request) return null;
    requests.push(request);
  }
  if (!prerequisitesHold || unknowns.length > 0) {
    // Some prerequisites the actor can create itself (an event source it may create, ...).
    const created = technique.orPermissions?.map((spec) => tryPermission(ctx, spec, actor, target));
    if (created && created.every((r) => r !== null)) {
      requests.push(...(created as StepRequest[]));
      unknowns.length = 0;
    } else if (!prerequisitesHold) {
      return null;
    }
  }
  const conditional = unknowns.length > 0 || requests.some((r) => r.conditions.length > 0);
  return { technique, actor, target, requests, unknowns, conditional };
}

/** The reason sentence of a step. */
export function stepReason(step: Step): string {
  return step.technique.reason
    .replaceAll('{actor}', step.actor.name)
    .replaceAll('{target}', step.target.principal.name)
    .replaceAll('{resource}', step.target.resource?.name ?? step.target.arn);
}
