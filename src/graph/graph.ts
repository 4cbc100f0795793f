/**
 * The access graph: who is what, who may become whom, what runs as which role. Nodes are
 * principals, managed policies, compute resources, accounts outside the snapshot, identity
 * providers, service principals and "anyone"; edges are membership, attachment, trust
 * (can-assume), can-pass-role, runs-as and the technique edges the escalation search found. It
 * is the data of the Relationships view; everything in it is structural or already evaluated,
 * so building it costs one pass over the snapshot.
 */
import type { Principal } from '../model/index.js';
import type { AccessContext } from './context.js';
import type { EscalationResult } from './escalation.js';

/** What the graph is built from (an {@link import('./index.js').AccessAnalysis}). */
type Analysed = EscalationResult & { readonly context: AccessContext };

export type NodeKind =
  | 'user'
  | 'role'
  | 'group'
  | 'root'
  | 'policy'
  | 'compute'
  | 'external-account'
  | 'provider'
  | 'service'
  | 'anyone';

export type EdgeKind =
  'member-of' | 'attached-policy' | 'can-assume' | 'can-pass-role' | 'runs-as' | 'technique';

export interface GraphNode {
  /** An ARN, `account:<id>`, `service:<name>`, `provider:<arn or name>` or `anyone`. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly accountId: string | null;
  /** Principals: admin status; compute: its resource type. */
  readonly admin?: boolean;
  readonly resourceType?: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** Technique edges: the technique id; trust edges: `trust`. */
  readonly technique?: string;
  readonly reason?: string;
  /** Allowed only under conditions the data cannot decide (trust conditions, technique conditions). */
  readonly conditional: boolean;
  /** Technique edges: the deciding Allow statements, as `policyId#sid-or-index`. */
  readonly statements?: readonly string[];
}

export interface AccessGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Builds the access graph of an analysed snapshot. */
export function buildAccessGraph(analysis: Analysed): AccessGraph {
  const { context: ctx } = analysis;
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const node = (n: GraphNode): string => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
    return n.id;
  };
  const principalNode = (p: Principal): string =>
    node({
      id: p.arn,
      kind: p.type,
      label: p.name,
      accountId: p.accountId,
      admin: analysis.status.get(p.arn)?.admin ?? false,
    });
  const known = new Set(ctx.snapshot.accounts.map((a) => a.id));

  for (const principal of ctx.snapshot.principals) {
    principalNode(principal);
    for (const attachment of principal.attachedPolicies) {
      node({
        id: attachment.policyArn,
        kind: 'policy',
        label: attachment.policyName,
        accountId: attachment.policyArn.split(':')[4] || null,
      });
      edges.push({
        from: principal.arn,
        to: attachment.policyArn,
        kind: 'attached-policy',
        conditional: false,
      });
    }
    if (principal.type === 'user') {
      for (const group of ctx.groupsOf(principal))
        edges.push({ from: principal.arn, to: group.arn, kind: 'member-of', conditional: false });
    }
  }

  for (const facts of ctx.trust.values()) {
    const role = facts.role.arn;
    const conditional = (ctx.trustPolicy(facts.role)?.statements ?? []).some(
      (s) => s.effect === 'Allow' && s.conditions.length > 0,
    );
    const trustEdge = (from: string): void => {
      edges.push({ from, to: role, kind: 'can-assume', technique: 'trust', conditional });
    };
    for (const arn of facts.arns) {
      const principal = ctx.principalByArn.get(arn);
      if (principal) trustEdge(principalNode(principal));
      else {
        const account = arn.split(':')[4] ?? '';
        trustEdge(
          node({
            id: known.has(account) ? arn : `account:${account}`,
            kind: 'external-account',
            label: known.has(account) ? arn : account,
            accountId: account || null,
          }),
        );
      }
    }
    for (const account of facts.accounts) {
      const root = ctx.principalByArn.get(`arn:aws:iam::${account}:root`);
      trustEdge(
        root
          ? principalNode(root)
          : node({
              id: `account:${account}`,
              kind: known.has(account) ? 'root' : 'external-account',
              label: account,
              accountId: account,
            }),
      );
    }
    for (const service of facts.services)
      trustEdge(
        node({ id: `service:${service}`, kind: 'service', label: service, accountId: null }),
      );
    for (const provider of facts.providers)
      trustEdge(
        node({ id: `provider:${provider}`, kind: 'provider', label: provider, accountId: null }),
      );
    if (facts.everyone)
      trustEdge(node({ id: 'anyone', kind: 'anyone', label: 'anyone', accountId: null }));
  }

  for (const resources of ctx.resourcesByType.values()) {
    for (const resource of resources) {
      const roles = ctx.rolesOfResource(resource);
      if (roles.length === 0) continue;
      node({
        id: resource.arn,
        kind: 'compute',
        label: resource.name,
        accountId: resource.accountId,
        resourceType: resource.type,
      });
      for (const role of roles)
        edges.push({ from: resource.arn, to: role, kind: 'runs-as', conditional: false });
    }
  }

  for (const step of analysis.edges) {
    if (step.permissions.some((p) => p.toLowerCase() === 'iam:passrole'))
      edges.push({
        from: step.from,
        to: step.to,
        kind: 'can-pass-role',
        conditional: step.conditional,
      });
    edges.push({
      from: step.from,
      to: step.to,
      kind: 'technique',
      technique: step.technique,
      reason: step.reason,
      conditional: step.conditional,
      statements: step.step.requests.flatMap((r) =>
        r.statements.map((s) => `${s.policyId}#${s.sid ?? s.statementIndex}`),
      ),
    });
  }
  return { nodes: [...nodes.values()], edges };
}
