import { describe, expect, it } from 'vitest';
import { computeScorecard, type Scorecard, type TruthSample } from './scorecard.ts';

const S = 1000;
const ok: TruthSample = { down: [], partitioned: [], quorum: true };
const down: TruthSample = { down: [3], partitioned: [], quorum: true };

// One letter per evaluation, 30s apart: truth "." healthy / "x" failing; states "." inactive,
// "p" pending, "F" firing.
function score(truth: string, states: string): Scorecard {
  const times = [...truth].map((_, i) => i * 30 * S);
  const st = [...states].map((c) => (c === 'F' ? 'firing' : c === 'p' ? 'pending' : 'inactive'));
  return computeScorecard(
    times,
    st,
    [...truth].map((c) => (c === 'x' ? down : ok)),
  );
}

describe('computeScorecard', () => {
  const cases: { name: string; truth: string; states: string; want: Scorecard }[] = [
    {
      name: 'a quiet rule on a healthy cluster scores clean',
      truth: '.....',
      states: '.....',
      want: { episodes: [], missedMs: 0, falseFiringMs: 0, flaps: 0 },
    },
    {
      name: 'a failure detected after two evaluations',
      truth: '.xxxx.',
      states: '.ppFF.',
      want: {
        episodes: [{ from: 30 * S, to: 150 * S, detectionDelay: 60 * S }],
        missedMs: 60 * S,
        falseFiringMs: 0,
        flaps: 0,
      },
    },
    {
      name: 'a failure never detected, running to the end',
      truth: '..xxx',
      states: '.....',
      want: {
        episodes: [{ from: 60 * S, to: 120 * S, detectionDelay: null }],
        missedMs: 60 * S,
        falseFiringMs: 0,
        flaps: 0,
      },
    },
    {
      name: 'firing on a healthy cluster is a false alarm and a flap',
      truth: '.....',
      states: '.FF..',
      want: { episodes: [], missedMs: 0, falseFiringMs: 60 * S, flaps: 1 },
    },
    {
      name: 'firing again within one failure is a flap',
      truth: 'xxxxxx',
      states: 'F.FF.F',
      want: {
        episodes: [{ from: 0, to: 150 * S, detectionDelay: 0 }],
        missedMs: 60 * S,
        falseFiringMs: 0,
        flaps: 2,
      },
    },
  ];
  it.each(cases)('$name', ({ truth, states, want }) => {
    expect(score(truth, states)).toEqual(want);
  });
});
