// A promtool unit test of a simulated scenario: its series as `input_series` and, at every
// evaluation, the firing alerts the engine computes (src/rules/exportTest.ts).
import { parse } from 'yaml';
import { SeriesStore } from '../../promql/index.ts';
import { computeAlertChecks, formatAlertRuleTest, type AlertCheck } from '../../rules/index.ts';
import { formatPromtoolSeries, type Simulation } from '../../sim/index.ts';
import { exportRuleFile } from './exportRule.ts';
import type { RuleDraft } from './rulePresets.ts';

export type { AlertCheck };

/** The two files of a promtool unit test: the rule file and the test file that names it. */
export interface PromtoolTestFiles {
  readonly rules: string;
  readonly test: string;
  readonly checks: readonly AlertCheck[];
}

/** Every evaluation time of the scenario. */
function evaluationTimes(sim: Simulation): number[] {
  const times: number[] = [];
  for (let t = 0; t <= sim.scenario.duration; t += sim.scenario.evaluationInterval) times.push(t);
  return times;
}

/** The firing alerts of each rule at every evaluation of the scenario, as the engine computes them. */
export function computeScenarioChecks(
  sim: Simulation,
  rules: readonly RuleDraft[],
  opts: { compat?: 'v2' | 'v3' } = {},
): AlertCheck[] {
  const store = new SeriesStore();
  for (const s of sim.series) store.addSeries(s.labels, s.points);
  return computeAlertChecks(store, rules, {
    interval: sim.scenario.evaluationInterval,
    checkTimes: evaluationTimes(sim),
    compat: opts.compat,
  });
}

/** A promtool unit test of the scenario that expects what the engine computes. */
export function formatPromtoolTest(
  sim: Simulation,
  rules: readonly RuleDraft[],
  opts: { ruleFileName: string; compat?: 'v2' | 'v3' },
): PromtoolTestFiles {
  const checks = computeScenarioChecks(sim, rules, opts);
  const { input_series } = parse(formatPromtoolSeries(sim)) as { input_series: unknown[] };
  const test = formatAlertRuleTest({
    name: sim.scenario.title ?? sim.scenario.name ?? 'scenario',
    ruleFileName: opts.ruleFileName,
    interval: sim.scenario.scrapeInterval,
    evaluationInterval: sim.scenario.evaluationInterval,
    inputSeries: input_series,
    checks,
  });
  return { rules: exportRuleFile(rules), test, checks };
}
