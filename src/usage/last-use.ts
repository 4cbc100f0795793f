/**
 * When an identity or credential was last used, from every source that can say (the latest
 * evidence wins): IAM's RoleLastUsed, the credential report (`password_last_used`,
 * `access_key_N_last_used_date`), an access key's LastUsedDate, and CloudTrail.
 *
 * Access keys: the credential report names a key by slot, not id, so a key CloudTrail saw is
 * matched to a key of the snapshot by id when the snapshot knows ids. Otherwise each of the
 * holder's unmatched long-lived keys in the logs goes to its only key without an id; or to the one
 * key whose report date is consistent with it (used at or after the logs first saw that key);
 * or, when that does not single one out, to each of them (ambiguous) — which can only make a key
 * look used, never unused.
 */
import type {
  AccessKey,
  Principal,
  RolePrincipal,
  RootPrincipal,
  UserPrincipal,
} from '../model/index.js';
import { latestUse, type UseEvidence } from './tracking.js';
import { lastSeenInLogs, type UsageIndex } from './usage-index.js';

/** Every source's word on the last use, and the latest of them. */
export interface LastUse {
  /** The latest evidence of use; null when no source saw any. */
  readonly latest: UseEvidence | null;
  /** Each source consulted (a null date: the source knows of no use). */
  readonly sources: readonly UseEvidence[];
}

function lastUseOf(sources: UseEvidence[]): LastUse {
  return { latest: latestUse(sources), sources };
}

function cloudTrail(index: UsageIndex | null, date: string | null): UseEvidence[] {
  return index === null ? [] : [{ source: 'cloudtrail', lastUsed: date }];
}

/** A role's last use: RoleLastUsed (when collected) and its sessions and assumptions in CloudTrail. */
export function roleLastUse(role: RolePrincipal, index: UsageIndex | null): LastUse {
  return lastUseOf([
    ...(role.lastUsed ? [{ source: 'role-last-used' as const, lastUsed: role.lastUsed.date }] : []),
    ...cloudTrail(index, index ? lastSeenInLogs(index, role) : null),
  ]);
}

/** How a key's CloudTrail use was matched to it. */
export type KeyAttribution =
  'key-id' | 'only-key-without-id' | 'report-date' | 'ambiguous' | 'none';

const DAY_MS = 86_400_000;

/** The CloudTrail use of one of a holder's keys, and how it was matched. */
export function keyUseInLogs(
  holder: UserPrincipal | RootPrincipal,
  key: AccessKey,
  index: UsageIndex,
): { lastSeen: string | null; attribution: KeyAttribution } {
  const used = index.keysOf(holder.arn).filter((k) => k.accessKeyId.startsWith('AKIA'));
  if (key.id !== null) {
    const match = used.find((k) => k.accessKeyId === key.id);
    return { lastSeen: match?.lastSeen ?? null, attribution: match ? 'key-id' : 'none' };
  }
  const keys = holder.accessKeys ?? [];
  const known = new Set(keys.map((k) => k.id).filter((id) => id !== null));
  const candidates = keys.filter((k) => k.id === null);
  let lastSeen: string | null = null;
  let attribution: KeyAttribution = 'none';
  for (const seen of used.filter((k) => !known.has(k.accessKeyId))) {
    const consistent = candidates.filter(
      (c) =>
        c.lastUsedDate !== null &&
        Date.parse(c.lastUsedDate) >= Date.parse(seen.firstSeen) - DAY_MS,
    );
    const [targets, how]: [AccessKey[], KeyAttribution] =
      candidates.length === 1
        ? [candidates, 'only-key-without-id']
        : consistent.length === 1
          ? [consistent, 'report-date']
          : [candidates, 'ambiguous'];
    if (!targets.includes(key)) continue;
    if (lastSeen === null || Date.parse(seen.lastSeen) > Date.parse(lastSeen)) {
      lastSeen = seen.lastSeen;
      attribution = how;
    }
  }
  return { lastSeen, attribution };
}

/**
 * Where a key's IAM last-used date comes from: a key with an id was listed (GetAccessKeyLastUsed,
 * which the merge with the report's slot keeps when it is the later); one without, the report.
 */
function keyUseSource(key: AccessKey): 'access-key-last-used' | 'credential-report' {
  return key.id !== null ? 'access-key-last-used' : 'credential-report';
}

/** A key's last use: the credential report's (or LastUsedDate's) and CloudTrail's. */
export function keyLastUse(
  holder: UserPrincipal | RootPrincipal,
  key: AccessKey,
  index: UsageIndex | null,
): LastUse & { readonly attribution: KeyAttribution } {
  const iamSource = keyUseSource(key);
  const sources: UseEvidence[] = [{ source: iamSource, lastUsed: key.lastUsedDate }];
  let attribution: KeyAttribution = 'none';
  if (index !== null) {
    const logs = keyUseInLogs(holder, key, index);
    sources.push({ source: 'cloudtrail', lastUsed: logs.lastSeen });
    attribution = logs.attribution;
  }
  return { ...lastUseOf(sources), attribution };
}

/** A console password's last use: the credential report's and CloudTrail's console sign-ins. */
export function passwordLastUse(
  holder: UserPrincipal | RootPrincipal,
  index: UsageIndex | null,
): LastUse {
  const profile = holder.loginProfile;
  return lastUseOf([
    ...(profile?.exists
      ? [{ source: 'credential-report' as const, lastUsed: profile.passwordLastUsed }]
      : []),
    ...cloudTrail(index, index?.principal(holder.arn)?.lastConsoleLogin ?? null),
  ]);
}

/**
 * Any activity of a user or root: its password, every key (active or not), and anything
 * CloudTrail saw it do.
 */
export function holderLastActivity(
  holder: UserPrincipal | RootPrincipal,
  index: UsageIndex | null,
): LastUse {
  const sources: UseEvidence[] = [];
  if (holder.type === 'root')
    sources.push({ source: 'credential-report', lastUsed: holder.passwordLastUsed });
  if (holder.loginProfile?.exists)
    sources.push({ source: 'credential-report', lastUsed: holder.loginProfile.passwordLastUsed });
  for (const key of holder.accessKeys ?? [])
    sources.push({
      source: keyUseSource(key),
      lastUsed: key.lastUsedDate,
    });
  if (index !== null)
    sources.push({ source: 'cloudtrail', lastUsed: index.principal(holder.arn)?.lastSeen ?? null });
  return lastUseOf(sources);
}

/** The last use of any principal, for insights (groups are never used themselves). */
export function principalLastUse(principal: Principal, index: UsageIndex | null): LastUse {
  switch (principal.type) {
    case 'role':
      return roleLastUse(principal, index);
    case 'user':
    case 'root':
      return holderLastActivity(principal, index);
    case 'group':
      return { latest: null, sources: [] };
  }
}
