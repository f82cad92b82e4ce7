// What each member and the cluster as a whole are doing at one instant, for the cluster panel and
// the ground-truth band: the truth says who is down, cut off or leading; the scenario's events say
// why a member is down (an evicted pod has left service discovery, a crashed one has not).
import type { ScenarioEvent } from '../sim/index.ts';
import type { TruthView } from './evaluateView.ts';

/** A member's state at one instant, most specific first (see memberStateAt). */
export type MemberState = 'leader' | 'up' | 'down' | 'evicted' | 'partitioned';

/** What the cluster panel says about each state, beside its name. */
export const memberStateNotes: Readonly<Record<MemberState, string>> = {
  leader: 'running, leads the quorum',
  up: 'running, hears the leader',
  down: 'process not running (crashed or stopped); its target is still scraped',
  evicted: 'pod evicted: process stopped and target gone from service discovery',
  partitioned: 'running, but cut off from the majority',
};

/** What the panel says of a running follower when the cluster has no leader to hear. */
export const noLeaderNote = 'running, but there is no leader to hear';

/**
 * What the cluster panel says beside a member's state: the state's note, except that a running
 * follower hears no leader while the cluster has none (quorum lost, or an election going on).
 */
export function memberNoteAt(state: MemberState, truth: TruthView | undefined): string {
  if (state === 'up' && truth !== undefined && truth.leader === null) return noLeaderNote;
  return memberStateNotes[state];
}

/**
 * The index of the truth sample the cluster panel shows at the cursor: the last evaluation at or
 * before it, except when an event starts or ends right at the cursor. The truth at a time
 * describes the span that ends there, so it would still show the member taken down at the cursor
 * as up; the panel shows the next sample, the cluster just after the change, instead.
 */
export function clusterSampleIndex(
  times: readonly number[],
  cursor: number,
  events: readonly ScenarioEvent[],
): number {
  if (times.length === 0) return 0;
  const step = times.length > 1 ? (times[1] ?? 0) - (times[0] ?? 0) : 0;
  const at = step > 0 ? Math.min(times.length - 1, Math.floor(cursor / step)) : 0;
  const changes = events.some((e) => e.at === cursor || e.until === cursor);
  return changes ? Math.min(times.length - 1, at + 1) : at;
}

/**
 * Whether an eviction of `member` shapes the truth sampled at `t`. The truth at a scrape time
 * describes the span that ends there (an event starts right after the scrape at its `at`), so the
 * event counts for at < t <= until, unlike the simulator's at <= t < until for the span it starts.
 */
function evictedAt(events: readonly ScenarioEvent[], member: number, t: number): boolean {
  return events.some(
    (e) =>
      e.kind === 'evict' &&
      e.member === member &&
      e.at < t &&
      (e.until === undefined || t <= e.until),
  );
}

/**
 * The member's state in the truth sampled at time `t` (ms from the start): evicted or down when
 * its process is not running, partitioned when it runs but cannot reach the leader's group, the
 * leader, or up. Without a truth (not evaluated yet) a member counts as up.
 */
export function memberStateAt(
  truth: TruthView | undefined,
  events: readonly ScenarioEvent[],
  member: number,
  t: number,
): MemberState {
  if (!truth) return 'up';
  if (truth.down.includes(member)) return evictedAt(events, member, t) ? 'evicted' : 'down';
  if (truth.partitioned.includes(member)) return 'partitioned';
  return truth.leader === member ? 'leader' : 'up';
}

/**
 * What the panel adds when the scenario changes a member's process right at the cursor time `t`:
 * the truth there still shows the member as it was, since an event starts right after its `at`
 * (and ends right after its `until`).
 */
export function changeNote(state: MemberState, downFromCursor: boolean, t: string): string | null {
  const running = state !== 'down' && state !== 'evicted';
  if (running && downFromCursor) return `goes down just after ${t}`;
  if (!running && !downFromCursor) return `back up just after ${t}`;
  return null;
}

/** The cluster's health at one evaluation, as the ground-truth band shows it. */
export type Health =
  'healthy' | 'degraded' | 'partitioned' | 'degraded-partitioned' | 'quorum-lost';

/**
 * The cluster's health in one truth sample. A partitioned member is a failure as much as one down
 * (the scorecard counts both), but a different one: the band keeps them apart.
 */
export function healthOf(p: TruthView): Health {
  if (!p.quorum) return 'quorum-lost';
  if (p.down.length > 0) return p.partitioned.length > 0 ? 'degraded-partitioned' : 'degraded';
  return p.partitioned.length > 0 ? 'partitioned' : 'healthy';
}
