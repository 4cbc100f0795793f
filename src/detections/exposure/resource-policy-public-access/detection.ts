/**
 * RES-01: a resource whose own policy lets anyone in. Decided by the engine: a caller from an
 * account outside every organization of the snapshot (with an organization id of its own, calling
 * from the internet, directly) makes representative requests per type — s3:GetObject on objects of
 * the bucket, sqs:ReceiveMessage/SendMessage, sns:Subscribe/Publish, kms:Decrypt,
 * lambda:InvokeFunction, secretsmanager:GetSecretValue, ecr:BatchGetImage, dynamodb:GetItem, and
 * writes — against the resource policy and the RCPs of the resource's
 * account; a function URL with AuthType NONE is asked by an anonymous caller.
 *
 * Allowed with nothing the caller cannot arrange itself → critical. Allowed only under a condition
 * the data cannot decide → medium; only from some source addresses (aws:SourceIp) → medium (anyone
 * on those networks, no credentials of yours needed); only through a VPC or VPC endpoint
 * (aws:SourceVpc/aws:SourceVpce) → low (a caller must be inside that network). Silent: pins on
 * aws:PrincipalOrgID, an account, aws:SourceAccount/SourceArn or kms:CallerAccount; an RCP that
 * denies; and S3 buckets whose Block Public Access has RestrictPublicBuckets, at the bucket or the
 * account level (S3 applies either), which limits a bucket with a public policy to AWS services
 * and the owner's account (BlockPublicPolicy alone only refuses new public policies: an existing
 * one still applies). The evidence shows both levels; when the account level is not in the
 * snapshot, a note says so.
 */
import {
  actionsOf,
  conditionsOfOutcomes,
  POLICY_RESOURCE_TYPES,
  publicExposure,
  statementsOf,
  typeLabel,
  type PublicExposure,
} from '../../shared/exposure-access.js';
import {
  blockPublicAccessEvidence,
  effectiveBlockPublicAccess,
} from '../../shared/s3-block-public-access.js';
import type { Detection, DetectionResult, Severity } from '../../types.js';

function severityOf(exposure: PublicExposure): Severity {
  if (exposure.reach === 'open') return 'critical';
  if (exposure.reach === 'network' && exposure.network === 'vpc') return 'low';
  return 'medium';
}

function messageOf(exposure: PublicExposure, label: string): string {
  const { resource, outcomes } = exposure;
  const actions = actionsOf(outcomes).join(', ');
  const keys = [...new Set(conditionsOfOutcomes(outcomes).map((c) => c.key))].join(', ');
  if (exposure.viaFunctionUrl)
    return `${label} ${resource.name} has a function URL with AuthType NONE and a policy that lets anyone on the internet invoke it without credentials.`;
  switch (exposure.reach) {
    case 'open':
      return `${label} ${resource.name} is public: its resource policy allows ${actions} to anyone outside your organization, with no condition that stops them.`;
    case 'network':
      return exposure.network === 'vpc'
        ? `${label} ${resource.name} allows ${actions} to any principal that calls through the VPC or VPC endpoint named by ${keys}.`
        : `${label} ${resource.name} allows ${actions} to anyone calling from the addresses named by ${keys}, with no restriction to your organization.`;
    default:
      return `${label} ${resource.name} allows ${actions} to anyone who meets ${keys}; nothing limits it to your organization.`;
  }
}

export const detection: Detection = {
  id: 'resource-policy-public-access',
  anchor: 'RES-01',
  version: 1,
  title: 'Resource policy grants public access',
  severity: 'critical',
  category: 'exposure',
  description:
    'The resource-based policy (S3 bucket, SQS queue, SNS topic, KMS key, Lambda function or function URL, Secrets Manager secret, ECR repository, DynamoDB table) allows a principal outside your organization, or an anonymous caller, to use the resource, with no condition that limits it to your organization, accounts or networks, and S3 Block Public Access does not restrict it.',
  risk: 'Anyone on the internet can read, write or take over the resource, and its data, without credentials of yours.',
  remediation:
    'Remove "*" from the Principal of the resource policy or pin it with aws:PrincipalOrgID (or aws:SourceVpce for network-only access); for S3 enable Block Public Access (RestrictPublicBuckets); for Lambda set the function URL AuthType to AWS_IAM.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status',
    'https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous',
  ],
  requires: ['resources'],
  identityFields: [],
  appliesTo: POLICY_RESOURCE_TYPES,
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const resource of ctx.snapshot.resources) {
      if (!resource.policy) continue;
      const exposure = publicExposure(ctx, resource);
      if (exposure.reach === 'closed') continue;
      const block =
        resource.type === 'AWS::S3::Bucket'
          ? effectiveBlockPublicAccess(ctx.snapshot, resource)
          : null;
      // RestrictPublicBuckets (of the bucket or of its account) applies to policies S3 deems
      // public: a grant to "*" not pinned to fixed values such as source IPs, VPCs or endpoints.
      if (block?.effective.restrictPublicBuckets && exposure.reach !== 'network') continue;
      const label = typeLabel(resource.type);
      results.push({
        resource: {
          arn: resource.arn,
          type: resource.type,
          name: resource.name,
          accountId: resource.accountId,
          region: resource.region,
        },
        severity: severityOf(exposure),
        message: messageOf(exposure, label),
        evidence: {
          access: exposure.reach,
          ...(exposure.network ? { network: exposure.network } : {}),
          caller: exposure.outcomes[0]?.caller ?? null,
          actions: actionsOf(exposure.outcomes),
          requests: exposure.outcomes.map((o) => ({ action: o.action, resource: o.resource })),
          statements: statementsOf(exposure.outcomes),
          conditions: conditionsOfOutcomes(exposure.outcomes),
          ...(block ? blockPublicAccessEvidence(block) : {}),
          ...(resource.exposure.functionUrlAuthType !== undefined
            ? { functionUrlAuthType: resource.exposure.functionUrlAuthType }
            : {}),
        },
      });
    }
    return results;
  },
};
