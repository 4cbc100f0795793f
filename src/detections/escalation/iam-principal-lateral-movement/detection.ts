/**
 * PE-03: a principal that can move to another principal that is more privileged but not an
 * administrator: take its credentials (access keys, console password), rewrite its trust, change
 * its policies and use it, pass it to a service, or run code as a resource that runs with it
 * (../../shared/escalation-moves.ts; each step checked with the engine). "More privileged": the
 * target may be allowed actions the actor may be allowed nowhere, telemetry writes aside. Plain
 * role assumption (sts-001) is the delegation AWS is built on and is not reported; moves into an
 * administrator are PE-01's. One finding per actor, its moves in the evidence.
 */
import { stepEvidence } from '../../shared/escalation-evidence.js';
import { MAX_MOVES, lateralMoves, sampleActions } from '../../shared/escalation-moves.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-principal-lateral-movement',
  anchor: 'PE-03',
  version: 1,
  title: 'Principal can move laterally to a more privileged principal',
  severity: 'medium',
  category: 'escalation',
  description:
    'The principal can obtain the permissions of another, non-administrator principal that holds actions it lacks: by creating its access keys or password, rewriting its trust policy or policies, passing it to a service, or changing code that runs as it.',
  risk: 'Privilege chaining: actions it may not take itself can be taken as the other principal, under that identity.',
  remediation:
    'Restrict IAM write actions (iam:CreateAccessKey, iam:UpdateLoginProfile, iam:UpdateAssumeRolePolicy, ...), iam:PassRole and code-update actions to the resources the principal owns.',
  references: ['https://pathfinding.cloud/', 'https://github.com/nccgroup/PMapper'],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User', 'AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const actor of ctx.access.context.actors) {
      if (actor.type !== 'user' && actor.type !== 'role') continue;
      if (ctx.isAwsOwned(actor)) continue;
      const moves = lateralMoves(ctx, actor);
      if (moves.length === 0) continue;
      const first = moves.find((m) => !m.step.conditional) ?? moves[0]!;
      const kind = actor.type === 'user' ? 'User' : 'Role';
      results.push({
        resource: ctx.refOf(actor),
        message: `${kind} ${actor.name} can take over ${first.target.type} ${first.target.name} with ${first.step.technique.name} (${first.step.technique.id}), gaining ${first.gained.count()} action${first.gained.count() === 1 ? '' : 's'} it lacks${first.step.conditional ? ' (if the conditions in the evidence hold)' : ''}${moves.length > MAX_MOVES ? `; at least ${MAX_MOVES} other principals too` : moves.length > 1 ? `; ${moves.length - 1} other principal${moves.length === 2 ? '' : 's'} too` : ''}.`,
        evidence: {
          moves: moves.slice(0, MAX_MOVES).map((m) => ({
            target: m.target.arn,
            gainedActions: m.gained.count(),
            gainedSample: sampleActions(m.gained),
            step: stepEvidence(m.step),
          })),
          ...(moves.length > MAX_MOVES ? { moreMoves: moves.length - MAX_MOVES } : {}),
        },
      });
    }
    return results;
  },
};
