import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Account, Gap, IdentityProvider, Notice, Resource } from '../model/index.js';
import { InputError, formatJsonPath, quoteForMessage } from '../model/index.js';
import type { ItemContext, PathSegment } from './aws-config/fields.js';
import { excerpt, isJsonObject, unique } from './aws-config/fields.js';
import type { AccountSettings } from './aws-config/extractor.js';
import { SKIPPED_STATUSES, readConfigItem } from './aws-config/item.js';
import {
  IDENTITY_PROVIDER_TYPES,
  readIdentityProvider,
} from './aws-config/iam-identity-provider.js';
import { configExtractors } from './aws-config/registry.js';
import {
  DEFAULT_MAX_INPUT_BYTES,
  parseJsonText,
  readTextFile,
  type ReadOptions,
} from './read-input.js';
import type { SnapshotPart } from './snapshot-part.js';

/** Formats where member `path` of item number `index` is in the file, for an {@link InputError}. */
export type ItemLocator = (index: number, path: readonly PathSegment[]) => string;

/** Locates items of a JSON array at `basePath`: `$.configurationItems[7].awsAccountId`. */
export function locateInArray(basePath: readonly PathSegment[]): ItemLocator {
  return (index, path) => formatJsonPath([...basePath, index, ...path]);
}

/** Locates items of JSON lines: `line 7` or `line 7, $.awsAccountId`. */
export function locateByLine(lineNumbers: readonly number[]): ItemLocator {
  return (index, path) => {
    const line = `line ${lineNumbers[index] ?? index + 1}`;
    return path.length > 0 ? `${line}, ${formatJsonPath(path)}` : line;
  };
}

/** The configuration items of a file and how to name where each one is. */
export interface ConfigItemsText {
  readonly items: readonly unknown[];
  readonly locate: ItemLocator;
}

const EXPECTED_SHAPE =
  'expected AWS Config items: a Config snapshot {"configurationItems": [...]}, a JSON array of ' +
  'items, or the JSON lines of `aws configservice select-resource-config`';

function parseJsonLine(file: string, line: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    try {
      parseJsonText(file, line);
    } catch (described) {
      if (!(described instanceof InputError)) throw described;
      const column = /column (\d+)/.exec(described.location)?.[1];
      throw new InputError(
        file,
        `line ${lineNumber}${column ? `, column ${column}` : ''}`,
        /ends early|UnexpectedEndOfString/.test(described.expected)
          ? 'expected one complete JSON item per line, but the line ends early (is the file truncated?)'
          : described.expected.replace('expected valid JSON', 'expected one JSON item per line'),
        { cause: error },
      );
    }
    throw new InputError(file, `line ${lineNumber}`, 'expected one JSON item per line', {
      cause: error,
    });
  }
}

/** JSON lines: one item per non-blank line. */
function parseJsonLines(file: string, text: string): ConfigItemsText {
  const items: unknown[] = [];
  const lineNumbers: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const item = parseJsonLine(file, line, index + 1);
    if (!isJsonObject(item)) {
      throw new InputError(
        file,
        `line ${index + 1}`,
        `expected one configuration item (a JSON object) per line (found ${quoteForMessage(item)})`,
      );
    }
    items.push(item);
    lineNumbers.push(index + 1);
  });
  return { items, locate: locateByLine(lineNumbers) };
}

