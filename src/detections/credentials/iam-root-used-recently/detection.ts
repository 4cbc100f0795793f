/**
 * CRED-06: the account root user was used within the tracking period (default 90 days): its
 * password (credential report `password_last_used`, CloudTrail console sign-ins), its access keys,
 * or any call CloudTrail recorded with `userIdentity.type` Root. The latest evidence is reported.
 */
import {
  holderLastActivity,
  isAtOrAfter,
  periodStartOf,
  type LastUse,
} from '../../../usage/index.js';
import { rootsOf } from '../../shared/credentials-keys.js';
import { describeLastUse, isUsedInPeriod, lastUseEvidence } from '../../shared/usage-evidence.js';
import type { Detection, DetectionContext, DetectionResult, ResourceRef } from '../../types.js';

/** The calls CloudTrail saw root make in the period, most recent first (at most 10, for evidence). */
function recentCalls(ctx: DetectionContext, arn: string): { action: string; lastSeen: string }[] {
  const since = periodStartOf(ctx.asOf, ctx.config.tracking);
  return (ctx.usage?.principal(arn)?.actions ?? [])
    .filter((a) => isAtOrAfter(a.lastSeen, since))
    .sort((a, b) => Date.parse(b.lastSeen) - Date.parse(a.lastSeen))
    .slice(0, 10)
    .map((a) => ({ action: a.action, lastSeen: a.lastSeen }));
}

function rootRef(accountId: string, arn: string): ResourceRef {
  return { arn, type: 'AWS::IAM::Root', name: '<root_account>', accountId };
}

export const detection: Detection = {
  id: 'iam-root-used-recently',
  anchor: 'CRED-06',
  version: 1,
  title: 'Root user used recently',
  severity: 'high',
  category: 'credentials',
  description:
    'The account root user signed in, used an access key or made API calls within the tracking period (default 90 days), according to the credential report and CloudTrail.',
  risk: 'Root cannot be restricted by IAM policies or permissions boundaries; using it for daily work exposes the one identity whose compromise cannot be contained.',
  remediation:
    'Use IAM Identity Center or roles for daily work and keep root for the few tasks that need it; protect it with MFA, delete its access keys, and consider centralized root access management for member accounts.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html',
  ],
  requires: ['credential-report'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Root'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    const report = (ref: ResourceRef, lastUse: LastUse): void => {
      if (!isUsedInPeriod(ctx, lastUse)) return;
      const calls = recentCalls(ctx, ref.arn);
      results.push({
        resource: ref,
        message: `The root user (${ref.name}) of account ${ref.accountId} was used in the last ${ctx.config.tracking.periodDays} days: ${describeLastUse(lastUse, ctx.asOf)}.`,
        evidence: lastUseEvidence(ctx, lastUse, { recentCalls: calls }),
      });
    };
    const known = new Set<string>();
    for (const root of rootsOf(ctx)) {
      known.add(root.arn);
      report(ctx.refOf(root), holderLastActivity(root, ctx.usage));
    }
    // Roots the credential report did not cover, seen in CloudTrail for an account of the snapshot.
    if (ctx.usage) {
      for (const account of ctx.snapshot.accounts) {
        const arn = `arn:aws:iam::${account.id}:root`;
        if (known.has(arn)) continue;
        const seen = ctx.usage.principal(arn);
        if (!seen) continue;
        const lastUse: LastUse = {
          latest: { source: 'cloudtrail', lastUsed: seen.lastSeen },
          sources: [{ source: 'cloudtrail', lastUsed: seen.lastSeen }],
        };
        report(rootRef(account.id, arn), lastUse);
      }
    }
    return results;
  },
};
