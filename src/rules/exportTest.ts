// Writes promtool unit tests whose expectations are what Quorum Lab's rule manager computes: the
// firing alerts of each rule, with labels and annotations, at chosen evaluation times. Real
// promtool passing such a file means Prometheus and Quorum Lab agree (cmd/promtool/unittest.go).
import { stringify } from 'yaml';
import { formatDuration, type Labels, type SeriesStore } from '../promql/index.ts';
import { AlertingRule } from './alerting.ts';
import { makeQueryFn } from './engine.ts';
import { toAlertRuleSpec, type RuleDraft } from './presets.ts';

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

/**
 * The firing alerts of each rule at each of `checkTimes`, evaluating every `interval` from 0 as
 * promtool does (the state machine needs every evaluation, not only the checked ones).
 */
export function computeAlertChecks(
  store: SeriesStore,
  rules: readonly RuleDraft[],
  opts: {
    interval: number;
    /** Offsets from `start`, as a test's eval_time. */
    checkTimes: readonly number[];
    compat?: 'v2' | 'v3';
    /** The test group's start_timestamp in Unix ms (0 when it has none). */
    start?: number;
  },
): AlertCheck[] {
  const compat = opts.compat ?? 'v3';
  const start = opts.start ?? 0;
  const wanted = new Set(opts.checkTimes);
  const last = Math.max(0, ...opts.checkTimes);
  const checks: AlertCheck[] = [];
  for (const rule of rules) {
    const query = makeQueryFn(store, { compat, defaultSubqueryStep: opts.interval });
    const ar = new AlertingRule(toAlertRuleSpec(rule), { compat });
    for (let t = 0; t <= last; t += opts.interval) {
      const r = ar.eval(start + t, query);
      if (!r.ok) throw new Error(`${rule.alert} at ${formatDuration(t)}: ${r.error}`);
      if (!wanted.has(t)) continue;
      const firing = [...ar.active.values()]
        .filter((a) => a.state === 'firing')
        .map((a) => ({ exp_labels: withoutName(a.labels), exp_annotations: { ...a.annotations } }));
      checks.push({ eval_time: formatDuration(t), alertname: rule.alert, exp_alerts: firing });
    }
  }
  return checks;
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
}): string {
  return stringify(
    {
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
    },
    { lineWidth: 0 },
  );
}
