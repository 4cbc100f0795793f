/**
 * Findings for roles a stranger's web identity token can assume (TRU-06, TRU-07, TRU-08): one per
 * role, naming every trusted provider of the given kinds that lets the stranger in.
 */
import type { RolePrincipal } from '../../model/index.js';
import type { DetectionContext, DetectionResult, Severity } from '../types.js';
import { decidingStatements, pendingEvidence } from './trust-requests.js';
import {
  strangerToken,
  tokenRequest,
  webIdentityProvidersOf,
  type StrangerToken,
  type WebIdentityKind,
  type WebIdentityProvider,
} from './trust-web-identity.js';

/** How a detection words and grades its findings. */
export interface StrangerFindingOptions {
  /** Severity when the stranger gets in only under a condition the data cannot decide. */
  readonly conditionalSeverity: Severity;
  /** The finding's sentence (must name the role). `conditions` are the pending keys. */
  readonly message: (
    role: RolePrincipal,
    token: StrangerToken,
    conditions: readonly string[],
    provider: WebIdentityProvider,
  ) => string;
}

/** Roles (not AWS-owned) that a stranger's token from a provider of `kinds` can assume. */
export function strangerWebIdentityFindings(
  ctx: DetectionContext,
  kinds: readonly WebIdentityKind[],
  options: StrangerFindingOptions,
): DetectionResult[] {
  const results: DetectionResult[] = [];
  for (const role of ctx.snapshot.principals) {
    if (role.type !== 'role' || ctx.isAwsOwned(role)) continue;
    const hits = webIdentityProvidersOf(ctx, role)
      .filter((provider) => kinds.includes(provider.kind))
      .flatMap((provider) => {
        const token = strangerToken(provider.kind);
        const answer = tokenRequest(ctx, role, provider, token);
        return answer.access === 'closed' ? [] : [{ provider, token, answer }];
      });
    const first = hits.find((h) => h.answer.access === 'open') ?? hits[0];
    if (!first) continue;
    const open = first.answer.access === 'open';
    const conditions = [...new Set(first.answer.pending.map((c) => c.clause.key))];
    results.push({
      resource: ctx.refOf(role),
      ...(open ? {} : { severity: options.conditionalSeverity }),
      message: options.message(role, first.token, conditions, first.provider),
      evidence: {
        providers: hits.map((h) => ({
          provider: h.provider.provider,
          issuer: h.provider.issuer,
          stranger: h.token.who,
          claims: Object.fromEntries(
            Object.entries(h.token.claims).map(([k, v]) => [`${h.provider.issuer}:${k}`, v]),
          ),
          access: h.answer.access,
          statements: decidingStatements(h.answer.result),
          conditions: pendingEvidence(h.answer.pending),
        })),
      },
    });
  }
  return results;
}
