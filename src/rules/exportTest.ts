// Writes promtool unit tests whose expectations are what Quorum Lab's rule manager computes: the
// firing alerts of each rule, with labels and annotations, at chosen evaluation times. Real
// promtool passing such a file means Prometheus and Quorum Lab agree (cmd/promtool/unittest.go).
import { Document, isNode, isSeq } from 'yaml';
import { labelsKey, type Labels, type SeriesStore } from '../promql/index.ts';
import { AlertingRule, type AlertState } from './alerting.ts';
import { PROMTOOL_MAX_SAMPLES, makeQueryFn, ruleQueryText } from './engine.ts';
import { toAlertRuleSpec, type RuleDraft } from './presets.ts';
import { formatDuration, formatGoDuration } from '../text/index.ts';

/** A firing alert as promtool's alert_rule_test writes it. */
export interface ExpectedAlert {
  readonly exp_labels: Record<string, string>;
  readonly exp_annotations: Record<string, string>;
}

/** One alert_rule_test entry. */
export interface AlertCheck {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: ExpectedAlert[];
}

function withoutName(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) if (k !== '__name__') out[k] = labels[k] ?? '';
  return out;
}

/** An alert's change of state at one evaluation, as a test's comment names it. */
export interface AlertTransition {
  /** Offset from the test's start, as an eval_time. */
  readonly t: number;
  readonly alertname: string;
  /** The alert's labels, without the alert name. */
  readonly labels: Record<string, string>;
  readonly from: AlertState;
  readonly to: AlertState;
}

/**
 * The firing alerts of each rule at each of `checkTimes`, evaluating every `interval` from 0 as
 * promtool does (the state machine needs every evaluation, not only the checked ones).
 */
export function computeAlertChecks(
  store: SeriesStore,
  rules: readonly RuleDraft[],
  opts: AlertReplayOptions,
): AlertCheck[] {
  return replayAlertChecks(store, rules, opts).checks;
}

/** How to replay rules for a test's checks. */
export interface AlertReplayOptions {
  readonly interval: number;
  /** Offsets from `start`, as a test's eval_time. */
  readonly checkTimes: readonly number[];
  readonly compat?: 'v2' | 'v3';
  /** The test group's start_timestamp in Unix ms (0 when it has none). */
  readonly start?: number;
  /** Replay up to here (an offset) even when the last check is earlier. */
  readonly end?: number;
}

/**
 * computeAlertChecks with every alert's state transitions (pending, firing, inactive) up to the
 * last check time or `end`.
 */
