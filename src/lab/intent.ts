// What a rule should catch, and the rule judged against it: each failure of the kind it is meant
// for that lasts longer than its tolerance must be caught by its deadline; firing with nothing
// failing, or on a failure it should tolerate, is noise. A rule states its intent, or has one
// derived from its severity and `for` (see `defaultIntent`).
import type { Member } from '../sim/index.ts';
import type { RuleDraft, RuleIntent } from './rulePresets.ts';
import {
  alertMembers,
  type AlertFiring,
  type FailureEpisode,
  type Scorecard,
  type TruthSample,
} from './scorecard.ts';
import { formatDuration, parseDuration } from '../text/index.ts';

const MIN = 60_000;

/**
 * The shortest routine reboot of a node: a rule that is not critical about one member should
 * tolerate it (the etcd mixin made etcdMembersDown a warning for this reason, PR #19300).
 */
export const REBOOT_TOLERANCE_MS = 5 * MIN;

/**
 * How long after the tolerance a rule of each severity may take to catch a failure: a critical
 * alert pages now, a warning may wait a little longer, anything else longer still.
 */
export const DEADLINE_SLACK_MS: Readonly<Record<'critical' | 'warning' | 'other', number>> = {
  critical: 5 * MIN,
  warning: 10 * MIN,
  other: 30 * MIN,
};

/** The longest tolerance or deadline an intent may state: a week. */
export const MAX_INTENT_MS = 7 * 24 * 60 * MIN;

/**
 * What the shipped alerts are meant for where it is not a member failure: quorum loss, or what
 * the simulated ground truth does not track (slow disks, database size, request errors).
 */
const catchesByAlert: Readonly<Record<string, RuleIntent['catches']>> = {
  etcdInsufficientMembers: 'quorum',
  etcdNoLeader: 'quorum',
  etcdHighNumberOfFailedProposals: 'quorum',
  etcdHighNumberOfLeaderChanges: 'none',
  etcdHighNumberOfFailedGRPCRequests: 'none',
  etcdGRPCRequestsSlow: 'none',
  etcdMemberCommunicationSlow: 'none',
  etcdHighFsyncDurations: 'none',
  etcdHighCommitDurations: 'none',
  etcdDatabaseQuotaLowSpace: 'none',
  etcdExcessiveDatabaseGrowth: 'none',
  etcdDatabaseHighFragmentationRatio: 'none',
};

/** The words for each kind of failure an intent names. */
export const CATCHES_TEXT: Readonly<Record<RuleIntent['catches'], string>> = {
  member: 'a member down or cut off',
  quorum: 'quorum lost',
  none: 'nothing the ground truth tracks',
};

function severityOf(rule: Pick<RuleDraft, 'labels'>): keyof typeof DEADLINE_SLACK_MS {
  const s = rule.labels.severity;
  return s === 'critical' || s === 'warning' ? s : 'other';
}

/**
 * The intent a rule has unless it states one:
 * - what it catches: quorum loss for the mixin's quorum alerts (etcdInsufficientMembers,
 *   etcdNoLeader, etcdHighNumberOfFailedProposals), nothing judged for its alerts on disks,
 *   requests and the database, a member down or cut off for every other rule;
 * - tolerance: its `for` (what it chose to wait out), and for a rule about members that is not
 *   critical at least a routine reboot (REBOOT_TOLERANCE_MS, 5m);
 * - deadline: the tolerance plus a slack by severity: 5m critical, 10m warning, 30m otherwise.
 */
export function defaultIntent(rule: Pick<RuleDraft, 'alert' | 'forMs' | 'labels'>): RuleIntent {
  const catches = catchesByAlert[rule.alert] ?? 'member';
  const severity = severityOf(rule);
  const toleranceMs =
    catches === 'member' && severity !== 'critical'
      ? Math.max(rule.forMs, REBOOT_TOLERANCE_MS)
      : rule.forMs;
  return { catches, toleranceMs, deadlineMs: toleranceMs + DEADLINE_SLACK_MS[severity] };
}

/** The rule's intent: the one it states, else the one derived from it. */
export function ruleIntent(rule: RuleDraft): RuleIntent {
  return rule.intent ?? defaultIntent(rule);
}

