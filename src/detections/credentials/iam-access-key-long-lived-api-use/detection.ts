/**
 * CRED-08: a long-lived access key (`AKIA…`) called services other than IAM and STS within the
 * tracking period, according to CloudTrail: a workload runs on static credentials. One finding
 * per key, on the user (or root) it belongs to. Keys of principals outside the snapshot are not
 * reported.
 */
import type { Principal } from '../../../model/index.js';
import { isAtOrAfter, periodStartOf } from '../../../usage/index.js';
import type { Detection, DetectionResult, ResourceRef } from '../../types.js';

/** Services a long-lived key may legitimately call (to get temporary credentials, or manage IAM). */
const EXEMPT_SERVICES = new Set(['iam', 'sts']);
/** Services named in a message (the evidence lists them all). */
const MESSAGE_SERVICES = 5;

export const detection: Detection = {
  id: 'iam-access-key-long-lived-api-use',
  anchor: 'CRED-08',
  version: 1,
  title: 'Long-lived access key used for AWS APIs',
  severity: 'high',
  category: 'credentials',
  description:
    'CloudTrail shows a long-lived access key (AKIA…) calling AWS services other than IAM and STS within the tracking period (default 90 days).',
  risk: 'A workload on static keys holds a secret that works from anywhere until someone rotates it; leaked keys are the most common way into AWS accounts.',
  remediation:
    'Run the workload with a role (instance profile, task role, IRSA, OIDC federation for CI, IAM Roles Anywhere outside AWS) and delete the key.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles',
    'https://docs.aws.amazon.com/rolesanywhere/latest/userguide/introduction.html',
  ],
  requires: ['cloudtrail'],
  identityFields: ['keyId'],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const usage = ctx.usage;
    if (!usage) return [];
    const since = periodStartOf(ctx.asOf, ctx.config.tracking);
    const principals = new Map<string, Principal>(ctx.snapshot.principals.map((p) => [p.arn, p]));
    const accounts = new Set(ctx.snapshot.accounts.map((a) => a.id));
    const results: DetectionResult[] = [];
    for (const key of usage.usage.accessKeys) {
      if (!key.accessKeyId.startsWith('AKIA') || !isAtOrAfter(key.lastSeen, since)) continue;
      const services = key.services.filter((s) => !EXEMPT_SERVICES.has(s.toLowerCase()));
      if (services.length === 0) continue;
      const principal = principals.get(key.principal);
      let resource: ResourceRef | null = null;
      let who: string;
      if (principal?.type === 'user') {
        resource = ctx.refOf(principal);
        who = `User ${principal.name}`;
      } else {
        const root = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(key.principal);
        if (!root?.[1] || !accounts.has(root[1])) continue;
        resource = principal
          ? ctx.refOf(principal)
          : {
              arn: key.principal,
              type: 'AWS::IAM::Root',
              name: '<root_account>',
              accountId: root[1],
            };
        who = `The root user (<root_account>) of account ${root[1]}`;
      }
      const shown = services.slice(0, MESSAGE_SERVICES).join(', ');
      const more =
        services.length > MESSAGE_SERVICES ? ` and ${services.length - MESSAGE_SERVICES} more` : '';
      results.push({
        resource,
        identity: { keyId: key.accessKeyId },
        message: `${who} called ${shown}${more} with long-lived access key ${key.accessKeyId}, last on ${key.lastSeen.slice(0, 10)}.`,
        evidence: {
          keyId: key.accessKeyId,
          services,
          calls: key.count,
          firstSeen: key.firstSeen,
          lastSeen: key.lastSeen,
          trackingPeriodDays: ctx.config.tracking.periodDays,
          asOf: ctx.asOf,
        },
      });
    }
    return results;
  },
};
