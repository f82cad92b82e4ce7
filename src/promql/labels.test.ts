// sortByLabelSets orders label sets exactly as compareLabels does (Prometheus's labels.Compare).
import { describe, expect, it } from 'vitest';
import { compareLabels, makeLabels, sortByLabelSets, type Labels } from './labels.ts';

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Names and values that are prefixes of each other, characters just above the separators and
// far above them (Latin-1, the BMP, surrogate pairs), and empty-looking ones.
const NAMES = ['__name__', 'a', 'ab', 'a_b', 'b', 'instance', 'job', 'le', 'é', 'z\u0002'];
const VALUES = [
  '',
  'x',
  'xy',
  'x y',
  'x\u0002',
  '\u0002',
  'y',
  'é',
  '中',
  '😀',
  '\uffff',
  '10',
  '9',
];

function randomSet(next: () => number, values: readonly string[]): Labels {
  const out: Record<string, string> = {};
  const n = Math.floor(next() * 5);
  for (let i = 0; i < n; i++) {
    out[NAMES[Math.floor(next() * NAMES.length)]!] = values[Math.floor(next() * values.length)]!;
  }
  return makeLabels(out);
}

describe('sortByLabelSets', () => {
  it('orders as compareLabels on sets of prefixes, low and high characters', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = rng(seed);
      const sets = Array.from({ length: 30 }, () => randomSet(next, VALUES));
      const want = sets.slice().sort(compareLabels);
      expect(sortByLabelSets(sets.slice(), (l) => l)).toEqual(want);
    }
  });

  it('orders sets holding the lowest characters', () => {
    const values = [...VALUES, '\u0000', 'x\u0001', '\u0001y'];
    for (let seed = 1; seed <= 100; seed++) {
      const next = rng(seed);
      const sets = Array.from({ length: 30 }, () => randomSet(next, values));
      const want = sets.slice().sort(compareLabels);
      expect(sortByLabelSets(sets.slice(), (l) => l)).toEqual(want);
    }
  });

  it('orders sets that all have the same names (values compared alone)', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const next = rng(seed);
      const pick = (): string => VALUES[Math.floor(next() * VALUES.length)]!;
      const sets = Array.from({ length: 40 }, () =>
        makeLabels({ __name__: 'x', a: pick() || 'v', instance: pick() || 'w', le: pick() || 'u' }),
      );
      const want = sets.slice().sort(compareLabels);
      expect(sortByLabelSets(sets.slice(), (l) => l)).toEqual(want);
    }
  });

  it('orders sets whose names are not in order', () => {
    const unordered: Labels = Object.freeze({ job: 'b', instance: 'a' });
    const ordered = makeLabels({ instance: 'a', job: 'a' });
    expect(sortByLabelSets([unordered, ordered], (l) => l)).toEqual([ordered, unordered]);
  });
});
