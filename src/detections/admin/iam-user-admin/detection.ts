/**
 * ADM-01: an IAM user that is an administrator. Decided by the access analysis (its own, group
 * and attached policies, their denies and its permissions boundary allow every action on every
 * resource), never by a policy's name: AdministratorAccess held back by a boundary is not admin.
 * Users who can only grant themselves admin are shadow admins (ADM-11), not reported here.
 */
import { adminEvidence, isFullAdmin } from '../../shared/admin-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-user-admin',
  anchor: 'ADM-01',
  version: 1,
  title: 'IAM user has administrative privileges',
  severity: 'high',
  category: 'admin',
  description:
    'The user is allowed every action on every resource by its own, group and attached policies after their denies and its permissions boundary.',
  risk: 'An IAM user has long-lived credentials (password, access keys): stealing them gives full control of the account.',
  remediation:
    'Move people to federation (IAM Identity Center) with short-lived sessions; remove administrator policies from IAM users, or hold them back with a permissions boundary.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp',
    'https://www.datadoghq.com/blog/datadog-ciem/',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const user of ctx.access.context.usersByAccount.values()) {
      for (const principal of user) {
        if (!isFullAdmin(ctx, principal)) continue;
        const evidence = adminEvidence(ctx, principal);
        results.push({
          resource: ctx.refOf(principal),
          message:
            evidence.conditions.length > 0
              ? `User ${principal.name} is an administrator of account ${principal.accountId} when ${evidence.conditions.map((c) => c.key).join(', ')} hold: its policies allow every action on every resource.`
              : `User ${principal.name} is an administrator of account ${principal.accountId}: its policies allow every action on every resource.`,
          evidence: { ...evidence },
        });
      }
    }
    return results;
  },
};
