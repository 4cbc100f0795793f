/**
 * Who can become admin, and how: the escalation search.
 *
 * 1. Admins: full admins (./admin.ts), then shadow admins — principals a self-escalation
 *    technique makes admin in one step (put or attach any policy on itself, a new default version
 *    of its own policy, join an admin group, drop its boundary).
 * 2. Edges that make the actor admin outright: modify another principal and become it
 *    (iam-014…021, iam-015/018, iam-023) when that principal's boundary lets it be admin.
 * 3. A reverse breadth-first search from the admins: for each principal T reached, the techniques
 *    that give T's permissions (assume it, take its keys or password, pass it to a service, run
 *    code on a resource that runs as it) are checked only for the actors an index proposes —
 *    principals whose effective action bitsets contain the technique's actions, in T's account,
 *    or named by T's trust policy. No pair of principals is compared blindly.
 * 4. Shortest paths over the edges found, preferring paths that need no undecidable condition,
 *    with ties broken by technique id and ARN so the answer never depends on input order.
 */
import { actionIndex } from '../catalog/index.js';
import type { Principal, RolePrincipal } from '../model/index.js';
import type { PolicySet } from '../policy/effective.js';
import { parsePolicy } from '../policy/parse.js';
import type { NormalizedPolicy } from '../policy/types.js';
import { AdminOracle, type AdminVerdict } from './admin.js';
import type { AccessContext } from './context.js';
import { checkStep, stepReason, type Step, type TargetCandidate } from './steps.js';
import { TECHNIQUES } from './techniques/index.js';
import type { Technique } from './techniques/types.js';

/** A principal's admin status. */
export interface AdminStatus {
  readonly admin: boolean;
  /** `full`: allowed everything now; `self-grant`: one self-escalation step away (shadow admin). */
  readonly kind: 'full' | 'self-grant' | null;
  readonly conditional: boolean;
}

/** One step of a path, as the scan document and the CLI show it. */
export interface PathStep {
  readonly from: string;
  readonly to: string;
  readonly technique: string;
  readonly permissions: readonly string[];
  /** The resource each permission was allowed on, in order. */
  readonly resources: readonly string[];
  readonly reason: string;
  readonly conditional: boolean;
  /** The resource used (existing-passrole) or acted on, when it is not a principal. */
  readonly via: string | null;
  readonly step: Step;
}

/** The shortest escalation of a principal. */
export interface Escalation {
  /** The admin principal reached (the actor itself for self-escalation). */
  readonly target: string;
  readonly conditional: boolean;
  readonly path: readonly PathStep[];
}

/** What the search found. */
export interface EscalationResult {
  readonly status: ReadonlyMap<string, AdminStatus>;
  readonly escalations: ReadonlyMap<string, Escalation>;
  /** Every technique edge found (actor → principal gained), in a stable order. */
  readonly edges: readonly PathStep[];
  /** Per actor, every first step that leads to admin (its own shortest path uses one of them). */
  readonly leading: ReadonlyMap<string, readonly PathStep[]>;
  readonly oracle: AdminOracle;
}

const NOT_ADMIN: AdminStatus = { admin: false, kind: null, conditional: false };

function isServiceLinked(principal: Principal): boolean {
  return principal.type === 'role' && principal.path.startsWith('/aws-service-role/');
}

/** Techniques whose gain makes the actor admin by itself, given the target's ceiling. */
const SELF_GAINS = new Set([
  'self-ceiling',
  'self-with-group',
  'self-without-boundary',
  'self-with-version',
]);
const CEILING_GAINS = new Set(['target-ceiling', 'target-without-boundary']);

function toPathStep(step: Step): PathStep {
  let reason: string | null = null;
  const via =
    step.target.resource?.arn ??
    step.target.policyArn ??
    step.target.group?.arn ??
    (step.target.arn !== step.target.principal.arn ? step.target.arn : null);
  return {
    from: step.actor.arn,
    to: step.target.principal.arn,
    technique: step.technique.id,
    permissions: step.requests.map((r) => r.action),
    resources: step.requests.map((r) => r.resource),
    get reason() {
      reason ??= stepReason(step);
      return reason;
    },
    conditional: step.conditional,
    via,
    step,
  };
}

