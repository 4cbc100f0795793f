/**
 * CRED-07: an IAM user with both a console password and an active access key: one identity used
 * by a person and by a workload.
 */
import { activeKeys, hasPassword, keyEvidence, usersOf } from '../../shared/credentials-keys.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-user-password-and-access-key',
  anchor: 'CRED-07',
  version: 1,
  title: 'User with both a password and an access key',
  severity: 'low',
  category: 'credentials',
  description: 'An IAM user has a console password and at least one active access key.',
  risk: 'A person and a workload share one identity: its permissions serve both, and a leak of either credential exposes the other’s access.',
  remediation:
    'Split the identity: keep the user for the person (console, MFA) and give the workload a role, or remove whichever credential is not needed.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp',
  ],
  requires: ['iam', 'credential-report'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const user of usersOf(ctx)) {
      const keys = activeKeys(user);
      if (hasPassword(user) !== true || !keys || keys.length === 0) continue;
      results.push({
        resource: ctx.refOf(user),
        message: `User ${user.name} has both a console password and ${keys.length === 1 ? 'an active access key' : `${keys.length} active access keys`}: a person and a workload share it.`,
        evidence: { passwordEnabled: true, keys: keys.map((key) => keyEvidence(key, ctx.asOf)) },
      });
    }
    return results;
  },
};
