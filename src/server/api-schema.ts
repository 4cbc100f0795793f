/**
 * The HTTP API of `iamsight serve` (issue #8): zod 4 schemas of every request and response, their
 * TypeScript types, the error shape, and the route table the OpenAPI 3.1 document at /api/docs is
 * built from. The server validates what it receives with these schemas and its tests validate what
 * it answers against the OpenAPI document; the web UI imports the types (`import type`).
 *
 * Conventions for clients (the web UI):
 * - Everything is JSON under `/api`; GET unless the route says otherwise.
 * - Errors are `{"error": {"code", "message", "requestId"?}}` ({@link ApiError}); never a stack.
 * - POST and DELETE need `Content-Type: application/json` (415 otherwise) and a body of at most
 *   16 KiB (413); send `{}` as the body of a DELETE.
 * - Token: when the server runs with IAMSIGHT_TOKEN (required on a non-loopback --host), every
 *   /api request needs `Authorization: Bearer <token>` (401 otherwise). The URL the server prints
 *   carries it in the fragment, `http://host:port/#token=…`, which browsers never send to servers
 *   or write to logs: the UI reads it from `location.hash` on load, keeps it in sessionStorage,
 *   removes it from the address bar (history.replaceState), and sends the header on each request.
 *   Static files (the UI itself) need no token: they hold no data.
 * - Lists are bounded; paginated ones return `nextCursor` (null on the last page): pass it back as
 *   `cursor`.
 * - Resource endpoints answer 409 `not_ready` (with Retry-After) while the analysis loads and 409
 *   `no_snapshot` when the server has no snapshot to analyse.
 */
import { z } from 'zod';
import { REQUIREMENTS } from '../detections/requirements.js';

// ---------------------------------------------------------------------------------------------
// Shared values

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

export const FINDING_STATUSES = ['open', 'muted', 'resolved'] as const;
export const findingStatusSchema = z.enum(FINDING_STATUSES);
export type FindingStatus = z.infer<typeof findingStatusSchema>;

export const requirementSchema = z.enum(REQUIREMENTS);

export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'not_ready',
  'no_snapshot',
  'payload_too_large',
  'unsupported_media_type',
  'internal',
] as const;
export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** Every error answer. */
export const apiErrorSchema = z
  .object({
    error: z
      .object({
        code: errorCodeSchema,
        message: z.string(),
        /** The request id (logged with the details of an internal error). */
        requestId: z.string().optional(),
      })
      .strict(),
  })
  .strict();
export type ApiError = z.infer<typeof apiErrorSchema>;

const isoTime = z.string().meta({ description: 'ISO-8601 date-time (UTC)' });
const accountIdSchema = z.string().regex(/^\d{12}$/);

export const gapSchema = z.object({
  source: z.string(),
  accountId: z.string().nullable(),
  region: z.string().nullable(),
  detail: z.string(),
});

/** A score: Σ weight × passed ÷ Σ weight over (rule, resource) pairs, 0–100, one decimal. */
export const scorePartSchema = z.object({
  value: z.number(),
  earned: z.number(),
  possible: z.number(),
});
export type ScorePart = z.infer<typeof scorePartSchema>;

/** The live score: the latest scan's score with the mutes in force at `asOf` applied. */
export const liveScoreSchema = scorePartSchema.extend({ asOf: isoTime });
export type LiveScore = z.infer<typeof liveScoreSchema>;

// ---------------------------------------------------------------------------------------------
// The store's types (src/store/types.ts), verbatim

export const scanSummarySchema = z.object({
  id: z.number().int(),
  asOf: isoTime,
  recordedAt: isoTime,
  version: z.string(),
  inputs: z.array(z.string()),
  status: z.enum(['complete', 'partial']),
  score: scorePartSchema,
  counts: z.object({
    findings: z.number().int(),
    muted: z.number().int(),
    opened: z.number().int(),
    reopened: z.number().int(),
    resolved: z.number().int(),
    unchecked: z.number().int(),
  }),
  gaps: z.array(gapSchema),
  accounts: z.record(z.string(), z.array(requirementSchema)),
  failedRules: z.array(z.string()),
});
export type ScanSummary = z.infer<typeof scanSummarySchema>;

