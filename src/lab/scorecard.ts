// Judges a rule against the ground truth, member by member: how long after each member's real
// failure an alert about that member fired, how much failure time no such alert covered, how long
// alerts fired about members that were fine, and how often an alert resolved and fired again.
import type { Labels } from '../promql/index.ts';
import type { AlertTimeline } from '../rules/index.ts';
import type { Member } from '../sim/index.ts';

/** What the scorecard needs of the ground truth at one evaluation. */
export interface TruthSample {
  readonly down: readonly number[];
  readonly partitioned: readonly number[];
  readonly quorum: boolean;
}

/** One alert of a rule (one label set) and whether it was firing at each evaluation. */
export interface AlertFiring {
  readonly labels: Labels;
  readonly firing: readonly boolean[];
}

/**
 * One real failure: a maximal run of evaluations during which one member was down or cut off.
 * A failure of the cluster as a whole (quorum lost while no member is down or cut off, or an
 * incident marked by hand in the backtest) has no member.
 */
export interface FailureEpisode {
  /** The member that failed (1-based), or null for a failure of the cluster as a whole. */
  readonly member: number | null;
  readonly from: number;
  /** The first evaluation after the failure, or the last evaluation when it lasts to the end. */
  readonly to: number;
  /**
   * From the failure's start to the first evaluation inside it at which an alert that counts for
   * this member was firing; null when none ever did.
   */
  readonly detectionDelay: number | null;
  /** The time of this episode during which no alert that counts for the member was firing, ms. */
  readonly missedMs: number;
}

/** A rule's figures over one scenario. */
export interface Scorecard {
  readonly episodes: readonly FailureEpisode[];
  /** The episodes' missed time, summed: two members failing unseen for 1m each miss 2m. */
  readonly missedMs: number;
  /** Time during which at least one alert of the rule fired about nothing that was failing, ms. */
  readonly falseFiringMs: number;
  /** Times an alert resolved and fired again within FLAP_WINDOW_MS (see `computeScorecard`). */
  readonly flaps: number;
}

/** An alert that fires again at most this long after it resolved has flapped. */
export const FLAP_WINDOW_MS = 10 * 60_000;

/** Whether the cluster is really degraded: a member down or partitioned, or quorum lost. */
export function isRealFailure(t: TruthSample): boolean {
  return t.down.length > 0 || t.partitioned.length > 0 || !t.quorum;
}

/**
 * The members an alert is about: every member that one of its label values names, as the
 * simulator labels its series (`instance` "10.0.1.11:2379", the kube `pod` "etcd-1", the peer
 * id in `To`/`From`, or the member's IP and peer URL after relabeling). None: a cluster-wide alert.
 */
export function alertMembers(labels: Labels, members: readonly Member[]): number[] {
  const out: number[] = [];
  const values = new Set(
    Object.entries(labels)
      .filter(([k]) => k !== '__name__' && k !== 'alertname')
      .map(([, v]) => v),
  );
  for (const m of members) {
    const names = [
      m.instance,
      m.ip,
      m.name,
      m.id,
      `${m.ip}:2380`,
      `http://${m.ip}:2380`,
      `https://${m.ip}:2380`,
    ];
    if (names.some((n) => values.has(n))) out.push(m.index);
  }
  return out;
}

/** Each alert of a timeline and whether it was firing at each of the timeline's steps. */
export function alertFirings(timeline: AlertTimeline): AlertFiring[] {
  return timeline.alerts.map((a) => {
    let k = 0;
    let state = 'inactive';
    const firing = timeline.steps.map((s) => {
      // Transitions are recorded at step times, so one pass over both in order suffices.
      while (k < a.transitions.length && (a.transitions[k]?.t ?? Infinity) <= s.t) {
        state = a.transitions[k]?.state ?? state;
        k += 1;
      }
      return state === 'firing';
    });
    return { labels: a.labels, firing };
  });
}

