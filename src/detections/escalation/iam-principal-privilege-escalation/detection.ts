/**
 * PE-01: a principal that is not an administrator but can become one: the access analysis found
 * a path of escalation techniques (anchors.md §B.9, each step checked with the engine and its
 * prerequisites against the snapshot) to an administrator, or one step on itself that makes it
 * admin (a shadow admin, also ADM-11). Critical; high for a role only compute services can
 * assume (reaching it takes compromising the workload first). AWS-owned roles are left out.
 */
import { pathStepEvidence } from '../../shared/escalation-evidence.js';
import { isComputeOnlyRole } from '../../shared/escalation-workloads.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-principal-privilege-escalation',
  anchor: 'PE-01',
  version: 1,
  title: 'Principal can escalate to administrator',
  severity: 'critical',
  category: 'escalation',
  description:
    'A non-administrator principal can become an administrator through a chain of privilege-escalation techniques (policy changes, credentials of another principal, passing a role to a service, running code as a privileged resource, ...). High for roles only compute services can assume.',
  risk: 'Compromising this principal is compromising the account.',
  remediation:
    'Remove the permission the first step uses, or restrict its Resource to what the principal needs; hold it back with a permissions boundary or an SCP that denies the step.',
  references: ['https://pathfinding.cloud/', 'https://github.com/nccgroup/PMapper'],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User', 'AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const actor of ctx.access.context.actors) {
      if (actor.type !== 'user' && actor.type !== 'role') continue;
      if (ctx.isAwsOwned(actor)) continue;
      const escalation = ctx.access.escalations.get(actor.arn);
      if (!escalation || escalation.path.length === 0) continue;
      const first = escalation.path[0]!;
      const target = ctx.access.context.principalByArn.get(escalation.target);
      const targetName = target?.name ?? escalation.target;
      const self = escalation.target === actor.arn;
      const kind = actor.type === 'user' ? 'User' : 'Role';
      const steps = escalation.path.length;
      results.push({
        resource: ctx.refOf(actor),
        severity: isComputeOnlyRole(ctx, actor) ? 'high' : 'critical',
        message: self
          ? `${kind} ${actor.name} can make itself an administrator with ${first.technique} (${first.permissions.join(' + ')})${escalation.conditional ? ', if the conditions in the evidence hold' : ''}.`
          : `${kind} ${actor.name} can escalate to administrator ${targetName} in ${steps} step${steps === 1 ? '' : 's'}, starting with ${first.technique} (${first.permissions.join(' + ')})${escalation.conditional ? ', if the conditions in the evidence hold' : ''}.`,
        evidence: {
          target: escalation.target,
          conditional: escalation.conditional,
          path: escalation.path.map(pathStepEvidence),
        },
      });
    }
    return results;
  },
};
