/**
 * TRU-06: a role any GitHub Actions workflow can assume. The engine decides: a token from the
 * trusted GitHub OIDC provider, issued to a workflow of a repository nobody in your organization
 * owns (`repo:<stranger>/<repo>:ref:refs/heads/main`, with whatever audience the workflow asks
 * for), requests sts:AssumeRoleWithWebIdentity. No `sub` condition, or a `sub` pattern such as
 * `repo:*` or `*`, lets it in → critical; in only under a global condition the data cannot decide
 * (source IP) → medium; a `sub` pinned to your organization or repository → silent.
 */
import type { Detection } from '../../types.js';
import { strangerWebIdentityFindings } from '../../shared/trust-oidc-findings.js';

export const detection: Detection = {
  id: 'iam-role-github-oidc-any-repository',
  anchor: 'TRU-06',
  version: 1,
  title: 'Role assumable by any GitHub repository (OIDC)',
  severity: 'critical',
  category: 'trust',
  description:
    'The role trusts the GitHub Actions OIDC provider (token.actions.githubusercontent.com) without a condition on token.actions.githubusercontent.com:sub that limits it to your repositories.',
  risk: 'A GitHub Actions workflow in any repository in the world can obtain credentials for this role.',
  remediation:
    'Add a StringEquals (or narrow StringLike) condition on token.actions.githubusercontent.com:sub naming your organization and repository (and branch or environment), and token.actions.githubusercontent.com:aud = sts.amazonaws.com.',
  references: [
    'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub',
    'https://securitylabs.datadoghq.com/cloud-security-atlas/vulnerabilities/iam-role-can-be-assumed-by-any-github-action/',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    return strangerWebIdentityFindings(ctx, ['github'], {
      conditionalSeverity: 'medium',
      message: (role, token, conditions) =>
        conditions.length === 0
          ? `Role ${role.name} can be assumed by ${token.who}: its GitHub OIDC trust does not pin token.actions.githubusercontent.com:sub to your repositories.`
          : `Role ${role.name} can be assumed by ${token.who} that meets ${conditions.join(', ')}: its GitHub OIDC trust does not pin the repository.`,
    });
  },
};
