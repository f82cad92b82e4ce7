// Why a rule is or is not firing at the cursor, in words: the expression's output at the last
// evaluation, how long the alert has been pending against `for`, and whether `keep_firing_for`
// holds it (the state machine of rules/alerting.go, read back from the rule's states over time).
import type { AlertState } from '../rules/index.ts';
import { formatDuration } from '../text/index.ts';

/** A rule's evaluations (offsets from the start, ascending) and its settings. */
export interface AlertStateInput {
  readonly times: readonly number[];
  /** The rule's state after each evaluation (the worst over its alerts). */
  readonly states: readonly AlertState[];
  /** How many series the expression returned at each evaluation. */
  readonly returned: readonly number[];
  readonly forMs: number;
  readonly keepFiringForMs: number;
  /** The cursor (an offset); the state there is that of the last evaluation at or before it. */
  readonly cursor: number;
}

const fmt = formatDuration;

function seriesCount(n: number): string {
  return n === 0 ? 'no series' : `${n} series`;
}

/** The index of the last evaluation at or before t (the first one if t precedes them all). */
function evaluationAt(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] ?? 0) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The first index of the run of `state` that ends at i. */
function runStart(states: readonly AlertState[], i: number, state: AlertState): number {
  let j = i;
  while (j > 0 && states[j - 1] === state) j--;
  return j;
}

/** The first index after i where pred holds, or -1. */
function nextWhere(n: number, i: number, pred: (k: number) => boolean): number {
  for (let k = i + 1; k < n; k++) if (pred(k)) return k;
  return -1;
}

/** Sentences that tell why the rule is or is not firing at the cursor. */
export function explainAlertState(input: AlertStateInput): string[] {
  const { times, states, returned, forMs, keepFiringForMs, cursor } = input;
  const count = Math.min(times.length, states.length);
  if (count === 0) return ['The rule has not been evaluated.'];
  const i = evaluationAt(times.slice(0, count), cursor);
  const at = times[i] ?? 0;
  const n = returned[i] ?? 0;
  const where = at === cursor ? 'here' : `at the last evaluation (${fmt(at)})`;
  const output = `The expression returned ${seriesCount(n)} ${where}`;
  const time = (k: number) => fmt(times[k] ?? 0);
  const state = states[i] ?? 'inactive';
  switch (state) {
    case 'inactive': {
      if (n > 0) return [`${output}, yet the alert is inactive.`];
      const out = [`${output}, so the alert is inactive.`];
      const prev = i - 1;
      if (prev >= 0 && states[prev] === 'pending') {
        const since = runStart(states, prev, 'pending');
        out.push(
          `It was pending from ${time(since)} to ${fmt(at)}: ${fmt(at - (times[since] ?? 0))}, less than for: ${fmt(forMs)}.`,
        );
      } else if (prev >= 0 && states[prev] === 'firing') {
        out.push(`It stopped firing at ${fmt(at)}.`);
      }
      const next = nextWhere(count, i, (k) => (returned[k] ?? 0) > 0);
      if (next >= 0) out.push(`The expression next returns a series at ${time(next)}.`);
      return out;
    }
    case 'pending': {
      const since = runStart(states, i, 'pending');
      const pending = `The alert has been pending since ${time(since)}`;
      const end = nextWhere(count, i, (k) => states[k] !== 'pending');
      if (end < 0) {
        return [
          `${output}.`,
          `${pending}; with for: ${fmt(forMs)} it would fire at ${fmt((times[since] ?? 0) + forMs)}, after the end of the timeline.`,
        ];
      }
      if (states[end] === 'firing') {
        return [`${output}.`, `${pending}; with for: ${fmt(forMs)} it fires at ${time(end)}.`];
      }
      return [
        `${output}.`,
        `${pending}, but the expression stops returning series at ${time(end)}, before for: ${fmt(forMs)} has passed, so it does not fire.`,
      ];
    }
    case 'firing': {
      const fired = runStart(states, i, 'firing');
      const pendingFrom =
        fired > 0 && states[fired - 1] === 'pending' ? runStart(states, fired - 1, 'pending') : -1;
      const history =
        pendingFrom >= 0
          ? ` (pending from ${time(pendingFrom)}, for: ${fmt(forMs)})`
          : forMs === 0
            ? ' (for: 0s, so it fires as soon as the expression returns a series)'
            : '';
      const stop = nextWhere(count, i, (k) => states[k] !== 'firing');
      if (n > 0) {
        return [
          `${output}.`,
          `The alert has been firing since ${time(fired)}${history}.`,
          ...(stop >= 0 ? [`It stops firing at ${time(stop)}.`] : []),
        ];
      }
      if (keepFiringForMs <= 0) {
        return [
          `${output}, yet the alert is firing: the rule's evaluation failed here, and a failed evaluation keeps the previous state.`,
        ];
      }
      // keep_firing_for counts from the first evaluation that no longer returned the alert.
      let last = i;
      while (last >= fired && (returned[last] ?? 0) === 0) last--;
      const lastText =
        last >= fired ? `; the expression last returned a series at ${time(last)}` : '';
      const back = nextWhere(count, i, (k) => (returned[k] ?? 0) > 0);
      const until =
        back >= 0 && (stop < 0 || back < stop)
          ? `, until the expression returns a series again at ${time(back)}`
          : stop >= 0
            ? ` until ${time(stop)}`
            : '';
      return [
        `${output}, but the alert has been firing since ${time(fired)} and keep_firing_for: ${fmt(keepFiringForMs)} holds it firing${until}${lastText}.`,
      ];
    }
    default: {
      const never: never = state;
      return never;
    }
  }
}
