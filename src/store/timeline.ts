/**
 * A finding's events from what is stored: the stored transitions, plus the `seen` events they
 * imply. A finding is seen by every scan of an open period (from the scan that opened or reopened
 * it to the one that resolved it, or to the latest) except the scans that left it unchecked.
 */
import type { FindingEventKind } from '../findings/lifecycle.js';
import type { FindingEventsTable } from './schema.js';

export interface StoredEvent {
  readonly scanId: number;
  readonly kind: FindingEventsTable['kind'];
  readonly detail: string | null;
}

export interface DerivedEvent {
  readonly scanId: number;
  readonly kind: FindingEventKind;
  readonly detail: string | null;
}

const ORDER: Record<FindingEventKind, number> = {
  opened: 0,
  reopened: 1,
  seen: 2,
  resolved: 3,
  muted: 4,
  unmuted: 5,
};

/** Orders two events of one scan: the presence event (or resolved) first, then mute changes. */
export function compareKinds(a: FindingEventKind, b: FindingEventKind): number {
  return ORDER[a] - ORDER[b];
}

/**
 * Every event of one finding, oldest first. `scanIds` are the store's scan ids in order, from the
 * finding's first scan on.
 */
export function deriveEvents(
  stored: readonly StoredEvent[],
  scanIds: readonly number[],
): DerivedEvent[] {
  const byScan = new Map<number, StoredEvent[]>();
  for (const event of stored) {
    const list = byScan.get(event.scanId);
    if (list) list.push(event);
    else byScan.set(event.scanId, [event]);
  }
  const events: DerivedEvent[] = [];
  let open = false;
  for (const scanId of scanIds) {
    const here = byScan.get(scanId) ?? [];
    const kinds = new Set(here.map((e) => e.kind));
    if (kinds.has('opened') || kinds.has('reopened')) open = true;
    const presence = kinds.has('opened') || kinds.has('reopened') || kinds.has('resolved');
    const scanEvents: DerivedEvent[] = here
      .filter((e) => e.kind !== 'unchecked')
      .map((e) => ({ scanId, kind: e.kind as FindingEventKind, detail: e.detail }));
    if (open && !presence && !kinds.has('unchecked'))
      scanEvents.push({ scanId, kind: 'seen', detail: null });
    if (kinds.has('resolved')) open = false;
    events.push(...scanEvents.sort((a, b) => compareKinds(a.kind, b.kind)));
  }
  return events;
}
