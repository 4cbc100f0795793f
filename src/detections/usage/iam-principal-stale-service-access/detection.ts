/**
 * UNU-10: services a user's or role's own policies name (`s3:*`, `dynamodb:GetItem`, …) that it
 * did not use at all over the tracking period. One finding per principal, listing the stale
 * services. The principal's IAM service last accessed data (Access Advisor, 400 days of history)
 * decides when it was collected: a named service it lists with no authentication in the period is
 * stale, one it does not list is not judged. CloudTrail decides otherwise: a service whose granted
 * actions the logs cannot show (only `iam:PassRole`, only unlogged data events) is unknown, not
 * stale. Grants by wildcard service (`*`, `Action: "*"`) name no service and are UNU-04's.
 */
import { loadCatalog } from '../../../catalog/index.js';
import { isOlderThanPeriod, periodStartOf, servicesOf } from '../../../usage/index.js';
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

/** The principals Access Advisor data can judge: collected, and existing for the whole period. */
function principalsWithLastAccessed(ctx: DetectionContext): (UserPrincipal | RolePrincipal)[] {
  return ctx.snapshot.principals.filter(
    (p): p is UserPrincipal | RolePrincipal =>
      (p.type === 'user' || p.type === 'role') &&
      !!p.serviceLastAccessed &&
      !ctx.isAwsOwned(p) &&
      isOlderThanPeriod(p.createDate, ctx.asOf, ctx.config.tracking) === true,
  );
}

function messageOf(
  principal: UserPrincipal | RolePrincipal,
  stale: readonly string[],
  named: number,
  days: number,
  source: string,
): string {
  const kind = principal.type === 'role' ? 'Role' : 'User';
  const shown = stale.slice(0, MESSAGE_SERVICES).join(', ');
  const more =
    stale.length > MESSAGE_SERVICES ? ` and ${stale.length - MESSAGE_SERVICES} more` : '';
  return `${kind} ${principal.name} did not use ${stale.length} of the ${named} services its policies name in the last ${days} days, according to ${source}: ${shown}${more}.`;
}

/** Stale services by IAM's service last accessed data. */
function judgeByAccessAdvisor(
  ctx: DetectionContext,
  principal: UserPrincipal | RolePrincipal,
): DetectionResult | null {
  const report = principal.serviceLastAccessed;
  if (!report) return null;
  const named = namedServices(ctx, principal);
  if (named.size === 0) return null;
  const periodStart = periodStartOf(ctx.asOf, ctx.config.tracking);
  // A named service the report does not list (a policy changed since) is not judged.
  const listed = report.services.filter((s) => named.has(s.namespace));
  const isUsed = (date: string | null): boolean =>
    date !== null && Date.parse(date) >= Date.parse(periodStart);
  const stale = listed.filter((s) => !isUsed(s.lastAuthenticated));
  if (stale.length === 0) return null;
  return {
    resource: ctx.refOf(principal),
    message: messageOf(
      principal,
      stale.map((s) => s.namespace),
      listed.length,
      ctx.config.tracking.periodDays,
      "IAM's service last accessed data",
    ),
    evidence: {
      source: 'service-last-accessed',
      staleServices: stale.map((s) => ({
        service: s.namespace,
        lastAuthenticated: s.lastAuthenticated,
        lastAuthenticatedRegion: s.lastAuthenticatedRegion,
      })),
      namedServices: listed.length,
      usedServices: listed.filter((s) => isUsed(s.lastAuthenticated)).map((s) => s.namespace),
      reportCompletedAt: report.jobCompletionDate,
      trackingPeriodDays: ctx.config.tracking.periodDays,
      periodStart,
      asOf: ctx.asOf,
    },
  };
}

/** Stale services by CloudTrail. */
function judgeByCloudTrail(
  ctx: DetectionContext,
  principal: UserPrincipal | RolePrincipal,
): DetectionResult | null {
  const named = namedServices(ctx, principal);
  if (named.size === 0) return null;
  const permissions = permissionUsageOf(ctx, principal);
  if (!permissions) return null;
  const services = servicesOf(permissions).filter((s) => named.has(s.service));
  // Stale: nothing used, and something the logs could have shown.
  const stale = services.filter((s) => s.used === 0 && s.unused > 0);
  if (stale.length === 0) return null;
  return {
    resource: ctx.refOf(principal),
    message: messageOf(
      principal,
      stale.map((s) => s.service),
      services.length,
      ctx.config.tracking.periodDays,
      'CloudTrail',
    ),
    evidence: {
      source: 'cloudtrail',
      staleServices: stale,
      namedServices: services.length,
      usedServices: services.filter((s) => s.used > 0).map((s) => s.service),
      trackingPeriodDays: ctx.config.tracking.periodDays,
      periodStart: permissions.periodStart,
      asOf: ctx.asOf,
    },
  };
}

export const detection: Detection = {
  id: 'iam-principal-stale-service-access',
  anchor: 'UNU-10',
  version: 2,
  title: 'Unused service access (stale services)',
  severity: 'low',
  category: 'usage',
  description:
    "A user or role is granted access to services, named in its policies, that it did not call at all over the tracking period (default 90 days), according to IAM's service last accessed data (Access Advisor) when it was collected, else CloudTrail.",
  risk: 'Access to a service nobody uses widens what stolen credentials can reach, with no benefit.',
  remediation:
    'Remove the stale services from the policies (or replace them with `iamsight suggest-policy PRINCIPAL`); keep a service only if it is needed for rare, documented events.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html',
    'https://github.com/Netflix/repokid',
  ],
  requires: ['iam'],
  requiresOneOf: ['service-last-accessed', 'cloudtrail'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User', 'AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    const judged = new Set<string>();
    for (const principal of principalsWithLastAccessed(ctx)) {
      judged.add(principal.arn);
      const result = judgeByAccessAdvisor(ctx, principal);
      if (result) results.push(result);
    }
    for (const principal of principalsWithObservableUse(ctx)) {
      // Access Advisor data, when collected for the principal, decides alone.
      if (judged.has(principal.arn) || principal.serviceLastAccessed) continue;
      const result = judgeByCloudTrail(ctx, principal);
      if (result) results.push(result);
    }
    return results;
  },
};
