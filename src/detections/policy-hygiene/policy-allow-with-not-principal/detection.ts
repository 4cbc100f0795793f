/**
 * POL-03: a resource-based policy (from the resource inventory) or a role trust policy with an
 * Allow statement using NotPrincipal: it grants every principal except those listed. Deny with
 * NotPrincipal (the documented use) is not flagged; AWS-owned roles are skipped.
 */
import type { Principal, RolePrincipal } from '../../../model/index.js';
import { parsePolicy } from '../../../policy/parse.js';
import type { NormalizedPolicy } from '../../../policy/types.js';
import { statementRef } from '../../shared/policy-hygiene-policies.js';
import type { Detection, DetectionResult, ResourceRef } from '../../types.js';

/** Resource types whose items carry a resource-based policy. */
const POLICY_RESOURCE_TYPES = [
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::Lambda::Function',
  'AWS::SecretsManager::Secret',
  'AWS::ECR::Repository',
];

function notPrincipalAllows(policy: NormalizedPolicy) {
  return policy.statements
    .filter((s) => s.effect === 'Allow' && s.principal?.not === true)
    .map((s) => ({
      statement: statementRef(policy, s),
      notPrincipal: s.principal!.entries.map((e) =>
        e.kind === '*' ? '*' : `${e.kind}:${e.value}`,
      ),
      actions: s.action ? { not: s.action.not, patterns: s.action.patterns } : null,
      conditions: s.conditions.map((c) => ({
        operator: c.operator,
        key: c.key,
        values: c.values,
      })),
    }));
}

/** `role`, `S3 bucket`, `KMS key`: a resource type as a message names it. */
function kindOf(type: string): string {
  if (type === 'AWS::IAM::Role') return 'role';
  const [, service = '', kind = ''] = type.split('::');
  return `${service} ${kind.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
}

function isRole(principal: Principal): principal is RolePrincipal {
  return principal.type === 'role';
}

export const detection: Detection = {
  id: 'policy-allow-with-not-principal',
  anchor: 'POL-03',
  version: 1,
  title: 'Allow with NotPrincipal in a resource or trust policy',
  severity: 'medium',
  category: 'policy-hygiene',
  description:
    'A resource-based policy or a role trust policy has an Allow statement with NotPrincipal, which grants access to every principal except those listed.',
  risk: 'NotPrincipal with Allow is a near-public grant: every AWS principal, in any account, that is not listed gets the access.',
  remediation:
    'Name the principals that need access in Principal, and narrow with conditions such as aws:PrincipalOrgID or aws:PrincipalArn; use NotPrincipal only with Deny.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html',
  ],
  requires: ['iam', 'resources'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role', ...POLICY_RESOURCE_TYPES],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    const flag = (resource: ResourceRef, what: string, policy: NormalizedPolicy): void => {
      const statements = notPrincipalAllows(policy);
      if (statements.length === 0) return;
      results.push({
        resource,
        message: `The ${what} of ${kindOf(resource.type)} ${resource.name} has an Allow statement with NotPrincipal: every principal not listed, in any account, is granted access.`,
        evidence: { statements },
      });
    };
    for (const role of ctx.snapshot.principals.filter(isRole)) {
      if (ctx.isAwsOwned(role)) continue;
      const trust = ctx.access.context.trustPolicy(role);
      if (trust) flag(ctx.refOf(role), 'trust policy', trust);
    }
    for (const resource of ctx.snapshot.resources) {
      if (!resource.policy) continue;
      const policy = parsePolicy(resource.policy, {
        id: `${resource.arn}#policy`,
        kind: 'resource',
      });
      flag(
        {
          arn: resource.arn,
          type: resource.type,
          name: resource.name,
          accountId: resource.accountId,
          region: resource.region,
        },
        'resource policy',
        policy,
      );
    }
    return results;
  },
};
