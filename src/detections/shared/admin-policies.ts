/**
 * The identity policies a customer wrote, one by one: customer managed policies (attached or
 * not, but not those used only as permissions boundaries, which grant nothing) and the inline
 * policies of users, roles and groups. AWS managed policies and the policies of AWS-owned roles
 * are left out: their owner cannot change them (the grants they make are judged on principals).
 */
import { loadCatalog, type ActionSet } from '../../catalog/index.js';
import type { Principal } from '../../model/index.js';
import type { NormalizedPolicy, NormalizedStatement } from '../../policy/types.js';
import type { DetectionContext, ResourceRef } from '../types.js';

/** One customer-written identity policy. */
export interface CustomerPolicy {
  readonly policy: NormalizedPolicy;
  /** The finding's resource: the managed policy, or the principal holding the inline policy. */
  readonly resource: ResourceRef;
  readonly name: string;
  readonly kind: 'managed' | 'inline';
  /** Attached to some principal (an inline policy always is). */
  readonly attached: boolean;
  /** The principals holding it (for inline: the owner). */
  readonly holders: readonly Principal[];
}

/** Every customer-written identity policy of the snapshot, managed first, in a stable order. */
export function customerPolicies(ctx: DetectionContext): CustomerPolicy[] {
  const holders = new Map<string, Principal[]>();
  const boundaries = new Set<string>();
  for (const principal of ctx.snapshot.principals) {
    for (const attachment of principal.attachedPolicies) {
      const list = holders.get(attachment.policyArn) ?? [];
      list.push(principal);
      holders.set(attachment.policyArn, list);
    }
    if (principal.permissionsBoundaryArn) boundaries.add(principal.permissionsBoundaryArn);
  }
  const out: CustomerPolicy[] = [];
  const refs = new Map(ctx.iamResources.map((r) => [r.arn, r]));
  for (const managed of [...ctx.snapshot.policies].sort((a, b) => (a.arn < b.arn ? -1 : 1))) {
    if (managed.isAwsManaged) continue;
    const using = holders.get(managed.arn) ?? [];
    const attached = using.length > 0 || (managed.attachmentCount ?? 0) > 0;
    // A boundary only caps what other policies grant.
    if (
      !attached &&
      (boundaries.has(managed.arn) || (managed.permissionsBoundaryUsageCount ?? 0) > 0)
    )
      continue;
    const policy = ctx.policies.managed(managed.arn);
    const resource = refs.get(managed.arn);
    if (!policy || !resource) continue;
    out.push({ policy, resource, name: managed.name, kind: 'managed', attached, holders: using });
  }
  for (const principal of [...ctx.snapshot.principals].sort((a, b) => (a.arn < b.arn ? -1 : 1))) {
    if (ctx.isAwsOwned(principal)) continue;
    for (const [i, inline] of principal.inlinePolicies.entries()) {
      const own = ctx.policies.own(principal)[i];
      if (!own) continue;
      out.push({
        policy: own.policy,
        resource: ctx.refOf(principal),
        name: inline.name,
        kind: 'inline',
        attached: true,
        holders: [principal],
      });
    }
  }
  return out;
}

/** Actions a policy allows on every resource (possibly under conditions), less its own unconditional denies. */
export function allowedEverywhere(ctx: DetectionContext, policy: NormalizedPolicy): ActionSet {
  const summary = ctx.policies.summary(policy);
  return summary.allowEverywhereIfConditions.difference(summary.denyEverywhere);
}

/** Whether a policy allows every action on every resource (possibly under conditions). */
export function allowsEverything(ctx: DetectionContext, policy: NormalizedPolicy): boolean {
  return allowedEverywhere(ctx, policy).count() === loadCatalog().actionCount;
}

/** A statement as evidence: where it is and what it says. */
export function statementEvidence(policy: NormalizedPolicy, statement: NormalizedStatement) {
  return {
    policyId: policy.id,
    sid: statement.sid,
    statementIndex: statement.index,
    effect: statement.effect,
    ...(statement.action
      ? { [statement.action.not ? 'notAction' : 'action']: statement.action.patterns }
      : {}),
    ...(statement.resource
      ? { [statement.resource.not ? 'notResource' : 'resource']: statement.resource.patterns }
      : {}),
    conditions: statement.conditions.map((c) => ({
      operator: c.operator,
      key: c.key,
      values: c.values,
    })),
  };
}

/** The Allow statements of a policy that cover every resource and grant some of `actions`. */
export function allowStatementsEverywhereFor(
  policy: NormalizedPolicy,
  actions: ActionSet,
): NormalizedStatement[] {
  return policy.statements.filter(
    (s) =>
      s.effect === 'Allow' &&
      (s.resource === null || (!s.resource.not && s.resource.patterns.includes('*'))) &&
      s.action !== null &&
      s.action.set.intersects(actions),
  );
}
