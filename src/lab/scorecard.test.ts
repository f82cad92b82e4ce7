import { describe, expect, it } from 'vitest';
import type { Member } from '../sim/index.ts';
import { alertTimeline } from '../rules/index.ts';
import { SeriesStore } from '../promql/index.ts';
import {
  alertFirings,
  alertMembers,
  computeScorecard,
  type AlertFiring,
  type Scorecard,
  type TruthSample,
} from './scorecard.ts';

const S = 1000;
const M = 60 * S;

// Five members labelled as the simulator labels them.
const members: Member[] = [1, 2, 3, 4, 5].map((i) => ({
  index: i,
  name: `etcd-${i}`,
  id: `a${i}00000000000000`.slice(0, 16),
  ip: `10.0.1.${10 + i}`,
  instance: `10.0.1.${10 + i}:2379`,
}));
const instance = (i: number) => ({ job: 'etcd', instance: `10.0.1.${10 + i}:2379` });

// One letter per evaluation, 30s apart. Truth: per member, "x" down, "p" partitioned, "." fine;
// "q" in `quorum` marks quorum lost. Alerts: "F" firing, anything else not.
interface Case {
  name: string;
  truth: Record<number, string>;
  quorum?: string;
  alerts: { labels: Record<string, string>; firing: string }[];
  want: Scorecard;
}

function score(c: Case): Scorecard {
  const n = Math.max(
    ...Object.values(c.truth).map((t) => t.length),
    ...c.alerts.map((a) => a.firing.length),
  );
  const times = Array.from({ length: n }, (_, i) => i * 30 * S);
  const truth = times.map((_, i): TruthSample => {
    const at = (ch: string) =>
      Object.entries(c.truth)
        .filter(([, t]) => t[i] === ch)
        .map(([m]) => Number(m));
    return { down: at('x'), partitioned: at('p'), quorum: c.quorum?.[i] !== 'q' };
  });
  const alerts: AlertFiring[] = c.alerts.map((a) => ({
    labels: a.labels,
    firing: [...a.firing].map((ch) => ch === 'F'),
  }));
  return computeScorecard(times, alerts, truth, members);
}

