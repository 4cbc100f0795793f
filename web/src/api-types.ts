/**
 * The shapes the UI reads from /api (the contract of docs/briefs; the server's zod schemas in
 * src/server/api-schema.ts are the source of truth once merged).
 */
import type {
  GroupCount,
  ScanSummary,
  ScorePoint,
  StoredFinding,
  StoredMute,
  TimelineEvent,
} from '../../src/store/types.ts';
import type { Insights } from '../../src/usage/insights.ts';
import type { SuggestedPolicy } from '../../src/usage/suggest-policy.ts';

export type { GroupCount, ScanSummary, ScorePoint, StoredFinding, StoredMute, TimelineEvent };
export type { Insights, SuggestedPolicy };

export type Severity = StoredFinding['severity'];
export type Status = StoredFinding['status'];

export interface Score {
  readonly value: number;
  readonly earned: number;
  readonly possible: number;
  readonly asOf?: string;
}

export interface Overview {
  readonly latestScan: ScanSummary | null;
  readonly score: Score | null;
  readonly trend: readonly ScorePoint[];
  readonly bySeverity: readonly { readonly severity: Severity; readonly count: number }[];
  readonly byRule: readonly {
    readonly ruleId: string;
    readonly anchor: string;
    readonly title: string;
    readonly severity: Severity;
    readonly count: number;
  }[];
  readonly accounts: readonly {
    readonly accountId: string;
    readonly name: string | null;
    readonly score: Score | null;
    readonly open: number;
    readonly missing: readonly string[];
  }[];
  readonly totals: { readonly open: number; readonly muted: number; readonly resolved: number };
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface FacetValue {
  readonly value: string;
  readonly count: number;
  readonly label?: string | null;
}

export interface Facets {
  readonly total: number;
  readonly facets: Readonly<Record<FacetName, readonly FacetValue[]>>;
}

export type FacetName = 'status' | 'severity' | 'account' | 'resourceType' | 'rule';

export interface Detection {
  readonly id: string;
  readonly anchor: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: string;
  readonly description: string;
  readonly risk: string;
  readonly remediation: string;
  readonly references: readonly string[];
}

export interface FindingDetail {
  readonly finding: StoredFinding;
  readonly events: readonly TimelineEvent[];
  readonly lastSeen: { readonly scanId: number; readonly at: string };
  readonly detection: Detection | null;
}

export interface MuteResult {
  readonly mute: StoredMute;
  readonly applied: number;
  readonly score: Score;
}

export interface UnmuteResult {
  readonly removed: readonly StoredMute[];
  readonly score: Score;
}

export type DocumentKind =
  'identity-inline' | 'identity-managed' | 'boundary' | 'trust' | 'resource' | 'scp' | 'rcp';

export interface ResourceDetail {
  readonly arn: string;
  readonly name: string;
  readonly type: string;
  readonly accountId: string;
  readonly region: string | null;
  readonly kind: 'principal' | 'resource' | 'policy';
  readonly admin: {
    readonly admin: boolean;
    readonly shadow: boolean;
    readonly conditional: boolean;
  } | null;
  readonly documents: readonly {
    readonly label: string;
    readonly kind: DocumentKind;
    readonly arn: string | null;
    readonly document: unknown;
  }[];
  readonly configuration: unknown;
  readonly openFindings: number;
}

export interface RelNode {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly accountId: string | null;
  readonly admin?: boolean;
  readonly resourceType?: string;
  readonly atRisk: boolean;
}

export interface RelEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  readonly technique?: string;
  readonly reason?: string;
  readonly conditional: boolean;
  readonly atRisk: boolean;
  readonly risk?: string;
  readonly statements?: readonly string[];
}

export interface PathStep {
  readonly from: string;
  readonly to: string;
  readonly technique: string;
  readonly reason: string;
  readonly conditional: boolean;
}

export interface Relationships {
  readonly center: string;
  readonly nodes: readonly RelNode[];
  readonly edges: readonly RelEdge[];
  readonly paths: readonly { readonly target: string; readonly steps: readonly PathStep[] }[];
  readonly truncated: boolean;
}

export interface AccessAnswer {
  readonly canAccess?: {
    readonly admin: boolean;
    readonly services: readonly {
      readonly service: string;
      readonly allowed: number;
      readonly conditional: number;
    }[];
    readonly total: number;
  };
  readonly whoCanAccess?: readonly {
    readonly principal: string;
    readonly name: string;
    readonly type: string;
    readonly accountId: string;
    readonly actions: readonly string[];
    readonly conditional: boolean;
  }[];
  readonly truncated?: boolean;
}

export type InsightsAnswer =
  | { readonly available: true; readonly insights: Insights; readonly suggestion: SuggestedPolicy }
  | { readonly available: false; readonly reason: string };
