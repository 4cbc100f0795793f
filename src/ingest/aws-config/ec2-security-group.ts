import type { Exposure } from '../../model/index.js';
import type { ConfigExtractor } from './extractor.js';
import type { ItemContext, Node } from './fields.js';
import { integerAt, isJsonObject, memberOf, objectsAt, scalarAt, stringAt } from './fields.js';

type OpenRule = NonNullable<Exposure['openIngress']>[number];

/** CIDRs that mean "the whole internet". */
const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

/**
 * Every CIDR of one rule. AWS Config writes each IPv4 range twice, as `ipv4Ranges[].cidrIp` and
 * as the legacy flat `ipRanges` strings; the DescribeSecurityGroups shape our collector may write
 * has `IpRanges[].CidrIp`, and CloudFormation-style rules carry `CidrIp`/`CidrIpv6` directly.
 */
function cidrsOf(rule: Node): Set<string> {
  const cidrs = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string') cidrs.add(value);
    else if (isJsonObject(value)) {
      for (const key of ['cidrIp', 'CidrIp', 'cidrIpv6', 'CidrIpv6']) {
        if (typeof value[key] === 'string') cidrs.add(value[key]);
      }
    }
  };
  add(rule.value);
  for (const name of ['ipv4Ranges', 'ipRanges', 'ipv6Ranges']) {
    const found = memberOf(rule, name);
    if (Array.isArray(found?.value)) found.value.forEach(add);
  }
  return cidrs;
}

function openIngressOf(ctx: ItemContext, configuration: Node): OpenRule[] {
  const rules: OpenRule[] = [];
  for (const rule of objectsAt(ctx, configuration, 'ipPermissions', 'SecurityGroupIngress')) {
    const protocol = stringAt(ctx, rule, 'ipProtocol') ?? '-1';
    const fromPort = integerAt(ctx, rule, 'fromPort');
    const toPort = integerAt(ctx, rule, 'toPort');
    for (const cidr of cidrsOf(rule)) {
      if (OPEN_CIDRS.has(cidr)) rules.push({ protocol, fromPort, toPort, cidr });
    }
  }
  return rules;
}

/**
 * AWS::EC2::SecurityGroup. AWS Config records DescribeSecurityGroups in camelCase:
 * `ipPermissions[]` with `ipProtocol`, `fromPort`, `toPort`, `ipv4Ranges[].cidrIp`, `ipRanges`
 * and `ipv6Ranges[].cidrIpv6` (confirmed in configuration items quoted by public AWS Config rule
 * code and tests found with the `search` tool, e.g. the VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS rule).
 */
export const ec2SecurityGroup: ConfigExtractor = {
  type: 'AWS::EC2::SecurityGroup',
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:ec2:${region}:${accountId}:security-group/${resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    return {
      exposure: { openIngress: openIngressOf(ctx, configuration) },
      properties: {
        groupId: scalarAt(configuration, 'groupId'),
        groupName: scalarAt(configuration, 'groupName'),
        vpcId: scalarAt(configuration, 'vpcId'),
        description: scalarAt(configuration, 'description', 'GroupDescription'),
      },
    };
  },
};
