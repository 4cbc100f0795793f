/**
 * CloudTrail → {@link Usage}: `readCloudTrail(paths)` finds the log files, reads them on worker
 * threads (one per core) with the lean scanner, and merges the per-thread aggregates. The Athena
 * path (src/collect/athena-usage.ts) feeds the same aggregator from SQL result rows.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Usage } from '../../model/index.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../read-input.js';
import { UsageAggregator } from './aggregate.js';
import { listTrailFiles, readTrailFile, type TrailFile } from './files.js';
import { RecordReader, type RecordOptions } from './record.js';
import type { FromWorker, ToWorker, WorkerInput } from './worker.js';

export { UsageAggregator, type UsagePartial } from './aggregate.js';
export { iamActionOfEvent, isDeniedErrorCode, serviceOfEventSource } from './event-action.js';
export { listTrailFiles, type TrailFile } from './files.js';
export { principalOf, type CallerIdentity, type PrincipalRef } from './principal.js';
export {
  MAX_ARN_CHARS,
  RecordReader,
  describeRecord,
  normaliseEventTime,
  type RecordOptions,
  type TimeWindow,
  type TrailEvent,
} from './record.js';
export { scanCloudTrail, ScanError } from './scan.js';

/** Options of {@link readCloudTrail}. */
export interface CloudTrailReadOptions extends RecordOptions {
  /** Refuse (and report) files larger than this, compressed or decompressed (default 256 MiB). */
  readonly maxBytes?: number;
  /**
   * Worker threads. Default: one per core (at most 8) when there are at least 16 files; 0 reads in
   * the calling thread.
   */
  readonly workers?: number;
  /** Called after each file, with how many are done. */
  readonly onProgress?: (event: { done: number; total: number; file: string }) => void;
}

/** Below this many files, starting threads costs more than it saves. */
const THREADED_MIN_FILES = 16;
/**
 * Files sent ahead to each worker, so that none waits for the next name when the main thread is
 * not scheduled at once (shared cores).
 */
const PREFETCH = 8;

function workerCount(files: readonly TrailFile[], requested: number | undefined): number {
  const limit = Math.min(files.length, 64);
  if (requested !== undefined) return Math.max(0, Math.min(Math.floor(requested), limit));
  if (files.length < THREADED_MIN_FILES) return 0;
  return Math.min(availableParallelism(), 8, limit);
}

/**
 * Starts a reader thread: the compiled `worker.js` beside this file, or — when this file runs as
 * TypeScript source (tests, `tsx`) — `worker.ts` loaded through tsx, registered before the import.
 */
function startWorker(input: WorkerInput): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here), { workerData: input });
  const tsxRoot = dirname(createRequire(here).resolve('tsx/package.json'));
  const tsx = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const source = new URL('./worker.ts', here).href;
  const code = `const tsx = await import(${JSON.stringify(tsx)}); tsx.register(); await import(${JSON.stringify(source)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), {
    workerData: input,
    execArgv: [],
  });
}

function readOnWorkers(
  files: readonly TrailFile[],
  count: number,
  input: WorkerInput,
  into: UsageAggregator,
  onProgress: CloudTrailReadOptions['onProgress'],
): Promise<void> {
  let next = 0;
  let done = 0;
  const run = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = startWorker(input);
      let inFlight = 0;
      let finishing = false;
      let settled = false;
      const feed = (): void => {
        while (inFlight < PREFETCH && next < files.length) {
          worker.postMessage({
            type: 'file',
            entry: files[next++] as TrailFile,
          } satisfies ToWorker);
          inFlight++;
        }
        if (inFlight === 0 && !finishing) {
          finishing = true;
          worker.postMessage({ type: 'finish' } satisfies ToWorker);
        }
      };
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'done') {
          inFlight--;
          done++;
          onProgress?.({ done, total: files.length, file: message.file });
          feed();
        } else {
          into.merge(message.partial);
          settled = true;
          resolve();
          void worker.terminate();
        }
      });
      worker.on('error', (error) => {
        if (settled) return;
        settled = true;
        reject(error);
      });
      worker.on('exit', (code) => {
        if (settled) return;
        settled = true;
        reject(new Error(`a CloudTrail reader thread stopped early (exit code ${code})`));
      });
      feed();
    });
  return Promise.all(Array.from({ length: count }, run)).then(() => undefined);
}

/**
 * Reads CloudTrail log files and folders (DESIGN.md §3.1 `--cloudtrail`) into a {@link Usage}.
 * A missing path or a folder without log files is an InputError; files that cannot be read to the
 * end are listed in `stats.unreadableFiles` and the rest is still counted.
 */
export async function readCloudTrail(
  paths: readonly string[],
  options: CloudTrailReadOptions = {},
): Promise<Usage> {
  const files = await listTrailFiles(paths);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const recordOptions: RecordOptions = {
    since: options.since ?? null,
    until: options.until ?? null,
    temporaryKeys: options.temporaryKeys === true,
  };
  const aggregate = new UsageAggregator();
  const workers = workerCount(files, options.workers);
  if (workers === 0) {
    const reader = new RecordReader(aggregate, recordOptions);
    files.forEach((file, i) => {
      readTrailFile(file, reader, maxBytes);
      options.onProgress?.({ done: i + 1, total: files.length, file: file.file });
    });
  } else {
    await readOnWorkers(
      files,
      workers,
      { options: recordOptions, maxBytes },
      aggregate,
      options.onProgress,
    );
  }
  return aggregate.finish();
}
