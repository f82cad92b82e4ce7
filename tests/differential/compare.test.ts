import { describe, expect, it } from 'vitest';
import { compareOutcomes, engineOutcome, floatsAgree, labelsKey, type Outcome } from './index.ts';

const samples = (...list: [Record<string, string>, number][]): Outcome => ({
  kind: 'samples',
  samples: list.map(([labels, value]) => ({ labels, value })),
});

describe('floatsAgree', () => {
  const testCases: { a: number; b: number; agree: boolean }[] = [
    { a: 1, b: 1, agree: true },
    { a: 1, b: 1 + 1e-12, agree: true },
    { a: 1e6, b: 1e6 + 1e-4, agree: true },
    { a: 1, b: 1 + 1e-8, agree: false },
    { a: 0, b: 1e-300, agree: false },
    { a: NaN, b: NaN, agree: true },
    { a: NaN, b: 0, agree: false },
    { a: Infinity, b: Infinity, agree: true },
    { a: Infinity, b: -Infinity, agree: false },
    { a: Infinity, b: 1e308, agree: false },
    { a: -0, b: 0, agree: true },
  ];
  for (const { a, b, agree } of testCases) {
    it(`${agree ? 'accepts' : 'rejects'} ${a} against ${b}`, () => {
      expect(floatsAgree(a, b)).toBe(agree);
    });
  }
});

describe('compareOutcomes', () => {
  const testCases: { name: string; judge: Outcome; ours: Outcome; agree: boolean }[] = [
    { name: 'two empty results agree', judge: samples(), ours: samples(), agree: true },
    {
      name: 'order does not matter',
      judge: samples([{ a: '1' }, 1], [{ a: '2' }, 2]),
      ours: samples([{ a: '2' }, 2], [{ a: '1' }, 1]),
      agree: true,
    },
    {
      name: 'label order does not matter',
      judge: samples([{ a: '1', b: '2' }, 1]),
      ours: samples([{ b: '2', a: '1' }, 1]),
      agree: true,
    },
    {
      name: 'a missing label set disagrees',
      judge: samples([{ a: '1' }, 1], [{ a: '2' }, 2]),
      ours: samples([{ a: '1' }, 1]),
      agree: false,
    },
    {
      name: 'a different label disagrees',
      judge: samples([{ __name__: 'x', a: '1' }, 1]),
      ours: samples([{ a: '1' }, 1]),
      agree: false,
    },
    {
      name: 'NaN agrees with NaN',
      judge: samples([{}, NaN]),
      ours: samples([{}, NaN]),
      agree: true,
    },
    {
      name: 'values beyond the tolerance disagree',
      judge: samples([{}, 0.1]),
      ours: samples([{}, 0.1000001]),
      agree: false,
    },
    {
      name: 'two errors agree whatever the message',
      judge: { kind: 'error', message: 'found duplicate series' },
      ours: { kind: 'error', message: 'many-to-many matching not allowed' },
      agree: true,
    },
    {
      name: 'an error against samples disagrees',
      judge: { kind: 'error', message: 'x' },
      ours: samples(),
      agree: false,
    },
  ];
  for (const { name, judge, ours, agree } of testCases) {
    it(name, () => {
      expect(compareOutcomes(judge, ours) === null).toBe(agree);
    });
  }
});

describe('engineOutcome', () => {
  it('turns a scalar into one sample without labels', () => {
    expect(
      engineOutcome({ ok: true, warnings: [], value: { type: 'scalar', t: 0, v: 2 } }),
    ).toEqual(samples([{}, 2]));
  });

  it('keeps the samples of a vector', () => {
    const value = { type: 'vector' as const, samples: [{ labels: { a: '1' }, t: 0, v: 3 }] };
    expect(engineOutcome({ ok: true, warnings: [], value })).toEqual(samples([{ a: '1' }, 3]));
  });

  it('reports a matrix the way promtool does', () => {
    expect(engineOutcome({ ok: true, warnings: [], value: { type: 'matrix' } })).toEqual({
      kind: 'error',
      message: 'rule result is not a vector or scalar',
    });
  });

  it('passes errors through', () => {
    expect(engineOutcome({ ok: false, error: { message: 'boom' } })).toEqual({
      kind: 'error',
      message: 'boom',
    });
  });
});

describe('labelsKey', () => {
  it('sorts label names', () => {
    expect(labelsKey({ b: '2', a: '1' })).toBe('{a="1", b="2"}');
  });
});
