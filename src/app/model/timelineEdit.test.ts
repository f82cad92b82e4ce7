import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../sim/index.ts';
import { defaultScenario } from '../../sim/index.ts';
import {
  addEvent,
  changeSettings,
  deleteEvent,
  describeEvent,
  laneOf,
  moveEvent,
  resizeEvent,
} from './timelineEdit.ts';

const S = 1000;
const M = 60 * S;
const base: Scenario = {
  ...defaultScenario,
  events: [{ kind: 'crash', member: 2, at: 10 * M, until: 15 * M }],
};
const grid = 30 * S;

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
