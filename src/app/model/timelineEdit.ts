// Pure edits of a scenario's events for the timeline editor: which lane an event sits in, and
// moving, resizing, adding and deleting events. Every edit is validated by the simulator's own
// validator before it is applied, so an edit either yields a valid scenario or an error.
import { validateScenario, type Scenario, type ScenarioEvent } from '../../sim/index.ts';

/** A lane of the timeline: one per member, one for Prometheus, one for the whole cluster. */
export type Lane =
  { kind: 'member'; member: number } | { kind: 'prometheus' } | { kind: 'cluster' };

/** Event kinds a user can add to a member's lane. */
export const memberEventKinds = [
  'crash',
  'evict',
  'restart',
  'scrape-failure',
  'partition',
  'one-way-loss',
  'slow-disk',
] as const;

/** An event kind that can be added to a member's lane. */
export type MemberEventKind = (typeof memberEventKinds)[number];

/** The lane an event is drawn in. */
export function laneOf(e: ScenarioEvent): Lane {
  switch (e.kind) {
    case 'crash':
    case 'restart':
    case 'evict':
    case 'scrape-failure':
    case 'one-way-loss':
    case 'slow-disk':
      return { kind: 'member', member: e.member };
    case 'partition':
      // A partition that cuts one member off is drawn in that member's lane.
      return e.groups.length === 1 && e.groups[0]?.length === 1
        ? { kind: 'member', member: e.groups[0][0] ?? 1 }
        : { kind: 'cluster' };
    case 'prometheus-outage':
      return { kind: 'prometheus' };
    case 'slow-network':
      return e.member === undefined ? { kind: 'cluster' } : { kind: 'member', member: e.member };
    case 'leader-churn':
    case 'db-growth':
      return { kind: 'cluster' };
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** A short name for an event, as its bar shows it. */
export function describeEvent(e: ScenarioEvent): string {
  if (e.kind === 'partition')
    return `partition ${e.groups.map((g) => `{${g.join(',')}}`).join(' | ')}`;
  return e.kind;
}

/** The outcome of an edit. */
export type EditResult = { ok: true; scenario: Scenario } | { ok: false; error: string };

function check(scenario: Scenario): EditResult {
  const r = validateScenario(scenario);
  if (r.ok) return { ok: true, scenario: r.value };
  return { ok: false, error: r.errors.map((e) => `${e.path}: ${e.message}`).join('; ') };
}

function replaceEvent(scenario: Scenario, index: number, e: ScenarioEvent | null): Scenario {
  const events = scenario.events.flatMap((old, i) => (i === index ? (e ? [e] : []) : [old]));
  return { ...scenario, events };
}

/** Where an event ends (its `until`, or the scenario's end). */
export function eventEnd(scenario: Scenario, e: ScenarioEvent): number {
  return e.until ?? scenario.duration;
}

function snap(t: number, grid: number): number {
  return Math.round(t / grid) * grid;
}

/** Moves an event by `delta` ms (keeping its length), snapped to `grid`, inside the scenario. */
export function moveEvent(
  scenario: Scenario,
  index: number,
  delta: number,
  grid: number,
): EditResult {
  const e = scenario.events[index];
  if (!e) return { ok: false, error: `no event ${index}` };
  const length = e.until === undefined ? null : e.until - e.at;
  const maxAt = scenario.duration - (length ?? grid);
  const at = Math.max(0, Math.min(maxAt, snap(e.at + delta, grid)));
  const moved = { ...e, at, ...(length === null ? {} : { until: at + length }) } as ScenarioEvent;
  return check(replaceEvent(scenario, index, moved));
}

/** Sets an event's end (`until`), snapped to `grid`; at the scenario's end it runs to the end. */
export function resizeEvent(
  scenario: Scenario,
  index: number,
  until: number,
  grid: number,
): EditResult {
  const e = scenario.events[index];
  if (!e) return { ok: false, error: `no event ${index}` };
  const end = Math.max(e.at + grid, Math.min(scenario.duration, snap(until, grid)));
  const resized = { ...e } as ScenarioEvent;
  if (end >= scenario.duration && e.kind !== 'restart') delete resized.until;
  else resized.until = end;
  return check(replaceEvent(scenario, index, resized));
}

/** Removes an event. */
export function deleteEvent(scenario: Scenario, index: number): EditResult {
  return check(replaceEvent(scenario, index, null));
}

/** Adds an event of `kind` at `at` in a lane, lasting `length` ms, snapped to `grid`. */
export function addEvent(
  scenario: Scenario,
  lane: Lane,
  kind: MemberEventKind,
  at: number,
  length: number,
  grid: number,
): EditResult {
  const start = Math.max(0, Math.min(scenario.duration - grid, snap(at, grid)));
  const until = Math.min(scenario.duration, start + length);
  let e: ScenarioEvent;
  if (lane.kind === 'prometheus') e = { kind: 'prometheus-outage', at: start, until };
  else if (lane.kind === 'cluster') e = { kind: 'leader-churn', at: start, until };
  else if (kind === 'partition')
    e = { kind: 'partition', at: start, until, groups: [[lane.member]] };
  else if (kind === 'restart') e = { kind: 'restart', at: start, until, member: lane.member };
  else e = { kind, at: start, until, member: lane.member } as ScenarioEvent;
  const events = [...scenario.events, e].sort((a, b) => a.at - b.at);
  return check({ ...scenario, events });
}

/** Changes scrape, evaluation or duration settings; events past a shorter end are cut there. */
export function changeSettings(scenario: Scenario, patch: Partial<Scenario>): EditResult {
  const next = { ...scenario, ...patch };
  const events = next.events
    .filter((e) => e.at < next.duration)
    .map((e) =>
      e.until !== undefined && e.until > next.duration ? { ...e, until: next.duration } : e,
    );
  return check({ ...next, events });
}