export const storedFindingSchema = z.object({
  fingerprint: z.string(),
  ruleId: z.string(),
  anchor: z.string(),
  ruleVersion: z.number().int(),
  title: z.string(),
  severity: severitySchema,
  category: z.string(),
  resource: z.object({
    arn: z.string(),
    type: z.string(),
    name: z.string(),
    accountId: z.string(),
    region: z.string().nullable(),
  }),
  message: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  remediation: z.object({ text: z.string(), consoleUrl: z.string().nullable() }),
  status: findingStatusSchema,
  mute: z
    .object({
      reason: z.string(),
      until: z.string().nullable(),
      by: z.string().nullable(),
      muteId: z.number().int().nullable(),
    })
    .nullable(),
  firstSeen: z.object({ scanId: z.number().int(), at: isoTime }),
  since: z.object({ scanId: z.number().int(), at: isoTime }),
});
export type StoredFinding = z.infer<typeof storedFindingSchema>;

export const GROUP_BYS = [
  'risk',
  'resource',
  'account',
  'severity',
  'resourceType',
  'none',
] as const;
export const groupBySchema = z.enum(GROUP_BYS);
export type GroupBy = z.infer<typeof groupBySchema>;

export const groupCountSchema = z.object({
  /** Rule id, resource ARN, account id, severity or resource type; `all` when not grouped. */
  key: z.string(),
  count: z.number().int(),
  /** The worst severity in the group. */
  severity: severitySchema,
  /** The rule's title (risk) or the resource's name (resource). */
  label: z.string().nullable(),
  resourceType: z.string().nullable(),
  accountId: z.string().nullable(),
});
export type GroupCount = z.infer<typeof groupCountSchema>;

export const TIMELINE_KINDS = [
  'opened',
  'seen',
  'resolved',
  'reopened',
  'muted',
  'unmuted',
  'unchecked',
] as const;

export const timelineEventSchema = z.object({
  scanId: z.number().int(),
  at: isoTime,
  kind: z.enum(TIMELINE_KINDS),
  fingerprint: z.string(),
  ruleId: z.string(),
  title: z.string(),
  severity: severitySchema,
  resourceArn: z.string(),
  /** The mute's reason for `muted`. */
  detail: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const scorePointSchema = z.object({
  scanId: z.number().int(),
  at: isoTime,
  value: z.number(),
  earned: z.number(),
  possible: z.number(),
});
export type ScorePoint = z.infer<typeof scorePointSchema>;

export const storedMuteSchema = z.object({
  id: z.number().int(),
  fingerprint: z.string().nullable(),
  rule: z.string().nullable(),
  arn: z.string().nullable(),
  account: z.string().nullable(),
  reason: z.string(),
  by: z.string(),
  createdAt: isoTime,
  until: z.string().nullable(),
  removedAt: z.string().nullable(),
  removedBy: z.string().nullable(),
});
export type StoredMute = z.infer<typeof storedMuteSchema>;

// ---------------------------------------------------------------------------------------------
// Query parameters: repeatable (`?severity=high&severity=critical`) or comma-separated.

const MAX_QUERY_VALUES = 50;

/** A list parameter: one or more values, repeated or comma-separated. */
function listOf<T extends z.ZodType<string, string>>(item: T, description: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .meta({ description: `${description} (repeat the parameter or separate values by commas)` })
    .transform((value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    )
    .pipe(z.array(item).max(MAX_QUERY_VALUES));
}

/** A text parameter given once (a repeated one is an error naming it). */
function text(min: number, max: number, description: string) {
  return z.string().min(min).max(max).meta({ description });
}

const limitSchema = z
  .string()
  .regex(/^\d{1,4}$/, 'a whole number from 1 to 1000')
  .meta({ description: 'page size, 1–1000 (default 100)' })
  .transform(Number)
  .pipe(z.number().int().min(1, 'at least 1').max(1000, 'at most 1000'))
  .optional();
const cursorSchema = text(1, 500, 'the nextCursor of the previous page').optional();

/** The filters shared by the findings endpoints. */
export const findingFiltersQuerySchema = z.object({
  status: listOf(findingStatusSchema, 'open, muted, resolved').optional(),
  severity: listOf(severitySchema, 'critical, high, medium, low, info').optional(),
  account: listOf(accountIdSchema, '12-digit account ids').optional(),
  resourceType: listOf(z.string().min(1).max(200), 'resource types (AWS::IAM::Role)').optional(),
  rule: listOf(z.string().min(1).max(200), 'detection ids or catalog ids (TRU-01)').optional(),
  resource: text(1, 2048, 'exact resource ARN').optional(),
  q: text(0, 200, 'free text in the resource ARN or name, or the title').optional(),
});

export const findingsQuerySchema = findingFiltersQuerySchema.extend({
  limit: limitSchema,
  cursor: cursorSchema,
});
export type FindingsQuery = z.input<typeof findingsQuerySchema>;

export const groupsQuerySchema = findingsQuerySchema.extend({
  groupBy: groupBySchema.optional(),
});
export type GroupsQuery = z.input<typeof groupsQuerySchema>;

export const facetsQuerySchema = findingFiltersQuerySchema;

export const scansQuerySchema = z.object({ limit: limitSchema, cursor: cursorSchema });

export const arnQuerySchema = z.object({
  arn: text(1, 2048, 'the ARN of a principal, policy or resource'),
});

export const relationshipsQuerySchema = arnQuerySchema.extend({
  depth: z
    .enum(['1', '2'])
    .meta({ description: 'hops from the resource (default 1)' })
    .transform(Number)
    .optional(),
});

export const fingerprintParamsSchema = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{8,64}$/, 'a finding fingerprint (hex digits)'),
});

