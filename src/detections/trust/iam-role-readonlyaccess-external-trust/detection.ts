/**
 * TRU-11: a role holding the AWS managed ReadOnlyAccess policy that an external account (not
 * ours, not allow-listed) or anyone (`Principal: "*"`, not pinned to the organization) can
 * assume. The attachment is the trigger (Prowler's iam_role_cross_account_readonlyaccess_policy),
 * but the engine confirms both halves: the external principal's sts:AssumeRole is allowed by the
 * trust policy and RCPs, and the role still reads data through ReadOnlyAccess (S3 objects, SSM
 * parameters, DynamoDB items, Lambda code, SQS messages) after its boundary, denies and SCPs.
 */
import type { RolePrincipal } from '../../../model/index.js';
import type { Detection, DetectionContext, DetectionResult } from '../../types.js';
import {
  decidingStatements,
  everyoneTrust,
  externalTrusts,
  pendingEvidence,
} from '../../shared/trust-requests.js';

const READ_ONLY_ACCESS = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/** Data reads ReadOnlyAccess grants, on resources of the role's account. */
function dataReads(accountId: string): [string, string][] {
  return [
    ['s3:GetObject', 'arn:aws:s3:::iamsight-probe-bucket/any-object'],
    ['ssm:GetParameter', `arn:aws:ssm:us-east-1:${accountId}:parameter/iamsight-probe`],
    ['dynamodb:Scan', `arn:aws:dynamodb:us-east-1:${accountId}:table/iamsight-probe`],
    ['lambda:GetFunction', `arn:aws:lambda:us-east-1:${accountId}:function:iamsight-probe`],
    ['sqs:ReceiveMessage', `arn:aws:sqs:us-east-1:${accountId}:iamsight-probe`],
  ];
}

/** The reads the role is allowed through ReadOnlyAccess itself. */
function readsThroughReadOnlyAccess(ctx: DetectionContext, role: RolePrincipal): string[] {
  return dataReads(role.accountId).flatMap(([action, resource]) => {
    const result = ctx.access.context.evaluator.evaluate(role, action, resource);
    const viaPolicy =
      result.decision === 'Allowed' &&
      result.reasons.some((r) =>
        r.statements.some((s) => s.policyId.startsWith(`${READ_ONLY_ACCESS}#`)),
      );
    return viaPolicy ? [action] : [];
  });
}

export const detection: Detection = {
  id: 'iam-role-readonlyaccess-external-trust',
  anchor: 'TRU-11',
  version: 1,
  title: 'ReadOnlyAccess granted to an external account',
  severity: 'high',
  category: 'trust',
  description:
    'A role with the AWS managed ReadOnlyAccess policy can be assumed by an account outside your organization (not allow-listed) or by any AWS principal.',
  risk: 'ReadOnlyAccess reads data, not only configuration: S3 objects, SSM parameters, DynamoDB items, Lambda code and environment, SQS messages. The external party can read them all.',
  remediation:
    'Replace ReadOnlyAccess with a policy scoped to what the third party needs (SecurityAudit or ViewOnlyAccess for posture tools), or remove the external trust.',
  references: [
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html',
    'https://github.com/prowler-cloud/prowler/tree/master/prowler/providers/aws/services/iam/iam_role_cross_account_readonlyaccess_policy',
  ],
  requires: ['iam', 'organization'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const role of ctx.snapshot.principals) {
      if (role.type !== 'role' || ctx.isAwsOwned(role)) continue;
      if (!role.attachedPolicies.some((a) => a.policyArn === READ_ONLY_ACCESS)) continue;
      const external = externalTrusts(ctx, role);
      const everyone = everyoneTrust(ctx, role);
      if (external.length === 0 && !everyone) continue;
      const reads = readsThroughReadOnlyAccess(ctx, role);
      if (reads.length === 0) continue;
      const accounts = [...new Set(external.map((t) => t.trustee.accountId))].sort();
      const who = everyone
        ? 'any AWS principal'
        : `external ${accounts.length === 1 ? 'account' : 'accounts'} ${accounts.join(', ')}`;
      results.push({
        resource: ctx.refOf(role),
        message: `Role ${role.name} has ReadOnlyAccess and can be assumed by ${who}, who can then read your data (${reads.join(', ')}).`,
        evidence: {
          policy: READ_ONLY_ACCESS,
          reads,
          externalAccounts: accounts,
          everyone: everyone
            ? {
                access: everyone.access,
                statements: decidingStatements(everyone.result),
                conditions: pendingEvidence(everyone.result.conditional),
              }
            : null,
          principals: external.map((t) => ({
            principal: t.trustee.named,
            access: t.access,
            statements: decidingStatements(t.result),
            conditions: pendingEvidence(t.result.conditional),
          })),
        },
      });
    }
    return results;
  },
};
