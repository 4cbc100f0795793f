/**
 * RES-08: a Lambda function anyone can invoke whose execution role is an administrator. Public
 * invocation is decided by the engine as for RES-01: lambda:InvokeFunction by a caller outside
 * every organization of the snapshot, or — for a function URL with AuthType NONE —
 * lambda:InvokeFunctionUrl by an anonymous caller, each allowed with no condition the caller cannot
 * meet (a pin on a source address or VPC, or a condition the data cannot decide, is not "anyone":
 * RES-01 reports those). The role's admin verdict is the access analysis' (AdministratorAccess
 * under a boundary or a Deny is not admin; a shadow admin is).
 */
import type { RolePrincipal } from '../../../model/index.js';
import { publicExposure, statementsOf } from '../../shared/exposure-access.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'lambda-public-invoke-admin-role',
  anchor: 'RES-08',
  version: 1,
  title: 'Publicly invocable Lambda function with an administrator execution role',
  severity: 'critical',
  category: 'exposure',
  description:
    'Anyone can invoke the Lambda function — its resource policy allows lambda:InvokeFunction to any principal, or it has a function URL with AuthType NONE — and its execution role has administrator access.',
  risk: 'Any flaw in the function’s code or dependencies lets an unauthenticated caller act as an administrator of the account.',
  remediation:
    'Remove the public grant from the function policy (or set the function URL AuthType to AWS_IAM), and reduce the execution role to the permissions the function needs.',
  references: [
    'https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
    'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html',
    'https://github.com/DataDog/pathfinding-labs',
  ],
  requires: ['iam', 'resources'],
  identityFields: [],
  appliesTo: ['AWS::Lambda::Function'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const fn of ctx.access.context.resourcesByType.get('AWS::Lambda::Function') ?? []) {
      const exposure = publicExposure(ctx, fn);
      if (exposure.reach !== 'open') continue;
      const invocations = exposure.outcomes.filter(
        (o) => o.action === 'lambda:InvokeFunction' || o.action === 'lambda:InvokeFunctionUrl',
      );
      if (invocations.length === 0) continue;
      const admins = ctx.access.context
        .rolesOfResource(fn)
        .map((arn) => ctx.access.context.principalByArn.get(arn))
        .filter((role): role is RolePrincipal => role?.type === 'role')
        .filter((role) => ctx.access.status.get(role.arn)?.admin === true);
      if (admins.length === 0) continue;
      const viaUrl = invocations.some((o) => o.caller === '*');
      results.push({
        resource: {
          arn: fn.arn,
          type: fn.type,
          name: fn.name,
          accountId: fn.accountId,
          region: fn.region,
        },
        message: `Lambda function ${fn.name} can be invoked by anyone${viaUrl ? ' through its unauthenticated function URL' : ''} and runs as administrator role ${admins.map((r) => r.name).join(', ')}: one bug in it hands the account to the internet.`,
        evidence: {
          invocation: invocations.map((o) => ({ action: o.action, caller: o.caller })),
          functionUrlAuthType: fn.exposure.functionUrlAuthType ?? null,
          statements: statementsOf(invocations),
          executionRoles: admins.map((role) => ({
            arn: role.arn,
            admin: ctx.access.status.get(role.arn),
          })),
        },
      });
    }
    return results;
  },
};
