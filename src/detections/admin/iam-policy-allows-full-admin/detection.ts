/**
 * ADM-04: a customer-written policy that allows every action on every resource: `Action: "*"`,
 * a NotAction that excludes nothing, or statements that together cover the whole catalog, on
 * `Resource: "*"`, less what the policy itself denies unconditionally. Managed policies are
 * checked attached or not (an unattached one is a ready-made admin grant), except those used only
 * as permissions boundaries; inline policies are reported on the principal holding them.
 * Critical when attached.
 */
import { loadCatalog } from '../../../catalog/index.js';
import {
  allowStatementsEverywhereFor,
  allowsEverything,
  customerPolicies,
  statementEvidence,
} from '../../shared/admin-policies.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-policy-allows-full-admin',
  anchor: 'ADM-04',
  version: 1,
  title: 'Policy allows every action on every resource',
  severity: 'high',
  category: 'admin',
  description:
    'A customer managed or inline policy allows "*" (or a NotAction that excludes nothing) on "*". Critical when the policy is attached.',
  risk: 'Whoever holds the policy is a full administrator; an unattached one is a ready-made admin grant.',
  remediation:
    'Replace the policy with one scoped to the actions and resources its holders need; delete it if it is unused.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.datadoghq.com/security/default_rules/qjy-cke-wd7/',
  ],
  requires: ['iam'],
  identityFields: ['policyName'],
  appliesTo: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group'],
  evaluate(ctx) {
    const all = loadCatalog().allActions();
    const results: DetectionResult[] = [];
    for (const entry of customerPolicies(ctx)) {
      if (!allowsEverything(ctx, entry.policy)) continue;
      const statements = allowStatementsEverywhereFor(entry.policy, all).map((s) =>
        statementEvidence(entry.policy, s),
      );
      const where =
        entry.kind === 'inline'
          ? `Inline policy ${entry.name} of ${entry.resource.name}`
          : `Managed policy ${entry.name}`;
      // Holders a deny or a boundary holds back are not administrators: say so rather than
      // overstate (groups count as granting it: their members' other policies vary).
      const admins = entry.holders.filter(
        (h) => h.type === 'group' || (ctx.access.status.get(h.arn)?.admin ?? false),
      ).length;
      const holders = entry.holders.length;
      const message = !entry.attached
        ? `${where} allows every action on every resource; it is not attached yet, but would make anyone it is attached to an administrator.`
        : admins === holders
          ? `${where} allows every action on every resource, making ${holders === 1 ? 'its holder a full administrator' : `its ${holders} holders full administrators`}.`
          : admins > 0
            ? `${where} allows every action on every resource, making ${admins} of its ${holders} holders full administrators (a deny or a boundary holds back the others).`
            : `${where} allows every action on every resource; a deny or a boundary holds back ${holders === 1 ? 'its holder' : `all ${holders} holders`} today, but the grant itself is unlimited.`;
      results.push({
        resource: entry.resource,
        identity: { policyName: entry.name },
        // Anchors: high, critical when attached — and it makes someone an administrator.
        severity: entry.attached && admins > 0 ? 'critical' : 'high',
        message,
        evidence: {
          policyKind: entry.kind,
          attached: entry.attached,
          holders: entry.holders.map((p) => p.arn),
          statements,
        },
      });
    }
    return results;
  },
};
