/**
 * The live score against its oracle, in both stores: after a mute (or an unmute, or an expiry),
 * `currentScore(now)` must equal the score that analysing and recording the same snapshot again,
 * with the stored mutes applied as `iamsight scan` applies them, gives — overall and per account.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { analyzeSnapshot } from '../findings/analyze.js';
import type { HealthScore } from '../findings/score.js';
import { generateOrganization, writeSnapshotFolder } from '../generate/index.js';
import { loadSnapshot } from '../ingest/load-inputs.js';
import type { Snapshot } from '../model/index.js';
import { TestEstate, trust } from '../test-support/estate.js';
import { createThrowawayDatabase, hasTestPostgres } from '../test-support/postgres.js';
import { credentialReportCsv, scanEstates } from '../test-support/scans.js';
import {
  buildScanRecord,
  openStore,
  resolveStoreLocation,
  type LiveScore,
  type Store,
  type StoreLocation,
} from './index.js';

const A = '100000000001';
const B = '100000000002';
const day = (n: number): string => `2026-11-${String(n).padStart(2, '0')}T09:00:00.000Z`;

/** An account with a role anyone can assume, a role trusting its own account, a bucket. */
function estate(accountId: string): TestEstate {
  const e = new TestEstate(accountId);
  e.role('public-reader', { trust: trust('*') });
  e.role('ci', { trust: trust({ AWS: e.root }) });
  e.resource('AWS::S3::Bucket', `arn:aws:s3:::releases-${accountId}`);
  return e;
}

const ESTATES = [estate(A), estate(B)];
const REPORTS = [
  credentialReportCsv(A, { rootMfa: false }),
  credentialReportCsv(B, { rootMfa: true }),
];

/** The parts of a score the live score must reproduce. */
function sums(score: Pick<HealthScore, 'value' | 'earned' | 'possible' | 'byAccount'>) {
  return {
    value: score.value,
    earned: score.earned,
    possible: score.possible,
    byAccount: score.byAccount,
  };
}

function live(score: LiveScore | null) {
  expect(score).not.toBeNull();
  return sums(score!);
}

/** Scans the test estates like `iamsight scan`: stored mutes applied, then recorded. */
async function scanEstatesInto(store: Store, asOf: string): Promise<HealthScore> {
  const mutes = await store.activeMutes();
  const scan = await scanEstates(ESTATES, { asOf, reports: REPORTS, mutes });
  await store.recordScan(
    buildScanRecord(scan.snapshot, scan.analysis, {
      inputs: ['estates'],
      version: '0.1.0',
      recordedAt: asOf,
      mutes,
    }),
  );
  return scan.analysis.score;
}

/** Scans a loaded snapshot like `iamsight scan`. */
async function scanSnapshotInto(store: Store, snapshot: Snapshot, asOf: string) {
  const mutes = await store.activeMutes();
  const analysis = analyzeSnapshot(snapshot, { asOf, config: { ...EMPTY, mutes: [...mutes] } });
  await store.recordScan(
    buildScanRecord(snapshot, analysis, {
      inputs: ['generated'],
      version: '0.1.0',
      recordedAt: asOf,
      mutes,
    }),
  );
  return analysis.score;
}

const EMPTY = {
  trustedAccounts: [],
  mutes: [],
  usage: { trackingPeriodDays: 90, permissionGapPercent: 40 },
};

