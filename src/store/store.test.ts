/**
 * One behavioural suite, run against both stores: the embedded one (SQLite in a temporary folder)
 * and PostgreSQL (a throwaway database on a real server; see src/test-support/postgres.ts).
 * Every scan recorded here is a real analysis of a test estate.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MuteRule } from '../findings/config.js';
import { TestEstate, trust } from '../test-support/estate.js';
import { createThrowawayDatabase, hasTestPostgres } from '../test-support/postgres.js';
import { credentialReportCsv, scanEstates } from '../test-support/scans.js';
import { openBackend } from './backend.js';
import {
  buildScanRecord,
  openStore,
  resolveStoreLocation,
  StoreError,
  type Store,
  type StoreLocation,
} from './index.js';
import { MIGRATION_TABLE } from './migrations.js';

const A = '100000000001';
const B = '100000000002';
const day = (n: number): string => `2026-11-${String(n).padStart(2, '0')}T09:00:00.000Z`;
const NOW = day(28);

const PUBLIC_READER = `arn:aws:iam::${A}:role/public-reader`;
const CI = `arn:aws:iam::${A}:role/ci`;
const ROOT_A = `arn:aws:iam::${A}:root`;

/** Account A: a role anyone can assume (TRU-01, critical), a role trusting its own account (TRU-12, low). */
function estateA(options: { publicRole?: boolean } = {}): TestEstate {
  const estate = new TestEstate(A);
  if (options.publicRole ?? true) estate.role('public-reader', { trust: trust('*') });
  estate.role('ci', { trust: trust({ AWS: estate.root }) });
  estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::releases-a');
  return estate;
}

/** Account A's root has no MFA (CRED-05, critical) — known only from its credential report. */
const REPORT_A = credentialReportCsv(A, { rootMfa: false });

/** Scans like `iamsight scan`: stored mutes first, then the configuration's, then records it. */
async function scanInto(
  store: Store,
  estates: readonly TestEstate[],
  options: { asOf: string; reports?: string[]; config?: MuteRule[] },
) {
  const stored = await store.activeMutes();
  const mutes = [...stored, ...(options.config ?? [])];
  const scan = await scanEstates(estates, {
    asOf: options.asOf,
    ...(options.reports ? { reports: options.reports } : {}),
    mutes,
  });
  const summary = await store.recordScan(
    buildScanRecord(scan.snapshot, scan.analysis, {
      inputs: estates.map((e) => `${e.accountId}.json`),
      version: '0.1.0',
      recordedAt: options.asOf,
      mutes,
    }),
  );
  return { scan, summary };
}

async function fingerprintOf(store: Store, arn: string): Promise<string> {
  const page = await store.listFindings({ resourceArn: arn }, {}, NOW);
  expect(page.items).toHaveLength(1);
  return page.items[0]!.fingerprint;
}

async function statusOf(store: Store, arn: string, now = NOW): Promise<string> {
  const page = await store.listFindings({ resourceArn: arn }, {}, now);
  return page.items.map((f) => f.status).join(',');
}

async function kindsOf(store: Store, arn: string): Promise<[number, string][]> {
  const history = await store.findingHistory(await fingerprintOf(store, arn), NOW);
  return (history?.events ?? []).map((e) => [e.scanId, e.kind]);
}

