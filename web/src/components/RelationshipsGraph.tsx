/**
 * The Relationships tab: the resource's neighbourhood in the access graph, laid out with dagre and
 * drawn with React Flow. At-risk edges are red and say why on hover or focus; escalation paths are
 * listed and each step is highlighted in the graph when clicked.
 */
import dagre from '@dagrejs/dagre';
import {
  Background,
  BaseEdge,
  Controls,
  getBezierPath,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { memo, useMemo, useState, type ReactNode } from 'react';
import { queryOf } from '../api.ts';
import type { RelEdge, RelNode, Relationships } from '../api-types.ts';
import { formatResourceType, shortArn } from '../format.ts';
import { useApi } from '../use-api.ts';
import { PathSteps } from './Evidence.tsx';
import { ErrorState, Skeleton, Truncate } from './ui.tsx';

const NODE_W = 190;
const NODE_H = 46;

type RelNodeData = { node: RelNode; center: boolean; highlight: boolean } & Record<string, unknown>;
type RelEdgeData = { edge: RelEdge; highlight: boolean; dimmed: boolean } & Record<string, unknown>;

const KIND_LABEL: Readonly<Record<string, string>> = {
  user: 'User',
  role: 'Role',
  group: 'Group',
  root: 'Root',
  policy: 'Policy',
  compute: 'Compute',
  'external-account': 'External account',
  provider: 'Identity provider',
  service: 'Service',
  anyone: 'Anyone',
};

const EDGE_LABEL: Readonly<Record<string, string>> = {
  'member-of': 'member of',
  'attached-policy': 'has policy',
  'can-assume': 'can assume',
  'can-pass-role': 'can pass',
  'runs-as': 'runs as',
  technique: 'can escalate to',
};

function RelNodeView({ data }: NodeProps<Node<RelNodeData>>): ReactNode {
  const { node, center, highlight } = data;
  const kind =
    node.kind === 'compute' && node.resourceType
      ? formatResourceType(node.resourceType)
      : (KIND_LABEL[node.kind] ?? node.kind);
  return (
    <div
      className={`rel-node kind-${node.kind} ${center ? 'center' : ''} ${node.atRisk ? 'at-risk' : ''} ${highlight ? 'highlight' : ''}`}
      title={node.id}
    >
      <Handle type="target" position={Position.Left} className="rel-handle" isConnectable={false} />
      <span className="rel-node-kind">
        {kind}
        {node.admin ? <span className="tag tag-admin">admin</span> : null}
      </span>
      <span className="rel-node-label">{node.label}</span>
      <Handle
        type="source"
        position={Position.Right}
        className="rel-handle"
        isConnectable={false}
      />
    </div>
  );
}

function edgeSentence(edge: RelEdge, nodes: ReadonlyMap<string, RelNode>): string {
  const from = nodes.get(edge.from)?.label ?? shortArn(edge.from);
  const to = nodes.get(edge.to)?.label ?? shortArn(edge.to);
  const what =
    edge.kind === 'technique'
      ? `${EDGE_LABEL.technique} (${edge.technique ?? '?'})`
      : (EDGE_LABEL[edge.kind] ?? edge.kind);
  return `${from} ${what} ${to}`;
}

function RelEdgeView(props: EdgeProps<Edge<RelEdgeData>>): ReactNode {
  const [path] = getBezierPath(props);
  const data = props.data;
  const edge = data?.edge;
  const classes = ['rel-edge'];
  if (edge?.atRisk) classes.push('at-risk');
  if (edge?.conditional) classes.push('conditional');
  if (data?.highlight) classes.push('highlight');
  if (data?.dimmed) classes.push('dimmed');
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={props.markerEnd}
        className={classes.join(' ')}
        interactionWidth={16}
      />
      {edge ? (
        <path d={path} className="rel-edge-hit" fill="none">
          <title>{edge.risk ?? edge.reason ?? EDGE_LABEL[edge.kind] ?? edge.kind}</title>
        </path>
      ) : null}
    </>
  );
}