function itemsOfDocument(file: string, text: string, document: unknown): ConfigItemsText {
  if (Array.isArray(document)) return { items: document, locate: locateInArray([]) };
  if (isJsonObject(document)) {
    if ('configurationItems' in document) {
      const items = document.configurationItems;
      if (!Array.isArray(items)) {
        throw new InputError(
          file,
          '$.configurationItems',
          `expected an array of configuration items (found ${quoteForMessage(items)})`,
        );
      }
      return { items, locate: locateInArray(['configurationItems']) };
    }
    if (Array.isArray(document.Results)) {
      // `select-resource-config --output json`: each result is an item as JSON text.
      const items = document.Results.map((result: unknown, index) => {
        const item = typeof result === 'string' ? safeParse(result) : result;
        if (!isJsonObject(item)) {
          throw new InputError(
            file,
            formatJsonPath(['Results', index]),
            `expected a configuration item as JSON text (found ${quoteForMessage(result)})`,
          );
        }
        return item;
      });
      return { items, locate: locateInArray(['Results']) };
    }
    if ('resourceType' in document) {
      // One item: a JSON-lines file of a single line, or one item saved on its own.
      const firstLine = text.split(/\r?\n/).findIndex((line) => line.trim() !== '') + 1;
      return { items: [document], locate: locateByLine([firstLine]) };
    }
  }
  throw new InputError(file, '', `${EXPECTED_SHAPE} (found ${quoteForMessage(document)})`);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The caller reports a non-object with the path of the bad result.
    return undefined;
  }
}

/**
 * Splits the text of a configuration items file into items: a Config snapshot, a JSON array, the
 * JSON output of `select-resource-config` (`{"Results": [...]}`), or its JSON lines.
 */
export function parseConfigItemsText(file: string, text: string): ConfigItemsText {
  if (text.trim() === '') throw new InputError(file, '', `${EXPECTED_SHAPE}, found an empty file`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // Not one JSON document: JSON lines if the first line is an item, else a JSON error
    // (parseJsonText names the line and column, and says when the file ends early).
    const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
    if (!isJsonObject(safeParse(firstLine))) parseJsonText(file, text);
    return parseJsonLines(file, text);
  }
  return itemsOfDocument(file, text, document);
}

interface KeptSettings {
  readonly settings: AccountSettings;
  readonly order: readonly [string, number];
}

/** What an account-level type means once AWS Config records its deletion: none configured. */
const DELETED_ACCOUNT_SETTINGS: ReadonlyMap<string, AccountSettings> = new Map([
  [
    'AWS::S3::AccountPublicAccessBlock',
    {
      s3PublicAccessBlock: {
        blockPublicAcls: false,
        ignorePublicAcls: false,
        blockPublicPolicy: false,
        restrictPublicBuckets: false,
      },
    },
  ],
]);

function keepSettings(
  kept: Map<string, Map<string, KeptSettings>>,
  accountId: string,
  type: string,
  settings: AccountSettings,
  order: readonly [string, number],
): void {
  const ofAccount = kept.get(accountId) ?? new Map<string, KeptSettings>();
  kept.set(accountId, ofAccount);
  const previous = ofAccount.get(type);
  if (!previous || isLater(order, previous.order)) ofAccount.set(type, { settings, order });
}

interface Kept {
  readonly resource: Resource;
  readonly unknowns: readonly string[];
  readonly order: readonly [string, number];
}

