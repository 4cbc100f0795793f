/** The resource side panel: Relationships, Resource, Timeline, Access (and its open risks). */
import type { ReactNode } from 'react';
import { queryOf } from '../api.ts';
import type { Page, ResourceDetail, StoredFinding } from '../api-types.ts';
import { formatResourceType } from '../format.ts';
import { useApi } from '../use-api.ts';
import { Panel } from './Panel.tsx';
import { RelationshipsTab } from './RelationshipsGraph.tsx';
import { AccessTab, InsightsTab, ResourceTab, TimelineTab } from './ResourceTabs.tsx';
import { SeverityBadge, Tabs, Truncate } from './ui.tsx';

const TABS = [
  { id: 'relationships', label: 'Relationships' },
  { id: 'resource', label: 'Resource' },
  { id: 'risks', label: 'Risks' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'access', label: 'Access' },
  { id: 'insights', label: 'Insights' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function RisksTab({
  arn,
  onOpenFinding,
}: {
  arn: string;
  onOpenFinding: (fp: string) => void;
}): ReactNode {
  const list = useApi<Page<StoredFinding>>(`/findings${queryOf({ resource: arn, limit: 200 })}`);
  if (!list.data) return null;
  if (list.data.items.length === 0)
    return <p className="muted">No risk recorded on this resource.</p>;
  return (
    <ul className="risk-findings">
      {list.data.items.map((f) => (
        <li key={f.fingerprint}>
          <button
            type="button"
            className="finding-link"
            onClick={() => onOpenFinding(f.fingerprint)}
          >
            <SeverityBadge severity={f.severity} />
            <Truncate text={f.title} />
            <span className={`status status-${f.status}`}>{f.status}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function ResourcePanel(props: {
  arn: string;
  tab: string | null;
  onTab: (tab: string) => void;
  onClose: () => void;
  onOpenFinding: (fingerprint: string) => void;
  onOpenResource: (arn: string) => void;
}): ReactNode {
  const detail = useApi<ResourceDetail>(`/resource${queryOf({ arn: props.arn })}`);
  const isPrincipal = detail.data?.kind === 'principal';
  const tabs = TABS.filter((t) => t.id !== 'insights' || isPrincipal);
  const active: TabId = tabs.some((t) => t.id === props.tab)
    ? (props.tab as TabId)
    : 'relationships';
  const name = detail.data?.name ?? props.arn;
  return (
    <Panel
      kind="resource"
      label={`Resource ${name}`}
      onClose={props.onClose}
      header={
        <>
          <p className="panel-kicker">
            {detail.data ? formatResourceType(detail.data.type) : 'Resource'}
            {detail.data ? <span className="mono"> · {detail.data.accountId}</span> : null}
          </p>
          <h2 className="panel-title">
            <Truncate text={name} />
          </h2>
          <p className="mono small muted">
            <Truncate text={props.arn} />
          </p>
        </>
      }
    >
      {detail.status === 'error' && detail.error.status !== 404 ? (
        <div className="error-state" role="alert">
          <p className="error-title">Cannot show this resource ({detail.error.code})</p>
          <p>{detail.error.message}</p>
        </div>
      ) : detail.status === 'error' ? (
        <div className="error-state" role="alert">
          <p className="error-title">Not in the loaded snapshot</p>
          <p>{detail.error.message}</p>
        </div>
      ) : null}
      <Tabs label="Resource panel tabs" tabs={tabs} active={active} onChange={props.onTab} />
      <div
        className="tab-panel"
        role="tabpanel"
        id={`tabpanel-${active}`}
        aria-labelledby={`tab-${active}`}
      >
        {active === 'relationships' ? (
          <RelationshipsTab arn={props.arn} onOpenResource={props.onOpenResource} />
        ) : active === 'resource' ? (
          <ResourceTab arn={props.arn} />
        ) : active === 'risks' ? (
          <RisksTab arn={props.arn} onOpenFinding={props.onOpenFinding} />
        ) : active === 'timeline' ? (
          <TimelineTab arn={props.arn} />
        ) : active === 'access' ? (
          <AccessTab arn={props.arn} />
        ) : (
          <InsightsTab arn={props.arn} />
        )}
      </div>
    </Panel>
  );
}