describe('computeScorecard', () => {
  const cases: Case[] = [
    {
      name: 'a quiet rule on a healthy cluster scores clean',
      truth: { 1: '.....' },
      alerts: [],
      want: { episodes: [], missedMs: 0, falseFiringMs: 0, flaps: 0 },
    },
    {
      name: 'a failure detected after two evaluations by an alert about the member',
      truth: { 3: '.xxxx.' },
      alerts: [{ labels: instance(3), firing: '...FF.' }],
      want: {
        episodes: [
          { member: 3, from: 30 * S, to: 150 * S, detectionDelay: 60 * S, missedMs: 60 * S },
        ],
        missedMs: 60 * S,
        falseFiringMs: 0,
        flaps: 0,
      },
    },
    {
      name: 'a failure never detected, running to the end',
      truth: { 2: '..xxx' },
      alerts: [],
      want: {
        episodes: [
          { member: 2, from: 60 * S, to: 120 * S, detectionDelay: null, missedMs: 60 * S },
        ],
        missedMs: 60 * S,
        falseFiringMs: 0,
        flaps: 0,
      },
    },
    {
      name: 'an eviction of member 3 while member 2 is down is not detected by the alert about 2',
      truth: { 2: 'xxxxxx', 3: '..xxxx' },
      alerts: [{ labels: instance(2), firing: 'FFFFFF' }],
      want: {
        episodes: [
          { member: 2, from: 0, to: 150 * S, detectionDelay: 0, missedMs: 0 },
          { member: 3, from: 60 * S, to: 150 * S, detectionDelay: null, missedMs: 90 * S },
        ],
        missedMs: 90 * S,
        falseFiringMs: 0,
        flaps: 0,
      },
    },
    {
      name: 'a cluster-wide alert (labelled by job only) counts for every failing member',
      truth: { 2: 'xxxxxx', 3: '..xxxx' },
      alerts: [{ labels: { job: 'etcd', severity: 'critical' }, firing: '.FFFFF' }],
      want: {
        episodes: [
          { member: 2, from: 0, to: 150 * S, detectionDelay: 30 * S, missedMs: 30 * S },
          { member: 3, from: 60 * S, to: 150 * S, detectionDelay: 0, missedMs: 0 },
        ],
        missedMs: 30 * S,
        falseFiringMs: 0,
        flaps: 0,
      },
    },
    {
      name: 'the kube pod label and the peer id in To name members too',
      truth: { 1: '.xxx', 4: '..pp' },
      alerts: [
        { labels: { pod: 'etcd-1', namespace: 'etcd' }, firing: '..FF' },
        { labels: { instance: '10.0.1.12:2379', To: 'a400000000000000' }, firing: '...F' },
      ],
      want: {
        episodes: [
          { member: 1, from: 30 * S, to: 90 * S, detectionDelay: 30 * S, missedMs: 30 * S },
          { member: 4, from: 60 * S, to: 90 * S, detectionDelay: 30 * S, missedMs: 30 * S },
        ],
        missedMs: 60 * S,
        falseFiringMs: 0,
        flaps: 0,
      },
    },
    {
      name: 'an alert about a healthy member while another is down is a false alarm',
      truth: { 2: '.xxxx' },
      alerts: [
        { labels: instance(2), firing: '.FFFF' },
        { labels: instance(1), firing: '..FF.' },
      ],
      want: {
        episodes: [{ member: 2, from: 30 * S, to: 120 * S, detectionDelay: 0, missedMs: 0 }],
        missedMs: 0,
        falseFiringMs: 60 * S,
        flaps: 0,
      },
    },
    {
      name: 'firing on a healthy cluster is a false alarm, not a flap',
      truth: { 1: '.....' },
      alerts: [{ labels: { job: 'etcd' }, firing: '.FF..' }],
      want: { episodes: [], missedMs: 0, falseFiringMs: 60 * S, flaps: 0 },
    },
    {
      name: 'a cluster-wide alert while a member is down is not false',
      truth: { 5: '.xxx.' },
      alerts: [{ labels: { job: 'etcd' }, firing: '..FF.' }],
      want: {
        episodes: [
          { member: 5, from: 30 * S, to: 120 * S, detectionDelay: 30 * S, missedMs: 30 * S },
        ],
        missedMs: 30 * S,
        falseFiringMs: 0,
        flaps: 0,
      },
    },
    {
      name: 'while quorum is lost an alert about a survivor is not false, nor does it detect',
      truth: { 2: '.xxx', 3: '.xxx' },
      quorum: '.qqq',
      alerts: [{ labels: instance(1), firing: '.FFF' }],
      want: {
        episodes: [
          { member: 2, from: 30 * S, to: 90 * S, detectionDelay: null, missedMs: 60 * S },
          { member: 3, from: 30 * S, to: 90 * S, detectionDelay: null, missedMs: 60 * S },
        ],
        missedMs: 120 * S,
        falseFiringMs: 0,
        flaps: 0,
      },
    },
    {
      name: 'quorum lost with no member down is a failure of the cluster, seen by cluster-wide alerts',
      truth: { 1: '.....' },
      quorum: '.qq..',
      alerts: [{ labels: { job: 'etcd' }, firing: '..FF.' }],
      want: {
        episodes: [
          { member: null, from: 30 * S, to: 90 * S, detectionDelay: 30 * S, missedMs: 30 * S },
        ],
        missedMs: 30 * S,
        falseFiringMs: 30 * S,
        flaps: 0,
      },
    },
    {
      name: 'an alert that resolves and fires again within 10m flaps, once per re-firing',
      truth: { 3: 'xxxxxx' },
      alerts: [{ labels: instance(3), firing: 'F.FF.F' }],
      want: {
        episodes: [{ member: 3, from: 0, to: 150 * S, detectionDelay: 0, missedMs: 60 * S }],
        missedMs: 60 * S,
        falseFiringMs: 0,
        flaps: 2,
      },
    },
    {
      name: 'two alerts taking turns are not flaps: each fires once',
      truth: { 2: 'xxxx', 3: 'xxxx' },
      alerts: [
        { labels: instance(2), firing: 'FF..' },
        { labels: instance(3), firing: '..FF' },
      ],
      want: {
        episodes: [
          { member: 2, from: 0, to: 90 * S, detectionDelay: 0, missedMs: 30 * S },
          { member: 3, from: 0, to: 90 * S, detectionDelay: 60 * S, missedMs: 60 * S },
        ],
        missedMs: 90 * S,
        falseFiringMs: 0,
        flaps: 0,
      },
    },
    {
      name: 'two failures of one member are two episodes',
      truth: { 4: 'xx..xx' },
      alerts: [{ labels: instance(4), firing: '.F...F' }],
      want: {
        episodes: [
          { member: 4, from: 0, to: 60 * S, detectionDelay: 30 * S, missedMs: 30 * S },
          { member: 4, from: 120 * S, to: 150 * S, detectionDelay: 30 * S, missedMs: 30 * S },
        ],
        missedMs: 60 * S,
        falseFiringMs: 0,
        flaps: 1,
      },
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(score(c)).toEqual(c.want);
  });

  it('does not count a re-firing more than 10m after resolving as a flap', () => {
    const times = Array.from({ length: 30 }, (_, i) => i * M);
    const firing = times.map((_, i) => i === 2 || i === 14 || i === 20);
    const truth = times.map((): TruthSample => ({ down: [], partitioned: [], quorum: true }));
    // Resolved at 3m, fired again at 14m (11m later) and at 20m (5m after resolving at 15m).
    const sc = computeScorecard(times, [{ labels: instance(1), firing }], truth, members);
    expect(sc.flaps).toBe(1);
    expect(sc.falseFiringMs).toBe(3 * M);
  });
});

