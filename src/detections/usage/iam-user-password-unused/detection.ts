/**
 * UNU-03: a console password that existed for the whole tracking period and was not used in it.
 * Evidence: the credential report's `password_last_used` and, when given, CloudTrail's console
 * sign-ins; the latest wins. A password set or changed within the period is too young to judge.
 */
import { isOlderThanPeriod, passwordLastUse } from '../../../usage/index.js';
import type { UserPrincipal } from '../../../model/index.js';
import { usersOf } from '../../shared/credentials-keys.js';
import { describeLastUse, isUsedInPeriod, lastUseEvidence } from '../../shared/usage-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

/** Since when the password has existed: its creation, or its last change (a reset is a new password). */
function passwordSince(user: UserPrincipal): string | null {
  const profile = user.loginProfile;
  if (!profile?.exists) return null;
  const dates = [profile.createDate, profile.passwordLastChanged].filter(
    (d): d is string => d !== null,
  );
  return dates.sort().at(-1) ?? user.createDate;
}

export const detection: Detection = {
  id: 'iam-user-password-unused',
  anchor: 'UNU-03',
  version: 1,
  title: 'Unused console password',
  severity: 'medium',
  category: 'usage',
  description:
    'An IAM user has had a console password for the whole tracking period (default 90 days) and did not sign in with it in that period, according to the credential report and CloudTrail.',
  risk: 'A password nobody uses is a target for credential stuffing and phishing that nobody would notice being used.',
  remediation:
    "Delete the user's login profile (the console password); keep the user only if it needs programmatic access, or move the person to federation.",
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html',
  ],
  requires: ['iam', 'credential-report'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const user of usersOf(ctx)) {
      if (!user.loginProfile?.exists) continue;
      const since = passwordSince(user);
      if (isOlderThanPeriod(since, ctx.asOf, ctx.config.tracking) !== true) continue;
      const lastUse = passwordLastUse(user, ctx.usage);
      if (isUsedInPeriod(ctx, lastUse)) continue;
      results.push({
        resource: ctx.refOf(user),
        message: `User ${user.name} has a console password not used in the last ${ctx.config.tracking.periodDays} days: ${describeLastUse(lastUse, ctx.asOf)}.`,
        evidence: lastUseEvidence(ctx, lastUse, { passwordSince: since }),
      });
    }
    return results;
  },
};
