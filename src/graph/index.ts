/** Access graph, admin classification and privilege escalation (DESIGN.md §3.4). */
import type { Gap, Snapshot } from '../model/index.js';
import { AccessContext } from './context.js';
import { EscalationSearch, type EscalationResult } from './escalation.js';
import type { Technique } from './techniques/types.js';

export { AccessContext } from './context.js';
export type { AdminStatus, Escalation, EscalationResult, PathStep } from './escalation.js';
export { TECHNIQUES, TECHNIQUES_BY_ID } from './techniques/index.js';
export type { Technique, TechniqueCategory } from './techniques/types.js';

/** Everything the access analysis of one snapshot found. */
export interface AccessAnalysis extends EscalationResult {
  readonly context: AccessContext;
  /** What the analysis could not check (e.g. techniques needing a resource inventory). */
  readonly gaps: readonly Gap[];
}

/** Classifies admins and finds every principal's shortest escalation path. */
export function analyzeAccess(
  snapshot: Snapshot,
  options: {
    readonly techniques?: readonly Technique[];
    /** The evaluation time (ISO-8601; default now): decides aws:CurrentTime and token times. */
    readonly asOf?: string;
  } = {},
): AccessAnalysis {
  const context = new AccessContext(snapshot, { asOf: options.asOf ?? new Date().toISOString() });
  const result = new EscalationSearch(context, options.techniques).run();
  const gaps: Gap[] = snapshot.accounts
    .filter((account) => !context.accountsWithInventory.has(account.id))
    .map((account) => ({
      source: 'analysis:existing-resources',
      accountId: account.id,
      region: null,
      detail:
        'no resource inventory (AWS Config items) for this account: escalation through existing ' +
        'functions, instances, stacks and other compute was not evaluated',
    }));
  return { ...result, context, gaps };
}

export { buildAccessGraph } from './graph.js';
export type { AccessGraph, EdgeKind, GraphEdge, GraphNode, NodeKind } from './graph.js';
