import { describe, expect, it } from 'vitest';
import { SeriesStore } from '../../src/promql/index.ts';
import { presets, sampleColumns, simulate } from '../../src/sim/index.ts';
import { storeSimulation } from '../../src/lab/index.ts';

// The column path must store exactly what the Point path stores: same series, same samples,
// same staleness markers, for every preset (they cover crashes, evictions, outages, gaps).
describe('sampleColumns and storeSimulation', () => {
  for (const preset of presets) {
    it(`stores the same samples as the points for ${preset.name}`, () => {
      const sim = simulate(preset.scenario);
      const fromPoints = new SeriesStore();
      for (const s of sim.series) fromPoints.addSeries(s.labels, s.points);
      const fromColumns = storeSimulation(sim);
      const a = [...fromPoints.series()];
      const b = [...fromColumns.series()];
      expect(b.length).toBe(a.length);
      for (let i = 0; i < a.length; i++) {
        expect(b[i]!.labels).toEqual(a[i]!.labels);
        expect(b[i]!.points).toEqual(a[i]!.points);
      }
    });
  }

  it('reads a series without columns (a copy) from its points', () => {
    const series = {
      labels: { __name__: 'up' },
      points: [
        [0, 1],
        [15_000, null],
        [30_000, 0],
      ] as const,
    };
    const c = sampleColumns({
      labels: series.labels,
      points: series.points.map((p) => [...p]) as never,
    });
    expect(Array.from(c.ts)).toEqual([0, 15_000, 30_000]);
    expect(Array.from(c.vs)).toEqual([1, NaN, 0]);
    expect(c.stale && Array.from(c.stale)).toEqual([0, 1, 0]);
  });

  it('keeps its columns out of sight: copies and JSON hold labels and points', () => {
    const series = simulate(presets[0]!.scenario).series[0]!;
    expect(Object.keys(series)).toEqual(['labels', 'points']);
    const copy = structuredClone(series);
    expect(Object.getOwnPropertySymbols(copy)).toEqual([]);
    expect(copy.points).toEqual(series.points);
    expect(sampleColumns(copy)).toEqual(sampleColumns(series));
    expect(JSON.parse(JSON.stringify(series))).toEqual({
      labels: series.labels,
      points: series.points,
    });
  });
});
