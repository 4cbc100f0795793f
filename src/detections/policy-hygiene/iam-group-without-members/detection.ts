/**
 * UNU-09: an IAM group with no members (no user of its account lists it).
 */
import type { GroupPrincipal, UserPrincipal } from '../../../model/index.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-group-without-members',
  anchor: 'UNU-09',
  version: 1,
  title: 'IAM group with no members',
  severity: 'info',
  category: 'policy-hygiene',
  description: 'An IAM group has no users in it.',
  risk: 'An unused group keeps its permissions ready for whoever is added next, often by mistake, and clutters access reviews.',
  remediation: 'Delete the group, or add the users it is meant for.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_delete.html'],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Group'],
  evaluate(ctx) {
    const members = new Set<string>();
    for (const p of ctx.snapshot.principals) {
      if (p.type !== 'user') continue;
      for (const group of (p as UserPrincipal).groupNames) members.add(`${p.accountId}/${group}`);
    }
    const results: DetectionResult[] = [];
    for (const group of ctx.snapshot.principals) {
      if (group.type !== 'group' || members.has(`${group.accountId}/${group.name}`)) continue;
      const g: GroupPrincipal = group;
      const count = g.attachedPolicies.length + g.inlinePolicies.length;
      results.push({
        resource: ctx.refOf(g),
        message:
          count === 0
            ? `Group ${g.name} has no members and no policies: it serves nothing.`
            : `Group ${g.name} has no members; its ${count} polic${count === 1 ? 'y waits' : 'ies wait'} for whoever is added next.`,
        evidence: {
          attachedPolicies: g.attachedPolicies.map((a) => a.policyArn),
          inlinePolicies: g.inlinePolicies.map((p) => p.name),
        },
      });
    }
    return results;
  },
};
