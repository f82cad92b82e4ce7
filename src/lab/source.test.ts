// Imported series are read into columns (the store's shape) and give the points the full
// parser gives, on the fast scanner's tokens and on the ones only the full parser reads.
import { describe, expect, it } from 'vitest';
import { SeriesStore, parseSeriesValues } from '../promql/index.ts';
import { loadImportedSeries, storeLoadedSeries, type ImportedSource } from './source.ts';

const values = [
  '1+1x3 _ stale 2.5 _x2 4 -3e2',
  '0x5 stale',
  '_x3 7 8',
  '1 Inf -Inf NaN',
  '1+2x2 3-1x2',
];

describe('loadImportedSeries', () => {
  it('gives the points parseSeriesValues gives, and stores them', () => {
    const source: ImportedSource = {
      kind: 'imported',
      fileName: 't.yaml',
      group: 'g',
      interval: 15_000,
      evaluationInterval: 60_000,
      start: 30_000,
      series: values.map((v, i) => ({ series: `m{i="${i}"}`, values: v })),
    };
    const loaded = loadImportedSeries(source);
    if (!loaded.ok) throw new Error('not loaded');
    const store = new SeriesStore();
    storeLoadedSeries(loaded.series, store);
    const stored = [...store.series()];
    values.forEach((v, i) => {
      const want = parseSeriesValues(v, 15_000, 30_000);
      if (!want.ok) throw new Error(want.error.message);
      expect(loaded.series[i]?.points).toEqual(want.value);
      expect(stored[i]?.points).toEqual(want.value);
    });
  });
});