/** Why an intent cannot be judged against, or null when it can. */
export function intentError(intent: RuleIntent): string | null {
  const { toleranceMs: t, deadlineMs: d } = intent;
  for (const [name, v] of [
    ['tolerance', t],
    ['deadline', d],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      return `the ${name} must be a duration of 0s or more, got ${String(v)}`;
    if (v > MAX_INTENT_MS)
      return `the ${name} ${formatDuration(v)} is longer than the longest allowed, ${formatDuration(MAX_INTENT_MS)}`;
  }
  if (d < t)
    return `the deadline ${formatDuration(d)} is shorter than the tolerance ${formatDuration(t)}: a failure cannot be known to outlast the tolerance before the tolerance has passed`;
  return null;
}

/** Reads an intent from a document's JSON, with errors under `path`. */
export function readIntent(v: unknown, path: string, errors: string[]): RuleIntent | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    errors.push(`${path}: must be an object`);
    return null;
  }
  const r = v as Record<string, unknown>;
  if (r.catches !== 'member' && r.catches !== 'quorum' && r.catches !== 'none') {
    errors.push(
      `${path}.catches: expected "member", "quorum" or "none", got ${JSON.stringify(r.catches)}`,
    );
    return null;
  }
  for (const k of ['toleranceMs', 'deadlineMs'])
    if (typeof r[k] !== 'number') {
      errors.push(`${path}.${k}: must be a duration in milliseconds`);
      return null;
    }
  const intent: RuleIntent = {
    catches: r.catches,
    toleranceMs: r.toleranceMs as number,
    deadlineMs: r.deadlineMs as number,
  };
  const error = intentError(intent);
  if (error) {
    errors.push(`${path}: ${error}`);
    return null;
  }
  return intent;
}

/** A duration typed by the user ("20m", "1h30m", "0"), in ms, or why it is not one. */
export function parseIntentDuration(
  text: string,
): { ok: true; ms: number } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '0') return { ok: true, ms: 0 };
  const ms = parseDuration(t);
  if (ms === null)
    return { ok: false, error: `"${text}" is not a duration such as 5m, 1h30m or 0s` };
  return { ok: true, ms };
}

/** The intent in one sentence: "a member down or cut off for longer than 20m, caught within 30m". */
export function describeIntent(intent: RuleIntent): string {
  if (intent.catches === 'none') return `catches ${CATCHES_TEXT.none}`;
  const what = intent.catches === 'member' ? 'a member down or cut off' : 'quorum lost';
  const longer =
    intent.toleranceMs === 0 ? '' : ` for longer than ${formatDuration(intent.toleranceMs)}`;
  return `catches ${what}${longer}, within ${formatDuration(intent.deadlineMs)} of its start`;
}

/** How one failure fared against the intent. */
export type FailureVerdict =
  /** Caught by the deadline. */
  | 'caught'
  /** Caught, but after the deadline. */
  | 'late'
  /** Lasted longer than the tolerance and was never caught. */
  | 'missed'
  /** Ended within the tolerance: it need not be caught. */
  | 'tolerated'
  /** Still failing at the end of the scenario, uncaught, before its deadline: not yet decided. */
  | 'open';

/** A failure of the kind the rule is meant to catch, and its verdict. */
export interface JudgedFailure {
  /** The member (1-based), or null for quorum lost (the cluster as a whole). */
  readonly member: number | null;
  readonly from: number;
  readonly to: number;
  /** Whether it lasts to the end of the scenario (its length is then a lower bound). */
  readonly toEnd: boolean;
  /** From its start to the first evaluation inside it at which the rule fired for it. */
  readonly detectionDelay: number | null;
  readonly verdict: FailureVerdict;
}

/** A rule's verdict on one scenario, against its intent. */
export interface Judgement {
  readonly intent: RuleIntent;
  /** The failures of the kind it is meant to catch, in order of their start. */
  readonly failures: readonly JudgedFailure[];
  /** Time during which it fired with nothing failing (nothing its alerts are about), ms. */
  readonly falseFiringMs: number;
  /**
   * Time during which it fired only on failures it should not page for: shorter than its
   * tolerance, or not the kind it catches (a member down, for a quorum rule), ms.
   */
  readonly noiseMs: number;
  readonly flaps: number;
  /**
   * misses: a failure it must catch was missed or caught late; noisy: it fired with nothing
   * failing or on failures it should tolerate, or flapped; good: neither; unjudged: its intent
   * names nothing the ground truth tracks.
   */
  readonly grade: 'good' | 'noisy' | 'misses' | 'unjudged';
}