describe('alertMembers', () => {
  const cases: { labels: Record<string, string>; want: number[] }[] = [
    { labels: { job: 'etcd' }, want: [] },
    { labels: { instance: '10.0.1.13:2379', job: 'etcd' }, want: [3] },
    { labels: { pod: 'etcd-2' }, want: [2] },
    { labels: { instance: '10.0.1.11:2379', To: 'a500000000000000' }, want: [1, 5] },
    { labels: { peer: 'https://10.0.1.14:2380' }, want: [4] },
    { labels: { instance: 'elsewhere:9100' }, want: [] },
  ];
  it.each(cases)('$labels names members $want', ({ labels, want }) => {
    expect(alertMembers(labels, members)).toEqual(want);
  });
});

describe('alertFirings', () => {
  it('reads each alert firing at each step from the timeline transitions', () => {
    const store = new SeriesStore();
    const t0 = 0;
    store.addSeries({ __name__: 'up', instance: 'a' }, [
      [t0, 1],
      [60 * S, 0],
      [120 * S, 0],
      [180 * S, 1],
    ]);
    store.addSeries({ __name__: 'up', instance: 'b' }, [
      [t0, 1],
      [60 * S, 1],
      [120 * S, 0],
      [180 * S, 0],
    ]);
    const tl = alertTimeline(
      { alert: 'Down', expr: 'up == 0', for: 0, keepFiringFor: 0, labels: {}, annotations: {} },
      store,
      { start: 0, end: 180 * S, interval: 60 * S },
    );
    if (!tl.ok) throw new Error(tl.error.message);
    expect(alertFirings(tl.value).map((a) => [a.labels.instance, a.firing])).toEqual([
      ['a', [false, true, true, false]],
      ['b', [false, false, true, true]],
    ]);
  });
});
