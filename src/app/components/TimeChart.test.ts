import { describe, expect, it } from 'vitest';
import { countTicks } from './TimeChart.tsx';

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
