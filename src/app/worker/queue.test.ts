import { describe, expect, it } from 'vitest';
import { newestOfEachKind } from './queue.ts';

describe('newestOfEachKind', () => {
  const cases: { name: string; queue: [string, number][]; want: [string, number][] }[] = [
    { name: 'nothing queued', queue: [], want: [] },
    { name: 'one request', queue: [['evaluate', 1]], want: [['evaluate', 1]] },
    {
      name: 'a drag: only the newest evaluation runs',
      queue: [
        ['evaluate', 4],
        ['evaluate', 5],
        ['evaluate', 6],
      ],
      want: [['evaluate', 6]],
    },
    {
      name: 'kinds are independent, and keep their order of arrival',
      queue: [
        ['lint', 2],
        ['evaluate', 7],
        ['explain', 3],
        ['evaluate', 8],
        ['lint', 3],
      ],
      want: [
        ['explain', 3],
        ['evaluate', 8],
        ['lint', 3],
      ],
    },
  ];
  it.each(cases)('$name', ({ queue, want }) => {
    const asRequests = (xs: [string, number][]) => xs.map(([kind, id]) => ({ kind, id }));
    expect(newestOfEachKind(asRequests(queue))).toEqual(asRequests(want));
  });
});
