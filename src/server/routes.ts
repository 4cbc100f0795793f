/**
 * The API's routes (./api-schema.ts API_ROUTES): findings, scores, mutes and scans from the store;
 * resources from the in-memory analysis. Parameters are parsed with the schemas (400 naming the
 * parameter); answers are built to the response schemas.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { DETECTIONS } from '../detections/registry.js';
import type { Requirement } from '../detections/types.js';
import {
  isStoreError,
  type FindingFilter,
  type GroupBy,
  type LiveScore,
  type Store,
} from '../store/index.js';
import type { AnalysisProvider, LoadedAnalysis } from './analysis.js';
import {
  arnQuerySchema,
  facetsQuerySchema,
  findingsQuerySchema,
  fingerprintParamsSchema,
  groupsQuerySchema,
  muteRequestSchema,
  relationshipsQuerySchema,
  scansQuerySchema,
  SEVERITIES,
  unmuteRequestSchema,
  type FacetsResponse,
  type FindingDetailResponse,
  type HealthResponse,
  type OverviewResponse,
} from './api-schema.js';
import { ApiProblem, VERSION } from './problem.js';
import { accessOf, describeResource, insightsOf, relationshipsOf } from './resource-view.js';

const RULES = new Map(DETECTIONS.map((d) => [d.id, d]));

/**
 * The kinds of data missing for an account that leave some rule unjudged there: a kind that is only
 * one of a rule's alternatives (`requiresOneOf`) counts only when every alternative is missing.
 */
function effectivelyMissing(missing: readonly Requirement[]): Requirement[] {
  return missing.filter((kind) =>
    DETECTIONS.some(
      (d) =>
        d.requires.includes(kind) ||
        (d.requiresOneOf?.includes(kind) === true &&
          d.requiresOneOf.every((alternative) => missing.includes(alternative))),
    ),
  );
}

/** Who the store records as having muted from the UI. */
const MUTED_BY = 'iamsight web UI';

/** Mutes listed at most (newest kept). */
const MAX_MUTES = 1000;
/** Timeline events listed at most (newest kept). */
const MAX_EVENTS = 2000;

interface Context {
  readonly store: Store;
  readonly analysis: AnalysisProvider;
  readonly now: () => string;
  readonly openApi: Record<string, unknown>;
}

