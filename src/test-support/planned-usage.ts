/**
 * The generator's planned use (src/generate/usage-plan.ts) as the Usage document CloudTrail would
 * give for it: every role and user used within the CloudTrail window appears with the actions it
 * calls, last on its planned last-use date; keys used in the window appear as access keys; root's
 * sign-ins and key use likewise. Principals not used in the window are absent, as in real logs.
 * (The real reader of CloudTrail files is src/ingest/cloudtrail; this stands in for it in tests.)
 */
import type { UsagePlan } from '../generate/index.js';
import {
  USAGE_SCHEMA,
  type AccessKeyUsage,
  type ActionUsage,
  type PrincipalUsage,
  type Usage,
} from '../model/index.js';

const later = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

/** Converts the usage plans of the accounts of one generated organization into one Usage. */
export function usageFromPlans(plans: readonly UsagePlan[]): Usage {
  const start = plans
    .map((p) => p.window.start)
    .reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
  const end = plans.map((p) => p.window.end).reduce(later);
  const inWindow = (date: string | null): date is string =>
    date !== null && Date.parse(date) >= Date.parse(start) && Date.parse(date) <= Date.parse(end);
  const principals: PrincipalUsage[] = [];
  const accessKeys: AccessKeyUsage[] = [];
  const actionsOf = (
    calls: readonly string[],
    resources: readonly string[],
    since: string,
    last: string,
  ): ActionUsage[] =>
    (calls.length > 0 ? calls : ['sts:GetCallerIdentity']).map((action) => {
      const service = action.split(':')[0];
      return {
        action,
        firstSeen: since,
        lastSeen: last,
        count: 12,
        denied: 0,
        resources: resources.filter((arn) => arn.split(':')[2] === service).slice(0, 20),
        resourcesTruncated: false,
      };
    });
  for (const plan of plans) {
    for (const p of plan.principals) {
      const since = later(p.created, start);
      const keys = p.keys.filter((k) => inWindow(k.lastUsed));
      const console = p.password && inWindow(p.password.lastUsed) ? p.password.lastUsed : null;
      const uses = [p.lastUsed, console, ...keys.map((k) => k.lastUsed)].filter(inWindow);
      if (uses.length === 0) continue;
      const last = uses.reduce(later);
      principals.push({
        principal: p.arn,
        kind: p.kind,
        accountId: plan.accountId,
        firstSeen: since,
        lastSeen: last,
        actions: actionsOf(p.actions, p.resources, since, last).sort((a, b) =>
          a.action < b.action ? -1 : 1,
        ),
        lastConsoleLogin: console,
      });
      for (const key of keys)
        accessKeys.push({
          accessKeyId: key.id,
          principal: p.arn,
          firstSeen: later(key.created, start),
          lastSeen: key.lastUsed!,
          count: 12,
          services: [...new Set(p.actions.map((a) => a.split(':')[0] ?? ''))].sort().slice(0, 64),
        });
    }
    const rootKeys = plan.root.keys.filter((k) => inWindow(k.lastUsed));
    const rootLogin = inWindow(plan.root.passwordLastUsed) ? plan.root.passwordLastUsed : null;
    const rootUses = [rootLogin, ...rootKeys.map((k) => k.lastUsed)].filter(inWindow);
    if (rootUses.length > 0) {
      const last = rootUses.reduce(later);
      principals.push({
        principal: plan.root.arn,
        kind: 'root',
        accountId: plan.accountId,
        firstSeen: rootUses.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b)),
        lastSeen: last,
        actions: actionsOf(rootKeys.length > 0 ? ['s3:ListAllMyBuckets'] : [], [], start, last),
        lastConsoleLogin: rootLogin,
      });
      for (const key of rootKeys)
        accessKeys.push({
          accessKeyId: key.id,
          principal: plan.root.arn,
          firstSeen: later(key.created, start),
          lastSeen: key.lastUsed!,
          count: 3,
          services: ['s3'],
        });
    }
  }
  return {
    schema: USAGE_SCHEMA,
    window: { start, end },
    principals: principals.sort((a, b) => (a.principal < b.principal ? -1 : 1)),
    accessKeys: accessKeys.sort((a, b) => (a.accessKeyId < b.accessKeyId ? -1 : 1)),
    assumptions: [],
    stats: {
      files: 0,
      bytes: 0,
      records: principals.reduce((n, p) => n + p.actions.length * 12, 0),
      outsideWindow: 0,
      malformedRecords: 0,
      unreadableFiles: [],
    },
  };
}
