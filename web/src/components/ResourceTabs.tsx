/** The tabs shared by both panels: Resource (documents, configuration), Timeline, Access, Insights. */
import type { ReactNode } from 'react';
import { queryOf } from '../api.ts';
import type { AccessAnswer, InsightsAnswer, ResourceDetail, TimelineEvent } from '../api-types.ts';
import { formatCount, formatDate, formatDay, formatResourceType, prettyJson } from '../format.ts';
import { useApi } from '../use-api.ts';
import {
  CopyButton,
  EmptyState,
  ErrorState,
  Facts,
  SeverityBadge,
  Skeleton,
  Truncate,
} from './ui.tsx';

const DOCUMENT_KINDS: Readonly<Record<string, string>> = {
  'identity-inline': 'Inline policy',
  'identity-managed': 'Managed policy',
  boundary: 'Permissions boundary',
  trust: 'Trust policy',
  resource: 'Resource policy',
  scp: 'Service control policy',
  rcp: 'Resource control policy',
};

/** A JSON document, pretty-printed, with a copy button. */
export function JsonBlock({
  title,
  subtitle,
  value,
}: {
  title: string;
  subtitle?: string | null;
  value: unknown;
}): ReactNode {
  const text = prettyJson(value);
  return (
    <section className="doc">
      <header className="doc-header">
        <div className="doc-title">
          <Truncate text={title} />
          {subtitle ? <Truncate className="mono small muted" text={subtitle} /> : null}
        </div>
        <CopyButton text={text} />
      </header>
      <pre className="code" tabIndex={0} aria-label={`${title} (JSON)`}>
        {text}
      </pre>
    </section>
  );
}

export function ResourceSummary({ resource }: { resource: ResourceDetail }): ReactNode {
  return (
    <Facts
      items={[
        ['ARN', <Truncate key="arn" className="mono" text={resource.arn} />],
        ['Type', formatResourceType(resource.type)],
        [
          'Account',
          <span key="acct" className="mono">
            {resource.accountId}
          </span>,
        ],
        ['Region', resource.region ?? 'global'],
        ['Open risks', formatCount(resource.openFindings)],
        ...(resource.admin
          ? ([
              [
                'Administrator',
                resource.admin.admin
                  ? `yes${resource.admin.shadow ? ' (shadow admin: by escalation)' : ''}${resource.admin.conditional ? ', under conditions' : ''}`
                  : 'no',
              ],
            ] as [string, ReactNode][])
          : []),
      ]}
    />
  );
}

/** The Resource tab: documents and configuration. */
export function ResourceTab({ arn }: { arn: string }): ReactNode {
  const detail = useApi<ResourceDetail>(`/resource${queryOf({ arn })}`);
  if (detail.status === 'error') return <ErrorState error={detail.error} retry={detail.reload} />;
  if (!detail.data) return <Skeleton rows={8} />;
  const resource = detail.data;
  return (
    <div className="stack">
      <ResourceSummary resource={resource} />
      <h3>Policy documents</h3>
      {resource.documents.length === 0 ? (
        <p className="muted">No policy document is attached to it.</p>
      ) : (
        resource.documents.map((doc, i) => (
          <JsonBlock
            key={`${doc.kind}-${doc.arn ?? doc.label}-${i}`}
            title={`${DOCUMENT_KINDS[doc.kind] ?? doc.kind}: ${doc.label}`}
            subtitle={doc.arn}
            value={doc.document}
          />
        ))
      )}
      <h3>Configuration</h3>
      <JsonBlock title="Configuration" value={resource.configuration} />
    </div>
  );
}

const EVENT_LABELS: Readonly<Record<string, string>> = {
  opened: 'Opened',
  seen: 'Seen',
  resolved: 'Resolved',
  reopened: 'Reopened',
  muted: 'Muted',
  unmuted: 'Unmuted',
};

