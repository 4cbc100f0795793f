/**
 * UNU-04: a large permission gap — of the actions a user's or role's policies grant (effective
 * permissions: after denies, the permissions boundary and SCPs), more than the configured share
 * (default 40%) went unused over the tracking period, according to CloudTrail. Actions the logs
 * cannot show (`iam:PassRole`, data events the trail does not log) are unknown and left out of
 * both counts; Deny-only statements grant nothing. Judged only for principals the logs show
 * acting in the period, in accounts the logs cover.
 */
import { servicesOf } from '../../../usage/index.js';
import { permissionUsageOf, principalsWithObservableUse } from '../../shared/usage-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

/** Services listed in the evidence (those with the most unused actions). */
const EVIDENCE_SERVICES = 20;

const percent = (ratio: number): string => `${(Math.floor(ratio * 1000) / 10).toFixed(1)}%`;

export const detection: Detection = {
  id: 'iam-principal-permission-gap',
  anchor: 'UNU-04',
  version: 1,
  title: 'Large permission gap (unused permissions)',
  severity: 'medium',
  category: 'usage',
  description:
    'More than 40% (configurable) of the actions a user or role is granted went unused over the tracking period (default 90 days), according to CloudTrail; actions CloudTrail cannot show (iam:PassRole, unlogged data events) are left out.',
  risk: 'Every unused permission is blast radius with no business value: whoever steals the credentials gets it all.',
  remediation:
    'Replace the policies with a least-privilege policy built from the actions used (`iamsight suggest-policy PRINCIPAL`), keeping the actions CloudTrail cannot show that the workload needs.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html',
    'https://docs.datadoghq.com/security/identity_risks/',
  ],
  requires: ['iam', 'cloudtrail'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User', 'AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    const threshold = ctx.config.tracking.permissionGapRatio;
    for (const principal of principalsWithObservableUse(ctx)) {
      const permissions = permissionUsageOf(ctx, principal);
      if (!permissions || permissions.unusedRatio <= threshold) continue;
      const used = permissions.used.count();
      const observable = used + permissions.unused.count();
      const kind = principal.type === 'role' ? 'Role' : 'User';
      const services = servicesOf(permissions)
        .filter((s) => s.unused > 0)
        .sort((a, b) => b.unused - a.unused || (a.service < b.service ? -1 : 1));
      results.push({
        resource: ctx.refOf(principal),
        message: `${kind} ${principal.name} used ${used.toLocaleString('en')} of the ${observable.toLocaleString('en')} actions it is granted in the last ${ctx.config.tracking.periodDays} days: ${percent(permissions.unusedRatio)} unused (threshold ${percent(threshold)}).`,
        evidence: {
          granted: permissions.granted.count(),
          used,
          unused: permissions.unused.count(),
          unknown: permissions.unknown.count(),
          unusedPercent: Math.round(permissions.unusedRatio * 1000) / 10,
          thresholdPercent: Math.round(threshold * 1000) / 10,
          services: services.slice(0, EVIDENCE_SERVICES),
          moreServices: Math.max(0, services.length - EVIDENCE_SERVICES),
          usedActions: permissions.used.toActions(),
          usedNotGranted: permissions.usedNotGranted.map((a) => a.action),
          trackingPeriodDays: ctx.config.tracking.periodDays,
          periodStart: permissions.periodStart,
          asOf: ctx.asOf,
        },
      });
    }
    return results;
  },
};
