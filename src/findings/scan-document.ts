import { z } from 'zod';
import type { AccessAnalysis } from '../graph/index.js';
import type { ScanAnalysis } from './analyze.js';
import type { Gap, Principal, Snapshot } from '../model/index.js';

/** The schema id of `scan --format json`; bump it when the document changes incompatibly. */
export const SCAN_SCHEMA_ID = 'iamsight.scan/v1';

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);

const escalationStep = z.object({
  from: z.string(),
  to: z.string(),
  technique: z.string(),
  permissions: z.array(z.string()),
  /** Additions within v1 (optional for readers of older documents). */
  resources: z.array(z.string()).optional(),
  via: z.string().nullable().optional(),
  conditional: z.boolean().optional(),
  reason: z.string().optional(),
});

/** Zod schema of `iamsight.scan/v1` (DESIGN.md §3.3); consumers and tests validate with it. */
export const scanDocumentSchema = z.object({
  schema: z.literal(SCAN_SCHEMA_ID),
  generatedAt: z.iso.datetime(),
  accounts: z.array(z.object({ id: z.string().regex(/^\d{12}$/), name: z.string().nullable() })),
  score: z.object({
    value: z.number().min(0).max(100),
    earned: z.number().min(0),
    possible: z.number().min(0),
  }),
  principals: z.array(
    z.object({
      arn: z.string().startsWith('arn:'),
      type: z.enum(['user', 'role', 'group', 'root']),
      accountId: z.string().regex(/^\d{12}$/),
      name: z.string(),
      isAdmin: z.boolean(),
      escalation: z
        .object({ target: z.string(), conditional: z.boolean(), path: z.array(escalationStep) })
        .nullable(),
    }),
  ),
  findings: z.array(
    z.object({
      fingerprint: z.string(),
      ruleId: z.string(),
      /** The anchors.md catalog id (addition within v1). */
      anchor: z.string().optional(),
      ruleVersion: z.number(),
      title: z.string(),
      severity,
      category: z.string(),
      resource: z.object({
        arn: z.string(),
        type: z.string(),
        name: z.string(),
        accountId: z.string(),
      }),
      message: z.string(),
      evidence: z.record(z.string(), z.unknown()),
      remediation: z.object({ text: z.string(), consoleUrl: z.string().nullable() }),
      status: z.enum(['open', 'resolved', 'muted']),
      mute: z.object({ reason: z.string(), until: z.string().nullable() }).nullable().optional(),
    }),
  ),
  gaps: z.array(
    z.object({
      source: z.string(),
      detail: z.string(),
      accountId: z.string().nullable(),
      region: z.string().nullable(),
    }),
  ),
});

/** A `scan --format json` document. */
export type ScanDocument = z.infer<typeof scanDocumentSchema>;

export interface ScanDocumentOptions {
  /** The evaluation time (`--as-of`), ISO-8601. */
  readonly generatedAt: string;
  /** Admin classification and escalation paths (src/graph); absent: reported as a gap. */
  readonly access?: AccessAnalysis;
  /** Detections, findings and score; absent: reported as a gap. */
  readonly analysis?: ScanAnalysis;
  /** Gaps added by the analysis (e.g. a stage that did not run). */
  readonly analysisGaps?: readonly Gap[];
}

function principalEntry(
  principal: Principal,
  access: AccessAnalysis | undefined,
): ScanDocument['principals'][number] {
  const escalation = access?.escalations.get(principal.arn);
  return {
    arn: principal.arn,
    type: principal.type,
    accountId: principal.accountId,
    name: principal.name,
    isAdmin: access?.status.get(principal.arn)?.admin ?? false,
    escalation: escalation
      ? {
          target: escalation.target,
          conditional: escalation.conditional,
          path: escalation.path.map((step) => ({
            from: step.from,
            to: step.to,
            technique: step.technique,
            permissions: [...step.permissions],
            resources: [...step.resources],
            via: step.via,
            conditional: step.conditional,
            reason: step.reason,
          })),
        }
      : null,
  };
}

const DETECTIONS_NOT_EVALUATED: Gap = {
  source: 'analysis:detections',
  accountId: null,
  region: null,
  detail: 'detections were not evaluated',
};

const ACCESS_NOT_EVALUATED: Gap = {
  source: 'analysis:admin',
  accountId: null,
  region: null,
  detail: 'admin classification and escalation paths were not evaluated',
};

/** Builds the `iamsight.scan/v1` document of a snapshot (inventory; findings come from detections). */
export function buildScanDocument(snapshot: Snapshot, options: ScanDocumentOptions): ScanDocument {
  const access = options.analysis?.access ?? options.access;
  const gaps = [
    ...snapshot.gaps,
    ...(options.analysis
      ? options.analysis.gaps
      : [...(access ? access.gaps : [ACCESS_NOT_EVALUATED]), DETECTIONS_NOT_EVALUATED]),
    ...(options.analysisGaps ?? []),
  ];
  const analysis = options.analysis;
  return {
    schema: SCAN_SCHEMA_ID,
    generatedAt: options.generatedAt,
    accounts: snapshot.accounts.map((account) => ({ id: account.id, name: account.name })),
    // Without detections nothing is earned out of nothing possible: 100 by the definition's
    // convention (nothing failed), and a gap says why.
    score: analysis
      ? {
          value: analysis.score.value,
          earned: analysis.score.earned,
          possible: analysis.score.possible,
        }
      : { value: 100, earned: 0, possible: 0 },
    principals: snapshot.principals.map((p) => principalEntry(p, access)),
    findings: (analysis?.findings ?? []).map((f) => ({
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      anchor: f.anchor,
      ruleVersion: f.ruleVersion,
      title: f.title,
      severity: f.severity,
      category: f.category,
      resource: {
        arn: f.resource.arn,
        type: f.resource.type,
        name: f.resource.name,
        accountId: f.resource.accountId,
      },
      message: f.message,
      evidence: { ...f.evidence },
      remediation: { ...f.remediation },
      status: f.status,
      mute: f.mute,
    })),
    gaps: gaps.map((gap) => ({
      source: gap.source,
      detail: gap.detail,
      accountId: gap.accountId,
      region: gap.region,
    })),
  };
}
