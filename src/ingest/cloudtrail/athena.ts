/**
 * The CloudTrail aggregation as one SQL query for Amazon Athena, over the table AWS documents for
 * a trail's (or an organization trail's) logs in S3 ("Querying AWS CloudTrail logs" in the Athena
 * User Guide), and the reader that turns its small result into the same {@link Usage} as local files.
 *
 * The query does not map names itself: it groups by the few userIdentity fields that decide a
 * principal (role sessions by their issuer, never by session name) and by eventSource/eventName,
 * and the rows go through the same {@link principalOf} and {@link iamActionOfEvent} as local
 * records. It returns five kinds of rows in one result: `call` (per identity × event: first, last,
 * count, denied), `resource` (the first 21 resource ARNs of successful calls per identity × event,
 * in code-unit order: one more than is kept, so truncation shows), `key` (long-lived keys per
 * identity × event source), `assume` (successful AssumeRole* per role × caller) and `login`
 * (successful console sign-ins), plus one `stats` row.
 *
 * Everything interpolated into the SQL is checked first (identifier characters, 12-digit accounts,
 * ISO timestamps), never escaped and hoped for.
 */
import { USAGE_RESOURCE_LIMIT, type Usage } from '../../model/index.js';
import { UsageAggregator } from './aggregate.js';
import { DENIED_ERROR_PATTERN, iamActionOfEvent, serviceOfEventSource } from './event-action.js';
import { principalOf, type CallerIdentity, type PrincipalRef } from './principal.js';
import { MAX_ARN_CHARS, MAX_NAME_CHARS, epochSecondsOf, normaliseEventTime } from './record.js';

/** What to query. */
export interface AthenaUsageQuery {
  /** Glue database and table of the CloudTrail table. */
  readonly database: string;
  readonly table: string;
  /** Inclusive start, `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly since?: string | null;
  /** Exclusive end, `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly until?: string | null;
  /** Only records delivered for these accounts (`recipientaccountid`). */
  readonly accounts?: readonly string[];
  /**
   * A partition-projection column holding the day as `yyyy/MM/dd` (the AWS documentation's
   * `timestamp`), used to read only the days of the window.
   */
  readonly dayPartition?: string | null;
}

/** The result columns, in order. */
export const USAGE_QUERY_COLUMNS = [
  'kind',
  'id_type',
  'id_arn',
  'id_account',
  'id_invoked_by',
  'id_provider',
  'issuer_type',
  'issuer_arn',
  'issuer_account',
  'identity_store',
  'saml_provider',
  'web_provider',
  'federation_role',
  'recipient',
  'event_source',
  'event_name',
  'resource_arn',
  'access_key',
  'assumed_role',
  'first_seen',
  'last_seen',
  'calls',
  'denied',
  'malformed',
] as const;

type Column = (typeof USAGE_QUERY_COLUMNS)[number];

/** One result row by column name (Athena returns every value as text, or null). */
export type UsageQueryRow = Readonly<Partial<Record<Column, string | null>>>;

const IDENTIFIER = /^[A-Za-z0-9_-]{1,255}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ACCOUNT = /^\d{12}$/;

/** A problem with what was asked of the query builder (names, dates, accounts). */
export class AthenaQueryError extends Error {
  override readonly name = 'AthenaQueryError';
}

function identifier(value: string, what: string): string {
  if (!IDENTIFIER.test(value))
    throw new AthenaQueryError(
      `${what} must be letters, digits, "_" or "-" (at most 255), got ${JSON.stringify(value.slice(0, 80))}`,
    );
  return `"${value}"`;
}

function timestamp(value: string, what: string): string {
  if (!TIMESTAMP.test(value))
    throw new AthenaQueryError(
      `${what} must be YYYY-MM-DDTHH:MM:SSZ, got ${JSON.stringify(value)}`,
    );
  return `'${value}'`;
}

