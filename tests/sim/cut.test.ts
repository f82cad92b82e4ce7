// A member cut off by a partition or a one-way loss, as recorded on a real etcd 3.4.23 cluster
// (recordings/partition-oneway): a follower counts 2 failed sends toward a member it is cut from,
// as after a crash.
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
