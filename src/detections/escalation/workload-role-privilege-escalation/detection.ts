/**
 * PE-04: a workload role that can escalate: a role trusted by a compute service (Lambda, EC2, ECS
 * tasks, ...) that a deployed workload runs as, and that can escalate to administrator (PE-01) or
 * move laterally to a more privileged principal (PE-03). The application is then the way in.
 */
import { pathStepEvidence, stepEvidence } from '../../shared/escalation-evidence.js';
import { lateralMoves } from '../../shared/escalation-moves.js';
import { computeServicesOf, workloadsOf } from '../../shared/escalation-workloads.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'workload-role-privilege-escalation',
  anchor: 'PE-04',
  version: 1,
  title: 'Workload role can escalate privileges',
  severity: 'high',
  category: 'escalation',
  description:
    'A role trusted by a compute service and used by a deployed workload (function, instance, container service, job, ...) can escalate to administrator or move to a more privileged principal.',
  risk: 'A vulnerability in the application running as the role becomes an escalation in the account.',
  remediation:
    'Downsize the workload role to what the application calls; remove the permission the escalation step uses.',
  references: ['https://www.datadoghq.com/state-of-cloud-security/', 'https://pathfinding.cloud/'],
  requires: ['iam', 'resources'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const roles of ctx.access.context.rolesByAccount.values()) {
      for (const role of roles) {
        if (ctx.isAwsOwned(role) || ctx.access.status.get(role.arn)?.kind === 'full') continue;
        const services = computeServicesOf(ctx, role);
        if (services.length === 0) continue;
        const workloads = workloadsOf(ctx, role);
        if (workloads.length === 0) continue;
        const escalation = ctx.access.escalations.get(role.arn);
        const moves = escalation ? [] : lateralMoves(ctx, role);
        if (!escalation && moves.length === 0) continue;
        const workload = workloads[0]!;
        const how = escalation
          ? `can escalate to administrator, starting with ${escalation.path[0]!.technique}`
          : `can move to ${moves[0]!.target.name} with ${moves[0]!.step.technique.id}`;
        results.push({
          resource: ctx.refOf(role),
          message: `Workload role ${role.name} (used by ${workload.name}${workloads.length > 1 ? ` and ${workloads.length - 1} more` : ''}) ${how}.`,
          evidence: {
            services,
            workloads: workloads.slice(0, 10).map((w) => ({ arn: w.arn, type: w.type })),
            ...(escalation
              ? {
                  escalation: {
                    target: escalation.target,
                    conditional: escalation.conditional,
                    path: escalation.path.map(pathStepEvidence),
                  },
                }
              : {
                  moves: moves.slice(0, 10).map((m) => ({
                    target: m.target.arn,
                    step: stepEvidence(m.step),
                  })),
                }),
          },
        });
      }
    }
    return results;
  },
};