function compareSteps(a: PathStep, b: PathStep): number {
  return (
    Number(a.conditional) - Number(b.conditional) ||
    (a.technique < b.technique ? -1 : a.technique > b.technique ? 1 : 0) ||
    (a.to < b.to ? -1 : a.to > b.to ? 1 : 0) ||
    ((a.via ?? '') < (b.via ?? '') ? -1 : (a.via ?? '') > (b.via ?? '') ? 1 : 0)
  );
}

export class EscalationSearch {
  readonly oracle: AdminOracle;
  /** Technique id → actors whose effective bitsets may allow every one of its actions. */
  private readonly candidates = new Map<string, ReadonlySet<Principal>>();

  constructor(
    private readonly ctx: AccessContext,
    private readonly techniques: readonly Technique[] = TECHNIQUES,
  ) {
    this.oracle = new AdminOracle(ctx);
    for (const technique of techniques) {
      const bits = technique.permissions
        .map((p) => actionIndex(p.action))
        .filter((b): b is number => b !== undefined);
      const set = new Set<Principal>();
      for (const actor of ctx.actors) {
        if (actor.type === 'root') continue;
        const possible = ctx.permissions.of(actor).possible;
        if (bits.every((bit) => possible.has(bit))) set.add(actor);
      }
      this.candidates.set(technique.id, set);
    }
  }

  private candidatesOf(technique: Technique): ReadonlySet<Principal> {
    return this.candidates.get(technique.id) ?? new Set();
  }

  /** Targets of a technique for one actor (forward). */
  forwardTargets(technique: Technique, actor: Principal): TargetCandidate[] {
    const { ctx } = this;
    const spec = technique.target;
    const account = actor.accountId;
    switch (spec.kind) {
      case 'self':
        return actor.type === 'user' || actor.type === 'role'
          ? spec.principalTypes.includes(actor.type)
            ? [{ arn: actor.arn, principal: actor }]
            : []
          : [];
      case 'own-policy':
        if (spec.principalTypes && !spec.principalTypes.includes(actor.type as 'user' | 'role'))
          return [];
        return ctx
          .attachedCustomerPolicies(actor)
          .map((policyArn) => ({ arn: policyArn, principal: actor, policyArn }));
      case 'own-group':
        return actor.type === 'user'
          ? ctx.groupsOf(actor).map((group) => ({ arn: group.arn, principal: actor, group }))
          : [];
      case 'group':
        return actor.type === 'user'
          ? (ctx.groupsByAccount.get(account) ?? [])
              .filter((group) => !actor.groupNames.includes(group.name))
              .map((group) => ({ arn: group.arn, principal: actor, group }))
          : [];
      case 'assumable-role':
        return ctx
          .rolesPossiblyTrusting(actor)
          .filter((role) => role !== actor)
          .map((role) => ({ arn: role.arn, principal: role, role }));
      case 'user':
      case 'role':
      case 'passable-role':
      case 'resource-role':
        return this.accountTargets(technique, account).filter((c) => c.principal !== actor);
    }
  }

  /**
   * Like {@link forwardTargets}, but account-wide target lists are returned as they are shared,
   * the actor itself included (callers skip it): no copy per actor.
   */
  forwardTargetsWithSelf(technique: Technique, actor: Principal): readonly TargetCandidate[] {
    switch (technique.target.kind) {
      case 'user':
      case 'role':
      case 'passable-role':
      case 'resource-role':
        return this.accountTargets(technique, actor.accountId);
      default:
        return this.forwardTargets(technique, actor);
    }
  }

  /** The last account's targets per technique: actors come account by account. */
  private readonly byAccount = new Map<
    string,
    { readonly account: string; readonly targets: TargetCandidate[] }
  >();

