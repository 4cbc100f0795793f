import type { ConfigExtractor } from './extractor.js';
import { objectAt, objectsAt, scalarAt, stringAt, unique } from './fields.js';

/**
 * AWS::EC2::Instance. AWS Config records DescribeInstances in camelCase: `iamInstanceProfile.arn`,
 * `publicIpAddress`, `securityGroups[].groupId`, `metadataOptions.httpTokens`
 * (/work/shared/reference/aws-config-items.json). The roles come from the instance profile, which
 * the authorization details resolve, so `roleArns` stays empty here.
 */
export const ec2Instance: ConfigExtractor = {
  type: 'AWS::EC2::Instance',
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:ec2:${region}:${accountId}:instance/${resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    const profile = objectAt(ctx, configuration, 'iamInstanceProfile');
    const groups = objectsAt(ctx, configuration, 'securityGroups')
      .map((group) => stringAt(ctx, group, 'groupId'))
      .filter((id): id is string => id !== null);
    const metadata = objectAt(ctx, configuration, 'metadataOptions');
    return {
      roleArns: [],
      instanceProfileArn: stringAt(ctx, profile, 'arn'),
      exposure: {
        publicIp: stringAt(ctx, configuration, 'publicIpAddress'),
        securityGroupIds: unique(groups),
      },
      properties: {
        instanceType: scalarAt(configuration, 'instanceType'),
        state: scalarAt(objectAt(ctx, configuration, 'state'), 'name'),
        imageId: scalarAt(configuration, 'imageId'),
        vpcId: scalarAt(configuration, 'vpcId'),
        subnetId: scalarAt(configuration, 'subnetId'),
        launchTime: scalarAt(configuration, 'launchTime'),
        httpTokens: scalarAt(metadata, 'httpTokens'),
        httpEndpoint: scalarAt(metadata, 'httpEndpoint'),
      },
    };
  },
};