// ---------------------------------------------------------------------------------------------
// Request bodies

/** What a mute made from the UI covers. */
export const MUTE_SCOPES = ['finding', 'rule-in-account', 'rule'] as const;
export type MuteScope = (typeof MUTE_SCOPES)[number];

export const muteRequestSchema = z
  .object({
    reason: z.string().trim().min(1).max(500),
    /**
     * What the mute covers: this finding (default), every finding of its rule in the resource's
     * account, or every finding of its rule (stored as a rule mute, like `iamsight mute --rule`).
     */
    scope: z.enum(MUTE_SCOPES).optional(),
    /** ISO date or date-time in the future; the mute ends then. */
    until: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
  })
  .strict();
export type MuteRequest = z.infer<typeof muteRequestSchema>;

/** The body of DELETE /api/findings/{fingerprint}/mute: `{}`. */
export const unmuteRequestSchema = z.object({}).strict();

// ---------------------------------------------------------------------------------------------
// Responses

export const ANALYSIS_STATES = ['ready', 'loading', 'none', 'failed'] as const;

export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  store: z.object({ kind: z.enum(['sqlite', 'postgres']) }),
  analysis: z.object({
    state: z.enum(ANALYSIS_STATES),
    /** What is loaded (snapshot, as of), what is loading, or why there is none and how to fix it. */
    detail: z.string(),
    /** The analysed snapshot's time, when ready. */
    asOf: isoTime.nullable(),
    /** Whether the analysis has CloudTrail usage (Insights available). */
    usage: z.boolean(),
  }),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

export const overviewResponseSchema = z.object({
  latestScan: scanSummarySchema.nullable(),
  score: liveScoreSchema,
  trend: z.array(scorePointSchema),
  bySeverity: z.array(z.object({ severity: severitySchema, count: z.number().int() })),
  byRule: z.array(
    z.object({
      ruleId: z.string(),
      anchor: z.string(),
      title: z.string(),
      severity: severitySchema,
      count: z.number().int(),
    }),
  ),
  accounts: z.array(
    z.object({
      accountId: z.string(),
      name: z.string().nullable(),
      /** The account's live score; null when the latest scan scored nothing there. */
      score: scorePartSchema.nullable(),
      open: z.number().int(),
      missing: z.array(requirementSchema),
    }),
  ),
  totals: z.object({
    open: z.number().int(),
    muted: z.number().int(),
    resolved: z.number().int(),
  }),
});
export type OverviewResponse = z.infer<typeof overviewResponseSchema>;