  /** Targets of a technique that depend only on the actor's account (the actor itself included). */
  private accountTargets(technique: Technique, account: string): TargetCandidate[] {
    const known = this.byAccount.get(technique.id);
    if (known?.account === account) return known.targets;
    const { ctx } = this;
    const spec = technique.target;
    let targets: TargetCandidate[] = [];
    switch (spec.kind) {
      case 'user':
        targets = (ctx.usersByAccount.get(account) ?? []).map((user) => ({
          arn: user.arn,
          principal: user,
        }));
        break;
      case 'role':
        targets = (ctx.rolesByAccount.get(account) ?? [])
          .filter((role) => !isServiceLinked(role))
          .map((role) => ({ arn: role.arn, principal: role, role }));
        break;
      case 'passable-role':
        targets = (
          (spec.federated ? ctx.rolesByProvider : ctx.rolesByService).get(spec.service) ?? []
        )
          .filter((role) => role.accountId === account && this.passable(role, spec))
          .map((role) => ({ arn: role.arn, principal: role, role, service: spec.service }));
        break;
      case 'resource-role':
        for (const type of spec.resourceTypes) {
          for (const resource of ctx.resourcesByType.get(type) ?? []) {
            if (resource.accountId !== account && !resource.policy) continue;
            for (const roleArn of ctx.rolesOfResource(resource)) {
              const role = ctx.principalByArn.get(roleArn);
              if (role?.type === 'role')
                targets.push({ arn: resource.arn, principal: role, role, resource });
            }
          }
        }
        break;
      default:
        break;
    }
    this.byAccount.set(technique.id, { account, targets });
    return targets;
  }

  private passable(
    role: RolePrincipal,
    spec: Extract<Technique['target'], { kind: 'passable-role' }>,
  ): boolean {
    if (isServiceLinked(role)) return false;
    return !spec.instanceProfile || this.ctx.rolesInInstanceProfiles.has(role.arn);
  }

  /** Actors and targets for which `technique` would give `target`'s permissions (reverse). */
  reverseCandidates(
    technique: Technique,
    target: Principal,
    skip: (actor: Principal) => boolean = () => false,
  ): { actor: Principal; candidate: TargetCandidate }[] {
    const { ctx } = this;
    const spec = technique.target;
    const out: { actor: Principal; candidate: TargetCandidate }[] = [];
    const sameAccount = (actor: Principal): boolean =>
      actor.accountId === target.accountId && !skip(actor);
    const pool = this.candidatesOf(technique);
    switch (spec.kind) {
      case 'user':
        if (target.type !== 'user') return out;
        for (const actor of pool)
          if (actor !== target && sameAccount(actor))
            out.push({ actor, candidate: { arn: target.arn, principal: target } });
        return out;
      case 'role':
        if (target.type !== 'role' || isServiceLinked(target)) return out;
        for (const actor of pool)
          if (actor !== target && sameAccount(actor))
            out.push({ actor, candidate: { arn: target.arn, principal: target, role: target } });
        return out;
      case 'assumable-role': {
        if (target.type !== 'role') return out;
        const trust = ctx.trust.get(target.arn);
        if (!trust) return out;
        const actors = new Set<Principal>();
        // A trust naming the principal itself needs no identity permission in the same account.
        for (const arn of trust.arns) {
          const named = ctx.principalByArn.get(arn);
          if (named) actors.add(named);
        }
        if (trust.everyone || trust.accounts.length > 0) {
          for (const actor of pool) {
            if (skip(actor)) continue;
            if (trust.everyone || trust.accounts.includes(actor.accountId)) actors.add(actor);
          }
        }
        for (const actor of [...actors].sort((a, b) => (a.arn < b.arn ? -1 : 1))) {
          if (actor !== target)
            out.push({ actor, candidate: { arn: target.arn, principal: target, role: target } });
        }
        return out;
      }
      case 'passable-role': {
        if (target.type !== 'role' || !this.passable(target, spec)) return out;
        const facts = ctx.trust.get(target.arn);
        if (!(
          (spec.federated ? facts?.providers : facts?.services)?.includes(spec.service) ?? false
        ))
          return out;
        for (const actor of pool)
          if (actor !== target && sameAccount(actor))
            out.push({
              actor,
              candidate: {
                arn: target.arn,
                principal: target,
                role: target,
                service: spec.service,
              },
            });
        return out;
      }
      case 'resource-role': {
        if (target.type !== 'role') return out;
        for (const resource of ctx.resourcesByRole.get(target.arn) ?? []) {
          if (!spec.resourceTypes.includes(resource.type)) continue;
          for (const actor of pool) {
            if (actor === target || skip(actor)) continue;
            if (actor.accountId !== resource.accountId && !resource.policy) continue;
            out.push({
              actor,
              candidate: { arn: resource.arn, principal: target, role: target, resource },
            });
          }
        }
        return out;
      }
      default:
        return out;
    }
  }

