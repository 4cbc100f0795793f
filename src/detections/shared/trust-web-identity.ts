/**
 * "Can a stranger's token assume this role?" for OIDC and web identity trusts, decided by the
 * engine: a token from the trusted provider, carrying claims a stranger can obtain (a repository
 * or project of their own, a service account of their own, another identity pool), asks for
 * sts:AssumeRoleWithWebIdentity against the trust policy and the RCPs. Claims the stranger
 * chooses freely (the audience of GitHub, GitLab and Terraform Cloud tokens) satisfy any
 * condition on them; a condition on another claim of the provider that the probe does not carry
 * pins the role to someone else's tokens, so it closes the request; a condition on a global key
 * (source IP, ...) leaves it open only under that condition.
 */
import type { RolePrincipal } from '../../model/index.js';
import type { EvaluationResult } from '../../policy/evaluate.js';
import { callerIdentityFromArn } from '../../policy/match-principal.js';
import type { PendingCondition } from '../../policy/types.js';
import type { DetectionContext } from '../types.js';
import { trustRequest, type TrustAccess } from './trust-requests.js';

/** The kinds of web identity provider the trust detections tell apart. */
export type WebIdentityKind = 'github' | 'gitlab' | 'terraform-cloud' | 'eks' | 'cognito' | 'oidc';

/** A web identity provider a role trusts. */
export interface WebIdentityProvider {
  /** As the trust names it: an OIDC provider ARN or a name such as `accounts.google.com`. */
  readonly provider: string;
  /** The issuer host and path, the prefix of its claim keys (`token.actions.githubusercontent.com`). */
  readonly issuer: string;
  readonly kind: WebIdentityKind;
}

const OIDC_ARN = /^arn:[^:]+:iam::\d{12}:oidc-provider\/(.+)$/;
const NAMED_PROVIDERS = new Set([
  'accounts.google.com',
  'cognito-identity.amazonaws.com',
  'graph.facebook.com',
  'www.amazon.com',
]);

/** The web identity provider behind a trust's Federated entry, or null (SAML providers and others). */
export function webIdentityProvider(provider: string): WebIdentityProvider | null {
  const match = OIDC_ARN.exec(provider);
  const issuer = match ? match[1]!.toLowerCase() : provider.toLowerCase();
  if (!match && !NAMED_PROVIDERS.has(issuer)) return null;
  return { provider, issuer, kind: kindOf(issuer) };
}

function kindOf(issuer: string): WebIdentityKind {
  const host = issuer.split('/')[0]!;
  if (host === 'token.actions.githubusercontent.com') return 'github';
  if (host.includes('gitlab')) return 'gitlab';
  if (host === 'app.terraform.io') return 'terraform-cloud';
  if (/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(host)) return 'eks';
  if (issuer === 'cognito-identity.amazonaws.com') return 'cognito';
  return 'oidc';
}

/** The web identity providers a role trusts. */
export function webIdentityProvidersOf(
  ctx: DetectionContext,
  role: RolePrincipal,
): WebIdentityProvider[] {
  const facts = ctx.access.context.trust.get(role.arn);
  return (facts?.providers ?? []).flatMap((p) => {
    const provider = webIdentityProvider(p);
    return provider ? [provider] : [];
  });
}

/** A stranger's token: the claims it carries and the claims the stranger may set to anything. */
export interface StrangerToken {
  readonly claims: Readonly<Record<string, string | readonly string[]>>;
  /** Claim names (without the issuer prefix) the stranger chooses freely. */
  readonly chosen: readonly string[];
  /** What the stranger is, for messages and evidence. */
  readonly who: string;
}

/** The token a stranger can obtain from a provider of this kind. */
export function strangerToken(kind: WebIdentityKind): StrangerToken {
  switch (kind) {
    case 'github':
      // Anyone can create a repository and run a workflow; the audience is a workflow input.
      return {
        claims: { sub: 'repo:iamsight-probe/any-repository:ref:refs/heads/main' },
        chosen: ['aud'],
        who: 'a workflow in any GitHub repository',
      };
    case 'gitlab':
      // Any project on the instance; `id_tokens: aud:` is set in the project's own pipeline.
      return {
        claims: { sub: 'project_path:iamsight-probe/any-project:ref_type:branch:ref:main' },
        chosen: ['aud'],
        who: 'a pipeline in any GitLab project',
      };
    case 'terraform-cloud':
      return {
        claims: {
          sub: 'organization:iamsight-probe:project:any:workspace:any:run_phase:apply',
        },
        chosen: ['aud'],
        who: 'a run in any Terraform Cloud organization',
      };
    case 'eks':
      // Any pod in the cluster; a projected token's audience is part of the pod spec.
      return {
        claims: { sub: 'system:serviceaccount:iamsight-probe:any-service-account' },
        chosen: ['aud'],
        who: 'any service account in the cluster',
      };
    case 'cognito':
      return {
        claims: {
          aud: 'us-east-1:00000000-0000-0000-0000-000000000000',
          amr: ['unauthenticated'],
          sub: 'us-east-1:00000000-0000-0000-0000-000000000001',
        },
        chosen: [],
        who: 'an identity of any Cognito identity pool',
      };
    case 'oidc':
      return {
        claims: {
          aud: 'iamsight-probe-client',
          sub: 'iamsight-probe-subject',
          azp: 'iamsight-probe-client',
          oaud: 'iamsight-probe-client',
          app_id: 'iamsight-probe-app',
          id: 'iamsight-probe-user',
          user_id: 'iamsight-probe-user',
        },
        chosen: [],
        who: 'a token the provider issues to any client',
      };
  }
}

/** The answer for a token's request, with what decided it. */
export interface TokenAccess {
  readonly access: TrustAccess;
  readonly result: EvaluationResult;
  /** Pending conditions left after the stranger's free choices (global keys such as aws:SourceIp). */
  readonly pending: readonly PendingCondition[];
}

/**
 * A token from `provider` with `claims` asks for the role. `chosen` claims are the caller's to
 * set; an Allow pending on any other claim of the provider closes the request.
 */
export function tokenRequest(
  ctx: DetectionContext,
  role: RolePrincipal,
  provider: WebIdentityProvider,
  token: Pick<StrangerToken, 'claims' | 'chosen'>,
): TokenAccess {
  const caller = callerIdentityFromArn(provider.provider);
  const context: Record<string, string | readonly string[]> = {};
  for (const [claim, value] of Object.entries(token.claims))
    context[`${provider.issuer}:${claim}`] = value;
  const result = trustRequest(ctx, role, caller, 'sts:AssumeRoleWithWebIdentity', { context });
  if (result.decision !== 'Allowed') return { access: 'closed', result, pending: [] };
  const prefix = `${provider.issuer}:`;
  const chosen = new Set(token.chosen.map((c) => `${prefix}${c}`));
  const pending: PendingCondition[] = [];
  for (const condition of result.conditional) {
    const key = condition.clause.key.toLowerCase();
    if (chosen.has(key)) continue;
    if (key.startsWith(prefix) && condition.effect === 'Allow')
      return { access: 'closed', result, pending: [] };
    pending.push(condition);
  }
  return { access: pending.length > 0 ? 'conditional' : 'open', result, pending };
}
