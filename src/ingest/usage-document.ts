/**
 * Reads a Usage document (`iamsight.usage/v1`, src/model/usage.ts) from a file, as
 * `iamsight usage --format json` prints it: validated once with a schema, so src/usage can trust
 * it. Every string in it came from a CloudTrail record and is attacker-controlled: lengths and
 * list sizes are bounded, dates must be real ISO-8601 instants (normalised to UTC `…000Z`, so
 * they compare as strings).
 */
import { z } from 'zod';
import {
  USAGE_RESOURCE_LIMIT,
  USAGE_SCHEMA,
  formatJsonPath,
  InputError,
  type Usage,
} from '../model/index.js';
import { normaliseAwsDate, parseWithSchema, readJsonFile, type ReadOptions } from './read-input.js';

/** Longest ARN or principal key accepted (IAM ARNs are at most 2,048 characters). */
const MAX_ARN = 2048;
/** Longest IAM action name accepted (`service:Action`). */
const MAX_ACTION = 256;

const date = z
  .string({ error: 'expected an ISO-8601 date-time such as "2026-11-20T10:00:00Z"' })
  .transform((value, ctx) => {
    const normalised = /^\d{4}-\d{2}-\d{2}T/.test(value) ? normaliseAwsDate(value) : null;
    if (normalised === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected an ISO-8601 date-time such as "2026-11-20T10:00:00Z"',
      });
      return z.NEVER;
    }
    return normalised;
  });
const count = z
  .number({ error: 'expected a count (a whole number, 0 or more)' })
  .int({ error: 'expected a count (a whole number, 0 or more)' })
  .nonnegative({ error: 'expected a count (a whole number, 0 or more)' });
const arn = (what: string) =>
  z
    .string({ error: `expected ${what} as a string` })
    .min(1, { error: `expected ${what}, not an empty string` })
    .max(MAX_ARN, { error: `expected ${what} of at most ${MAX_ARN} characters` });
const accountId = z
  .string({ error: 'expected a 12-digit AWS account id or null' })
  .regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account id or null' });

const actionUsage = z
  .looseObject({
    action: z
      .string({ error: 'expected an IAM action such as "s3:GetObject"' })
      .max(MAX_ACTION, { error: `expected an IAM action of at most ${MAX_ACTION} characters` })
      .regex(/^[A-Za-z0-9-]+:[A-Za-z0-9*-]+$/, {
        error: 'expected an IAM action such as "s3:GetObject" (service:Action)',
      }),
    firstSeen: date,
    lastSeen: date,
    count,
    denied: count,
    resources: z
      .array(arn('a resource ARN'), { error: 'expected "resources": an array of ARNs' })
      .max(USAGE_RESOURCE_LIMIT, {
        error: `expected at most ${USAGE_RESOURCE_LIMIT} resources (then resourcesTruncated)`,
      }),
    resourcesTruncated: z.boolean({ error: 'expected true or false' }),
  })
  .refine((a) => a.denied <= a.count, {
    error: '"denied" counts some of the records: expected it not to exceed "count"',
    path: ['denied'],
  });

const principalUsage = z.looseObject({
  principal: arn('the principal (an ARN, "federated:…" or "service:…")'),
  kind: z.enum(['user', 'role', 'root', 'federated', 'service', 'unknown'], {
    error: 'expected kind: user, role, root, federated, service or unknown',
  }),
  accountId: accountId.nullable(),
  firstSeen: date,
  lastSeen: date,
  actions: z.array(actionUsage, { error: 'expected "actions": an array' }),
  lastConsoleLogin: date.nullable(),
});

const accessKeyUsage = z.looseObject({
  accessKeyId: z
    .string({ error: 'expected an access key id such as "AKIA…"' })
    .regex(/^[A-Z0-9]{16,128}$/, { error: 'expected an access key id such as "AKIA…"' }),
  principal: arn('the principal the key acted for'),
  firstSeen: date,
  lastSeen: date,
  count,
  services: z
    .array(z.string().max(MAX_ACTION), { error: 'expected "services": an array of prefixes' })
    .max(64, { error: 'expected at most 64 services' }),
});

const roleAssumption = z.looseObject({
  role: arn('the role ARN'),
  assumedBy: arn('the caller'),
  firstSeen: date,
  lastSeen: date,
  count,
});

