import { describe, expect, it } from 'vitest';
import type { AlertState } from '../rules/index.ts';
import { explainAlertState } from './alertState.ts';

const MIN = 60_000;

// One letter per evaluation, a minute apart: "." inactive, "p" pending, "F" firing; one digit per
// evaluation for the number of series the expression returned.
function explain(
  states: string,
  returned: string,
  cursor: number,
  forMs: number,
  keepFiringForMs = 0,
): string {
  const st = [...states].map((c): AlertState =>
    c === 'F' ? 'firing' : c === 'p' ? 'pending' : 'inactive',
  );
  return explainAlertState({
    times: st.map((_, i) => i * MIN),
    states: st,
    returned: [...returned].map(Number),
    forMs,
    keepFiringForMs,
    cursor,
  }).join(' ');
}

describe('explainAlertState', () => {
  const cases: {
    name: string;
    states: string;
    returned: string;
    cursor: number;
    forMs: number;
    keepFiringForMs?: number;
    want: string;
  }[] = [
    {
      name: 'no output: inactive',
      states: '.....',
      returned: '00000',
      cursor: 2 * MIN,
      forMs: 5 * MIN,
      want: 'The expression returned no series here, so the alert is inactive.',
    },
    {
      name: 'no output yet, but later',
      states: '...pp',
      returned: '00011',
      cursor: MIN,
      forMs: 5 * MIN,
      want: 'The expression returned no series here, so the alert is inactive. The expression next returns a series at 3m.',
    },
    {
      name: 'pending that will fire',
      states: '.ppppF',
      returned: '011111',
      cursor: 2 * MIN,
      forMs: 4 * MIN,
      want: 'The expression returned 1 series here. The alert has been pending since 1m; with for: 4m it fires at 5m.',
    },
    {
      name: 'pending that never fires because the output goes away',
      states: '.pp...',
      returned: '022000',
      cursor: 2 * MIN,
      forMs: 20 * MIN,
      want: 'The expression returned 2 series here. The alert has been pending since 1m, but the expression stops returning series at 3m, before for: 20m has passed, so it does not fire.',
    },
    {
      name: 'just after a pending spell that fell short',
      states: '.pp...',
      returned: '011000',
      cursor: 3 * MIN,
      forMs: 20 * MIN,
      want: 'The expression returned no series here, so the alert is inactive. It was pending from 1m to 3m: 2m, less than for: 20m.',
    },
    {
      name: 'pending until the end of the timeline',
      states: '..ppp',
      returned: '00111',
      cursor: 4 * MIN,
      forMs: 20 * MIN,
      want: 'The expression returned 1 series here. The alert has been pending since 2m; with for: 20m it would fire at 22m, after the end of the timeline.',
    },
    {
      name: 'firing after pending, and when it stops',
      states: '.ppFF.',
      returned: '011110',
      cursor: 4 * MIN,
      forMs: 2 * MIN,
      want: 'The expression returned 1 series here. The alert has been firing since 3m (pending from 1m, for: 2m). It stops firing at 5m.',
    },
    {
      name: 'firing at once with for: 0s',
      states: '.FF',
      returned: '011',
      cursor: 2 * MIN,
      forMs: 0,
      want: 'The expression returned 1 series here. The alert has been firing since 1m (for: 0s, so it fires as soon as the expression returns a series).',
    },
    {
      name: 'keep_firing_for holds it',
      states: '.FFFF..',
      returned: '0110000',
      cursor: 3 * MIN,
      forMs: 0,
      keepFiringForMs: 2 * MIN,
      want: 'The expression returned no series here, but the alert has been firing since 1m and keep_firing_for: 2m holds it firing until 5m; the expression last returned a series at 2m.',
    },
    {
      name: 'keep_firing_for bridges a gap',
      states: '.FFFF',
      returned: '01101',
      cursor: 3 * MIN,
      forMs: 0,
      keepFiringForMs: 5 * MIN,
      want: 'The expression returned no series here, but the alert has been firing since 1m and keep_firing_for: 5m holds it firing, until the expression returns a series again at 4m; the expression last returned a series at 2m.',
    },
    {
      name: 'a failed evaluation keeps the previous state',
      states: '.FFF',
      returned: '0110',
      cursor: 3 * MIN,
      forMs: 0,
      want: "The expression returned no series here, yet the alert is firing: the rule's evaluation failed here, and a failed evaluation keeps the previous state.",
    },
    {
      name: 'a cursor between evaluations reads the last one',
      states: '.ppppF',
      returned: '011111',
      cursor: 2 * MIN + 30_000,
      forMs: 4 * MIN,
      want: 'The expression returned 1 series at the last evaluation (2m). The alert has been pending since 1m; with for: 4m it fires at 5m.',
    },
  ];
  it.each(cases)('$name', ({ states, returned, cursor, forMs, keepFiringForMs, want }) => {
    expect(explain(states, returned, cursor, forMs, keepFiringForMs)).toBe(want);
  });

  it('says so when the rule has no evaluations', () => {
    expect(
      explainAlertState({
        times: [],
        states: [],
        returned: [],
        forMs: 0,
        keepFiringForMs: 0,
        cursor: 0,
      }),
    ).toEqual(['The rule has not been evaluated.']);
  });
});