export const findingsResponseSchema = z.object({
  items: z.array(storedFindingSchema),
  nextCursor: z.string().nullable(),
});
export type FindingsResponse = z.infer<typeof findingsResponseSchema>;

export const groupsResponseSchema = z.object({
  items: z.array(groupCountSchema),
  nextCursor: z.string().nullable(),
});
export type GroupsResponse = z.infer<typeof groupsResponseSchema>;

const facetValueSchema = z.object({ value: z.string(), count: z.number().int() });
export const facetsResponseSchema = z.object({
  /** Findings matching every filter. */
  total: z.number().int(),
  facets: z.object({
    status: z.array(facetValueSchema),
    severity: z.array(facetValueSchema),
    account: z.array(facetValueSchema),
    resourceType: z.array(facetValueSchema),
    rule: z.array(facetValueSchema.extend({ label: z.string() })),
  }),
});
export type FacetsResponse = z.infer<typeof facetsResponseSchema>;

export const detectionInfoSchema = z.object({
  id: z.string(),
  anchor: z.string(),
  title: z.string(),
  severity: severitySchema,
  category: z.string(),
  description: z.string(),
  risk: z.string(),
  remediation: z.string(),
  references: z.array(z.string()),
});
export type DetectionInfo = z.infer<typeof detectionInfoSchema>;

export const findingDetailResponseSchema = z.object({
  finding: storedFindingSchema,
  events: z.array(timelineEventSchema),
  lastSeen: z.object({ scanId: z.number().int(), at: isoTime }),
  /** The rule's catalog entry; null for a rule this version no longer has. */
  detection: detectionInfoSchema.nullable(),
});
export type FindingDetailResponse = z.infer<typeof findingDetailResponseSchema>;

export const muteResponseSchema = z.object({
  mute: storedMuteSchema,
  /** Open findings the mute matches now. */
  applied: z.number().int(),
  score: liveScoreSchema,
});
export type MuteResponse = z.infer<typeof muteResponseSchema>;

export const unmuteResponseSchema = z.object({
  removed: z.array(storedMuteSchema),
  score: liveScoreSchema,
});
export type UnmuteResponse = z.infer<typeof unmuteResponseSchema>;

export const mutesResponseSchema = z.object({ items: z.array(storedMuteSchema) });
export type MutesResponse = z.infer<typeof mutesResponseSchema>;

export const scansResponseSchema = z.object({
  items: z.array(scanSummarySchema),
  nextCursor: z.string().nullable(),
});
export type ScansResponse = z.infer<typeof scansResponseSchema>;

export const DOCUMENT_KINDS = [
  'identity-inline',
  'identity-managed',
  'boundary',
  'trust',
  'resource',
  'scp',
  'rcp',
] as const;

export const resourceResponseSchema = z.object({
  arn: z.string(),
  name: z.string(),
  /** `AWS::IAM::User`, `AWS::IAM::Role`, …, `AWS::IAM::ManagedPolicy`, `AWS::Lambda::Function`, … */
  type: z.string(),
  accountId: z.string(),
  region: z.string().nullable(),
  kind: z.enum(['principal', 'resource', 'policy']),
  /** Principals: full admin, shadow admin (one self-grant away), only under conditions. */
  admin: z.object({ admin: z.boolean(), shadow: z.boolean(), conditional: z.boolean() }).nullable(),
  documents: z.array(
    z.object({
      label: z.string(),
      kind: z.enum(DOCUMENT_KINDS),
      arn: z.string().nullable(),
      document: z.record(z.string(), z.unknown()),
    }),
  ),
  /** What else the snapshot knows (tags, keys, login profile, MFA, last used, groups, members, …). */
  configuration: z.record(z.string(), z.unknown()),
  openFindings: z.number().int(),
});
export type ResourceResponse = z.infer<typeof resourceResponseSchema>;

export const NODE_KINDS = [
  'user',
  'role',
  'group',
  'root',
  'policy',
  'compute',
  'external-account',
  'provider',
  'service',
  'anyone',
] as const;
export const EDGE_KINDS = [
  'member-of',
  'attached-policy',
  'can-assume',
  'can-pass-role',
  'runs-as',
  'technique',
] as const;