/** The columns of the identity that decide a principal; a role session is its issuer only. */
const IDENTITY_SELECT = `
    useridentity.type AS id_type,
    CASE WHEN useridentity.sessioncontext.sessionissuer.arn IS NOT NULL
              AND useridentity.type IN ('AssumedRole', 'Role', 'FederatedUser')
         THEN NULL ELSE useridentity.arn END AS id_arn,
    useridentity.accountid AS id_account,
    CASE WHEN useridentity.type IN ('AssumedRole', 'Role', 'FederatedUser', 'IAMUser', 'Root')
         THEN NULL ELSE useridentity.invokedby END AS id_invoked_by,
    CASE WHEN useridentity.type = 'WebIdentityUser'
         THEN regexp_extract(useridentity.principalid, '^(arn:[^:]+:iam::[0-9]{12}:oidc-provider/[^:]+|[^:]+)')
         END AS id_provider,
    useridentity.sessioncontext.sessionissuer.type AS issuer_type,
    useridentity.sessioncontext.sessionissuer.arn AS issuer_arn,
    useridentity.sessioncontext.sessionissuer.accountid AS issuer_account,
    useridentity.onbehalfof.identitystorearn AS identity_store,
    CASE WHEN useridentity.type = 'SAMLUser'
         THEN json_extract_scalar(requestparameters, '$.principalArn') END AS saml_provider,
    CASE WHEN useridentity.type = 'WebIdentityUser'
         THEN json_extract_scalar(responseelements, '$.provider') END AS web_provider,
    CASE WHEN useridentity.type IN ('SAMLUser', 'WebIdentityUser')
         THEN json_extract_scalar(requestparameters, '$.roleArn') END AS federation_role,
    CASE WHEN useridentity.type IS NULL THEN recipientaccountid END AS recipient`;

const IDENTITY_COLUMNS = [
  'id_type',
  'id_arn',
  'id_account',
  'id_invoked_by',
  'id_provider',
  'issuer_type',
  'issuer_arn',
  'issuer_account',
  'identity_store',
  'saml_provider',
  'web_provider',
  'federation_role',
  'recipient',
] as const satisfies readonly Column[];

const NUMBER_COLUMNS = new Set<Column>(['calls', 'denied', 'malformed']);

/** A SELECT list with every result column: the given expressions, NULL for the others. */
function selectList(kind: string, values: Partial<Record<Column, string>>): string {
  return USAGE_QUERY_COLUMNS.map((column) => {
    if (column === 'kind') return `'${kind}' AS kind`;
    const value = values[column];
    if (value !== undefined) return value === column ? column : `${value} AS ${column}`;
    return `CAST(NULL AS ${NUMBER_COLUMNS.has(column) ? 'bigint' : 'varchar'}) AS ${column}`;
  }).join(', ');
}

const identityValues = Object.fromEntries(IDENTITY_COLUMNS.map((c) => [c, c])) as Record<
  (typeof IDENTITY_COLUMNS)[number],
  string
>;
const identityGroup = IDENTITY_COLUMNS.join(', ');

/**
 * The SQL of the usage aggregation over the CloudTrail table `database.table` (the standard DDL of
 * the Athena User Guide, with or without partition projection). Throws {@link AthenaQueryError}
 * for a name, date or account it will not put in SQL.
 */
