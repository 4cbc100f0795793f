/**
 * CRED-09: an IAM user with managed policies attached directly or with inline policies, instead
 * of getting its permissions through groups. Needs only the IAM data (not the credential report).
 */
import { usersOf } from '../../shared/credentials-keys.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-user-with-direct-policies',
  anchor: 'CRED-09',
  version: 1,
  title: 'Policies attached directly to a user',
  severity: 'low',
  category: 'credentials',
  description:
    'An IAM user has managed policies attached to it directly, or inline policies, rather than receiving permissions through a group.',
  risk: 'Per-user entitlements drift apart, are missed in access reviews and stay behind when people change teams.',
  remediation:
    'Put the user in a group that carries these permissions (or move the workload to a role) and detach the user’s own policies.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
    'https://docs.datadoghq.com/security/default_rules/aws-iam-user-iam-policies-should-be-attached-and-managed-at-the-group-level/',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const user of usersOf(ctx)) {
      const attached = user.attachedPolicies.map((a) => a.policyArn);
      const inline = user.inlinePolicies.map((p) => p.name);
      if (attached.length === 0 && inline.length === 0) continue;
      const parts = [
        ...(attached.length > 0
          ? [`${attached.length} attached polic${attached.length > 1 ? 'ies' : 'y'}`]
          : []),
        ...(inline.length > 0
          ? [`${inline.length} inline polic${inline.length > 1 ? 'ies' : 'y'}`]
          : []),
      ];
      results.push({
        resource: ctx.refOf(user),
        message: `User ${user.name} holds ${parts.join(' and ')} of its own instead of getting permissions through a group.`,
        evidence: { attachedPolicies: attached, inlinePolicies: inline },
      });
    }
    return results;
  },
};
