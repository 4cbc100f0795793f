/**
 * The servers the browser tests drive: the real demo (`startDemo`), and the real server over a
 * store holding one scan of the hostile snapshot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeSnapshot } from '../../src/findings/analyze.js';
import { EMPTY_CONFIG, trackingOf } from '../../src/findings/config.js';
import { loadSnapshot } from '../../src/ingest/load-inputs.js';
import { LoadedAnalysis, readyAnalysis, startDemo, startServer } from '../../src/server/index.js';
import { buildScanRecord, openStore, resolveStoreLocation } from '../../src/store/index.js';
import { HOSTILE, writeHostileSnapshot } from './hostile-snapshot.js';

/** The built UI (the tests build it first when it is missing or stale: see ui.test.ts). */
export const WEB_DIST = resolve(import.meta.dirname, '../../dist/web');

export interface RunningServer {
  /** Ends with a slash. */
  readonly url: string;
  readonly headers: Record<string, string>;
  close(): Promise<void>;
}

/** The demo, as `npm start` runs it, on a free port. */
export async function startDemoServer(): Promise<RunningServer> {
  const demo = await startDemo({ port: 0, staticDir: WEB_DIST });
  return { url: demo.url, headers: {}, close: () => demo.close() };
}

/** The server over one scan of the hostile snapshot. */
export async function startHostileServer(): Promise<RunningServer & { hostile: typeof HOSTILE }> {
  const dir = await mkdtemp(join(tmpdir(), 'iamsight-e2e-hostile-'));
  const snapshotDir = join(dir, 'snapshot');
  await writeHostileSnapshot(snapshotDir);
  const store = await openStore(resolveStoreLocation(join(dir, 'store'), {}, dir));
  try {
    const snapshot = await loadSnapshot({ snapshots: [snapshotDir] });
    const asOf = '2026-11-01T00:00:00.000Z';
    const analysis = analyzeSnapshot(snapshot, { asOf, config: EMPTY_CONFIG });
    await store.recordScan(
      buildScanRecord(snapshot, analysis, {
        inputs: ['--snapshot hostile'],
        version: 'e2e',
        recordedAt: asOf,
        mutes: [],
      }),
    );
    const loaded = new LoadedAnalysis(snapshot, analysis, trackingOf(EMPTY_CONFIG), 'hostile');
    const { app, url } = await startServer({
      store,
      analysis: readyAnalysis(loaded),
      port: 0,
      staticDir: WEB_DIST,
    });
    return {
      url,
      headers: {},
      hostile: HOSTILE,
      close: async () => {
        await app.close();
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await store.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
