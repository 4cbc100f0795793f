/**
 * The detection side panel: what the finding is, its evidence and remediation, Fix in AWS, mute
 * and unmute (the live score updates), and the Resource, Timeline and Insights tabs.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError } from '../api.ts';
import type { FindingDetail, MuteResult, MuteScope, UnmuteResult } from '../api-types.ts';
import { formatDate, formatResourceType, safeConsoleUrl } from '../format.ts';
import { useOverview } from '../score-context.tsx';
import { useApi } from '../use-api.ts';
import { Evidence } from './Evidence.tsx';
import { Panel } from './Panel.tsx';
import { InsightsTab, ResourceTab, TimelineList } from './ResourceTabs.tsx';
import { ErrorState, Facts, SeverityBadge, Skeleton, StatusBadge, Tabs, Truncate } from './ui.tsx';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'resource', label: 'Resource' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'insights', label: 'Insights' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const PRINCIPAL_TYPES = new Set(['AWS::IAM::User', 'AWS::IAM::Role']);

function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

function MuteForm({
  fingerprint,
  rule,
  accountId,
  onDone,
  onCancel,
}: {
  fingerprint: string;
  /** The finding's rule, as shown (catalog id and title). */
  rule: string;
  accountId: string;
  onDone: () => void;
  onCancel: () => void;
}): ReactNode {
  const { scoreChanged } = useOverview();
  const [scope, setScope] = useState<MuteScope>('finding');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!reason.trim()) {
      setError('Say why this risk is accepted.');
      return;
    }
    setBusy(true);
    setError(null);
    const body = {
      reason: reason.trim(),
      scope,
      ...(until ? { until: new Date(`${until}T23:59:59Z`).toISOString() } : {}),
    };
    api<MuteResult>(`/findings/${encodeURIComponent(fingerprint)}/mute`, {
      method: 'POST',
      body,
    }).then(
      (result) => {
        scoreChanged(result.score);
        onDone();
      },
      (e: unknown) => {
        setBusy(false);
        setError(e instanceof ApiError ? e.message : String(e));
      },
    );
  };
  return (
    <form className="mute-form" onSubmit={submit} aria-label="Mute this finding">
      <label>
        <span>Reason (required)</span>
        <textarea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          rows={2}
          required
          autoFocus
          placeholder="e.g. break-glass role, reviewed by the security team"
          name="reason"
        />
      </label>
      <fieldset className="mute-scope">
        <legend>Mute</legend>
        {(
          [
            ['finding', 'this finding'],
            ['rule-in-account', `every ${rule} finding in account ${accountId}`],
            ['rule', `every ${rule} finding`],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="radio">
            <input
              type="radio"
              name="scope"
              value={value}
              checked={scope === value}
              onChange={() => setScope(value)}
            />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
      <label className="inline">
        <span>Until (optional)</span>
        <input
          type="date"
          value={until}
          min={tomorrow()}
          onChange={(e) => setUntil(e.target.value)}
          name="until"
        />
      </label>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Muting…' : 'Mute'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function DetectionPanel(props: {
  fingerprint: string;
  tab: string | null;
  onTab: (tab: string) => void;
  onClose: () => void;
  onOpenResource: (arn: string) => void;
}): ReactNode {
  const detail = useApi<FindingDetail>(`/findings/${encodeURIComponent(props.fingerprint)}`);
  const { scoreChanged } = useOverview();
  const [muting, setMuting] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const finding = detail.data?.finding;
  const isPrincipal = finding ? PRINCIPAL_TYPES.has(finding.resource.type) : false;
  const tabs = TABS.filter((t) => t.id !== 'insights' || isPrincipal);
  const active: TabId = tabs.some((t) => t.id === props.tab) ? (props.tab as TabId) : 'overview';
  const consoleUrl = safeConsoleUrl(finding?.remediation.consoleUrl);

  const unmute = (): void => {
    setActionError(null);
    api<UnmuteResult>(`/findings/${encodeURIComponent(props.fingerprint)}/mute`, {
      method: 'DELETE',
    }).then(
      (result) => {
        scoreChanged(result.score);
        detail.reload();
      },
      (e: unknown) => setActionError(e instanceof ApiError ? e.message : String(e)),
    );
  };

  return (
    <Panel
      kind="detection"
      label={finding ? `Detection: ${finding.title}` : 'Detection'}
      onClose={props.onClose}
      header={
        finding ? (
          <>
            <p className="panel-kicker">
              <SeverityBadge severity={finding.severity} />{' '}
              <span className="mono">{finding.anchor}</span> <StatusBadge status={finding.status} />
            </p>
            <h2 className="panel-title">
              <Truncate text={finding.title} />
            </h2>
            <p className="small">
              <button
                type="button"
                className="btn-link"
                onClick={() => props.onOpenResource(finding.resource.arn)}
              >
                <Truncate text={finding.resource.name} />
              </button>{' '}
              <span className="muted">
                {formatResourceType(finding.resource.type)} ·{' '}
                <span className="mono">{finding.resource.accountId}</span>
              </span>
            </p>
          </>
        ) : (
          <Skeleton rows={2} />
        )
      }
    >
      {detail.status === 'error' ? <ErrorState error={detail.error} retry={detail.reload} /> : null}
      {finding ? (
        <>
          <div className="panel-actions">
            {consoleUrl ? (
              <a
                className="btn btn-primary"
                href={consoleUrl}
                target="_blank"
                rel="noopener noreferrer"
                data-testid="fix-in-aws"
              >
                Fix in AWS ↗
              </a>
            ) : (
              <span className="muted small">No console page is known for this resource type.</span>
            )}
            {finding.status === 'muted' ? (
              finding.mute?.muteId !== null ? (
                <button type="button" className="btn" onClick={unmute}>
                  Unmute
                </button>
              ) : (
                <span className="muted small">Muted by the configuration file</span>
              )
            ) : finding.status === 'open' && !muting ? (
              <button type="button" className="btn" onClick={() => setMuting(true)}>
                Mute…
              </button>
            ) : null}
          </div>
          {muting ? (
            <MuteForm
              fingerprint={props.fingerprint}
              rule={finding.anchor}
              accountId={finding.resource.accountId}
              onCancel={() => setMuting(false)}
              onDone={() => {
                setMuting(false);
                detail.reload();
              }}
            />
          ) : null}
          {actionError ? (
            <p className="error-text" role="alert">
              {actionError}
            </p>
          ) : null}
          {finding.mute ? (
            <p className="notice small">
              Muted{finding.mute.by ? ` by ${finding.mute.by}` : ''}: {finding.mute.reason}
              {finding.mute.until ? ` (until ${formatDate(finding.mute.until)})` : ''}
            </p>
          ) : null}
        </>
      ) : null}
      <Tabs label="Detection panel tabs" tabs={tabs} active={active} onChange={props.onTab} />
      <div
        className="tab-panel"
        role="tabpanel"
        id={`tabpanel-${active}`}
        aria-labelledby={`tab-${active}`}
      >
        {!detail.data ? (
          detail.status === 'error' ? null : (
            <Skeleton rows={8} />
          )
        ) : active === 'overview' ? (
          <div className="stack">
            <p className="message" data-testid="finding-message">
              {detail.data.finding.message}
            </p>
            <h3>Evidence</h3>
            <Evidence evidence={detail.data.finding.evidence} />
            <h3>Remediation</h3>
            <p className="remediation">{detail.data.finding.remediation.text}</p>
            {detail.data.detection ? (
              <>
                <h3>About this detection</h3>
                <p>{detail.data.detection.description}</p>
                {detail.data.detection.risk ? (
                  <p className="muted">{detail.data.detection.risk}</p>
                ) : null}
              </>
            ) : null}
            <Facts
              items={[
                ['First seen', formatDate(detail.data.finding.firstSeen.at)],
                ['Last seen', formatDate(detail.data.lastSeen.at)],
                ['Status since', formatDate(detail.data.finding.since.at)],
                [
                  'Fingerprint',
                  <span key="fp" className="mono small">
                    {detail.data.finding.fingerprint}
                  </span>,
                ],
              ]}
            />
          </div>
        ) : active === 'resource' ? (
          <div className="stack">
            <button
              type="button"
              className="btn"
              onClick={() => finding && props.onOpenResource(finding.resource.arn)}
            >
              Open the resource panel (relationships, access)
            </button>
            <ResourceTab arn={detail.data.finding.resource.arn} />
          </div>
        ) : active === 'timeline' ? (
          <TimelineList events={detail.data.events} showTitle={false} />
        ) : (
          <InsightsTab arn={detail.data.finding.resource.arn} />
        )}
      </div>
    </Panel>
  );
}
