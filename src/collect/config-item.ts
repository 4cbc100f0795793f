/**
 * Resources are written as AWS Config configuration items (docs/formats.md, "AWS Config items"),
 * so that a collected snapshot and an AWS Config export are read by the same importer.
 */

/** An AWS Config configuration item as iamsight writes it. */
export type ConfigItem = Readonly<Record<string, unknown>>;

/** What a collector knows about one resource. */
export interface ItemFields {
  readonly type: string;
  /** Null for an account-level setting, which has no ARN (AWS Config writes none either). */
  readonly arn: string | null;
  readonly id: string;
  readonly name: string;
  readonly accountId: string;
  /** `global` for IAM and S3's account-wide listing. */
  readonly region: string;
  /** The service's Describe/Get response (or the part of it that describes the resource). */
  readonly configuration: unknown;
  readonly supplementary?: Readonly<Record<string, unknown>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly createdAt?: Date | string | null;
  /** True for types AWS Config does not record (written by the collector only). */
  readonly notRecordedByAwsConfig?: boolean;
  /** The collection time (the item's capture time). */
  readonly capturedAt: Date;
}

const iso = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString()
      : value;

/**
 * JSON-safe copy of an SDK response: Dates become ISO strings, Uint8Arrays and undefined members
 * are dropped (the SDK returns `$metadata` too, which is left out).
 */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (key === '$metadata') continue;
      const copy = plain(member);
      if (copy !== undefined) out[key] = copy;
    }
    return out;
  }
  return value;
}

/** Tags from the SDK's `[{Key, Value}]` lists (or `{key: value}` maps) as an object. */
export function tagsOf(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) {
    for (const tag of tags as {
      Key?: unknown;
      Value?: unknown;
      key?: unknown;
      value?: unknown;
    }[]) {
      const key = tag.Key ?? tag.key;
      const value = tag.Value ?? tag.value;
      if (typeof key === 'string') out[key] = typeof value === 'string' ? value : '';
    }
  } else if (tags && typeof tags === 'object') {
    for (const [key, value] of Object.entries(tags))
      out[key] = typeof value === 'string' ? value : '';
  }
  return out;
}

/** Builds the configuration item of one resource. */
export function configItem(fields: ItemFields): ConfigItem {
  return {
    version: '1.3',
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: fields.capturedAt.toISOString(),
    configurationItemStatus: 'OK',
    ...(fields.arn === null ? {} : { ARN: fields.arn }),
    resourceType: fields.type,
    resourceId: fields.id,
    resourceName: fields.name,
    awsAccountId: fields.accountId,
    awsRegion: fields.region,
    resourceCreationTime: iso(fields.createdAt),
    tags: fields.tags ?? {},
    relationships: [],
    configuration: plain(fields.configuration) ?? {},
    supplementaryConfiguration: plain(fields.supplementary ?? {}),
    ...(fields.notRecordedByAwsConfig ? { notRecordedByAwsConfig: true } : {}),
  };
}
