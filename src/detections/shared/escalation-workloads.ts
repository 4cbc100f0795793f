/**
 * Compute roles and the workloads that run as them: a role trusted by a service that runs
 * customer code (Lambda, EC2, ECS tasks, ...) is reached by compromising that code, not by
 * stealing a person's credentials.
 */
import type { Principal, Resource, RolePrincipal } from '../../model/index.js';
import type { DetectionContext } from '../types.js';

/** Service principals that run customer code with the role they are given. */
export const COMPUTE_SERVICES: ReadonlySet<string> = new Set([
  'lambda.amazonaws.com',
  'ec2.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'pods.eks.amazonaws.com',
  'tasks.apprunner.amazonaws.com',
  'sagemaker.amazonaws.com',
  'glue.amazonaws.com',
  'codebuild.amazonaws.com',
  'bedrock-agentcore.amazonaws.com',
  'emr-serverless.amazonaws.com',
]);

/** Resource types that run code as their role (templates such as launch templates do not). */
export const WORKLOAD_TYPES: ReadonlySet<string> = new Set([
  'AWS::Lambda::Function',
  'AWS::EC2::Instance',
  'AWS::ECS::Service',
  'AWS::AppRunner::Service',
  'AWS::SageMaker::NotebookInstance',
  'AWS::Glue::Job',
  'AWS::Glue::DevEndpoint',
  'AWS::CodeBuild::Project',
  'AWS::BedrockAgentCore::CodeInterpreter',
]);

/** The compute services a role's trust policy names. */
export function computeServicesOf(ctx: DetectionContext, role: RolePrincipal): string[] {
  return (ctx.access.context.trust.get(role.arn)?.services ?? []).filter((s) =>
    COMPUTE_SERVICES.has(s),
  );
}

/**
 * Whether only compute services can assume the role: its trust names one and no AWS principal,
 * account, federated provider or wildcard (a person cannot assume it directly).
 */
export function isComputeOnlyRole(ctx: DetectionContext, principal: Principal): boolean {
  if (principal.type !== 'role') return false;
  const trust = ctx.access.context.trust.get(principal.arn);
  if (!trust) return false;
  return (
    computeServicesOf(ctx, principal).length > 0 &&
    !trust.everyone &&
    trust.arns.length === 0 &&
    trust.accounts.length === 0 &&
    trust.providers.length === 0
  );
}

/** The deployed workloads (functions, instances, services, ...) that run as the role. */
export function workloadsOf(ctx: DetectionContext, role: RolePrincipal): Resource[] {
  return (ctx.access.context.resourcesByRole.get(role.arn) ?? []).filter((r) =>
    WORKLOAD_TYPES.has(r.type),
  );
}
