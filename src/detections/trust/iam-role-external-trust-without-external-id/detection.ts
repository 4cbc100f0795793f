/**
 * TRU-04: a role that an external account (not ours, not allow-listed) can assume without an
 * external id. Each external principal the trust names asks for sts:AssumeRole again, this time
 * known to carry no `sts:ExternalId` and no MFA (`aws:MultiFactorAuth*` absent, as ScoutSuite's
 * iam-assume-role-lacks-external-id-and-mfa also accepts MFA); if the engine still allows it,
 * possibly under other conditions such as a source IP, the role lacks the confused-deputy guard.
 * An ExternalId or MFA condition anywhere on the deciding path, a Deny, an RCP, or an
 * organization pin → silent.
 */
import type { Detection, DetectionResult } from '../../types.js';
import {
  accessOf,
  decidingStatements,
  externalTrusts,
  organizationKeys,
  pendingEvidence,
  trustRequest,
} from '../../shared/trust-requests.js';

const WITHOUT_EXTERNAL_ID_OR_MFA = ['sts:externalid', 'aws:multifactorauth'];

export const detection: Detection = {
  id: 'iam-role-external-trust-without-external-id',
  anchor: 'TRU-04',
  version: 1,
  title: 'External account trust without an external id',
  severity: 'medium',
  category: 'trust',
  description:
    'The role trust policy lets an external account assume the role with sts:AssumeRole without requiring an sts:ExternalId (or MFA).',
  risk: 'A third party that serves many customers can be tricked into using its access to your role on someone else’s behalf (the confused deputy problem).',
  remediation:
    'Add a StringEquals condition on sts:ExternalId with the value the third party gave you (or require aws:MultiFactorAuthPresent for human access).',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html',
    'https://docs.datadoghq.com/security/default_rules/def-000-au9/',
  ],
  requires: ['iam', 'organization'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const role of ctx.snapshot.principals) {
      if (role.type !== 'role' || ctx.isAwsOwned(role)) continue;
      const unguarded = externalTrusts(ctx, role).flatMap((trust) => {
        const result = trustRequest(ctx, role, trust.trustee.caller, 'sts:AssumeRole', {
          context: organizationKeys(ctx, trust.trustee.accountId),
          absent: WITHOUT_EXTERNAL_ID_OR_MFA,
          anyPrincipalOfAccount: trust.trustee.wholeAccount,
        });
        return accessOf(result) === 'closed' ? [] : [{ trustee: trust.trustee, result }];
      });
      if (unguarded.length === 0) continue;
      const accounts = [...new Set(unguarded.map((u) => u.trustee.accountId))].sort();
      results.push({
        resource: ctx.refOf(role),
        message: `Role ${role.name} can be assumed from external ${accounts.length === 1 ? 'account' : 'accounts'} ${accounts.join(', ')} without an sts:ExternalId or MFA condition, which leaves it open to the confused deputy problem.`,
        evidence: {
          externalAccounts: accounts,
          principals: unguarded.map((u) => ({
            principal: u.trustee.named,
            statements: decidingStatements(u.result),
            conditions: pendingEvidence(u.result.conditional),
          })),
        },
      });
    }
    return results;
  },
};
