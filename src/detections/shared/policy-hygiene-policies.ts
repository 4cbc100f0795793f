/**
 * The policies a customer writes and can fix: customer managed policies (their default version)
 * and the inline policies of users, groups and roles (not of AWS-owned roles). Each comes with the
 * finding's resource: the managed policy itself, or the principal holding the inline policy with
 * `{ policyName }` as identity. Also: a policy evaluated on its own by the engine.
 */
import { loadCatalog } from '../../catalog/index.js';
import type { ManagedPolicy, Principal, Snapshot } from '../../model/index.js';
import { summarizePolicy } from '../../policy/effective.js';
import { evaluateRequest, type EvaluationResult } from '../../policy/evaluate.js';
import type { CallerIdentity } from '../../policy/match-principal.js';
import { parsePolicy } from '../../policy/parse.js';
import { buildRequestContext } from '../../policy/request-context.js';
import type { NormalizedPolicy, NormalizedStatement, StatementRef } from '../../policy/types.js';
import type { DetectionContext, DetectionResult, ResourceRef } from '../types.js';

/** A customer-written policy and where a finding about it goes. */
export interface CustomerPolicy {
  readonly policy: NormalizedPolicy;
  readonly resource: ResourceRef;
  /** `{ policyName }` for inline policies; absent for managed policies. */
  readonly identity?: Readonly<Record<string, string>>;
  /** How a message names it: `customer managed policy x`, `inline policy y of role z`. */
  readonly label: string;
  /** The account whose requests it governs. */
  readonly accountId: string;
  /** The managed policy, for managed ones. */
  readonly managed: ManagedPolicy | null;
  /** The principal holding it, for inline ones. */
  readonly holder: Principal | null;
}

/**
 * Whether a managed policy serves only as a permissions boundary (attached to nothing, set as a
 * boundary): it then grants nothing, it only caps.
 */
export function isBoundaryOnly(ctx: DetectionContext, policy: ManagedPolicy): boolean {
  if (policy.attachmentCount !== 0) return false;
  return (
    (policy.permissionsBoundaryUsageCount ?? 0) > 0 || boundariesOf(ctx.snapshot).has(policy.arn)
  );
}

const boundaryCache = new WeakMap<Snapshot, ReadonlySet<string>>();

/** The ARNs of the policies set as a permissions boundary on some principal. */
export function boundariesOf(snapshot: Snapshot): ReadonlySet<string> {
  let set = boundaryCache.get(snapshot);
  if (!set) {
    set = new Set(
      snapshot.principals.flatMap((p) =>
        p.permissionsBoundaryArn ? [p.permissionsBoundaryArn] : [],
      ),
    );
    boundaryCache.set(snapshot, set);
  }
  return set;
}

/** Whether a policy by itself allows every action on every resource (possibly under conditions). */
export function grantsEverything(policy: NormalizedPolicy): boolean {
  const summary = summarizePolicy(policy);
  return (
    summary.allowEverywhereIfConditions.difference(summary.denyEverywhere).count() ===
    loadCatalog().actionCount
  );
}

/** The finding's resource for a customer managed policy. */
export function managedPolicyRef(policy: ManagedPolicy): ResourceRef {
  return {
    arn: policy.arn,
    type: 'AWS::IAM::ManagedPolicy',
    name: policy.name,
    accountId: policy.accountId,
  };
}

/** Every customer managed policy (default version) and every inline policy, in snapshot order. */
export function customerPolicies(ctx: DetectionContext): CustomerPolicy[] {
  const out: CustomerPolicy[] = [];
  for (const managed of ctx.snapshot.policies) {
    if (managed.isAwsManaged) continue;
    const policy = ctx.policies.managed(managed.arn);
    if (!policy) continue;
    out.push({
      policy,
      resource: managedPolicyRef(managed),
      label: `customer managed policy ${managed.name}`,
      accountId: managed.accountId,
      managed,
      holder: null,
    });
  }
  for (const principal of ctx.snapshot.principals) {
    if (principal.inlinePolicies.length === 0 || ctx.isAwsOwned(principal)) continue;
    for (const inline of principal.inlinePolicies) {
      out.push({
        policy: parsePolicy(inline.document, {
          id: `${principal.arn}#${inline.name}`,
          kind: 'identity',
        }),
        resource: ctx.refOf(principal),
        identity: { policyName: inline.name },
        label: `inline policy ${inline.name} of ${principal.type} ${principal.name}`,
        accountId: principal.accountId,
        managed: null,
        holder: principal,
      });
    }
  }
  return out;
}

/** A finding about a customer policy: resource and identity filled in. */
export function policyResult(
  entry: CustomerPolicy,
  result: Omit<DetectionResult, 'resource' | 'identity'>,
): DetectionResult {
  return {
    resource: entry.resource,
    ...(entry.identity ? { identity: entry.identity } : {}),
    ...result,
  };
}

/** A statement of a policy as evidence. */
export function statementRef(
  policy: NormalizedPolicy,
  statement: NormalizedStatement,
): StatementRef {
  return {
    policyId: policy.id,
    policyKind: policy.kind,
    sid: statement.sid,
    statementIndex: statement.index,
    effect: statement.effect,
  };
}

/** The partition of an ARN (`aws` when it has none). */
export function partitionOf(arn: string): string {
  return /^arn:([\w-]+):/.exec(arn)?.[1] ?? 'aws';
}

/**
 * Evaluates a request made by a hypothetical IAM user of `accountId` that holds only `policy`, in
 * discovery mode: what the policy itself allows, under the guardrails given (the account's SCPs,
 * the holder's permissions boundary) and no resource policy.
 */
export function evaluatePolicyAlone(
  policy: NormalizedPolicy,
  accountId: string,
  action: string,
  resource: string,
  options: {
    readonly partition?: string;
    readonly boundary?: NormalizedPolicy | null;
    readonly scpLevels?: readonly (readonly NormalizedPolicy[])[];
  } = {},
): EvaluationResult {
  const caller: CallerIdentity = {
    arn: `arn:${options.partition ?? 'aws'}:iam::${accountId}:user/iamsight-policy-holder`,
    accountId,
    type: 'user',
  };
  return evaluateRequest({
    caller,
    action,
    resource,
    resourceAccount: accountId,
    context: buildRequestContext({ caller, resourceAccount: accountId }),
    mode: 'discovery',
    identityPolicies: [policy],
    permissionBoundary: options.boundary ?? null,
    scpLevels: options.scpLevels ?? [],
  });
}

/**
 * The guardrails every holder of a customer policy is under: the SCPs of its account and, for an
 * inline policy of a user or role, that principal's permissions boundary.
 */
export function guardrailsOf(
  ctx: DetectionContext,
  entry: CustomerPolicy,
): {
  boundary: NormalizedPolicy | null;
  scpLevels: readonly (readonly NormalizedPolicy[])[];
} {
  const evaluator = ctx.access.context.evaluator;
  const boundaryArn = entry.holder?.permissionsBoundaryArn ?? null;
  return {
    boundary: boundaryArn ? evaluator.managedPolicy(boundaryArn, 'boundary') : null,
    scpLevels: evaluator.guardrailLevels(entry.accountId, 'SERVICE_CONTROL_POLICY'),
  };
}
