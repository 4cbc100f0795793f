/**
 * TRU-08: a role that tokens of strangers can assume through an OIDC or web identity trust other
 * than GitHub and GitLab (TRU-06, TRU-07): Cognito identity pools, EKS IRSA, Terraform Cloud,
 * Google and any other OIDC provider. The engine decides, with a token the stranger can obtain:
 * - Cognito: an identity of another identity pool (`cognito-identity.amazonaws.com:aud` not
 *   pinned) → high; pinned to your pool but without an `amr` condition, so the pool's guest and
 *   signed-in identities both get the role → medium;
 * - EKS IRSA: any service account of the cluster (`<issuer>:sub` not pinned) → high;
 * - Terraform Cloud: a run of any organization (`app.terraform.io:sub` not pinned; the audience
 *   is the workspace's to choose) → high;
 * - other providers: a token issued to any client and subject (neither `:aud` nor `:sub`, nor a
 *   provider key such as Facebook's `app_id`, pinned) → high.
 * In only under a global condition the data cannot decide (source IP) → medium. SAML providers
 * are not web identity (TRU-13).
 */
import type { Detection, DetectionResult } from '../../types.js';
import { strangerWebIdentityFindings } from '../../shared/trust-oidc-findings.js';
import { decidingStatements } from '../../shared/trust-requests.js';
import { tokenRequest, webIdentityProvidersOf } from '../../shared/trust-web-identity.js';

export const detection: Detection = {
  id: 'iam-role-web-identity-trust-without-audience-or-subject',
  anchor: 'TRU-08',
  version: 1,
  title: 'Web identity trust without audience or subject conditions',
  severity: 'high',
  category: 'trust',
  description:
    'The role trusts an OIDC or web identity provider (Cognito identity pools, EKS IRSA, Terraform Cloud, Google, ...) without provider-specific aud/sub conditions that limit it to your tenant, cluster, workspace or application.',
  risk: 'Tokens the provider issues to unrelated tenants, service accounts or applications are accepted, and their holders get the role’s permissions.',
  remediation:
    'Add StringEquals conditions on the provider keys: cognito-identity.amazonaws.com:aud (your identity pool) and :amr; <eks-issuer>:sub (system:serviceaccount:<namespace>:<name>); app.terraform.io:sub (organization:<org>:project:...); <issuer>:aud for other providers.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif',
    'https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html',
    'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
    'https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = strangerWebIdentityFindings(
      ctx,
      ['cognito', 'eks', 'terraform-cloud', 'oidc'],
      {
        conditionalSeverity: 'medium',
        message: (role, token, conditions, provider) =>
          conditions.length === 0
            ? `Role ${role.name} can be assumed by ${token.who} (${provider.issuer}): its trust does not pin the provider's audience or subject.`
            : `Role ${role.name} can be assumed by ${token.who} (${provider.issuer}) that meets ${conditions.join(', ')}: its trust does not pin the provider's audience or subject.`,
      },
    );
    // Cognito pinned to your pool, but with no `amr` decision: guests get the role too.
    const flagged = new Set(results.map((r) => r.resource.arn));
    for (const role of ctx.snapshot.principals) {
      if (role.type !== 'role' || ctx.isAwsOwned(role) || flagged.has(role.arn)) continue;
      for (const provider of webIdentityProvidersOf(ctx, role)) {
        if (provider.kind !== 'cognito') continue;
        // The pool's own identities carry its audience: `aud` is satisfied, `amr` decides.
        const guest = tokenRequest(ctx, role, provider, {
          claims: { amr: ['unauthenticated'] },
          chosen: ['aud'],
        });
        const signedIn = tokenRequest(ctx, role, provider, {
          claims: { amr: ['authenticated'] },
          chosen: ['aud'],
        });
        if (guest.access === 'closed' || signedIn.access === 'closed') continue;
        results.push({
          resource: ctx.refOf(role),
          severity: 'medium',
          message: `Role ${role.name} can be assumed by both guest and signed-in identities of its Cognito identity pool: its trust has no cognito-identity.amazonaws.com:amr condition.`,
          evidence: {
            providers: [
              {
                provider: provider.provider,
                issuer: provider.issuer,
                stranger: 'a guest (unauthenticated) identity of the pool',
                claims: { 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] },
                access: guest.access,
                statements: decidingStatements(guest.result),
                conditions: [],
              },
            ],
          },
        });
        break;
      }
    }
    return results;
  },
};
