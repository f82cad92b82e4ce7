import { describe, expect, it } from 'vitest';
import type { JudgedScorecard, Judgement, Scorecard } from '../../lab/index.ts';
import {
  delaysText,
  gradeClass,
  scoreCellParts,
  scoreCellText,
  scoreDescription,
} from './scoreText.ts';

const S = 1000;
const M = 60 * S;
const clean: Scorecard = { episodes: [], missedMs: 0, falseFiringMs: 0, flaps: 0 };

const intent = { catches: 'member' as const, toleranceMs: 5 * M, deadlineMs: 15 * M };
const judged = (sc: Scorecard, j: Partial<Judgement>): JudgedScorecard => ({
  ...sc,
  judgement: {
    intent,
    failures: [],
    falseFiringMs: 0,
    noiseMs: 0,
    flaps: 0,
    grade: 'good',
    ...j,
  },
});

describe('matrix cell text', () => {
  const cases: {
    name: string;
    sc: JudgedScorecard;
    cell: string;
    cls: string;
    description: string;
  }[] = [
    {
      name: 'a quiet rule on a healthy scenario',
      sc: judged(clean, {}),
      cell: 'nothing to catch, and quiet',
      cls: 'cell-good',
      description:
        'Intent: catches a member down or cut off for longer than 5m, within 15m of its start. Verdict: nothing to catch, and quiet. No real failure.',
    },
    {
      name: 'false firing and flaps with no failure, in words',
      sc: judged(
        { ...clean, falseFiringMs: 2 * M, flaps: 3 },
        {
          falseFiringMs: 2 * M,
          flaps: 3,
          grade: 'noisy',
        },
      ),
      cell: 'fired with nothing failing: 2m · 3 flaps',
      cls: 'cell-noisy',
      description:
        'Intent: catches a member down or cut off for longer than 5m, within 15m of its start. Verdict: fired with nothing failing: 2m; 3 flaps. No real failure.',
    },
    {
      name: 'a failure missed, with its member and length',
      sc: judged(
        {
          episodes: [
            { member: 3, from: 10 * M, to: 60 * M, detectionDelay: null, missedMs: 50 * M },
          ],
          missedMs: 50 * M,
          falseFiringMs: 0,
          flaps: 0,
        },
        {
          failures: [
            {
              member: 3,
              from: 10 * M,
              to: 60 * M,
              toEnd: true,
              detectionDelay: null,
              verdict: 'missed',
            },
          ],
          grade: 'misses',
        },
      ),
      cell: 'missed etcd-3 down for 50m to the end',
      cls: 'cell-bad',
      description:
        'Intent: catches a member down or cut off for longer than 5m, within 15m of its start. Verdict: missed etcd-3 down for 50m to the end. etcd-3 failed at 10m for 50m: no alert about it fired.',
    },
    {
      name: 'paging on restarts it should tolerate',
      sc: judged(
        {
          episodes: [{ member: 2, from: 10 * M, to: 11 * M, detectionDelay: 0, missedMs: 0 }],
          missedMs: 0,
          falseFiringMs: 0,
          flaps: 0,
        },
        {
          failures: [
            {
              member: 2,
              from: 10 * M,
              to: 11 * M,
              toEnd: false,
              detectionDelay: 0,
              verdict: 'tolerated',
            },
          ],
          noiseMs: M,
          grade: 'noisy',
        },
      ),
      cell: 'fired on failures shorter than its tolerance 5m: 1m',
      cls: 'cell-noisy',
      description:
        'Intent: catches a member down or cut off for longer than 5m, within 15m of its start. Verdict: fired on failures shorter than its tolerance 5m: 1m. etcd-2 failed at 10m for 1m: fired after 0s.',
    },
  ];
  it.each(cases)('$name', ({ sc, cell, cls, description }) => {
    expect(scoreCellText(sc)).toBe(cell);
    expect(gradeClass(sc)).toBe(cls);
    expect(scoreDescription(sc)).toBe(description);
    expect(
      scoreCellParts(sc)
        .map((p) => p.sep + p.text)
        .join(''),
    ).toBe(cell);
  });

  it('counts repeated equal delays of one member', () => {
    const episode = (from: number, detectionDelay: number | null) => ({
      member: 3,
      from,
      to: from + M,
      detectionDelay,
      missedMs: 0,
    });
    const sc: Scorecard = {
      ...clean,
      episodes: [episode(0, 0), episode(2 * M, 0), episode(4 * M, null), episode(6 * M, 0)],
    };
    expect(delaysText(sc)).toBe('etcd-3 0s ×2, never, 0s');
  });

  it('writes no delays when there was no failure', () => {
    expect(delaysText(clean)).toBe('—');
  });
});
