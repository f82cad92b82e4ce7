// Runs real promtool from the e2e specs: the scenario's series with the engine's alert states as
// expectations (so promtool passing means Prometheus agrees with what the page shows), and
// `promtool check rules` on an exported file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { AlertState } from '../../src/rules/index.ts';
import { formatPromtoolSeries, simulate, type Scenario } from '../../src/sim/index.ts';
import { exportRuleFile } from '../../src/lab/index.ts';
import { evaluateView } from '../../src/lab/index.ts';
import { computeScenarioChecks, formatPromtoolTest } from '../../src/lab/index.ts';
import type { RuleDraft } from '../../src/lab/index.ts';
import { summarizeSpans } from '../../src/app/components/format.ts';
import { formatDuration } from '../../src/text/index.ts';

function promtool(args: string[]): { exitCode: number | null; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8' });
  if (r.error)
    throw new Error(`promtool is required (apt-get install prometheus): ${r.error.message}`);
  return { exitCode: r.status, output: r.stdout + r.stderr };
}

/** Runs `promtool test rules` on the scenario with the engine's alerts at every evaluation. */
export function runPromtoolAgainstEngine(scenario: Scenario, rules: readonly RuleDraft[]) {
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-e2e-'));
  // Debian's promtool is Prometheus 2.x: evaluate with its semantics.
  const files = formatPromtoolTest(simulate(scenario), rules, {
    ruleFileName: 'rules.yaml',
    compat: 'v2',
    full: true,
  });
  writeFileSync(join(dir, 'rules.yaml'), files.rules);
  writeFileSync(join(dir, 'test.yaml'), files.test);
  return promtool(['test', 'rules', join(dir, 'test.yaml')]);
}

/** Runs `promtool check rules` on a rule file's text. */
export function checkRulesWithPromtool(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-e2e-'));
  writeFileSync(join(dir, 'rules.yaml'), text);
  return promtool(['check', 'rules', join(dir, 'rules.yaml')]);
}

/** What the rule panel should say about the rule in this scenario. */
export function expectedStates(scenario: Scenario, rule: RuleDraft) {
  const view = evaluateView(scenario, [rule]);
  const ruleView = view.rules[0];
  if (!ruleView) throw new Error('no rule view');
  return { summary: summarizeSpans(ruleView.spans) };
}

/**
 * The page evaluates with Prometheus 3 semantics and Debian's promtool is Prometheus 2: the
 * comparison with promtool speaks for the page only where both semantics agree on the alerts.
 */
export function alertsUnderBothSemantics(scenario: Scenario, rules: readonly RuleDraft[]) {
  const sim = simulate(scenario);
  return {
    v2: computeScenarioChecks(sim, rules, { compat: 'v2' }),
    v3: computeScenarioChecks(sim, rules, { compat: 'v3' }),
  };
}

/** A rule's state at every evaluation, as a page's state band shows it. */
export type ShownStates = Readonly<Record<string, readonly AlertState[]>>;

/**
 * Runs `promtool test rules` on the scenario's series and rules, expecting at every evaluation
 * exactly the states given (by alert name), and nothing taken from the engine: each check asks
 * Prometheus's own ALERTS series for the rule's state, firing written as 2 and pending as 1
 * (a rule's state is its most advanced alert's, as in rules.AlertingRule.State).
 */
export function runPromtoolOnShownStates(
  scenario: Scenario,
  rules: readonly RuleDraft[],
  shown: ShownStates,
) {
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-e2e-'));
  const sim = simulate(scenario);
  const { input_series } = parse(formatPromtoolSeries(sim)) as { input_series: unknown[] };
  const tests: unknown[] = [];
  for (const rule of rules) {
    const states = shown[rule.alert];
    if (!states) throw new Error(`no states shown for ${rule.alert}`);
    const sel = (state: string) =>
      `ALERTS{alertname=${JSON.stringify(rule.alert)},alertstate="${state}"}`;
    states.forEach((state, i) => {
      tests.push({
        expr: `max(${sel('firing')}) * 2 or max(${sel('pending')})`,
        eval_time: formatDuration(i * scenario.evaluationInterval),
        exp_samples:
          state === 'inactive' ? [] : [{ labels: '{}', value: state === 'firing' ? 2 : 1 }],
      });
    });
  }
  const test = stringify(
    {
      rule_files: ['rules.yaml'],
      evaluation_interval: formatDuration(scenario.evaluationInterval),
      tests: [
        {
          name: scenario.title ?? scenario.name ?? 'scenario',
          interval: formatDuration(scenario.scrapeInterval),
          input_series,
          promql_expr_test: tests,
        },
      ],
    },
    { lineWidth: 0 },
  );
  writeFileSync(join(dir, 'rules.yaml'), exportRuleFile(rules));
  writeFileSync(join(dir, 'test.yaml'), test);
  return { ...promtool(['test', 'rules', join(dir, 'test.yaml')]), checks: tests.length };
}