/** A scorecard with its judgement against the rule's intent. */
export interface JudgedScorecard extends Scorecard {
  readonly judgement: Judgement;
}

/** Whether a verdict fails the intent: a failure it must catch missed or caught late. */
export function isMiss(f: JudgedFailure): boolean {
  return f.verdict === 'missed' || f.verdict === 'late';
}

/** Stretches of evaluations with quorum lost, as episodes of the cluster (member null). */
function quorumEpisodes(
  times: readonly number[],
  truth: readonly TruthSample[],
  detected: (i: number) => boolean,
): FailureEpisode[] {
  const out: FailureEpisode[] = [];
  const step = times.length > 1 ? (times[1] ?? 0) - (times[0] ?? 0) : 0;
  let open: { from: number; detected: number | null; missed: number } | null = null;
  times.forEach((t, i) => {
    const lost = truth[i]?.quorum === false;
    if (!lost && open) {
      out.push(episode(open, t));
      open = null;
    }
    if (!lost) return;
    open ??= { from: t, detected: null, missed: 0 };
    if (detected(i)) open.detected ??= t;
    else if (i < times.length - 1) open.missed += step;
  });
  if (open) out.push(episode(open, times[times.length - 1] ?? 0));
  return out;
}

function episode(
  e: { from: number; detected: number | null; missed: number },
  to: number,
): FailureEpisode {
  return {
    member: null,
    from: e.from,
    to,
    detectionDelay: e.detected === null ? null : e.detected - e.from,
    missedMs: e.missed,
  };
}

/** The verdict of one failure under an intent. */
export function failureVerdict(
  e: Pick<FailureEpisode, 'from' | 'to' | 'detectionDelay'>,
  toEnd: boolean,
  intent: RuleIntent,
): FailureVerdict {
  const length = e.to - e.from;
  if (!toEnd && length <= intent.toleranceMs) return 'tolerated';
  if (e.detectionDelay !== null) return e.detectionDelay <= intent.deadlineMs ? 'caught' : 'late';
  return toEnd && length < intent.deadlineMs ? 'open' : 'missed';
}

/**
 * Judges a rule's alerts against the truth and its intent, reusing the scorecard's member
 * episodes (`computeScorecard`). A member rule's failures are its member episodes, caught by an
 * alert that counts for the member; a quorum rule's are the stretches of quorum loss, caught by
 * any alert of the rule. At each evaluation (its verdict holding until the next), firing is:
 * right while quorum is lost or while some alert counts for a failure the rule must catch; false
 * when some firing alert is about nothing that is failing; otherwise noise.
 */
export function judgeScorecard(
  scorecard: Scorecard,
  times: readonly number[],
  alerts: readonly AlertFiring[],
  truth: readonly TruthSample[],
  members: readonly Member[],
  intent: RuleIntent,
): Judgement {
  if (intent.catches === 'none')
    return {
      intent,
      failures: [],
      falseFiringMs: 0,
      noiseMs: 0,
      flaps: scorecard.flaps,
      grade: 'unjudged',
    };
  const last = times.length - 1;
  const step = times.length > 1 ? (times[1] ?? 0) - (times[0] ?? 0) : 0;
  const spanAt = (i: number) => (i === last ? 0 : step);
  const failingAt = (i: number): number[] => {
    const t = truth[i];
    return t ? [...new Set([...t.down, ...t.partitioned])] : [];
  };
  const stillFailing = (member: number | null) =>
    member === null ? truth[last]?.quorum === false : failingAt(last).includes(member);
  const episodes =
    intent.catches === 'member'
      ? scorecard.episodes
      : quorumEpisodes(times, truth, (i) => alerts.some((a) => a.firing[i]));
  const failures = episodes.map((e): JudgedFailure => {
    const toEnd = e.to === (times[last] ?? 0) && stillFailing(e.member);
    return {
      member: e.member,
      from: e.from,
      to: e.to,
      toEnd,
      detectionDelay: e.detectionDelay,
      verdict: failureVerdict(e, toEnd, intent),
    };
  });
  const mustCatch = (member: number, t: number) =>
    failures.some(
      (f) =>
        f.member === member && f.from <= t && (t < f.to || f.toEnd) && f.verdict !== 'tolerated',
    );

  const about = alerts.map((a) => alertMembers(a.labels, members));
  let falseFiringMs = 0;
  let noiseMs = 0;
  times.forEach((t, i) => {
    if (truth[i]?.quorum === false) return;
    const failing = failingAt(i);
    let falseHere = false;
    let noiseHere = false;
    let rightHere = false;
    alerts.forEach((a, k) => {
      if (!a.firing[i]) return;
      const m = about[k] ?? [];
      const relevant = m.length === 0 ? failing : m.filter((x) => failing.includes(x));
      if (relevant.length === 0) falseHere = true;
      else if (intent.catches === 'member' && relevant.some((x) => mustCatch(x, t)))
        rightHere = true;
      else noiseHere = true;
    });
    if (falseHere) falseFiringMs += spanAt(i);
    else if (noiseHere && !rightHere) noiseMs += spanAt(i);
  });

  const grade = failures.some(isMiss)
    ? 'misses'
    : falseFiringMs > 0 || noiseMs > 0 || scorecard.flaps > 0
      ? 'noisy'
      : 'good';
  return { intent, failures, falseFiringMs, noiseMs, flaps: scorecard.flaps, grade };
}

