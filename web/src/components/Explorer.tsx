/**
 * The Identity Risks Explorer: facets, search, group by risk / resource / none, a virtualised
 * list loading pages as it scrolls, groups expanding to their findings, and the side panels. All
 * of its state is in the URL.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { api, ApiError, queryOf } from '../api.ts';
import type { FacetName, Facets, GroupCount, Page, StoredFinding } from '../api-types.ts';
import { formatCount, formatDay, formatResourceType } from '../format.ts';
import { useOverview } from '../score-context.tsx';
import { useApi } from '../use-api.ts';
import { usePages } from '../use-pages.ts';
import {
  explorerHref,
  explorerStateOf,
  filterParams,
  navigate,
  useLocation,
  type ExplorerState,
} from '../url-state.ts';
import { DetectionPanel } from './DetectionPanel.tsx';
import { FacetSidebar } from './FacetSidebar.tsx';
import { ResourcePanel } from './ResourcePanel.tsx';
import { EmptyState, ErrorState, SeverityBadge, StatusBadge, Truncate } from './ui.tsx';

const ROW_HEIGHT = 48;
const GROUP_PAGE = 50;

type Row =
  | { kind: 'group'; group: GroupCount; expanded: boolean }
  | { kind: 'finding'; finding: StoredFinding; nested: boolean }
  | { kind: 'more'; groupKey: string; loading: boolean; error: ApiError | null }
  | { kind: 'loading' };

interface GroupFindings {
  readonly items: readonly StoredFinding[];
  readonly nextCursor: string | null;
  readonly loading: boolean;
  readonly error: ApiError | null;
}

function SearchBox({
  value,
  onCommit,
}: {
  value: string;
  onCommit: (q: string) => void;
}): ReactNode {
  const [text, setText] = useState(value);
  const committed = useRef(value);
  useEffect(() => {
    // The URL changed (back button, a link): show its query.
    if (value !== committed.current) {
      committed.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => {
    if (text === committed.current) return;
    const timer = setTimeout(() => {
      committed.current = text;
      onCommit(text);
    }, 300);
    return () => clearTimeout(timer);
  }, [text, onCommit]);
  return (
    <input
      type="search"
      className="search"
      placeholder="Search ARN, name or risk title"
      aria-label="Search findings"
      value={text}
      maxLength={200}
      onChange={(event) => setText(event.target.value)}
    />
  );
}

function GroupRow({
  row,
  group,
}: {
  row: Extract<Row, { kind: 'group' }>;
  group: ExplorerState['group'];
}): ReactNode {
  const g = row.group;
  return (
    <>
      <span className={`chevron ${row.expanded ? 'open' : ''}`} aria-hidden="true" />
      <SeverityBadge severity={g.severity} />
      <span className="row-main">
        <Truncate className="row-title" text={g.label ?? g.key} />
        <span className="row-sub">
          {group === 'risk' ? (
            <span className="mono">{g.key}</span>
          ) : (
            <>
              <span>{formatResourceType(g.resourceType)}</span>
              <span className="mono">{g.accountId ?? ''}</span>
              <Truncate className="mono" text={g.key} />
            </>
          )}
        </span>
      </span>
      <span className="row-count" aria-label={`${g.count} findings`}>
        {formatCount(g.count)}
      </span>
    </>
  );
}

/** A finding; under a risk group the resource is what differs, so it leads. */
function FindingRow({
  finding,
  underRisk,
}: {
  finding: StoredFinding;
  underRisk: boolean;
}): ReactNode {
  return (
    <>
      <SeverityBadge severity={finding.severity} />
      <span className="row-main">
        <Truncate className="row-title" text={underRisk ? finding.resource.name : finding.title} />
        <span className="row-sub">
          {underRisk ? null : <Truncate className="row-resource" text={finding.resource.name} />}
          <span>{formatResourceType(finding.resource.type)}</span>
          <span className="mono">{finding.resource.accountId}</span>
          {underRisk ? <Truncate className="mono" text={finding.resource.arn} /> : null}
        </span>
      </span>
      <StatusBadge status={finding.status} />
      <span className="row-date muted small" title={`First seen ${finding.firstSeen.at}`}>
        {formatDay(finding.firstSeen.at)}
      </span>
    </>
  );
}

