/**
 * Sets of IAM actions as bitsets over the catalog's dense action index.
 *
 * A set stores only the span of 32-bit words between its first and last non-zero word (an
 * `offset` in words plus the words themselves), so a single action costs one word and a whole
 * service a few dozen, while `*` costs the full ~690 words. Sets are immutable values: every
 * operation returns a new set, which makes them safe to cache and share.
 */

/** The numbered universe a set's bits refer to: the catalog's actions in index order. */
export interface ActionUniverse {
  /** The number of actions; valid indexes are `0 .. size - 1`. */
  readonly size: number;
  /** The canonical name (`service:Action`) of the action with this index. */
  nameOf(index: number): string;
}

const EMPTY_WORDS = new Uint32Array(0);

function wordCountOf(size: number): number {
  return (size + 31) >>> 5;
}

/** The mask of valid bits in the last word of a universe of `size` actions. */
function lastWordMask(size: number): number {
  const rest = size & 31;
  return rest === 0 ? 0xffffffff : (1 << rest) - 1;
}

/** Sets bits `from` (inclusive) to `to` (exclusive) of `words`; does nothing when `from >= to`. */
function fillRange(words: Uint32Array, from: number, to: number): void {
  if (from >= to) return;
  const firstWord = from >>> 5;
  const lastWord = (to - 1) >>> 5;
  const firstMask = (0xffffffff << (from & 31)) >>> 0;
  const lastMask = lastWordMask(to);
  if (firstWord === lastWord) {
    words[firstWord]! |= firstMask & lastMask;
    return;
  }
  words[firstWord]! |= firstMask;
  words.fill(0xffffffff, firstWord + 1, lastWord);
  words[lastWord]! |= lastMask;
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** An immutable set of actions, stored as a trimmed bitset over the catalog's action index. */
export class ActionSet implements Iterable<number> {
  private cachedCount = -1;

  private constructor(
    /** The universe the set's indexes refer to; sets combine only within one universe. */
    readonly universe: ActionUniverse,
    private readonly offset: number,
    private readonly words: Uint32Array,
  ) {}

  /** The set with no actions. */
  static empty(universe: ActionUniverse): ActionSet {
    return new ActionSet(universe, 0, EMPTY_WORDS);
  }

  /** The set of every action in the universe. */
  static all(universe: ActionUniverse): ActionSet {
    return ActionSet.range(universe, 0, universe.size);
  }

  /** The set of the actions with indexes `start` (inclusive) to `end` (exclusive). */
  static range(universe: ActionUniverse, start: number, end: number): ActionSet {
    const from = Math.max(0, start);
    const to = Math.min(universe.size, end);
    if (from >= to) return ActionSet.empty(universe);
    const firstWord = from >>> 5;
    const words = new Uint32Array(((to - 1) >>> 5) - firstWord + 1);
    fillRange(words, from - (firstWord << 5), to - (firstWord << 5));
    return new ActionSet(universe, firstWord, words);
  }

  /** The set of the actions with the given indexes. */
  static of(universe: ActionUniverse, indexes: Iterable<number>): ActionSet {
    const builder = new ActionSetBuilder(universe);
    for (const index of indexes) builder.add(index);
    return builder.build();
  }

  /** Wraps trimmed words; for {@link ActionSetBuilder} only. */
  static fromTrimmedWords(universe: ActionUniverse, offset: number, words: Uint32Array): ActionSet {
    return new ActionSet(universe, words.length === 0 ? 0 : offset, words);
  }

  /** True when the action with this index is in the set. */
  has(index: number): boolean {
    const word = (index >>> 5) - this.offset;
    if (word < 0 || word >= this.words.length) return false;
    return ((this.words[word]! >>> (index & 31)) & 1) === 1;
  }

  /** The number of actions in the set. */
  count(): number {
    if (this.cachedCount < 0) {
      let total = 0;
      for (const word of this.words) total += popcount(word);
      this.cachedCount = total;
    }
    return this.cachedCount;
  }

  /** True when the set has no actions. */
  isEmpty(): boolean {
    return this.words.length === 0;
  }

  /** True when both sets hold exactly the same actions of the same universe. */
  equals(other: ActionSet): boolean {
    this.checkUniverse(other);
    if (this.offset !== other.offset || this.words.length !== other.words.length) return false;
    for (let i = 0; i < this.words.length; i++) {
      if (this.words[i] !== other.words[i]) return false;
    }
    return true;
  }

  /** The actions in either set. */
  union(other: ActionSet): ActionSet {
    this.checkUniverse(other);
    if (other.isEmpty() || this === other) return this;
    if (this.isEmpty()) return other;
    const start = Math.min(this.offset, other.offset);
    const end = Math.max(this.offset + this.words.length, other.offset + other.words.length);
    const words = new Uint32Array(end - start);
    words.set(this.words, this.offset - start);
    const shift = other.offset - start;
    for (let i = 0; i < other.words.length; i++) words[shift + i]! |= other.words[i]!;
    // Both inputs are trimmed, so the outermost words of the result are non-zero already.
    return new ActionSet(this.universe, start, words);
  }

  /** The actions in both sets. */
  intersect(other: ActionSet): ActionSet {
    this.checkUniverse(other);
    const start = Math.max(this.offset, other.offset);
    const end = Math.min(this.offset + this.words.length, other.offset + other.words.length);
    if (start >= end) return ActionSet.empty(this.universe);
    const words = new Uint32Array(end - start);
    for (let w = start; w < end; w++) {
      words[w - start] = this.words[w - this.offset]! & other.words[w - other.offset]!;
    }
    return trimmed(this.universe, start, words);
  }

  /** The actions in this set and not in `other`. */
  difference(other: ActionSet): ActionSet {
    this.checkUniverse(other);
    if (this.isEmpty() || other.isEmpty()) return this;
    const words = this.words.slice();
    const start = Math.max(this.offset, other.offset);
    const end = Math.min(this.offset + this.words.length, other.offset + other.words.length);
    for (let w = start; w < end; w++) words[w - this.offset]! &= ~other.words[w - other.offset]!;
    return trimmed(this.universe, this.offset, words);
  }

  /** The actions of the universe that are not in this set. */
  complement(): ActionSet {
    const size = this.universe.size;
    const words = new Uint32Array(wordCountOf(size)).fill(0xffffffff);
    for (let i = 0; i < this.words.length; i++) words[this.offset + i] = ~this.words[i]!;
    if (words.length > 0) words[words.length - 1]! &= lastWordMask(size);
    return trimmed(this.universe, 0, words);
  }

  /** True when the sets share at least one action. */
  intersects(other: ActionSet): boolean {
    this.checkUniverse(other);
    const start = Math.max(this.offset, other.offset);
    const end = Math.min(this.offset + this.words.length, other.offset + other.words.length);
    for (let w = start; w < end; w++) {
      if ((this.words[w - this.offset]! & other.words[w - other.offset]!) !== 0) return true;
    }
    return false;
  }

  /** True when every action of this set is also in `other`. */
  isSubsetOf(other: ActionSet): boolean {
    this.checkUniverse(other);
    for (let i = 0; i < this.words.length; i++) {
      const word = this.words[i]!;
      const otherIndex = this.offset + i - other.offset;
      const otherWord =
        otherIndex >= 0 && otherIndex < other.words.length ? other.words[otherIndex]! : 0;
      if ((word & ~otherWord) !== 0) return false;
    }
    return true;
  }

  /** Calls `visit` with each member's index, in ascending order. */
  forEach(visit: (index: number) => void): void {
    for (let i = 0; i < this.words.length; i++) {
      let word = this.words[i]!;
      const base = (this.offset + i) << 5;
      while (word !== 0) {
        const lowest = word & -word;
        visit(base + 31 - Math.clz32(lowest));
        word ^= lowest;
      }
    }
  }

  /** The members' indexes in ascending order. */
  *[Symbol.iterator](): Iterator<number> {
    const indexes: number[] = [];
    this.forEach((index) => indexes.push(index));
    yield* indexes;
  }

  /** The members' indexes in ascending order, as an array. */
  toIndexes(): number[] {
    const indexes: number[] = [];
    this.forEach((index) => indexes.push(index));
    return indexes;
  }

  /** The members' canonical action names (`service:Action`) in index order. */
  toActions(): string[] {
    const names: string[] = [];
    this.forEach((index) => names.push(this.universe.nameOf(index)));
    return names;
  }

  /** Calls `visit` with each stored non-zero-span word and its position in the full-width bitset. */
  forEachWord(visit: (wordIndex: number, word: number) => void): void {
    for (let i = 0; i < this.words.length; i++) visit(this.offset + i, this.words[i]!);
  }

  /** The bytes of bitset words this set stores (its trimmed span). */
  storageBytes(): number {
    return this.words.byteLength;
  }

  private checkUniverse(other: ActionSet): void {
    if (other.universe !== this.universe) {
      throw new Error('ActionSet: cannot combine sets from different catalogs');
    }
  }
}

/** Wraps `words` (placed at word `offset`) as a set, dropping zero words at either end. */
function trimmed(universe: ActionUniverse, offset: number, words: Uint32Array): ActionSet {
  let first = 0;
  let last = words.length;
  while (first < last && words[first] === 0) first++;
  while (last > first && words[last - 1] === 0) last--;
  if (first === last) return ActionSet.empty(universe);
  const kept = first === 0 && last === words.length ? words : words.slice(first, last);
  return ActionSet.fromTrimmedWords(universe, offset + first, kept);
}

/** A mutable, full-width bitset for accumulating many actions or sets into one {@link ActionSet}. */
export class ActionSetBuilder {
  private readonly words: Uint32Array;

  constructor(private readonly universe: ActionUniverse) {
    this.words = new Uint32Array(wordCountOf(universe.size));
  }

  /** Adds the action with this index. */
  add(index: number): this {
    if (!Number.isInteger(index) || index < 0 || index >= this.universe.size) {
      throw new RangeError(
        `ActionSetBuilder: index ${index} is outside 0..${this.universe.size - 1}`,
      );
    }
    this.words[index >>> 5]! |= 1 << (index & 31);
    return this;
  }

  /** Adds the actions with indexes `start` (inclusive) to `end` (exclusive). */
  addRange(start: number, end: number): this {
    fillRange(this.words, Math.max(0, start), Math.min(this.universe.size, end));
    return this;
  }

  /** Adds every action of `set`. */
  addSet(set: ActionSet): this {
    if (set.universe !== this.universe) {
      throw new Error('ActionSetBuilder: cannot add a set from a different catalog');
    }
    set.forEachWord((wordIndex, word) => {
      this.words[wordIndex]! |= word;
    });
    return this;
  }

  /** The accumulated actions as an immutable set (the builder may keep being used). */
  build(): ActionSet {
    let first = 0;
    let last = this.words.length;
    while (first < last && this.words[first] === 0) first++;
    while (last > first && this.words[last - 1] === 0) last--;
    return ActionSet.fromTrimmedWords(this.universe, first, this.words.slice(first, last));
  }
}