interface Backend {
  readonly name: string;
  create(): Promise<{ location: StoreLocation; cleanup: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'embedded (SQLite)',
    async create() {
      const dir = await mkdtemp(join(tmpdir(), 'iamsight-store-'));
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
  describe.skip('store: PostgreSQL (no server reachable; see src/test-support/postgres.ts)', () => {
    it('runs the same suite', () => undefined);
  });
}

describe.each(backends)('store: $name', (backend) => {
  let location: StoreLocation;
  let cleanup: () => Promise<void>;
  let store: Store;

  beforeEach(async () => {
    ({ location, cleanup } = await backend.create());
    store = await openStore(location);
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  it('records a scan: its score, counts and findings, critical first', async () => {
    const { summary } = await scanInto(store, [estateA()], { asOf: day(1), reports: [REPORT_A] });
    expect(summary).toMatchObject({
      id: 1,
      asOf: day(1),
      // No CloudTrail was given: the rules that need it did not run (a gap), so the scan is partial.
      status: 'partial',
      // Three failing pairs (TRU-01 critical 5, CRED-05 critical 5, TRU-12 low 1) of 187.
      score: { value: 94.1, earned: 176, possible: 187 },
      counts: { findings: 3, muted: 0, opened: 3, reopened: 0, resolved: 0, unchecked: 0 },
      inputs: [`${A}.json`],
      // Neither CloudTrail nor IAM's service last accessed data was given for the account.
      accounts: { [A]: ['cloudtrail', 'service-last-accessed'] },
    });
    const page = await store.listFindings({}, {}, NOW);
    expect(page.items.map((f) => [f.severity, f.anchor, f.resource.arn, f.status])).toEqual([
      ['critical', 'TRU-01', PUBLIC_READER, 'open'],
      ['critical', 'CRED-05', ROOT_A, 'open'],
      ['low', 'TRU-12', CI, 'open'],
    ]);
    const first = page.items[0]!;
    expect(first.firstSeen).toEqual({ scanId: 1, at: day(1) });
    expect(first.since).toEqual({ scanId: 1, at: day(1) });
    expect(first.remediation.consoleUrl).toContain('/roles/details/public-reader');
    expect(first.message).toContain('public-reader');
    expect(first.evidence).toBeTypeOf('object');
    expect(page.nextCursor).toBeNull();
  });

  it('resolves what a complete scan no longer reports, sees what it still does, and reopens', async () => {
    await scanInto(store, [estateA()], { asOf: day(1), reports: [REPORT_A] });
    const second = await scanInto(store, [estateA({ publicRole: false })], {
      asOf: day(2),
      reports: [REPORT_A],
    });
    expect(second.summary.counts).toMatchObject({ opened: 0, resolved: 1, reopened: 0 });
    expect(await statusOf(store, PUBLIC_READER)).toBe('resolved');
    // The score rose: the public role is gone.
    expect(second.summary.score.value).toBeGreaterThan(94.1);

    const third = await scanInto(store, [estateA()], { asOf: day(3), reports: [REPORT_A] });
    expect(third.summary.counts).toMatchObject({ opened: 0, resolved: 0, reopened: 1 });
    expect(await kindsOf(store, PUBLIC_READER)).toEqual([
      [1, 'opened'],
      [2, 'resolved'],
      [3, 'reopened'],
    ]);
    expect(await kindsOf(store, CI)).toEqual([
      [1, 'opened'],
      [2, 'seen'],
      [3, 'seen'],
    ]);
    const reopened = (await store.listFindings({ resourceArn: PUBLIC_READER }, {}, NOW)).items[0]!;
    expect(reopened.firstSeen.scanId).toBe(1);
    expect(reopened.since).toEqual({ scanId: 3, at: day(3) });
  });

  it('keeps findings a scan could not check: no seen, not resolved, the gap on the scan', async () => {
    await scanInto(store, [estateA()], { asOf: day(1), reports: [REPORT_A] });
    // No credential report this time: the root's MFA is unknown, not fixed.
    const second = await scanInto(store, [estateA()], { asOf: day(2) });
    expect(second.summary.status).toBe('partial');
    expect(second.summary.counts).toMatchObject({ resolved: 0, unchecked: 1 });
    expect(second.summary.gaps.map((g) => g.source)).toContain('iam:credential-report');
    expect(second.summary.accounts[A]).toEqual([
      'credential-report',
      'cloudtrail',
      'service-last-accessed',
    ]);
    expect(await statusOf(store, ROOT_A)).toBe('open');

    // A scan of another account only: account A's findings are kept as they were.
    const other = new TestEstate(B);
    other.role('ops', { trust: trust({ AWS: other.root }) });
    const third = await scanInto(store, [other], { asOf: day(3) });
    expect(third.summary.counts).toMatchObject({ opened: 1, resolved: 0, unchecked: 3 });
    expect(await statusOf(store, PUBLIC_READER)).toBe('open');

    await scanInto(store, [estateA()], { asOf: day(4), reports: [REPORT_A] });
    expect(await kindsOf(store, ROOT_A)).toEqual([
      [1, 'opened'],
      [4, 'seen'],
    ]);
    expect(await kindsOf(store, PUBLIC_READER)).toEqual([
      [1, 'opened'],
      [2, 'seen'],
      [4, 'seen'],
    ]);
    const history = await store.findingHistory(await fingerprintOf(store, ROOT_A), NOW);
    expect(history?.lastSeen).toEqual({ scanId: 4, at: day(4) });
  });

  it('applies a stored mute at once, records it at the next scan, and leaves the score', async () => {
    await scanInto(store, [estateA()], { asOf: day(1), reports: [REPORT_A] });
    const { mute, applied } = await store.addMute(
      { rule: 'TRU-01', arn: 'arn:aws:iam::*:role/public-*', reason: 'demo role', by: 'dev-alice' },
      day(1),
    );
    expect(applied).toBe(1);
    expect(mute).toMatchObject({ id: 1, rule: 'TRU-01', by: 'dev-alice', until: null });
    const muted = (await store.listFindings({ status: ['muted'] }, {}, NOW)).items;
    expect(muted.map((f) => [f.resource.arn, f.mute])).toEqual([
      [PUBLIC_READER, { reason: 'demo role', until: null, by: 'dev-alice', muteId: 1 }],
    ]);
    expect((await store.listFindings({ status: ['open'] }, {}, NOW)).items).toHaveLength(2);

    const second = await scanInto(store, [estateA()], { asOf: day(2), reports: [REPORT_A] });
    expect(second.summary.counts.muted).toBe(1);
    // The muted critical pair left both sums: 176 of 182.
    expect(second.summary.score).toEqual({ value: 96.7, earned: 176, possible: 182 });
    const history = await store.findingHistory(await fingerprintOf(store, PUBLIC_READER), NOW);
    expect(history?.events.map((e) => [e.scanId, e.kind, e.detail])).toEqual([
      [1, 'opened', null],
      [2, 'seen', null],
      [2, 'muted', 'demo role'],
    ]);

    const removed = await store.removeMutes({ id: mute.id }, 'dev-bob', day(2));
    expect(removed.map((m) => [m.id, m.removedBy])).toEqual([[1, 'dev-bob']]);
    expect(await statusOf(store, PUBLIC_READER)).toBe('open');
    expect(await store.activeMutes()).toEqual([]);
    expect((await store.listMutes()).map((m) => [m.id, m.removedAt])).toEqual([[1, day(2)]]);
    await scanInto(store, [estateA()], { asOf: day(3), reports: [REPORT_A] });
    expect((await kindsOf(store, PUBLIC_READER)).slice(-2)).toEqual([
      [3, 'seen'],
      [3, 'unmuted'],
    ]);
  });

  it('lets a mute expire: open again for queries at once, unmuted at the next scan', async () => {
    await scanInto(store, [estateA()], { asOf: day(1), reports: [REPORT_A] });
    const fingerprint = await fingerprintOf(store, CI);
    await store.addMute(
      { fingerprint, reason: 'reviewed', by: 'dev-alice', until: '2026-11-10' },
      day(1),
    );
    expect(await statusOf(store, CI, day(5))).toBe('muted');
    expect(await statusOf(store, CI, day(11))).toBe('open');
    await scanInto(store, [estateA()], { asOf: day(5), reports: [REPORT_A] });
    await scanInto(store, [estateA()], { asOf: day(12), reports: [REPORT_A] });
    expect(await kindsOf(store, CI)).toEqual([
      [1, 'opened'],
      [2, 'seen'],
      [2, 'muted'],
      [3, 'seen'],
      [3, 'unmuted'],
    ]);
  });

  it('records mutes of the configuration file, and unmutes by fingerprint', async () => {
    await scanInto(store, [estateA()], {
      asOf: day(1),
      reports: [REPORT_A],
      config: [{ rule: 'iam-root-without-mfa', reason: 'break-glass account', by: 'secops' }],
    });
    const root = (await store.listFindings({ resourceArn: ROOT_A }, {}, NOW)).items[0]!;
    expect(root.status).toBe('muted');
    expect(root.mute).toEqual({
      reason: 'break-glass account',
      until: null,
      by: 'secops',
      muteId: null,
    });
    expect(await kindsOf(store, ROOT_A)).toEqual([
      [1, 'opened'],
      [1, 'muted'],
    ]);

    const ci = await fingerprintOf(store, CI);
    await store.addMute({ fingerprint: ci, reason: 'a', by: 'dev-alice' }, day(1));
    await store.addMute({ fingerprint: ci, reason: 'b', by: 'dev-alice' }, day(1));
    const removed = await store.removeMutes({ fingerprint: ci }, 'dev-bob', day(1));
    expect(removed.map((m) => m.reason)).toEqual(['a', 'b']);
    expect(await statusOf(store, CI)).toBe('open');
    await expect(
      store.addMute({ fingerprint: 'f'.repeat(32), reason: 'typo', by: 'dev-alice' }, day(1)),
    ).rejects.toThrow(/no finding with fingerprint f{32}/);
  });

  it('filters, pages by keyset and counts groups over many findings', async () => {
    const a = estateA();
    for (let i = 0; i < 23; i++) a.role(`partner-${i}`, { trust: trust('*') });
    const b = new TestEstate(B);
    for (let i = 0; i < 7; i++) b.role(`Public-Site-${i}`, { trust: trust('*') });
    b.role('ops', { trust: trust({ AWS: b.root }) });
    await scanInto(store, [a, b], { asOf: day(1), reports: [REPORT_A] });

    // 1 + 23 + 7 roles open to anyone, the root without MFA, two roles trusting their account.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await store.listFindings({}, { limit: 7, cursor }, NOW);
      seen.push(...page.items.map((f) => `${f.severity} ${f.resource.arn}`));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toHaveLength(34);
    expect(new Set(seen).size).toBe(34);
    expect(pages).toBe(5);
    expect(seen.slice(0, 32).every((s) => s.startsWith('critical '))).toBe(true);
    expect(seen.slice(32).every((s) => s.startsWith('low '))).toBe(true);

    const count = async (filter: Parameters<Store['listFindings']>[0]) =>
      (await store.countFindings(filter, 'none', {}, NOW)).items[0]!.count;
    expect(await count({ accountId: [B] })).toBe(8);
    expect(await count({ ruleId: ['TRU-01'] })).toBe(31);
    expect(await count({ ruleId: ['iam-role-trust-any-principal'], accountId: [A] })).toBe(24);
    expect(await count({ severity: ['low'] })).toBe(2);
    expect(await count({ resourceType: ['AWS::IAM::Root'] })).toBe(1);
    // Case-insensitive, and LIKE's wildcards are plain text.
    expect(await count({ search: 'public-site' })).toBe(7);
    expect(await count({ search: 'public_site' })).toBe(0);
    expect(await count({ search: '100%' })).toBe(0);
    expect(await count({ status: ['resolved'] })).toBe(0);

    const byRisk = await store.countFindings({}, 'risk', {}, NOW);
    expect(byRisk.items.map((g) => [g.key, g.count, g.severity])).toEqual([
      ['iam-role-trust-any-principal', 31, 'critical'],
      ['iam-role-trusts-own-account-root', 2, 'low'],
      ['iam-root-without-mfa', 1, 'critical'],
    ]);
    expect(byRisk.items[0]!.label).toBe('Role assumable by any AWS principal');
    const byAccount = await store.countFindings({}, 'account', {}, NOW);
    expect(byAccount.items.map((g) => [g.key, g.count])).toEqual([
      [A, 26],
      [B, 8],
    ]);
    const bySeverity = await store.countFindings({}, 'severity', {}, NOW);
    expect(bySeverity.items.map((g) => [g.key, g.count])).toEqual([
      ['critical', 32],
      ['low', 2],
    ]);
    // Facets: each counted under the filter without its own condition, in one query.
    const all = await store.facetFindings({}, NOW);
    expect(all.total).toBe(34);
    expect(all.status).toEqual([{ value: 'open', count: 34 }]);
    expect(all.severity).toEqual([
      { value: 'critical', count: 32 },
      { value: 'low', count: 2 },
    ]);
    expect(all.account).toEqual([
      { value: A, count: 26 },
      { value: B, count: 8 },
    ]);
    const low = await store.facetFindings({ severity: ['low'], search: 'role' }, NOW);
    expect(low.total).toBe(2);
    expect(low.severity.find((f) => f.value === 'low')?.count).toBe(2);
    expect(low.rule).toEqual([{ value: 'iam-role-trusts-own-account-root', count: 2 }]);
    // Free text takes another path (one grouped query): the same counts as one grouped count per
    // facet, and as the path without free text when the text matches every finding.
    const search = await store.facetFindings({ search: 'arn:aws' }, NOW);
    expect(search).toEqual(all);
    for (const filter of [
      { search: 'arn:aws' },
      { severity: ['critical' as const], accountId: [B], search: 'ARN:' },
      { ruleId: ['TRU-01'], search: 'public' },
      {
        status: ['open' as const, 'resolved' as const],
        resourceType: ['AWS::IAM::Root'],
        search: 'root',
      },
    ]) {
      const facets = await store.facetFindings(filter, NOW);
      expect(facets.total).toBe(await count(filter));
      const facetOf = {
        severity: ['severity', 'severity'],
        accountId: ['account', 'account'],
        resourceType: ['resourceType', 'resourceType'],
        ruleId: ['rule', 'risk'],
      } as const;
      for (const [key, [facet, groupBy]] of Object.entries(facetOf)) {
        const rest: Record<string, unknown> = { ...filter };
        delete rest[key];
        const grouped = await store.countFindings(rest, groupBy, { limit: 1000 }, NOW);
        expect(
          Object.fromEntries(facets[facet].map((f) => [f.value, f.count])),
          `${facet} of ${JSON.stringify(filter)}`,
        ).toEqual(Object.fromEntries(grouped.items.map((g) => [g.key, g.count])));
      }
    }
    // Resources: one finding each; pages of 10 continue after (count, key).
    const resources: string[] = [];
    let next: string | null = null;
    do {
      const page = await store.countFindings({}, 'resource', { limit: 10, cursor: next }, NOW);
      resources.push(...page.items.map((g) => g.key));
      next = page.nextCursor;
    } while (next);
    expect(resources).toHaveLength(34);
    expect([...resources].sort()).toEqual(resources);
    const ci = (await store.countFindings({ search: ':role/ci' }, 'resource', {}, NOW)).items;
    expect(ci).toEqual([
      {
        key: CI,
        count: 1,
        severity: 'low',
        label: 'ci',
        resourceType: 'AWS::IAM::Role',
        accountId: A,
      },
    ]);
    await expect(store.listFindings({}, { cursor: 'not-a-cursor' }, NOW)).rejects.toThrow(
      StoreError,
    );
  });

  it("gives a resource's timeline and the score history, overall and per account", async () => {
    const b = new TestEstate(B);
    b.role('ops', { trust: trust({ AWS: b.root }) });
    await scanInto(store, [estateA(), b], { asOf: day(1), reports: [REPORT_A] });
    await scanInto(store, [estateA({ publicRole: false }), b], {
      asOf: day(2),
      reports: [REPORT_A],
    });
    const timeline = await store.resourceTimeline(PUBLIC_READER);
    expect(timeline.map((e) => [e.at, e.kind, e.ruleId])).toEqual([
      [day(1), 'opened', 'iam-role-trust-any-principal'],
      [day(2), 'resolved', 'iam-role-trust-any-principal'],
    ]);
    expect(await store.resourceTimeline('arn:aws:iam::100000000009:role/none')).toEqual([]);

    const overall = await store.scoreHistory({});
    expect(overall.map((p) => [p.scanId, p.at])).toEqual([
      [1, day(1)],
      [2, day(2)],
    ]);
    expect(overall[1]!.value).toBeGreaterThan(overall[0]!.value);
    const ofB = await store.scoreHistory({ accountId: B });
    expect(ofB.map((p) => p.value)).toEqual([ofB[0]!.value, ofB[0]!.value]);
    expect(ofB[0]!.value).toBeLessThan(100);
    expect((await store.scoreHistory({ limit: 1 })).map((p) => p.scanId)).toEqual([2]);

    const scans = await store.listScans({ limit: 1 });
    expect(scans.items.map((s) => s.id)).toEqual([2]);
    const older = await store.listScans({ limit: 1, cursor: scans.nextCursor });
    expect(older.items.map((s) => s.id)).toEqual([1]);
    expect(older.nextCursor).toBeNull();
  });

  it('writes a scan entirely or not at all', async () => {
    const { scan } = await scanInto(store, [estateA()], { asOf: day(1), reports: [REPORT_A] });
    const record = buildScanRecord(scan.snapshot, scan.analysis, {
      inputs: [],
      version: '0.1.0',
      recordedAt: day(2),
      mutes: [],
    });
    // A finding that cannot be written (its evidence cannot be serialised) fails the scan midway.
    const broken = {
      ...record,
      asOf: day(2),
      findings: [
        ...record.findings.filter((f) => f.resource.arn !== PUBLIC_READER),
        { ...record.findings[0]!, fingerprint: 'e'.repeat(32), evidence: { size: 1n } },
      ],
    };
    await expect(store.recordScan(broken)).rejects.toThrow();
    expect((await store.listScans({})).items.map((s) => s.id)).toEqual([1]);
    expect(await statusOf(store, PUBLIC_READER)).toBe('open');
    expect((await store.listFindings({}, {}, NOW)).items).toHaveLength(3);
  });

  it('refuses a scan older than the latest one', async () => {
    await scanInto(store, [estateA()], { asOf: day(5) });
    await expect(scanInto(store, [estateA()], { asOf: day(4) })).rejects.toThrow(
      /before the store's latest scan \(#1, as of 2026-11-05.*--no-store/,
    );
    // The same time is fine (two scans of one moment).
    await scanInto(store, [estateA()], { asOf: day(5) });
  });

  it('refuses a store written by a newer iamsight, at open and at write', async () => {
    const raw = await openBackend(location);
    await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('0003_future', '2030-01-01T00:00:00.000Z')`.execute(
      raw.db,
    );
    await expect(scanInto(store, [estateA()], { asOf: day(1) })).rejects.toThrow(
      /schema version 3, written by a newer iamsight; this one knows version 2/,
    );
    await expect(openStore(location)).rejects.toThrow(StoreError);
    await raw.close();
  });

  it('serialises concurrent writers: each sees the other, nothing is opened twice', async () => {
    if (location.kind === 'sqlite') return; // one process cannot wait on itself; see the CLI test
    const other = await openStore(location);
    try {
      const scan = await scanEstates([estateA()], { asOf: day(1), reports: [REPORT_A] });
      const record = buildScanRecord(scan.snapshot, scan.analysis, {
        inputs: [],
        version: '0.1.0',
        recordedAt: day(1),
        mutes: [],
      });
      const [first, second] = await Promise.all([
        store.recordScan(record),
        other.recordScan(record),
      ]);
      expect([first.counts.opened, second.counts.opened].sort()).toEqual([0, 3]);
      expect(await kindsOf(store, CI)).toEqual([
        [1, 'opened'],
        [2, 'seen'],
      ]);
    } finally {
      await other.close();
    }
  });
});