export function replayAlertChecks(
  store: SeriesStore,
  rules: readonly RuleDraft[],
  opts: AlertReplayOptions,
): { checks: AlertCheck[]; transitions: AlertTransition[] } {
  const compat = opts.compat ?? 'v3';
  const start = opts.start ?? 0;
  const wanted = new Set(opts.checkTimes);
  const last = Math.max(0, opts.end ?? 0, ...opts.checkTimes);
  const checks: AlertCheck[] = [];
  const transitions: AlertTransition[] = [];
  // promtool checks an alertname against the alerts of every rule of that name together
  // (cmd/promtool/unittest.go gathers them from all groups), so rules sharing a name, such as
  // two versions of etcdMembersDown, share one check per time, holding all their firing alerts.
  const byNameAndTime = new Map<string, AlertCheck>();
  // What the rules write (ALERTS, ALERTS_FOR_STATE), by series and time: a second rule writing
  // another value into a series at one time is refused by the TSDB and fails promtool's test.
  // Rules run one after another over all times, so at any time an earlier rule's writes are
  // in the map before a later rule's, as in Prometheus's group (a null is a staleness marker,
  // written for a series the rule returned at its previous evaluation but not now).
  const written = new Map<string, Map<number, number | null>>();
  let collision: { t: number; rules: string[] } | null = null;
  const write = (key: string, t: number, v: number | null): boolean => {
    let times = written.get(key);
    if (!times) written.set(key, (times = new Map()));
    if (!times.has(t)) {
      times.set(t, v);
      return true;
    }
    const before = times.get(t) ?? null;
    // A refused marker is no error; a value over another value or a marker is.
    return v === null || (before !== null && Object.is(before, v));
  };
  for (const rule of rules) {
    const query = makeQueryFn(store, {
      compat,
      defaultSubqueryStep: opts.interval,
      maxSamples: PROMTOOL_MAX_SAMPLES,
    });
    // Prometheus evaluates the printed expression (see ruleQueryText); so does the expectation.
    const spec = toAlertRuleSpec(rule);
    const ar = new AlertingRule({ ...spec, expr: ruleQueryText(spec.expr, compat) }, { compat });
    let previous = new Set<string>();
    let states = new Map<string, { labels: Labels; state: AlertState }>();
    for (let t = 0; t <= last; t += opts.interval) {
      const r = ar.eval(start + t, query);
      if (!r.ok) throw new Error(`${rule.alert} at ${formatDuration(t)}: ${r.error}`);
      const returned = new Set<string>();
      let refused = false;
      for (const o of r.output) {
        const key = labelsKey(o.labels);
        returned.add(key);
        if (!write(key, o.t, o.v)) refused = true;
      }
      for (const key of previous) if (!returned.has(key)) write(key, start + t, null);
      previous = returned;
      if (refused && (collision === null || t <= collision.t)) {
        if (collision === null || t < collision.t) collision = { t, rules: [] };
        collision.rules.push(rule.alert);
      }
      const now = new Map<string, { labels: Labels; state: AlertState }>();
      for (const [key, a] of ar.active) now.set(key, { labels: a.labels, state: a.state });
      for (const key of new Set([...states.keys(), ...now.keys()])) {
        const from = states.get(key)?.state ?? 'inactive';
        const to = now.get(key)?.state ?? 'inactive';
        const labels = (now.get(key) ?? states.get(key))?.labels;
        if (from !== to && labels)
          transitions.push({ t, alertname: rule.alert, labels: withoutName(labels), from, to });
      }
      states = now;
      if (!wanted.has(t)) continue;
      const firing = [...ar.active.values()]
        .filter((a) => a.state === 'firing')
        .map((a) => ({ exp_labels: withoutName(a.labels), exp_annotations: { ...a.annotations } }));
      const key = `${rule.alert}\u0000${t}`;
      const shared = byNameAndTime.get(key);
      if (shared) {
        for (const a of firing) shared.exp_alerts.push(a);
        continue;
      }
      const check = { eval_time: formatDuration(t), alertname: rule.alert, exp_alerts: firing };
      byNameAndTime.set(key, check);
      checks.push(check);
    }
  }
  if (collision !== null)
    throw new Error(
      `promtool would fail this test: ${collision.rules
        .map(
          (name) =>
            `rule: ${name}, time: ${formatGoDuration(BigInt(start + collision.t) * 1_000_000n)}, err: duplicate sample for timestamp`,
        )
        .join(
          '; ',
        )}. Rules of one name with the same labels write the same ALERTS or ALERTS_FOR_STATE series with different values at one time (one alert pending while the other fires, or started at another time), which Prometheus's storage refuses; give each rule a label of its own.`,
    );
  transitions.sort((a, b) => a.t - b.t);
  return { checks, transitions };
}

/** A promtool test file with one test group. */
export function formatAlertRuleTest(opts: {
  name: string;
  ruleFileName: string;
  interval: number;
  evaluationInterval: number;
  inputSeries: readonly unknown[];
  checks: readonly AlertCheck[];
  /** The group's start_timestamp in Unix ms; written (Prometheus 3 only) when not 0. */
  start?: number;
  /** A comment above each check (same index), saying why it is there. */
  comments?: readonly (string | undefined)[];
  /** A comment at the top of the file. */
  header?: string;
}): string {
  const doc = new Document({
    rule_files: [opts.ruleFileName],
    evaluation_interval: formatDuration(opts.evaluationInterval),
    tests: [
      {
        name: opts.name,
        ...(opts.start ? { start_timestamp: opts.start / 1000 } : {}),
        interval: formatDuration(opts.interval),
        input_series: opts.inputSeries,
        alert_rule_test: opts.checks,
      },
    ],
  });
  if (opts.header) doc.commentBefore = commentText(opts.header);
  if (opts.comments) {
    const seq = doc.getIn(['tests', 0, 'alert_rule_test'], true);
    if (isSeq(seq))
      seq.items.forEach((item, i) => {
        const c = opts.comments?.[i];
        if (c && isNode(item)) item.commentBefore = commentText(c);
      });
  }
  return doc.toString({ lineWidth: 0 });
}

/** Comment text as yaml writes it: one space after each line's `#`. */
function commentText(text: string): string {
  return text
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n');
}
