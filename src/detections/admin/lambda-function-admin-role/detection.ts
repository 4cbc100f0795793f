/**
 * ADM-05: a Lambda function whose execution role is an administrator, or highly privileged: a
 * shadow admin, or able to escalate to admin (the access analysis found a path). Reported on the
 * function, with its role and, for a privileged role, the path.
 */
import type { RolePrincipal } from '../../../model/index.js';
import { adminEvidence, isFullAdmin } from '../../shared/admin-evidence.js';
import { pathStepEvidence } from '../../shared/escalation-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'lambda-function-admin-role',
  anchor: 'ADM-05',
  version: 1,
  title: 'Lambda function runs with an administrative or privileged role',
  severity: 'high',
  category: 'admin',
  description:
    "The function's execution role is an administrator, or can make itself or escalate to one.",
  risk: 'A code injection or a compromised dependency in the function gives control of the account.',
  remediation:
    'Give the function a least-privilege execution role (IAM Access Analyzer can generate one from its activity).',
  references: [
    'https://docs.datadoghq.com/security/default_rules/lambda-function-with-admin-privileges/',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html',
  ],
  requires: ['iam', 'resources'],
  identityFields: [],
  appliesTo: ['AWS::Lambda::Function'],
  evaluate(ctx) {
    const { context, escalations } = ctx.access;
    const results: DetectionResult[] = [];
    for (const fn of context.resourcesByType.get('AWS::Lambda::Function') ?? []) {
      for (const arn of context.rolesOfResource(fn)) {
        const role = context.principalByArn.get(arn);
        if (role?.type !== 'role' || ctx.isAwsOwned(role)) continue;
        const verdict = judge(role);
        if (!verdict) continue;
        results.push({
          resource: {
            arn: fn.arn,
            type: fn.type,
            name: fn.name,
            accountId: fn.accountId,
            region: fn.region,
          },
          message: `Lambda function ${fn.name} runs as role ${role.name}, ${verdict.text}.`,
          evidence: { role: role.arn, ...verdict.evidence },
        });
        break;
      }
    }
    return results;

    function judge(role: RolePrincipal) {
      if (isFullAdmin(ctx, role))
        return {
          text: 'an administrator',
          evidence: { privilege: 'admin', ...adminEvidence(ctx, role) },
        };
      const escalation = escalations.get(role.arn);
      if (!escalation) return null;
      const first = escalation.path[0]!;
      return {
        text: ctx.access.status.get(role.arn)?.admin
          ? `which can make itself an administrator (${first.technique})`
          : `which can escalate to administrator (${first.technique}${escalation.path.length > 1 ? `, ${escalation.path.length} steps` : ''})`,
        evidence: {
          privilege: 'escalation',
          conditional: escalation.conditional,
          path: escalation.path.map(pathStepEvidence),
        },
      };
    }
  },
};
