/**
 * TRU-03: TRU-02 on a privileged role: an external account (not ours, not allow-listed) can
 * assume a role that the access analysis finds admin (allowed everything, or one self-grant away)
 * or able to escalate to an admin. The admin verdict is the engine's, after boundaries, denies
 * and SCPs: AdministratorAccess cut down by a boundary is not privileged, a policy named "Admin"
 * is nothing by its name.
 */
import type { Detection, DetectionResult } from '../../types.js';
import {
  decidingStatements,
  externalTrusts,
  pendingEvidence,
} from '../../shared/trust-requests.js';

export const detection: Detection = {
  id: 'iam-role-privileged-trusts-external-account',
  anchor: 'TRU-03',
  version: 1,
  title: 'Privileged role trusts an external account',
  severity: 'high',
  category: 'trust',
  description:
    'An administrator role, or a role that can escalate to administrator, can be assumed by principals of an AWS account outside your organization that is not allow-listed.',
  risk: 'The external account has a direct path to administrator access in your account.',
  remediation:
    'Remove the external account from the trust policy, or give it a separate role with only the permissions it needs.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html',
    'https://docs.datadoghq.com/security/default_rules/iam-roles-with-cross-account-trust/',
  ],
  requires: ['iam', 'organization'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const role of ctx.snapshot.principals) {
      if (role.type !== 'role' || ctx.isAwsOwned(role)) continue;
      const status = ctx.access.status.get(role.arn);
      const escalation = ctx.access.escalations.get(role.arn);
      if (!status?.admin && !escalation) continue;
      const trusts = externalTrusts(ctx, role);
      if (trusts.length === 0) continue;
      const accounts = [...new Set(trusts.map((t) => t.trustee.accountId))].sort();
      const privilege = status?.admin
        ? status.kind === 'self-grant'
          ? 'can grant itself administrator access'
          : 'is an administrator'
        : 'can escalate to administrator';
      results.push({
        resource: ctx.refOf(role),
        message: `Role ${role.name} ${privilege} and can be assumed from external ${accounts.length === 1 ? 'account' : 'accounts'} ${accounts.join(', ')}.`,
        evidence: {
          externalAccounts: accounts,
          admin: status?.admin ? { kind: status.kind, conditional: status.conditional } : null,
          escalation:
            !status?.admin && escalation
              ? {
                  target: escalation.target,
                  conditional: escalation.conditional,
                  path: escalation.path.map((s) => ({
                    from: s.from,
                    to: s.to,
                    technique: s.technique,
                    permissions: [...s.permissions],
                  })),
                }
              : null,
          principals: trusts.map((t) => ({
            principal: t.trustee.named,
            access: t.access,
            statements: decidingStatements(t.result),
            conditions: pendingEvidence(t.result.conditional),
          })),
        },
      });
    }
    return results;
  },
};
