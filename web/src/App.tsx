/** The application shell: header (navigation, live score), the page, and the unauthorized state. */
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { hasToken } from './api.ts';
import type { Overview, Score } from './api-types.ts';
import { scoreBand } from './components/charts.tsx';
import { Explorer } from './components/Explorer.tsx';
import { OverviewPage } from './components/OverviewPage.tsx';
import { ErrorState, Link } from './components/ui.tsx';
import { OverviewContext } from './score-context.tsx';
import { useApi } from './use-api.ts';
import { useLocation } from './url-state.ts';

function Unauthorized(): ReactNode {
  const given = hasToken();
  return (
    <main className="page narrow">
      <div className="error-state" role="alert">
        <p className="error-title">
          {given ? 'The access token is wrong' : 'This server needs an access token'}
        </p>
        <p>
          {given
            ? 'The server refused the token this tab was given.'
            : 'The server was started with a token (IAMSIGHT_TOKEN) and this page was opened without one.'}{' '}
          Open the address the server printed at start-up, which ends in <code>#token=…</code>, or
          add <code>#token=YOUR_TOKEN</code> to this page’s address and reload. The token stays in
          this tab only.
        </p>
      </div>
    </main>
  );
}

export function App(): ReactNode {
  const { path } = useLocation();
  const overview = useApi<Overview>('/overview');
  const [liveScore, setLiveScore] = useState<Score | null>(null);
  const [dataVersion, setDataVersion] = useState(0);
  const reloadOverview = overview.reload;
  const scoreChanged = useCallback(
    (score: Score) => {
      setLiveScore(score);
      setDataVersion((v) => v + 1);
      reloadOverview();
    },
    [reloadOverview],
  );
  const loadedScore = overview.status === 'ok' ? overview.data.score : null;
  // A mute's answer is the newest score until the overview has reloaded.
  const score =
    overview.status === 'ok' ? loadedScore : (liveScore ?? overview.data?.score ?? null);
  const context = useMemo(
    () => ({ overview, score, scoreChanged, dataVersion }),
    [overview, score, scoreChanged, dataVersion],
  );

  if (overview.status === 'error' && overview.error.status === 401) return <Unauthorized />;

  const page = path.startsWith('/explorer') ? 'explorer' : 'overview';
  return (
    <OverviewContext.Provider value={context}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link href="/" className="brand" aria-label="iamsight overview">
          <span className="brand-mark" aria-hidden="true" />
          iamsight
        </Link>
        <nav className="main-nav" aria-label="Main">
          <Link href="/" aria-current={page === 'overview' ? 'page' : undefined}>
            Overview
          </Link>
          <Link
            href="/explorer?status=open"
            aria-current={page === 'explorer' ? 'page' : undefined}
          >
            Identity Risks Explorer
          </Link>
        </nav>
        <div
          className="header-score"
          data-testid="header-score"
          aria-live="polite"
          data-value={score?.value}
          data-earned={score?.earned}
          data-possible={score?.possible}
          title={score ? `${score.earned} of ${score.possible} weighted checks pass` : undefined}
        >
          {score ? (
            <>
              <span className="header-score-label">Identity health</span>
              <span className={`header-score-value band-${scoreBand(score.value)}`}>
                {score.value}
              </span>
            </>
          ) : null}
        </div>
      </header>
      <div id="main" className="app-main" tabIndex={-1}>
        {overview.status === 'error' && page === 'overview' ? (
          <main className="page">
            <ErrorState error={overview.error} retry={overview.reload} />
          </main>
        ) : page === 'explorer' ? (
          <Explorer />
        ) : (
          <OverviewPage />
        )}
      </div>
    </OverviewContext.Provider>
  );
}
