/** The overview: score gauge and trend, open risks by severity and by rule, accounts. */
import type { ReactNode } from 'react';
import type { Overview } from '../api-types.ts';
import { formatCount, formatDate, SEVERITIES } from '../format.ts';
import { useOverview } from '../score-context.tsx';
import { explorerHref } from '../url-state.ts';
import { ScoreGauge, scoreBand, TrendChart } from './charts.tsx';
import { EmptyState, Link, SeverityBadge, Skeleton, Truncate } from './ui.tsx';

function Card(props: {
  title: string;
  className?: string;
  children: ReactNode;
  action?: ReactNode;
}): ReactNode {
  return (
    <section className={`card ${props.className ?? ''}`} aria-label={props.title}>
      <header className="card-header">
        <h2>{props.title}</h2>
        {props.action}
      </header>
      <div className="card-body">{props.children}</div>
    </section>
  );
}

function LoadingOverview(): ReactNode {
  return (
    <div className="overview-grid">
      {[
        'Identity health score',
        'Score trend',
        'Open risks by severity',
        'Top risks',
        'Accounts',
      ].map((title) => (
        <Card
          key={title}
          title={title}
          className={title === 'Accounts' || title === 'Top risks' ? 'wide' : ''}
        >
          <Skeleton rows={5} height={22} />
        </Card>
      ))}
    </div>
  );
}

function NoScans(): ReactNode {
  return (
    <EmptyState title="No scans yet">
      <p>
        Record a scan in this server’s store, then reload:{' '}
        <code>iamsight scan --authz authz.json --store …</code>. Or try the demo:{' '}
        <code>npm start</code>.
      </p>
    </EmptyState>
  );
}

function Body({ data }: { data: Overview }): ReactNode {
  const { score } = useOverview();
  const open = explorerHref({ status: ['open'] });
  const maxSeverity = Math.max(1, ...data.bySeverity.map((s) => s.count));
  const bySeverity = SEVERITIES.map(
    (severity) => data.bySeverity.find((s) => s.severity === severity) ?? { severity, count: 0 },
  );
  const shown = score ?? data.score;
  return (
    <div className="overview-grid">
      <Card title="Identity health score">
        {shown ? (
          <div className="score-card">
            <ScoreGauge value={shown.value} />
            <p className="muted small">
              {formatCount(shown.earned)} of {formatCount(shown.possible)} weighted checks pass
              {data.latestScan
                ? ` · scan ${data.latestScan.id}, ${formatDate(data.latestScan.asOf)}`
                : ''}
            </p>
            {data.latestScan?.status === 'partial' ? (
              <p className="notice small">
                The latest scan is partial: some data was missing ({data.latestScan.gaps.length}{' '}
                gaps).
              </p>
            ) : null}
          </div>
        ) : (
          <NoScans />
        )}
      </Card>
      <Card
        title="Score trend"
        action={<span className="muted small">{data.trend.length} scans</span>}
      >
        {data.trend.length > 0 ? (
          <TrendChart points={data.trend} />
        ) : (
          <EmptyState title="No trend yet">Each scan recorded adds a point.</EmptyState>
        )}
      </Card>
      <Card title="Open risks by severity">
        <ul className="severity-bars">
          {bySeverity.map(({ severity, count }) => (
            <li key={severity}>
              <SeverityBadge severity={severity} />
              <span className="bar-track" aria-hidden="true">
                <span
                  className={`bar sev-bg-${severity}`}
                  style={{ width: `${(100 * count) / maxSeverity}%` }}
                />
              </span>
              <Link
                href={explorerHref({ status: ['open'], severity: [severity] })}
                className="count-link"
                aria-label={`${count} open ${severity} risks`}
              >
                {formatCount(count)}
              </Link>
            </li>
          ))}
        </ul>
        <p className="totals">
          <Link href={open}>{formatCount(data.totals.open)} open</Link>
          <Link href={explorerHref({ status: ['muted'] })}>
            {formatCount(data.totals.muted)} muted
          </Link>
          <Link href={explorerHref({ status: ['resolved'] })}>
            {formatCount(data.totals.resolved)} resolved
          </Link>
        </p>
      </Card>
      <Card
        title="Top risks"
        className="wide"
        action={
          <Link href={open} className="small">
            Open the explorer
          </Link>
        }
      >
        {data.byRule.length === 0 ? (
          <EmptyState title="No open risks">Nothing to fix in the latest scan.</EmptyState>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Risk</th>
                <th scope="col">Rule</th>
                <th scope="col">Severity</th>
                <th scope="col" className="num">
                  Open
                </th>
              </tr>
            </thead>
            <tbody>
              {data.byRule.map((rule) => (
                <tr key={rule.ruleId}>
                  <td className="cell-title">
                    <Link href={explorerHref({ status: ['open'], rule: [rule.ruleId] })}>
                      <Truncate text={rule.title} />
                    </Link>
                  </td>
                  <td className="mono small">{rule.anchor}</td>
                  <td>
                    <SeverityBadge severity={rule.severity} />
                  </td>
                  <td className="num">
                    <Link href={explorerHref({ status: ['open'], rule: [rule.ruleId] })}>
                      {formatCount(rule.count)}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Accounts" className="wide">
        {data.accounts.length === 0 ? (
          <EmptyState title="No accounts">The latest scan covered no account.</EmptyState>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col" className="num">
                  Open risks
                </th>
                <th scope="col">Missing data</th>
              </tr>
            </thead>
            <tbody>
              {data.accounts.map((account) => (
                <tr key={account.accountId}>
                  <td className="mono">
                    <Link href={explorerHref({ status: ['open'], account: [account.accountId] })}>
                      {account.accountId}
                    </Link>
                  </td>
                  <td className="cell-title">
                    <Truncate text={account.name ?? '—'} />
                  </td>
                  <td className="num">
                    {account.score ? (
                      <span className={`score-pill band-${scoreBand(account.score.value)}`}>
                        {account.score.value}
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="num">
                    <Link href={explorerHref({ status: ['open'], account: [account.accountId] })}>
                      {formatCount(account.open)}
                    </Link>
                  </td>
                  <td className="small muted">
                    <Truncate text={account.missing.length ? account.missing.join(', ') : 'none'} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

export function OverviewPage(): ReactNode {
  const { overview } = useOverview();
  return (
    <main className="page" aria-labelledby="overview-title">
      <div className="page-header">
        <h1 id="overview-title">Overview</h1>
        {overview.data?.latestScan ? (
          <p className="muted small">
            Latest scan {formatDate(overview.data.latestScan.asOf)} ·{' '}
            {Object.keys(overview.data.latestScan.accounts).length} accounts
          </p>
        ) : null}
      </div>
      {overview.data === null ? (
        <LoadingOverview />
      ) : overview.data.latestScan === null ? (
        <NoScans />
      ) : (
        <Body data={overview.data} />
      )}
    </main>
  );
}
