/* global process, console, performance -- a Node script */
/**
 * The DuckDB engine measured on the CloudTrail benchmark's files (bench/cloudtrail.bench.ts): its
 * JSON reader with an explicit schema of the fields iamsight keeps, grouped by principal and event
 * as iamsight aggregates them. Only the query is timed (the mapping of its small result would come
 * on top), so the comparison is generous to DuckDB.
 *
 *   cd bench/duckdb && npm install && node compare.mjs /tmp/iamsight-bench-cloudtrail-5000000-seed1 [threads...]
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node compare.mjs SNAPSHOT_DIR [threads...]');
const threadCounts = process.argv.slice(3).map(Number);

const record = `STRUCT(
  eventTime VARCHAR, eventSource VARCHAR, eventName VARCHAR, errorCode VARCHAR,
  userIdentity STRUCT(type VARCHAR, arn VARCHAR, accountId VARCHAR, accessKeyId VARCHAR,
    invokedBy VARCHAR, sessionContext STRUCT(sessionIssuer STRUCT(type VARCHAR, arn VARCHAR, accountId VARCHAR))),
  resources STRUCT(ARN VARCHAR)[])`;

const sql = (glob) => `
WITH records AS (
  SELECT unnest(Records) AS e
  FROM read_json('${glob}', columns = {Records: '${record}[]'}, format = 'auto',
                 maximum_object_size = 268435456)
),
calls AS (
  SELECT coalesce(e.userIdentity.sessionContext.sessionIssuer.arn,
                  CASE WHEN e.userIdentity.type = 'AWSService' THEN 'service:' || e.userIdentity.invokedBy END,
                  e.userIdentity.arn) AS principal,
         e.eventSource AS source, e.eventName AS name, e.eventTime AS time, e.errorCode AS error
  FROM records
)
SELECT principal, source, name, min(time) AS first_seen, max(time) AS last_seen, count(*) AS calls,
       count(error) AS failed
FROM calls GROUP BY ALL`;

for (const threads of threadCounts.length > 0 ? threadCounts : [1, 2]) {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  const started = performance.now();
  const reader = await connection.runAndReadAll(sql(join(dir, 'cloudtrail', '**', '*.json.gz')));
  const rows = reader.getRows();
  const seconds = (performance.now() - started) / 1000;
  const events = rows.reduce((sum, row) => sum + Number(row[5]), 0);
  console.log(
    `duckdb, ${threads} thread${threads === 1 ? '' : 's'}: ${seconds.toFixed(1)} s, ` +
      `${Math.round(events / seconds / 1000)}k events/s (${events.toLocaleString('en')} events, ` +
      `${rows.length.toLocaleString('en')} groups), peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
  connection.closeSync();
  instance.closeSync();
}
