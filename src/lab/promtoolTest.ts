// A promtool unit test of a scenario: its series as `input_series` and, at every evaluation, the
// firing alerts the engine computes (src/rules/exportTest.ts). A simulated scenario's series are
// written from the simulation; imported series are written back as they were read.
import { parse } from 'yaml';
import { SeriesStore } from '../promql/index.ts';
import { computeAlertChecks, formatAlertRuleTest, type AlertCheck } from '../rules/index.ts';
import { formatPromtoolSeries, simulate, type Simulation } from '../sim/index.ts';
import { exportRuleFile } from './exportRule.ts';
import type { RuleDraft } from './rulePresets.ts';
import { storeSimulation } from './simulationStore.ts';
import { loadImportedSeries, simulated, type ScenarioSource } from './source.ts';

export type { AlertCheck };

/** The two files of a promtool unit test: the rule file and the test file that names it. */
export interface PromtoolTestFiles {
  readonly rules: string;
  readonly test: string;
  readonly checks: readonly AlertCheck[];
}

/** What a unit test needs of a scenario. */
interface TestInput {
  readonly name: string;
  readonly interval: number;
  readonly evaluationInterval: number;
  readonly duration: number;
  /** The test group's start_timestamp in Unix ms (0: none). */
  readonly start: number;
  readonly inputSeries: readonly unknown[];
  readonly store: SeriesStore;
}

function testInput(source: ScenarioSource | Simulation): TestInput {
  const src: ScenarioSource = 'kind' in source ? source : simulated(source.scenario);
  const store = new SeriesStore();
  switch (src.kind) {
    case 'simulated': {
      const sim = 'kind' in source ? simulate(src.scenario) : source;
      storeSimulation(sim, store);
      const { input_series } = parse(formatPromtoolSeries(sim)) as { input_series: unknown[] };
      return {
        name: src.scenario.title ?? src.scenario.name ?? 'scenario',
        interval: src.scenario.scrapeInterval,
        evaluationInterval: src.scenario.evaluationInterval,
        duration: src.scenario.duration,
        start: 0,
        inputSeries: input_series,
        store,
      };
    }
    case 'imported': {
      const loaded = loadImportedSeries(src);
      if (!loaded.ok) throw new Error(`imported series: ${loaded.errors[0]?.message ?? ''}`);
      for (const s of loaded.series) store.addSeries(s.labels, s.points);
      return {
        name: src.group,
        interval: src.interval,
        evaluationInterval: src.evaluationInterval,
        duration: loaded.duration,
        start: src.start ?? 0,
        inputSeries: src.series.map((s) => ({ series: s.series, values: s.values })),
        store,
      };
    }
    default: {
      const never: never = src;
      throw new Error(`unknown source ${JSON.stringify(never)}`);
    }
  }
}

function evaluationTimes(input: TestInput): number[] {
  const times: number[] = [];
  for (let t = 0; t <= input.duration; t += input.evaluationInterval) times.push(t);
  return times;
}

/** The firing alerts of each rule at every evaluation of the scenario, as the engine computes them. */
export function computeScenarioChecks(
  source: ScenarioSource | Simulation,
  rules: readonly RuleDraft[],
  opts: { compat?: 'v2' | 'v3' } = {},
): AlertCheck[] {
  return checksOf(testInput(source), rules, opts.compat);
}

function checksOf(
  input: TestInput,
  rules: readonly RuleDraft[],
  compat: 'v2' | 'v3' | undefined,
): AlertCheck[] {
  if (compat === 'v2' && input.start !== 0)
    throw new Error(
      'the series have a start_timestamp, which only Prometheus 3 promtool reads: export the test for Prometheus 3',
    );
  return computeAlertChecks(input.store, rules, {
    interval: input.evaluationInterval,
    checkTimes: evaluationTimes(input),
    compat,
    start: input.start,
  });
}

/** A promtool unit test of the scenario that expects what the engine computes. */
export function formatPromtoolTest(
  source: ScenarioSource | Simulation,
  rules: readonly RuleDraft[],
  opts: { ruleFileName: string; compat?: 'v2' | 'v3' },
): PromtoolTestFiles {
  const input = testInput(source);
  const checks = checksOf(input, rules, opts.compat);
  return { rules: exportRuleFile(rules), test: formatTestFile(input, checks, opts), checks };
}

/**
 * A promtool unit test of the scenario with the given expectations (e.g. what a page showed),
 * for a check that does not take the engine's word.
 */
export function formatPromtoolTestWithChecks(
  source: ScenarioSource | Simulation,
  rules: readonly RuleDraft[],
  checks: readonly AlertCheck[],
  opts: { ruleFileName: string },
): PromtoolTestFiles {
  const input = testInput(source);
  return { rules: exportRuleFile(rules), test: formatTestFile(input, checks, opts), checks };
}

function formatTestFile(
  input: TestInput,
  checks: readonly AlertCheck[],
  opts: { ruleFileName: string },
): string {
  return formatAlertRuleTest({
    name: input.name,
    ruleFileName: opts.ruleFileName,
    interval: input.interval,
    evaluationInterval: input.evaluationInterval,
    inputSeries: input.inputSeries,
    checks,
    start: input.start,
  });
}
