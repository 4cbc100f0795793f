/**
 * ADM-12: an instance-profile role that may open Session Manager sessions on, or send Run
 * Command commands to, other EC2 instances whose role is an administrator or holds actions it
 * lacks (pathfinding.cloud ssm-001, ssm-002, checked with the engine on each instance). A
 * compromised instance then takes root on those hosts and their role's credentials.
 */
import { sampleActions, ssmMoves } from '../../shared/escalation-moves.js';
import { stepEvidence } from '../../shared/escalation-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'ec2-role-ssm-access-to-privileged-instances',
  anchor: 'ADM-12',
  version: 1,
  title: 'Instance role can run code on more privileged instances (SSM)',
  severity: 'high',
  category: 'admin',
  description:
    'The role of an EC2 instance profile is allowed ssm:StartSession or ssm:SendCommand on other instances whose role is an administrator or more privileged than it.',
  risk: 'Compromising one instance gives a shell on the others and their role credentials: local privilege escalation across the fleet.',
  remediation:
    'Scope ssm:StartSession and ssm:SendCommand to the instances the role manages (by instance ARN or a resource tag condition), and keep privileged instances out of reach.',
  references: [
    'https://pathfinding.cloud/paths/ssm-001',
    'https://pathfinding.cloud/paths/ssm-002',
    'https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html',
  ],
  requires: ['iam', 'resources'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const { context } = ctx.access;
    const results: DetectionResult[] = [];
    for (const roles of context.rolesByAccount.values()) {
      for (const role of roles) {
        if (!context.rolesInInstanceProfiles.has(role.arn) || ctx.isAwsOwned(role)) continue;
        const moves = ssmMoves(ctx, role);
        if (moves.length === 0) continue;
        const admins = moves.filter((m) => m.targetIsAdmin);
        const first = admins[0] ?? moves[0]!;
        const instance = first.step.target.resource?.name ?? first.step.target.arn;
        results.push({
          resource: ctx.refOf(role),
          message: `Instance role ${role.name} can take over ${moves.length === 1 ? 'the role' : `${moves.length} roles`} of other instances through SSM, e.g. ${first.target.name}${first.targetIsAdmin ? ' (an administrator)' : ''} on ${instance} with ${first.step.technique.name}.`,
          evidence: {
            targets: moves.map((m) => ({
              role: m.target.arn,
              admin: m.targetIsAdmin,
              gained: m.targetIsAdmin ? [] : sampleActions(m.gained),
              step: stepEvidence(m.step),
            })),
          },
        });
      }
    }
    return results;
  },
};
