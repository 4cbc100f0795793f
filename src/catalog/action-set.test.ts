import { describe, expect, it } from 'vitest';
import type { ActionUniverse } from './action-set.js';
import { ActionSet, ActionSetBuilder } from './action-set.js';

/** A universe of `size` made-up actions `svc:A0`, `svc:A1`, ... */
function aUniverse(size: number): ActionUniverse {
  return { size, nameOf: (index) => `svc:A${index}` };
}

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random subset as a boolean model, with a shape (sparse, dense, a run) that varies. */
function aRandomModel(size: number, random: () => number): boolean[] {
  const shape = Math.floor(random() * 4);
  if (shape === 0) return Array.from({ length: size }, () => random() < 0.05);
  if (shape === 1) return Array.from({ length: size }, () => random() < 0.9);
  const start = Math.floor(random() * size);
  const end = start + Math.floor(random() * (size - start + 1));
  return Array.from({ length: size }, (_, i) => i >= start && i < end);
}

function setOfModel(universe: ActionUniverse, model: boolean[]): ActionSet {
  return ActionSet.of(
    universe,
    model.flatMap((member, i) => (member ? [i] : [])),
  );
}

function membersOf(model: boolean[]): number[] {
  return model.flatMap((member, i) => (member ? [i] : []));
}

// Sizes around word boundaries, and one the size of a real catalog's tail word.
const SIZES = [0, 1, 31, 32, 33, 64, 95, 1000, 22091];

describe('ActionSet', () => {
  it('agrees with a boolean-array model on every operation, for random sets', () => {
    const random = seededRandom(20240601);
    for (const size of SIZES) {
      const universe = aUniverse(size);
      for (let round = 0; round < 25; round++) {
        const a = aRandomModel(size, random);
        const b = aRandomModel(size, random);
        const setA = setOfModel(universe, a);
        const setB = setOfModel(universe, b);

        expect(setA.toIndexes()).toEqual(membersOf(a));
        expect(setA.count()).toBe(membersOf(a).length);
        expect(setA.isEmpty()).toBe(membersOf(a).length === 0);
        expect(setA.union(setB).toIndexes()).toEqual(membersOf(a.map((x, i) => x || b[i]!)));
        expect(setA.intersect(setB).toIndexes()).toEqual(membersOf(a.map((x, i) => x && b[i]!)));
        expect(setA.difference(setB).toIndexes()).toEqual(membersOf(a.map((x, i) => x && !b[i]!)));
        expect(setA.complement().toIndexes()).toEqual(membersOf(a.map((x) => !x)));
        expect(setA.intersects(setB)).toBe(a.some((x, i) => x && b[i]!));
        expect(setA.isSubsetOf(setB)).toBe(a.every((x, i) => !x || b[i]!));
        for (let probe = 0; probe < 20 && size > 0; probe++) {
          const index = Math.floor(random() * size);
          expect(setA.has(index)).toBe(a[index]);
        }
      }
    }
  });

  it('satisfies the set-algebra laws, and equal contents give equal sets whatever the history', () => {
    const random = seededRandom(7);
    for (const size of SIZES) {
      const universe = aUniverse(size);
      const all = ActionSet.all(universe);
      const none = ActionSet.empty(universe);
      for (let round = 0; round < 20; round++) {
        const a = setOfModel(universe, aRandomModel(size, random));
        const b = setOfModel(universe, aRandomModel(size, random));
        expect(a.union(a.complement()).equals(all)).toBe(true);
        expect(a.intersect(a.complement()).equals(none)).toBe(true);
        expect(a.union(b).complement().equals(a.complement().intersect(b.complement()))).toBe(true);
        expect(a.intersect(b).complement().equals(a.complement().union(b.complement()))).toBe(true);
        expect(a.complement().complement().equals(a)).toBe(true);
        expect(a.difference(b).equals(a.intersect(b.complement()))).toBe(true);
        expect(a.difference(b).union(a.intersect(b)).equals(a)).toBe(true);
      }
    }
  });

  it('stores only the span between its first and last member', () => {
    const universe = aUniverse(22091);
    expect(ActionSet.of(universe, [20000]).storageBytes()).toBe(4);
    expect(ActionSet.range(universe, 64, 128).storageBytes()).toBe(8);
    expect(ActionSet.empty(universe).storageBytes()).toBe(0);
    expect(ActionSet.all(universe).storageBytes()).toBe(Math.ceil(22091 / 32) * 4);
    // An intersection that leaves a middle word keeps only that word.
    const left = ActionSet.range(universe, 0, 100);
    const right = ActionSet.range(universe, 70, 20000);
    expect(left.intersect(right).storageBytes()).toBe(8);
    expect(left.intersect(right).toIndexes()).toEqual(Array.from({ length: 30 }, (_, i) => 70 + i));
  });

  it('ranges clip to the universe and empty ranges give the empty set', () => {
    const universe = aUniverse(40);
    expect(ActionSet.range(universe, -5, 3).toIndexes()).toEqual([0, 1, 2]);
    expect(ActionSet.range(universe, 38, 99).toIndexes()).toEqual([38, 39]);
    expect(ActionSet.range(universe, 10, 10).isEmpty()).toBe(true);
    expect(ActionSet.all(universe).count()).toBe(40);
  });

  it('iterates members in ascending order and names them through the universe', () => {
    const universe = aUniverse(100);
    const set = ActionSet.of(universe, [99, 0, 31, 32, 63]);
    expect([...set]).toEqual([0, 31, 32, 63, 99]);
    expect(set.toActions()).toEqual(['svc:A0', 'svc:A31', 'svc:A32', 'svc:A63', 'svc:A99']);
  });

  it('refuses to combine sets of different universes', () => {
    const a = ActionSet.all(aUniverse(10));
    const b = ActionSet.all(aUniverse(10));
    expect(() => a.union(b)).toThrow(/different catalog/);
    expect(() => new ActionSetBuilder(aUniverse(10)).addSet(a)).toThrow(/different catalog/);
  });

  it('builder accumulates sets and ranges, and rejects indexes outside the universe', () => {
    const universe = aUniverse(70);
    const builder = new ActionSetBuilder(universe);
    builder
      .addSet(ActionSet.of(universe, [1, 69]))
      .addRange(30, 35)
      .add(40);
    expect(builder.build().toIndexes()).toEqual([1, 30, 31, 32, 33, 34, 40, 69]);
    expect(() => builder.add(70)).toThrow(RangeError);
    expect(() => builder.add(-1)).toThrow(RangeError);
  });
});
