/**
 * UNU-06: the initial-setup key — a user with a console password whose active access key, issued
 * more than a day ago, has never been used (credential report `access_key_N_last_used_date` is
 * N/A; Prowler's logic), and CloudTrail, when given, saw no use of it either.
 */
import { keyLastUse } from '../../../usage/index.js';
import {
  activeKeys,
  ageInDays,
  keyEvidence,
  keyIdentity,
  keyIssuedAt,
  keyLabel,
  usersOf,
} from '../../shared/credentials-keys.js';
import { lastUseEvidence } from '../../shared/usage-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

/** A key younger than this may still be on its way to the workload that will use it. */
const MIN_AGE_DAYS = 1;

export const detection: Detection = {
  id: 'iam-user-access-key-never-used',
  anchor: 'UNU-06',
  version: 1,
  title: 'Access key never used since creation (initial setup key)',
  severity: 'low',
  category: 'usage',
  description:
    'A console user has an active access key, issued more than a day ago, that has never been used: typically a key created with the user "just in case".',
  risk: 'A key nobody needs is one more long-lived secret that can leak; a person with a console password rarely needs one.',
  remediation:
    'Delete the access key; create one only when a tool needs it, or use temporary credentials.',
  references: [
    'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-8',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
  ],
  requires: ['iam', 'credential-report'],
  identityFields: ['keyId', 'slot'],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const user of usersOf(ctx)) {
      if (!user.loginProfile?.exists) continue;
      for (const key of activeKeys(user) ?? []) {
        const age = ageInDays(keyIssuedAt(key), ctx.asOf);
        if (age === null || age <= MIN_AGE_DAYS) continue;
        const lastUse = keyLastUse(user, key, ctx.usage);
        if (lastUse.latest !== null) continue;
        results.push({
          resource: ctx.refOf(user),
          identity: keyIdentity(key),
          message: `User ${user.name} has a console password and ${keyLabel(key)}, issued ${age} days ago and never used.`,
          evidence: lastUseEvidence(ctx, lastUse, { key: keyEvidence(key, ctx.asOf) }),
        });
      }
    }
    return results;
  },
};
