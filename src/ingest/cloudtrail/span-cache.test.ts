import { describe, expect, it } from 'vitest';
import { SpanCache, sameBytes } from './span-cache.js';

describe('SpanCache', () => {
  const buffer = Buffer.from('arn:aws:iam::1:role/a|arn:aws:iam::1:role/b|arn:aws:iam::1:role/a');

  it('finds a value by the bytes of a span, wherever they are in the buffer', () => {
    const cache = new SpanCache<string>();
    cache.set(buffer, 0, 21, 'role a');
    expect(cache.get(buffer, 44, 65)).toBe('role a');
    expect(cache.get(buffer, 22, 43)).toBeUndefined();
    expect(cache.get(buffer, 0, 20)).toBeUndefined();
    // The key is copied: the cache does not hold on to (or change with) the buffer.
    const copy = Buffer.from(buffer);
    const other = new SpanCache<string>();
    other.set(copy, 0, 21, 'role a');
    copy.fill(0);
    expect(other.get(buffer, 0, 21)).toBe('role a');
  });

  it('keeps many keys apart and empties itself when full', () => {
    const cache = new SpanCache<number>(1000);
    const keys = Array.from({ length: 1000 }, (_, i) => Buffer.from(`key-${i}`));
    keys.forEach((key, i) => cache.set(key, 0, key.length, i));
    expect(keys.every((key, i) => cache.get(key, 0, key.length) === i)).toBe(true);
    const extra = Buffer.from('one more');
    cache.set(extra, 0, extra.length, -1);
    expect(cache.get(keys[0]!, 0, keys[0]!.length)).toBeUndefined();
    expect(cache.get(extra, 0, extra.length)).toBe(-1);
  });

  it('compares bytes exactly', () => {
    expect(sameBytes(buffer, 44, Buffer.from('arn:aws:iam::1:role/a'))).toBe(true);
    expect(sameBytes(buffer, 22, Buffer.from('arn:aws:iam::1:role/a'))).toBe(false);
    expect(sameBytes(buffer, 60, Buffer.from('role/a and more'))).toBe(false);
  });
});
