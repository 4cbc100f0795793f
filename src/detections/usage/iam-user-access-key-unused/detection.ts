/**
 * UNU-02: an active access key that existed for the whole tracking period and was not used in
 * it. Evidence: the credential report's (or the key's own) last-used date and, when given,
 * CloudTrail; the latest wins. Keys are known only from a credential report (or a key listing):
 * without one nothing is flagged.
 */
import { isOlderThanPeriod, keyLastUse } from '../../../usage/index.js';
import {
  activeKeys,
  keyEvidence,
  keyIdentity,
  keyIssuedAt,
  keyLabel,
  usersOf,
} from '../../shared/credentials-keys.js';
import { describeLastUse, isUsedInPeriod, lastUseEvidence } from '../../shared/usage-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-user-access-key-unused',
  anchor: 'UNU-02',
  version: 1,
  title: 'Unused access key',
  severity: 'medium',
  category: 'usage',
  description:
    'An active access key of an IAM user is older than the tracking period (default 90 days) and was not used in it, according to the credential report and CloudTrail.',
  risk: 'An unused long-lived key is a secret nobody needs that still works: if it leaked from a laptop, a repository or a CI log, its use would be the first sign.',
  remediation:
    'Deactivate the key, wait for anything that breaks, then delete it; prefer roles with temporary credentials for workloads.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#Using_ManagingAccessKeys',
  ],
  requires: ['iam', 'credential-report'],
  identityFields: ['keyId', 'slot'],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const user of usersOf(ctx)) {
      for (const key of activeKeys(user) ?? []) {
        if (isOlderThanPeriod(keyIssuedAt(key), ctx.asOf, ctx.config.tracking) !== true) continue;
        const lastUse = keyLastUse(user, key, ctx.usage);
        if (isUsedInPeriod(ctx, lastUse)) continue;
        results.push({
          resource: ctx.refOf(user),
          identity: keyIdentity(key),
          message: `User ${user.name} has ${keyLabel(key)} active but not used in the last ${ctx.config.tracking.periodDays} days: ${describeLastUse(lastUse, ctx.asOf)}.`,
          evidence: lastUseEvidence(ctx, lastUse, {
            key: keyEvidence(key, ctx.asOf),
            cloudTrailAttribution: lastUse.attribution,
          }),
        });
      }
    }
    return results;
  },
};
