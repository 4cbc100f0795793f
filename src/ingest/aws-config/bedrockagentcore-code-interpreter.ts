import type { ConfigExtractor } from './extractor.js';
import { objectAt, scalarAt, stringAt } from './fields.js';

/**
 * AWS::BedrockAgentCore::CodeInterpreter (not an AWS Config type: our collector writes
 * GetCodeInterpreter in camelCase, `executionRoleArn`, `networkConfiguration.networkMode`;
 * /work/shared/reference/aws-config-items.json). Code run in it acts with the execution role.
 */
export const bedrockAgentCoreCodeInterpreter: ConfigExtractor = {
  type: 'AWS::BedrockAgentCore::CodeInterpreter',
  extract(item, ctx) {
    const configuration = item.configuration;
    const role = stringAt(ctx, configuration, 'executionRoleArn');
    return {
      roleArns: role ? [role] : [],
      properties: {
        status: scalarAt(configuration, 'status'),
        networkMode: scalarAt(objectAt(ctx, configuration, 'networkConfiguration'), 'networkMode'),
      },
    };
  },
};
