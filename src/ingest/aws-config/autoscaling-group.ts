import type { ConfigExtractor } from './extractor.js';
import { objectAt, scalarAt } from './fields.js';

/**
 * AWS::AutoScaling::AutoScalingGroup. AWS Config records DescribeAutoScalingGroups in camelCase
 * (`launchTemplate.launchTemplateId`, `launchConfigurationName`:
 * /work/shared/reference/aws-config-items.json). The group's instances get the instance profile of
 * its launch template, which the graph links through `properties.launchTemplateId`.
 */
export const autoScalingGroup: ConfigExtractor = {
  type: 'AWS::AutoScaling::AutoScalingGroup',
  extract(item, ctx) {
    const configuration = item.configuration;
    const mixed = objectAt(
      ctx,
      objectAt(ctx, objectAt(ctx, configuration, 'mixedInstancesPolicy'), 'launchTemplate'),
      'launchTemplateSpecification',
    );
    const template = objectAt(ctx, configuration, 'launchTemplate') ?? mixed;
    return {
      roleArns: [],
      properties: {
        launchTemplateId: scalarAt(template, 'launchTemplateId'),
        launchTemplateName: scalarAt(template, 'launchTemplateName'),
        launchTemplateVersion: scalarAt(template, 'version'),
        launchConfigurationName: scalarAt(configuration, 'launchConfigurationName'),
        minSize: scalarAt(configuration, 'minSize'),
        maxSize: scalarAt(configuration, 'maxSize'),
        desiredCapacity: scalarAt(configuration, 'desiredCapacity'),
      },
    };
  },
};
