/**
 * UNU-01: a role that existed for the whole tracking period and was not used in it. Evidence of
 * use: IAM's RoleLastUsed (tracked by AWS for 400 days) and, when given, CloudTrail (the role's
 * sessions and its assumptions); the latest wins. A role whose RoleLastUsed was not collected is
 * judged from CloudTrail only where the logs cover the period. Service-linked and Identity Center
 * roles are AWS's to manage and are not flagged.
 */
import { coverageOf, isOlderThanPeriod, roleLastUse } from '../../../usage/index.js';
import type { RolePrincipal } from '../../../model/index.js';
import { describeLastUse, isUsedInPeriod, lastUseEvidence } from '../../shared/usage-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-role-unused',
  anchor: 'UNU-01',
  version: 1,
  title: 'Unused IAM role',
  severity: 'medium',
  category: 'usage',
  description:
    'The role has existed for the whole tracking period (default 90 days) and nothing assumed or used it in that period, according to RoleLastUsed and CloudTrail.',
  risk: 'A dormant role keeps its permissions and its trust: whoever it trusts can still assume it, unnoticed, while nobody would miss it if it were gone.',
  remediation:
    'Confirm with the owner that the role is no longer needed, then delete it (or remove its trust and permissions); document roles kept for rare events such as break-glass access and mute the finding with that reason.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const principal of ctx.snapshot.principals) {
      if (principal.type !== 'role' || ctx.isAwsOwned(principal)) continue;
      const role: RolePrincipal = principal;
      if (isOlderThanPeriod(role.createDate, ctx.asOf, ctx.config.tracking) !== true) continue;
      // Without RoleLastUsed only logs that cover the period can show absence of use.
      if (
        role.lastUsed === null &&
        !coverageOf(ctx.usage, role.accountId, ctx.asOf, ctx.config.tracking).covered
      )
        continue;
      const lastUse = roleLastUse(role, ctx.usage);
      if (isUsedInPeriod(ctx, lastUse)) continue;
      results.push({
        resource: ctx.refOf(role),
        message: `Role ${role.name} has not been used in the last ${ctx.config.tracking.periodDays} days: ${describeLastUse(lastUse, ctx.asOf)}.`,
        evidence: lastUseEvidence(ctx, lastUse, { createDate: role.createDate }),
      });
    }
    return results;
  },
};
