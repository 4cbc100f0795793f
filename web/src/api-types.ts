/** The shapes the UI reads from /api: the server's own types (src/server/api-schema.ts). */
import type {
  AccessResponse,
  FacetsResponse,
  FindingDetailResponse,
  GraphEdgeView,
  GraphNodeView,
  GroupCount,
  InsightsResponse,
  LiveScore,
  MuteResponse,
  MuteScope,
  OverviewResponse,
  PathStep,
  RelationshipsResponse,
  ResourceResponse,
  ScanSummary,
  ScorePart,
  ScorePoint,
  Severity,
  StoredFinding,
  StoredMute,
  TimelineEvent,
  UnmuteResponse,
} from '../../src/server/api-schema.ts';

export type { GroupCount, PathStep, ScanSummary, ScorePoint, Severity, StoredFinding, StoredMute };
export type { MuteScope, TimelineEvent };

export type Status = StoredFinding['status'];
export type Score = ScorePart & { readonly asOf?: LiveScore['asOf'] };
export type Overview = OverviewResponse;
export type Facets = FacetsResponse;
export type FacetName = keyof FacetsResponse['facets'];
export interface FacetValue {
  readonly value: string;
  readonly count: number;
  readonly label?: string;
}
export type FindingDetail = FindingDetailResponse;
export type MuteResult = MuteResponse;
export type UnmuteResult = UnmuteResponse;
export type ResourceDetail = ResourceResponse;
export type Relationships = RelationshipsResponse;
export type RelNode = GraphNodeView;
export type RelEdge = GraphEdgeView;
export type AccessAnswer = AccessResponse;
export type InsightsAnswer = InsightsResponse;

/** A keyset page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}