const usageSchema = z.looseObject({
  schema: z.literal(USAGE_SCHEMA, {
    error: `expected "schema": "${USAGE_SCHEMA}" (a Usage document as \`iamsight usage --format json\` prints it)`,
  }),
  window: z.looseObject(
    { start: date.nullable(), end: date.nullable() },
    { error: 'expected "window": {"start": date or null, "end": date or null}' },
  ),
  principals: z.array(principalUsage, { error: 'expected "principals": an array' }),
  accessKeys: z.array(accessKeyUsage, { error: 'expected "accessKeys": an array' }),
  assumptions: z.array(roleAssumption, { error: 'expected "assumptions": an array' }),
  stats: z.looseObject(
    {
      files: count,
      bytes: count,
      records: count,
      outsideWindow: count,
      malformedRecords: count,
      unreadableFiles: z.array(
        z.looseObject({ file: z.string().max(4096), reason: z.string().max(4096) }),
        { error: 'expected "unreadableFiles": an array of {file, reason}' },
      ),
    },
    { error: 'expected "stats": what was read (files, bytes, records, …)' },
  ),
});

function checkOrder(file: string, path: (string | number)[], first: string, last: string): void {
  if (first > last)
    throw new InputError(
      file,
      formatJsonPath(path),
      `expected firstSeen (${first}) not to be after lastSeen (${last})`,
    );
}

/** Validates parsed JSON as a Usage document; an {@link InputError} names the path otherwise. */
export function mapUsageDocument(json: unknown, file: string): Usage {
  const parsed = parseWithSchema(usageSchema, json, file);
  const { start, end } = parsed.window;
  if (start !== null && end !== null && start > end)
    throw new InputError(
      file,
      '$.window',
      `expected window.start (${start}) not to be after window.end (${end})`,
    );
  parsed.principals.forEach((p, i) => {
    checkOrder(file, ['principals', i], p.firstSeen, p.lastSeen);
    p.actions.forEach((a, j) =>
      checkOrder(file, ['principals', i, 'actions', j], a.firstSeen, a.lastSeen),
    );
  });
  parsed.accessKeys.forEach((k, i) => checkOrder(file, ['accessKeys', i], k.firstSeen, k.lastSeen));
  parsed.assumptions.forEach((a, i) =>
    checkOrder(file, ['assumptions', i], a.firstSeen, a.lastSeen),
  );
  return {
    schema: USAGE_SCHEMA,
    window: { start, end },
    principals: parsed.principals.map((p) => ({
      principal: p.principal,
      kind: p.kind,
      accountId: p.accountId,
      firstSeen: p.firstSeen,
      lastSeen: p.lastSeen,
      actions: p.actions.map((a) => ({
        action: a.action,
        firstSeen: a.firstSeen,
        lastSeen: a.lastSeen,
        count: a.count,
        denied: a.denied,
        resources: a.resources,
        resourcesTruncated: a.resourcesTruncated,
      })),
      lastConsoleLogin: p.lastConsoleLogin,
    })),
    accessKeys: parsed.accessKeys.map((k) => ({
      accessKeyId: k.accessKeyId,
      principal: k.principal,
      firstSeen: k.firstSeen,
      lastSeen: k.lastSeen,
      count: k.count,
      services: k.services,
    })),
    assumptions: parsed.assumptions.map((a) => ({
      role: a.role,
      assumedBy: a.assumedBy,
      firstSeen: a.firstSeen,
      lastSeen: a.lastSeen,
      count: a.count,
    })),
    stats: {
      files: parsed.stats.files,
      bytes: parsed.stats.bytes,
      records: parsed.stats.records,
      outsideWindow: parsed.stats.outsideWindow,
      malformedRecords: parsed.stats.malformedRecords,
      unreadableFiles: parsed.stats.unreadableFiles.map((u) => ({
        file: u.file,
        reason: u.reason,
      })),
    },
  };
}

/** Reads a Usage JSON file (`--usage FILE`) with the input size limit. */
export async function importUsageDocument(file: string, options: ReadOptions = {}): Promise<Usage> {
  return mapUsageDocument(await readJsonFile(file, options), file);
}
