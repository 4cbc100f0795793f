/**
 * TRU-10: a customer managed or inline policy with an Allow for sts:AssumeRole (named, `sts:*`,
 * `*` or through NotAction) on every role (`Resource: "*"` or a pattern such as
 * `arn:aws:iam::*:role/*`) with no condition. Reported per policy:
 * - on the customer managed policy itself, attached or not (policy hygiene), unless it serves only
 *   as a permissions boundary (a boundary grants nothing: its Allow only limits);
 * - on each user, role or group holding the policy (inline, or the managed one attached), when
 *   the engine confirms the grant survives its boundary, denies and SCPs: asked for sts:AssumeRole
 *   on a role that trusts the holder's account, the holder is allowed by that very policy.
 * AWS managed policies (AdministratorAccess, PowerUserAccess, ...) are not reported here: their
 * holders are judged by the admin detections, and their owner is AWS.
 */
import { actionIndex } from '../../../catalog/index.js';
import type { Principal } from '../../../model/index.js';
import { evaluateRequest } from '../../../policy/evaluate.js';
import { matchResourceElement } from '../../../policy/match-resource.js';
import { parsePolicy } from '../../../policy/parse.js';
import type { NormalizedPolicy, NormalizedStatement } from '../../../policy/types.js';
import { allowsEverything } from '../../shared/admin-policies.js';
import type { Detection, DetectionContext, DetectionResult } from '../../types.js';

const NO_CONTEXT = new Map<string, readonly string[]>();
/** Roles no policy would name on purpose: one elsewhere, one at home (with a path). */
const PROBE_ROLES = (accountId: string) => [
  'arn:aws:iam::999999999999:role/iamsight-probe',
  `arn:aws:iam::${accountId}:role/some/path/iamsight-probe`,
];

/** The statements of a policy that allow sts:AssumeRole on any role without a condition. */
function offendingStatements(policy: NormalizedPolicy, accountId: string): NormalizedStatement[] {
  const assumeRole = actionIndex('sts:AssumeRole');
  if (assumeRole === undefined) return [];
  return policy.statements.filter(
    (s) =>
      s.effect === 'Allow' &&
      s.conditions.length === 0 &&
      s.principal === null &&
      s.action !== null &&
      s.action.set.has(assumeRole) &&
      s.resource !== null &&
      PROBE_ROLES(accountId).every(
        (arn) => matchResourceElement(s.resource!, arn, NO_CONTEXT, 'complete') === 'true',
      ),
  );
}

/** A trust policy that admits the whole account: what "any role that trusts the account" is. */
function trustingAccount(accountId: string): NormalizedPolicy {
  return parsePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'sts:AssumeRole',
        },
      ],
    },
    { id: `a role trusting ${accountId}`, kind: 'trust' },
  );
}

/** Whether the engine lets `holder` assume a role trusting its account through `policy`. */
function confirmed(ctx: DetectionContext, holder: Principal, policy: NormalizedPolicy): boolean {
  const target = `arn:aws:iam::${holder.accountId}:role/iamsight-probe`;
  const input = ctx.access.context.evaluator.requestInput(holder, 'sts:AssumeRole', target);
  const result = evaluateRequest({
    ...input,
    resourcePolicy: trustingAccount(holder.accountId),
    resourcePolicyRequired: true,
  });
  return (
    result.decision === 'Allowed' &&
    result.reasons.some((r) => r.statements.some((s) => s.policyId === policy.id))
  );
}

function statementEvidence(statements: readonly NormalizedStatement[]) {
  return statements.map((s) => ({
    sid: s.sid,
    statementIndex: s.index,
    actions: s.action ? { not: s.action.not, patterns: [...s.action.patterns] } : null,
    resources: s.resource ? { not: s.resource.not, patterns: [...s.resource.patterns] } : null,
  }));
}

export const detection: Detection = {
  id: 'iam-policy-allows-assume-any-role',
  anchor: 'TRU-10',
  version: 1,
  title: 'Policy allows sts:AssumeRole on any role',
  severity: 'high',
  category: 'trust',
  description:
    'A customer managed or inline policy allows sts:AssumeRole (directly, through sts:* or *) on Resource "*" (every role in every account) with no condition.',
  risk: 'Its holders can assume every role whose trust policy trusts their account, in this account and any other, including roles created later.',
  remediation:
    'List the ARNs of the roles the holder needs to assume in Resource, or add a condition such as aws:ResourceAccount or aws:ResourceOrgID.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html',
    'https://github.com/prowler-cloud/prowler/tree/master/prowler/providers/aws/services/iam/iam_no_custom_policy_permissive_role_assumption',
  ],
  requires: ['iam'],
  identityFields: ['policy'],
  appliesTo: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    const policyRefs = new Map(
      ctx.iamResources.filter((r) => r.type === 'AWS::IAM::ManagedPolicy').map((r) => [r.arn, r]),
    );
    const attached = new Set<string>();
    const boundaries = new Set<string>();
    for (const p of ctx.snapshot.principals) {
      for (const a of p.attachedPolicies) attached.add(a.policyArn);
      if (p.permissionsBoundaryArn) boundaries.add(p.permissionsBoundaryArn);
    }
    for (const managed of ctx.snapshot.policies) {
      if (managed.isAwsManaged) continue;
      const boundaryOnly =
        (boundaries.has(managed.arn) || (managed.permissionsBoundaryUsageCount ?? 0) > 0) &&
        !attached.has(managed.arn);
      if (boundaryOnly) continue;
      const policy = ctx.policies.managed(managed.arn);
      const ref = policyRefs.get(managed.arn);
      if (!policy || !ref) continue;
      // A policy allowing everything is ADM-04's finding; repeating it here is noise.
      if (allowsEverything(ctx, policy)) continue;
      const statements = offendingStatements(policy, managed.accountId);
      if (statements.length === 0) continue;
      results.push({
        resource: ref,
        identity: { policy: managed.arn },
        message: `Policy ${managed.name} allows sts:AssumeRole on every role with no condition, so its holders can assume any role that trusts their account.`,
        evidence: { policy: managed.arn, statements: statementEvidence(statements) },
      });
    }
    for (const holder of ctx.snapshot.principals) {
      if (holder.type === 'root' || ctx.isAwsOwned(holder)) continue;
      for (const { policy, ref } of ctx.policies.own(holder)) {
        if (ref.type === 'AWS::IAM::ManagedPolicy' && ref.accountId === 'aws') continue;
        if (allowsEverything(ctx, policy)) continue;
        const statements = offendingStatements(policy, holder.accountId);
        if (statements.length === 0 || !confirmed(ctx, holder, policy)) continue;
        const inline = ref.type !== 'AWS::IAM::ManagedPolicy';
        const name = inline ? policy.id.slice(policy.id.lastIndexOf('#') + 1) : ref.name;
        results.push({
          resource: ctx.refOf(holder),
          identity: { policy: inline ? `inline:${name}` : ref.arn },
          message: `${holder.type === 'group' ? 'Group' : holder.type === 'user' ? 'User' : 'Role'} ${holder.name} may assume any role that trusts its account: its ${inline ? 'inline' : 'attached'} policy ${name} allows sts:AssumeRole on every role with no condition.`,
          evidence: {
            policy: inline ? policy.id : ref.arn,
            inline,
            statements: statementEvidence(statements),
          },
        });
      }
    }
    return results;
  },
};
