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

/** An imported source of series m{i="0"}, m{i="1"}, … with these values texts. */
function sourceOf(texts: string[]): ImportedSource {
  return {
    kind: 'imported',
    fileName: 't.yaml',
    group: 'g',
    interval: 15_000,
    evaluationInterval: 60_000,
    start: 30_000,
    series: texts.map((v, i) => ({ series: `m{i="${i}"}`, values: v })),
  };
}

describe('loadImportedSeries', () => {
  it('gives the points parseSeriesValues gives, and stores them', () => {
    // Each text twice (series that write the same text share its columns), and a long one.
    const texts = [
      ...values,
      ...values,
      Array.from({ length: 3000 }, (_, i) => (i % 9 === 0 ? 'stale' : String(i / 8))).join(' '),
    ];
    const loaded = loadImportedSeries(sourceOf(texts));
    if (!loaded.ok) throw new Error('not loaded');
    const store = new SeriesStore();
    storeLoadedSeries(loaded.series, store);
    const stored = [...store.series()];
    expect(stored.length).toBe(texts.length);
    texts.forEach((v, i) => {
      const want = parseSeriesValues(v, 15_000, 30_000);
      if (!want.ok) throw new Error(want.error.message);
      expect(loaded.series[i]?.points).toEqual(want.value);
      expect(stored.find((s) => s.labels['i'] === String(i))?.points).toEqual(want.value);
    });
  });

  it('names every series whose values do not read, the same text or not', () => {
    const loaded = loadImportedSeries(sourceOf(['1 2', '1 x', '3', '1 x']));
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map((e) => [e.index, e.part, e.from])).toEqual([
      [1, 'values', 2],
      [3, 'values', 2],
    ]);
  });
});
