/**
 * TRU-01: a role any AWS principal can assume. Decided by the engine: a caller from an account
 * outside the organization (with an organization id of its own) asks for sts:AssumeRole against
 * the trust policy and the RCPs. Open → critical; open only under a condition the data cannot
 * decide (source IP, MFA, ExternalId) → medium; a pin on aws:PrincipalOrgID, an account or an
 * RCP → silent.
 */
import { outsiderAccess, outsiderRequest } from '../../shared/outsider.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-role-trust-any-principal',
  anchor: 'TRU-01',
  version: 1,
  title: 'Role assumable by any AWS principal',
  severity: 'critical',
  category: 'trust',
  description:
    'The role trust policy allows sts:AssumeRole to every AWS principal ("*"), with no condition that limits callers to your organization, an account or an external id.',
  risk: 'Anyone with an AWS account can obtain credentials for this role.',
  remediation:
    'Name the principals that may assume the role in its trust policy, or pin the wildcard with aws:PrincipalOrgID (or sts:ExternalId for a third party).',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous',
    'https://docs.datadoghq.com/security/default_rules/aws-iam-role-trust-policy-wildcard-principal/',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const role of ctx.access.context.rolesTrustingEveryone) {
      if (ctx.isAwsOwned(role)) continue;
      const trust = ctx.access.context.trustPolicy(role);
      const result = outsiderRequest(ctx, 'sts:AssumeRole', role.arn, role.accountId, trust);
      const access = outsiderAccess(result);
      if (access === 'closed') continue;
      const conditions = result.conditional.map((c) => ({
        operator: c.clause.operator,
        key: c.clause.key,
        values: c.clause.values,
      }));
      results.push({
        resource: ctx.refOf(role),
        severity: access === 'open' ? 'critical' : 'medium',
        message:
          access === 'open'
            ? `Role ${role.name} can be assumed by any AWS principal: its trust policy allows "*" without a restricting condition.`
            : `Role ${role.name} can be assumed by any AWS principal that meets ${conditions.map((c) => c.key).join(', ')}; nothing limits it to your organization.`,
        evidence: {
          statements: result.reasons.flatMap((r) => r.statements),
          conditions,
        },
      });
    }
    return results;
  },
};