/**
 * Scores a rule's alerts (each firing or not at each evaluation time) against the truth at the
 * same times. Each evaluation's verdict holds until the next; the last one covers no time.
 *
 * - A member is failing at an evaluation when it is down or partitioned. When quorum is lost and
 *   no member is down or partitioned, the cluster as a whole is failing (an episode without a
 *   member). A member's episode is a maximal run of evaluations during which it is failing.
 * - An alert counts for a member when its labels name that member (see `alertMembers`) or name no
 *   member at all (a cluster-wide alert, such as one aggregated by job, counts for every member).
 *   Only cluster-wide alerts count for a cluster episode.
 * - Detection delay: from an episode's first evaluation to the first one inside it at which an
 *   alert that counts for its member was firing (0 if one already was).
 * - Missed: the time of an episode during which no alert that counts for its member was firing,
 *   summed over all episodes (members failing at once each add their own).
 * - False firing: the time during which some alert was firing about nothing that was failing: an
 *   alert naming members while none of them was failing and quorum held, or a cluster-wide alert
 *   while nothing at all was failing. While quorum is lost no firing is false: every member is
 *   then unable to commit, so an alert about a survivor (no leader, say) is right.
 * - Flap: an alert (one label set) that stops firing and fires again within FLAP_WINDOW_MS, from
 *   the first evaluation it was not firing to the one it fired again; what Alertmanager would send
 *   as a resolve followed by a new notification. A false alarm alone is not a flap.
 */
export function computeScorecard(
  times: readonly number[],
  alerts: readonly AlertFiring[],
  truth: readonly TruthSample[],
  members: readonly Member[] = [],
): Scorecard {
  const step = times.length > 1 ? (times[1] ?? 0) - (times[0] ?? 0) : 0;
  const about = alerts.map((a) => alertMembers(a.labels, members));
  const spanAt = (i: number) => (i === times.length - 1 ? 0 : step);

  // The members failing at each evaluation; null stands for the cluster as a whole.
  const failingAt = times.map((_, i): (number | null)[] => {
    const t = truth[i];
    if (!t) return [];
    const set = [...new Set([...t.down, ...t.partitioned])].sort((a, b) => a - b);
    return set.length === 0 && !t.quorum ? [null] : set;
  });
  const countsFor = (a: number, member: number | null, i: number): boolean => {
    if (!alerts[a]?.firing[i]) return false;
    const m = about[a] ?? [];
    return m.length === 0 || (member !== null && m.includes(member));
  };
  const detectedAt = (member: number | null, i: number): boolean =>
    alerts.some((_, a) => countsFor(a, member, i));

  // Episodes, in order of their start (members in order within one start).
  const episodes: FailureEpisode[] = [];
  const open = new Map<number | null, { from: number; detected: number | null; missed: number }>();
  const close = (member: number | null, to: number) => {
    const e = open.get(member);
    if (!e) return;
    episodes.push({
      member,
      from: e.from,
      to,
      detectionDelay: e.detected === null ? null : e.detected - e.from,
      missedMs: e.missed,
    });
    open.delete(member);
  };
  times.forEach((t, i) => {
    const failing = failingAt[i] ?? [];
    for (const member of [...open.keys()]) if (!failing.includes(member)) close(member, t);
    for (const member of failing) {
      let e = open.get(member);
      if (!e) {
        e = { from: t, detected: null, missed: 0 };
        open.set(member, e);
      }
      if (detectedAt(member, i)) e.detected ??= t;
      else e.missed += spanAt(i);
    }
  });
  const last = times[times.length - 1] ?? 0;
  for (const member of [...open.keys()]) close(member, last);
  episodes.sort((a, b) => a.from - b.from || (a.member ?? 0) - (b.member ?? 0));

  let falseFiringMs = 0;
  times.forEach((_, i) => {
    const t = truth[i];
    const failing = failingAt[i] ?? [];
    if (t && !t.quorum) return;
    const falseAlarm = alerts.some((a, k) => {
      if (!a.firing[i]) return false;
      const m = about[k] ?? [];
      return m.length === 0 ? failing.length === 0 : !m.some((x) => failing.includes(x));
    });
    if (falseAlarm) falseFiringMs += spanAt(i);
  });

  let flaps = 0;
  for (const a of alerts) {
    let resolvedAt: number | null = null;
    let wasFiring = false;
    a.firing.forEach((firing, i) => {
      const t = times[i] ?? 0;
      if (firing && !wasFiring && resolvedAt !== null && t - resolvedAt <= FLAP_WINDOW_MS)
        flaps += 1;
      if (!firing && wasFiring) resolvedAt = t;
      wasFiring = firing;
    });
  }

  return {
    episodes,
    missedMs: episodes.reduce((sum, e) => sum + e.missedMs, 0),
    falseFiringMs,
    flaps,
  };
}
