/**
 * RES-07: a principal that can read data stores tagged sensitive. A resource is sensitive when a
 * classification tag (data-classification, classification, sensitivity, ...) says confidential,
 * restricted, sensitive, pii or secret. Who can read it is decided by the engine for every principal
 * whose policies may allow the read (all of them when the resource's own policy names principals)
 * — identity policies, boundary, SCPs, the resource policy and RCPs — for a read per type
 * (s3:GetObject on the bucket's objects, dynamodb:GetItem/Query/Scan, secretsmanager:GetSecretValue,
 * kms:Decrypt, sqs:ReceiveMessage).
 *
 * Resources anyone can read (RES-01, open) are left out: every principal would be listed.
 * One finding per principal, listing the resources. Admins (by the access analysis, shadow admins
 * included) are left to the ADM rules: they reach everything. AWS-owned roles are not flagged.
 * Access that holds only under conditions the data cannot decide → medium.
 */
import type { Principal, Resource } from '../../../model/index.js';
import { actionIndex } from '../../../catalog/index.js';
import type { NormalizedPolicy } from '../../../policy/types.js';
import { COMPLETE_PREFIXES, type ContextValues } from '../../../policy/types.js';
import type { DetectionContext } from '../../types.js';
import { publicExposure, resourceTagsOf } from '../../shared/exposure-access.js';
import type { Detection, DetectionResult } from '../../types.js';

const CLASSIFICATION_KEYS = new Set([
  'data-classification',
  'dataclassification',
  'data_classification',
  'classification',
  'data-sensitivity',
  'sensitivity',
  'confidentiality',
]);
const SENSITIVE_VALUES = new Set(['confidential', 'restricted', 'sensitive', 'pii', 'secret']);

/** The tag that makes a resource sensitive, or null. */
export function sensitiveTag(resource: Resource): { key: string; value: string } | null {
  for (const [key, value] of Object.entries(resource.tags)) {
    if (
      CLASSIFICATION_KEYS.has(key.toLowerCase()) &&
      SENSITIVE_VALUES.has(value.trim().toLowerCase())
    )
      return { key, value };
  }
  return null;
}

