// A member cut off by a partition or a one-way loss, as recorded on a real etcd 3.4.23 cluster
// (recordings/partition-oneway): a follower counts 2 failed sends toward a member it is cut from,
// as after a crash; under 3.4 (no PreVote) the member deposes the leader once when it rejoins,
// and the others elect a new leader after one or more of its campaigns (measured: 4.1 s and
// 2.6 s after the heal, one election each time).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/index.ts';
import type { ScenarioEvent } from '../../src/sim/index.ts';
import { findSeries, id, instance, scenarioOf, valueAt } from './helpers.ts';

const s = (x: number): number => x * 1000;

const failures = (
  events: ScenarioEvent[],
  from: number,
  to: number,
  etcdVersion: '3.4' | '3.5' = '3.4',
): (number | null)[] => {
  const sim = simulate(
    scenarioOf({
      scrapeInterval: s(5),
      scrapeTimeout: s(5),
      evaluationInterval: s(5),
      duration: s(180),
      etcdVersion,
      events,
    }),
  );
  return findSeries(sim, 'etcd_network_peer_sent_failures_total', {
    instance: instance(sim, from),
    To: id(sim, to),
  }).map((x) => (valueAt(x, s(175)) ?? null) as number | null);
};

describe('failed sends a follower counts toward a member it loses', () => {
  const cases: {
    name: string;
    events: ScenarioEvent[];
    from: number;
    to: number;
    want: (number | null)[];
    version?: '3.4' | '3.5';
  }[] = [
    {
      name: 'a crashed member: 2, once',
      events: [{ kind: 'crash', at: s(20), until: s(70), member: 3 }],
      from: 2,
      to: 3,
      want: [2],
    },
    {
      name: 'a partitioned member: 2, once (measured: 2→3 appears and stays at 2)',
      events: [{ kind: 'partition', at: s(20), until: s(70), groups: [[3]] }],
      from: 2,
      to: 3,
      want: [2],
    },
    {
      name: 'a partitioned member, etcd 3.5: the same',
      events: [{ kind: 'partition', at: s(20), until: s(70), groups: [[3]] }],
      version: '3.5',
      from: 2,
      to: 3,
      want: [2],
    },
    {
      name: 'a one-way loss from the leader: no follower series (measured: none)',
      events: [{ kind: 'one-way-loss', at: s(110), until: s(150), member: 1, to: [3] }],
      from: 2,
      to: 3,
      want: [],
    },
    {
      name: 'a hung member: none (the kernel buffers the writes)',
      events: [{ kind: 'hang', at: s(20), until: s(70), member: 3 }],
      from: 2,
      to: 3,
      want: [],
    },
  ];
  it.each(cases)('$name', ({ events, from, to, want, version }) => {
    expect(failures(events, from, to, version)).toEqual(want);
  });
});

describe('a cut-off member rejoining', () => {
  const cut: ScenarioEvent[] = [{ kind: 'partition', at: s(20), until: s(70), groups: [[3]] }];
  const oneWay: ScenarioEvent[] = [
    { kind: 'one-way-loss', at: s(110), until: s(150), member: 1, to: [3] },
  ];
  const cases: {
    name: string;
    events: ScenarioEvent[];
    heal: number;
    version: '3.4' | '3.5';
    elections: number;
  }[] = [
    {
      name: '3.4, partition: deposes the leader once',
      events: cut,
      heal: s(70),
      version: '3.4',
      elections: 1,
    },
    {
      name: '3.4, one-way loss: deposes the leader once',
      events: oneWay,
      heal: s(150),
      version: '3.4',
      elections: 1,
    },
    {
      name: '3.5, partition: PreVote, nobody notices',
      events: cut,
      heal: s(70),
      version: '3.5',
      elections: 0,
    },
    {
      name: '3.5, one-way loss: PreVote, nobody notices',
      events: oneWay,
      heal: s(150),
      version: '3.5',
      elections: 0,
    },
  ];
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  it.each(cases)('$name', ({ events, heal, version, elections }) => {
    const delays: number[] = [];
    for (const seed of seeds) {
      const sim = simulate(
        scenarioOf({
          scrapeInterval: s(5),
          scrapeTimeout: s(5),
          evaluationInterval: s(5),
          duration: s(180),
          etcdVersion: version,
          seed,
          events,
        }),
      );
      const after = sim.events.filter((e) => e.t >= heal && e.t < heal + s(10));
      const elected = after.filter((e) => e.kind === 'leader-elected');
      expect(elected).toHaveLength(elections);
      const deposed = after.filter((e) => e.kind === 'leader-step-down');
      expect(deposed).toHaveLength(elections);
      if (elections === 0) continue;
      // The leader steps down on the member's first answer at its higher term.
      expect(deposed[0]!.t - heal).toBeLessThanOrEqual(100);
      // It cannot win (its log is behind): a member of the majority is elected.
      expect(elected[0]!.member).not.toBe(3);
      delays.push(elected[0]!.t - heal);
    }
    if (elections === 0) return;
    // At least one round of [1 s, 2 s) after the step-down; more when its campaign comes first.
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(1000);
    for (const d of delays) expect(d).toBeLessThan(6000);
    expect(Math.max(...delays)).toBeGreaterThan(2200);
  });
});
