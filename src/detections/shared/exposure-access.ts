/**
 * Who outside the organization can use a resource, decided by the engine against the resource's
 * own policy and the RCPs of its account: a caller from another AWS account (or, for a Lambda
 * function URL with AuthType NONE, an anonymous caller) makes a few representative requests per
 * resource type (reads and writes).
 *
 * Like ./outsider.ts, but the request also carries what the data can decide about such a caller:
 * it calls from the internet (an arbitrary address, no VPC or VPC endpoint), directly (no
 * aws:SourceArn / aws:SourceAccount: no service acts for it), from its own account (kms:CallerAccount)
 * and organization. What the caller chooses itself (TLS, MFA on its own user, its own tags, the
 * Referer and User-Agent headers, S3 request headers) counts as met. When that is not allowed, a
 * second request from an unknown network tells "open from some addresses or VPCs" from "closed".
 */
import type { Resource, Tags } from '../../model/index.js';
import { resourcePolicyKindFor } from '../../policy/eval-case.js';
import { evaluateRequest, type EvaluationResult } from '../../policy/evaluate.js';
import { callerIdentityFromArn } from '../../policy/match-principal.js';
import { cidrContains, parseCidr, parseIpAddress } from '../../policy/conditions/values.js';
import { parsePolicy } from '../../policy/parse.js';
import { buildRequestContext } from '../../policy/request-context.js';
import {
  COMPLETE_PREFIXES,
  type NormalizedPolicy,
  type PendingCondition,
  type StatementRef,
} from '../../policy/types.js';
import type { DetectionContext } from '../types.js';
import { OUTSIDER_ACCOUNT } from './outsider.js';

/**
 * How far outside callers reach:
 * - `open`: allowed with nothing the caller cannot arrange itself;
 * - `conditional`: allowed only under conditions the data cannot decide (resource tags, ...);
 * - `network`: allowed only from some source addresses, VPCs or VPC endpoints;
 * - `closed`: not allowed.
 */
export type Reach = 'open' | 'conditional' | 'network' | 'closed';

/** A condition an answer depends on, as evidence shows it. */
export interface ConditionEvidence {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
  readonly effect: 'Allow' | 'Deny';
}

/** The answer for one request. */
export interface ProbeOutcome {
  readonly action: string;
  readonly resource: string;
  /** The caller's ARN (`*`: anonymous). */
  readonly caller: string;
  readonly reach: Reach;
  /** For `network`: whether a source address range suffices or a VPC (endpoint) is needed. */
  readonly network: 'source-ip' | 'vpc' | null;
  readonly conditions: readonly ConditionEvidence[];
  /** The resource-policy statements that allowed it. */
  readonly statements: readonly StatementRef[];
}

/** Who makes the requests. */
export interface ExposureCaller {
  readonly arn: string;
  readonly accountId: string | null;
  /** The caller's organization (never the snapshot's); null for anonymous callers. */
  readonly orgId: string | null;
}

/** An AWS principal in an account outside every organization of the snapshot. */
export const OUTSIDER: ExposureCaller = {
  arn: `arn:aws:iam::${OUTSIDER_ACCOUNT}:user/outsider`,
  accountId: OUTSIDER_ACCOUNT,
  orgId: 'o-outsider00',
};

/** A caller with no AWS credentials (S3, SQS, SNS and Lambda function URLs accept them). */
export const ANONYMOUS: ExposureCaller = { arn: '*', accountId: null, orgId: null };

/** The organization id given to callers of named external accounts (not the snapshot's). */
export const EXTERNAL_ORG_ID = 'o-external00';

/**
 * Arbitrary internet addresses, tried in order: the probe's caller comes from the first that lies
 * outside every range the resource policy names in aws:SourceIp, so a grant pinned to a range is
 * never mistaken for an open one (nor a deny for "everyone outside a range" skipped).
 */
const INTERNET_ADDRESSES = ['198.51.100.7', '203.0.113.7', '192.0.2.7', '9.9.9.9', '1.1.1.1'];

const addressCache = new WeakMap<NormalizedPolicy, string>();