export const pathStepSchema = z.object({
  from: z.string(),
  to: z.string(),
  technique: z.string(),
  reason: z.string(),
  conditional: z.boolean(),
});
export type PathStep = z.infer<typeof pathStepSchema>;

export const relationshipsResponseSchema = z.object({
  center: z.string(),
  nodes: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(NODE_KINDS),
      label: z.string(),
      accountId: z.string().nullable(),
      admin: z.boolean().optional(),
      resourceType: z.string().optional(),
      atRisk: z.boolean(),
    }),
  ),
  edges: z.array(
    z.object({
      id: z.string(),
      from: z.string(),
      to: z.string(),
      kind: z.enum(EDGE_KINDS),
      technique: z.string().optional(),
      reason: z.string().optional(),
      conditional: z.boolean(),
      atRisk: z.boolean(),
      /** Why the edge is risky, one sentence (when atRisk). */
      risk: z.string().optional(),
      /** Technique edges: the deciding Allow statements (`policyId#sid-or-index`). */
      statements: z.array(z.string()).optional(),
    }),
  ),
  /** Escalation paths starting at this principal, shortest first. */
  paths: z.array(
    z.object({ target: z.string(), conditional: z.boolean(), steps: z.array(pathStepSchema) }),
  ),
  /** True when the neighbourhood was cut to the node limit (200). */
  truncated: z.boolean(),
});
export type RelationshipsResponse = z.infer<typeof relationshipsResponseSchema>;
export type GraphNodeView = RelationshipsResponse['nodes'][number];
export type GraphEdgeView = RelationshipsResponse['edges'][number];

export const resourceTimelineResponseSchema = z.object({ events: z.array(timelineEventSchema) });
export type ResourceTimelineResponse = z.infer<typeof resourceTimelineResponseSchema>;

export const accessResponseSchema = z.union([
  z.object({
    kind: z.literal('principal'),
    canAccess: z.object({
      /** Admin: allowed every action. */
      admin: z.boolean(),
      /** Per service, actions possibly allowed, and of them those only under conditions. */
      services: z.array(
        z.object({ service: z.string(), allowed: z.number().int(), conditional: z.number().int() }),
      ),
      /** Actions possibly allowed in all. */
      total: z.number().int(),
      truncated: z.boolean(),
    }),
  }),
  z.object({
    kind: z.literal('resource'),
    /** The actions asked about (those of the resource's service the engine knows). */
    actions: z.array(z.string()),
    whoCanAccess: z.array(
      z.object({
        principal: z.string(),
        name: z.string(),
        type: z.string(),
        accountId: z.string(),
        /** Actions allowed (a sample of at most 20). */
        actions: z.array(z.string()),
        /** Allowed only if conditions hold. */
        conditional: z.boolean(),
      }),
    ),
    truncated: z.boolean(),
  }),
]);
export type AccessResponse = z.infer<typeof accessResponseSchema>;

const useEvidenceSchema = z.object({ source: z.string(), lastUsed: z.string().nullable() });
export const insightsSchema = z.object({
  schema: z.literal('iamsight.insights/v1'),
  principal: z.string(),
  type: z.string(),
  asOf: isoTime,
  trackingPeriodDays: z.number().int(),
  periodStart: isoTime,
  window: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
  coverage: z.object({ covered: z.boolean(), reason: z.string().optional() }),
  lastUse: z.object({
    latest: useEvidenceSchema.nullable(),
    sources: z.array(useEvidenceSchema),
  }),
  totals: z.object({
    granted: z.number().int(),
    used: z.number().int(),
    unused: z.number().int(),
    unknown: z.number().int(),
    unusedPercent: z.number(),
  }),
  services: z.array(
    z.object({
      service: z.string(),
      granted: z.number().int(),
      used: z.number().int(),
      unused: z.number().int(),
      unknown: z.number().int(),
      lastUsed: z.string().nullable(),
      /** Granted actions (used first); at most 200 per service (`actionsTruncated`). */
      actions: z.array(
        z.object({
          action: z.string(),
          status: z.enum(['used', 'unused', 'unknown']),
          lastUsed: z.string().nullable(),
          calls: z.number().int(),
          denied: z.number().int(),
          resources: z.array(z.string()),
          resourcesTruncated: z.boolean(),
          reason: z.string().nullable(),
        }),
      ),
      actionsTruncated: z.boolean(),
    }),
  ),
  usedNotGranted: z.array(z.string()),
});
export type InsightsView = z.infer<typeof insightsSchema>;

