/**
 * The address bar is the UI's state: the page (path) and everything on it (query string: group,
 * filters, search, the open finding or resource and its tab). `useLocation` re-renders on
 * pushState/popstate, so links are shareable and the back button walks the states.
 */
import { useSyncExternalStore } from 'react';

const EVENT = 'iamsight:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

/** The current path and query string (re-renders on navigation). */
export function useLocation(): { path: string; params: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, params: url.searchParams, href };
}

/** Goes to `href` (same origin): a new history entry, or a replaced one. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (href === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(EVENT));
}

/** The explorer's state, as read from and written to the query string. */
export interface ExplorerState {
  readonly group: 'risk' | 'resource' | 'none';
  readonly status: readonly string[];
  readonly severity: readonly string[];
  readonly account: readonly string[];
  readonly resourceType: readonly string[];
  readonly rule: readonly string[];
  readonly q: string;
  /** The open detection panel (a finding's fingerprint). */
  readonly finding: string | null;
  /** The open resource panel (an ARN). */
  readonly resource: string | null;
  readonly tab: string | null;
}

export const FILTER_KEYS = ['status', 'severity', 'account', 'resourceType', 'rule'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

function listOf(params: URLSearchParams, key: string): string[] {
  return params
    .getAll(key)
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '');
}

/** Reads the explorer's state from a query string. */
export function explorerStateOf(params: URLSearchParams): ExplorerState {
  const group = params.get('group');
  return {
    group: group === 'resource' || group === 'none' ? group : 'risk',
    status: listOf(params, 'status'),
    severity: listOf(params, 'severity'),
    account: listOf(params, 'account'),
    resourceType: listOf(params, 'resourceType'),
    rule: listOf(params, 'rule'),
    q: params.get('q') ?? '',
    finding: params.get('finding'),
    resource: params.get('resource'),
    tab: params.get('tab'),
  };
}

/** The explorer URL of a state (defaults left out). */
export function explorerHref(state: Partial<ExplorerState>): string {
  const params = new URLSearchParams();
  if (state.group && state.group !== 'risk') params.set('group', state.group);
  for (const key of FILTER_KEYS) for (const v of state[key] ?? []) params.append(key, v);
  if (state.q) params.set('q', state.q);
  if (state.finding) params.set('finding', state.finding);
  if (state.resource) params.set('resource', state.resource);
  if (state.tab) params.set('tab', state.tab);
  const text = params.toString();
  return `/explorer${text ? `?${text}` : ''}`;
}

/** The filters of a state as API query parameters. */
export function filterParams(state: ExplorerState): Record<string, readonly string[] | string> {
  return {
    status: state.status,
    severity: state.severity,
    account: state.account,
    resourceType: state.resourceType,
    rule: state.rule,
    q: state.q,
  };
}
