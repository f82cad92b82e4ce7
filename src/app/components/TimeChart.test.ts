import { describe, expect, it } from 'vitest';
import { countTicks, syncedRow } from './TimeChart.tsx';

const line = (values: (number | null)[]) => ({ key: 'k', labels: {}, values });

describe('countTicks', () => {
  it.each([
    { name: 'up (0 or 1)', values: [1, 1, null, 0], ticks: [0, 1] },
    { name: 'a flat 0', values: [0, 0], ticks: [0, 1] },
    { name: 'members down', values: [0, 1, 3], ticks: [0, 1, 2, 3] },
    { name: 'a rate', values: [0, 0.5], ticks: undefined },
    { name: 'a count too large to tick each', values: [0, 40], ticks: undefined },
  ])('ticks $name at $ticks', ({ values, ticks }) => {
    expect(countTicks([line(values)])).toEqual(ticks);
  });
});

describe('syncedRow', () => {
  const ticks = [0, 60_000, 3_600_000, 86_400_000].map((value, index) => ({
    value,
    index,
    coordinate: index * 10,
  }));
  it.each([
    { label: 0, row: 0 },
    { label: 59_999, row: 0 },
    { label: 60_000, row: 1 },
    { label: 43_200_000, row: 2 },
    { label: 86_400_000, row: 3 },
  ])('shows the row that holds at $label', ({ label, row }) => {
    expect(syncedRow(ticks, { activeLabel: String(label) } as never)).toBe(row);
  });
});