  /** Whether a step's gain makes its actor admin (self gains) or its target admin-capable. */
  private gainVerdict(step: Step): AdminVerdict | null {
    const { oracle, ctx } = this;
    const actor = step.actor;
    const target = step.target.principal;
    switch (step.technique.gain) {
      case 'self-ceiling':
        return this.selfCeiling(actor);
      case 'self-with-group': {
        const group = step.target.group;
        if (!group) return null;
        const own = ctx.evaluator.policiesFor(actor);
        const added = ctx.evaluator.policiesFor(group).identity;
        return oracle.wouldBeAdminOrSelfGrant(actor, {
          ...own,
          identity: [...own.identity, ...added],
        });
      }
      case 'self-without-boundary': {
        const own = ctx.evaluator.policiesFor(actor);
        return oracle.wouldBeAdminOrSelfGrant(actor, { ...own, boundary: null });
      }
      case 'self-with-version':
        return this.withOtherVersion(actor, step.target.policyArn);
      case 'target-ceiling':
        return oracle.ceiling(target);
      case 'target-without-boundary': {
        const own = ctx.evaluator.policiesFor(target);
        return oracle.wouldBeAdminOrSelfGrant(target, { ...own, boundary: null });
      }
      case 'target':
        return null;
    }
  }

  /** The actor writing any policy for itself: admin unless a boundary it cannot remove holds it. */
  private selfCeiling(actor: Principal): AdminVerdict {
    const ceiling = this.oracle.ceiling(actor);
    if (ceiling.admin || !actor.permissionsBoundaryArn) return ceiling;
    const action =
      actor.type === 'user'
        ? 'iam:DeleteUserPermissionsBoundary'
        : 'iam:DeleteRolePermissionsBoundary';
    const removable = this.ctx.evaluator.evaluate(actor, action, actor.arn);
    if (removable.decision !== 'Allowed') return ceiling;
    const own = this.ctx.evaluator.policiesFor(actor);
    return this.oracle.wouldBeAdmin(actor, {
      ...own,
      identity: [...own.identity, ANY],
      boundary: null,
    });
  }

  private withOtherVersion(actor: Principal, policyArn: string | undefined): AdminVerdict | null {
    const policy = this.ctx.snapshot.policies.find((p) => p.arn === policyArn);
    if (!policy) return null;
    const own = this.ctx.evaluator.policiesFor(actor);
    for (const version of policy.versions) {
      if (version.isDefault) continue;
      const parsed: NormalizedPolicy = parsePolicy(version.document, {
        id: `${policy.arn}#${version.versionId}`,
        kind: 'identity',
      });
      const identity = own.identity.filter((p) => !p.id.startsWith(`${policy.arn}#`));
      const verdict = this.oracle.wouldBeAdminOrSelfGrant(actor, {
        ...own,
        identity: [...identity, parsed],
      } satisfies PolicySet);
      if (verdict.admin) return verdict;
    }
    return null;
  }