export function Explorer(): ReactNode {
  const { params, href } = useLocation();
  const state = useMemo(() => explorerStateOf(params), [params]);
  const filterQuery = queryOf(filterParams(state));
  const go = useCallback(
    (patch: Partial<ExplorerState>, replace = false) =>
      navigate(
        explorerHref({ ...explorerStateOf(new URL(window.location.href).searchParams), ...patch }),
        { replace },
      ),
    [],
  );

  const { dataVersion } = useOverview();
  const facets = useApi<Facets>(`/findings/facets${filterQuery}`, dataVersion);
  const grouped = state.group !== 'none';
  const groupPath = grouped
    ? `/findings/groups${queryOf({ ...filterParams(state), groupBy: state.group })}`
    : null;
  const groups = usePages<GroupCount>(groupPath, 100, dataVersion);
  const flat = usePages<StoredFinding>(
    grouped ? null : `/findings${filterQuery}`,
    100,
    dataVersion,
  );

  // Expanded groups and their findings; reset when the list changes.
  const [expanded, setExpanded] = useState<ReadonlyMap<string, GroupFindings>>(new Map());
  useEffect(() => setExpanded(new Map()), [groupPath, dataVersion]);
  const loadGroup = useCallback(
    (key: string, cursor: string | null) => {
      const groupFilter = state.group === 'risk' ? { rule: [key] } : { resource: key };
      const path = `/findings${queryOf({ ...filterParams(state), ...groupFilter, limit: GROUP_PAGE, cursor })}`;
      setExpanded((prev) => {
        const next = new Map(prev);
        const old = prev.get(key);
        next.set(key, {
          items: old?.items ?? [],
          nextCursor: old?.nextCursor ?? null,
          loading: true,
          error: null,
        });
        return next;
      });
      api<Page<StoredFinding>>(path).then(
        (page) =>
          setExpanded((prev) => {
            if (!prev.has(key)) return prev;
            const next = new Map(prev);
            const old = prev.get(key);
            next.set(key, {
              items: cursor ? [...(old?.items ?? []), ...page.items] : page.items,
              nextCursor: page.nextCursor,
              loading: false,
              error: null,
            });
            return next;
          }),
        (error: unknown) =>
          setExpanded((prev) => {
            if (!prev.has(key)) return prev;
            const next = new Map(prev);
            const old = prev.get(key);
            next.set(key, {
              items: old?.items ?? [],
              nextCursor: old?.nextCursor ?? null,
              loading: false,
              error: error instanceof ApiError ? error : new ApiError(0, 'client', String(error)),
            });
            return next;
          }),
      );
    },
    [state],
  );
  const toggleGroup = useCallback(
    (key: string) => {
      if (expanded.has(key)) {
        setExpanded((prev) => {
          const next = new Map(prev);
          next.delete(key);
          return next;
        });
      } else loadGroup(key, null);
    },
    [expanded, loadGroup],
  );

  const rows: Row[] = useMemo(() => {
    const out: Row[] = [];
    if (grouped) {
      for (const group of groups.items) {
        const open = expanded.get(group.key);
        out.push({ kind: 'group', group, expanded: open !== undefined });
        if (!open) continue;
        for (const finding of open.items) out.push({ kind: 'finding', finding, nested: true });
        if (open.loading || open.nextCursor || open.error)
          out.push({ kind: 'more', groupKey: group.key, loading: open.loading, error: open.error });
      }
      if (groups.hasMore) out.push({ kind: 'loading' });
    } else {
      for (const finding of flat.items) out.push({ kind: 'finding', finding, nested: false });
      if (flat.hasMore) out.push({ kind: 'loading' });
    }
    return out;
  }, [grouped, groups.items, groups.hasMore, expanded, flat.items, flat.hasMore]);
  const list = grouped ? groups : flat;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? -1;
  useEffect(() => {
    // Load the next page when the last rows come into view.
    if (list.hasMore && !list.loading && lastIndex >= rows.length - 10) list.loadMore();
  }, [lastIndex, rows.length, list]);

  // Keyboard: one row is the tab stop; ↑/↓ move, Enter opens, Home/End jump.
  const [active, setActive] = useState(0);
  useEffect(() => setActive(0), [groupPath, flat.items.length === 0]);
  const focusRow = useCallback(
    (index: number) => {
      const clamped = Math.max(0, Math.min(rows.length - 1, index));
      setActive(clamped);
      virtualizer.scrollToIndex(clamped, { align: 'auto' });
      requestAnimationFrame(() =>
        scrollRef.current?.querySelector<HTMLElement>(`[data-index="${clamped}"]`)?.focus(),
      );
    },
    [rows.length, virtualizer],
  );
  const activate = useCallback(
    (row: Row) => {
      if (row.kind === 'group') toggleGroup(row.group.key);
      else if (row.kind === 'finding')
        go({ finding: row.finding.fingerprint, resource: null, tab: null });
      else if (row.kind === 'more' && !row.loading) {
        const open = expanded.get(row.groupKey);
        loadGroup(row.groupKey, open?.nextCursor ?? null);
      }
    },
    [expanded, go, loadGroup, toggleGroup],
  );
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number, row: Row): void => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'ArrowDown') focusRow(index + 1);
    else if (event.key === 'ArrowUp') focusRow(index - 1);
    else if (event.key === 'Home') focusRow(0);
    else if (event.key === 'End') focusRow(rows.length - 1);
    else if (event.key === 'Enter' || event.key === ' ') activate(row);
    else if (event.key === 'ArrowRight' && row.kind === 'group' && !row.expanded) activate(row);
    else if (event.key === 'ArrowLeft' && row.kind === 'group' && row.expanded) activate(row);
    else return;
    event.preventDefault();
  };

  const onToggleFacet = useCallback(
    (facet: FacetName, value: string) => {
      const current = state[facet];
      const next = current.includes(value)
        ? current.filter((v) => v !== value)
        : [...current, value];
      go({ [facet]: next });
    },
    [go, state],
  );
  const total = facets.data?.total;
  const selectedFinding = state.finding;
  const selectedResource = state.resource;
  const closePanel = useCallback(() => go({ finding: null, resource: null, tab: null }), [go]);

  return (
    <main className="explorer" aria-labelledby="explorer-title">
      <FacetSidebar
        facets={facets}
        state={state}
        onToggle={onToggleFacet}
        onClear={() =>
          go({ status: [], severity: [], account: [], resourceType: [], rule: [], q: '' })
        }
      />
      <section className="explorer-main">
        <div className="explorer-toolbar">
          <h1 id="explorer-title">Identity Risks</h1>
          <SearchBox value={state.q} onCommit={(q) => go({ q })} />
          <div className="segmented" role="group" aria-label="Group by">
            {(['risk', 'resource', 'none'] as const).map((g) => (
              <button
                key={g}
                type="button"
                className={state.group === g ? 'active' : ''}
                aria-pressed={state.group === g}
                onClick={() => go({ group: g })}
                data-group={g}
              >
                {g === 'risk' ? 'Identity risks' : g === 'resource' ? 'Resources' : 'None'}
              </button>
            ))}
          </div>
          <span className="result-count muted" aria-live="polite" data-testid="result-count">
            {total === undefined ? '\u00a0' : `${formatCount(total)} findings`}
            {grouped && groups.loaded
              ? ` · ${formatCount(groups.items.length)}${groups.hasMore ? '+' : ''} groups`
              : ''}
          </span>
        </div>
        <div className="list-header" aria-hidden="true">
          {grouped ? (
            <>
              <span className="list-header-main">
                {state.group === 'risk' ? 'Identity risk' : 'Resource'}
              </span>
              <span>Findings</span>
            </>
          ) : (
            <>
              <span className="list-header-main">Finding · resource</span>
              <span>Status</span>
              <span className="row-date">First seen</span>
            </>
          )}
        </div>
        {list.error && !list.loaded ? (
          <ErrorState error={list.error} retry={() => navigate(href, { replace: true })} />
        ) : list.loaded && rows.length === 0 ? (
          <EmptyState title="No findings match">
            {state.q ||
            state.severity.length ||
            state.account.length ||
            state.rule.length ||
            state.resourceType.length ||
            state.status.length ? (
              <p>Remove a filter or change the search to see more.</p>
            ) : (
              <p>
                No findings recorded yet: run <code>iamsight scan … --store …</code> and reload.
              </p>
            )}
          </EmptyState>
        ) : (
          <div
            ref={scrollRef}
            className="list-scroll"
            role="tree"
            aria-label={grouped ? `Findings grouped by ${state.group}` : 'Findings'}
            aria-busy={!list.loaded}
          >
            {!list.loaded ? (
              Array.from({ length: 10 }, (_, i) => (
                <div key={i} className="row skeleton-row" style={{ height: ROW_HEIGHT }}>
                  <span className="skeleton-bar" />
                </div>
              ))
            ) : (
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {virtualItems.map((item) => {
                  const row = rows[item.index];
                  if (!row) return null;
                  const common = {
                    'data-index': item.index,
                    tabIndex: item.index === active ? 0 : -1,
                    onFocus: () => setActive(item.index),
                    style: { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT },
                  };
                  if (row.kind === 'loading')
                    return (
                      <div key="loading" {...common} className="row row-loading" role="none">
                        <span className="muted small">Loading more…</span>
                      </div>
                    );
                  if (row.kind === 'more')
                    return (
                      <div
                        key={`more-${row.groupKey}`}
                        {...common}
                        role="treeitem"
                        aria-level={2}
                        className="row row-more nested"
                        onClick={() => activate(row)}
                        onKeyDown={(e) => onKeyDown(e, item.index, row)}
                      >
                        {row.error ? (
                          <span className="error-text">
                            {row.error.message} — press Enter to retry
                          </span>
                        ) : row.loading ? (
                          <span className="muted small">Loading…</span>
                        ) : (
                          <span className="link-like small">Show more findings</span>
                        )}
                      </div>
                    );
                  if (row.kind === 'group')
                    return (
                      <div
                        key={`g-${row.group.key}`}
                        {...common}
                        role="treeitem"
                        aria-level={1}
                        aria-expanded={row.expanded}
                        className={`row row-group ${row.expanded ? 'expanded' : ''}`}
                        data-group-key={row.group.key}
                        onClick={() => {
                          setActive(item.index);
                          activate(row);
                        }}
                        onKeyDown={(e) => onKeyDown(e, item.index, row)}
                      >
                        <GroupRow row={row} group={state.group} />
                        {state.group === 'resource' ? (
                          <button
                            type="button"
                            className="btn btn-small row-action"
                            tabIndex={item.index === active ? 0 : -1}
                            onClick={(event) => {
                              event.stopPropagation();
                              go({ resource: row.group.key, finding: null, tab: null });
                            }}
                          >
                            Resource
                          </button>
                        ) : null}
                      </div>
                    );
                  const selected = row.finding.fingerprint === selectedFinding;
                  return (
                    <div
                      key={`f-${row.finding.fingerprint}-${row.nested ? 'n' : 'f'}`}
                      {...common}
                      role="treeitem"
                      aria-level={row.nested ? 2 : 1}
                      aria-selected={selected}
                      className={`row row-finding ${row.nested ? 'nested' : ''} ${selected ? 'selected' : ''}`}
                      data-fingerprint={row.finding.fingerprint}
                      onClick={() => {
                        setActive(item.index);
                        activate(row);
                      }}
                      onKeyDown={(e) => onKeyDown(e, item.index, row)}
                    >
                      <FindingRow
                        finding={row.finding}
                        underRisk={row.nested && state.group === 'risk'}
                      />
                    </div>
                  );
                })}
              </div>
            )}
          </div>
        )}
        {list.error && list.loaded ? (
          <p className="error-text small">Could not load more: {list.error.message}</p>
        ) : null}
      </section>
      {selectedFinding ? (
        <DetectionPanel
          key={selectedFinding}
          fingerprint={selectedFinding}
          tab={state.tab}
          onTab={(tab) => go({ tab }, true)}
          onClose={closePanel}
          onOpenResource={(arn) => go({ resource: arn, finding: null, tab: null })}
        />
      ) : selectedResource ? (
        <ResourcePanel
          key={selectedResource}
          arn={selectedResource}
          tab={state.tab}
          onTab={(tab) => go({ tab }, true)}
          onClose={closePanel}
          onOpenFinding={(fingerprint) => go({ finding: fingerprint, resource: null, tab: null })}
          onOpenResource={(arn) => go({ resource: arn, finding: null, tab: null })}
        />
      ) : null}
    </main>
  );
}
