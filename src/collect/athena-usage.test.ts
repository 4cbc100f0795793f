import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCloudTrail } from '../ingest/cloudtrail/index.js';
import { InputError } from '../model/index.js';
import { pollDelays, queryUsageWithAthena, type AthenaSender } from './athena-usage.js';

const here = dirname(fileURLToPath(import.meta.url));
const RECORDED = JSON.parse(
  readFileSync(join(here, 'fixtures', 'athena-usage', 'recorded.json'), 'utf8'),
) as {
  StartQueryExecution: unknown;
  GetQueryExecution: Record<'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled', unknown>;
  GetQueryResults: { NextToken?: string }[];
};
const TRAIL = join(here, '..', 'ingest', 'cloudtrail', 'fixtures', 'trail');

const OPTIONS = {
  database: 'security_lake',
  table: 'cloudtrail_logs_pp',
  outputLocation: 's3://example-athena-results/iamsight/',
  workGroup: 'security',
  since: '2026-10-01T00:00:00Z',
  until: '2026-11-01T00:00:00Z',
};

/** A stand-in for AWS: replays recorded responses and notes what it was sent. */
function stubAthena(
  states: readonly ('queued' | 'running' | 'succeeded' | 'failed' | 'cancelled')[],
) {
  const sent: unknown[] = [];
  let polls = 0;
  const client = {
    send(command: unknown): Promise<unknown> {
      sent.push(command);
      if (command instanceof StartQueryExecutionCommand)
        return Promise.resolve(RECORDED.StartQueryExecution);
      if (command instanceof GetQueryExecutionCommand) {
        const state = states[Math.min(polls++, states.length - 1)]!;
        return Promise.resolve(RECORDED.GetQueryExecution[state]);
      }
      if (command instanceof GetQueryResultsCommand) {
        const token = command.input.NextToken;
        const page = token
          ? RECORDED.GetQueryResults.findIndex(
              (_, i) => RECORDED.GetQueryResults[i - 1]?.NextToken === token,
            )
          : 0;
        return Promise.resolve(RECORDED.GetQueryResults[page]);
      }
      return Promise.reject(new Error(`unexpected command ${String(command)}`));
    },
  } as AthenaSender;
  return { client, sent };
}

describe('queryUsageWithAthena', () => {
  it('reads the recorded result into the same Usage as the local logs it covers', async () => {
    const { client } = stubAthena(['queued', 'running', 'succeeded']);
    const athena = await queryUsageWithAthena(OPTIONS, { client, sleep: () => Promise.resolve() });
    const local = await readCloudTrail([TRAIL]);
    expect(athena.principals).toEqual(local.principals);
    expect(athena.accessKeys).toEqual(local.accessKeys);
    expect(athena.assumptions).toEqual(local.assumptions);
    expect(athena.window).toEqual(local.window);
    expect(athena.stats).toEqual({
      files: 0,
      bytes: 48213377,
      records: 10,
      outsideWindow: 0,
      malformedRecords: 0,
      unreadableFiles: [],
    });
  });

  it('starts the query in the database, workgroup and output location asked for', async () => {
    const { client, sent } = stubAthena(['succeeded']);
    await queryUsageWithAthena(OPTIONS, { client, sleep: () => Promise.resolve() });
    const start = sent[0] as StartQueryExecutionCommand;
    expect(start).toBeInstanceOf(StartQueryExecutionCommand);
    expect(start.input).toMatchObject({
      QueryExecutionContext: { Database: 'security_lake' },
      ResultConfiguration: { OutputLocation: 's3://example-athena-results/iamsight/' },
      WorkGroup: 'security',
    });
    expect(start.input.QueryString).toContain(`eventtime >= '2026-10-01T00:00:00Z'`);
    // Both result pages were read, the second with the first's token.
    const pages = sent.filter(
      (c) => c instanceof GetQueryResultsCommand,
    ) as GetQueryResultsCommand[];
    expect(pages.map((p) => p.input.NextToken)).toEqual([
      undefined,
      RECORDED.GetQueryResults[0]!.NextToken,
    ]);
  });

  it('waits with growing pauses while the query is queued or running', async () => {
    const { client } = stubAthena([
      'queued',
      'queued',
      'running',
      'running',
      'running',
      'succeeded',
    ]);
    const pauses: number[] = [];
    const states: string[] = [];
    await queryUsageWithAthena(OPTIONS, {
      client,
      sleep: (ms) => {
        pauses.push(ms);
        return Promise.resolve();
      },
      onState: (state) => states.push(state),
    });
    expect(pauses).toEqual([500, 750, 1125, 1688, 2532]);
    expect(states.slice(-2)).toEqual(['RUNNING', 'SUCCEEDED']);
    const delays = pollDelays();
    const many = Array.from({ length: 12 }, () => delays());
    expect(Math.max(...many)).toBe(5000);
  });

  it('says why a FAILED query failed, naming the table and the query id', async () => {
    const { client } = stubAthena(['running', 'failed']);
    const run = queryUsageWithAthena(OPTIONS, { client, sleep: () => Promise.resolve() });
    await expect(run).rejects.toThrow(InputError);
    await expect(
      queryUsageWithAthena(OPTIONS, { client: stubAthena(['failed']).client }),
    ).rejects.toThrow(
      "athena:security_lake.cloudtrail_logs_pp (query 7c1e3b0a-5f2d-4e8b-9a61-0d4c2f9e8b17): the query failed (1301): TABLE_NOT_FOUND: line 36:8: Table 'awsdatacatalog.security_lake.cloudtrail_logs_pp' does not exist",
    );
  });

  it('says when a query was cancelled', async () => {
    await expect(
      queryUsageWithAthena(OPTIONS, { client: stubAthena(['cancelled']).client }),
    ).rejects.toThrow(/the query was cancelled: Query cancelled by user/);
  });

  it('gives up at the timeout with the query id', async () => {
    const { client } = stubAthena(['running']);
    await expect(
      queryUsageWithAthena(OPTIONS, { client, sleep: () => Promise.resolve(), timeoutMs: 3000 }),
    ).rejects.toThrow(
      /query 7c1e3b0a-5f2d-4e8b-9a61-0d4c2f9e8b17\): the query is still running after \d+ s/,
    );
  });

  it('turns an AWS error into a clear input error', async () => {
    const client = {
      send: () =>
        Promise.reject(
          Object.assign(
            new Error('User is not authorized to perform: athena:StartQueryExecution'),
            {
              name: 'AccessDeniedException',
            },
          ),
        ),
    } as unknown as AthenaSender;
    await expect(queryUsageWithAthena(OPTIONS, { client })).rejects.toThrow(
      'athena:security_lake.cloudtrail_logs_pp: Athena StartQueryExecution failed: AccessDeniedException: User is not authorized to perform: athena:StartQueryExecution',
    );
  });

  it('refuses names and locations it will not send', async () => {
    const { client, sent } = stubAthena(['succeeded']);
    await expect(
      queryUsageWithAthena({ ...OPTIONS, table: 'logs; DROP' }, { client }),
    ).rejects.toThrow(InputError);
    await expect(
      queryUsageWithAthena({ ...OPTIONS, outputLocation: 'https://example.com/' }, { client }),
    ).rejects.toThrow(/must be an S3 URL/);
    expect(sent).toEqual([]);
  });
});
