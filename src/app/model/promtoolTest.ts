// Writes a promtool unit test for a simulated scenario: the scraped series as `input_series`, and
// at every evaluation the firing alerts the engine computes for each rule. Real promtool passing
// this file means Prometheus and Quorum Lab agree on the scenario (cmd/promtool/unittest.go).
import { stringify, parse } from 'yaml';
import { SeriesStore, formatDuration, type Labels } from '../../promql/index.ts';
import { AlertingRule, makeQueryFn } from '../../rules/index.ts';
import { formatPromtoolSeries, type Simulation } from '../../sim/index.ts';
import { exportRuleFile } from './exportRule.ts';
import type { RuleDraft } from './rulePresets.ts';

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

/** The two files of a promtool unit test: the rule file and the test file that names it. */
export interface PromtoolTestFiles {
  readonly rules: string;
  readonly test: string;
  readonly checks: readonly AlertCheck[];
}

function withoutName(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) if (k !== '__name__') out[k] = labels[k] ?? '';
  return out;
}

/** The firing alerts of each rule at every evaluation of the scenario, as the engine computes them. */
export function computeAlertChecks(
  sim: Simulation,
  rules: readonly RuleDraft[],
  opts: { compat?: 'v2' | 'v3' } = {},
): AlertCheck[] {
  const compat = opts.compat ?? 'v3';
  const store = new SeriesStore();
  for (const s of sim.series) store.addSeries(s.labels, s.points);
  const step = sim.scenario.evaluationInterval;
  const checks: AlertCheck[] = [];
  for (const rule of rules) {
    const query = makeQueryFn(store, { compat, defaultSubqueryStep: step });
    const ar = new AlertingRule(
      {
        alert: rule.alert,
        expr: rule.expr,
        for: rule.forMs,
        keepFiringFor: rule.keepFiringForMs,
        labels: rule.labels,
        annotations: rule.annotations,
      },
      { compat },
    );
    for (let t = 0; t <= sim.scenario.duration; t += step) {
      const r = ar.eval(t, query);
      if (!r.ok) throw new Error(`${rule.alert} at ${formatDuration(t)}: ${r.error}`);
      const firing = [...ar.active.values()]
        .filter((a) => a.state === 'firing')
        .map((a) => ({ exp_labels: withoutName(a.labels), exp_annotations: { ...a.annotations } }));
      checks.push({ eval_time: formatDuration(t), alertname: rule.alert, exp_alerts: firing });
    }
  }
  return checks;
}

/** A promtool unit test of the scenario that expects what the engine computes. */
export function formatPromtoolTest(
  sim: Simulation,
  rules: readonly RuleDraft[],
  opts: { ruleFileName: string; compat?: 'v2' | 'v3' },
): PromtoolTestFiles {
  const checks = computeAlertChecks(sim, rules, opts);
  const { input_series } = parse(formatPromtoolSeries(sim)) as { input_series: unknown[] };
  const test = stringify(
    {
      rule_files: [opts.ruleFileName],
      evaluation_interval: formatDuration(sim.scenario.evaluationInterval),
      tests: [
        {
          name: sim.scenario.title ?? sim.scenario.name ?? 'scenario',
          interval: formatDuration(sim.scenario.scrapeInterval),
          input_series,
          alert_rule_test: checks,
        },
      ],
    },
    { lineWidth: 0 },
  );
  return { rules: exportRuleFile(rules), test, checks };
}