export function buildUsageQuery(query: AthenaUsageQuery): string {
  const table = `${identifier(query.database, 'the database')}.${identifier(query.table, 'the table')}`;
  const where: string[] = [];
  if (query.since) where.push(`eventtime >= ${timestamp(query.since, '--since')}`);
  if (query.until) where.push(`eventtime < ${timestamp(query.until, '--until')}`);
  if (query.accounts && query.accounts.length > 0) {
    for (const account of query.accounts)
      if (!ACCOUNT.test(account))
        throw new AthenaQueryError(`an account id has 12 digits, got ${JSON.stringify(account)}`);
    where.push(`recipientaccountid IN (${query.accounts.map((a) => `'${a}'`).join(', ')})`);
  }
  if (query.dayPartition) {
    const column = identifier(query.dayPartition, 'the day partition column');
    // Partition values are days (`yyyy/MM/dd`): a record of the window lies in these days.
    if (query.since) where.push(`${column} >= '${query.since.slice(0, 10).replaceAll('-', '/')}'`);
    if (query.until) where.push(`${column} <= '${query.until.slice(0, 10).replaceAll('-', '/')}'`);
  }
  const ok = 'eventtime IS NOT NULL AND eventsource IS NOT NULL AND eventname IS NOT NULL';
  const succeeded = `${ok} AND errorcode IS NULL`;
  const event = { event_source: 'eventsource', event_name: 'eventname' };
  const seen = {
    first_seen: 'min(eventtime)',
    last_seen: 'max(eventtime)',
    calls: 'count(*)',
  };
  const parts = [
    `SELECT ${selectList('call', {
      ...identityValues,
      ...event,
      ...seen,
      denied: `count_if(errorcode IS NOT NULL AND regexp_like(errorcode, '(?i)${DENIED_ERROR_PATTERN}'))`,
    })}
  FROM events WHERE ${ok}
  GROUP BY ${identityGroup}, eventsource, eventname`,
    `SELECT ${selectList('resource', { ...identityValues, ...event, resource_arn: 'resource_arn' })}
  FROM (
    SELECT ${identityGroup}, eventsource, eventname, resource_arn,
           row_number() OVER (PARTITION BY ${identityGroup}, eventsource, eventname ORDER BY resource_arn) AS position
    FROM (
      SELECT DISTINCT ${identityGroup}, eventsource, eventname, resource.arn AS resource_arn
      FROM events CROSS JOIN UNNEST(resources) AS listed (resource)
      WHERE ${succeeded} AND resource.arn IS NOT NULL AND length(resource.arn) <= ${MAX_ARN_CHARS}
    ) AS named
  ) AS ranked
  WHERE position <= ${USAGE_RESOURCE_LIMIT + 1}`,
    `SELECT ${selectList('key', {
      ...identityValues,
      event_source: 'eventsource',
      access_key: 'access_key',
      ...seen,
    })}
  FROM events WHERE ${ok} AND access_key LIKE 'AKIA%' AND length(access_key) <= 128
  GROUP BY ${identityGroup}, eventsource, access_key`,
    `SELECT ${selectList('assume', { ...identityValues, assumed_role: 'assumed_role', ...seen })}
  FROM (
    SELECT *, coalesce(
             json_extract_scalar(requestparameters, '$.roleArn'),
             element_at(filter(transform(resources, resource -> resource.arn), arn -> arn LIKE '%:role/%'), 1)
           ) AS assumed_role
    FROM events
    WHERE ${succeeded} AND eventsource = 'sts.amazonaws.com'
      AND eventname IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity')
  ) AS assumptions
  WHERE assumed_role LIKE 'arn:%:role/%'
  GROUP BY ${identityGroup}, assumed_role`,
    `SELECT ${selectList('login', { ...identityValues, last_seen: 'max(eventtime)', calls: 'count(*)' })}
  FROM events
  WHERE ${ok} AND eventsource = 'signin.amazonaws.com' AND eventname = 'ConsoleLogin'
    AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
  GROUP BY ${identityGroup}`,
    `SELECT ${selectList('stats', {
      first_seen: 'min(eventtime)',
      last_seen: 'max(eventtime)',
      calls: 'count(*)',
      malformed: `count_if(NOT (${ok}))`,
    })}
  FROM events`,
  ];
  return `WITH events AS (
  SELECT ${IDENTITY_SELECT},
    eventsource, eventname, eventtime, errorcode, resources,
    useridentity.accesskeyid AS access_key, requestparameters, responseelements
  FROM ${table}${where.length > 0 ? `\n  WHERE ${where.join('\n    AND ')}` : ''}
)
${parts.join('\nUNION ALL\n')}
`;
}

function text(row: UsageQueryRow, column: Column, max = MAX_ARN_CHARS): string | null {
  const value = row[column];
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : null;
}

