import { z } from 'zod';
import type { Tags } from '../../model/index.js';
import { InputError, quoteForMessage } from '../../model/index.js';
import type { ConfigExtractor, ConfigItem } from './extractor.js';
import type { ItemContext, JsonObject, Node, PathSegment } from './fields.js';
import { decodeJsonValue, isJsonObject, partitionOfArn, partitionOfRegion } from './fields.js';

/** `configurationItemStatus` values whose items describe no current resource, and why. */
export const SKIPPED_STATUSES: Readonly<Record<string, string>> = {
  ResourceDeleted: 'the resource was deleted',
  ResourceNotRecorded: 'AWS Config no longer records the resource',
  ResourceDeletedNotRecorded: 'the resource was deleted and is no longer recorded',
};

const accountIdSchema = z
  .string({ error: 'expected a 12-digit AWS account id' })
  .regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account id' });
const optionalText = (what: string) =>
  z
    .string({ error: `expected ${what} as a string` })
    .nullable()
    .optional();

const tagListSchema = z.array(
  z.union([
    z.looseObject({ key: z.string(), value: z.string().nullable().optional() }),
    z.looseObject({ Key: z.string(), Value: z.string().nullable().optional() }),
  ]),
  { error: 'expected tags as an object or an array of {key, value}' },
);
const tagsSchema = z
  .union([z.record(z.string(), z.string().nullable()), tagListSchema], {
    error: 'expected tags as an object of strings or an array of {key, value}',
  })
  .nullable()
  .optional();

/**
 * The envelope of a configuration item, in both spellings: a Config snapshot or history file
 * (`ARN`, `awsAccountId`) and `select-resource-config` output (`arn`, `accountId`, tags as a list).
 */
const envelopeSchema = z.looseObject({
  ARN: optionalText('the ARN'),
  arn: optionalText('the ARN'),
  resourceId: optionalText('the resource id'),
  resourceName: optionalText('the resource name'),
  awsAccountId: accountIdSchema.optional(),
  accountId: accountIdSchema.optional(),
  awsRegion: optionalText('the region'),
  configurationItemCaptureTime: optionalText('the capture time'),
  notRecordedByAwsConfig: z.boolean({ error: 'expected true or false' }).optional(),
});

function parseAt<T extends z.ZodType>(
  schema: T,
  value: unknown,
  ctx: ItemContext,
  basePath: readonly PathSegment[],
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const issuePath = (issue?.path ?? []).filter(
    (segment): segment is string | number => typeof segment !== 'symbol',
  );
  let found: unknown = value;
  for (const segment of issuePath) {
    found =
      isJsonObject(found) || Array.isArray(found) ? (found as JsonObject)[segment] : undefined;
  }
  const message = issue?.message ?? 'is not valid';
  throw new InputError(
    ctx.file,
    ctx.locate([...basePath, ...issuePath]),
    `${message} (found ${found === undefined ? 'nothing' : quoteForMessage(found)})`,
  );
}

function tagsOf(raw: JsonObject, ctx: ItemContext): Tags {
  const value = decodeJsonValue(ctx, ['tags'], raw.tags, 'tags');
  const parsed = parseAt(tagsSchema, value, ctx, ['tags']);
  if (!parsed) return {};
  const tags: Record<string, string> = {};
  if (Array.isArray(parsed)) {
    for (const tag of parsed) {
      const key = typeof tag.key === 'string' ? tag.key : tag.Key;
      const tagValue = typeof tag.key === 'string' ? tag.value : tag.Value;
      if (typeof key === 'string') tags[key] = typeof tagValue === 'string' ? tagValue : '';
    }
  } else {
    for (const [key, tagValue] of Object.entries(parsed)) tags[key] = tagValue ?? '';
  }
  return tags;
}

function objectMember(raw: JsonObject, key: string, ctx: ItemContext): Node {
  const value = decodeJsonValue(ctx, [key], raw[key], 'an object');
  if (value === null || value === undefined) return { value: {}, path: [key] };
  if (!isJsonObject(value)) {
    throw new InputError(
      ctx.file,
      ctx.locate([key]),
      `expected ${key} to be an object or JSON text of one (found ${quoteForMessage(value)})`,
    );
  }
  return { value, path: [key] };
}

/**
 * Validates the envelope of an item of a known type and returns it normalised, or throws an
 * {@link InputError} naming the missing or malformed member.
 */
export function readConfigItem(
  raw: JsonObject,
  resourceType: string,
  extractor: ConfigExtractor,
  ctx: ItemContext,
): ConfigItem {
  const envelope = parseAt(envelopeSchema, raw, ctx, []);
  const accountId = envelope.awsAccountId ?? envelope.accountId;
  if (!accountId) {
    throw new InputError(
      ctx.file,
      ctx.locate(['awsAccountId']),
      'expected the 12-digit AWS account id that owns the resource ' +
        '(awsAccountId; accountId in select-resource-config output) (found nothing)',
    );
  }
  const region = envelope.awsRegion ?? null;
  const resourceId = envelope.resourceId ?? null;
  const givenArn = envelope.ARN ?? envelope.arn ?? null;
  let arn: string;
  if (givenArn) {
    if (!givenArn.startsWith('arn:')) {
      throw new InputError(
        ctx.file,
        ctx.locate([envelope.ARN ? 'ARN' : 'arn']),
        `expected an ARN beginning "arn:" (found ${quoteForMessage(givenArn)})`,
      );
    }
    arn = givenArn;
  } else if (resourceId?.startsWith('arn:')) {
    arn = resourceId;
  } else if (resourceId && extractor.arnFromId && region) {
    arn = extractor.arnFromId({
      resourceId,
      resourceName: envelope.resourceName ?? null,
      region,
      accountId,
      partition: partitionOfRegion(region),
    });
  } else {
    throw new InputError(
      ctx.file,
      ctx.locate(['ARN']),
      resourceId
        ? `expected the resource's ARN (ARN; arn in select-resource-config output): ` +
            `resourceId ${quoteForMessage(resourceId)} is not one, and without awsRegion ` +
            `iamsight cannot build one for ${resourceType} (found nothing)`
        : `expected the resource's ARN (ARN; arn in select-resource-config output) ` +
            `or its resourceId (found nothing)`,
    );
  }
  return {
    resourceType,
    arn,
    accountId,
    partition: partitionOfArn(arn),
    region,
    name: envelope.resourceName ?? resourceId ?? arn,
    resourceId,
    tags: tagsOf(raw, ctx),
    configuration: objectMember(raw, 'configuration', ctx),
    supplementary: objectMember(raw, 'supplementaryConfiguration', ctx),
    fromCollector: envelope.notRecordedByAwsConfig === true,
    capturedAt: envelope.configurationItemCaptureTime ?? null,
  };
}
