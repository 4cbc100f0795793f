/**
 * Moves from one principal to another that the escalation search does not record: the search
 * (../../graph/escalation.ts) keeps only the steps that lead to an administrator, while lateral
 * movement (PE-03) and SSM reach between instances (ADM-12) also care about targets that are
 * merely more privileged. Candidates come from the same technique targets the search uses, and
 * a step is checked with the engine (graph `checkStep`) only for a target that holds actions the
 * actor lacks: no pair of principals is evaluated blindly.
 */
import { ActionSet, actionIndex, loadCatalog } from '../../catalog/index.js';
import { TECHNIQUES, type Technique } from '../../graph/index.js';
import { EscalationSearch } from '../../graph/escalation.js';
import { checkStep, type Step } from '../../graph/steps.js';
import type { Principal } from '../../model/index.js';
import type { DetectionContext } from '../types.js';

/** One way for an actor to obtain another principal's permissions. */
export interface Move {
  readonly actor: Principal;
  readonly target: Principal;
  readonly step: Step;
  /**
   * Actions the target may be allowed somewhere that the actor may be allowed nowhere (telemetry
   * writes aside).
   */
  readonly gained: ActionSet;
  readonly targetIsAdmin: boolean;
}

/**
 * Techniques of lateral movement: everything that hands over another principal's permissions
 * (its credentials, its trust, a resource that runs as it, a policy change on it), except plain
 * sts:AssumeRole (sts-001). Assuming a role that trusts you is the delegation AWS is designed
 * around; its breadth is judged by the trust detections, and by PE-01 when it leads to admin.
 */
export const LATERAL_TECHNIQUES: readonly Technique[] = TECHNIQUES.filter(
  (t) => t.category !== 'self-escalation' && t.gain.startsWith('target') && t.id !== 'sts-001',
);

/** Session Manager and Run Command on an instance (pathfinding.cloud ssm-001, ssm-002). */
export const SSM_TECHNIQUES: readonly Technique[] = TECHNIQUES.filter(
  (t) => t.id === 'ssm-001' || t.id === 'ssm-002',
);

/**
 * Telemetry writes every workload role holds (AWSLambdaBasicExecutionRole, the X-Ray and
 * CloudWatch agents): holding them does not make a principal more privileged.
 */
const TELEMETRY = [
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'cloudwatch:PutMetricData',
];

let telemetry: ActionSet | null = null;

function telemetrySet(): ActionSet {
  telemetry ??= ActionSet.of(
    loadCatalog().index,
    TELEMETRY.map((a) => actionIndex(a)).filter((b): b is number => b !== undefined),
  );
  return telemetry;
}

interface Finder {
  readonly search: EscalationSearch;
  /** Per target: null when it cannot be one (not a user or role, AWS-owned), else whether it is an admin. */
  readonly targets: Map<Principal, boolean | null>;
  readonly bits: Map<string, number[]>;
  readonly lateral: Map<string, readonly Move[]>;
  readonly ssm: Map<string, readonly Move[]>;
}

const finders = new WeakMap<DetectionContext['access'], Finder>();

function finderOf(ctx: DetectionContext): Finder {
  let finder = finders.get(ctx.access);
  if (!finder) {
    finder = {
      search: new EscalationSearch(ctx.access.context, []),
      targets: new Map(),
      bits: new Map(),
      lateral: new Map(),
      ssm: new Map(),
    };
    finders.set(ctx.access, finder);
  }
  return finder;
}

function bitsOf(finder: Finder, technique: Technique): number[] {
  let bits = finder.bits.get(technique.id);
  if (!bits) {
    bits = technique.permissions
      .map((p) => actionIndex(p.action))
      .filter((b): b is number => b !== undefined);
    finder.bits.set(technique.id, bits);
  }
  return bits;
}

/** Unconditional steps first, then by technique id, then by what they act on. */
function better(a: Step, b: Step): boolean {
  if (a.conditional !== b.conditional) return !a.conditional;
  if (a.technique.id !== b.technique.id) return a.technique.id < b.technique.id;
  return a.target.arn < b.target.arn;
}

/** Moves listed per actor: enough to show the risk; the search for an actor stops there. */
export const MAX_MOVES = 10;

