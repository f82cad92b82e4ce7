import { describe, expect, it } from 'vitest';
import { presets } from '../../sim/index.ts';
import { PresetCache, computeMatrix, computeSweep, sweepValues } from './matrix.ts';
import { naiveUpRule } from './rulePresets.ts';

function drain<T, R>(g: Generator<T, R>): { steps: T[]; result: R } {
  const steps: T[] = [];
  for (;;) {
    const s = g.next();
    if (s.done) return { steps, result: s.value };
    steps.push(s.value);
  }
}

const two = presets.filter((p) => p.name === 'healthy-baseline' || p.name === 'member-crash');

describe('computeMatrix', () => {
  it('scores each rule on each preset, reporting progress per preset', () => {
    const { steps, result } = drain(computeMatrix([naiveUpRule], new PresetCache(two)));
    expect(steps).toEqual([
      { done: 1, total: 2 },
      { done: 2, total: 2 },
    ]);
    expect(result.map((c) => [c.preset, c.ruleId, c.error])).toEqual([
      [two[0]?.name, 'naiveUp', null],
      [two[1]?.name, 'naiveUp', null],
    ]);
    const healthy = result.find((c) => c.preset === 'healthy-baseline');
    expect(healthy?.scorecard).toEqual({ episodes: [], missedMs: 0, falseFiringMs: 0, flaps: 0 });
  });

  it('reports a broken rule as an error cell', () => {
    const { result } = drain(
      computeMatrix([{ ...naiveUpRule, expr: 'up ==' }], new PresetCache(two)),
    );
    expect(result.every((c) => c.error !== null && c.scorecard === null)).toBe(true);
  });
});

describe('sweeps', () => {
  it('spreads values over the range on the grid, without repeats', () => {
    expect(sweepValues(0, 60, 30, 9)).toEqual([0, 30, 60]);
    expect(sweepValues(0, 80, 10, 9)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
  });

  it('sums the figures of every preset for each value', () => {
    const { result } = drain(computeSweep(naiveUpRule, 'for', new PresetCache(two)));
    expect(result.length).toBe(9);
    // A longer `for` can only detect later, never earlier.
    const delays = result.map((p) => p.meanDelayMs ?? Infinity);
    for (let i = 1; i < delays.length; i++)
      expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
  });
});
