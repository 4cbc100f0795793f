/**
 * Builders of Usage documents (src/model/usage.ts) for tests: what `iamsight usage --format json`
 * would print for a few principals, written by hand.
 */
import {
  USAGE_SCHEMA,
  type AccessKeyUsage,
  type ActionUsage,
  type PrincipalUsage,
  type RoleAssumption,
  type Usage,
  type UsagePrincipalKind,
} from '../model/index.js';

/** One action's aggregate; `at` is its last use (and first, unless `since` is given). */
export function anAction(
  action: string,
  at: string,
  options: {
    since?: string;
    count?: number;
    denied?: number;
    resources?: string[];
    truncated?: boolean;
  } = {},
): ActionUsage {
  return {
    action,
    firstSeen: options.since ?? at,
    lastSeen: at,
    count: options.count ?? 10,
    denied: options.denied ?? 0,
    resources: options.resources ?? [],
    resourcesTruncated: options.truncated ?? false,
  };
}

function kindOf(arn: string): UsagePrincipalKind {
  if (arn.endsWith(':root')) return 'root';
  if (arn.includes(':user/')) return 'user';
  if (arn.includes(':role/')) return 'role';
  if (arn.startsWith('service:')) return 'service';
  if (arn.startsWith('federated:')) return 'federated';
  return 'unknown';
}

/** A principal's aggregates: its actions, and its console sign-in when given. */
export function aPrincipal(
  arn: string,
  actions: ActionUsage[],
  options: { lastConsoleLogin?: string } = {},
): PrincipalUsage {
  const dates = [
    ...actions.flatMap((a) => [a.firstSeen, a.lastSeen]),
    ...(options.lastConsoleLogin ? [options.lastConsoleLogin] : []),
  ].sort();
  return {
    principal: arn,
    kind: kindOf(arn),
    accountId: /:(\d{12}):/.exec(arn)?.[1] ?? null,
    firstSeen: dates[0] ?? '2026-11-01T00:00:00.000Z',
    lastSeen: dates.at(-1) ?? '2026-11-01T00:00:00.000Z',
    actions: [...actions].sort((a, b) => (a.action < b.action ? -1 : 1)),
    lastConsoleLogin: options.lastConsoleLogin ?? null,
  };
}

/** A Usage document over `window` with these aggregates. */
export function aUsage(
  window: { start: string; end: string },
  parts: {
    principals?: PrincipalUsage[];
    accessKeys?: AccessKeyUsage[];
    assumptions?: RoleAssumption[];
  } = {},
): Usage {
  return {
    schema: USAGE_SCHEMA,
    window,
    principals: [...(parts.principals ?? [])].sort((a, b) => (a.principal < b.principal ? -1 : 1)),
    accessKeys: [...(parts.accessKeys ?? [])].sort((a, b) =>
      a.accessKeyId < b.accessKeyId ? -1 : 1,
    ),
    assumptions: parts.assumptions ?? [],
    stats: {
      files: 1,
      bytes: 1000,
      records: 100,
      outsideWindow: 0,
      malformedRecords: 0,
      unreadableFiles: [],
    },
  };
}
