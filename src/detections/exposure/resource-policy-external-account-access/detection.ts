/**
 * RES-02: a resource whose own policy grants an account outside the zone of trust (the snapshot's
 * organization and accounts, and the configured trusted accounts). The accounts come from the
 * policy's Allow statements — named in Principal (the account, or a user or role of it) or, under
 * Principal "*", in aws:PrincipalAccount / aws:PrincipalArn / kms:CallerAccount conditions — and
 * the engine decides: a principal of that account (from an organization of its own) makes the
 * representative requests of the resource type against the resource policy and the RCPs.
 * Allowed → high; allowed only under conditions the data cannot decide → medium. One finding per
 * external account. S3 buckets whose policy is public and Block Public Access has
 * RestrictPublicBuckets, at the bucket or the account level, are silent: S3 then refuses every
 * cross-account request.
 */
import { describePrincipalEntry } from '../../../policy/match-principal.js';
import type { NormalizedPolicy } from '../../../policy/types.js';
import {
  actionsOf,
  conditionsOfOutcomes,
  EXTERNAL_ORG_ID,
  POLICY_RESOURCE_TYPES,
  probeResource,
  publicExposure,
  resourcePolicyOf,
  statementsOf,
  typeLabel,
  type ProbeOutcome,
} from '../../shared/exposure-access.js';
import {
  blockPublicAccessEvidence,
  effectiveBlockPublicAccess,
} from '../../shared/s3-block-public-access.js';
import type { Detection, DetectionResult } from '../../types.js';

const ACCOUNT = /^\d{12}$/;
const ARN_ACCOUNT = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/;

interface Grantee {
  /** Principal ARNs to ask as: those the policy names, or a generic one of the account. */
  readonly callers: Set<string>;
  /** What the policy names (an account root, a user or role ARN, a condition value). */
  readonly named: Set<string>;
}

/** The accounts the policy's Allow statements name. */
function namedAccounts(policy: NormalizedPolicy): Map<string, Grantee> {
  const named = new Map<string, Grantee>();
  const add = (accountId: string, caller: string, as: string): void => {
    const grantee = named.get(accountId) ?? {
      callers: new Set<string>(),
      named: new Set<string>(),
    };
    grantee.callers.add(caller);
    grantee.named.add(as);
    named.set(accountId, grantee);
  };
  const generic = (accountId: string): string =>
    `arn:aws:iam::${accountId}:user/external-principal`;
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow' || !statement.principal || statement.principal.not) continue;
    for (const entry of statement.principal.entries) {
      const target = describePrincipalEntry(entry);
      switch (target.form) {
        case 'account':
          add(target.accountId, generic(target.accountId), entry.value);
          break;
        case 'user':
        case 'role':
        case 'session':
        case 'federated-user': {
          const account = ARN_ACCOUNT.exec(target.arn)?.[1];
          if (account) add(account, target.arn, target.arn);
          break;
        }
        case 'everyone':
          for (const clause of statement.conditions) {
            const key = clause.key.toLowerCase();
            if (
              key !== 'aws:principalaccount' &&
              key !== 'kms:calleraccount' &&
              key !== 'aws:principalarn'
            )
              continue;
            for (const value of clause.values) {
              if (ACCOUNT.test(value)) add(value, generic(value), `${clause.key}=${value}`);
              const account = ARN_ACCOUNT.exec(value)?.[1];
              if (account) add(account, value.replace(/[*?]/g, 'x'), `${clause.key}=${value}`);
            }
          }
          break;
        default:
          break;
      }
    }
  }
  return named;
}

const RANK = { open: 0, conditional: 1, network: 2, closed: 3 } as const;

export const detection: Detection = {
  id: 'resource-policy-external-account-access',
  anchor: 'RES-02',
  version: 1,
  title: 'Resource policy grants access to an external account',
  severity: 'high',
  category: 'exposure',
  description:
    'The resource-based policy (S3 bucket, SQS queue, SNS topic, KMS key, Lambda function, Secrets Manager secret, ECR repository, DynamoDB table) allows an AWS account outside your organization and your trusted accounts to use the resource.',
  risk: 'Data and operations are shared outside your zone of trust: a compromise of that account, or a change of hands, reaches this resource.',
  remediation:
    'Remove the external account from the resource policy, or list it in trustedAccounts if it is a vendor or partner you have vetted; narrow the actions to what the partner needs.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html',
  ],
  requires: ['resources', 'organization'],
  identityFields: ['account'],
  appliesTo: POLICY_RESOURCE_TYPES,
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const resource of ctx.snapshot.resources) {
      const policy = resourcePolicyOf(ctx, resource);
      if (!policy) continue;
      const external = [...namedAccounts(policy)]
        .filter(
          ([account]) => !ctx.ownAccounts.has(account) && !ctx.config.trustedAccounts.has(account),
        )
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (external.length === 0) continue;
      // RestrictPublicBuckets (bucket or account level) matters only when the policy is public.
      const block =
        resource.type === 'AWS::S3::Bucket' &&
        ['open', 'conditional'].includes(publicExposure(ctx, resource).reach)
          ? effectiveBlockPublicAccess(ctx.snapshot, resource)
          : null;
      if (block?.effective.restrictPublicBuckets) continue;
      for (const [account, grantee] of external) {
        let outcomes: ProbeOutcome[] = [];
        for (const arn of [...grantee.callers].sort()) {
          outcomes.push(
            ...probeResource(ctx, resource, { arn, accountId: account, orgId: EXTERNAL_ORG_ID }),
          );
        }
        const best = Math.min(...outcomes.map((o) => RANK[o.reach]));
        outcomes = outcomes.filter((o) => RANK[o.reach] === best);
        if (best === RANK.closed || outcomes.length === 0) continue;
        const actions = actionsOf(outcomes);
        const conditions = conditionsOfOutcomes(outcomes);
        const label = typeLabel(resource.type);
        results.push({
          resource: {
            arn: resource.arn,
            type: resource.type,
            name: resource.name,
            accountId: resource.accountId,
            region: resource.region,
          },
          identity: { account },
          severity: best === RANK.open ? 'high' : 'medium',
          message:
            best === RANK.open
              ? `${label} ${resource.name} grants ${actions.join(', ')} to account ${account}, which is outside your organization and your trusted accounts.`
              : `${label} ${resource.name} grants ${actions.join(', ')} to account ${account}, outside your organization, if ${[...new Set(conditions.map((c) => c.key))].join(', ')} allow it.`,
          evidence: {
            account,
            principals: [...grantee.named].sort(),
            access: outcomes[0]!.reach,
            actions,
            statements: statementsOf(outcomes),
            conditions,
            ...(block ? blockPublicAccessEvidence(block) : {}),
          },
        });
      }
    }
    return results;
  },
};
