/**
 * CRED-05: the account root user has no MFA (credential report `mfa_active=false`): critical.
 * When the devices are known (the account's virtual MFA devices listed by `iamsight collect`,
 * iam-credentials.json) and every one is a virtual device, the root is flagged as lacking hardware
 * MFA, at medium severity. A root whose password is known to
 * be removed (centralised root access) is not flagged: nothing signs in with it.
 */
import { hasPassword, rootsOf } from '../../shared/credentials-keys.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-root-without-mfa',
  anchor: 'CRED-05',
  version: 1,
  title: 'Root user without (hardware) MFA',
  severity: 'critical',
  category: 'credentials',
  description:
    'The root user of an account has no MFA device (credential report mfa_active=false), or only a virtual one where a hardware device is recommended.',
  risk: 'Whoever learns the root password, or resets it through the account email, takes over the whole account.',
  remediation:
    'Enable MFA on the root user (a FIDO security key or hardware TOTP token), or remove root credentials with centralised root access management in AWS Organizations.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-6',
  ],
  requires: ['credential-report'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Root'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const root of rootsOf(ctx)) {
      const devices = root.mfaDevices;
      if (devices === null || hasPassword(root) === false) continue;
      const kinds = devices.map((d) => d.kind);
      if (devices.length === 0) {
        results.push({
          resource: ctx.refOf(root),
          message: `The root user (${root.name}) of account ${root.accountId} has no MFA: its password alone controls the account.`,
          evidence: { mfaActive: false, mfaDevices: [] },
        });
      } else if (kinds.every((kind) => kind === 'virtual')) {
        results.push({
          resource: ctx.refOf(root),
          severity: 'medium',
          message: `The root user (${root.name}) of account ${root.accountId} has only a virtual MFA device, not a hardware one.`,
          evidence: { mfaActive: true, mfaDevices: kinds },
        });
      }
    }
    return results;
  },
};