/** The internet address of a probe against `policy` (see {@link INTERNET_ADDRESSES}). */
function internetAddressFor(policy: NormalizedPolicy | null): string {
  const first = INTERNET_ADDRESSES[0]!;
  if (!policy) return first;
  let address = addressCache.get(policy);
  if (address === undefined) {
    const ranges = policy.statements.flatMap((statement) =>
      statement.conditions
        .filter((clause) => clause.key.toLowerCase() === 'aws:sourceip')
        .flatMap((clause) => clause.values.map(parseCidr))
        .filter((range) => range !== undefined),
    );
    address =
      INTERNET_ADDRESSES.find((candidate) => {
        const parsed = parseIpAddress(candidate)!;
        return !ranges.some((range) => cidrContains(range, parsed));
      }) ?? first;
    addressCache.set(policy, address);
  }
  return address;
}

interface ProbeSpec {
  readonly action: string;
  /** `object`: on object ARNs inside the bucket; `resource`: on the resource's ARN. */
  readonly on: 'resource' | 'object';
}

const spec = (on: ProbeSpec['on'], ...actions: string[]): ProbeSpec[] =>
  actions.map((action) => ({ action, on }));

/**
 * Representative requests per resource type, reads first (the first is the read the rule names),
 * then writes. Data-plane actions only: the policy-changing ones (s3:PutBucketPolicy,
 * kms:PutKeyPolicy, sqs:SetQueueAttributes, ...) are refused to other accounts whatever the
 * policy says, so asking an outsider about them would report what cannot happen.
 */