const nodeTypes = { rel: memo(RelNodeView) };
const edgeTypes = { rel: memo(RelEdgeView) };

/** Positions from dagre (left to right), and how long the layout took. */
function layout(data: Relationships): {
  positions: Map<string, { x: number; y: number }>;
  ms: number;
} {
  const started = performance.now();
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of data.nodes) g.setNode(node.id, { width: NODE_W, height: NODE_H });
  for (const edge of data.edges)
    if (edge.from !== edge.to) g.setEdge(edge.from, edge.to, {}, edge.id);
  dagre.layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of data.nodes) {
    const p = g.node(node.id) as { x: number; y: number } | undefined;
    positions.set(node.id, { x: (p?.x ?? 0) - NODE_W / 2, y: (p?.y ?? 0) - NODE_H / 2 });
  }
  return { positions, ms: performance.now() - started };
}

export function RelationshipsTab({
  arn,
  onOpenResource,
}: {
  arn: string;
  onOpenResource: (arn: string) => void;
}): ReactNode {
  const [depth, setDepth] = useState<1 | 2>(1);
  const rel = useApi<Relationships>(`/resource/relationships${queryOf({ arn, depth })}`);
  const [hovered, setHovered] = useState<string | null>(null);
  const [step, setStep] = useState<{ path: number; step: number } | null>(null);

  const data = rel.status === 'ok' ? rel.data : null;
  const nodesById = useMemo(() => new Map((data?.nodes ?? []).map((n) => [n.id, n])), [data]);
  const laid = useMemo(() => (data ? layout(data) : null), [data]);
  const activeStep = data && step ? data.paths[step.path]?.steps[step.step] : undefined;
  const activeEdgeId = useMemo(() => {
    if (!data || !activeStep) return null;
    const candidates = data.edges.filter(
      (e) => e.from === activeStep.from && e.to === activeStep.to,
    );
    return (
      (candidates.find((e) => e.technique === activeStep.technique) ?? candidates[0])?.id ?? null
    );
  }, [data, activeStep]);

  const nodes: Node<RelNodeData>[] = useMemo(
    () =>
      (data?.nodes ?? []).map((node) => ({
        id: node.id,
        type: 'rel',
        position: laid?.positions.get(node.id) ?? { x: 0, y: 0 },
        data: {
          node,
          center: node.id === data?.center,
          highlight:
            activeStep !== undefined && (activeStep.from === node.id || activeStep.to === node.id),
        },
        draggable: false,
        connectable: false,
        ariaLabel: `${KIND_LABEL[node.kind] ?? node.kind} ${node.label}${node.admin ? ', admin' : ''}`,
      })),
    [data, laid, activeStep],
  );
  const edges: Edge<RelEdgeData>[] = useMemo(
    () =>
      (data?.edges ?? []).map((edge) => {
        const highlight = edge.id === activeEdgeId || edge.id === hovered;
        const colour = highlight ? 'var(--accent)' : edge.atRisk ? 'var(--risk)' : 'var(--edge)';
        return {
          id: edge.id,
          source: edge.from,
          target: edge.to,
          type: 'rel',
          data: { edge, highlight, dimmed: activeEdgeId !== null && !highlight },
          markerEnd: { type: MarkerType.ArrowClosed, color: colour, width: 16, height: 16 },
          focusable: true,
          className: edge.atRisk ? 'at-risk' : '',
          ariaLabel: `${edgeSentence(edge, nodesById)}${edge.atRisk ? `. At risk: ${edge.risk ?? ''}` : ''}`,
          domAttributes: {
            onFocus: () => setHovered(edge.id),
            onBlur: () => setHovered((h) => (h === edge.id ? null : h)),
          },
        };
      }),
    [data, activeEdgeId, hovered, nodesById],
  );

  if (rel.status === 'error') return <ErrorState error={rel.error} retry={rel.reload} />;
  const hoveredEdge = hovered ? data?.edges.find((e) => e.id === hovered) : undefined;
  const riskyEdges = data?.edges.filter((e) => e.atRisk) ?? [];
  return (
    <div className="stack">
      <div className="graph-toolbar">
        <div className="segmented small" role="group" aria-label="Neighbourhood depth">
          {([1, 2] as const).map((d) => (
            <button
              key={d}
              type="button"
              className={depth === d ? 'active' : ''}
              aria-pressed={depth === d}
              onClick={() => setDepth(d)}
            >
              {d === 1 ? 'Direct' : 'Two hops'}
            </button>
          ))}
        </div>
        <span className="legend">
          <span className="legend-edge risk" /> at risk <span className="legend-edge" /> benign{' '}
          <span className="legend-edge conditional" /> conditional
        </span>
        {data ? (
          <span className="muted small">
            {data.nodes.length} nodes · {data.edges.length} edges
            {data.truncated ? ' (truncated)' : ''}
          </span>
        ) : null}
      </div>
      <div
        className="graph"
        data-testid="relationships-graph"
        data-layout-ms={laid ? laid.ms.toFixed(1) : undefined}
        data-node-count={data?.nodes.length}
      >
        {data && laid ? (
          data.nodes.length <= 1 && data.edges.length === 0 ? (
            <p className="muted graph-empty">
              No relationships: nothing is attached to it, trusts it or runs as it.
            </p>
          ) : (
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              fitView
              fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
              minZoom={0.1}
              nodesDraggable={false}
              nodesConnectable={false}
              edgesReconnectable={false}
              elementsSelectable
              onEdgeMouseEnter={(_, edge) => setHovered(edge.id)}
              onEdgeMouseLeave={() => setHovered(null)}
              onNodeClick={(_, node) => {
                if (node.id.startsWith('arn:') && node.id !== data.center) onOpenResource(node.id);
              }}
              proOptions={{ hideAttribution: false }}
            >
              <Background gap={20} size={1} />
              <Controls showInteractive={false} />
            </ReactFlow>
          )
        ) : (
          <Skeleton rows={1} height={400} />
        )}
      </div>
      <div className="edge-info" aria-live="polite" data-testid="edge-info">
        {hoveredEdge ? (
          <>
            <strong>{edgeSentence(hoveredEdge, nodesById)}</strong>
            {hoveredEdge.atRisk ? (
              <span className="risk-text"> — {hoveredEdge.risk ?? 'at risk'}</span>
            ) : null}
            {!hoveredEdge.atRisk && hoveredEdge.reason ? (
              <span className="muted"> — {hoveredEdge.reason}</span>
            ) : null}
          </>
        ) : (
          <span className="muted">
            Hover or focus a connection to see why it exists and whether it is risky.
          </span>
        )}
      </div>
      {data && data.paths.length > 0 ? (
        <section>
          <h3>Escalation paths from here</h3>
          {data.paths.map((path, p) => (
            <div key={p} className="path-block">
              <p className="small">
                To{' '}
                <Truncate
                  className="mono"
                  text={nodesById.get(path.target)?.label ?? shortArn(path.target)}
                />{' '}
                in {path.steps.length} step{path.steps.length === 1 ? '' : 's'}
              </p>
              <PathSteps
                steps={path.steps}
                active={step?.path === p ? step.step : null}
                onSelect={(s) =>
                  setStep((cur) =>
                    cur?.path === p && cur.step === s ? null : { path: p, step: s },
                  )
                }
              />
            </div>
          ))}
        </section>
      ) : null}
      {riskyEdges.length > 0 ? (
        <section>
          <h3>At-risk connections ({riskyEdges.length})</h3>
          <ul className="risk-list">
            {riskyEdges.map((edge) => (
              <li key={edge.id}>
                <button
                  type="button"
                  className={`risk-item ${hovered === edge.id ? 'active' : ''}`}
                  onMouseEnter={() => setHovered(edge.id)}
                  onMouseLeave={() => setHovered(null)}
                  onFocus={() => setHovered(edge.id)}
                  onBlur={() => setHovered(null)}
                >
                  <span className="risk-route">{edgeSentence(edge, nodesById)}</span>
                  <span className="risk-text">{edge.risk ?? 'at risk'}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
