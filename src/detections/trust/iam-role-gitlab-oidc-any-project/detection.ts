/**
 * TRU-07: a role any GitLab project can assume, on gitlab.com or a self-hosted GitLab (an OIDC
 * provider whose issuer contains "gitlab"). The engine decides: a token of a project nobody in
 * your organization owns (`project_path:<stranger>/<project>:...`, any audience, since a pipeline
 * sets its own `id_tokens` audience) requests sts:AssumeRoleWithWebIdentity. No `<issuer>:sub`
 * condition (or a pattern that admits the stranger) → critical; in only under a global condition
 * the data cannot decide → medium; `sub` pinned to your group or project → silent.
 */
import type { Detection } from '../../types.js';
import { strangerWebIdentityFindings } from '../../shared/trust-oidc-findings.js';

export const detection: Detection = {
  id: 'iam-role-gitlab-oidc-any-project',
  anchor: 'TRU-07',
  version: 1,
  title: 'Role assumable by any GitLab project (OIDC)',
  severity: 'critical',
  category: 'trust',
  description:
    'The role trusts a GitLab OIDC provider (gitlab.com or self-hosted) without a condition on <issuer>:sub that limits it to your projects.',
  risk: 'A CI/CD pipeline of any project on that GitLab instance can obtain credentials for this role.',
  remediation:
    'Add a StringEquals (or narrow StringLike) condition on <issuer>:sub such as project_path:<group>/<project>:ref_type:branch:ref:main.',
  references: [
    'https://docs.gitlab.com/ci/cloud_services/aws/',
    'https://docs.datadoghq.com/security/default_rules/def-000-qk5/',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    return strangerWebIdentityFindings(ctx, ['gitlab'], {
      conditionalSeverity: 'medium',
      message: (role, token, conditions, provider) =>
        conditions.length === 0
          ? `Role ${role.name} can be assumed by ${token.who} on ${provider.issuer}: its OIDC trust does not pin ${provider.issuer}:sub to your projects.`
          : `Role ${role.name} can be assumed by ${token.who} on ${provider.issuer} that meets ${conditions.join(', ')}: its OIDC trust does not pin the project.`,
    });
  },
};
