import { describe, expect, it } from 'vitest';
import { quorumSize, simulate, truthAt } from '../../src/sim/index.ts';
import type { ScenarioEvent } from '../../src/sim/index.ts';
import { instance, min, oneSeries, scenarioOf, valueAt } from './helpers.ts';

describe('quorum arithmetic', () => {
  const cases = [
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
    [6, 4],
    [7, 4],
  ] as const;
  it.each(cases)('a %i-member cluster needs %i members for a quorum', (n, q) => {
    expect(quorumSize(n)).toBe(q);
  });

  it.each(cases)('a healthy %i-member cluster survives n - quorum failures', (n, q) => {
    const sim = simulate(scenarioOf({ members: n, duration: min(5) }));
    expect(sim.truth[0]).toMatchObject({ leader: 1, quorum: true, canSurvive: n - q, down: [] });
  });
});

describe('elections', () => {
  it('keeps the leader when a follower crashes', () => {
    const sim = simulate(scenarioOf({ events: [{ kind: 'crash', at: min(10), member: 2 }] }));
    expect(sim.events.filter((e) => e.kind === 'leader-elected')).toEqual([]);
    expect(truthAt(sim, min(30))).toMatchObject({
      leader: 1,
      down: [2],
      quorum: true,
      canSurvive: 0,
    });
  });

  it('elects a new leader one to two election timeouts after the leader crashes', () => {
    const sim = simulate(scenarioOf({ events: [{ kind: 'crash', at: min(10), member: 1 }] }));
    const elected = sim.events.filter((e) => e.kind === 'leader-elected');
    expect(elected).toHaveLength(1);
    const e = elected[0]!;
    expect(e.t - min(10)).toBeGreaterThanOrEqual(1000);
    expect(e.t - min(10)).toBeLessThan(2000);
    expect([2, 3]).toContain(e.member);
    expect(truthAt(sim, min(10) + 500).leader).toBeNull();
    expect(truthAt(sim, min(11)).leader).toBe(e.member);
    // Each survivor counts the change it sees.
    for (const m of [2, 3]) {
      const lc = oneSeries(sim, 'etcd_server_leader_changes_seen_total', {
        instance: instance(sim, m),
      });
      expect(valueAt(lc, min(10))).toBe(1);
      expect(valueAt(lc, min(11))).toBe(2);
    }
  });

  it('loses the leader when a quorum is gone: CheckQuorum steps it down', () => {
    const sim = simulate(
      scenarioOf({
        events: [
          { kind: 'crash', at: min(10), member: 2 },
          { kind: 'crash', at: min(10), member: 3 },
        ],
      }),
    );
    const down = sim.events.find((e) => e.kind === 'leader-step-down');
    expect(down?.member).toBe(1);
    expect(down!.t - min(10)).toBeGreaterThanOrEqual(1000);
    expect(down!.t - min(10)).toBeLessThan(2000);
    expect(truthAt(sim, min(20))).toMatchObject({ leader: null, quorum: false, canSurvive: -1 });
    const has = oneSeries(sim, 'etcd_server_has_leader', { instance: instance(sim, 1) });
    const is = oneSeries(sim, 'etcd_server_is_leader', { instance: instance(sim, 1) });
    expect(valueAt(has, min(10))).toBe(1);
    expect(valueAt(has, min(10.5))).toBe(0);
    expect(valueAt(is, min(10.5))).toBe(0);
  });

  it('lets the majority side of a partition elect while the old leader steps down', () => {
    const sim = simulate(
      scenarioOf({
        members: 5,
        events: [
          {
            kind: 'partition',
            at: min(10),
            until: min(40),
            groups: [
              [1, 2],
              [3, 4, 5],
            ],
          },
        ],
      }),
    );
    const t = min(20);
    const truth = truthAt(sim, t);
    expect([3, 4, 5]).toContain(truth.leader);
    expect(truth).toMatchObject({ partitioned: [1, 2], quorum: true, canSurvive: 0, down: [] });
    for (const m of [1, 2]) {
      const has = oneSeries(sim, 'etcd_server_has_leader', { instance: instance(sim, m) });
      expect(valueAt(has, t)).toBe(0);
    }
    expect(sim.events.some((e) => e.kind === 'leader-step-down' && e.member === 1)).toBe(true);
    // After healing, the old leader follows the new one; nobody else is elected.
    expect(truthAt(sim, min(50))).toMatchObject({ leader: truth.leader, partitioned: [] });
    expect(sim.events.filter((e) => e.kind === 'leader-elected')).toHaveLength(1);
  });

  it('does not disturb the leader when an isolated member comes back (PreVote)', () => {
    const sim = simulate(
      scenarioOf({ events: [{ kind: 'partition', at: min(10), until: min(20), groups: [[3]] }] }),
    );
    expect(sim.events.filter((e) => e.kind === 'leader-elected')).toEqual([]);
    for (const t of [min(15), min(25)]) expect(truthAt(sim, t).leader).toBe(1);
    expect(truthAt(sim, min(15)).partitioned).toEqual([3]);
    const has3 = oneSeries(sim, 'etcd_server_has_leader', { instance: instance(sim, 3) });
    expect(valueAt(has3, min(15))).toBe(0);
    expect(valueAt(has3, min(25))).toBe(1);
  });

  it('hands leadership over at once when the leader restarts gracefully', () => {
    const sim = simulate(
      scenarioOf({
        events: [{ kind: 'restart', at: min(10), until: min(10) + 20_000, member: 1 }],
      }),
    );
    const transfer = sim.events.find((e) => e.kind === 'leader-transfer');
    expect(transfer?.t).toBe(min(10));
    expect(truthAt(sim, min(10) + 1).leader).toBe(transfer!.member);
    expect(sim.events.filter((e) => e.kind === 'leader-elected')).toEqual([]);
  });

  it('elects only a member with an up-to-date log when quorum comes back', () => {
    const events: ScenarioEvent[] = [
      { kind: 'crash', at: min(10), until: min(30), member: 2 },
      { kind: 'crash', at: min(20), member: 3 },
    ];
    const sim = simulate(scenarioOf({ events }));
    const elected = sim.events.filter((e) => e.kind === 'leader-elected');
    expect(elected.map((e) => e.member)).toEqual([1]);
    expect(elected[0]!.t).toBeGreaterThan(min(30));
    expect(elected[0]!.t).toBeLessThan(min(30) + 4000);
  });

  it('treats a 4-member cluster with two members down as stopped', () => {
    const sim = simulate(
      scenarioOf({
        members: 4,
        events: [
          { kind: 'crash', at: min(10), member: 3 },
          { kind: 'crash', at: min(10), member: 4 },
        ],
      }),
    );
    expect(truthAt(sim, min(20))).toMatchObject({ leader: null, quorum: false, canSurvive: -1 });
  });

  it('brings a one-member cluster back as its own leader after a restart', () => {
    const sim = simulate(
      scenarioOf({
        members: 1,
        events: [{ kind: 'crash', at: min(10), until: min(12), member: 1 }],
      }),
    );
    expect(truthAt(sim, min(11))).toMatchObject({ leader: null, down: [1], quorum: false });
    expect(truthAt(sim, min(13))).toMatchObject({
      leader: 1,
      down: [],
      quorum: true,
      canSurvive: 0,
    });
  });

  it('changes the leader on every churn tick', () => {
    const sim = simulate(
      scenarioOf({
        events: [{ kind: 'leader-churn', at: min(10), until: min(30), every: min(2) }],
      }),
    );
    const elected = sim.events.filter((e) => e.kind === 'leader-elected');
    expect(elected.length).toBe(9);
    elected.forEach((e, i) => {
      const prev = i === 0 ? 1 : elected[i - 1]!.member;
      expect(e.member).not.toBe(prev);
    });
  });

  it('keeps a member that only stops hearing the leader campaigning in vain', () => {
    const sim = simulate(
      scenarioOf({
        events: [{ kind: 'one-way-loss', at: min(10), until: min(20), member: 1, to: [3] }],
      }),
    );
    expect(sim.events.filter((e) => e.kind === 'leader-elected')).toEqual([]);
    expect(truthAt(sim, min(15))).toMatchObject({ leader: 1, partitioned: [3], canSurvive: 0 });
  });
});

describe('simulate', () => {
  it('refuses an invalid scenario with the validation errors', () => {
    expect(() => simulate(scenarioOf({ members: 9 }))).toThrow(
      'invalid scenario: members: must be between 1 and 7, got 9',
    );
  });
});

describe('determinism', () => {
  it('gives the same output for the same seed', () => {
    const s = scenarioOf({ events: [{ kind: 'crash', at: min(10), member: 1 }] });
    const a = simulate(s);
    const b = simulate(s);
    expect(JSON.stringify(b.series)).toBe(JSON.stringify(a.series));
    expect(b.events).toEqual(a.events);
  });

  it('gives other ids and traffic for another seed', () => {
    const a = simulate(scenarioOf({ seed: 1 }));
    const b = simulate(scenarioOf({ seed: 2 }));
    expect(a.members.map((m) => m.id)).not.toEqual(b.members.map((m) => m.id));
  });
});
