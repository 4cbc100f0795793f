/**
 * Organization scale: runs the usage aggregation (src/ingest/cloudtrail/athena.ts) as an Amazon
 * Athena query over the organization trail's table, waits for it with backoff, and reads its small
 * result into the same Usage as local files. Only this module talks to Athena.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  type GetQueryResultsCommandOutput,
  type StartQueryExecutionCommandOutput,
} from '@aws-sdk/client-athena';
import {
  AthenaQueryError,
  buildUsageQuery,
  usageFromAthenaRows,
  type AthenaUsageQuery,
  type UsageQueryRow,
} from '../ingest/cloudtrail/athena.js';
import { InputError, type Usage } from '../model/index.js';

/** Where and how the query runs. */
export interface AthenaUsageOptions extends AthenaUsageQuery {
  /** S3 location for the query results (`s3://bucket/prefix/`); optional when the workgroup sets one. */
  readonly outputLocation?: string | null;
  /** Athena workgroup (default: the account's `primary`). */
  readonly workGroup?: string | null;
  /** Data catalog (default AwsDataCatalog). */
  readonly catalog?: string | null;
}

/** The part of an Athena client this module uses (the real client, or a stub in tests). */
export interface AthenaSender {
  send(
    command: StartQueryExecutionCommand,
  ): Promise<Pick<StartQueryExecutionCommandOutput, 'QueryExecutionId'>>;
  send(
    command: GetQueryExecutionCommand,
  ): Promise<Pick<GetQueryExecutionCommandOutput, 'QueryExecution'>>;
  send(
    command: GetQueryResultsCommand,
  ): Promise<Pick<GetQueryResultsCommandOutput, 'ResultSet' | 'NextToken'>>;
}

/** What the run needs besides the query: the client, and the clock for waiting. */
export interface AthenaUsageDependencies {
  readonly client: AthenaSender;
  /** Waits `ms` milliseconds (tests pass one that returns at once). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Gives up after this long (default 30 minutes), with the query id to look it up. */
  readonly timeoutMs?: number;
  /** Called with the query id once started, then with each state seen. */
  readonly onState?: (state: string, queryId: string) => void;
}

/** An Athena client for a region (credentials from the usual AWS chain: env, profile, SSO, role). */
export function createAthenaClient(region?: string | null): AthenaClient {
  return new AthenaClient(region ? { region } : {});
}

/** Backoff between status checks: 0.5 s, growing by half, at most 5 s. */
export function pollDelays(): () => number {
  let delay = 500;
  return () => {
    const current = delay;
    delay = Math.min(5000, Math.round(delay * 1.5));
    return current;
  };
}

const source = (options: AthenaUsageOptions): string =>
  `athena:${options.database}.${options.table}`;

function describeAwsError(error: unknown): string {
  const name = (error as { name?: unknown }).name;
  const message = error instanceof Error ? error.message : String(error);
  return typeof name === 'string' && name !== 'Error' && !message.startsWith(name)
    ? `${name}: ${message}`
    : message;
}

async function call<T>(
  options: AthenaUsageOptions,
  what: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new InputError(source(options), '', `Athena ${what} failed: ${describeAwsError(error)}`, {
      cause: error,
    });
  }
}

/**
 * Runs the usage query on Athena and reads its result. Errors name the table and, once the query
 * runs, its id: a query Athena reports FAILED or CANCELLED, a query still running at the timeout,
 * or an AWS error (credentials, permissions, a missing table) are {@link InputError}s.
 */
export async function queryUsageWithAthena(
  options: AthenaUsageOptions,
  dependencies: AthenaUsageDependencies,
): Promise<Usage> {
  const { client } = dependencies;
  const sleep =
    dependencies.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = dependencies.timeoutMs ?? 30 * 60 * 1000;
  let sql: string;
  try {
    sql = buildUsageQuery(options);
  } catch (error) {
    if (error instanceof AthenaQueryError)
      throw new InputError(source(options), '', error.message, { cause: error });
    throw error;
  }
  if (options.outputLocation && !/^s3:\/\/[^/]+/.test(options.outputLocation))
    throw new InputError(
      source(options),
      '',
      `the output location must be an S3 URL (s3://bucket/prefix/), got ${JSON.stringify(options.outputLocation)}`,
    );
  const started = await call(options, 'StartQueryExecution', () =>
    client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        QueryExecutionContext: {
          Database: options.database,
          ...(options.catalog ? { Catalog: options.catalog } : {}),
        },
        ...(options.outputLocation
          ? { ResultConfiguration: { OutputLocation: options.outputLocation } }
          : {}),
        ...(options.workGroup ? { WorkGroup: options.workGroup } : {}),
      }),
    ),
  );
  const queryId = started.QueryExecutionId;
  if (!queryId)
    throw new InputError(source(options), '', 'Athena started no query (no QueryExecutionId)');
  dependencies.onState?.('QUEUED', queryId);
  const where = `${source(options)} (query ${queryId})`;

  const next = pollDelays();
  let waited = 0;
  let scannedBytes = 0;
  for (;;) {
    const status = await call(options, 'GetQueryExecution', () =>
      client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId })),
    );
    const execution = status.QueryExecution;
    const state = execution?.Status?.State ?? 'QUEUED';
    dependencies.onState?.(state, queryId);
    if (state === 'SUCCEEDED') {
      scannedBytes = execution?.Statistics?.DataScannedInBytes ?? 0;
      break;
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = execution?.Status?.StateChangeReason ?? 'no reason given';
      const error = execution?.Status?.AthenaError;
      const kind = error?.ErrorType ? ` (${error.ErrorType})` : '';
      throw new InputError(
        where,
        '',
        state === 'FAILED'
          ? `the query failed${kind}: ${reason}`
          : `the query was cancelled: ${reason}`,
      );
    }
    if (waited >= timeoutMs)
      throw new InputError(
        where,
        '',
        `the query is still ${state.toLowerCase()} after ${Math.round(waited / 1000)} s; look it up in the Athena console by its id`,
      );
    const delay = next();
    await sleep(delay);
    waited += delay;
  }

  const rows: UsageQueryRow[] = [];
  let names: string[] | null = null;
  let token: string | undefined;
  do {
    const page = await call(options, 'GetQueryResults', () =>
      client.send(
        new GetQueryResultsCommand({
          QueryExecutionId: queryId,
          MaxResults: 1000,
          NextToken: token,
        }),
      ),
    );
    const pageRows = page.ResultSet?.Rows ?? [];
    let first = 0;
    if (names === null) {
      names = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
      // The first row of the first page repeats the column names.
      const header = pageRows[0]?.Data?.map((d) => d.VarCharValue ?? '') ?? [];
      if (names.length === 0) names = header;
      if (header.join('\n') === names.join('\n')) first = 1;
    }
    for (const row of pageRows.slice(first)) {
      const values: Record<string, string | null> = {};
      (row.Data ?? []).forEach((datum, i) => {
        const name = names?.[i];
        if (name) values[name] = datum.VarCharValue ?? null;
      });
      rows.push(values);
    }
    token = page.NextToken;
  } while (token);
  return usageFromAthenaRows(rows, scannedBytes);
}
