/**
 * POL-02: an Allow statement with NotAction or NotResource in a customer managed or inline policy.
 * Deny statements with NotAction / NotResource (the usual "deny everything except" guardrails) are
 * fine and not flagged; so are AWS managed policies (their owner writes them) and policies used
 * only as permissions boundaries (an Allow NotAction there caps, it grants nothing).
 */
import {
  customerPolicies,
  isBoundaryOnly,
  policyResult,
  statementRef,
} from '../../shared/policy-hygiene-policies.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-policy-allow-not-action-or-not-resource',
  anchor: 'POL-02',
  version: 1,
  title: 'Allow statement with NotAction or NotResource',
  severity: 'medium',
  category: 'policy-hygiene',
  description:
    'A customer managed or inline policy has an Allow statement using NotAction or NotResource, which allows everything except what it lists.',
  risk: 'Everything not listed is allowed, including services and actions AWS adds later, so the policy grants far more than its author meant.',
  remediation:
    'Rewrite the statement with Action and Resource listing what is needed; keep NotAction / NotResource for Deny statements.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html',
  ],
  requires: ['iam'],
  identityFields: ['policyName'],
  appliesTo: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const entry of customerPolicies(ctx)) {
      const { policy } = entry;
      if (entry.managed && isBoundaryOnly(ctx, entry.managed)) continue;
      const offending = policy.statements
        .filter((s) => s.effect === 'Allow' && (s.action?.not === true || s.resource?.not === true))
        .map((s) => ({
          statement: statementRef(policy, s),
          elements: [
            ...(s.action?.not ? ['NotAction'] : []),
            ...(s.resource?.not ? ['NotResource'] : []),
          ],
          notAction: s.action?.not ? s.action.patterns : null,
          notResource: s.resource?.not ? s.resource.patterns : null,
          conditions: s.conditions.length,
        }));
      if (offending.length === 0) continue;
      const elements = [...new Set(offending.flatMap((o) => o.elements))].join(' and ');
      results.push(
        policyResult(entry, {
          message: `${entry.label[0]!.toUpperCase()}${entry.label.slice(1)} has an Allow statement with ${elements}: it grants everything except what it lists.`,
          evidence: { statements: offending },
        }),
      );
    }
    return results;
  },
};
