/**
 * ADM-02: an IAM role that is an administrator (by evaluation, as ADM-01). Medium; high when its
 * trust is broad: it admits every principal ("*", whatever the conditions), a whole account (an
 * account root: every principal that account's policies allow), or a principal of an account
 * outside the organization and the trusted accounts. AWS-owned roles are not reported.
 */
import type { RolePrincipal } from '../../../model/index.js';
import { adminEvidence, isFullAdmin } from '../../shared/admin-evidence.js';
import type { Detection, DetectionContext, DetectionResult } from '../../types.js';

/** What makes a trust broad, in words, or an empty list. */
function broadTrust(ctx: DetectionContext, role: RolePrincipal): string[] {
  const trust = ctx.access.context.trust.get(role.arn);
  if (!trust) return [];
  const external = (account: string): boolean =>
    !ctx.ownAccounts.has(account) && !ctx.config.trustedAccounts.has(account);
  const why: string[] = [];
  if (trust.everyone) why.push('any AWS principal ("*")');
  for (const account of trust.accounts)
    why.push(
      external(account)
        ? `every principal of external account ${account}`
        : `every principal of account ${account} (its root)`,
    );
  for (const arn of trust.arns) {
    const account = arn.split(':')[4] ?? '';
    if (external(account)) why.push(`${arn} of external account ${account}`);
  }
  return why;
}

export const detection: Detection = {
  id: 'iam-role-admin',
  anchor: 'ADM-02',
  version: 1,
  title: 'IAM role has administrative privileges',
  severity: 'medium',
  category: 'admin',
  description:
    'The role is allowed every action on every resource by its policies after their denies and its permissions boundary. High when its trust policy admits any principal, a whole account, or an external account.',
  risk: 'Whoever can assume the role, or run code as it, controls the account; a broad trust multiplies who that is.',
  remediation:
    'Scope the role to the actions its job needs; name the exact principals that may assume it instead of an account root or "*".',
  references: [
    'https://docs.datadoghq.com/security/default_rules/iam-roles-with-admin-privileges/',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const roles of ctx.access.context.rolesByAccount.values()) {
      for (const role of roles) {
        if (ctx.isAwsOwned(role) || !isFullAdmin(ctx, role)) continue;
        const broad = broadTrust(ctx, role);
        const trust = ctx.access.context.trustPolicy(role);
        const trusted = (trust?.statements ?? [])
          .filter((s) => s.effect === 'Allow' && s.principal && !s.principal.not)
          .flatMap((s) =>
            s.principal!.entries.map((e) => (e.kind === '*' ? '*' : `${e.kind}:${e.value}`)),
          );
        results.push({
          resource: ctx.refOf(role),
          severity: broad.length > 0 ? 'high' : 'medium',
          message:
            broad.length > 0
              ? `Role ${role.name} is an administrator and its trust admits ${broad[0]}${broad.length > 1 ? ` and ${broad.length - 1} more` : ''}.`
              : `Role ${role.name} is an administrator of account ${role.accountId}: its policies allow every action on every resource.`,
          evidence: { ...adminEvidence(ctx, role), broadTrust: broad, trustedPrincipals: trusted },
        });
      }
    }
    return results;
  },
};
