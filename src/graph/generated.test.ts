/**
 * On generated organizations (src/generate), whose escalation kits are planted with ground truth:
 * every planted technique is found on its actor, and the answer does not depend on the order or
 * batching of principals.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganization, writeSnapshotFolder } from '../generate/index.js';
import { loadSnapshot } from '../ingest/load-inputs.js';
import type { Snapshot } from '../model/index.js';
import { analyzeAccess, TECHNIQUES_BY_ID, type AccessAnalysis } from './index.js';
import { mayBeAllowed } from './steps.js';

const AS_OF = '2026-11-24T00:00:00Z';
let dir = '';
let snapshot: Snapshot;
let analysis: AccessAnalysis;
const planted: { id: string; arn: string; note: string }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iamsight-graph-generated-'));
  const org = generateOrganization({ seed: 5, principals: 600, accounts: 4, cloudTrailEvents: 0 });
  await writeSnapshotFolder(org, dir);
  for (const account of org.accounts) planted.push(...account.documents().planted);
  snapshot = await loadSnapshot({ snapshots: [dir] });
  analysis = analyzeAccess(snapshot, { asOf: AS_OF });
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Kits whose technique the snapshot cannot express (Identity Center data is not modelled). */
const NOT_MODELLED = new Set(['sso-001', 'sso-002', 'sso-003']);
/** Kits planted under a detection id whose technique is a pathfinding one. */
const ALIASES: Record<string, string> = { 'ssm-lateral-movement': 'ssm-002' };

function stepsOf(arn: string): string[] {
  return (analysis.leading.get(arn) ?? []).map((s) => s.technique);
}

describe('escalation on a generated organization', () => {
  it('finds every planted technique on its actor', () => {
    const kits = planted.filter(
      (p) => TECHNIQUES_BY_ID.has(ALIASES[p.id] ?? p.id) || p.id in ALIASES,
    );
    expect(kits.length).toBeGreaterThan(80);
    const missed = kits
      .filter((p) => !NOT_MODELLED.has(p.id))
      .filter((p) => !stepsOf(p.arn).includes(ALIASES[p.id] ?? p.id))
      .map(
        (p) =>
          `${p.id} ${p.arn} (${p.note}): found ${JSON.stringify(stepsOf(p.arn))}, status ${JSON.stringify(analysis.status.get(p.arn))}`,
      );
    expect(missed).toEqual([]);
  });

  it('reports a path for every principal planted as able to escalate (PE-01)', () => {
    const escalating = planted.filter((p) => p.id === 'PE-01' && !p.note.includes('sso-'));
    const missing = escalating
      .filter((p) => !analysis.escalations.has(p.arn) && !analysis.status.get(p.arn)?.admin)
      .map((p) => `${p.arn}: ${p.note}`);
    expect(missing).toEqual([]);
  });

  it('does not depend on the order of principals', () => {
    const reversed = analyzeAccess(
      { ...snapshot, principals: [...snapshot.principals].reverse() },
      { asOf: AS_OF },
    );
    const summary = (a: AccessAnalysis) =>
      [...a.escalations]
        .map(
          ([arn, e]) =>
            `${arn} ${e.conditional} ${e.path.map((s) => `${s.technique}>${s.to}`).join(' ')}`,
        )
        .sort();
    expect(summary(reversed)).toEqual(summary(analysis));
    expect([...reversed.status].sort()).toEqual([...analysis.status].sort());
  });

  it('gives each account the same answers whether analysed alone or in one batch', () => {
    // Accounts of the generated organization trust each other only through roles, so an account
    // analysed alone keeps every path that stays inside it.
    for (const account of snapshot.accounts) {
      const alone = analyzeAccess(
        {
          ...snapshot,
          accounts: [account],
          principals: snapshot.principals.filter((p) => p.accountId === account.id),
          resources: snapshot.resources.filter((r) => r.accountId === account.id),
        },
        { asOf: AS_OF },
      );
      for (const [arn, e] of alone.escalations) {
        const whole = analysis.escalations.get(arn);
        expect(whole, arn).toBeDefined();
        // The whole organization may offer a shorter path (through another account), never a longer one.
        expect(whole!.path.length, arn).toBeLessThanOrEqual(e.path.length);
        if (!e.path.some((s) => s.to.split(':')[4] !== account.id))
          expect(
            whole!.path.every((s) => s.to.split(':')[4] === account.id) ? whole!.path.length : 0,
          ).toBeLessThanOrEqual(e.path.length);
      }
      for (const [arn, s] of alone.status)
        expect(analysis.status.get(arn)?.admin, arn).toBe(s.admin);
    }
  });

  it('skips only requests the engine denies (the pre-check before a step is evaluated)', () => {
    // Every technique action on every principal and resource of another and of the same account:
    // where the pre-check says "surely denied", the engine must say denied too.
    const { evaluator } = analysis.context;
    const actions = [
      ...new Set([...TECHNIQUES_BY_ID.values()].flatMap((t) => t.permissions.map((p) => p.action))),
    ];
    const targets = [
      ...snapshot.principals.filter((_, i) => i % 7 === 0).map((p) => p.arn),
      ...snapshot.resources.filter((_, i) => i % 5 === 0).map((r) => r.arn),
    ];
    const actors = snapshot.principals.filter((p, i) => p.type !== 'group' && i % 11 === 0);
    let skipped = 0;
    const wrong: string[] = [];
    for (const actor of actors)
      for (const action of actions)
        for (const target of targets.filter((_, i) => i % 3 === actors.indexOf(actor) % 3)) {
          if (mayBeAllowed(analysis.context, actor, action, target)) continue;
          skipped += 1;
          if (evaluator.evaluate(actor, action, target).decision === 'Allowed')
            wrong.push(`${actor.arn} ${action} ${target}`);
        }
    expect(skipped).toBeGreaterThan(10_000);
    expect(wrong).toEqual([]);
  });
});