  /** Runs the whole search. `actorsOfInterest` limits what is reported, never what is searched. */
  run(): EscalationResult {
    const { ctx, oracle } = this;
    const status = new Map<string, AdminStatus>();
    const admins: Principal[] = [];
    for (const actor of ctx.actors) {
      const verdict = oracle.fullAdmin(actor);
      if (verdict.admin) {
        status.set(actor.arn, { admin: true, kind: 'full', conditional: verdict.conditional });
        admins.push(actor);
      }
    }

    // Steps that make their actor admin by themselves (self) or by becoming an admin-capable target.
    const seeds = new Map<string, PathStep[]>();
    const oneStep = new Set<PathStep>();
    const edgesInto = new Map<string, PathStep[]>();
    const allEdges: PathStep[] = [];
    const addEdge = (step: PathStep): void => {
      allEdges.push(step);
      const list = edgesInto.get(step.to);
      if (list) list.push(step);
      else edgesInto.set(step.to, [step]);
    };
    for (const technique of this.techniques) {
      const selfGain = SELF_GAINS.has(technique.gain);
      const ceilingGain = CEILING_GAINS.has(technique.gain);
      if (!selfGain && !ceilingGain) continue;
      for (const actor of this.candidatesOf(technique)) {
        if (status.get(actor.arn)?.kind === 'full') continue;
        for (const candidate of this.forwardTargets(technique, actor)) {
          const step = checkStep(ctx, technique, actor, candidate);
          if (!step) continue;
          const verdict = this.gainVerdict(step);
          const pathStep = toPathStep(verdict?.conditional ? { ...step, conditional: true } : step);
          if (verdict?.admin) {
            const list = seeds.get(actor.arn) ?? [];
            list.push(pathStep);
            seeds.set(actor.arn, list);
            // Admin in one step on itself: a shadow admin (DESIGN.md §3.4). Two steps (join a
            // group that grants iam:*, then write a policy) is an escalation, not admin.
            if (selfGain && !verdict.followUp) oneStep.add(pathStep);
          } else if (ceilingGain) {
            // Without admin rights to gain, it still gives the target's permissions.
            addEdge(pathStep);
          }
        }
      }
    }
    for (const [arn, steps] of seeds) {
      if (status.has(arn)) continue;
      const self = steps.filter((s) => oneStep.has(s));
      if (self.length > 0) {
        const conditional = self.every((s) => s.conditional);
        status.set(arn, { admin: true, kind: 'self-grant', conditional });
        admins.push(ctx.principalByArn.get(arn)!);
      }
    }

    // Reverse breadth-first search from the admins over "gain the target's permissions" edges.
    const targetTechniques = this.techniques.filter((t) => t.gain === 'target');
    const visited = new Set<string>(admins.map((a) => a.arn));
    const queue: Principal[] = [...admins].sort((a, b) => (a.arn < b.arn ? -1 : 1));
    for (const arn of seeds.keys()) {
      if (!visited.has(arn)) {
        visited.add(arn);
        queue.push(ctx.principalByArn.get(arn)!);
      }
    }
    // Actors with an unconditional step straight into a full admin have the best path there is
    // (one certain step): further candidates for them are not evaluated. This keeps estates where
    // thousands of principals may assume hundreds of admin roles linear, not quadratic. A few
    // such steps are kept per actor as alternatives.
    const optimal = new Map<string, number>();
    const ALTERNATIVES = 3;
    for (let head = 0; head < queue.length; head += 1) {
      const target = queue[head]!;
      const targetIsFullAdmin = status.get(target.arn)?.kind === 'full';
      for (const technique of targetTechniques) {
        const skip = (actor: Principal): boolean =>
          (optimal.get(actor.arn) ?? 0) >= ALTERNATIVES || (status.get(actor.arn)?.admin ?? false);
        for (const { actor, candidate } of this.reverseCandidates(technique, target, skip)) {
          // An admin gains nothing from another principal: no edge out of it is searched.
          if (status.get(actor.arn)?.admin) continue;
          if ((optimal.get(actor.arn) ?? 0) >= ALTERNATIVES) continue;
          const step = checkStep(ctx, technique, actor, candidate);
          if (!step) continue;
          addEdge(toPathStep(step));
          if (targetIsFullAdmin && !step.conditional)
            optimal.set(actor.arn, (optimal.get(actor.arn) ?? 0) + 1);
          if (!visited.has(actor.arn)) {
            visited.add(actor.arn);
            queue.push(actor);
          }
        }
      }
      // Ceiling edges into this target found up front lead here too.
      for (const edge of edgesInto.get(target.arn) ?? []) {
        if (!visited.has(edge.from)) {
          visited.add(edge.from);
          queue.push(ctx.principalByArn.get(edge.from)!);
        }
      }
    }

    const escalations = shortestPaths(ctx, status, seeds, edgesInto);
    for (const actor of ctx.actors) if (!status.has(actor.arn)) status.set(actor.arn, NOT_ADMIN);
    allEdges.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0) || compareSteps(a, b));
    const leading = new Map<string, PathStep[]>();
    const add = (step: PathStep): void => {
      const list = leading.get(step.from);
      if (list) list.push(step);
      else leading.set(step.from, [step]);
    };
    for (const steps of seeds.values()) steps.forEach(add);
    for (const edge of allEdges) {
      if (status.get(edge.to)?.admin || escalations.has(edge.to)) add(edge);
    }
    for (const list of leading.values()) list.sort(compareSteps);
    return { status, escalations, edges: allEdges, leading, oracle };
  }
}

