import type { ConfigExtractor } from './extractor.js';
import { objectAt, scalarAt, stringAt, unique } from './fields.js';

/**
 * AWS::AppRunner::Service. AWS Config records CloudFormation-style properties:
 * `InstanceConfiguration.InstanceRoleArn` (the role the code runs as),
 * `SourceConfiguration.AuthenticationConfiguration.AccessRoleArn` (the role that pulls the image),
 * `NetworkConfiguration.IngressConfiguration.IsPubliclyAccessible`
 * (/work/shared/reference/aws-config-items.json).
 */
export const appRunnerService: ConfigExtractor = {
  type: 'AWS::AppRunner::Service',
  extract(item, ctx) {
    const configuration = item.configuration;
    const instance = objectAt(ctx, configuration, 'InstanceConfiguration');
    const source = objectAt(ctx, configuration, 'SourceConfiguration');
    const authentication = objectAt(ctx, source, 'AuthenticationConfiguration');
    const ingress = objectAt(
      ctx,
      objectAt(ctx, configuration, 'NetworkConfiguration'),
      'IngressConfiguration',
    );
    const roles = [
      stringAt(ctx, instance, 'InstanceRoleArn'),
      stringAt(ctx, authentication, 'AccessRoleArn'),
    ].filter((role): role is string => role !== null);
    return {
      roleArns: unique(roles),
      properties: {
        status: scalarAt(configuration, 'Status'),
        serviceUrl: scalarAt(configuration, 'ServiceUrl'),
        isPubliclyAccessible: scalarAt(ingress, 'IsPubliclyAccessible'),
        image: scalarAt(objectAt(ctx, source, 'ImageRepository'), 'ImageIdentifier'),
      },
    };
  },
};