/** Names a failure's subject: "etcd-3", or "quorum" for the cluster. */
function subject(member: number | null, members: readonly Member[]): string {
  if (member === null) return 'quorum loss';
  const name = members.find((m) => m.index === member)?.name ?? `etcd-${member}`;
  return `${name} down`;
}

/** One failure's verdict in words: "missed etcd-3 down for 50m". */
export function failureText(f: JudgedFailure, members: readonly Member[], intent: RuleIntent) {
  const what = subject(f.member, members);
  const length = `${formatDuration(f.to - f.from)}${f.toEnd ? ' to the end' : ''}`;
  const deadline = formatDuration(intent.deadlineMs);
  switch (f.verdict) {
    case 'caught': {
      const delay = f.detectionDelay ?? 0;
      const when = delay === 0 ? 'at once' : `within ${formatDuration(delay)}`;
      return `caught ${what} ${when} (deadline ${deadline})`;
    }
    case 'late':
      return `caught ${what} only after ${formatDuration(f.detectionDelay ?? 0)}, past the deadline ${deadline}`;
    case 'missed':
      return `missed ${what} for ${length}`;
    case 'tolerated':
      return `tolerated ${what} for ${length} (within ${formatDuration(intent.toleranceMs)})`;
    case 'open':
      return `${what} for ${length}, not caught yet (deadline ${deadline})`;
    default: {
      const never: never = f.verdict;
      return never;
    }
  }
}

/**
 * The judgement's figures in words, the ones that matter first: misses and late catches, then
 * catches, undecided failures, then noise and flaps. Tolerated failures that drew no alert are
 * left out: nothing happened there worth a word.
 */
export function judgementTexts(j: Judgement, members: readonly Member[]): string[] {
  if (j.grade === 'unjudged') return [`not judged: it ${describeIntent(j.intent)}`];
  const out: string[] = [];
  const order: FailureVerdict[] = ['missed', 'late', 'caught', 'open'];
  for (const v of order)
    for (const f of j.failures) if (f.verdict === v) out.push(failureText(f, members, j.intent));
  if (j.falseFiringMs > 0)
    out.push(`fired with nothing failing: ${formatDuration(j.falseFiringMs)}`);
  if (j.noiseMs > 0)
    out.push(
      j.intent.catches === 'member'
        ? `fired on failures shorter than its tolerance ${formatDuration(j.intent.toleranceMs)}: ${formatDuration(j.noiseMs)}`
        : `fired on failures that are not quorum loss: ${formatDuration(j.noiseMs)}`,
    );
  if (j.flaps > 0) out.push(`${j.flaps} ${j.flaps === 1 ? 'flap' : 'flaps'}`);
  if (out.length === 0)
    out.push(
      j.failures.length === 0
        ? 'nothing to catch, and quiet'
        : 'nothing it must catch, and quiet on what it tolerates',
    );
  return out;
}
