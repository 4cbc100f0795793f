/**
 * CRED-03: an IAM user with a console password and no MFA device. Users without a password
 * (programmatic only) are CRED-07's and UNU's concern; users whose credentials were not collected
 * are not flagged.
 */
import { hasPassword, usersOf } from '../../shared/credentials-keys.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-user-console-without-mfa',
  anchor: 'CRED-03',
  version: 1,
  title: 'Console user without MFA',
  severity: 'high',
  category: 'credentials',
  description:
    'An IAM user can sign in to the AWS Management Console with a password and has no MFA device.',
  risk: 'A phished, guessed or reused password is enough to sign in as this user.',
  remediation:
    'Enable MFA for the user (a FIDO security key preferably) and require it with a policy, or remove the console password if the user does not need the console.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-5',
  ],
  requires: ['iam', 'credential-report'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const user of usersOf(ctx)) {
      if (hasPassword(user) !== true || user.mfaDevices === null || user.mfaDevices.length > 0)
        continue;
      const profile = user.loginProfile?.exists ? user.loginProfile : null;
      results.push({
        resource: ctx.refOf(user),
        message: `User ${user.name} has a console password and no MFA device: the password alone signs in.`,
        evidence: {
          passwordEnabled: true,
          passwordLastUsed: profile?.passwordLastUsed ?? null,
          mfaDevices: 0,
        },
      });
    }
    return results;
  },
};
