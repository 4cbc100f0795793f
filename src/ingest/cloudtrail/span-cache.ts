/**
 * A map from byte strings — spans of a log file's buffer — to values, looked up without decoding
 * the bytes: the records of a trail repeat a few hundred event names and a few thousand principals
 * millions of times, and turning each into a JS string first costs an allocation per field.
 */

/** FNV-1a over `buffer[start, end)`. */
function hashBytes(buffer: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (buffer[i] as number), 0x01000193);
  return hash >>> 0;
}

/**
 * True when `buffer` holds `bytes` at `start`. A plain loop: for keys of tens of bytes it is several
 * times faster than `Buffer.compare`, whose argument checks and native call dominate.
 */
export function sameBytes(buffer: Uint8Array, start: number, bytes: Uint8Array): boolean {
  if (start + bytes.length > buffer.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buffer[start + i] !== bytes[i]) return false;
  return true;
}

interface Entry<T> {
  readonly bytes: Buffer;
  readonly value: T;
}

/** Values by the exact bytes of their key (verified byte for byte, so hash collisions are harmless). */
export class SpanCache<T> {
  private readonly buckets = new Map<number, Entry<T> | Entry<T>[]>();
  private size = 0;

  constructor(private readonly limit = 100_000) {}

  get(buffer: Buffer, start: number, end: number): T | undefined {
    const slot = this.buckets.get(hashBytes(buffer, start, end));
    if (slot === undefined) return undefined;
    const length = end - start;
    if (!Array.isArray(slot)) {
      return slot.bytes.length === length && sameBytes(buffer, start, slot.bytes)
        ? slot.value
        : undefined;
    }
    for (const entry of slot)
      if (entry.bytes.length === length && sameBytes(buffer, start, entry.bytes))
        return entry.value;
    return undefined;
  }

  set(buffer: Buffer, start: number, end: number, value: T): void {
    // Keys come from attacker-controlled logs: the cache empties when full instead of growing.
    if (this.size >= this.limit) {
      this.buckets.clear();
      this.size = 0;
    }
    const hash = hashBytes(buffer, start, end);
    const entry: Entry<T> = { bytes: Buffer.from(buffer.subarray(start, end)), value };
    const slot = this.buckets.get(hash);
    if (slot === undefined) this.buckets.set(hash, entry);
    else if (Array.isArray(slot)) slot.push(entry);
    else this.buckets.set(hash, [slot, entry]);
    this.size++;
  }
}
