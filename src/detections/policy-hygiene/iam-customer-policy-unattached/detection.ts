/**
 * UNU-08: a customer managed policy attached to nothing (AttachmentCount 0) and used as no
 * permissions boundary. Low; medium when the policy by itself would make its holder an
 * administrator or give it a privilege-escalation permission set (every permission of an
 * escalation technique but plain sts:AssumeRole allowed on every resource): a foothold for
 * CreatePolicyVersion / attach paths. Policies whose attachment count is unknown are not flagged.
 */
import { actionIndex } from '../../../catalog/index.js';
import { TECHNIQUES } from '../../../graph/index.js';
import { summarizePolicy } from '../../../policy/effective.js';
import type { NormalizedPolicy } from '../../../policy/types.js';
import {
  boundariesOf,
  grantsEverything,
  managedPolicyRef,
} from '../../shared/policy-hygiene-policies.js';
import type { Detection, DetectionResult } from '../../types.js';

/** What the policy grants on every resource, alone: admin, and the techniques it enables. */
function privilegeOf(policy: NormalizedPolicy): { admin: boolean; techniques: string[] } {
  const summary = summarizePolicy(policy);
  const everywhere = summary.allowEverywhereIfConditions.difference(summary.denyEverywhere);
  const admin = grantsEverything(policy);
  // Plain sts:AssumeRole (sts-001) is left out, as PE-02 does: the role's trust decides it.
  const techniques = TECHNIQUES.filter(
    (t) =>
      t.id !== 'sts-001' &&
      t.permissions.every((p) => {
        const bit = actionIndex(p.action);
        return bit !== undefined && everywhere.has(bit);
      }),
  ).map((t) => t.id);
  return { admin, techniques };
}

export const detection: Detection = {
  id: 'iam-customer-policy-unattached',
  anchor: 'UNU-08',
  version: 1,
  title: 'Unattached customer managed policy',
  severity: 'low',
  category: 'policy-hygiene',
  description:
    'A customer managed policy is attached to no user, group or role and is no permissions boundary. Medium when it grants administrator access or a privilege-escalation permission set.',
  risk: 'An unused policy is clutter that nobody reviews; a privileged one is a ready-made grant for anyone able to attach policies or create policy versions.',
  remediation:
    'Delete the policy (after checking no template or pipeline still attaches it), or reduce it to what is needed before it is used again.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-delete.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#remove-credentials',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::ManagedPolicy'],
  evaluate(ctx) {
    const referenced = new Set<string>(boundariesOf(ctx.snapshot));
    for (const p of ctx.snapshot.principals)
      for (const a of p.attachedPolicies) referenced.add(a.policyArn);
    const results: DetectionResult[] = [];
    for (const managed of ctx.snapshot.policies) {
      if (managed.isAwsManaged || managed.attachmentCount !== 0) continue;
      if ((managed.permissionsBoundaryUsageCount ?? 0) > 0 || referenced.has(managed.arn)) continue;
      const policy = ctx.policies.managed(managed.arn);
      const { admin, techniques } = policy ? privilegeOf(policy) : { admin: false, techniques: [] };
      const privileged = admin || techniques.length > 0;
      results.push({
        resource: managedPolicyRef(managed),
        severity: privileged ? 'medium' : 'low',
        message: admin
          ? `Customer managed policy ${managed.name} is attached to nothing but grants full administrator access: a ready-made grant for whoever can attach it.`
          : privileged
            ? `Customer managed policy ${managed.name} is attached to nothing but grants privilege-escalation permissions (${techniques.slice(0, 3).join(', ')}${techniques.length > 3 ? ', …' : ''}).`
            : `Customer managed policy ${managed.name} is attached to no user, group or role and is no permissions boundary.`,
        evidence: {
          attachmentCount: managed.attachmentCount,
          permissionsBoundaryUsageCount: managed.permissionsBoundaryUsageCount,
          defaultVersionId: managed.defaultVersionId,
          grantsAdmin: admin,
          escalationTechniques: techniques.slice(0, 20),
        },
      });
    }
    return results;
  },
};
