/**
 * The detection contract (../shared/STYLE.md): each detection is one folder
 * `src/detections/<category>/<id>/detection.ts` exporting metadata and a pure `evaluate()`, listed
 * once in ./registry.ts. Shared code never branches on a detection id.
 */
import type { AccessAnalysis } from '../graph/index.js';
import type { Principal, Snapshot } from '../model/index.js';
import type { PolicySummary } from '../policy/effective.js';
import type { NormalizedPolicy } from '../policy/types.js';
import type { TrackingOptions, UsageIndex } from '../usage/index.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export type DetectionCategory =
  'admin' | 'escalation' | 'trust' | 'credentials' | 'exposure' | 'policy-hygiene' | 'usage';

/**
 * Data a detection needs. When the snapshot has a gap on one of them, the detection's findings
 * are not resolved by this scan (a gap never resolves a finding).
 * - `iam`: authorization details; `credential-report`; `resources`: AWS Config items;
 *   `organization`: organization data (for "external" and SCPs); `cloudtrail`: CloudTrail usage
 *   (a Usage document) covering the tracking period. A detection that requires `cloudtrail` is
 *   not run at all without usage (a gap says so), and its findings are not resolved;
 *   `service-last-accessed`: IAM's service last accessed details (Access Advisor) of the account's
 *   users and roles.
 */
export type { Requirement } from './requirements.js';
import type { Requirement } from './requirements.js';

/** What a finding is about: an IAM entity, a policy, or a resource. */
export interface ResourceRef {
  readonly arn: string;
  /** CloudFormation / AWS Config type name, e.g. `AWS::IAM::Role`. */
  readonly type: string;
  readonly name: string;
  readonly accountId: string;
  readonly region?: string | null;
}

/** What `evaluate` reports for one failing resource. */
export interface DetectionResult {
  readonly resource: ResourceRef;
  /** One sentence naming the principal (or resource) and the risk. */
  readonly message: string;
  /** Deciding statements, the escalation path, the offending trust statement, ... */
  readonly evidence: Readonly<Record<string, unknown>>;
  /**
   * Values that make this finding distinct from another of the same rule on the same resource
   * (the rule's declared identity fields), e.g. `{ keyId: 'AKIA…' }`. Part of the fingerprint.
   */
  readonly identity?: Readonly<Record<string, string>>;
  /** When the rule's severity depends on the case (anchors: "critical (medium if …)"). */
  readonly severity?: Severity;
}

/** Configuration a detection may consult (from iamsight.config.yaml). */
export interface DetectionConfig {
  /** Account ids trusted like the organization's own (vendors, partners). */
  readonly trustedAccounts: ReadonlySet<string>;
  /** The tracking period and permission-gap threshold of the unused-access detections. */
  readonly tracking: TrackingOptions;
}

/** Everything `evaluate` may read. Pure: no I/O, no clock other than `asOf`. */
export interface DetectionContext {
  readonly snapshot: Snapshot;
  readonly access: AccessAnalysis;
  readonly config: DetectionConfig;
  /** The evaluation time (ISO-8601). */
  readonly asOf: string;
  /** What CloudTrail says was used; null when no usage was given (rules needing it are not run). */
  readonly usage: UsageIndex | null;
  /** Accounts of the snapshot's organization (and of the snapshot itself): not "external". */
  readonly ownAccounts: ReadonlySet<string>;
  /** The IAM resources a rule applies to by type (users, roles, groups, policies, roots). */
  readonly iamResources: readonly ResourceRef[];
  /** Helpers over the parsed policies (shared caches). */
  readonly policies: {
    /** The parsed default version of a managed policy, or null. */
    managed(arn: string): NormalizedPolicy | null;
    /** The parsed inline and attached policies of a principal (not groups'). */
    own(
      principal: Principal,
    ): readonly { readonly policy: NormalizedPolicy; readonly ref: ResourceRef }[];
    /** Action-set summary of a parsed policy. */
    summary(policy: NormalizedPolicy): PolicySummary;
  };
  /** AWS-owned principals (service-linked roles, Identity Center reserved roles): not flagged for what their owner cannot change. */
  isAwsOwned(principal: Principal): boolean;
  refOf(principal: Principal): ResourceRef;
}

export interface DetectionMetadata {
  /** Permanent kebab-case id (`iam-role-trust-any-principal`). */
  readonly id: string;
  /** The anchors.md §B id it implements (`TRU-01`). */
  readonly anchor: string;
  /** Bumped when the trigger logic changes meaningfully. */
  readonly version: number;
  readonly title: string;
  readonly severity: Severity;
  readonly category: DetectionCategory;
  readonly description: string;
  /** Why it matters, one or two sentences. */
  readonly risk: string;
  readonly remediation: string;
  readonly references: readonly string[];
  readonly requires: readonly Requirement[];
  /**
   * Data of which at least one kind is needed: a rule that can decide from either source (e.g.
   * CloudTrail or Access Advisor). Lacking all of them is like lacking a required kind.
   */
  readonly requiresOneOf?: readonly Requirement[];
  /** Names of the identity fields of {@link DetectionResult.identity} (empty: one finding per resource). */
  readonly identityFields: readonly string[];
  /**
   * Resource types the rule is checked on, for the health score (each resource of these types
   * either passes or fails the rule). Types other than IAM ones are taken from the snapshot's
   * resources.
   */
  readonly appliesTo: readonly string[];
}

export interface Detection extends DetectionMetadata {
  evaluate(ctx: DetectionContext): readonly DetectionResult[];
}