function findMoves(
  ctx: DetectionContext,
  actor: Principal,
  techniques: readonly Technique[],
  includeAdminTargets: boolean,
  limit = Number.POSITIVE_INFINITY,
): Move[] {
  const finder = finderOf(ctx);
  const { context, status } = ctx.access;
  const own = context.permissions.of(actor).possible;
  // What the actor holds, telemetry writes included: a target holding nothing beyond it gains nothing.
  const covered = own.union(telemetrySet());
  const gainsOf = new Map<Principal, boolean>();
  const best = new Map<Principal, Omit<Move, 'gained'>>();
  let certain = 0;
  for (const technique of techniques) {
    if (certain >= limit) break;
    if (!bitsOf(finder, technique).every((bit) => own.has(bit))) continue;
    for (const candidate of finder.search.forwardTargetsWithSelf(technique, actor)) {
      // Enough certain moves to show: an actor that can take over hundreds of principals
      // (UpdateFunctionCode on *) is not searched to the end.
      if (certain >= limit) break;
      const target = candidate.principal;
      if (target === actor) continue;
      let targetIsAdmin = finder.targets.get(target);
      if (targetIsAdmin === undefined) {
        targetIsAdmin =
          (target.type !== 'user' && target.type !== 'role') || ctx.isAwsOwned(target)
            ? null
            : (status.get(target.arn)?.admin ?? false);
        finder.targets.set(target, targetIsAdmin);
      }
      if (targetIsAdmin === null || (targetIsAdmin && !includeAdminTargets)) continue;
      let gains = gainsOf.get(target);
      if (gains === undefined) {
        gains = !context.permissions.of(target).possible.isSubsetOf(covered);
        gainsOf.set(target, gains);
      }
      if (!gains && !targetIsAdmin) continue;
      const known = best.get(target);
      if (known && !known.step.conditional && known.step.technique.id < technique.id) continue;
      const step = checkStep(context, technique, actor, candidate);
      if (!step) continue;
      if (!known || better(step, known.step)) {
        if (!step.conditional && (!known || known.step.conditional)) certain += 1;
        best.set(target, { actor, target, step, targetIsAdmin });
      }
    }
  }
  // What each kept move gains, computed for the few kept rather than for every candidate.
  const moves: Move[] = [...best.values()].map((move) => ({
    ...move,
    gained: context.permissions.of(move.target).possible.difference(covered),
  }));
  return moves.sort((a, b) =>
    a.target.arn < b.target.arn ? -1 : a.target.arn > b.target.arn ? 1 : 0,
  );
}

/**
 * The principals `actor` can move to that are not administrators but hold actions it lacks, one
 * move (the best step) per target. Empty for administrators: they gain nothing.
 */
export function lateralMoves(ctx: DetectionContext, actor: Principal): readonly Move[] {
  const finder = finderOf(ctx);
  let moves = finder.lateral.get(actor.arn);
  if (!moves) {
    moves =
      actor.type === 'user' || actor.type === 'role'
        ? ctx.access.status.get(actor.arn)?.admin
          ? []
          : findMoves(ctx, actor, LATERAL_TECHNIQUES, false, MAX_MOVES + 1)
        : [];
    finder.lateral.set(actor.arn, moves);
  }
  return moves;
}

/**
 * The instances whose role `actor` can take with Session Manager or Run Command, when that role
 * is an administrator or holds actions the actor lacks. Empty for administrators.
 */
export function ssmMoves(ctx: DetectionContext, actor: Principal): readonly Move[] {
  const finder = finderOf(ctx);
  let moves = finder.ssm.get(actor.arn);
  if (!moves) {
    moves =
      actor.type === 'role' && !ctx.access.status.get(actor.arn)?.admin
        ? findMoves(ctx, actor, SSM_TECHNIQUES, true)
        : [];
    finder.ssm.set(actor.arn, moves);
  }
  return moves;
}

/** The catalog's actions by how much they change, most first: permissions management, write, read, the rest. */
let ranks: readonly ActionSet[] | null = null;

function rankSets(): readonly ActionSet[] {
  if (!ranks) {
    const catalog = loadCatalog();
    const members: number[][] = [[], [], [], []];
    catalog.allActions().forEach((index) => {
      const level = catalog.accessLevelOf(index);
      const rank =
        level === 'Permissions management' ? 0 : level === 'Write' ? 1 : level === 'Read' ? 2 : 3;
      members[rank]!.push(index);
    });
    ranks = members.map((indexes) => ActionSet.of(catalog.index, indexes));
  }
  return ranks;
}

/**
 * Up to `limit` action names of a set, the ones that change permissions first, then writes,
 * reads and the rest; within a rank in catalog order (service by service).
 */
export function sampleActions(set: ActionSet, limit = 8): string[] {
  const catalog = loadCatalog();
  const names: string[] = [];
  for (const rank of rankSets()) {
    if (names.length >= limit) break;
    const picked: string[] = [];
    const need = limit - names.length;
    set.intersect(rank).forEach((index) => {
      if (picked.length < need) picked.push(catalog.actionName(index));
    });
    names.push(...picked);
  }
  return names;
}
