import { describe, expect, it } from 'vitest';
import { SeriesStore } from '../../src/promql/index.ts';
import { alertTimeline } from '../../src/rules/index.ts';

const MIN = 60_000;

describe('alertTimeline with @ end()', () => {
  it('reads end() as each evaluation time, as the rule manager does, not as the range end', () => {
    const store = new SeriesStore();
    store.addSeries(
      { __name__: 'up', job: 'x' },
      Array.from({ length: 11 }, (_, i) => [i * MIN, i] as const),
    );
    const r = alertTimeline(
      { alert: 'A', expr: 'up @ end() > 5', for: 0, keepFiringFor: 0, labels: {}, annotations: {} },
      store,
      { start: 0, end: 10 * MIN, interval: MIN },
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.steps.map((s) => s.state)).toEqual([
      ...Array<string>(6).fill('inactive'),
      ...Array<string>(5).fill('firing'),
    ]);
  });
});
