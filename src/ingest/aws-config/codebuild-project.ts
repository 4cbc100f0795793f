import type { ConfigExtractor } from './extractor.js';
import { objectAt, roleArnOf, scalarAt, stringAt, stringsAt } from './fields.js';

/**
 * AWS::CodeBuild::Project. AWS Config records BatchGetProjects in camelCase: `serviceRole` (a role
 * ARN or name), `source.type`, `environment.privilegedMode`
 * (/work/shared/reference/aws-config-items.json). The resourceId is a UUID, not the name.
 */
export const codeBuildProject: ConfigExtractor = {
  type: 'AWS::CodeBuild::Project',
  arnFromId: ({ resourceId, resourceName, region, accountId, partition }) =>
    `arn:${partition}:codebuild:${region}:${accountId}:project/${resourceName ?? resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    const role = stringAt(ctx, configuration, 'serviceRole');
    const source = objectAt(ctx, configuration, 'source');
    const environment = objectAt(ctx, configuration, 'environment');
    return {
      roleArns: role ? [roleArnOf(role, item.accountId, item.partition)] : [],
      exposure: {
        securityGroupIds: stringsAt(
          ctx,
          objectAt(ctx, configuration, 'vpcConfig'),
          'securityGroupIds',
        ),
      },
      properties: {
        sourceType: scalarAt(source, 'type'),
        sourceLocation: scalarAt(source, 'location'),
        image: scalarAt(environment, 'image'),
        privilegedMode: scalarAt(environment, 'privilegedMode'),
      },
    };
  },
};
