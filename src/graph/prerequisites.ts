/**
 * The snapshot facts techniques depend on. Each check answers yes, no, or unknown (the input did
 * not say: no credential report, no resource inventory); unknown keeps the step and marks it
 * conditional with the reason.
 */
import type { Principal } from '../model/index.js';
import type { AccessContext } from './context.js';
import type { PrerequisiteName } from './techniques/types.js';

export type PrerequisiteAnswer =
  | { readonly holds: true }
  | { readonly holds: false }
  | { readonly holds: 'unknown'; readonly why: string };

const YES: PrerequisiteAnswer = { holds: true };
const NO: PrerequisiteAnswer = { holds: false };

/** What a prerequisite is checked against. */
export interface PrerequisiteSubject {
  readonly actor: Principal;
  /** The principal acted on (target user or role), when there is one. */
  readonly target?: Principal;
  /** The managed policy acted on, when there is one. */
  readonly policyArn?: string;
}

function answer(value: boolean): PrerequisiteAnswer {
  return value ? YES : NO;
}

/** A resource of one of these types exists in the account (unknown without an inventory). */
function resourceExists(
  ctx: AccessContext,
  accountId: string,
  types: readonly string[],
  what: string,
): PrerequisiteAnswer {
  const found = types.some((type) =>
    (ctx.resourcesByType.get(type) ?? []).some((r) => r.accountId === accountId),
  );
  if (found) return YES;
  if (!ctx.accountsWithInventory.has(accountId))
    return {
      holds: 'unknown',
      why: `needs ${what}; no resource inventory was given for ${accountId}`,
    };
  return NO;
}

export function checkPrerequisite(
  ctx: AccessContext,
  name: PrerequisiteName,
  subject: PrerequisiteSubject,
): PrerequisiteAnswer {
  const { actor, target } = subject;
  switch (name) {
    case 'user-has-key-slot':
    case 'user-has-two-keys': {
      if (target?.type !== 'user') return NO;
      if (target.accessKeys === null)
        return {
          holds: 'unknown',
          why: `the number of access keys of ${target.name} is not known (no credential report)`,
        };
      const keys = target.accessKeys.length;
      return answer(name === 'user-has-key-slot' ? keys < 2 : keys >= 2);
    }
    case 'user-has-no-login-profile':
    case 'user-has-login-profile': {
      if (target?.type !== 'user') return NO;
      if (target.loginProfile === null)
        return {
          holds: 'unknown',
          why: `whether ${target.name} has a console password is not known (no credential report)`,
        };
      const exists = target.loginProfile.exists;
      return answer(name === 'user-has-login-profile' ? exists : !exists);
    }
    case 'has-boundary':
      return answer((target ?? actor).permissionsBoundaryArn !== null);
    case 'policy-has-other-version': {
      const policy = subject.policyArn
        ? ctx.snapshot.policies.find((p) => p.arn === subject.policyArn)
        : undefined;
      return answer((policy?.versions.length ?? 0) > 1);
    }
    case 'actor-is-user':
      return answer(actor.type === 'user');
    case 'ecs-cluster-exists':
    case 'ecs-task-definition-exists':
      return resourceExists(
        ctx,
        actor.accountId,
        ['AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::ECS::TaskDefinition'],
        'an existing ECS cluster',
      );
    case 'ecs-ec2-cluster-exists':
      return resourceExists(
        ctx,
        actor.accountId,
        ['AWS::ECS::Cluster', 'AWS::ECS::ContainerInstance'],
        'an ECS cluster with EC2 container instances',
      );
    case 'glue-job-exists':
      return resourceExists(ctx, actor.accountId, ['AWS::Glue::Job'], 'an existing Glue job');
    case 'lambda-event-source-exists':
      return resourceExists(
        ctx,
        actor.accountId,
        ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::Kinesis::Stream'],
        'an event source (DynamoDB stream, SQS queue or Kinesis stream)',
      );
    case 'autoscaling-group-exists':
      return resourceExists(
        ctx,
        actor.accountId,
        ['AWS::AutoScaling::AutoScalingGroup'],
        'an Auto Scaling group using the launch template',
      );
  }
}
