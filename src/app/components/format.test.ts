import { describe, expect, it } from 'vitest';
import { timeTicks } from './format.ts';

describe('timeTicks', () => {
  const cases: { end: number; ticks: number[] }[] = [
    { end: 3600_000, ticks: [0, 15, 30, 45, 60].map((m) => m * 60_000) },
    { end: 62 * 60_000, ticks: [0, 15, 30, 45, 60].map((m) => m * 60_000) },
    { end: 10 * 60_000, ticks: [0, 2, 4, 6, 8, 10].map((m) => m * 60_000) },
    { end: 6 * 3600_000, ticks: [0, 2, 4, 6].map((h) => h * 3600_000) },
    { end: 0, ticks: [0] },
  ];
  it.each(cases)('puts round ticks on a $end ms axis', ({ end, ticks }) => {
    expect(timeTicks(end)).toEqual(ticks);
  });
});
