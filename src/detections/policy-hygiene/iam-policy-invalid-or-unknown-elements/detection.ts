/**
 * POL-05: a customer managed policy (its default version) or an inline policy the policy parser
 * reports problems in: unknown actions or service prefixes, malformed ARNs, a missing or invalid
 * Version, wrong value types, dropped statements, misplaced elements. One finding per policy,
 * listing the parser's diagnostics. Condition-operator misuse (a set operator on a single-valued
 * key, a multivalued key without one) is POL-04's and not counted here.
 */
import { customerPolicies, policyResult } from '../../shared/policy-hygiene-policies.js';
import type { Detection, DetectionResult } from '../../types.js';

/** Diagnostics that are POL-04's (condition-operator misuse), not malformed policy. */
const CONDITION_MISUSE = new Set([
  'set-operator-on-single-valued-key',
  'multivalued-key-without-set-operator',
]);

/** At most this many diagnostics are kept in a finding's evidence. */
const MAX_DIAGNOSTICS = 25;

export const detection: Detection = {
  id: 'iam-policy-invalid-or-unknown-elements',
  anchor: 'POL-05',
  version: 1,
  title: 'Policy with invalid or unknown actions or elements',
  severity: 'low',
  category: 'policy-hygiene',
  description:
    'A customer managed or inline policy names actions or services that do not exist, has malformed resources or values, lacks a valid Version, or has statements AWS cannot apply.',
  risk: 'Dead or misleading grants: a misspelt action grants nothing while its author believes it does, and a missing Version turns policy variables into literal text.',
  remediation:
    'Fix each reported element (spelling of actions, ARN format, "Version": "2012-10-17") and validate the policy with IAM Access Analyzer before saving.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html',
  ],
  requires: ['iam'],
  identityFields: ['policyName'],
  appliesTo: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const entry of customerPolicies(ctx)) {
      const diagnostics = entry.policy.diagnostics.filter((d) => !CONDITION_MISUSE.has(d.code));
      if (diagnostics.length === 0) continue;
      const codes = [...new Set(diagnostics.map((d) => d.code))];
      results.push(
        policyResult(entry, {
          message: `${entry.label[0]!.toUpperCase()}${entry.label.slice(1)} has ${diagnostics.length} problem${diagnostics.length > 1 ? 's' : ''} (${codes.join(', ')}); first: ${diagnostics[0]!.message.replace(/[.…]$/, '')}.`,
          evidence: {
            policyId: entry.policy.id,
            count: diagnostics.length,
            diagnostics: diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) => ({
              severity: d.severity,
              code: d.code,
              path: d.path,
              message: d.message,
            })),
          },
        }),
      );
    }
    return results;
  },
};