/** True when capture `a` (time, position in the file) is later than `b`. */
function isLater(a: readonly [string, number], b: readonly [string, number]): boolean {
  return a[0] !== b[0] ? a[0] > b[0] : a[1] > b[1];
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function stringMember(raw: Readonly<Record<string, unknown>>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/**
 * Maps AWS Config configuration items to resources: one extractor per resource type, unknown types
 * and deleted resources skipped with a notice, the latest capture of a repeated resource kept.
 * A malformed item of a known type is an {@link InputError} naming where it is.
 */
export function mapConfigItems(
  items: readonly unknown[],
  file: string,
  locate: ItemLocator = locateInArray(['configurationItems']),
): SnapshotPart {
  const kept = new Map<string, Kept>();
  const deletions = new Map<string, readonly [string, number]>();
  const skippedTypes = new Map<string, number>();
  const skippedStatuses = new Map<string, number>();
  const identityProviders = new Map<string, IdentityProvider>();
  /** Account-level settings by account id, the latest capture of each type winning. */
  const accountSettings = new Map<string, Map<string, KeptSettings>>();
  let repeated = 0;

  items.forEach((raw, index) => {
    if (!isJsonObject(raw)) {
      throw new InputError(
        file,
        locate(index, []),
        `expected a configuration item (a JSON object) (found ${quoteForMessage(raw)})`,
      );
    }
    const type = raw.resourceType;
    if (typeof type !== 'string' || type === '') {
      throw new InputError(
        file,
        locate(index, ['resourceType']),
        `expected the resource type, such as "AWS::S3::Bucket" (found ${
          type === undefined ? 'nothing' : quoteForMessage(type)
        })`,
      );
    }
    const status = raw.configurationItemStatus;
    if (typeof status === 'string' && Object.hasOwn(SKIPPED_STATUSES, status)) {
      increment(skippedStatuses, status);
      const arn = stringMember(raw, 'ARN', 'arn', 'resourceId');
      const order = [stringMember(raw, 'configurationItemCaptureTime') ?? '', index] as const;
      const known = arn ? deletions.get(arn) : undefined;
      if (arn && (!known || isLater(order, known))) deletions.set(arn, order);
      const accountId = stringMember(raw, 'awsAccountId', 'accountId');
      const removed = DELETED_ACCOUNT_SETTINGS.get(type);
      if (removed && accountId && /^\d{12}$/.test(accountId) && status === 'ResourceDeleted') {
        // The account's configuration was deleted: from then on it has none configured.
        keepSettings(accountSettings, accountId, type, removed, order);
      }
      return;
    }
    const providerType = IDENTITY_PROVIDER_TYPES.get(type);
    if (providerType) {
      const ctx: ItemContext = { file, locate: (path) => locate(index, path) };
      const provider = readIdentityProvider(readConfigItem(raw, type, providerType, ctx), ctx);
      identityProviders.set(provider.arn, provider);
      return;
    }
    const extractor = configExtractors.get(type);
    if (!extractor) {
      increment(skippedTypes, type);
      return;
    }
    const ctx: ItemContext = { file, locate: (path) => locate(index, path) };
    const item = readConfigItem(raw, type, extractor, ctx);
    const extraction = extractor.extract(item, ctx);
    const order = [item.capturedAt ?? '', index] as const;
    if (extractor.target === 'account') {
      keepSettings(accountSettings, item.accountId, type, extraction.account ?? {}, order);
      return;
    }
    const resource: Resource = {
      arn: item.arn,
      type,
      accountId: item.accountId,
      region: item.region,
      name: item.name,
      policy: extraction.policy ?? null,
      roleArns: unique(extraction.roleArns ?? []),
      ...(extraction.instanceProfileArn === undefined
        ? {}
        : { instanceProfileArn: extraction.instanceProfileArn }),
      exposure: extraction.exposure ?? {},
      tags: item.tags,
      properties: excerpt(extraction.properties ?? {}),
    };
    const previous = kept.get(item.arn);
    if (previous) repeated += 1;
    if (!previous || isLater(order, previous.order)) {
      kept.set(item.arn, { resource, unknowns: extraction.unknowns ?? [], order });
    }
  });

  let deletedLater = 0;
  for (const [arn, order] of deletions) {
    const entry = kept.get(arn);
    if (entry && isLater(order, entry.order)) {
      kept.delete(arn);
      deletedLater += 1;
    }
  }

  const notices: Notice[] = [];
  if (items.length === 0) notices.push({ file, detail: 'the file has no configuration items' });
  for (const [type, count] of [...skippedTypes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const why = type.startsWith('AWS::IAM::')
      ? 'IAM is read from the authorization details (--authz)'
      : 'not used by iamsight';
    notices.push({
      file,
      detail: `skipped ${plural(count, 'item', 'items')} of type ${type}: ${why}`,
    });
  }
  for (const [status, count] of [...skippedStatuses].sort(([a], [b]) => (a < b ? -1 : 1))) {
    notices.push({
      file,
      detail: `skipped ${plural(count, 'item', 'items')} with configurationItemStatus ${status}: ${SKIPPED_STATUSES[status] ?? ''}`,
    });
  }
  if (repeated > 0) {
    notices.push({
      file,
      detail: `${plural(repeated, 'item repeats', 'items repeat')} a resource recorded earlier in the file; the latest capture of each resource is kept`,
    });
  }
  if (deletedLater > 0) {
    notices.push({
      file,
      detail: `${plural(deletedLater, 'resource was', 'resources were')} deleted after their last recorded configuration and ${deletedLater === 1 ? 'is' : 'are'} left out`,
    });
  }

  const resources = [...kept.values()].sort((a, b) =>
    a.resource.arn < b.resource.arn ? -1 : a.resource.arn > b.resource.arn ? 1 : 0,
  );
  const gapCounts = new Map<string, { gap: Omit<Gap, 'detail'>; reason: string; count: number }>();
  for (const { resource, unknowns } of resources) {
    for (const reason of unknowns) {
      const key = JSON.stringify([resource.type, resource.accountId, resource.region, reason]);
      const entry = gapCounts.get(key);
      if (entry) entry.count += 1;
      else {
        gapCounts.set(key, {
          gap: {
            source: `config:${resource.type}`,
            accountId: resource.accountId,
            region: resource.region,
          },
          reason,
          count: 1,
        });
      }
    }
  }
  const gaps: Gap[] = [...gapCounts.values()].map(({ gap, reason, count }) => ({
    ...gap,
    detail: `${reason} (${plural(count, 'resource', 'resources')}; iamsight collect records it)`,
  }));

  const accounts: Account[] = [
    ...new Set([...resources.map((entry) => entry.resource.accountId), ...accountSettings.keys()]),
  ]
    .sort()
    .map((id) => {
      const settings = [...(accountSettings.get(id)?.values() ?? [])].map((kept) => kept.settings);
      return Object.assign({ id, name: null, sources: [file] }, ...settings) as Account;
    });
  return {
    accounts,
    resources: resources.map((entry) => entry.resource),
    identityProviders: [...identityProviders.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1)),
    gaps,
    notices,
  };
}

const gunzipAsync = promisify(gunzip);

/**
 * The text of a `.json.gz` file as AWS Config delivers snapshots to S3, with the size limit
 * applied to the compressed file and to its decompressed text.
 */
async function readGzipText(file: string, options: ReadOptions): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  let compressed: Buffer;
  try {
    if ((await stat(file)).size > maxBytes) {
      throw new InputError(
        file,
        '',
        `is over the ${Math.round(maxBytes / (1024 * 1024))} MiB limit for one input file ` +
          '(split it per account, or raise the limit with --max-input-size)',
      );
    }
    compressed = await readFile(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    // readTextFile words file-system errors for the user (no such file, permission denied).
    await readTextFile(file, options);
    throw new InputError(file, '', 'cannot be read', { cause: error });
  }
  try {
    const text = (await gunzipAsync(compressed, { maxOutputLength: maxBytes })).toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw new InputError(
      file,
      '',
      `expected gzip-compressed JSON of at most ${Math.round(maxBytes / (1024 * 1024))} MiB ` +
        'decompressed, but it cannot be decompressed (is it truncated, or too large?)',
      { cause: error },
    );
  }
}

/**
 * Reads an AWS Config items file (`--resources`): a Config snapshot, a JSON array of items, or
 * the JSON lines of `select-resource-config`, plain or `.gz`, and maps it with {@link mapConfigItems}.
 */
export async function importConfigItems(
  file: string,
  options: ReadOptions = {},
): Promise<SnapshotPart> {
  const text = file.endsWith('.gz')
    ? await readGzipText(file, options)
    : await readTextFile(file, options);
  const { items, locate } = parseConfigItemsText(file, text);
  return mapConfigItems(items, file, locate);
}
