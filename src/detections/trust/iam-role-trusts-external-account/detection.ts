/**
 * TRU-02: a role that principals of an account outside the organization (and not allow-listed in
 * `trustedAccounts`) can assume. Every account, user, role or session the trust policy names in
 * such an account asks for sts:AssumeRole, decided by the engine with the trust policy and the
 * RCPs: a named account stands for any principal of it, with an organization id of its own. A
 * Deny, an RCP or an `aws:PrincipalOrgID` pin that rules it out → silent; a condition the data
 * cannot decide (ExternalId, MFA, source IP) still leaves the door to that account → reported.
 * `Principal: "*"` is TRU-01's; a principal named by a unique id (a deleted principal) matches no
 * caller and names no account.
 */
import type { Detection, DetectionResult } from '../../types.js';
import {
  decidingStatements,
  externalTrusts,
  pendingEvidence,
} from '../../shared/trust-requests.js';

export const detection: Detection = {
  id: 'iam-role-trusts-external-account',
  anchor: 'TRU-02',
  version: 1,
  title: 'Role trusts an external account',
  severity: 'medium',
  category: 'trust',
  description:
    'The role trust policy lets principals of an AWS account outside your organization assume the role, and that account is not in the allow-listed trusted accounts.',
  risk: 'Whoever controls the external account (a vendor, a partner, or an attacker who compromised them) gets the role’s permissions in your account.',
  remediation:
    'Confirm the external account is a vendor or partner you rely on and add it to trustedAccounts; otherwise remove it from the trust policy.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html#access-analyzer-iam-role',
  ],
  requires: ['iam', 'organization'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const role of ctx.snapshot.principals) {
      if (role.type !== 'role' || ctx.isAwsOwned(role)) continue;
      const trusts = externalTrusts(ctx, role);
      if (trusts.length === 0) continue;
      const accounts = [...new Set(trusts.map((t) => t.trustee.accountId))].sort();
      results.push({
        resource: ctx.refOf(role),
        message: `Role ${role.name} can be assumed from ${accounts.length === 1 ? 'account' : 'accounts'} ${accounts.join(', ')}, outside your organization and not listed as trusted.`,
        evidence: {
          externalAccounts: accounts,
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