/** Reads per resource type, and the resource they are made on. */
const READS: Readonly<Record<string, { actions: readonly string[]; object?: boolean }>> = {
  'AWS::S3::Bucket': { actions: ['s3:GetObject'], object: true },
  'AWS::DynamoDB::Table': { actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'] },
  'AWS::SecretsManager::Secret': { actions: ['secretsmanager:GetSecretValue'] },
  'AWS::KMS::Key': { actions: ['kms:Decrypt'] },
  'AWS::SQS::Queue': { actions: ['sqs:ReceiveMessage'] },
};

/**
 * Principals whose decisions on the same request are the same: same policies, boundary, account,
 * type and tags. A principal whose policies depend on its own name or ARN (aws:username,
 * aws:userid, aws:PrincipalArn, policy variables) gets a signature of its own. Generated and real
 * estates alike give hundreds of principals the same persona policies: one evaluation serves them
 * all, which keeps this rule linear in practice (sensitive resources × distinct signatures).
 */
const PERSONAL = /aws:(username|userid|principalarn)|\$\{/i;

/** A policy's content as a string, cached: inline copies of one persona policy share it. */
const contents = new WeakMap<NormalizedPolicy, string>();
function contentOf(policy: NormalizedPolicy): string {
  let content = contents.get(policy);
  if (content === undefined) {
    content = JSON.stringify(
      policy.statements.map((st) => [
        st.effect,
        st.action?.not,
        st.action?.patterns,
        st.resource?.not,
        st.resource?.patterns,
        st.conditions.map((c) => [c.operator, c.key, c.values]),
      ]),
    );
    contents.set(policy, content);
  }
  return content;
}
function signatureOf(
  ctx: DetectionContext,
  principal: Principal,
  cache: Map<Principal, string>,
): string {
  let signature = cache.get(principal);
  if (signature === undefined) {
    const policies = ctx.access.context.evaluator.policiesFor(principal);
    const personal = policies.identity.some((policy) =>
      policy.statements.some(
        (st) =>
          st.conditions.some(
            (c) => PERSONAL.test(c.key) || c.values.some((v) => v.includes('${')),
          ) ||
          (st.resource?.patterns.some((pt) => pt.includes('${')) ?? false),
      ),
    );
    signature = [
      principal.type,
      principal.accountId,
      policies.boundary ? contentOf(policies.boundary) : '',
      JSON.stringify(principal.tags),
      ...policies.identity.map(contentOf).sort(),
      personal ? principal.arn : '',
    ].join('\n');
    cache.set(principal, signature);
  }
  return signature;
}

/** True when a resource policy names principals (its answer then differs per principal). */
function namesPrincipals(ctx: DetectionContext, action: string, target: string): boolean {
  const policy = ctx.access.context.evaluator.resourcePolicyFor(target, action);
  return (
    policy?.statements.some(
      (st) => st.principal !== null && st.principal.entries.some((e) => e.value !== '*'),
    ) ?? false
  );
}

/**
 * What the snapshot knows of a read of the resource: it goes to the resource's region (SCPs often
 * pin regions) and carries its tags as aws:ResourceTag (all known; the principal's tags stay
 * complete too). The evaluator does not add either by itself.
 */
function requestContextOf(resource: Resource): ContextValues {
  const context = new Map<string, readonly string[]>();
  if (resource.region) context.set('aws:requestedregion', [resource.region]);
  const complete = ['aws:principaltag/'];
  const tags = resourceTagsOf(resource);
  if (tags) {
    for (const [key, value] of Object.entries(tags))
      context.set(`aws:resourcetag/${key.toLowerCase()}`, [value]);
    complete.push('aws:resourcetag/');
  }
  context.set(COMPLETE_PREFIXES, complete);
  return context;
}

interface Reach {
  readonly arn: string;
  readonly name: string;
  readonly type: string;
  readonly action: string;
  readonly conditional: boolean;
  /** The condition keys a conditional read depends on. */
  readonly conditions?: readonly string[];
}

const MAX_LISTED = 25;

export const detection: Detection = {
  id: 'iam-principal-sensitive-data-access',
  anchor: 'RES-07',
  version: 1,
  title: 'Principal can read sensitive data stores',
  severity: 'high',
  category: 'exposure',
  description:
    'A principal that is not an administrator can read data stores tagged as sensitive (a data-classification or sensitivity tag of confidential, restricted, sensitive, pii or secret): S3 buckets, DynamoDB tables, Secrets Manager secrets, KMS keys, SQS queues.',
  risk: 'Whoever compromises this principal — its keys, its workload, anyone who can assume it — reads the organization’s most sensitive data.',
  remediation:
    'Remove the read from principals that do not need it: scope their policies to non-sensitive resources (or deny on aws:ResourceTag/data-classification), and name the readers in the resource policy.',
  references: [
    'https://docs.datadoghq.com/security/identity_risks/',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html',
  ],
  requires: ['iam', 'resources'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User', 'AWS::IAM::Role'],
  evaluate(ctx) {
    const { evaluator, permissions } = ctx.access.context;
    const reaches = new Map<Principal, Reach[]>();
    const signatures = new Map<Principal, string>();

    for (const resource of ctx.snapshot.resources) {
      const reads = READS[resource.type];
      if (!reads || !sensitiveTag(resource)) continue;
      // Readable by anyone: RES-01 reports the resource; listing every principal adds nothing.
      if (publicExposure(ctx, resource).reach === 'open') continue;
      const target = reads.object ? `${resource.arn}/*` : resource.arn;
      // A read of a regional resource is a request to its region (SCPs often pin regions).
      const context = requestContextOf(resource);
      const seen = new Set<Principal>();
      for (const action of reads.actions) {
        const bit = actionIndex(action);
        const personal = namesPrincipals(ctx, action, target);
        const decided = new Map<string, { allowed: boolean; conditional: string[] }>();
        for (const principal of ctx.access.context.actors) {
          if (seen.has(principal)) continue;
          if (principal.type === 'root' || ctx.isAwsOwned(principal)) continue;
          if (ctx.access.status.get(principal.arn)?.admin) continue;
          if (bit !== undefined && !personal && !permissions.of(principal).possible.has(bit))
            continue;
          const key = personal ? principal.arn : signatureOf(ctx, principal, signatures);
          let result = decided.get(key);
          if (!result) {
            // First without the resource's region and tags: the principal's cached context
            // serves every resource. A definite answer stands (more keys cannot change it); an
            // answer that depends on conditions is asked again with what the snapshot knows.
            let full = evaluator.evaluate(principal, action, target);
            if (full.decision === 'Allowed' && full.conditional.length > 0)
              full = evaluator.evaluate(principal, action, target, { context });
            // Keep only what the finding needs: a full result holds its explanation's matches.
            result = {
              allowed: full.decision === 'Allowed',
              conditional: [...new Set(full.conditional.map((c) => c.clause.key))],
            };
            decided.set(key, result);
          }
          if (!result.allowed) continue;
          seen.add(principal);
          const list = reaches.get(principal) ?? [];
          list.push({
            arn: resource.arn,
            name: resource.name,
            type: resource.type,
            action,
            conditional: result.conditional.length > 0,
            ...(result.conditional.length > 0 ? { conditions: result.conditional } : {}),
          });
          reaches.set(principal, list);
        }
      }
    }
    const results: DetectionResult[] = [];
    for (const [principal, list] of reaches) {
      const certain = list.filter((r) => !r.conditional);
      const names = list.map((r) => r.name);
      results.push({
        resource: ctx.refOf(principal),
        severity: certain.length > 0 ? 'high' : 'medium',
        message: `${principal.type === 'user' ? 'User' : 'Role'} ${principal.name} can read ${list.length} sensitive data store${list.length === 1 ? '' : 's'} (${names.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''})${certain.length === 0 ? ' under conditions' : ''}: compromising it exposes that data.`,
        evidence: {
          count: list.length,
          resources: list.slice(0, MAX_LISTED),
          ...(list.length > MAX_LISTED ? { omitted: list.length - MAX_LISTED } : {}),
        },
      });
    }
    return results;
  },
};
