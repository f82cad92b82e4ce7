// Judges a rule against the ground truth: how long after each real failure it fired, how much
// failure it missed, how long it fired with nothing wrong, and how often it flapped.

/** What the scorecard needs of the ground truth at one evaluation. */
export interface TruthSample {
  readonly down: readonly number[];
  readonly partitioned: readonly number[];
  readonly quorum: boolean;
}

/** One real failure: a stretch of evaluations where a member was down or cut off. */
export interface FailureEpisode {
  readonly from: number;
  readonly to: number;
  /** From the failure's start to the first firing evaluation inside it; null when it never fired. */
  readonly detectionDelay: number | null;
}

/** A rule's figures over one scenario. */
export interface Scorecard {
  readonly episodes: readonly FailureEpisode[];
  /** Time a failure was real but the rule was not firing, ms. */
  readonly missedMs: number;
  /** Time the rule fired with no failure, ms. */
  readonly falseFiringMs: number;
  /** Times the rule stopped firing and later fired again within one failure, or fired with none. */
  readonly flaps: number;
}

/** Whether the cluster is really degraded: a member down or partitioned, or quorum lost. */
export function isRealFailure(t: TruthSample): boolean {
  return t.down.length > 0 || t.partitioned.length > 0 || !t.quorum;
}

/** Scores the rule's states (one per evaluation time) against the truth at the same times. */
export function computeScorecard(
  times: readonly number[],
  states: readonly string[],
  truth: readonly TruthSample[],
): Scorecard {
  const step = times.length > 1 ? (times[1] ?? 0) - (times[0] ?? 0) : 0;
  const episodes: FailureEpisode[] = [];
  let missedMs = 0;
  let falseFiringMs = 0;
  let flaps = 0;
  // The failure episode in progress, if any, and whether the rule has fired during it.
  let episodeStart: number | null = null;
  let detectedAt: number | null = null;
  let wasFiring = false;
  times.forEach((t, i) => {
    const sample = truth[i];
    const failing = sample !== undefined && isRealFailure(sample);
    const firing = states[i] === 'firing';
    // Each evaluation's state holds until the next; the last one covers no time.
    const span = i === times.length - 1 ? 0 : step;
    if (failing && episodeStart === null) {
      episodeStart = t;
      detectedAt = null;
    } else if (!failing && episodeStart !== null) {
      episodes.push({ from: episodeStart, to: t, detectionDelay: delay(episodeStart, detectedAt) });
      episodeStart = null;
    }
    if (firing && !wasFiring) {
      // A new firing is a flap unless it is the first detection of the failure in progress.
      const firstDetection = episodeStart !== null && detectedAt === null;
      if (!firstDetection) flaps += 1;
    }
    if (firing && episodeStart !== null && detectedAt === null) detectedAt = t;
    if (failing && !firing) missedMs += span;
    if (!failing && firing) falseFiringMs += span;
    wasFiring = firing;
  });
  if (episodeStart !== null) {
    const end = times[times.length - 1] ?? episodeStart;
    episodes.push({ from: episodeStart, to: end, detectionDelay: delay(episodeStart, detectedAt) });
  }
  return { episodes, missedMs, falseFiringMs, flaps };
}

function delay(from: number, detectedAt: number | null): number | null {
  return detectedAt === null ? null : detectedAt - from;
}
