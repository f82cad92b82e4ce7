import { describe, expect, it } from 'vitest';
import { createRng } from '../../../tests/differential/rng.ts';
import { CHART_COLUMNS, MAX_WHOLE_ROWS, chartRows } from './chartRows.ts';

const line = (key: string, values: (number | null)[]) => ({ key, labels: {}, values });

describe('chartRows', () => {
  it('draws a short timeline whole', () => {
    const times = Array.from({ length: MAX_WHOLE_ROWS }, (_, i) => i * 15_000);
    const rows = chartRows(times, [
      line(
        'a',
        times.map(() => 1),
      ),
    ]);
    expect(rows).toHaveLength(MAX_WHOLE_ROWS);
  });

  // 24h at 15s: 5761 evaluations; a spike of one evaluation anywhere must be drawn.
  it('keeps a one-sample spike (and dip) anywhere in a day at 15s', () => {
    const n = 24 * 240 + 1;
    const times = Array.from({ length: n }, (_, i) => i * 15_000);
    const rand = createRng(11).next;
    for (let trial = 0; trial < 200; trial++) {
      const at = Math.floor(rand() * n);
      const spike = times.map((_, j) => (j === at ? 5 : 1));
      const dip = times.map((_, j) => (j === at ? -3 : 1));
      const rows = chartRows(times, [line('a', spike), line('b', dip)]);
      expect(rows.length).toBeLessThan(n / 2);
      const row = rows.find((r) => r['t'] === times[at]);
      expect(row?.['s0']).toBe(5);
      expect(row?.['s1']).toBe(-3);
    }
  });

  it('keeps every column extreme of every line, and the ends', () => {
    const n = 10_000;
    const times = Array.from({ length: n }, (_, i) => i);
    const rand = createRng(3).next;
    const values = times.map(() => Math.round(rand() * 1000));
    const rows = chartRows(times, [line('a', values)]);
    const kept = new Set(rows.map((r) => r['t']));
    expect(kept.has(0) && kept.has(n - 1)).toBe(true);
    const per = n / CHART_COLUMNS;
    for (let c = 0; c < CHART_COLUMNS; c++) {
      const slice = values.slice(Math.floor(c * per), Math.floor((c + 1) * per));
      const inColumn = rows.filter(
        (r) =>
          (r['t'] as number) >= Math.floor(c * per) &&
          (r['t'] as number) < Math.floor((c + 1) * per),
      );
      const drawn = inColumn.map((r) => r['s0'] as number);
      expect(Math.max(...drawn)).toBe(Math.max(...slice));
      expect(Math.min(...drawn)).toBe(Math.min(...slice));
    }
  });

  it('keeps where a line starts and stops, and the sample before a gap', () => {
    const n = 5000;
    const times = Array.from({ length: n }, (_, i) => i);
    const values = times.map((j) => (j >= 1234 && j < 2345 ? null : 1));
    const rows = chartRows(times, [line('a', values)]);
    const at = (t: number) => rows.find((r) => r['t'] === t)?.['s0'];
    expect(at(1233)).toBe(1);
    expect(at(1234)).toBe(null);
    expect(at(2344)).toBe(null);
    expect(at(2345)).toBe(1);
  });

  it('leaves out rows that repeat the row before, but keeps the first and the last', () => {
    const n = 24 * 240 + 1;
    const times = Array.from({ length: n }, (_, i) => i * 15_000);
    const flat = chartRows(times, [
      line(
        'a',
        times.map(() => 1),
      ),
    ]);
    // The first row, and the last row, which ends the line.
    expect(flat.map((r) => r['t'])).toEqual([0, times[n - 1]]);
    expect(flat[flat.length - 1]?.['t']).toBe(times[n - 1]);
  });

  it('draws the same steps as every sample where values change seldom', () => {
    const n = 24 * 240 + 1;
    const times = Array.from({ length: n }, (_, i) => i * 15_000);
    // A member down now and then, a gap in its series, a count that moves in steps: no column
    // (14 or 15 samples) holds more than one change.
    const up = times.map((_, j) => (Math.floor(j / 97) % 11 === 3 ? 0 : 1));
    const gappy = times.map((_, j) => (j > 2000 && j < 2600 ? null : Math.floor(j / 500)));
    const steps = times.map((_, j) => Math.floor(j / 300) % 4);
    const lines = [line('up', up), line('gappy', gappy), line('steps', steps)];
    const rows = chartRows(times, lines);
    expect(rows.length).toBeLessThan(n / 4);
    // A step line holds each row's value until the next row: at every time, the value drawn is
    // the value of the last row at or before it.
    let r = 0;
    times.forEach((t, j) => {
      while (r + 1 < rows.length && (rows[r + 1]?.['t'] as number) <= t) r++;
      lines.forEach((l, i) => expect(rows[r]?.[`s${i}`]).toBe(l.values[j]));
    });
  });
});
