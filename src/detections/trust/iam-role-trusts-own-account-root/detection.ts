/**
 * TRU-12: a role whose trust policy names its own account (`arn:aws:iam::<self>:root` or the bare
 * id), which delegates the decision to identity policies: any principal of the account allowed
 * sts:AssumeRole on the role can assume it. The engine confirms: an ordinary principal of the
 * account (any name, allowed everything on its own side, bound by the account's SCPs) asks for
 * the role. A condition the data cannot decide (MFA, source IP) still leaves the account open →
 * reported; an `aws:PrincipalArn` condition that names specific principals, a Deny or an SCP →
 * silent. A role is reported once, however many statements name the account.
 */
import { callerIdentityFromArn } from '../../../policy/match-principal.js';
import type { Detection, DetectionResult } from '../../types.js';
import {
  accessOf,
  decidingStatements,
  organizationKeys,
  pendingEvidence,
  trustRequest,
} from '../../shared/trust-requests.js';

export const detection: Detection = {
  id: 'iam-role-trusts-own-account-root',
  anchor: 'TRU-12',
  version: 1,
  title: 'Role trusts its own account root',
  severity: 'low',
  category: 'trust',
  description:
    'The role trust policy names its own account (arn:aws:iam::<account>:root) instead of the principals that should assume it, so any principal of the account with sts:AssumeRole on the role can assume it.',
  risk: 'Who can reach the role is decided by every identity policy in the account: a broad sts:AssumeRole grant anywhere (or a future one) opens the role.',
  remediation:
    'Name the roles or users that should assume the role in the trust policy, or pin aws:PrincipalArn to them.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts',
    'https://pathfinding.cloud/paths/sts-001',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const role of ctx.snapshot.principals) {
      if (role.type !== 'role' || ctx.isAwsOwned(role)) continue;
      const facts = ctx.access.context.trust.get(role.arn);
      if (!facts?.accounts.includes(role.accountId)) continue;
      const caller = callerIdentityFromArn(
        `arn:aws:iam::${role.accountId}:user/iamsight-trust-probe`,
      );
      const result = trustRequest(ctx, role, caller, 'sts:AssumeRole', {
        context: organizationKeys(ctx, role.accountId),
      });
      const access = accessOf(result);
      if (access === 'closed') continue;
      results.push({
        resource: ctx.refOf(role),
        message: `Role ${role.name} trusts its own account root, so any principal in account ${role.accountId} with sts:AssumeRole on it can assume it${access === 'conditional' ? ` (under a condition on ${[...new Set(result.conditional.map((c) => c.clause.key))].join(', ')})` : ''}.`,
        evidence: {
          trusted: `arn:aws:iam::${role.accountId}:root`,
          access,
          statements: decidingStatements(result),
          conditions: pendingEvidence(result.conditional),
        },
      });
    }
    return results;
  },
};