export const suggestedPolicySchema = z.object({
  schema: z.literal('iamsight.suggested-policy/v1'),
  principal: z.string(),
  asOf: isoTime,
  periodStart: isoTime,
  replaces: z.array(z.string()),
  documents: z.array(z.record(z.string(), z.unknown())),
  sizes: z.array(z.number().int()),
  widened: z.boolean(),
  unknownActions: z.array(z.object({ action: z.string(), reason: z.string() })),
  notes: z.array(z.string()),
  diff: z.object({
    granted: z.number().int(),
    kept: z.number().int(),
    removed: z.number().int(),
    added: z.array(z.string()),
    byService: z.array(
      z.object({
        service: z.string(),
        granted: z.number().int(),
        kept: z.number().int(),
        removed: z.number().int(),
        removedActions: z.array(z.string()).nullable(),
      }),
    ),
  }),
});
export type SuggestedPolicyView = z.infer<typeof suggestedPolicySchema>;

export const insightsResponseSchema = z.union([
  z.object({
    available: z.literal(true),
    insights: insightsSchema,
    suggestion: suggestedPolicySchema,
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type InsightsResponse = z.infer<typeof insightsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// The route table

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** One route: what the server registers and the OpenAPI document describes. */
export interface ApiRoute {
  readonly method: HttpMethod;
  /** OpenAPI-style path (`/api/findings/{fingerprint}`). */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly query?: z.ZodObject;
  readonly params?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The success status and its body. */
  readonly status: 200;
  readonly response: z.ZodType;
  /** Error statuses the route may answer besides 400, 401, 403, 413, 415 and 500. */
  readonly errors: readonly (404 | 409)[];
}

export const API_ROUTES = [
  {
    method: 'GET',
    path: '/api/health',
    operationId: 'getHealth',
    summary: 'Whether the server is up, its store, and the state of the analysis',
    status: 200,
    response: healthResponseSchema,
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/overview',
    operationId: 'getOverview',
    summary: 'Live health score, its trend, open risks by severity and rule, accounts, totals',
    status: 200,
    response: overviewResponseSchema,
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/findings',
    operationId: 'listFindings',
    summary: 'Findings matching the filters, critical first',
    query: findingsQuerySchema,
    status: 200,
    response: findingsResponseSchema,
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/findings/groups',
    operationId: 'groupFindings',
    summary: 'Counts of the findings matching the filters, grouped, largest first',
    query: groupsQuerySchema,
    status: 200,
    response: groupsResponseSchema,
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/findings/facets',
    operationId: 'findingFacets',
    summary: 'Facet counts, each counted with the other filters applied',
    query: facetsQuerySchema,
    status: 200,
    response: facetsResponseSchema,
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/findings/{fingerprint}',
    operationId: 'getFinding',
    summary: 'A finding with its timeline and its rule',
    params: fingerprintParamsSchema,
    status: 200,
    response: findingDetailResponseSchema,
    errors: [404],
  },
  {
    method: 'POST',
    path: '/api/findings/{fingerprint}/mute',
    operationId: 'muteFinding',
    summary: 'Mutes a finding with a reason (and an optional end); answers the new live score',
    params: fingerprintParamsSchema,
    body: muteRequestSchema,
    status: 200,
    response: muteResponseSchema,
    errors: [404],
  },
  {
    method: 'DELETE',
    path: '/api/findings/{fingerprint}/mute',
    operationId: 'unmuteFinding',
    summary:
      "Removes a finding's stored mutes and the stored mute that mutes it (a rule's, say); answers the new live score",
    params: fingerprintParamsSchema,
    body: unmuteRequestSchema,
    status: 200,
    response: unmuteResponseSchema,
    errors: [404],
  },
  {
    method: 'GET',
    path: '/api/mutes',
    operationId: 'listMutes',
    summary: 'Stored mutes, removed ones included',
    status: 200,
    response: mutesResponseSchema,
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/scans',
    operationId: 'listScans',
    summary: 'Recorded scans, newest first',
    query: scansQuerySchema,
    status: 200,
    response: scansResponseSchema,
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/resource',
    operationId: 'getResource',
    summary: 'A principal, policy or resource of the loaded snapshot: documents and configuration',
    query: arnQuerySchema,
    status: 200,
    response: resourceResponseSchema,
    errors: [404, 409],
  },
  {
    method: 'GET',
    path: '/api/resource/relationships',
    operationId: 'getRelationships',
    summary:
      'The neighbourhood of a resource in the access graph, at-risk edges and escalation paths',
    query: relationshipsQuerySchema,
    status: 200,
    response: relationshipsResponseSchema,
    errors: [404, 409],
  },
  {
    method: 'GET',
    path: '/api/resource/timeline',
    operationId: 'getResourceTimeline',
    summary: 'Every event of every finding on a resource, oldest first',
    query: arnQuerySchema,
    status: 200,
    response: resourceTimelineResponseSchema,
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/resource/access',
    operationId: 'getResourceAccess',
    summary: 'What a principal can access, or who can access a resource (policy engine)',
    query: arnQuerySchema,
    status: 200,
    response: accessResponseSchema,
    errors: [404, 409],
  },
  {
    method: 'GET',
    path: '/api/resource/insights',
    operationId: 'getResourceInsights',
    summary: 'Granted versus used permissions and a least-privilege policy (needs CloudTrail)',
    query: arnQuerySchema,
    status: 200,
    response: insightsResponseSchema,
    errors: [404, 409],
  },
  {
    method: 'GET',
    path: '/api/docs',
    operationId: 'getOpenApi',
    summary: 'This OpenAPI 3.1 document',
    status: 200,
    response: z.record(z.string(), z.unknown()),
    errors: [],
  },
] as const satisfies readonly ApiRoute[];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'A parameter or the body is invalid (the message names it)',
  401: 'The bearer token is missing or wrong',
  403: 'The Host header is not localhost, 127.0.0.1 or [::1] (a loopback server)',
  404: 'Not found',
  409: 'not_ready: the analysis is loading (Retry-After); no_snapshot: the server has no snapshot',
  413: 'The body is larger than 16 KiB',
  415: 'POST and DELETE need Content-Type: application/json',
  500: 'Internal error (logged with the request id)',
};

/** JSON Schema of a zod schema as an OpenAPI 3.1 document holds it. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

/** The OpenAPI 3.1 document of the API (served at /api/docs). */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorRef = { $ref: '#/components/schemas/Error' };
  for (const route of API_ROUTES as readonly ApiRoute[]) {
    const parameters: Record<string, unknown>[] = [];
    for (const [where, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (!schema) continue;
      for (const [name, field] of Object.entries(schema.shape)) {
        const optional = (field as z.ZodType).safeParse(undefined).success;
        parameters.push({
          name,
          in: where,
          required: where === 'path' || !optional,
          schema: jsonSchemaOf(field as z.ZodType, 'input'),
          ...(where === 'query' ? { style: 'form', explode: true } : {}),
        });
      }
    }
    const errors = [400, 401, 403, ...route.errors, 413, 415, 500].filter(
      (status) => route.method !== 'GET' || (status !== 413 && status !== 415),
    );
    const responses: Record<string, unknown> = {
      [route.status]: {
        description: route.summary,
        content: { 'application/json': { schema: jsonSchemaOf(route.response, 'output') } },
      },
    };
    for (const status of errors)
      responses[status] = {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: errorRef } },
      };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'iamsight API',
      version,
      description:
        'The JSON API of `iamsight serve`. With IAMSIGHT_TOKEN set, every /api request needs ' +
        '`Authorization: Bearer <token>`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: jsonSchemaOf(apiErrorSchema, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{}, { bearer: [] }],
  };
}