function count(row: UsageQueryRow, column: Column): number {
  const value = Number(row[column] ?? 0);
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function principalOfRow(row: UsageQueryRow): PrincipalRef | null {
  const identity: CallerIdentity = {
    type: text(row, 'id_type', 64),
    arn: text(row, 'id_arn'),
    accountId: text(row, 'id_account', 64),
    invokedBy: text(row, 'id_invoked_by'),
    identityProvider: text(row, 'id_provider'),
    issuerType: text(row, 'issuer_type', 64),
    issuerArn: text(row, 'issuer_arn'),
    issuerAccountId: text(row, 'issuer_account', 64),
    identityStoreArn: text(row, 'identity_store'),
  };
  for (const column of ['id_arn', 'issuer_arn', 'identity_store'] as const)
    if ((row[column]?.length ?? 0) > MAX_ARN_CHARS) return null;
  return principalOf(identity, {
    samlProviderArn: text(row, 'saml_provider'),
    webIdentityProvider: text(row, 'web_provider'),
    roleArn: text(row, 'federation_role'),
    recipientAccountId: text(row, 'recipient', 64),
  });
}

function actionOfRow(row: UsageQueryRow): string | null {
  const source = text(row, 'event_source', MAX_NAME_CHARS);
  const name = text(row, 'event_name', MAX_NAME_CHARS);
  return source && name ? iamActionOfEvent(source, name) : null;
}

/** First and last seen of a row, in seconds since the epoch. */
function timesOf(row: UsageQueryRow): { first: number; last: number } | null {
  const last = epochSecondsOf(normaliseEventTime(row.last_seen ?? ''));
  const first = row.first_seen ? epochSecondsOf(normaliseEventTime(row.first_seen)) : last;
  return first !== null && last !== null ? { first, last } : null;
}

/**
 * Reads the rows of {@link buildUsageQuery}'s result into a {@link Usage}: the same mappings and
 * the same aggregate as local files. `scannedBytes` (Athena's DataScannedInBytes) becomes
 * `stats.bytes`; `stats.files` is 0, since Athena does not say how many files it read.
 */
export function usageFromAthenaRows(rows: Iterable<UsageQueryRow>, scannedBytes = 0): Usage {
  const aggregate = new UsageAggregator();
  const stats = aggregate.stats;
  stats.bytes = scannedBytes;
  const later: UsageQueryRow[] = [];
  // Calls first: resource rows add to the action entries they create.
  for (const row of rows) {
    if (row.kind === 'stats') {
      stats.records += count(row, 'calls');
      stats.malformedRecords += count(row, 'malformed');
      continue;
    }
    if (row.kind !== 'call') {
      later.push(row);
      continue;
    }
    const principal = principalOfRow(row);
    const action = actionOfRow(row);
    const times = timesOf(row);
    if (principal === null || action === null || times === null) {
      stats.malformedRecords += count(row, 'calls');
      continue;
    }
    aggregate.addCalls(
      principal,
      action,
      times.first,
      times.last,
      count(row, 'calls'),
      count(row, 'denied'),
    );
  }
  for (const row of later) {
    const principal = principalOfRow(row);
    if (principal === null) continue;
    const times = timesOf(row);
    switch (row.kind) {
      case 'resource': {
        const action = actionOfRow(row);
        const arn = text(row, 'resource_arn');
        const entry = action === null ? undefined : aggregate.actionEntry(principal.key, action);
        if (entry !== undefined && arn !== null) aggregate.addResource(entry, arn);
        break;
      }
      case 'key': {
        const key = text(row, 'access_key', 128);
        const source = text(row, 'event_source', MAX_NAME_CHARS);
        if (key !== null && times !== null)
          aggregate.addKeyUse(
            key,
            principal.key,
            times.first,
            times.last,
            count(row, 'calls'),
            source === null ? null : serviceOfEventSource(source),
          );
        break;
      }
      case 'assume': {
        const role = text(row, 'assumed_role');
        if (role !== null && times !== null)
          aggregate.addAssumption(
            role,
            principal.key,
            times.first,
            times.last,
            count(row, 'calls'),
          );
        break;
      }
      case 'login':
        if (times !== null && (principal.kind === 'user' || principal.kind === 'root'))
          aggregate.addConsoleLogin(principal, times.last);
        break;
    }
  }
  return aggregate.finish();
}
