/**
 * POL-01: a customer managed or inline policy allows iam:PassRole on any role: `Resource: "*"`
 * (or a pattern that matches every role), a NotResource, or a NotAction that leaves PassRole in.
 * Decided by the engine, statement by statement: each Allow statement, with the policy's Deny
 * statements, under the account's SCPs and (inline policies) the holder's permissions boundary,
 * must allow iam:PassRole on a role the policy cannot have named. Conditions that pick
 * the passed role (its tags) make it silent; `iam:PassedToService` does not: any role, admin ones
 * included, can still be passed to that service. Not flagged: policies that allow every action
 * on every resource (full admin: ADM-04 reports them) and policies used only as permissions
 * boundaries (they grant nothing).
 */
import { actionIndex } from '../../../catalog/index.js';
import {
  customerPolicies,
  evaluatePolicyAlone,
  grantsEverything,
  guardrailsOf,
  isBoundaryOnly,
  partitionOf,
  policyResult,
  statementRef,
} from '../../shared/policy-hygiene-policies.js';
import type { NormalizedPolicy, NormalizedStatement } from '../../../policy/types.js';
import type { Detection, DetectionResult } from '../../types.js';

const PASS_ROLE = 'iam:PassRole';

/** Condition keys that decide which role may be passed (the role's own tags). */
function picksTheRole(key: string): boolean {
  const k = key.toLowerCase();
  return k.startsWith('aws:resourcetag/') || k.startsWith('iam:resourcetag/');
}

function variantOf(statement: NormalizedStatement): 'Resource' | 'NotResource' | 'NotAction' {
  if (statement.action?.not) return 'NotAction';
  return statement.resource?.not ? 'NotResource' : 'Resource';
}

export const detection: Detection = {
  id: 'iam-policy-passrole-any-role',
  anchor: 'POL-01',
  version: 1,
  title: 'iam:PassRole allowed on any role',
  severity: 'high',
  category: 'policy-hygiene',
  description:
    'A customer managed or inline policy allows iam:PassRole on every role: Resource "*" (or a pattern matching every role), NotResource, or NotAction that does not exclude PassRole.',
  risk: 'Whoever holds the policy can hand any role of the account, administrators included, to a service it controls (Lambda, EC2, CloudFormation, ...) and act with that role’s permissions.',
  remediation:
    'List the role ARNs (or a path) that may be passed and add an iam:PassedToService condition naming the service that needs them.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-security-warning-pass-role-with-star-in-resource',
  ],
  requires: ['iam'],
  identityFields: ['policyName'],
  appliesTo: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group'],
  evaluate(ctx) {
    const bit = actionIndex(PASS_ROLE);
    const results: DetectionResult[] = [];
    for (const entry of customerPolicies(ctx)) {
      const { policy } = entry;
      const candidates = policy.statements.filter(
        (s) => s.effect === 'Allow' && bit !== undefined && s.action?.set.has(bit) === true,
      );
      if (candidates.length === 0) continue;
      if (entry.managed && isBoundaryOnly(ctx, entry.managed)) continue;
      if (grantsEverything(policy)) continue;
      const denies = policy.statements.filter((s) => s.effect === 'Deny');
      const guardrails = guardrailsOf(ctx, entry);
      const partition = partitionOf(entry.resource.arn);
      // A role name no policy can have written down: only "every role" patterns match it.
      const probe = `arn:${partition}:iam::${entry.accountId}:role/iamsight-probe/any-role-3f9c2e7a`;
      const offending = candidates.flatMap((statement) => {
        const alone: NormalizedPolicy = { ...policy, statements: [statement, ...denies] };
        const result = evaluatePolicyAlone(alone, entry.accountId, PASS_ROLE, probe, {
          partition,
          ...guardrails,
        });
        if (result.decision !== 'Allowed') return [];
        const pending = result.conditional.filter((c) => c.effect === 'Allow');
        if (pending.some((c) => picksTheRole(c.clause.key))) return [];
        return [
          {
            statement: statementRef(policy, statement),
            variant: variantOf(statement),
            conditions: result.conditional.map((c) => ({
              effect: c.effect,
              operator: c.clause.operator,
              key: c.clause.key,
              values: c.clause.values,
            })),
          },
        ];
      });
      if (offending.length === 0) continue;
      const variants = [...new Set(offending.map((o) => o.variant))];
      const how = variants
        .map((v) =>
          v === 'Resource'
            ? 'on every role'
            : v === 'NotResource'
              ? 'through NotResource'
              : 'through NotAction',
        )
        .join(' and ');
      results.push(
        policyResult(entry, {
          message: `${entry.label[0]!.toUpperCase()}${entry.label.slice(1)} allows iam:PassRole ${how}: its holders can pass any role, admin ones included, to a service.`,
          evidence: { statements: offending },
        }),
      );
    }
    return results;
  },
};