const ANY: NormalizedPolicy = parsePolicy(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  { id: 'any policy the actor chooses', kind: 'identity' },
);

interface Cost {
  readonly conditional: number;
  readonly hops: number;
}

function better(a: Cost, b: Cost): boolean {
  return a.conditional < b.conditional || (a.conditional === b.conditional && a.hops < b.hops);
}

/**
 * Shortest paths to admin over the reversed edges (Dijkstra with cost = (conditional steps, hops),
 * ties broken by {@link compareSteps}).
 */
function shortestPaths(
  ctx: AccessContext,
  status: ReadonlyMap<string, AdminStatus>,
  seeds: ReadonlyMap<string, PathStep[]>,
  edgesInto: ReadonlyMap<string, PathStep[]>,
): Map<string, Escalation> {
  const cost = new Map<string, Cost>();
  const next = new Map<string, PathStep | null>();
  const done = new Set<string>();
  const heap = new MinHeap<{ arn: string; cost: Cost }>(
    (a, b) => better(a.cost, b.cost) || (!better(b.cost, a.cost) && a.arn < b.arn),
  );
  const offer = (arn: string, c: Cost, step: PathStep | null): void => {
    if (done.has(arn)) return;
    const known = cost.get(arn);
    const current = next.get(arn);
    if (
      !known ||
      better(c, known) ||
      (!better(known, c) && step && current && compareSteps(step, current) < 0)
    ) {
      cost.set(arn, c);
      next.set(arn, step);
      heap.push({ arn, cost: c });
    }
  };
  for (const [arn, s] of status)
    if (s.admin && s.kind === 'full') offer(arn, { conditional: 0, hops: 0 }, null);
  for (const [arn, steps] of seeds) {
    if (status.get(arn)?.kind === 'full') continue;
    for (const step of steps) offer(arn, { conditional: Number(step.conditional), hops: 1 }, step);
  }
  for (let item = heap.pop(); item; item = heap.pop()) {
    const { arn } = item;
    if (done.has(arn)) continue;
    const c = cost.get(arn)!;
    if (better(c, item.cost)) continue; // a stale entry
    done.add(arn);
    for (const edge of edgesInto.get(arn) ?? [])
      offer(
        edge.from,
        { conditional: c.conditional + Number(edge.conditional), hops: c.hops + 1 },
        edge,
      );
  }
  const escalations = new Map<string, Escalation>();
  for (const actor of ctx.actors) {
    const s = status.get(actor.arn);
    if (s?.kind === 'full') continue;
    if (!next.get(actor.arn)) continue;
    const path: PathStep[] = [];
    let at: string | undefined = actor.arn;
    const seen = new Set<string>();
    while (at && !seen.has(at)) {
      seen.add(at);
      const step = next.get(at);
      if (!step) break;
      path.push(step);
      if (SELF_GAINS.has(step.step.technique.gain) || CEILING_GAINS.has(step.step.technique.gain))
        if (seeds.get(at)?.includes(step)) break;
      at = step.to;
    }
    const last = path[path.length - 1]!;
    escalations.set(actor.arn, {
      target: last.to,
      conditional: path.some((p) => p.conditional),
      path,
    });
  }
  return escalations;
}

/** A binary min-heap. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(items[l]!, items[m]!)) m = l;
        if (r < items.length && this.less(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}
