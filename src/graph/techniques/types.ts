/**
 * The declarative shape of a privilege-escalation technique (anchors.md §B.9, pathfinding.cloud).
 *
 * A technique says who it targets, which permissions the actor needs and on which resource each,
 * which prerequisites must hold in the snapshot, and what the actor gains. The search
 * (../escalation.ts) interprets these entries; no technique carries code of its own, so adding
 * one is adding data, and every entry is checked the same way (engine + snapshot facts).
 */

/** pathfinding.cloud categories. */
export type TechniqueCategory =
  | 'self-escalation'
  | 'principal-access'
  | 'new-passrole'
  | 'existing-passrole'
  | 'credential-access';

/**
 * What the technique acts on:
 * - `self`: the actor itself (a user or a role, as `principalTypes` allows);
 * - `own-policy`: a customer managed policy attached to the actor (directly or through a group);
 * - `own-group`: a group the actor (a user) belongs to;
 * - `group`: any group of the actor's account (AddUserToGroup);
 * - `user`: another IAM user of the actor's account;
 * - `role`: an IAM role of the actor's account (to modify and then use);
 * - `assumable-role`: a role whose trust may admit the actor (any account);
 * - `passable-role`: a role of the actor's account trusted by `service` (new-passrole);
 * - `resource-role`: an existing resource of `resourceTypes` that runs with a role (existing-passrole).
 */
export type TargetSpec =
  | { readonly kind: 'self'; readonly principalTypes: readonly ('user' | 'role')[] }
  | { readonly kind: 'own-policy'; readonly principalTypes?: readonly ('user' | 'role')[] }
  | { readonly kind: 'own-group' }
  | { readonly kind: 'group' }
  | { readonly kind: 'user' }
  | { readonly kind: 'role' }
  | { readonly kind: 'assumable-role' }
  | {
      readonly kind: 'passable-role';
      /** The service principal the passed role must trust, e.g. `lambda.amazonaws.com`. */
      readonly service: string;
      /** EC2 techniques also need the role in an instance profile. */
      readonly instanceProfile?: boolean;
      /** The role trusts `service` as a Federated principal (web identity), not as a Service. */
      readonly federated?: boolean;
    }
  | { readonly kind: 'resource-role'; readonly resourceTypes: readonly string[] };

/**
 * Where a permission must be allowed:
 * - `target`: the object the technique acts on (the user, role, group, policy or resource);
 * - `role`: the role gained (for PassRole, the passed role; for AssumeRole, the assumed role);
 * - `self`: the actor itself;
 * - `target-policy`: every customer managed policy attached to the target role or user (one suffices);
 * - `new`: a resource the actor creates and names: allowed if some name is allowed (the patterns
 *   of the actor's own policies are tried as witnesses);
 * - `any`: the action takes no resource (`*`).
 */
export type PermissionTarget = 'target' | 'role' | 'self' | 'target-policy' | 'new' | 'any';

export interface PermissionSpec {
  readonly action: string;
  readonly on: PermissionTarget;
  /**
   * Context keys the request carries: `iam:PassedToService` for PassRole is added automatically
   * from the target's service; `iam:PolicyARN` for Attach*Policy names AdministratorAccess.
   */
  readonly context?: Readonly<Record<string, string>>;
  /** For `new`: the ARN shape of the created resource, `{region}` and `{account}` filled in. */
  readonly arn?: string;
}

/** Named facts about the snapshot a technique needs; each is checked by ../prerequisites.ts. */
export type PrerequisiteName =
  /** The target user has fewer than two access keys (CreateAccessKey). */
  | 'user-has-key-slot'
  /** The target user already has two access keys (delete one first). */
  | 'user-has-two-keys'
  /** The target user has no console password (CreateLoginProfile). */
  | 'user-has-no-login-profile'
  /** The target user has a console password (UpdateLoginProfile). */
  | 'user-has-login-profile'
  /** The target (or self) has a permissions boundary to remove. */
  | 'has-boundary'
  /** The targeted policy has a version other than the default. */
  | 'policy-has-other-version'
  /** The actor is a user (groups hold only users). */
  | 'actor-is-user'
  /** An ECS cluster exists in the account. */
  | 'ecs-cluster-exists'
  /** An ECS cluster with EC2 container instances exists. */
  | 'ecs-ec2-cluster-exists'
  /** A Glue job exists to update with a new role. */
  | 'glue-job-exists'
  /** An event source for Lambda (DynamoDB table with a stream, SQS queue, Kinesis stream) exists. */
  | 'lambda-event-source-exists'
  /** An existing task definition or cluster to run with an overridden role. */
  | 'ecs-task-definition-exists'
  /** An Auto Scaling group uses the launch template. */
  | 'autoscaling-group-exists';

/** What the actor holds after the technique. */
export type Gain =
  /** The permissions of the target principal (assume it, log in as it, run code as it). */
  | 'target'
  /** The target principal with any policy the actor chooses: admin when the target's boundary allows. */
  | 'target-ceiling'
  /** The actor itself with any policy it chooses: admin when its own boundary allows. */
  | 'self-ceiling'
  /** The actor with the target group's policies added. */
  | 'self-with-group'
  /** The actor without its permissions boundary. */
  | 'self-without-boundary'
  /** The target role without its permissions boundary. */
  | 'target-without-boundary'
  /** The actor with another version of its own policy made default. */
  | 'self-with-version';

export interface Technique {
  /** pathfinding.cloud id (`iam-001`), or a project id documented in docs/detections.md. */
  readonly id: string;
  /** Short name, e.g. `iam:CreatePolicyVersion`. */
  readonly name: string;
  readonly category: TechniqueCategory;
  readonly target: TargetSpec;
  /** Every one must be allowed (on its resource) for the step to exist. */
  readonly permissions: readonly PermissionSpec[];
  /**
   * Alternatives for a prerequisite that can also be created by the actor: the step exists if the
   * prerequisite holds or every one of these permissions is allowed.
   */
  readonly prerequisites?: readonly PrerequisiteName[];
  readonly orPermissions?: readonly PermissionSpec[];
  readonly gain: Gain;
  /** One sentence; `{actor}`, `{target}` and `{resource}` are replaced by names. */
  readonly reason: string;
  /** anchors.md §B.9 row(s) and other sources, for docs. */
  readonly source: string;
}
