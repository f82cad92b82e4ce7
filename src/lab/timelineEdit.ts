// Pure edits of a scenario's events for the timeline editor: which lane an event sits in, and
// moving, resizing, adding and deleting events. Every edit is validated by the simulator's own
// validator before it is applied, so an edit either yields a valid scenario or an error; an edit
// that changes nothing (a click on a bar, a move past the edge) yields the very same scenario
// object, so that the editor can tell it from a change and commit no undo step for it.
import { validateScenario, type Scenario, type ScenarioEvent } from '../sim/index.ts';
import { formatDuration } from '../text/index.ts';

/** A lane of the timeline: one per member, one for Prometheus, one for the whole cluster. */
export type Lane =
  { kind: 'member'; member: number } | { kind: 'prometheus' } | { kind: 'cluster' };

/** Event kinds a user can add to a member's lane. */
export const memberEventKinds = [
  'crash',
  'evict',
  'restart',
  'hang',
  'scrape-failure',
  'partition',
  'one-way-loss',
  'slow-disk',
] as const;

/** An event kind that can be added to a member's lane. */
export type MemberEventKind = (typeof memberEventKinds)[number];

/**
 * Event kinds a user can add to the cluster lane: those the simulator applies to the whole
 * cluster without further choices (a partition needs its groups, so it is added per member).
 */
export const clusterEventKinds = ['leader-churn', 'slow-network', 'db-growth'] as const;

/** An event kind that can be added to the cluster lane. */
export type ClusterEventKind = (typeof clusterEventKinds)[number];

/** Any kind the editor offers for a new event. */
export type NewEventKind = MemberEventKind | ClusterEventKind;

/** What each lane adds when the chosen kind does not fit it. */
export const laneDefaultKinds = {
  member: 'crash',
  prometheus: 'prometheus-outage',
  cluster: 'leader-churn',
} as const satisfies Record<Lane['kind'], string>;

/** The growth rate of a db-growth added from the editor: about 1.8 GiB an hour, as in the presets. */
const NEW_DB_GROWTH_BYTES_PER_SECOND = 512 * 1024;

const isMemberKind = (k: NewEventKind): k is MemberEventKind =>
  (memberEventKinds as readonly string[]).includes(k);
const isClusterKind = (k: NewEventKind): k is ClusterEventKind =>
  (clusterEventKinds as readonly string[]).includes(k);

/**
 * The kind of event a click on the lane adds: the chosen kind where the lane takes it (slow-network
 * also fits a member's lane, for that member alone), else the lane's default.
 */
export function laneEventKind(
  lane: Lane,
  chosen: NewEventKind,
): MemberEventKind | ClusterEventKind | 'prometheus-outage' {
  switch (lane.kind) {
    case 'member':
      return isMemberKind(chosen) || chosen === 'slow-network' ? chosen : laneDefaultKinds.member;
    case 'cluster':
      return isClusterKind(chosen) ? chosen : laneDefaultKinds.cluster;
    case 'prometheus':
      return laneDefaultKinds.prometheus;
    default: {
      const never: never = lane;
      return never;
    }
  }
}

/** The lane an event is drawn in. */
export function laneOf(e: ScenarioEvent): Lane {
  switch (e.kind) {
    case 'crash':
    case 'restart':
    case 'evict':
    case 'hang':
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
  if (delta === 0 || at === e.at) return { ok: true, scenario };
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
  if (resized.until === e.until) return { ok: true, scenario };
  return check(replaceEvent(scenario, index, resized));
}

/** Removes an event. */
export function deleteEvent(scenario: Scenario, index: number): EditResult {
  return check(replaceEvent(scenario, index, null));
}

/**
 * Adds an event at `at` in a lane, lasting `length` ms, snapped to `grid`: of the chosen `kind`
 * where the lane takes it, else of the lane's default kind (see laneEventKind).
 */
export function addEvent(
  scenario: Scenario,
  lane: Lane,
  kind: NewEventKind,
  at: number,
  length: number,
  grid: number,
): EditResult {
  const start = Math.max(0, Math.min(scenario.duration - grid, snap(at, grid)));
  const until = Math.min(scenario.duration, start + length);
  const span = { at: start, until };
  const member = lane.kind === 'member' ? lane.member : undefined;
  const chosen = laneEventKind(lane, kind);
  let e: ScenarioEvent;
  switch (chosen) {
    case 'prometheus-outage':
    case 'leader-churn':
      e = { kind: chosen, ...span };
      break;
    case 'db-growth':
      e = { kind: chosen, ...span, bytesPerSecond: NEW_DB_GROWTH_BYTES_PER_SECOND };
      break;
    case 'slow-network':
      e = { kind: chosen, ...span, ...(member === undefined ? {} : { member }) };
      break;
    case 'partition':
      e = { kind: chosen, ...span, groups: [[member ?? 1]] };
      break;
    case 'crash':
    case 'evict':
    case 'restart':
    case 'hang':
    case 'scrape-failure':
    case 'one-way-loss':
    case 'slow-disk':
      e = { kind: chosen, ...span, member: member ?? 1 };
      break;
    default: {
      const never: never = chosen;
      return never;
    }
  }
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

/**
 * The scenario with `members` members. Events of members that no longer exist go; a partition
 * keeps the members that remain, and so does a one-way loss's list of receivers, as long as
 * they still cut something off. `dropped` describes each event that went, for the user.
 */
export function resizeCluster(
  scenario: Scenario,
  members: number,
): { scenario: Scenario; dropped: string[] } {
  const dropped: string[] = [];
  const events: ScenarioEvent[] = [];
  const exists = (m: number) => m <= members;
  for (const e of scenario.events) {
    let kept: ScenarioEvent | null = e;
    if ('member' in e && e.member !== undefined && !exists(e.member)) kept = null;
    else if (e.kind === 'partition') {
      const groups = e.groups.map((g) => g.filter(exists)).filter((g) => g.length > 0);
      const unlisted = members - groups.reduce((n, g) => n + g.length, 0);
      kept = groups.length + (unlisted > 0 ? 1 : 0) >= 2 ? { ...e, groups } : null;
    } else if (e.kind === 'one-way-loss' && e.to !== undefined) {
      const to = e.to.filter(exists);
      kept = to.length > 0 ? { ...e, to } : null;
    }
    if (kept) events.push(kept);
    else {
      const who = 'member' in e && e.member !== undefined ? ` of etcd-${e.member}` : '';
      dropped.push(`${describeEvent(e)}${who} at ${formatDuration(e.at)}`);
    }
  }
  return { scenario: { ...scenario, members, events }, dropped };
}
