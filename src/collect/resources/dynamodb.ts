/**
 * DynamoDB tables and their resource policies (GetResourcePolicy, since 2024), as AWS Config
 * items of type AWS::DynamoDB::Table. AWS Config records the table (DescribeTable, camelCase) but
 * not its policy, so the collector adds it as `supplementaryConfiguration.ResourcePolicy`
 * (docs/formats.md): JSON text, or null when the table has none.
 */
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetResourcePolicyCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { attempt, clientConfig, readPages } from '../aws.js';
import { configItem, type ConfigItem } from '../config-item.js';
import { boundedPolicy, capped, orNone, partitionOf, type ResourceCollector } from './context.js';

const TABLE_TYPE = 'AWS::DynamoDB::Table';

/** DynamoDB tables of a region, their state and resource policy. */
export const dynamoDbTables: ResourceCollector = {
  service: 'dynamodb',
  types: [TABLE_TYPE],
  async collect(context) {
    const client = new DynamoDBClient(clientConfig(context.settings));
    const source = `config:${TABLE_TYPE}`;
    const listed = await attempt(context.sink, source, 'dynamodb:ListTables', () =>
      readPages(
        (ExclusiveStartTableName) =>
          client.send(new ListTablesCommand({ ExclusiveStartTableName, Limit: 100 })),
        (page) => page.TableNames,
        (page) => page.LastEvaluatedTableName,
      ),
    );
    const items: ConfigItem[] = [];
    for (const name of capped(context, TABLE_TYPE, listed?.items ?? [])) {
      const fallbackArn = `arn:${partitionOf(context.region)}:dynamodb:${context.region}:${context.accountId}:table/${name}`;
      const described = await attempt(context.sink, source, `dynamodb:DescribeTable ${name}`, () =>
        orNone(
          () => client.send(new DescribeTableCommand({ TableName: name })),
          'ResourceNotFoundException',
        ),
      );
      // Deleted since it was listed.
      if (described === null) continue;
      const table = described?.Table;
      const arn = table?.TableArn ?? fallbackArn;
      const policy = await attempt(context.sink, source, `dynamodb:GetResourcePolicy ${name}`, () =>
        orNone(
          () => client.send(new GetResourcePolicyCommand({ ResourceArn: arn })),
          'PolicyNotFoundException',
        ),
      );
      // undefined: could not be read (the gap says why); null: the table has no policy.
      const text =
        policy === undefined ? undefined : boundedPolicy(context, TABLE_TYPE, arn, policy?.Policy);
      items.push(
        configItem({
          type: TABLE_TYPE,
          arn,
          id: name,
          name,
          accountId: context.accountId,
          region: context.region,
          configuration: {
            tableName: name,
            tableArn: arn,
            tableStatus: table?.TableStatus,
            billingModeSummary: table?.BillingModeSummary
              ? { billingMode: table.BillingModeSummary.BillingMode }
              : undefined,
            streamSpecification: table?.StreamSpecification
              ? { streamEnabled: table.StreamSpecification.StreamEnabled ?? false }
              : undefined,
            deletionProtectionEnabled: table?.DeletionProtectionEnabled,
          },
          supplementary: text === undefined ? {} : { ResourcePolicy: text },
          createdAt: table?.CreationDateTime ?? null,
          capturedAt: context.now,
        }),
      );
    }
    return items;
  },
};
