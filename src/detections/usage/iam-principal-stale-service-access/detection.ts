/**
 * UNU-10: services a user's or role's own policies name (`s3:*`, `dynamodb:GetItem`, …) that it
 * did not use at all over the tracking period, according to CloudTrail. One finding per
 * principal, listing the stale services. Grants by wildcard service (`*`, `Action: "*"`) name no
 * service and are UNU-04's; a service whose granted actions the logs cannot show (only
 * `iam:PassRole`, only unlogged data events) is unknown, not stale.
 */
import { loadCatalog } from '../../../catalog/index.js';
import { servicesOf } from '../../../usage/index.js';
import type { RolePrincipal, UserPrincipal } from '../../../model/index.js';
import type { NormalizedPolicy } from '../../../policy/types.js';
import { permissionUsageOf, principalsWithObservableUse } from '../../shared/usage-evidence.js';
import type { Detection, DetectionContext, DetectionResult } from '../../types.js';

/** Services named in a message (the evidence lists them all). */
const MESSAGE_SERVICES = 8;

const namedByPolicy = new WeakMap<NormalizedPolicy, ReadonlySet<string>>();

/** The services a policy's Allow statements name explicitly (no wildcard in the service). */
function servicesNamedBy(policy: NormalizedPolicy): ReadonlySet<string> {
  let names = namedByPolicy.get(policy);
  if (!names) {
    const catalog = loadCatalog();
    const found = new Set<string>();
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow' || !statement.action || statement.action.not) continue;
      for (const pattern of statement.action.patterns) {
        const colon = pattern.indexOf(':');
        if (colon < 0 || /[*?]/.test(pattern.slice(0, colon))) continue;
        const key = catalog.serviceOf(pattern);
        if (key) found.add(key);
      }
    }
    names = found;
    namedByPolicy.set(policy, names);
  }
  return names;
}

/** The services the principal's identity policies name explicitly. */
function namedServices(
  ctx: DetectionContext,
  principal: UserPrincipal | RolePrincipal,
): Set<string> {
  const names = new Set<string>();
  for (const policy of ctx.access.context.evaluator.policiesFor(principal).identity)
    for (const name of servicesNamedBy(policy)) names.add(name);
  return names;
}

export const detection: Detection = {
  id: 'iam-principal-stale-service-access',
  anchor: 'UNU-10',
  version: 1,
  title: 'Unused service access (stale services)',
  severity: 'low',
  category: 'usage',
  description:
    'A user or role is granted access to services, named in its policies, that it did not call at all over the tracking period (default 90 days), according to CloudTrail.',
  risk: 'Access to a service nobody uses widens what stolen credentials can reach, with no benefit.',
  remediation:
    'Remove the stale services from the policies (or replace them with `iamsight suggest-policy PRINCIPAL`); keep a service only if it is needed for rare, documented events.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html',
    'https://github.com/Netflix/repokid',
  ],
  requires: ['iam', 'cloudtrail'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User', 'AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const principal of principalsWithObservableUse(ctx)) {
      const named = namedServices(ctx, principal);
      if (named.size === 0) continue;
      const permissions = permissionUsageOf(ctx, principal);
      if (!permissions) continue;
      const services = servicesOf(permissions).filter((s) => named.has(s.service));
      // Stale: nothing used, and something the logs could have shown.
      const stale = services.filter((s) => s.used === 0 && s.unused > 0);
      if (stale.length === 0) continue;
      const kind = principal.type === 'role' ? 'Role' : 'User';
      const shown = stale
        .slice(0, MESSAGE_SERVICES)
        .map((s) => s.service)
        .join(', ');
      const more =
        stale.length > MESSAGE_SERVICES ? ` and ${stale.length - MESSAGE_SERVICES} more` : '';
      results.push({
        resource: ctx.refOf(principal),
        message: `${kind} ${principal.name} did not use ${stale.length} of the ${services.length} services its policies name in the last ${ctx.config.tracking.periodDays} days: ${shown}${more}.`,
        evidence: {
          staleServices: stale,
          namedServices: services.length,
          usedServices: services.filter((s) => s.used > 0).map((s) => s.service),
          trackingPeriodDays: ctx.config.tracking.periodDays,
          periodStart: permissions.periodStart,
          asOf: ctx.asOf,
        },
      });
    }
    return results;
  },
};
