/**
 * UNU-05: an IAM user that is a full administrator (ADM-01's test) and shows no activity — no
 * console sign-in, no use of any of its keys, nothing in CloudTrail — within the tracking period,
 * while it existed for all of it. Its activity is known from the credential report (and
 * CloudTrail): without a report only logs covering the period can show inactivity.
 */
import { coverageOf, holderLastActivity, isOlderThanPeriod } from '../../../usage/index.js';
import { isFullAdmin } from '../../shared/admin-evidence.js';
import { usersOf } from '../../shared/credentials-keys.js';
import { describeLastUse, isUsedInPeriod, lastUseEvidence } from '../../shared/usage-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-admin-user-inactive',
  anchor: 'UNU-05',
  version: 1,
  title: 'Inactive IAM user with administrative privileges',
  severity: 'high',
  category: 'usage',
  description:
    'An IAM user allowed every action on every resource has not signed in, used an access key or made any call recorded by CloudTrail within the tracking period (default 90 days).',
  risk: 'An administrator nobody uses is a full-control credential with no business need: if its password or a key leaked, the first use would be an attacker’s.',
  remediation:
    'Delete the user, or remove its administrator policies and credentials; keep break-glass access in a role with MFA instead of a standing user.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#remove-credentials',
    'https://docs.datadoghq.com/security/default_rules/def-000-rf2/',
  ],
  requires: ['iam', 'credential-report'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const user of usersOf(ctx)) {
      if (!isFullAdmin(ctx, user)) continue;
      if (isOlderThanPeriod(user.createDate, ctx.asOf, ctx.config.tracking) !== true) continue;
      const collected = user.accessKeys !== null && user.loginProfile !== null;
      if (
        !collected &&
        !coverageOf(ctx.usage, user.accountId, ctx.asOf, ctx.config.tracking).covered
      )
        continue;
      const lastUse = holderLastActivity(user, ctx.usage);
      if (isUsedInPeriod(ctx, lastUse)) continue;
      results.push({
        resource: ctx.refOf(user),
        message: `User ${user.name} is an administrator with no activity in the last ${ctx.config.tracking.periodDays} days: ${describeLastUse(lastUse, ctx.asOf)}.`,
        evidence: lastUseEvidence(ctx, lastUse, {
          hasPassword: user.loginProfile?.exists ?? null,
          activeKeys: user.accessKeys?.filter((k) => k.status === 'Active').length ?? null,
        }),
      });
    }
    return results;
  },
};
