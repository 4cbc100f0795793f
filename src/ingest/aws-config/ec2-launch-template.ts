import type { ConfigExtractor } from './extractor.js';
import {
  instanceProfileArnOf,
  objectAt,
  objectsAt,
  scalarAt,
  stringAt,
  stringsAt,
  unique,
} from './fields.js';

/**
 * AWS::EC2::LaunchTemplate. AWS Config records CloudFormation-style properties:
 * `LaunchTemplateData.IamInstanceProfile.Arn` (or `.Name`), `LaunchTemplateData.SecurityGroupIds`,
 * `LaunchTemplateData.MetadataOptions.HttpTokens` (/work/shared/reference/aws-config-items.json).
 */
export const ec2LaunchTemplate: ConfigExtractor = {
  type: 'AWS::EC2::LaunchTemplate',
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:ec2:${region}:${accountId}:launch-template/${resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    const data = objectAt(ctx, configuration, 'LaunchTemplateData');
    const profile = objectAt(ctx, data, 'IamInstanceProfile');
    const profileArn = stringAt(ctx, profile, 'Arn');
    const profileName = stringAt(ctx, profile, 'Name');
    const interfaces = objectsAt(ctx, data, 'NetworkInterfaces');
    const groups = [
      ...stringsAt(ctx, data, 'SecurityGroupIds'),
      ...interfaces.flatMap((networkInterface) => stringsAt(ctx, networkInterface, 'Groups')),
    ];
    return {
      roleArns: [],
      instanceProfileArn:
        profileArn ??
        (profileName ? instanceProfileArnOf(profileName, item.accountId, item.partition) : null),
      exposure: { securityGroupIds: unique(groups) },
      properties: {
        launchTemplateName: scalarAt(configuration, 'LaunchTemplateName'),
        defaultVersionNumber: scalarAt(configuration, 'DefaultVersionNumber'),
        latestVersionNumber: scalarAt(configuration, 'LatestVersionNumber'),
        imageId: scalarAt(data, 'ImageId'),
        instanceType: scalarAt(data, 'InstanceType'),
        httpTokens: scalarAt(objectAt(ctx, data, 'MetadataOptions'), 'HttpTokens'),
        associatePublicIpAddress: interfaces.some(
          (networkInterface) => scalarAt(networkInterface, 'AssociatePublicIpAddress') === true,
        ),
      },
    };
  },
};
