/**
 * Which privilege-escalation permission sets (anchors.md §B.9, the graph's techniques) one policy
 * holds on its own, in two ways:
 * - on any target: the policy alone, held by a principal of its account, is allowed every
 *   request of the technique on a target of the right kind it does not name (a role, a user, a
 *   function... called `iamsight-probe`), under the account's SCPs and, for an inline policy, its
 *   holder's boundary. Wildcards such as `arn:aws:iam::*:role/*` count; named ARNs do not.
 * - on an existing target: a step the access analysis found on the way to an administrator is
 *   allowed, request by request, by this policy's statements alone.
 * The policy is judged by the engine, so a condition that rules the request out (a PassRole
 * limited to another service, an AttachRolePolicy limited to another policy ARN) or a Deny in it
 * keeps a technique out. Plain sts:AssumeRole (sts-001) is left out: a role's trust decides it
 * (TRU-10 reports `sts:AssumeRole` on `*`).
 */
import { actionIndex } from '../../catalog/index.js';
import { TECHNIQUES, type PathStep, type Technique } from '../../graph/index.js';
import type { PermissionSpec } from '../../graph/techniques/types.js';
import { parseArn } from '../../model/index.js';
import { evaluateRequest } from '../../policy/evaluate.js';
import type { CallerIdentity } from '../../policy/match-principal.js';
import { buildRequestContext } from '../../policy/request-context.js';
import { contextOf, type NormalizedPolicy } from '../../policy/types.js';
import type { DetectionContext } from '../types.js';
import type { CustomerPolicy } from './admin-policies.js';
import type { StepEvidence } from './escalation-evidence.js';
import { pathStepEvidence } from './escalation-evidence.js';

/** Techniques whose permission set PE-02 looks for. */
export const PERMISSION_SET_TECHNIQUES: readonly Technique[] = TECHNIQUES.filter(
  (t) => t.id !== 'sts-001',
);

/** A technique whose permission set a policy holds. */
export interface PermissionSetHit {
  readonly technique: string;
  readonly name: string;
  readonly permissions: readonly string[];
  /** `any-target`: allowed on targets it does not name; `existing-target`: a step found on the way to admin. */
  readonly scope: 'any-target' | 'existing-target';
  /** For `existing-target`: the step. */
  readonly step?: StepEvidence;
}

const REGION = 'us-east-1';
const PROBE = 'iamsight-probe';
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** An ARN of each kind of existing resource a technique acts on, named by no policy. */
const RESOURCE_PROBES: Readonly<Record<string, string>> = {
  'AWS::Lambda::Function': `arn:aws:lambda:${REGION}:{account}:function:${PROBE}`,
  'AWS::EC2::Instance': `arn:aws:ec2:${REGION}:{account}:instance/i-0123456789abcdef0`,
  'AWS::EC2::LaunchTemplate': `arn:aws:ec2:${REGION}:{account}:launch-template/lt-0123456789abcdef0`,
  'AWS::CloudFormation::Stack': `arn:aws:cloudformation:${REGION}:{account}:stack/${PROBE}/00000000-0000-0000-0000-000000000000`,
  'AWS::CodeBuild::Project': `arn:aws:codebuild:${REGION}:{account}:project/${PROBE}`,
  'AWS::SageMaker::NotebookInstance': `arn:aws:sagemaker:${REGION}:{account}:notebook-instance/${PROBE}`,
  'AWS::Glue::DevEndpoint': `arn:aws:glue:${REGION}:{account}:devEndpoint/${PROBE}`,
  'AWS::AppRunner::Service': `arn:aws:apprunner:${REGION}:{account}:service/${PROBE}/0123456789abcdef`,
  'AWS::BedrockAgentCore::CodeInterpreter': `arn:aws:bedrock-agentcore:${REGION}:{account}:code-interpreter/${PROBE}`,
};

function iamArn(account: string, kind: string): string {
  return `arn:aws:iam::${account}:${kind}/${PROBE}`;
}