/** Parses a part of the request with a schema; a 400 naming the parameter otherwise. */
function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: 'query' | 'body' | 'path',
): z.output<T> {
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.length > 0 ? String(issue.path[0]) : null;
  const problem =
    issue.code === 'unrecognized_keys'
      ? `unknown ${where === 'body' ? 'field' : 'parameter'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
      : issue.message;
  const subject =
    where === 'query'
      ? name
        ? `query parameter "${name}"`
        : 'query'
      : where === 'path'
        ? `path parameter "${name ?? ''}"`
        : name
          ? `body field "${issue.path.join('.')}"`
          : 'body';
  throw new ApiProblem(400, 'bad_request', `${subject}: ${problem}`);
}

/** Store errors caused by a request (a bad cursor) are the caller's; others are internal. */
async function fromStore<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isStoreError(error) && /invalid cursor/.test(error.message))
      throw new ApiProblem(400, 'bad_request', `query parameter "cursor": ${error.message}`);
    throw error;
  }
}

function filterOf(query: z.output<typeof facetsQuerySchema>): FindingFilter {
  return {
    ...(query.status ? { status: query.status } : {}),
    ...(query.severity ? { severity: query.severity } : {}),
    ...(query.account ? { accountId: query.account } : {}),
    ...(query.resourceType ? { resourceType: query.resourceType } : {}),
    ...(query.rule ? { ruleId: query.rule } : {}),
    ...(query.resource ? { resourceArn: query.resource } : {}),
    ...(query.q ? { search: query.q } : {}),
  };
}

function scoreView(score: LiveScore | null, now: string) {
  return score
    ? { value: score.value, earned: score.earned, possible: score.possible, asOf: score.asOf }
    : { value: 100, earned: 0, possible: 0, asOf: now };
}

/** The loaded analysis, or the 409 that says why there is none. */
function loadedOr409(analysis: AnalysisProvider): LoadedAnalysis {
  const state = analysis.current();
  if (state.state === 'ready') return state.loaded;
  if (state.state === 'loading')
    throw new ApiProblem(
      409,
      'not_ready',
      `the analysis is loading (${state.detail}); try again shortly`,
      {
        'retry-after': '2',
      },
    );
  throw new ApiProblem(409, 'no_snapshot', state.detail);
}

export function registerRoutes(app: FastifyInstance, ctx: Context): void {
  const { store } = ctx;
  const count = async (filter: FindingFilter, now: string): Promise<number> =>
    (await store.countFindings(filter, 'none', {}, now)).items[0]?.count ?? 0;

  app.get('/api/health', async (): Promise<HealthResponse> => {
    const state = ctx.analysis.current();
    return {
      status: 'ok',
      version: VERSION,
      store: { kind: store.kind },
      analysis: {
        state: state.state,
        detail: state.detail,
        asOf: state.state === 'ready' ? state.loaded.asOf : null,
        usage: state.state === 'ready' && state.loaded.analysis.usage !== null,
      },
    };
  });

  app.get('/api/docs', async () => ctx.openApi);

  app.get('/api/overview', async (): Promise<OverviewResponse> => {
    const now = ctx.now();
    const [scans, live, trend, severities, rules, accounts] = await Promise.all([
      store.listScans({ limit: 1 }),
      store.currentScore(now),
      store.scoreHistory({ limit: 100 }),
      store.countFindings({ status: ['open'] }, 'severity', {}, now),
      store.countFindings({ status: ['open'] }, 'risk', { limit: 20 }, now),
      store.countFindings({ status: ['open'] }, 'account', { limit: 1000 }, now),
    ]);
    const [open, muted, resolved] = await Promise.all([
      count({ status: ['open'] }, now),
      count({ status: ['muted'] }, now),
      count({ status: ['resolved'] }, now),
    ]);
    const latestScan = scans.items[0] ?? null;
    const bySeverity = new Map(severities.items.map((g) => [g.key, g.count]));
    const openByAccount = new Map(accounts.items.map((g) => [g.key, g.count]));
    const state = ctx.analysis.current();
    const names = new Map(
      state.state === 'ready' ? state.loaded.snapshot.accounts.map((a) => [a.id, a.name]) : [],
    );
    const accountIds = [
      ...new Set([...Object.keys(latestScan?.accounts ?? {}), ...openByAccount.keys()]),
    ].sort();
    return {
      latestScan: latestScan as OverviewResponse['latestScan'],
      score: scoreView(live, now),
      trend: [...trend],
      bySeverity: SEVERITIES.map((severity) => ({
        severity,
        count: bySeverity.get(severity) ?? 0,
      })),
      byRule: rules.items.map((g) => {
        const rule = RULES.get(g.key);
        return {
          ruleId: g.key,
          anchor: rule?.anchor ?? g.key,
          title: g.label ?? rule?.title ?? g.key,
          severity: rule?.severity ?? g.severity,
          count: g.count,
        };
      }),
      accounts: accountIds.map((accountId) => {
        const score = live?.byAccount[accountId];
        return {
          accountId,
          name: names.get(accountId) ?? null,
          score: score
            ? { value: score.value, earned: score.earned, possible: score.possible }
            : null,
          open: openByAccount.get(accountId) ?? 0,
          missing: effectivelyMissing(latestScan?.accounts[accountId] ?? []),
        };
      }),
      totals: { open, muted, resolved },
    };
  });

  app.get('/api/findings', async (request) => {
    const query = parse(findingsQuerySchema, request.query, 'query');
    const page = await fromStore(() =>
      store.listFindings(
        filterOf(query),
        { ...(query.limit ? { limit: query.limit } : {}), cursor: query.cursor ?? null },
        ctx.now(),
      ),
    );
    return { items: [...page.items], nextCursor: page.nextCursor };
  });

  app.get('/api/findings/groups', async (request) => {
    const query = parse(groupsQuerySchema, request.query, 'query');
    const page = await fromStore(() =>
      store.countFindings(
        filterOf(query),
        (query.groupBy ?? 'risk') as GroupBy,
        { ...(query.limit ? { limit: query.limit } : {}), cursor: query.cursor ?? null },
        ctx.now(),
      ),
    );
    return { items: [...page.items], nextCursor: page.nextCursor };
  });

  app.get('/api/findings/facets', async (request): Promise<FacetsResponse> => {
    const query = parse(facetsQuerySchema, request.query, 'query');
    const facets = await store.facetFindings(filterOf(query), ctx.now());
    return {
      total: facets.total,
      facets: {
        status: [...facets.status],
        severity: [...facets.severity],
        account: [...facets.account],
        resourceType: [...facets.resourceType],
        rule: facets.rule.map((f) => ({
          ...f,
          label: RULES.get(f.value)?.title ?? f.value,
        })),
      },
    };
  });

  const findingOr404 = async (request: FastifyRequest) => {
    const { fingerprint } = parse(fingerprintParamsSchema, request.params, 'path');
    const history = await store.findingHistory(fingerprint, ctx.now());
    if (!history) throw new ApiProblem(404, 'not_found', `no finding ${fingerprint} in the store`);
    return history;
  };

  app.get('/api/findings/:fingerprint', async (request): Promise<FindingDetailResponse> => {
    const history = await findingOr404(request);
    const rule = RULES.get(history.finding.ruleId);
    return {
      finding: history.finding,
      events: [...history.events].slice(-MAX_EVENTS),
      lastSeen: history.lastSeen,
      detection: rule
        ? {
            id: rule.id,
            anchor: rule.anchor,
            title: rule.title,
            severity: rule.severity,
            category: rule.category,
            description: rule.description,
            risk: rule.risk,
            remediation: rule.remediation,
            references: [...rule.references],
          }
        : null,
    };
  });

  app.post('/api/findings/:fingerprint/mute', async (request) => {
    const body = parse(muteRequestSchema, request.body, 'body');
    const history = await findingOr404(request);
    const now = ctx.now();
    if (body.until !== undefined && Date.parse(body.until) <= Date.parse(now))
      throw new ApiProblem(400, 'bad_request', 'body field "until": must be in the future');
    const { finding } = history;
    const scope = body.scope ?? 'finding';
    const target =
      scope === 'finding'
        ? { fingerprint: finding.fingerprint }
        : scope === 'rule-in-account'
          ? { rule: finding.ruleId, account: finding.resource.accountId }
          : { rule: finding.ruleId };
    const { mute, applied } = await store.addMute(
      {
        ...target,
        reason: body.reason,
        by: MUTED_BY,
        ...(body.until !== undefined ? { until: body.until } : {}),
      },
      now,
    );
    return { mute, applied, score: scoreView(await store.currentScore(now), now) };
  });

  app.delete('/api/findings/:fingerprint/mute', async (request) => {
    parse(unmuteRequestSchema.optional(), request.body, 'body');
    const history = await findingOr404(request);
    const now = ctx.now();
    // The finding's own stored mutes, and the stored mute (of a rule, say) that mutes it now.
    const removed = [
      ...(await store.removeMutes({ fingerprint: history.finding.fingerprint }, MUTED_BY, now)),
    ];
    const muteId = history.finding.mute?.muteId;
    if (muteId != null && !removed.some((m) => m.id === muteId))
      removed.push(...(await store.removeMutes({ id: muteId }, MUTED_BY, now)));
    return { removed, score: scoreView(await store.currentScore(now), now) };
  });

  app.get('/api/mutes', async () => ({ items: [...(await store.listMutes())].slice(-MAX_MUTES) }));

  app.get('/api/scans', async (request) => {
    const query = parse(scansQuerySchema, request.query, 'query');
    const page = await fromStore(() =>
      store.listScans({
        ...(query.limit ? { limit: query.limit } : {}),
        cursor: query.cursor ?? null,
      }),
    );
    return { items: [...page.items], nextCursor: page.nextCursor };
  });

  const notInSnapshot = (arn: string): ApiProblem =>
    new ApiProblem(404, 'not_found', `${arn} is not in the loaded snapshot`);

  app.get('/api/resource', async (request) => {
    const { arn } = parse(arnQuerySchema, request.query, 'query');
    const loaded = loadedOr409(ctx.analysis);
    const open = await count({ resourceArn: arn, status: ['open'] }, ctx.now());
    const view = describeResource(loaded, arn, open);
    if (!view) throw notInSnapshot(arn);
    return view;
  });

  app.get('/api/resource/relationships', async (request) => {
    const { arn, depth } = parse(relationshipsQuerySchema, request.query, 'query');
    const loaded = loadedOr409(ctx.analysis);
    const view = relationshipsOf(loaded, arn, depth ?? 1);
    if (!view) throw notInSnapshot(arn);
    return view;
  });

  app.get('/api/resource/timeline', async (request) => {
    const { arn } = parse(arnQuerySchema, request.query, 'query');
    const events = await store.resourceTimeline(arn);
    return { events: [...events].slice(-MAX_EVENTS) };
  });

  app.get('/api/resource/access', async (request) => {
    const { arn } = parse(arnQuerySchema, request.query, 'query');
    const view = accessOf(loadedOr409(ctx.analysis), arn);
    if (!view) throw notInSnapshot(arn);
    return view;
  });

  app.get('/api/resource/insights', async (request) => {
    const { arn } = parse(arnQuerySchema, request.query, 'query');
    const view = insightsOf(loadedOr409(ctx.analysis), arn);
    if (!view) throw notInSnapshot(arn);
    return view;
  });
}