const PROBES: Readonly<Record<string, readonly ProbeSpec[]>> = {
  'AWS::S3::Bucket': [
    ...spec('object', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'),
    ...spec('resource', 's3:ListBucket'),
  ],
  'AWS::SQS::Queue': spec('resource', 'sqs:ReceiveMessage', 'sqs:SendMessage', 'sqs:DeleteMessage'),
  'AWS::SNS::Topic': spec('resource', 'sns:Subscribe', 'sns:Publish'),
  'AWS::KMS::Key': spec(
    'resource',
    'kms:Decrypt',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'kms:CreateGrant',
  ),
  'AWS::Lambda::Function': spec(
    'resource',
    'lambda:InvokeFunction',
    'lambda:InvokeFunctionUrl',
    'lambda:GetFunction',
  ),
  'AWS::SecretsManager::Secret': spec(
    'resource',
    'secretsmanager:GetSecretValue',
    'secretsmanager:PutSecretValue',
  ),
  'AWS::ECR::Repository': spec(
    'resource',
    'ecr:BatchGetImage',
    'ecr:GetDownloadUrlForLayer',
    'ecr:PutImage',
  ),
  'AWS::DynamoDB::Table': spec(
    'resource',
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:PutItem',
  ),
};

/** Resource types whose resource-based policy the probes know. */
export const POLICY_RESOURCE_TYPES: readonly string[] = Object.keys(PROBES);

/** Keys whose value the caller chooses for its own request. */
function chosenByCaller(key: string, caller: ExposureCaller): boolean {
  const k = key.toLowerCase();
  if (
    k === 'aws:referer' ||
    k === 'aws:useragent' ||
    k === 'aws:requesttag' ||
    k.startsWith('aws:requesttag/') ||
    k === 'aws:tagkeys' ||
    k.startsWith('s3:x-amz-') ||
    [
      's3:prefix',
      's3:delimiter',
      's3:max-keys',
      's3:signatureversion',
      's3:authtype',
      's3:tlsversion',
      's3:signatureage',
    ].includes(k)
  )
    return true;
  // An outsider tags its own user as it likes; an anonymous caller has no tags.
  return caller.accountId !== null && k.startsWith('aws:principaltag/');
}

function isNetworkKey(key: string): 'source-ip' | 'vpc' | null {
  const k = key.toLowerCase();
  if (k === 'aws:sourceip' || k === 'aws:vpcsourceip') return 'source-ip';
  if (k.startsWith('aws:sourcevpc')) return 'vpc';
  return null;
}

/**
 * The aws:ResourceTag keys of a request on the resource: its tags, all of them known. Not for S3,
 * whose object requests carry the object's tags, which the snapshot does not hold.
 */
export function resourceTagsOf(resource: Resource): Tags | null {
  return resource.type === 'AWS::S3::Bucket' ? null : resource.tags;
}

/** Keys a direct request of this caller does not carry (absent, not unknown). */
function absentPrefixes(caller: ExposureCaller, internet: boolean): string[] {
  const prefixes = [
    'aws:sourceaccount',
    'aws:sourcearn',
    'aws:sourceowner',
    'aws:sourceorgid',
    'aws:sourceorgpaths',
    'aws:calledvia',
  ];
  if (internet) prefixes.push('aws:sourcevpc', 'aws:vpcsourceip');
  if (caller.accountId === null)
    prefixes.push('aws:principal', 'aws:multifactorauth', 'aws:userid', 'aws:username');
  return prefixes;
}

const ALLOW_ALL = parsePolicy(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  { id: 'the outside account’s own policy', kind: 'identity' },
);

function request(
  ctx: DetectionContext,
  caller: ExposureCaller,
  action: string,
  resource: string,
  resourceAccount: string,
  policy: NormalizedPolicy | null,
  extra: Readonly<Record<string, string>>,
  tags: Tags | null,
  internet: boolean,
): EvaluationResult {
  const identity = callerIdentityFromArn(caller.arn);
  const explicit = new Map<string, readonly string[]>();
  const set = (key: string, value: string): void => {
    explicit.set(key.toLowerCase(), [value]);
  };
  if (caller.accountId !== null) {
    set('aws:PrincipalAccount', caller.accountId);
    set('aws:MultiFactorAuthPresent', 'true');
    set('aws:MultiFactorAuthAge', '60');
    if (action.toLowerCase().startsWith('kms:')) set('kms:CallerAccount', caller.accountId);
  }
  if (caller.orgId !== null) {
    set('aws:PrincipalOrgID', caller.orgId);
    set('aws:PrincipalOrgPaths', `${caller.orgId}/r-0000/`);
  }
  set('aws:SecureTransport', 'true');
  set('aws:ViaAWSService', 'false');
  if (internet) set('aws:SourceIp', internetAddressFor(policy));
  for (const [key, value] of Object.entries(extra)) set(key, value);
  const absent = absentPrefixes(caller, internet);
  if (tags) {
    for (const [key, value] of Object.entries(tags)) set(`aws:ResourceTag/${key}`, value);
    absent.push('aws:resourcetag/');
  }
  explicit.set(COMPLETE_PREFIXES, absent);
  const { required } = resourcePolicyKindFor(action);
  return evaluateRequest({
    caller: identity,
    action,
    resource,
    resourceAccount,
    context: buildRequestContext({ caller: identity, resourceAccount, explicit }),
    mode: 'discovery',
    identityPolicies: caller.accountId === null ? [] : [ALLOW_ALL],
    resourcePolicy: policy,
    resourcePolicyRequired: required,
    rcpLevels: ctx.access.context.evaluator.guardrailLevels(
      resourceAccount,
      'RESOURCE_CONTROL_POLICY',
    ),
  });
}

function conditionsOf(pending: readonly PendingCondition[]): ConditionEvidence[] {
  return pending.map((p) => ({
    key: p.clause.key,
    operator: p.clause.operator,
    values: p.clause.values,
    effect: p.effect,
  }));
}

function allowingStatements(result: EvaluationResult): StatementRef[] {
  return result.reasons
    .filter((r) => r.effect === 'allow')
    .flatMap((r) => r.statements)
    .filter((s) => s.policyKind === 'resource');
}

/** One request, first from the internet, then (if refused) from an unknown network. */
export function probe(
  ctx: DetectionContext,
  caller: ExposureCaller,
  action: string,
  resource: string,
  resourceAccount: string,
  policy: NormalizedPolicy | null,
  extra: Readonly<Record<string, string>> = {},
  tags: Tags | null = null,
): ProbeOutcome {
  const base = { action, resource, caller: caller.arn };
  const ask = (internet: boolean): EvaluationResult =>
    request(ctx, caller, action, resource, resourceAccount, policy, extra, tags, internet);
  const internet = ask(true);
  if (internet.decision === 'Allowed') {
    const pending = internet.conditional.filter((p) => !chosenByCaller(p.clause.key, caller));
    return {
      ...base,
      reach: pending.length === 0 ? 'open' : 'conditional',
      network: null,
      conditions: conditionsOf(pending),
      statements: allowingStatements(internet),
    };
  }
  const anywhere = ask(false);
  if (anywhere.decision !== 'Allowed')
    return { ...base, reach: 'closed', network: null, conditions: [], statements: [] };
  const pending = anywhere.conditional.filter((p) => !chosenByCaller(p.clause.key, caller));
  const kinds = new Set(pending.map((p) => isNetworkKey(p.clause.key)));
  return {
    ...base,
    reach: 'network',
    network: kinds.has('source-ip') || !kinds.has('vpc') ? 'source-ip' : 'vpc',
    conditions: conditionsOf(pending),
    statements: allowingStatements(anywhere),
  };
}

/** Concrete object ARNs of a bucket to ask about: one per object pattern its policy allows. */
function objectSamples(bucketArn: string, policy: NormalizedPolicy): string[] {
  const samples = new Set<string>([`${bucketArn}/x`]);
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow' || !statement.resource || statement.resource.not) continue;
    for (const pattern of statement.resource.patterns) {
      if (!pattern.startsWith(`${bucketArn}/`)) continue;
      samples.add(pattern.replace(/\$\{[^}]*\}/g, 'x').replace(/[*?]/g, 'x'));
      if (samples.size >= 5) return [...samples];
    }
  }
  return [...samples];
}