/** The probe caller of a technique: a user, or a role for techniques only roles use on themselves. */
function callerFor(technique: Technique, account: string): CallerIdentity {
  const spec = technique.target;
  if (spec.kind === 'self' && !spec.principalTypes.includes('user')) {
    const arn = iamArn(account, 'role');
    return { arn, accountId: account, type: 'role', roleArn: arn };
  }
  return { arn: iamArn(account, 'user'), accountId: account, type: 'user' };
}

/** The resource the technique acts on, for a principal of `account` that is `caller`. */
function targetProbe(technique: Technique, account: string, caller: CallerIdentity): string {
  const spec = technique.target;
  switch (spec.kind) {
    case 'self':
      return caller.arn;
    case 'own-policy':
      return iamArn(account, 'policy');
    case 'own-group':
    case 'group':
      return iamArn(account, 'group');
    case 'user':
      return `${iamArn(account, 'user')}-target`;
    case 'role':
    case 'assumable-role':
    case 'passable-role':
      return `${iamArn(account, 'role')}-target`;
    case 'resource-role': {
      const template = spec.resourceTypes.map((t) => RESOURCE_PROBES[t]).find(Boolean);
      return template ? template.replaceAll('{account}', account) : '*';
    }
  }
}

/** Resources a created resource may be named: the technique's shape, and the policy's own patterns. */
function witnesses(policy: NormalizedPolicy, spec: PermissionSpec, account: string): string[] {
  const out = new Set<string>();
  const bit = actionIndex(spec.action);
  const shape = spec.arn
    ? parseArn(spec.arn.replaceAll('{account}', account).replaceAll('{region}', REGION))
    : null;
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow' || !statement.resource || statement.resource.not) continue;
    if (bit === undefined || !statement.action?.set.has(bit)) continue;
    for (const pattern of statement.resource.patterns) {
      if (pattern === '*') continue;
      const arn = parseArn(pattern.replaceAll('?', 'x'));
      if (!arn || (shape && arn.service !== shape.service && !arn.service.includes('*'))) continue;
      const region = /[*?]/.test(arn.region) ? REGION : arn.region;
      const owner = /[*?]/.test(arn.accountId) ? account : arn.accountId;
      out.add(
        `arn:${arn.partition}:${arn.service}:${region}:${owner}:${arn.resource.replaceAll('*', PROBE)}`,
      );
      if (out.size >= 6) break;
    }
  }
  out.add(
    spec.arn ? spec.arn.replaceAll('{account}', account).replaceAll('{region}', REGION) : '*',
  );
  return [...out];
}

function contextEntries(technique: Technique, spec: PermissionSpec): Record<string, string> {
  const entries: Record<string, string> = { ...spec.context };
  const target = technique.target;
  if (spec.action.toLowerCase() === 'iam:passrole' && target.kind === 'passable-role')
    entries['iam:PassedToService'] = target.service;
  if (/^iam:attach(user|role|group)policy$/i.test(spec.action))
    entries['iam:PolicyARN'] ??= ADMINISTRATOR_ACCESS;
  return entries;
}

/** The account a customer policy lives in. */
function accountOf(entry: CustomerPolicy): string {
  return entry.resource.accountId;
}

