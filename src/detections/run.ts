/**
 * Runs the detection catalog over an analysed snapshot. A detection that throws is recorded
 * (with its message) and resolves nothing; the others go on.
 */
import type { AccessAnalysis } from '../graph/index.js';
import type { Principal, Snapshot } from '../model/index.js';
import { summarizePolicy } from '../policy/effective.js';
import { parsePolicy } from '../policy/parse.js';
import type { NormalizedPolicy } from '../policy/types.js';
import { DEFAULT_TRACKING, type UsageIndex } from '../usage/index.js';
import { DETECTIONS } from './registry.js';
import type {
  Detection,
  DetectionConfig,
  DetectionContext,
  DetectionResult,
  Requirement,
  ResourceRef,
} from './types.js';

/** The results of one detection. */
export interface DetectionRun {
  readonly detection: Detection;
  readonly results: readonly DetectionResult[];
  /** Resources the rule was checked on (for the score). */
  readonly checked: readonly ResourceRef[];
  /** Set when `evaluate` threw: the rule resolves nothing in this scan. */
  readonly error: string | null;
  /** Set when the rule was not run because data it requires was not given (it resolves nothing). */
  readonly skipped: string | null;
  /** How long `evaluate` ran (for the bench; not part of any output contract). */
  readonly durationMs: number;
}

const IAM_TYPES: Record<Principal['type'], string> = {
  user: 'AWS::IAM::User',
  role: 'AWS::IAM::Role',
  group: 'AWS::IAM::Group',
  root: 'AWS::IAM::Root',
};

/** A principal as a finding's resource. */
export function principalRef(principal: Principal): ResourceRef {
  return {
    arn: principal.arn,
    type: IAM_TYPES[principal.type],
    name: principal.name,
    accountId: principal.accountId,
  };
}

/** Service-linked roles and Identity Center's reserved roles: AWS manages them. */
export function isAwsOwned(principal: Principal): boolean {
  return (
    principal.type === 'role' &&
    (principal.path.startsWith('/aws-service-role/') ||
      principal.path.startsWith('/aws-reserved/') ||
      principal.name.startsWith('AWSReservedSSO_'))
  );
}

/** Builds the context detections read. */
export function buildDetectionContext(
  snapshot: Snapshot,
  access: AccessAnalysis,
  options: {
    config?: Partial<DetectionConfig>;
    asOf: string;
    /** CloudTrail usage; absent or null when none was given. */
    usage?: UsageIndex | null;
  },
): DetectionContext {
  const evaluator = access.context.evaluator;
  const ownAccounts = new Set(snapshot.accounts.map((a) => a.id));
  for (const account of snapshot.organization?.accounts ?? []) ownAccounts.add(account.id);
  if (snapshot.organization) ownAccounts.add(snapshot.organization.managementAccountId);
  const policyRefs = new Map(
    snapshot.policies.map((p) => [
      p.arn,
      {
        arn: p.arn,
        type: 'AWS::IAM::ManagedPolicy',
        name: p.name,
        accountId: p.isAwsManaged ? 'aws' : p.accountId,
      } satisfies ResourceRef,
    ]),
  );
  const iamResources: ResourceRef[] = [
    ...snapshot.principals.map(principalRef),
    ...snapshot.policies.filter((p) => !p.isAwsManaged).map((p) => policyRefs.get(p.arn)!),
  ];
  const own = new Map<Principal, { policy: NormalizedPolicy; ref: ResourceRef }[]>();
  return {
    snapshot,
    access,
    asOf: options.asOf,
    usage: options.usage ?? null,
    config: {
      trustedAccounts: new Set(options.config?.trustedAccounts ?? []),
      tracking: options.config?.tracking ?? DEFAULT_TRACKING,
    },
    ownAccounts,
    iamResources,
    policies: {
      managed: (arn) => evaluator.managedPolicy(arn),
      own(principal) {
        let list = own.get(principal);
        if (!list) {
          list = [
            ...principal.inlinePolicies.map((inline) => ({
              policy: parsePolicy(inline.document, {
                id: `${principal.arn}#${inline.name}`,
                kind: 'identity',
              }),
              ref: principalRef(principal),
            })),
            ...principal.attachedPolicies.flatMap((attachment) => {
              const policy = evaluator.managedPolicy(attachment.policyArn);
              const ref = policyRefs.get(attachment.policyArn);
              return policy && ref ? [{ policy, ref }] : [];
            }),
          ];
          own.set(principal, list);
        }
        return list;
      },
      summary: summarizePolicy,
    },
    isAwsOwned,
    refOf: principalRef,
  };
}

/** The resources a rule applies to, by type (IAM entities and policies, then snapshot resources). */
function checkedBy(
  detection: Detection,
  ctx: DetectionContext,
  known: Map<string, readonly ResourceRef[]>,
): readonly ResourceRef[] {
  // Rules share a handful of type lists: each list is built once per scan.
  const key = [...detection.appliesTo].sort().join(',');
  let refs = known.get(key);
  if (!refs) {
    const types = new Set(detection.appliesTo);
    const list = ctx.iamResources.filter((r) => types.has(r.type));
    for (const resource of ctx.snapshot.resources) {
      if (types.has(resource.type))
        list.push({
          arn: resource.arn,
          type: resource.type,
          name: resource.name,
          accountId: resource.accountId,
          region: resource.region,
        });
    }
    refs = list;
    known.set(key, refs);
  }
  return refs;
}

/** Whether data of a kind a rule may need instead of another was given at all. */
function isGiven(requirement: Requirement, ctx: DetectionContext): boolean {
  if (requirement === 'cloudtrail') return ctx.usage !== null;
  if (requirement === 'service-last-accessed')
    return ctx.snapshot.principals.some((p) => p.serviceLastAccessed);
  // The other kinds are judged per account by the gaps (src/findings/score.ts).
  return true;
}

/** Why a detection cannot run on this context (data it requires was not given), or null. */
export function skipReasonOf(detection: Detection, ctx: DetectionContext): string | null {
  if (detection.requires.includes('cloudtrail') && ctx.usage === null)
    return 'no CloudTrail usage was given';
  if (detection.requiresOneOf?.length) {
    const given = detection.requiresOneOf.filter((requirement) => isGiven(requirement, ctx));
    if (given.length === 0) return `none of ${detection.requiresOneOf.join(', ')} was given`;
  }
  return null;
}

/**
 * Runs every detection (or the given ones) and returns their results, errors included. A
 * detection whose required data was not given is not run (`skipped`): it checks nothing.
 */
export function runDetections(
  ctx: DetectionContext,
  detections: readonly Detection[] = DETECTIONS,
): DetectionRun[] {
  const known = new Map<string, readonly ResourceRef[]>();
  return detections.map((detection) => {
    const skipped = skipReasonOf(detection, ctx);
    if (skipped !== null)
      return { detection, results: [], checked: [], error: null, skipped, durationMs: 0 };
    const checked = checkedBy(detection, ctx, known);
    const started = performance.now();
    try {
      const results = detection.evaluate(ctx);
      const durationMs = performance.now() - started;
      return { detection, results, checked, error: null, skipped: null, durationMs };
    } catch (error) {
      // Recorded on the scan; the rule resolves nothing this time (DESIGN.md §3.5).
      return {
        detection,
        results: [],
        checked,
        error: error instanceof Error ? error.message : String(error),
        skipped: null,
        durationMs: performance.now() - started,
      };
    }
  });
}