/** For types without probes: the exact actions the policy's Allow statements name. */
function namedActions(resource: Resource, policy: NormalizedPolicy): ProbeSpec[] {
  const service = resource.arn.split(':')[2] ?? '';
  const actions = new Set<string>();
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow' || !statement.action || statement.action.not) continue;
    for (const pattern of statement.action.patterns) {
      if (!/[*?]/.test(pattern) && pattern.toLowerCase().startsWith(`${service}:`))
        actions.add(pattern);
    }
  }
  return [...actions].slice(0, 6).map((action) => ({ action, on: 'resource' }));
}

/** The parsed resource-based policy of a resource, or null. */
export function resourcePolicyOf(
  ctx: DetectionContext,
  resource: Resource,
): NormalizedPolicy | null {
  if (!resource.policy) return null;
  // Every action but sts:AssumeRole* reads the resource's own policy (kind `resource`).
  return ctx.access.context.evaluator.resourcePolicyFor(resource.arn, 'iamsight:ResourcePolicy');
}

/** Every probe of a resource for a caller (none when the resource has no policy). */
export function probeResource(
  ctx: DetectionContext,
  resource: Resource,
  caller: ExposureCaller,
): ProbeOutcome[] {
  const evaluator = ctx.access.context.evaluator;
  const own = resourcePolicyOf(ctx, resource);
  if (!own) return [];
  const specs = PROBES[resource.type] ?? namedActions(resource, own);
  const outcomes: ProbeOutcome[] = [];
  const authType = resource.exposure.functionUrlAuthType;
  for (const { action, on } of specs) {
    const extra: Record<string, string> = {};
    if (action === 'lambda:InvokeFunctionUrl') {
      // No URL: nobody can invoke one. Not recorded: the auth type stays unknown.
      if (authType === null) continue;
      if (authType !== undefined) extra['lambda:FunctionUrlAuthType'] = authType;
    }
    const targets = on === 'object' ? objectSamples(resource.arn, own) : [resource.arn];
    for (const target of targets) {
      const policy = evaluator.resourcePolicyFor(target, action);
      const outcome = probe(
        ctx,
        caller,
        action,
        target,
        resource.accountId,
        policy,
        extra,
        resourceTagsOf(resource),
      );
      outcomes.push(outcome);
      if (outcome.reach === 'open') break;
    }
  }
  return outcomes;
}

/** What anyone can do with a resource. */
export interface PublicExposure {
  readonly resource: Resource;
  /** The widest reach over the probes (`network` via source IP before `network` via VPC). */
  readonly reach: Reach;
  readonly network: 'source-ip' | 'vpc' | null;
  /** The probes with that reach. */
  readonly outcomes: readonly ProbeOutcome[];
  /** True when the only way in is a function URL with AuthType NONE. */
  readonly viaFunctionUrl: boolean;
}