/** Whether the policy alone allows every request of the technique on targets it does not name. */
function holdsOnAnyTarget(
  ctx: DetectionContext,
  entry: CustomerPolicy,
  technique: Technique,
): boolean {
  const account = accountOf(entry);
  const evaluator = ctx.access.context.evaluator;
  const caller = callerFor(technique, account);
  const boundary =
    entry.kind === 'inline' && entry.holders[0]
      ? evaluator.policiesFor(entry.holders[0]).boundary
      : null;
  const scpLevels = evaluator.guardrailLevels(account, 'SERVICE_CONTROL_POLICY');
  const org = ctx.snapshot.organization;
  const target = targetProbe(technique, account, caller);
  return technique.permissions.every((spec) => {
    const resources =
      spec.on === 'target'
        ? [target]
        : spec.on === 'role'
          ? [`${iamArn(account, 'role')}-target`]
          : spec.on === 'self'
            ? [caller.arn]
            : spec.on === 'target-policy'
              ? [iamArn(account, 'policy')]
              : spec.on === 'any'
                ? ['*']
                : witnesses(entry.policy, spec, account);
    const explicit = contextOf({
      ...contextEntries(technique, spec),
      ...(org ? { 'aws:PrincipalOrgID': org.id } : {}),
      // The evaluation time decides time conditions, as in the access analysis (a fresh token).
      'aws:CurrentTime': ctx.asOf,
      'aws:EpochTime': String(Math.floor(new Date(ctx.asOf).getTime() / 1000)),
      'aws:TokenIssueTime': ctx.asOf,
    });
    const context = buildRequestContext({ caller, resourceAccount: account, explicit });
    return resources.some((resource) => {
      const result = evaluateRequest({
        caller,
        action: spec.action,
        resource,
        resourceAccount: account,
        context,
        mode: 'discovery',
        identityPolicies: [entry.policy],
        permissionBoundary: boundary,
        scpLevels,
        rcpLevels: [],
        resourcePolicy: null,
        resourcePolicyRequired: false,
      });
      return result.decision === 'Allowed';
    });
  });
}

const stepIndexes = new WeakMap<DetectionContext['access'], Map<string, PermissionSetHit[]>>();

/**
 * Policy id → the escalation steps (toward an administrator) its statements alone allow: the first
 * step of each technique, in the order of the access analysis.
 */
function stepsByPolicy(ctx: DetectionContext): Map<string, PermissionSetHit[]> {
  let index = stepIndexes.get(ctx.access);
  if (index) return index;
  const first = new Map<string, Map<string, PathStep>>();
  const seen = new Set<unknown>();
  for (const step of [...ctx.access.leading.values()].flat()) {
    if (seen.has(step.step)) continue;
    seen.add(step.step);
    if (step.technique === 'sts-001') continue;
    const perRequest = step.step.requests.map(
      (request) =>
        new Set(
          request.identityAllows.filter((s) => s.policyKind === 'identity').map((s) => s.policyId),
        ),
    );
    for (const id of perRequest[0] ?? []) {
      if (!perRequest.every((ids) => ids.has(id))) continue;
      let byTechnique = first.get(id);
      if (!byTechnique) {
        byTechnique = new Map();
        first.set(id, byTechnique);
      }
      if (!byTechnique.has(step.technique)) byTechnique.set(step.technique, step);
    }
  }
  index = new Map();
  for (const [id, byTechnique] of first) {
    index.set(
      id,
      [...byTechnique.values()].map((step) => ({
        technique: step.technique,
        name: step.step.technique.name,
        permissions: [...step.permissions],
        scope: 'existing-target' as const,
        step: pathStepEvidence(step),
      })),
    );
  }
  stepIndexes.set(ctx.access, index);
  return index;
}

/** The privilege-escalation permission sets a customer policy holds on its own. */
export function permissionSetsOf(ctx: DetectionContext, entry: CustomerPolicy): PermissionSetHit[] {
  const summary = ctx.policies.summary(entry.policy);
  const hits: PermissionSetHit[] = [];
  const found = new Set<string>();
  for (const technique of PERMISSION_SET_TECHNIQUES) {
    const bits = technique.permissions.map((p) => actionIndex(p.action));
    if (!bits.every((b) => b !== undefined && summary.allowAny.has(b))) continue;
    if (!holdsOnAnyTarget(ctx, entry, technique)) continue;
    found.add(technique.id);
    hits.push({
      technique: technique.id,
      name: technique.name,
      permissions: technique.permissions.map((p) => p.action),
      scope: 'any-target',
    });
  }
  for (const hit of stepsByPolicy(ctx).get(entry.policy.id) ?? []) {
    if (found.has(hit.technique)) continue;
    found.add(hit.technique);
    hits.push(hit);
  }
  return hits;
}
