/**
 * ADM-11: a shadow admin — a principal that is not allowed everything but can make itself an
 * administrator in one step on itself (write or attach any policy on itself, make a new default
 * version of its own policy, make an admin version the default, join an admin group, drop the
 * boundary that alone holds it back). The access analysis classifies it (status `self-grant`,
 * docs/decisions.md "Shadow admin = one step on itself"); the step is the evidence.
 */
import { pathStepEvidence } from '../../shared/escalation-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-principal-shadow-admin',
  anchor: 'ADM-11',
  version: 1,
  title: 'Principal is a shadow administrator',
  severity: 'high',
  category: 'admin',
  description:
    'The principal holds no policy allowing everything, but one change it may make on itself (a policy it writes or attaches, a policy version, a group, its boundary) makes it an administrator.',
  risk: 'It is an administrator in all but name, and checks that look for admin policies miss it.',
  remediation:
    'Remove its permission to change its own policies, policy versions, groups or permissions boundary, or deny those actions on itself with a permissions boundary or an SCP.',
  references: [
    'https://www.cyberark.com/resources/threat-research-blog/the-cloud-shadow-admin-threat-10-permissions-to-protect',
    'https://pathfinding.cloud/',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User', 'AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const actor of ctx.access.context.actors) {
      const status = ctx.access.status.get(actor.arn);
      if (status?.kind !== 'self-grant' || ctx.isAwsOwned(actor)) continue;
      // The step on itself (its shortest path may also be another, equally short one).
      const step =
        ctx.access.leading.get(actor.arn)?.find((s) => s.to === actor.arn) ??
        ctx.access.escalations.get(actor.arn)?.path[0];
      const kind = actor.type === 'user' ? 'User' : 'Role';
      results.push({
        resource: ctx.refOf(actor),
        message: step
          ? `${kind} ${actor.name} is a shadow administrator: with ${step.permissions.join(' + ')} (${step.technique}) on itself it can make itself an administrator.`
          : `${kind} ${actor.name} is a shadow administrator: one change on itself makes it an administrator.`,
        evidence: {
          conditional: status.conditional,
          step: step ? pathStepEvidence(step) : null,
        },
      });
    }
    return results;
  },
};
