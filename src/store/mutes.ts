/**
 * Stored mutes (`iamsight mute`): by fingerprint, or by rule, ARN glob and account, with a reason,
 * who, and an optional expiry. They apply at once to the findings queries (the findings they match
 * are marked muted now) and, through the analysis, to every later scan, whose events record the
 * change. Matching is src/findings/config.ts `muteFor`, the same as for the configuration file.
 */
import type { Kysely } from 'kysely';
import { muteFor, type MuteRule } from '../findings/config.js';
import type { Backend } from './backend.js';
import { StoreError } from './errors.js';
import { muteFromRow, normalizeTime } from './rows.js';
import type { Database } from './schema.js';
import type { NewMute, StoredMute } from './types.js';

/** A stored mute as the analysis applies it. */
export function ruleOf(mute: StoredMute): MuteRule & { readonly id: number } {
  return {
    id: mute.id,
    reason: mute.reason,
    by: mute.by,
    ...(mute.fingerprint !== null ? { fingerprint: mute.fingerprint } : {}),
    ...(mute.rule !== null ? { rule: mute.rule } : {}),
    ...(mute.arn !== null ? { arn: mute.arn } : {}),
    ...(mute.account !== null ? { account: mute.account } : {}),
    ...(mute.until !== null ? { until: mute.until } : {}),
  };
}

async function active(db: Kysely<Database>): Promise<StoredMute[]> {
  const rows = await db
    .selectFrom('mutes')
    .selectAll()
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(muteFromRow);
}

export async function activeMutes(
  backend: Backend,
): Promise<(MuteRule & { readonly id: number })[]> {
  return (await backend.read(active)).map(ruleOf);
}

export async function listMutes(backend: Backend): Promise<StoredMute[]> {
  const rows = await backend.db.selectFrom('mutes').selectAll().orderBy('id').execute();
  return rows.map(muteFromRow);
}

/** Open findings a mute could match (narrowed in SQL, then matched exactly). */
async function candidates(db: Kysely<Database>, mute: MuteRule) {
  return db
    .selectFrom('findings')
    .select([
      'id',
      'fingerprint',
      'rule_id',
      'anchor',
      'resource_arn',
      'account_id',
      'mute_reason',
      'mute_until',
      'mute_id',
    ])
    .where('state', '=', 'open')
    .$if(mute.fingerprint !== undefined, (qb) => qb.where('fingerprint', '=', mute.fingerprint!))
    .$if(mute.account !== undefined, (qb) => qb.where('account_id', '=', mute.account!))
    .$if(mute.rule !== undefined, (qb) =>
      qb.where((eb) => eb.or([eb('rule_id', '=', mute.rule!), eb('anchor', '=', mute.rule!)])),
    )
    .execute();
}

type Candidate = Awaited<ReturnType<typeof candidates>>[number];

function matches(rules: readonly MuteRule[], row: Candidate, now: string): MuteRule | null {
  return muteFor(
    rules,
    {
      ruleId: row.rule_id,
      anchor: row.anchor,
      fingerprint: row.fingerprint,
      resource: { arn: row.resource_arn, accountId: row.account_id },
    },
    now,
  );
}

const inForce = (row: Candidate, now: string): boolean =>
  row.mute_reason !== null && (row.mute_until === null || row.mute_until > now);

export async function addMute(
  backend: Backend,
  mute: NewMute,
  now: string,
): Promise<{ mute: StoredMute; applied: number }> {
  return backend.write(async (db) => {
    if (mute.fingerprint !== undefined) {
      const known = await db
        .selectFrom('findings')
        .select('id')
        .where('fingerprint', '=', mute.fingerprint)
        .executeTakeFirst();
      if (!known)
        throw new StoreError(
          `no finding with fingerprint ${mute.fingerprint} in ${backend.location} (iamsight findings lists them)`,
        );
    }
    const row = await db
      .insertInto('mutes')
      .values({
        fingerprint: mute.fingerprint ?? null,
        rule: mute.rule ?? null,
        arn: mute.arn ?? null,
        account: mute.account ?? null,
        reason: mute.reason,
        by: mute.by,
        created_at: normalizeTime(now),
        until: mute.until !== undefined ? normalizeTime(mute.until) : null,
        removed_at: null,
        removed_by: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const stored = muteFromRow(row);
    const rule = ruleOf(stored);
    let applied = 0;
    const newlyMuted: number[] = [];
    for (const candidate of await candidates(db, rule)) {
      if (!matches([rule], candidate, now)) continue;
      applied += 1;
      if (!inForce(candidate, now)) newlyMuted.push(candidate.id);
    }
    for (let i = 0; i < newlyMuted.length; i += 1000) {
      await db
        .updateTable('findings')
        .set({
          is_muted: 1,
          mute_reason: stored.reason,
          mute_until: stored.until,
          mute_by: stored.by,
          mute_id: stored.id,
        })
        .where('id', 'in', newlyMuted.slice(i, i + 1000))
        .execute();
    }
    return { mute: stored, applied };
  });
}

export async function removeMutes(
  backend: Backend,
  target: { id: number } | { fingerprint: string },
  by: string,
  now: string,
): Promise<StoredMute[]> {
  return backend.write(async (db) => {
    const all = await active(db);
    const removed = all.filter((m) =>
      'id' in target ? m.id === target.id : m.fingerprint === target.fingerprint,
    );
    if (removed.length === 0) return [];
    const removedIds = removed.map((m) => m.id);
    await db
      .updateTable('mutes')
      .set({ removed_at: normalizeTime(now), removed_by: by })
      .where('id', 'in', removedIds)
      .execute();
    // Findings muted by them: another stored mute may still apply; else they are open at once.
    const remaining = all.filter((m) => !removedIds.includes(m.id)).map(ruleOf);
    const affected = await db
      .selectFrom('findings')
      .select([
        'id',
        'fingerprint',
        'rule_id',
        'anchor',
        'resource_arn',
        'account_id',
        'mute_reason',
        'mute_until',
        'mute_id',
      ])
      .where('state', '=', 'open')
      .where('mute_id', 'in', removedIds)
      .execute();
    for (const row of affected) {
      const next = matches(remaining, row, now) as (MuteRule & { id?: number }) | null;
      await db
        .updateTable('findings')
        .set(
          next
            ? {
                is_muted: 1,
                mute_reason: next.reason,
                mute_until: next.until ?? null,
                mute_by: next.by ?? null,
                mute_id: next.id ?? null,
              }
            : { is_muted: 0, mute_reason: null, mute_until: null, mute_by: null, mute_id: null },
        )
        .where('id', '=', row.id)
        .execute();
    }
    return removed.map((m) => ({ ...m, removedAt: normalizeTime(now), removedBy: by }));
  });
}
