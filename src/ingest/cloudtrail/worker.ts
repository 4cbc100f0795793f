/**
 * A worker thread of {@link readCloudTrail}: reads the files the main thread sends it, one at a
 * time, into its own aggregate, and sends the aggregate back when told to finish.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UsageAggregator } from './aggregate.js';
import { readTrailFile, type TrailFile } from './files.js';
import { RecordReader, type RecordOptions } from './record.js';

/** Messages from the main thread. */
export type ToWorker = { type: 'file'; entry: TrailFile } | { type: 'finish' };
/** Messages to the main thread. */
export type FromWorker =
  | { type: 'done'; file: string }
  | { type: 'partial'; partial: ReturnType<UsageAggregator['toPartial']> };

/** What the main thread passes at start. */
export interface WorkerInput {
  readonly options: RecordOptions;
  readonly maxBytes: number;
}

const port = parentPort;
if (port !== null) {
  const input = workerData as WorkerInput;
  const aggregate = new UsageAggregator();
  const reader = new RecordReader(aggregate, input.options);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'file') {
      readTrailFile(message.entry, reader, input.maxBytes);
      port.postMessage({ type: 'done', file: message.entry.file } satisfies FromWorker);
    } else {
      port.postMessage({ type: 'partial', partial: aggregate.toPartial() } satisfies FromWorker);
      port.close();
    }
  });
}
