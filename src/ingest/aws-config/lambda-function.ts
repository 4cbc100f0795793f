import type { Exposure } from '../../model/index.js';
import { InputError, quoteForMessage } from '../../model/index.js';
import type { ConfigExtractor } from './extractor.js';
import type { ItemContext, Node } from './fields.js';
import {
  decodeJsonValue,
  firstKnown,
  isJsonObject,
  memberOf,
  objectAt,
  policyAt,
  scalarAt,
  stringAt,
  stringsAt,
} from './fields.js';

type AuthType = NonNullable<Exposure['functionUrlAuthType']>;

function authTypeOf(
  ctx: ItemContext,
  value: unknown,
  path: readonly (string | number)[],
): AuthType {
  const found = isJsonObject(value) ? (value.AuthType ?? value.authType) : undefined;
  if (found === 'NONE' || found === 'AWS_IAM') return found;
  throw new InputError(
    ctx.file,
    ctx.locate([...path, 'AuthType']),
    `expected the function URL auth type NONE or AWS_IAM (found ${found === undefined ? 'nothing' : quoteForMessage(found)})`,
  );
}

/**
 * The function URL auth type our collector recorded: `FunctionUrlConfig` (one config, or the list
 * ListFunctionUrlConfigs returns, one per alias) in supplementaryConfiguration or configuration.
 * null: recorded, no URL; undefined: not recorded (AWS Config itself does not record URLs).
 */
function functionUrlAuthType(
  ctx: ItemContext,
  supplementary: Node,
  configuration: Node,
): AuthType | null | undefined {
  const found =
    memberOf(supplementary, 'FunctionUrlConfig', 'FunctionUrlConfigs') ??
    memberOf(configuration, 'functionUrlConfig', 'functionUrlConfigs');
  if (!found) return undefined;
  const value = decodeJsonValue(ctx, found.path, found.value, 'a function URL config');
  if (value === null) return null;
  if (Array.isArray(value)) {
    const types = value.map((config: unknown, index) =>
      authTypeOf(ctx, config, [...found.path, index]),
    );
    if (types.length === 0) return null;
    return types.includes('NONE') ? 'NONE' : 'AWS_IAM';
  }
  return authTypeOf(ctx, value, found.path);
}

/**
 * AWS::Lambda::Function. AWS Config records GetFunctionConfiguration in camelCase (`role`,
 * `vpcConfig.securityGroupIds`: /work/shared/reference/aws-config-items.json) and the function
 * policy as JSON text in `supplementaryConfiguration.Policy` when there is one (selected so by
 * cloud-copilot/iam-collect's AWS Config data source). Function URLs come from our collector.
 */
export const lambdaFunction: ConfigExtractor = {
  type: 'AWS::Lambda::Function',
  arnFromId: ({ resourceId, region, accountId, partition }) =>
    `arn:${partition}:lambda:${region}:${accountId}:function:${resourceId}`,
  extract(item, ctx) {
    const configuration = item.configuration;
    const role = stringAt(ctx, configuration, 'role');
    const policy = firstKnown(
      policyAt(ctx, item.supplementary, 'Policy'),
      policyAt(ctx, configuration, 'policy'),
    );
    const authType = functionUrlAuthType(ctx, item.supplementary, configuration);
    const vpc = objectAt(ctx, configuration, 'vpcConfig');
    return {
      policy: policy ?? null,
      roleArns: role ? [role] : [],
      exposure: {
        securityGroupIds: stringsAt(ctx, vpc, 'securityGroupIds'),
        ...(authType === undefined ? {} : { functionUrlAuthType: authType }),
      },
      unknowns:
        authType === undefined
          ? [
              'AWS Config does not record Lambda function URLs; whether these functions can be invoked without authentication is unknown',
            ]
          : [],
      properties: {
        runtime: scalarAt(configuration, 'runtime'),
        handler: scalarAt(configuration, 'handler'),
        packageType: scalarAt(configuration, 'packageType'),
        timeout: scalarAt(configuration, 'timeout'),
        memorySize: scalarAt(configuration, 'memorySize'),
        lastModified: scalarAt(configuration, 'lastModified'),
      },
    };
  },
};
