/**
 * CRED-04: the account root user has an active access key (credential report
 * `access_key_N_active=true` on `<root_account>`). Inactive root keys are not flagged.
 */
import { activeKeys, keyEvidence, rootsOf } from '../../shared/credentials-keys.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-root-access-key',
  anchor: 'CRED-04',
  version: 1,
  title: 'Root user has an active access key',
  severity: 'critical',
  category: 'credentials',
  description:
    'The root user of an account has an active access key, according to the credential report.',
  risk: 'A root access key can do anything in the account, and neither IAM policies nor permissions boundaries can restrict it.',
  remediation:
    'Find what uses the key (last used service and region), move it to an IAM role, then delete the root access key; manage root credentials centrally from the organization.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-4',
  ],
  requires: ['credential-report'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Root'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const root of rootsOf(ctx)) {
      const keys = activeKeys(root);
      if (!keys || keys.length === 0) continue;
      results.push({
        resource: ctx.refOf(root),
        message: `The root user (${root.name}) of account ${root.accountId} has ${keys.length === 1 ? 'an active access key' : `${keys.length} active access keys`}: credentials no policy can restrict.`,
        evidence: { keys: keys.map((key) => keyEvidence(key, ctx.asOf)) },
      });
    }
    return results;
  },
};
