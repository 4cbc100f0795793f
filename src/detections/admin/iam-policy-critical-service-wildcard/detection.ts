/**
 * ADM-10: a customer-written policy that allows every action of a critical service on every
 * resource (`iam:*`, `kms:*`, ... on `*`, or wider patterns that cover the whole service), less
 * what the policy itself denies unconditionally. Policies allowing everything are ADM-04's.
 */
import { actionsOfService, type ActionSet } from '../../../catalog/index.js';
import {
  allowedEverywhere,
  allowsEverything,
  allowStatementsEverywhereFor,
  customerPolicies,
  statementEvidence,
} from '../../shared/admin-policies.js';
import type { Detection, DetectionResult } from '../../types.js';

/** Services whose full control is near-admin (identity, keys, logs, organization, data, secrets). */
const CRITICAL_SERVICES = [
  'iam',
  'sts',
  'kms',
  'cloudtrail',
  'organizations',
  's3',
  'secretsmanager',
] as const;

export const detection: Detection = {
  id: 'iam-policy-critical-service-wildcard',
  anchor: 'ADM-10',
  version: 1,
  title: 'Policy allows a critical service entirely',
  severity: 'medium',
  category: 'admin',
  description: `A customer managed or inline policy allows every action of ${CRITICAL_SERVICES.join(', ')} on every resource (e.g. "kms:*" on "*").`,
  risk: 'Full control of one of these services is close to admin: identity changes, key and secret access, log tampering, or account-wide data access.',
  remediation:
    'List the actions the holders need and scope them to the resources they use (keys, buckets, secrets, roles by ARN).',
  references: [
    'https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/service-wildcard.md',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  ],
  requires: ['iam'],
  identityFields: ['policyName'],
  appliesTo: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group'],
  evaluate(ctx) {
    const services = CRITICAL_SERVICES.flatMap((name) => {
      const actions = actionsOfService(name);
      return actions ? [{ name, actions }] : [];
    });
    const results: DetectionResult[] = [];
    for (const entry of customerPolicies(ctx)) {
      if (allowsEverything(ctx, entry.policy)) continue;
      const allowed = allowedEverywhere(ctx, entry.policy);
      const covered = services.filter((s) => s.actions.isSubsetOf(allowed));
      if (covered.length === 0) continue;
      let union: ActionSet = covered[0]!.actions;
      for (const s of covered.slice(1)) union = union.union(s.actions);
      const names = covered.map((s) => `${s.name}:*`);
      results.push({
        resource: entry.resource,
        identity: { policyName: entry.name },
        message: `${entry.kind === 'inline' ? `Inline policy ${entry.name} of ${entry.resource.name}` : `Managed policy ${entry.name}`} allows ${names.join(', ')} on every resource.`,
        evidence: {
          policyKind: entry.kind,
          attached: entry.attached,
          services: covered.map((s) => s.name),
          statements: allowStatementsEverywhereFor(entry.policy, union).map((s) =>
            statementEvidence(entry.policy, s),
          ),
        },
      });
    }
    return results;
  },
};
