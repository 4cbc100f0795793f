/**
 * The store (DESIGN.md §3.5): scans over time, findings by fingerprint with their events, scores
 * and mutes, embedded (SQLite, a file in a folder: the default) or in PostgreSQL, with one schema,
 * one query layer and one behaviour.
 */
import { openBackend, type Backend } from './backend.js';
import { currentScore } from './live-score.js';
import * as mutes from './mutes.js';
import * as queries from './queries.js';
import { recordScan } from './record-scan.js';
import type { StoreLocation } from './location.js';
import type { Store } from './types.js';

function storeOf(backend: Backend): Store {
  return {
    kind: backend.flavor,
    location: backend.location,
    recordScan: (scan) => recordScan(backend, scan),
    activeMutes: () => mutes.activeMutes(backend),
    listFindings: (filter, page, now) => queries.listFindings(backend, filter, page, now),
    countFindings: (filter, groupBy, page, now) =>
      queries.countFindings(backend, filter, groupBy, page, now),
    facetFindings: (filter, now) => queries.facetFindings(backend, filter, now),
    resourceTimeline: (arn) => queries.resourceTimeline(backend, arn),
    findingHistory: (fingerprint, now) => queries.findingHistory(backend, fingerprint, now),
    scoreHistory: (options) => queries.scoreHistory(backend, options),
    listScans: (page) => queries.listScans(backend, page),
    addMute: (mute, now) => mutes.addMute(backend, mute, now),
    removeMutes: (target, by, now) => mutes.removeMutes(backend, target, by, now),
    listMutes: () => mutes.listMutes(backend),
    currentScore: (now) => currentScore(backend, now),
    close: () => backend.close(),
  };
}

/**
 * Opens the store at `location`, creating it (embedded) or its tables (PostgreSQL) and applying
 * migrations; `mustExist` refuses to create an embedded store (for commands that only read).
 */
export async function openStore(
  location: StoreLocation,
  options: { readonly mustExist?: boolean } = {},
): Promise<Store> {
  return storeOf(await openBackend(location, options));
}

export { StoreError, isStoreError } from './errors.js';
export {
  defaultStoreDir,
  describeLocation,
  redactUrl,
  resolveStoreLocation,
  STORE_FILE,
  type StoreLocation,
} from './location.js';
export { SCHEMA_VERSION } from './migrations.js';
export { buildScanRecord } from './scan-record.js';
export type * from './types.js';
