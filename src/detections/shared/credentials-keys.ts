/**
 * Credential facts for the credentials detections: active access keys, key ages relative to the
 * scan's `asOf` (never the wall clock), and the identity that tells one key's finding from another.
 * `null` credential data means "not collected" (no credential report): callers skip, never flag.
 */
import type { AccessKey, RootPrincipal, UserPrincipal } from '../../model/index.js';
import type { DetectionContext } from '../types.js';

const DAY_MS = 86_400_000;

/** IAM users and account roots: the principals that hold long-lived credentials. */
export type CredentialHolder = UserPrincipal | RootPrincipal;

/** The IAM users of the snapshot. */
export function usersOf(ctx: DetectionContext): UserPrincipal[] {
  return ctx.snapshot.principals.filter((p): p is UserPrincipal => p.type === 'user');
}

/** The account roots the snapshot knows (from credential reports). */
export function rootsOf(ctx: DetectionContext): RootPrincipal[] {
  return ctx.snapshot.principals.filter((p): p is RootPrincipal => p.type === 'root');
}

/** The active access keys of a holder; null when its keys were not collected. */
export function activeKeys(holder: CredentialHolder): AccessKey[] | null {
  return holder.accessKeys?.filter((key) => key.status === 'Active') ?? null;
}

/** When the key was created (or last rotated, which the credential report gives instead). */
export function keyIssuedAt(key: AccessKey): string | null {
  return key.createDate ?? key.lastRotated;
}

/** Whole days from `date` to `asOf`; null when the date is unknown or unreadable. */
export function ageInDays(date: string | null, asOf: string): number | null {
  if (date === null) return null;
  const then = Date.parse(date);
  const now = Date.parse(asOf);
  if (Number.isNaN(then) || Number.isNaN(now)) return null;
  return Math.floor((now - then) / DAY_MS);
}

/** What tells this key's finding from another key's: its id when known, else its report slot. */
export function keyIdentity(key: AccessKey): Record<string, string> {
  if (key.id !== null) return { keyId: key.id };
  return { slot: String(key.slot ?? 'unknown') };
}

/** How a key is named in a message: its id, or its credential report slot. */
export function keyLabel(key: AccessKey): string {
  if (key.id !== null) return key.id;
  return key.slot === null ? 'an access key' : `access key ${key.slot}`;
}

/** A small, JSON-serialisable record of a key for evidence. */
export function keyEvidence(key: AccessKey, asOf: string): Record<string, unknown> {
  return {
    keyId: key.id,
    slot: key.slot,
    status: key.status,
    issuedAt: keyIssuedAt(key),
    ageDays: ageInDays(keyIssuedAt(key), asOf),
    lastUsedDate: key.lastUsedDate,
    lastUsedService: key.lastUsedService,
  };
}

/** Whether the holder has a console password; null when not collected. */
export function hasPassword(holder: CredentialHolder): boolean | null {
  if (holder.loginProfile === null) return null;
  return holder.loginProfile.exists;
}
