/**
 * UNU-07: an active access key older than a year and not used in the last 30 days (Datadog's
 * r1s-kud-79s): an old secret that its workload has stopped using. Fixed thresholds, as in the
 * reference rule; the latest evidence of use (credential report, key LastUsedDate, CloudTrail)
 * wins.
 */
import { daysBefore, isAtOrAfter, keyLastUse } from '../../../usage/index.js';
import {
  activeKeys,
  ageInDays,
  keyEvidence,
  keyIdentity,
  keyIssuedAt,
  keyLabel,
  usersOf,
} from '../../shared/credentials-keys.js';
import { describeLastUse, lastUseEvidence } from '../../shared/usage-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

const MIN_AGE_DAYS = 365;
const IDLE_DAYS = 30;

export const detection: Detection = {
  id: 'iam-access-key-old-and-idle',
  anchor: 'UNU-07',
  version: 1,
  title: 'Old access key not used recently',
  severity: 'low',
  category: 'usage',
  description: 'An active access key older than 365 days has not been used in the last 30 days.',
  risk: 'An old key its workload no longer uses has had a year to leak and would keep working for whoever holds it.',
  remediation:
    'Deactivate the key and delete it once nothing breaks; rotate keys that are still needed, or replace them with roles.',
  references: [
    'https://docs.datadoghq.com/security/default_rules/r1s-kud-79s/',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console',
  ],
  requires: ['iam', 'credential-report'],
  identityFields: ['keyId', 'slot'],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    const idleSince = daysBefore(ctx.asOf, IDLE_DAYS);
    for (const user of usersOf(ctx)) {
      for (const key of activeKeys(user) ?? []) {
        const age = ageInDays(keyIssuedAt(key), ctx.asOf);
        if (age === null || age <= MIN_AGE_DAYS) continue;
        const lastUse = keyLastUse(user, key, ctx.usage);
        if (isAtOrAfter(lastUse.latest?.lastUsed ?? null, idleSince)) continue;
        results.push({
          resource: ctx.refOf(user),
          identity: keyIdentity(key),
          message: `User ${user.name} has ${keyLabel(key)}, ${age} days old, not used in the last ${IDLE_DAYS} days: ${describeLastUse(lastUse, ctx.asOf)}.`,
          evidence: lastUseEvidence(ctx, lastUse, {
            key: keyEvidence(key, ctx.asOf),
            minAgeDays: MIN_AGE_DAYS,
            idleDays: IDLE_DAYS,
          }),
        });
      }
    }
    return results;
  },
};
