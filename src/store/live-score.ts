/**
 * The live score: the latest scan's health score with the mutes in force now applied, as the next
 * scan of the same data would compute it (src/findings/score.ts). A failing (rule, resource) pair
 * leaves both sums when every finding the scan reported for it is muted, and comes back when one
 * is unmuted or its mute expires. Earned points never change (a failing pair earns nothing), so
 * only the pairs whose muted state differs from the scan's move the denominator: the pairs with a
 * finding muted at the scan or now, read from the findings' scan_muted, mute and score_weight
 * columns.
 */
import { scorePart, type ScorePart } from '../findings/score.js';
import type { Backend } from './backend.js';
import { chunksOf } from './rows.js';
import type { LiveScore } from './types.js';

interface PairState {
  accountId: string;
  weight: number;
  /** Every finding of the pair was reported muted by the scan. */
  mutedAtScan: boolean;
  /** Every finding of the pair is muted now. */
  mutedNow: boolean;
}

/** The live score at `now`; null when the store has no scan. */
export async function currentScore(backend: Backend, now: string): Promise<LiveScore | null> {
  const at = new Date(now).toISOString();
  return backend.read(async (db) => {
    const latest = await db
      .selectFrom('scans')
      .select(['id', 'score_earned', 'score_possible'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!latest) return null;
    const accounts = new Map<string, [number, number]>();
    for (const row of await db
      .selectFrom('scan_scores')
      .select(['account_id', 'earned', 'possible'])
      .where('scan_id', '=', latest.id)
      .execute())
      accounts.set(row.account_id, [Number(row.earned), Number(row.possible)]);

    // Pairs a mute touches (at the scan or now), then every open finding of those pairs.
    const touched = await db
      .selectFrom('findings')
      .select(['rule_id', 'resource_arn'])
      .where('state', '=', 'open')
      .where('score_weight', '>', 0)
      .where((eb) => eb.or([eb('scan_muted', '=', 1), eb('is_muted', '=', 1)]))
      .execute();
    const keyOf = (rule: string, arn: string): string => `${rule}\n${arn}`;
    const wanted = new Set(touched.map((row) => keyOf(row.rule_id, row.resource_arn)));
    const pairs = new Map<string, PairState>();
    const arns = [...new Set(touched.map((row) => row.resource_arn))];
    for (const chunk of chunksOf(arns, 1000)) {
      const rows = await db
        .selectFrom('findings')
        .select([
          'id',
          'rule_id',
          'resource_arn',
          'account_id',
          'score_weight',
          'scan_muted',
          'is_muted',
          'mute_until',
        ])
        .where('state', '=', 'open')
        .where('resource_arn', 'in', chunk)
        .execute();
      const relevant = rows.filter((row) => wanted.has(keyOf(row.rule_id, row.resource_arn)));
      // Open findings the latest scan did not report (left unchecked) are not in its score.
      const unchecked = new Set<number>();
      for (const ids of chunksOf(
        relevant.map((row) => row.id),
        1000,
      )) {
        const events = await db
          .selectFrom('finding_events')
          .select('finding_id')
          .where('scan_id', '=', latest.id)
          .where('kind', '=', 'unchecked')
          .where('finding_id', 'in', ids)
          .execute();
        for (const event of events) unchecked.add(event.finding_id);
      }
      for (const row of relevant) {
        if (unchecked.has(row.id) || row.score_weight <= 0) continue;
        const key = keyOf(row.rule_id, row.resource_arn);
        const mutedNow = row.is_muted === 1 && (row.mute_until === null || row.mute_until > at);
        const pair = pairs.get(key);
        if (pair) {
          pair.mutedAtScan &&= row.scan_muted === 1;
          pair.mutedNow &&= mutedNow;
        } else {
          pairs.set(key, {
            accountId: row.account_id,
            weight: row.score_weight,
            mutedAtScan: row.scan_muted === 1,
            mutedNow,
          });
        }
      }
    }

    let possible = Number(latest.score_possible);
    const earned = Number(latest.score_earned);
    for (const pair of pairs.values()) {
      const delta = pair.weight * (Number(!pair.mutedNow) - Number(!pair.mutedAtScan));
      if (delta === 0) continue;
      possible += delta;
      const sums = accounts.get(pair.accountId) ?? [0, 0];
      sums[1] += delta;
      accounts.set(pair.accountId, sums);
    }
    const byAccount: Record<string, ScorePart> = {};
    for (const [accountId, [e, p]] of [...accounts].sort(([a], [b]) => (a < b ? -1 : 1)))
      byAccount[accountId] = scorePart(e, p);
    return { ...scorePart(earned, possible), asOf: at, scanId: latest.id, byAccount };
  });
}
