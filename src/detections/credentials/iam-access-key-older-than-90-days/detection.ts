/**
 * CRED-01: an active access key issued more than 90 days before the scan's `asOf`. One finding
 * per key (its id when known, else its credential report slot). Users whose keys were not
 * collected (no credential report) are not flagged: the gap says so.
 */
import {
  activeKeys,
  ageInDays,
  keyEvidence,
  keyIdentity,
  keyIssuedAt,
  keyLabel,
  usersOf,
} from '../../shared/credentials-keys.js';
import type { Detection, DetectionResult } from '../../types.js';

/** Keys older than this many days must be rotated. */
const MAX_AGE_DAYS = 90;

export const detection: Detection = {
  id: 'iam-access-key-older-than-90-days',
  anchor: 'CRED-01',
  version: 1,
  title: 'Access key older than 90 days',
  severity: 'medium',
  category: 'credentials',
  description:
    'An IAM user has an active access key created (or last rotated) more than 90 days ago, according to the credential report.',
  risk: 'A long-lived key has had a long time to leak through laptops, CI logs and repositories, and keeps working until someone rotates it.',
  remediation:
    'Rotate the key (create a new one, switch the workload, deactivate and delete the old one), or replace it with a role and temporary credentials.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-3',
  ],
  requires: ['iam', 'credential-report'],
  identityFields: ['keyId', 'slot'],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const user of usersOf(ctx)) {
      for (const key of activeKeys(user) ?? []) {
        const age = ageInDays(keyIssuedAt(key), ctx.asOf);
        if (age === null || age <= MAX_AGE_DAYS) continue;
        results.push({
          resource: ctx.refOf(user),
          identity: keyIdentity(key),
          message: `User ${user.name} has ${keyLabel(key)} active for ${age} days without rotation (more than ${MAX_AGE_DAYS}).`,
          evidence: { key: keyEvidence(key, ctx.asOf), maxAgeDays: MAX_AGE_DAYS, asOf: ctx.asOf },
        });
      }
    }
    return results;
  },
};