/** Events oldest first, shown newest first. */
export function TimelineList({
  events,
  showTitle,
}: {
  events: readonly TimelineEvent[];
  showTitle: boolean;
}): ReactNode {
  const shown = events
    .filter((e) => e.kind !== 'seen')
    .slice()
    .reverse();
  if (shown.length === 0)
    return <EmptyState title="No events yet">Each scan adds what changed.</EmptyState>;
  return (
    <ol className="timeline">
      {shown.map((event, i) => (
        <li
          key={`${event.scanId}-${event.fingerprint}-${event.kind}-${i}`}
          className={`tl-${event.kind}`}
        >
          <span className="tl-dot" aria-hidden="true" />
          <div className="tl-body">
            <div className="tl-head">
              <strong>{EVENT_LABELS[event.kind] ?? event.kind}</strong>
              <span className="muted small" title={event.at}>
                {formatDate(event.at)} · scan {event.scanId}
              </span>
            </div>
            {showTitle ? (
              <div className="tl-title">
                <SeverityBadge severity={event.severity} /> <Truncate text={event.title} />
              </div>
            ) : null}
            {event.detail ? <p className="tl-detail">{event.detail}</p> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

export function TimelineTab({ arn }: { arn: string }): ReactNode {
  const timeline = useApi<{ events: readonly TimelineEvent[] }>(
    `/resource/timeline${queryOf({ arn })}`,
  );
  if (timeline.status === 'error')
    return <ErrorState error={timeline.error} retry={timeline.reload} />;
  if (!timeline.data) return <Skeleton rows={6} />;
  return <TimelineList events={timeline.data.events} showTitle />;
}

export function AccessTab({ arn }: { arn: string }): ReactNode {
  const access = useApi<AccessAnswer>(`/resource/access${queryOf({ arn })}`);
  if (access.status === 'error') return <ErrorState error={access.error} retry={access.reload} />;
  if (!access.data) return <Skeleton rows={8} />;
  const answer = access.data;
  const canAccess = answer.kind === 'principal' ? answer.canAccess : null;
  const whoCanAccess = answer.kind === 'resource' ? answer.whoCanAccess : null;
  const truncated = answer.kind === 'resource' ? answer.truncated : answer.canAccess.truncated;
  return (
    <div className="stack">
      {canAccess ? (
        <section>
          <h3>What it can access</h3>
          <p className="muted small">
            {canAccess.admin ? 'Administrator: every action on every resource. ' : ''}
            {formatCount(canAccess.total)} actions allowed by its policies, by service
            {canAccess.truncated ? ' (the largest services)' : ''}.
          </p>
          {canAccess.services.length === 0 ? (
            <p className="muted">No action is allowed.</p>
          ) : (
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col" className="num">
                    Actions allowed
                  </th>
                  <th scope="col" className="num">
                    Under conditions
                  </th>
                </tr>
              </thead>
              <tbody>
                {canAccess.services.map((s) => (
                  <tr key={s.service}>
                    <td className="mono">{s.service}</td>
                    <td className="num">{formatCount(s.allowed)}</td>
                    <td className="num">{formatCount(s.conditional)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
      {whoCanAccess ? (
        <section>
          <h3>Who can access it</h3>
          {whoCanAccess.length === 0 ? (
            <p className="muted">No principal of the snapshot can act on it.</p>
          ) : (
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">Principal</th>
                  <th scope="col">Account</th>
                  <th scope="col">Actions (sample)</th>
                </tr>
              </thead>
              <tbody>
                {whoCanAccess.map((p) => (
                  <tr key={p.principal}>
                    <td className="cell-title">
                      <Truncate text={p.name} />
                      <span className="muted small"> {formatResourceType(p.type)}</span>
                      {p.conditional ? <span className="tag tag-warn">conditional</span> : null}
                    </td>
                    <td className="mono small">{p.accountId}</td>
                    <td className="small">
                      <Truncate className="mono" text={p.actions.join(', ')} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {truncated ? (
            <p className="muted small">Only the first 200 principals are listed.</p>
          ) : null}
          {answer.kind === 'resource' && answer.actions.length > 0 ? (
            <p className="muted small">
              Checked actions: <Truncate className="mono" text={answer.actions.join(', ')} />
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

export function InsightsTab({ arn }: { arn: string }): ReactNode {
  const answer = useApi<InsightsAnswer>(`/resource/insights${queryOf({ arn })}`);
  if (answer.status === 'error') return <ErrorState error={answer.error} retry={answer.reload} />;
  if (!answer.data) return <Skeleton rows={8} />;
  if (!answer.data.available)
    return (
      <EmptyState title="No usage insights">
        <p>{answer.data.reason}</p>
        <p className="small muted">
          Give CloudTrail usage to the scan (<code>--usage usage.json</code> or{' '}
          <code>--cloudtrail</code>) to compare granted and used permissions.
        </p>
      </EmptyState>
    );
  const { insights, suggestion } = answer.data;
  const maxGranted = Math.max(1, ...insights.services.map((s) => s.granted));
  const policyText =
    suggestion.documents.length === 1
      ? prettyJson(suggestion.documents[0])
      : prettyJson(suggestion.documents);
  return (
    <div className="stack">
      <Facts
        items={[
          [
            'Period',
            `${formatDay(insights.periodStart)} → ${formatDay(insights.asOf)} (${insights.trackingPeriodDays} days)`,
          ],
          ['Granted actions', formatCount(insights.totals.granted)],
          ['Used', formatCount(insights.totals.used)],
          ['Unused', `${formatCount(insights.totals.unused)} (${insights.totals.unusedPercent}%)`],
          ['Unknown', formatCount(insights.totals.unknown)],
        ]}
      />
      <h3>Granted vs used, by service</h3>
      <ul className="usage-bars">
        {insights.services.map((s) => (
          <li key={s.service}>
            <span className="mono usage-service">
              <Truncate text={s.service} />
            </span>
            <span className="usage-track" aria-hidden="true">
              <span
                className="usage-granted"
                style={{ width: `${(100 * s.granted) / maxGranted}%` }}
              >
                <span
                  className="usage-used"
                  style={{ width: `${s.granted ? (100 * s.used) / s.granted : 0}%` }}
                />
              </span>
            </span>
            <span className="small">
              {formatCount(s.used)} / {formatCount(s.granted)} used
              {s.lastUsed ? <span className="muted"> · last {formatDay(s.lastUsed)}</span> : null}
            </span>
          </li>
        ))}
      </ul>
      <section className="doc">
        <header className="doc-header">
          <div className="doc-title">Suggested least-privilege policy</div>
          <CopyButton text={policyText} label="Copy policy" />
        </header>
        {suggestion.notes.length > 0 ? (
          <ul className="plain-list small">
            {suggestion.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        ) : null}
        <pre className="code" tabIndex={0} aria-label="Suggested policy (JSON)">
          {policyText}
        </pre>
      </section>
    </div>
  );
}
