/**
 * TRU-09: a role that an AWS service can be made to assume for another customer (the
 * cross-service confused deputy). The engine decides: the service principal asks for
 * sts:AssumeRole carrying the source context of a resource in an account outside the
 * organization (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`);
 * allowed with no condition left → reported. A source condition pinning your account, resource or
 * organization, an `sts:ExternalId` the service sends (Kinesis Data Firehose), or an RCP → silent.
 *
 * Only services where the problem applies are checked (the list below): services that assume a
 * customer's role from a configuration they act on later (a rule, a schedule, a state machine, a
 * delivery stream, a recorder, a job, a project) and whose AWS documentation tells customers to
 * put `aws:SourceArn`/`aws:SourceAccount` in the role trust policy, so the service sends them.
 * Prowler's iam_role_cross_service_confused_deputy_prevention flags every non-service-linked
 * service role; that is noisy and its fix breaks roles: compute services hand the role to the
 * customer's own code, need iam:PassRole in the role's own account to do so, and do not all send
 * the keys (EC2, Lambda, ECS tasks, CodeBuild, Glue, SageMaker — prowler-cloud/prowler#2810),
 * and several others stop working with them (CloudTrail to CloudWatch Logs, Elastic Transcoder —
 * prowler-cloud/prowler#4714), so they are left out, as are service-linked roles (AWS owns their
 * trust policy). A service missing from the list is a false negative, never a false positive.
 */
import type { DetectionContext, Detection, DetectionResult } from '../../types.js';
import { callerIdentityFromArn } from '../../../policy/match-principal.js';
import { OUTSIDER_ACCOUNT } from '../../shared/outsider.js';
import { accessOf, decidingStatements, trustRequest } from '../../shared/trust-requests.js';

/**
 * Services whose role trust policies should carry source conditions (each from the service's
 * "Cross-service confused deputy prevention" documentation), with the ARN service prefix of the
 * resources they act for.
 */
export const CONFUSED_DEPUTY_SERVICES: ReadonlyMap<string, string> = new Map([
  ['appstream.amazonaws.com', 'appstream'],
  ['appsync.amazonaws.com', 'appsync'],
  ['bedrock.amazonaws.com', 'bedrock'],
  ['config.amazonaws.com', 'config'],
  ['datasync.amazonaws.com', 'datasync'],
  ['events.amazonaws.com', 'events'],
  ['firehose.amazonaws.com', 'firehose'],
  ['frauddetector.amazonaws.com', 'frauddetector'],
  ['iot.amazonaws.com', 'iot'],
  ['logs.amazonaws.com', 'logs'],
  ['personalize.amazonaws.com', 'personalize'],
  ['rekognition.amazonaws.com', 'rekognition'],
  ['scheduler.amazonaws.com', 'scheduler'],
  ['ssm.amazonaws.com', 'ssm'],
  ['states.amazonaws.com', 'states'],
  ['transfer.amazonaws.com', 'transfer'],
  ['vpc-flow-logs.amazonaws.com', 'ec2'],
]);

const OUTSIDER_ORG = 'o-outsider00';

/** The service asks for the role on behalf of another customer's resource. */
function foreignSourceRequest(
  ctx: DetectionContext,
  role: Parameters<typeof trustRequest>[1],
  service: string,
  prefix: string,
) {
  return trustRequest(ctx, role, callerIdentityFromArn(service), 'sts:AssumeRole', {
    context: {
      'aws:SourceAccount': OUTSIDER_ACCOUNT,
      'aws:SourceArn': `arn:aws:${prefix}:us-east-1:${OUTSIDER_ACCOUNT}:iamsight-probe`,
      'aws:SourceOrgID': OUTSIDER_ORG,
      'aws:SourceOrgPaths': `${OUTSIDER_ORG}/r-out0/`,
    },
  });
}

export const detection: Detection = {
  id: 'iam-role-service-trust-without-source-condition',
  anchor: 'TRU-09',
  version: 1,
  title: 'Service role trust without source conditions (cross-service confused deputy)',
  severity: 'medium',
  category: 'trust',
  description:
    'The role trusts an AWS service that acts for resources you configure (rules, schedules, state machines, delivery streams, ...) without an aws:SourceArn, aws:SourceAccount or aws:SourceOrgID condition.',
  risk: 'Another AWS customer could configure the service to use your role for their resource, and the service would act in your account with the role’s permissions.',
  remediation:
    'Add a condition on aws:SourceAccount (your account id), aws:SourceArn (your resources’ ARNs) or aws:SourceOrgID (your organization) to the statement that trusts the service.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const role of ctx.snapshot.principals) {
      if (role.type !== 'role' || ctx.isAwsOwned(role)) continue;
      const services = ctx.access.context.trust.get(role.arn)?.services ?? [];
      const open = services.flatMap((service) => {
        const prefix = CONFUSED_DEPUTY_SERVICES.get(service);
        if (prefix === undefined) return [];
        const result = foreignSourceRequest(ctx, role, service, prefix);
        return accessOf(result) === 'open' ? [{ service, result }] : [];
      });
      if (open.length === 0) continue;
      const names = open.map((o) => o.service);
      results.push({
        resource: ctx.refOf(role),
        message: `Role ${role.name} trusts ${names.join(', ')} without a source account, ARN or organization condition, so the service can be made to assume it for another customer's resource.`,
        evidence: {
          services: open.map((o) => ({
            service: o.service,
            statements: decidingStatements(o.result),
          })),
        },
      });
    }
    return results;
  },
};
