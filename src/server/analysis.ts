/**
 * The analysis the resource endpoints read: a snapshot analysed in memory (access graph, admins,
 * escalation paths, CloudTrail usage), and its state while it loads. The store answers findings
 * and scores; this answers what a resource is, what it is related to, and what it can access.
 */
import type { ScanAnalysis } from '../findings/analyze.js';
import { buildAccessGraph, type AccessGraph, type GraphEdge } from '../graph/index.js';
import type { ManagedPolicy, Principal, Resource, Snapshot } from '../model/index.js';
import type { TrackingOptions } from '../usage/index.js';

/** A snapshot and its analysis, with the indexes the endpoints need (built on first use). */
export class LoadedAnalysis {
  private graphCache: AccessGraph | null = null;
  private adjacency: Map<string, GraphEdge[]> | null = null;
  readonly policyByArn: ReadonlyMap<string, ManagedPolicy>;
  /** Accounts of the snapshot and of its organization: not external. */
  readonly ownAccounts: ReadonlySet<string>;

  constructor(
    readonly snapshot: Snapshot,
    readonly analysis: ScanAnalysis,
    readonly tracking: TrackingOptions,
    /** Where the snapshot came from, for /api/health. */
    readonly source: string,
  ) {
    this.policyByArn = new Map(snapshot.policies.map((p) => [p.arn, p]));
    const own = new Set(snapshot.accounts.map((a) => a.id));
    for (const account of snapshot.organization?.accounts ?? []) own.add(account.id);
    if (snapshot.organization) own.add(snapshot.organization.managementAccountId);
    this.ownAccounts = own;
  }

  get asOf(): string {
    return this.analysis.asOf;
  }

  principal(arn: string): Principal | undefined {
    return this.analysis.access.context.principalByArn.get(arn);
  }

  resource(arn: string): Resource | undefined {
    return this.analysis.access.context.resourceByArn.get(arn);
  }

  /** The access graph (src/graph buildAccessGraph), built once. */
  get graph(): AccessGraph {
    this.graphCache ??= buildAccessGraph(this.analysis.access);
    return this.graphCache;
  }

  /** Every edge touching a node, by node id. */
  edgesOf(id: string): readonly GraphEdge[] {
    if (!this.adjacency) {
      const adjacency = new Map<string, GraphEdge[]>();
      const add = (key: string, edge: GraphEdge): void => {
        const list = adjacency.get(key);
        if (list) list.push(edge);
        else adjacency.set(key, [edge]);
      };
      for (const edge of this.graph.edges) {
        add(edge.from, edge);
        if (edge.to !== edge.from) add(edge.to, edge);
      }
      this.adjacency = adjacency;
    }
    return this.adjacency.get(id) ?? [];
  }
}

/** The state of the server's analysis. */
export type AnalysisState =
  | { readonly state: 'ready'; readonly detail: string; readonly loaded: LoadedAnalysis }
  | { readonly state: 'loading' | 'none' | 'failed'; readonly detail: string };

/** What the server asks for the analysis (it may change: loading, then ready or failed). */
export interface AnalysisProvider {
  current(): AnalysisState;
}

/** A provider with a fixed state. */
export function fixedAnalysis(state: AnalysisState): AnalysisProvider {
  return { current: () => state };
}

/** A provider that is ready with `loaded`. */
export function readyAnalysis(loaded: LoadedAnalysis): AnalysisProvider {
  return fixedAnalysis({ state: 'ready', detail: describe(loaded), loaded });
}

function describe(loaded: LoadedAnalysis): string {
  const s = loaded.snapshot;
  return (
    `${loaded.source}: ${s.accounts.length} accounts, ${s.principals.length} principals, ` +
    `${s.resources.length} resources, as of ${loaded.asOf}` +
    (loaded.analysis.usage ? ', with CloudTrail usage' : '')
  );
}

/**
 * A provider that loads in the background: `loading` until `load` settles, then `ready` or
 * `failed` (with the error's message; `onError` gets the error itself, for the log).
 */
export function loadingAnalysis(
  load: () => Promise<LoadedAnalysis>,
  detail: string,
  onError: (error: unknown) => void,
): AnalysisProvider & { readonly settled: Promise<void> } {
  let state: AnalysisState = { state: 'loading', detail };
  const settled = (async () => {
    // Let the server answer (health: loading) before the analysis takes the CPU.
    await new Promise((resolve) => setTimeout(resolve, 10));
    try {
      const loaded = await load();
      state = { state: 'ready', detail: describe(loaded), loaded };
    } catch (error) {
      onError(error);
      state = {
        state: 'failed',
        detail: `the analysis failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  })();
  return { current: () => state, settled };
}
