/**
 * ADM-03: a group whose policies make its members administrators. For each member, the group's
 * policies alone (with the member's permissions boundary) are put to the admin test, and the
 * member must be an administrator now: a group whose grant every member's boundary holds back,
 * or a group with no members, is not reported.
 */
import { isFullAdmin } from '../../shared/admin-evidence.js';
import { uniqueStatements } from '../../shared/escalation-evidence.js';
import { evaluateRequest } from '../../../policy/evaluate.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-group-admin',
  anchor: 'ADM-03',
  version: 1,
  title: 'IAM group grants administrative privileges',
  severity: 'high',
  category: 'admin',
  description:
    "The group's policies alone allow every action on every resource, and at least one member is an administrator through them.",
  risk: 'Every member, and everyone later added to the group, becomes an administrator of the account.',
  remediation:
    'Replace the group with role-based access (IAM Identity Center permission sets or roles assumed with MFA); scope its policies to what its members need.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html',
    'https://docs.aws.amazon.com/singlesignon/latest/userguide/permissionsetsconcept.html',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Group'],
  evaluate(ctx) {
    const { context, oracle } = ctx.access;
    const results: DetectionResult[] = [];
    for (const groups of context.groupsByAccount.values()) {
      for (const group of groups) {
        const members = context.groupMembers.get(group.arn) ?? [];
        if (members.length === 0) continue;
        const granted = context.evaluator.policiesFor(group).identity;
        if (granted.length === 0) continue;
        const admins = members.filter((member) => {
          if (!isFullAdmin(ctx, member)) return false;
          const own = context.evaluator.policiesFor(member);
          return oracle.wouldBeAdmin(member, { ...own, identity: granted }).admin;
        });
        if (admins.length === 0) continue;
        const first = admins[0]!;
        const probe = evaluateRequest({
          ...context.evaluator.requestInput(first, 'iam:CreateUser', '*'),
          identityPolicies: granted,
          scpLevels: [],
          rcpLevels: [],
        });
        results.push({
          resource: ctx.refOf(group),
          message: `Group ${group.name} makes its members administrators: ${admins.length} of ${members.length} member${members.length === 1 ? '' : 's'} (${admins
            .slice(0, 3)
            .map((m) => m.name)
            .join(', ')}${admins.length > 3 ? ', ...' : ''}) can do everything through it.`,
          evidence: {
            statements: uniqueStatements(
              probe.reasons.filter((r) => r.effect === 'allow').flatMap((r) => r.statements),
            ),
            adminMembers: admins.map((m) => m.arn),
            members: members.length,
          },
        });
      }
    }
    return results;
  },
};