const RANK: Record<string, number> = {
  open: 0,
  conditional: 1,
  'network:source-ip': 2,
  'network:vpc': 3,
  closed: 4,
};

function rankOf(outcome: ProbeOutcome): number {
  return RANK[outcome.reach === 'network' ? `network:${outcome.network}` : outcome.reach] ?? 4;
}

const publicCache = new WeakMap<DetectionContext, Map<string, PublicExposure>>();

/**
 * What a caller from outside every organization of the snapshot (and, for a function URL with
 * AuthType NONE, an anonymous caller) can do with the resource; cached per scan.
 */
export function publicExposure(ctx: DetectionContext, resource: Resource): PublicExposure {
  let cache = publicCache.get(ctx);
  if (!cache) {
    cache = new Map();
    publicCache.set(ctx, cache);
  }
  const known = cache.get(resource.arn);
  if (known) return known;
  const outcomes = probeResource(ctx, resource, OUTSIDER);
  let urlOutcome: ProbeOutcome | null = null;
  if (
    resource.type === 'AWS::Lambda::Function' &&
    resource.exposure.functionUrlAuthType === 'NONE'
  ) {
    // A function URL with AuthType NONE: Lambda still requires the function policy to allow
    // lambda:InvokeFunctionUrl to "*" (the statement the console adds).
    urlOutcome = probe(
      ctx,
      ANONYMOUS,
      'lambda:InvokeFunctionUrl',
      resource.arn,
      resource.accountId,
      ctx.access.context.evaluator.resourcePolicyFor(resource.arn, 'lambda:InvokeFunctionUrl'),
      { 'lambda:FunctionUrlAuthType': 'NONE' },
      resourceTagsOf(resource),
    );
    outcomes.push(urlOutcome);
  }
  const best = Math.min(4, ...outcomes.map(rankOf));
  const top = outcomes.filter((o) => rankOf(o) === best);
  const exposure: PublicExposure = {
    resource,
    reach: top[0]?.reach ?? 'closed',
    network: top[0]?.network ?? null,
    outcomes: top,
    viaFunctionUrl: urlOutcome !== null && top.length === 1 && top[0] === urlOutcome,
  };
  cache.set(resource.arn, exposure);
  return exposure;
}

/** A short, readable name for a resource type (`S3 bucket`). */
export function typeLabel(type: string): string {
  const labels: Record<string, string> = {
    'AWS::S3::Bucket': 'S3 bucket',
    'AWS::SQS::Queue': 'SQS queue',
    'AWS::SNS::Topic': 'SNS topic',
    'AWS::KMS::Key': 'KMS key',
    'AWS::Lambda::Function': 'Lambda function',
    'AWS::SecretsManager::Secret': 'Secrets Manager secret',
    'AWS::ECR::Repository': 'ECR repository',
    'AWS::DynamoDB::Table': 'DynamoDB table',
  };
  return labels[type] ?? type.split('::').slice(1).join(' ');
}

/** The distinct actions of some outcomes, in probe order. */
export function actionsOf(outcomes: readonly ProbeOutcome[]): string[] {
  return [...new Set(outcomes.map((o) => o.action))];
}

/** Distinct statements of some outcomes. */
export function statementsOf(outcomes: readonly ProbeOutcome[]): StatementRef[] {
  const seen = new Map<string, StatementRef>();
  for (const outcome of outcomes)
    for (const s of outcome.statements) seen.set(`${s.policyId}#${s.statementIndex}`, s);
  return [...seen.values()];
}

/** Distinct conditions of some outcomes. */
export function conditionsOfOutcomes(outcomes: readonly ProbeOutcome[]): ConditionEvidence[] {
  const seen = new Map<string, ConditionEvidence>();
  for (const outcome of outcomes)
    for (const c of outcome.conditions)
      seen.set(`${c.effect}|${c.operator}|${c.key}|${c.values.join(',')}`, c);
  return [...seen.values()];
}