interface Backend {
  readonly name: string;
  create(): Promise<{ location: StoreLocation; cleanup: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'embedded (SQLite)',
    async create() {
      const dir = await mkdtemp(join(tmpdir(), 'iamsight-live-'));
      return {
        location: resolveStoreLocation(dir, {}, '/nonexistent-home'),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
];
if (await hasTestPostgres()) {
  backends.push({
    name: 'PostgreSQL',
    async create() {
      const database = await createThrowawayDatabase();
      return { location: { kind: 'postgres', url: database.url }, cleanup: database.drop };
    },
  });
} else {
  describe.skip('live score: PostgreSQL (no server reachable; see src/test-support/postgres.ts)', () => {
    it('runs the same suite', () => undefined);
  });
}

/** A small generated organization (several accounts, planted risks), loaded once. */
let generated: Snapshot;
let generatedDir: string;
beforeAll(async () => {
  generatedDir = await mkdtemp(join(tmpdir(), 'iamsight-live-org-'));
  await writeSnapshotFolder(
    generateOrganization({ seed: 11, principals: 240, accounts: 3, cloudTrailEvents: 0 }),
    generatedDir,
  );
  generated = await loadSnapshot({ snapshots: [generatedDir] });
});
afterAll(async () => {
  await rm(generatedDir, { recursive: true, force: true });
});

describe.each(backends)('live score: $name', (backend) => {
  let cleanup: () => Promise<void>;
  let store: Store;

  beforeEach(async () => {
    let location: StoreLocation;
    ({ location, cleanup } = await backend.create());
    store = await openStore(location);
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  it('is null before any scan, and the scan score right after one', async () => {
    expect(await store.currentScore(day(1))).toBeNull();
    const score = await scanEstatesInto(store, day(1));
    expect(live(await store.currentScore(day(2)))).toEqual(sums(score));
  });

  it('equals the next scan after a mute, per account too; an unmute brings the scan score back', async () => {
    const first = await scanEstatesInto(store, day(1));
    const page = await store.listFindings(
      { resourceArn: `arn:aws:iam::${A}:role/public-reader` },
      {},
      day(2),
    );
    const fingerprint = page.items[0]!.fingerprint;
    await store.addMute({ fingerprint, reason: 'accepted: demo role', by: 'test' }, day(2));

    const muted = live(await store.currentScore(day(2)));
    // The critical pair left both sums of account A, and of the whole; B did not move.
    expect(muted.possible).toBe(first.possible - 5);
    expect(muted.earned).toBe(first.earned);
    expect(muted.byAccount[B]).toEqual(first.byAccount[B]);
    // The oracle: analyse and record the same data again, with the stored mute applied.
    const second = await scanEstatesInto(store, day(3));
    expect(muted).toEqual(sums(second));
    expect(live(await store.currentScore(day(3)))).toEqual(sums(second));

    await store.removeMutes({ fingerprint }, 'test', day(4));
    const unmuted = live(await store.currentScore(day(4)));
    expect(unmuted).toEqual(sums(first));
    const third = await scanEstatesInto(store, day(5));
    expect(unmuted).toEqual(sums(third));
  });

  it('takes an expired mute out when it expires, as the next scan would', async () => {
    const first = await scanEstatesInto(store, day(1));
    await store.addMute(
      { rule: 'TRU-01', account: B, reason: 'until the vendor moves', by: 'test', until: day(10) },
      day(2),
    );
    const during = live(await store.currentScore(day(5)));
    expect(during.possible).toBe(first.possible - 5);
    expect(during.byAccount[A]).toEqual(first.byAccount[A]);
    expect(during).toEqual(sums(await scanEstatesInto(store, day(5))));
    const after = live(await store.currentScore(day(12)));
    expect(after).toEqual(sums(first));
    expect(after).toEqual(sums(await scanEstatesInto(store, day(12))));
  });

  it('matches a re-scan of a generated organization after rule-wide and single mutes', async () => {
    const first = await scanSnapshotInto(store, generated, day(1));
    const open = await store.listFindings({ status: ['open'] }, { limit: 1000 }, day(2));
    expect(open.items.length).toBeGreaterThan(20);
    // A rule with findings on several resources, muted in one account; and three single findings.
    const byRule = new Map<string, Set<string>>();
    for (const f of open.items)
      byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? new Set()).add(f.resource.accountId));
    const [rule, accounts] = [...byRule].find(([, a]) => a.size > 1)!;
    const account = [...accounts].sort()[0]!;
    await store.addMute({ rule, account, reason: 'reviewed', by: 'test' }, day(2));
    for (const f of open.items.filter((f) => f.ruleId !== rule).slice(0, 3))
      await store.addMute({ fingerprint: f.fingerprint, reason: 'accepted', by: 'test' }, day(2));

    const muted = live(await store.currentScore(day(2)));
    expect(muted.possible).toBeLessThan(first.possible);
    const second = await scanSnapshotInto(store, generated, day(3));
    expect(muted).toEqual(sums(second));

    // Unmuting one of the single findings brings exactly its pair back, as a scan would.
    await store.removeMutes(
      { fingerprint: open.items.find((f) => f.ruleId !== rule)!.fingerprint },
      'test',
      day(4),
    );
    const partly = live(await store.currentScore(day(4)));
    expect(partly.possible).toBeGreaterThan(muted.possible);
    expect(partly).toEqual(sums(await scanSnapshotInto(store, generated, day(5))));
  });
});
