/**
 * PE-06: a principal with a permissions boundary that may delete it, or replace it with another
 * policy, on itself: iam:Delete{User,Role}PermissionsBoundary, or
 * iam:Put{User,Role}PermissionsBoundary with iam:PermissionsBoundary set to a policy of the
 * attacker's choosing (AdministratorAccess), evaluated by the engine on its own ARN with its
 * policies, its boundary and the SCPs. A Put limited to the current boundary is not a removal.
 */
import type { Principal } from '../../../model/index.js';
import { contextOf } from '../../../policy/types.js';
import { uniqueStatements } from '../../shared/escalation-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

const REPLACEMENT = 'arn:aws:iam::aws:policy/AdministratorAccess';

function actionsFor(principal: Principal): { action: string; replace: boolean }[] {
  const noun = principal.type === 'user' ? 'User' : 'Role';
  return [
    { action: `iam:Delete${noun}PermissionsBoundary`, replace: false },
    { action: `iam:Put${noun}PermissionsBoundary`, replace: true },
  ];
}

export const detection: Detection = {
  id: 'iam-principal-can-remove-own-boundary',
  anchor: 'PE-06',
  version: 1,
  title: 'Principal can remove or replace its own permissions boundary',
  severity: 'high',
  category: 'escalation',
  description:
    'A user or role with a permissions boundary is allowed to delete its own boundary, or to replace it with any policy.',
  risk: 'The boundary is no guardrail: the principal lifts it and gets everything its policies allow.',
  remediation:
    'Deny iam:Delete*PermissionsBoundary and iam:Put*PermissionsBoundary on the principal itself, in the boundary and with an SCP; allow Put only with iam:PermissionsBoundary equal to the approved boundary.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
    'https://aws.amazon.com/blogs/security/when-and-where-to-use-iam-permissions-boundaries/',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User', 'AWS::IAM::Role'],
  evaluate(ctx) {
    const evaluator = ctx.access.context.evaluator;
    const results: DetectionResult[] = [];
    for (const principal of ctx.access.context.actors) {
      if (principal.type !== 'user' && principal.type !== 'role') continue;
      if (!principal.permissionsBoundaryArn || ctx.isAwsOwned(principal)) continue;
      const allowed = actionsFor(principal).flatMap(({ action, replace }) => {
        const result = evaluator.evaluate(
          principal,
          action,
          principal.arn,
          replace ? { context: contextOf({ 'iam:PermissionsBoundary': REPLACEMENT }) } : {},
        );
        return result.decision === 'Allowed' ? [{ action, result }] : [];
      });
      if (allowed.length === 0) continue;
      const kind = principal.type === 'user' ? 'User' : 'Role';
      const conditions = allowed.flatMap((a) =>
        a.result.conditional.map((c) => ({
          key: c.clause.key,
          operator: c.clause.operator,
          values: c.clause.values,
        })),
      );
      results.push({
        resource: ctx.refOf(principal),
        message: `${kind} ${principal.name} can ${allowed.some((a) => !a.action.includes(':Put')) ? 'remove' : 'replace'} its own permissions boundary (${allowed.map((a) => a.action).join(', ')})${conditions.length > 0 ? ' if the conditions in the evidence hold' : ''}.`,
        evidence: {
          boundary: principal.permissionsBoundaryArn,
          actions: allowed.map((a) => a.action),
          statements: uniqueStatements(
            allowed.flatMap((a) =>
              a.result.reasons.filter((r) => r.effect === 'allow').flatMap((r) => r.statements),
            ),
          ),
          conditions,
        },
      });
    }
    return results;
  },
};
