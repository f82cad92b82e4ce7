import { describe, expect, it } from 'vitest';
import type { Scenario } from '../sim/index.ts';
import { defaultScenario, validateScenario, type ScenarioEvent } from '../sim/index.ts';
import {
  addEvent,
  changeSettings,
  deleteEvent,
  describeEvent,
  laneEventKind,
  laneOf,
  moveEvent,
  resizeCluster,
  resizeEvent,
  type EditResult,
  type Lane,
  type NewEventKind,
} from './timelineEdit.ts';

const S = 1000;
const M = 60 * S;
const base: Scenario = {
  ...defaultScenario,
  events: [{ kind: 'crash', member: 2, at: 10 * M, until: 15 * M }],
};
const grid = 30 * S;
const atZero: Scenario = { ...base, events: [{ kind: 'crash', member: 2, at: 0, until: 5 * M }] };
const toEnd: Scenario = { ...base, events: [{ kind: 'evict', member: 3, at: 10 * M }] };

function events(r: ReturnType<typeof moveEvent>) {
  if (!r.ok) throw new Error(r.error);
  return r.scenario.events;
}

describe('timeline edits', () => {
  it('moves an event, keeping its length, snapped to the scrape grid', () => {
    expect(events(moveEvent(base, 0, 2 * M + 7 * S, grid))).toEqual([
      { kind: 'crash', member: 2, at: 12 * M, until: 17 * M },
    ]);
  });

  it('keeps a moved event inside the scenario', () => {
    expect(events(moveEvent(base, 0, -60 * M, grid))[0]).toMatchObject({ at: 0, until: 5 * M });
    expect(events(moveEvent(base, 0, 600 * M, grid))[0]).toMatchObject({
      at: 55 * M,
      until: 60 * M,
    });
  });

  it('resizes an event, never below one grid step, and to the end of the scenario', () => {
    expect(events(resizeEvent(base, 0, 20 * M, grid))[0]).toMatchObject({
      at: 10 * M,
      until: 20 * M,
    });
    expect(events(resizeEvent(base, 0, 0, grid))[0]).toMatchObject({ until: 10 * M + grid });
    expect(events(resizeEvent(base, 0, 99 * M, grid))[0]).not.toHaveProperty('until');
  });

  it('adds an event of the chosen kind to a lane', () => {
    const added = events(
      addEvent(base, { kind: 'member', member: 3 }, 'scrape-failure', 20 * M + 5 * S, 5 * M, grid),
    );
    expect(added[1]).toEqual({ kind: 'scrape-failure', member: 3, at: 20 * M, until: 25 * M });
    const outage = events(addEvent(base, { kind: 'prometheus' }, 'crash', 30 * M, 5 * M, grid));
    expect(outage[1]).toEqual({ kind: 'prometheus-outage', at: 30 * M, until: 35 * M });
    const partition = events(
      addEvent(base, { kind: 'member', member: 1 }, 'partition', 30 * M, 5 * M, grid),
    );
    expect(partition[1]).toEqual({ kind: 'partition', groups: [[1]], at: 30 * M, until: 35 * M });
    expect(laneOf(partition[1] ?? base.events[0]!)).toEqual({ kind: 'member', member: 1 });
    expect(describeEvent(partition[1] ?? base.events[0]!)).toBe('partition {1}');
  });

  it('returns the very same scenario for an edit that changes nothing', () => {
    const cases: { name: string; before: Scenario; edit: (s: Scenario) => EditResult }[] = [
      {
        name: 'a click on a bar: a move of 0',
        before: base,
        edit: (s) => moveEvent(s, 0, 0, grid),
      },
      {
        name: 'a move smaller than half a grid step',
        before: base,
        edit: (s) => moveEvent(s, 0, 10 * S, grid),
      },
      {
        name: 'a move left of an event already at 0',
        before: atZero,
        edit: (s) => moveEvent(s, 0, -grid, grid),
      },
      {
        name: 'a resize to the same end',
        before: base,
        edit: (s) => resizeEvent(s, 0, 15 * M, grid),
      },
      {
        name: 'a resize past the end of an event that runs to the end',
        before: toEnd,
        edit: (s) => resizeEvent(s, 0, 99 * M, grid),
      },
    ];
    for (const c of cases) {
      const r = c.edit(c.before);
      expect(r.ok && r.scenario, c.name).toBe(c.before);
    }
  });

  it('does not snap an off-grid event that a click does not move', () => {
    const offGrid: Scenario = {
      ...base,
      events: [{ kind: 'crash', member: 2, at: 10 * M + 7 * S }],
    };
    const r = moveEvent(offGrid, 0, 0, grid);
    expect(r.ok && r.scenario).toBe(offGrid);
  });

  it('adds the chosen kind where the lane takes it, else the lane default', () => {
    const cases: { lane: Lane; chosen: NewEventKind; want: string }[] = [
      { lane: { kind: 'member', member: 2 }, chosen: 'evict', want: 'evict' },
      { lane: { kind: 'member', member: 2 }, chosen: 'slow-network', want: 'slow-network' },
      { lane: { kind: 'member', member: 2 }, chosen: 'leader-churn', want: 'crash' },
      { lane: { kind: 'member', member: 2 }, chosen: 'db-growth', want: 'crash' },
      { lane: { kind: 'cluster' }, chosen: 'leader-churn', want: 'leader-churn' },
      { lane: { kind: 'cluster' }, chosen: 'slow-network', want: 'slow-network' },
      { lane: { kind: 'cluster' }, chosen: 'db-growth', want: 'db-growth' },
      { lane: { kind: 'cluster' }, chosen: 'crash', want: 'leader-churn' },
      { lane: { kind: 'cluster' }, chosen: 'partition', want: 'leader-churn' },
      { lane: { kind: 'prometheus' }, chosen: 'slow-network', want: 'prometheus-outage' },
    ];
    for (const c of cases) {
      expect(laneEventKind(c.lane, c.chosen), `${c.chosen} on ${c.lane.kind}`).toBe(c.want);
      const added = events(addEvent(base, c.lane, c.chosen, 30 * M, 5 * M, grid));
      const e = added.find((x) => x.at === 30 * M);
      expect(e?.kind).toBe(c.want);
      // Every added event sits in the lane it was added to.
      expect(e && laneOf(e)).toEqual(c.lane);
    }
  });

  it('adds cluster-wide events the simulator applies to every member', () => {
    const cluster: Lane = { kind: 'cluster' };
    expect(events(addEvent(base, cluster, 'slow-network', 30 * M, 5 * M, grid))[1]).toEqual({
      kind: 'slow-network',
      at: 30 * M,
      until: 35 * M,
    });
    expect(events(addEvent(base, cluster, 'db-growth', 30 * M, 5 * M, grid))[1]).toEqual({
      kind: 'db-growth',
      at: 30 * M,
      until: 35 * M,
      bytesPerSecond: 512 * 1024,
    });
  });

  it('deletes an event', () => {
    expect(events(deleteEvent(base, 0))).toEqual([]);
  });

  it('cuts events at a shorter duration and refuses an invalid setting', () => {
    const shorter = changeSettings(
      { ...base, events: [{ kind: 'evict', member: 3, at: 40 * M }] },
      { duration: 30 * M },
    );
    expect(events(shorter)).toEqual([]);
    const bad = changeSettings(base, { scrapeInterval: -1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain('scrapeInterval');
  });
});

describe('resizeCluster', () => {
  const five: Scenario = { ...base, members: 5, events: [] };
  const cases: {
    name: string;
    event: ScenarioEvent;
    kept: ScenarioEvent | null;
    dropped?: string;
  }[] = [
    {
      name: 'a crash of a member that remains stays',
      event: { kind: 'crash', at: 10 * M, until: 20 * M, member: 3 },
      kept: { kind: 'crash', at: 10 * M, until: 20 * M, member: 3 },
    },
    {
      name: 'a crash of a member that is gone goes',
      event: { kind: 'crash', at: 10 * M, member: 4 },
      kept: null,
      dropped: 'crash of etcd-4 at 10m',
    },
    {
      name: 'a 2/3 split keeps the members that remain, still a split',
      event: {
        kind: 'partition',
        at: 10 * M,
        groups: [
          [1, 2],
          [3, 4, 5],
        ],
      },
      kept: { kind: 'partition', at: 10 * M, groups: [[1, 2], [3]] },
    },
    {
      name: 'a partition that cut off only members that are gone goes',
      event: { kind: 'partition', at: 5 * M, groups: [[4, 5]] },
      kept: null,
      dropped: 'partition {4,5} at 5m',
    },
    {
      name: 'a partition that no longer splits anything goes',
      event: {
        kind: 'partition',
        at: 5 * M,
        groups: [
          [1, 2, 3],
          [4, 5],
        ],
      },
      kept: null,
      dropped: 'partition {1,2,3} | {4,5} at 5m',
    },
    {
      name: 'a one-way loss keeps the receivers that remain',
      event: { kind: 'one-way-loss', at: M, member: 1, to: [3, 5] },
      kept: { kind: 'one-way-loss', at: M, member: 1, to: [3] },
    },
    {
      name: 'a one-way loss to members that are gone goes',
      event: { kind: 'one-way-loss', at: M, member: 1, to: [4, 5] },
      kept: null,
      dropped: 'one-way-loss of etcd-1 at 1m',
    },
    {
      name: 'a one-way loss to all others stays',
      event: { kind: 'one-way-loss', at: M, member: 2 },
      kept: { kind: 'one-way-loss', at: M, member: 2 },
    },
    {
      name: 'a cluster-wide event stays',
      event: { kind: 'leader-churn', at: M, until: 9 * M },
      kept: { kind: 'leader-churn', at: M, until: 9 * M },
    },
  ];
  it.each(cases)('$name', ({ event, kept, dropped }) => {
    const r = resizeCluster({ ...five, events: [event] }, 3);
    expect(r.scenario.members).toBe(3);
    expect(r.scenario.events).toEqual(kept ? [kept] : []);
    expect(r.dropped).toEqual(dropped ? [dropped] : []);
    expect(validateScenario(r.scenario).ok).toBe(true);
  });
});
