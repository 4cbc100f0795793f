/**
 * CRED-02: an IAM user with two active access keys (the most IAM allows). Rotation leaves one
 * active key at a time; two usually means an old key nobody deactivated.
 */
import { activeKeys, keyEvidence, keyLabel, usersOf } from '../../shared/credentials-keys.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-user-two-active-access-keys',
  anchor: 'CRED-02',
  version: 1,
  title: 'User with two active access keys',
  severity: 'medium',
  category: 'credentials',
  description: 'An IAM user has two active access keys at once.',
  risk: 'Two live keys double the exposure and make it hard to tell which workload uses which key, so the old one is rarely retired.',
  remediation:
    'Find which key each workload uses (last used date and service), move everything to one key, then deactivate and delete the other.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
    'https://docs.datadoghq.com/security/default_rules/aws-iam-user-only-one-active-access-key-should-exist-per-user/',
  ],
  requires: ['iam', 'credential-report'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const user of usersOf(ctx)) {
      const keys = activeKeys(user);
      if (!keys || keys.length < 2) continue;
      results.push({
        resource: ctx.refOf(user),
        message: `User ${user.name} has ${keys.length} active access keys (${keys.map(keyLabel).join(', ')}); keep one.`,
        evidence: { keys: keys.map((key) => keyEvidence(key, ctx.asOf)) },
      });
    }
    return results;
  },
};
