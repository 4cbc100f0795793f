import type { PolicyDocument } from '../../model/index.js';
import type { ConfigExtractor } from './extractor.js';
import type { ItemContext, Node } from './fields.js';
import {
  firstKnown,
  isJsonObject,
  memberOf,
  objectAt,
  policyAt,
  readPolicy,
  scalarAt,
} from './fields.js';

/** CloudFormation's `ResourcePolicy: {PolicyDocument}` or a bare document / JSON text. */
function resourcePolicyOf(
  ctx: ItemContext,
  configuration: Node,
): PolicyDocument | null | undefined {
  const found = memberOf(configuration, 'ResourcePolicy');
  if (!found) return undefined;
  if (isJsonObject(found.value) && 'PolicyDocument' in found.value) {
    return readPolicy(ctx, [...found.path, 'PolicyDocument'], found.value.PolicyDocument);
  }
  return readPolicy(ctx, found.path, found.value);
}

/**
 * AWS::DynamoDB::Table. AWS Config records DescribeTable in camelCase (`tableStatus`,
 * `billingModeSummary`: /work/shared/reference/aws-config-items.json) without the table's resource
 * policy (cloud-copilot/iam-collect's AWS Config data source notes the same). Our collector adds
 * `supplementaryConfiguration.ResourcePolicy`; without it the policy is unknown and a gap.
 */
export const dynamoDbTable: ConfigExtractor = {
  type: 'AWS::DynamoDB::Table',
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:dynamodb:${region}:${accountId}:table/${resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    const policy = firstKnown(
      policyAt(ctx, item.supplementary, 'ResourcePolicy'),
      resourcePolicyOf(ctx, configuration),
    );
    return {
      policy,
      unknowns:
        policy === undefined
          ? [
              'AWS Config does not record DynamoDB resource policies; who else can read these tables is unknown',
            ]
          : [],
      properties: {
        tableStatus: scalarAt(configuration, 'tableStatus'),
        billingMode: scalarAt(objectAt(ctx, configuration, 'billingModeSummary'), 'billingMode'),
        streamEnabled: scalarAt(
          objectAt(ctx, configuration, 'streamSpecification'),
          'streamEnabled',
        ),
        deletionProtectionEnabled: scalarAt(configuration, 'deletionProtectionEnabled'),
      },
    };
  },
};
