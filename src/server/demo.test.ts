/**
 * The demo: the same seed gives the same scans (findings, events, score sequence), the scans tell
 * a story (fixes, new risks, a regression, a mute), and startDemo serves it over real HTTP and
 * cleans up after itself.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, resolveStoreLocation, type Store } from '../store/index.js';
import { recordDemoScans, startDemo } from './demo.js';

const NOW = '2026-11-02T00:00:00.000Z';

/** Records the demo into a fresh store and reads back what a person would see. */
async function demoRun(seed: number) {
  const dir = await mkdtemp(join(tmpdir(), 'iamsight-demo-test-'));
  let store: Store | null = null;
  try {
    store = await openStore(resolveStoreLocation(join(dir, 'store'), {}, dir));
    const { scans } = await recordDemoScans(store, {
      seed,
      principals: 260,
      accounts: 4,
      workDir: dir,
    });
    const findings = await store.listFindings({}, { limit: 1000 }, NOW);
    const events = await Promise.all(
      findings.items
        .slice(0, 200)
        .map(async (f) => (await store!.findingHistory(f.fingerprint, NOW))!.events),
    );
    return {
      scores: scans.map((s) => s.score),
      counts: scans.map((s) => s.counts),
      asOf: scans.map((s) => s.asOf),
      findings: findings.items.map((f) => [f.fingerprint, f.status, f.severity]),
      events: events.flat().map((e) => [e.scanId, e.fingerprint, e.kind, e.detail]),
      mutes: (await store.listMutes()).map((m) => [m.fingerprint, m.reason, m.createdAt]),
    };
  } finally {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('demo', () => {
  it('is deterministic for a seed, and its scans tell a story', async () => {
    const first = await demoRun(5);
    const second = await demoRun(5);
    expect(second).toEqual(first);
    expect(first.scores).toHaveLength(5);
    // Scans a week apart, ending at the generated organization's time.
    expect(first.asOf).toEqual([
      '2026-10-04T00:00:00.000Z',
      '2026-10-11T00:00:00.000Z',
      '2026-10-18T00:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
    ]);
    const later = first.counts.slice(1);
    expect(later.some((c) => c.resolved > 0)).toBe(true);
    expect(later.some((c) => c.opened > 0)).toBe(true);
    expect(later.some((c) => c.reopened > 0)).toBe(true);
    expect(first.counts[3]!.muted).toBe(1);
    expect(first.mutes).toHaveLength(1);
    expect(first.mutes[0]![1]).toContain('Accepted risk');
    expect(first.events.some((e) => e[2] === 'muted')).toBe(true);
    // The score moves between scans.
    expect(new Set(first.scores.map((s) => s.value)).size).toBeGreaterThan(1);
    // Another seed is another organization.
    const other = await demoRun(6);
    expect(other.findings).not.toEqual(first.findings);
  }, 120_000);

  it('serves over HTTP on a free port and removes its store at close', async () => {
    const demo = await startDemo({ port: 0, seed: 5, principals: 260, staticDir: null });
    try {
      expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const health = (await (await fetch(`${demo.url}api/health`)).json()) as {
        analysis: { state: string };
      };
      expect(health.analysis.state).toBe('ready');
      const overview = (await (await fetch(`${demo.url}api/overview`)).json()) as {
        trend: unknown[];
      };
      expect(overview.trend).toHaveLength(5);
      expect(existsSync(demo.dir)).toBe(true);
    } finally {
      await demo.close();
    }
    expect(existsSync(demo.dir)).toBe(false);
    await expect(fetch(`${demo.url}api/health`)).rejects.toThrow();
  }, 120_000);
});
