import { describe, expect, it } from 'vitest';
import type { Scorecard } from '../../lab/index.ts';
import {
  delaysText,
  isBadScore,
  scoreCellParts,
  scoreCellText,
  scoreDescription,
} from './scoreText.ts';

const S = 1000;
const M = 60 * S;
const clean: Scorecard = { episodes: [], missedMs: 0, falseFiringMs: 0, flaps: 0 };

describe('matrix cell text', () => {
  const cases: { name: string; sc: Scorecard; cell: string; bad: boolean; description: string }[] =
    [
      {
        name: 'a quiet rule on a healthy scenario',
        sc: clean,
        cell: 'quiet ✓',
        bad: false,
        description: 'No real failure. Failure time missed 0s. Firing with no failure 0s. Flaps 0.',
      },
      {
        name: 'false firing and flaps with no failure',
        sc: { ...clean, falseFiringMs: 2 * M, flaps: 3 },
        cell: 'false 2m · 3 flaps',
        bad: true,
        description: 'No real failure. Failure time missed 0s. Firing with no failure 2m. Flaps 3.',
      },
      {
        name: 'one failure detected late',
        sc: {
          episodes: [
            { member: 3, from: 10 * M, to: 60 * M, detectionDelay: 90 * S, missedMs: 90 * S },
          ],
          missedMs: 90 * S,
          falseFiringMs: 0,
          flaps: 0,
        },
        cell: 'etcd-3 1m30s · missed 1m30s',
        bad: false,
        description:
          'etcd-3 failed at 10m for 50m: fired after 1m30s, 1m30s missed. Failure time missed 1m30s. Firing with no failure 0s. Flaps 0.',
      },
      {
        name: 'one member detected, another never, with a flap',
        sc: {
          episodes: [
            { member: 2, from: 5 * M, to: 40 * M, detectionDelay: 0, missedMs: 0 },
            { member: 3, from: 20 * M, to: 40 * M, detectionDelay: null, missedMs: 20 * M },
          ],
          missedMs: 20 * M,
          falseFiringMs: 0,
          flaps: 1,
        },
        cell: 'etcd-2 0s; etcd-3 never · missed 20m · 1 flap',
        bad: true,
        description:
          'etcd-2 failed at 5m for 35m: fired after 0s, 0s missed. etcd-3 failed at 20m for 20m: no alert about it fired, 20m missed. Failure time missed 20m. Firing with no failure 0s. Flaps 1.',
      },
      {
        name: 'repeated failures of one member and a cluster-wide failure',
        sc: {
          episodes: [
            { member: 3, from: 10 * M, to: 12 * M, detectionDelay: 30 * S, missedMs: 30 * S },
            { member: null, from: 11 * M, to: 12 * M, detectionDelay: 0, missedMs: 0 },
            { member: 3, from: 16 * M, to: 18 * M, detectionDelay: null, missedMs: 2 * M },
          ],
          missedMs: 150 * S,
          falseFiringMs: 30 * S,
          flaps: 0,
        },
        cell: 'etcd-3 30s, never; cluster 0s · missed 2m30s · false 30s',
        bad: true,
        description:
          'etcd-3 failed at 10m for 2m: fired after 30s, 30s missed. cluster failed at 11m for 1m: fired after 0s, 0s missed. etcd-3 failed at 16m for 2m: no alert about it fired, 2m missed. Failure time missed 2m30s. Firing with no failure 30s. Flaps 0.',
      },
    ];
  it.each(cases)('$name', ({ sc, cell, bad, description }) => {
    expect(scoreCellText(sc)).toBe(cell);
    expect(isBadScore(sc)).toBe(bad);
    expect(scoreDescription(sc)).toBe(description);
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

  it('splits a cell where a line may break: between members and before each figure', () => {
    const sc: Scorecard = {
      episodes: [
        { member: 1, from: 0, to: M, detectionDelay: null, missedMs: M },
        { member: 2, from: 0, to: M, detectionDelay: 0, missedMs: 0 },
      ],
      missedMs: M,
      falseFiringMs: 0,
      flaps: 2,
    };
    expect(scoreCellParts(sc)).toEqual([
      { sep: '', text: 'etcd-1 never' },
      { sep: '; ', text: 'etcd-2 0s' },
      { sep: ' · ', text: 'missed 1m' },
      { sep: ' · ', text: '2 flaps' },
    ]);
    expect(scoreCellParts({ ...clean, falseFiringMs: M })).toEqual([{ sep: '', text: 'false 1m' }]);
  });

  it('writes no delays when there was no failure', () => {
    expect(delaysText(clean)).toBe('—');
  });
});
