// A promtool unit test of a scenario: its series as `input_series` and the firing alerts the
// engine computes (src/rules/exportTest.ts). The minimal test keeps only the series the rules
// read and checks only where something changes (an alert's state, the ground truth), each check
// with a comment saying why; the full one checks every evaluation on every series. A simulated
// scenario's series are written from the simulation; imported series as they were read.
import { parse } from 'yaml';
import {
  children,
  evalRange,
  labelsKey,
  parseExpr,
  parseSeriesDescriptor,
  SeriesStore,
  type Expr,
  type CheckedNames,
} from '../promql/index.ts';
import {
  computeAlertChecks,
  formatAlertRuleTest,
  replayAlertChecks,
  type AlertCheck,
  type AlertTransition,
} from '../rules/index.ts';
import {
  formatPromtoolSeries,
  simulate,
  truthAt,
  type Simulation,
  type TruthPoint,
} from '../sim/index.ts';
import { exportRuleFile } from './exportRule.ts';
import type { RuleDraft } from './rulePresets.ts';
import { storeSimulation } from './simulationStore.ts';
import { loadImportedSeries, simulated, storeLoadedSeries, type ScenarioSource } from './source.ts';
import { parseDuration, quoteString } from '../text/index.ts';

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
  readonly inputSeries: readonly { series: string; values: string }[];
  readonly store: SeriesStore;
  /** The simulation behind the series, for its ground truth (none for imported series). */
  readonly sim: Simulation | null;
}

function testInput(source: ScenarioSource | Simulation): TestInput {
  const src: ScenarioSource = 'kind' in source ? source : simulated(source.scenario);
  const store = new SeriesStore();
  switch (src.kind) {
    case 'simulated': {
      const sim = 'kind' in source ? simulate(src.scenario) : source;
      storeSimulation(sim, store);
      const { input_series } = parse(formatPromtoolSeries(sim)) as {
        input_series: { series: string; values: string }[];
      };
      return {
        name: src.scenario.title ?? src.scenario.name ?? 'scenario',
        interval: src.scenario.scrapeInterval,
        evaluationInterval: src.scenario.evaluationInterval,
        duration: src.scenario.duration,
        start: 0,
        inputSeries: input_series,
        store,
        sim,
      };
    }
    case 'imported': {
      const loaded = loadImportedSeries(src);
      if (!loaded.ok) throw new Error(`imported series: ${loaded.errors[0]?.message ?? ''}`);
      storeLoadedSeries(loaded.series, store);
      return {
        name: src.group,
        interval: src.interval,
        evaluationInterval: src.evaluationInterval,
        duration: loaded.duration,
        start: src.start ?? 0,
        inputSeries: src.series.map((s) => ({ series: s.series, values: s.values })),
        store,
        sim: null,
      };
    }
    case 'recorded':
      // Its samples jitter off any grid promtool's notation has, and number a hundred thousand.
      throw new Error(
        'a recording of a real cluster is not written as a promtool unit test: choose its scenario among the presets (or Open the simulation) to write the test of the simulation',
      );
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

/**
 * A promtool unit test of the scenario that expects what the engine computes: minimal (the series
 * the rules read, a commented check wherever something changes) unless `full` asks for every
 * series at every evaluation.
 */
export function formatPromtoolTest(
  source: ScenarioSource | Simulation,
  rules: readonly RuleDraft[],
  opts: { ruleFileName: string; compat?: 'v2' | 'v3'; full?: boolean },
): PromtoolTestFiles {
  const input = testInput(source);
  if (opts.full) {
    const checks = checksOf(input, rules, opts.compat);
    return { rules: exportRuleFile(rules), test: formatTestFile(input, checks, opts), checks };
  }
  return minimalTest(input, rules, {
    ruleFileName: opts.ruleFileName,
    compat: opts.compat ?? 'v3',
  });
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

/** A check's eval_time and alertname, as one key. */
const checkKey = (alertname: string, t: number) => `${alertname}\u0000${t}`;

function minimalTest(
  input: TestInput,
  rules: readonly RuleDraft[],
  opts: { ruleFileName: string; compat: 'v2' | 'v3' },
): PromtoolTestFiles {
  if (opts.compat === 'v2' && input.start !== 0) checksOf(input, rules, 'v2'); // throws: v3 only
  const times = evaluationTimes(input);
  const end = times[times.length - 1] ?? 0;
  const replay = (compat: 'v2' | 'v3') =>
    replayAlertChecks(input.store, rules, {
      interval: input.evaluationInterval,
      checkTimes: times,
      compat,
      start: input.start,
      end,
    });
  const mine = replay(opts.compat);
  // Why each check is there, by alert name and time; a reason for every alert name at a time
  // is kept under the name "".
  const reasons = new Map<string, string[]>();
  const because = (alertname: string, t: number, why: string) => {
    const key = checkKey(alertname, t);
    const list = reasons.get(key) ?? [];
    if (!list.includes(why)) list.push(why);
    reasons.set(key, list);
  };
  because('', 0, 'the start: what fires before anything happens');
  for (const tr of mine.transitions) because(tr.alertname, tr.t, describeTransition(tr));
  if (input.sim) {
    let before: TruthPoint | null = null;
    for (const t of times) {
      const now = truthAt(input.sim, t);
      const change = before === null ? null : describeTruthChange(input.sim, before, now);
      if (change) because('', t, `ground truth: ${change}`);
      before = now;
    }
  }
  const checks: AlertCheck[] = [];
  const comments: string[] = [];
  for (const check of [...mine.checks].sort((a, b) => timeOf(a) - timeOf(b))) {
    const t = timeOf(check);
    const why = [
      ...(reasons.get(checkKey('', t)) ?? []),
      ...(reasons.get(checkKey(check.alertname, t)) ?? []),
    ];
    if (why.length === 0) continue;
    checks.push(check);
    comments.push(`${check.eval_time}: ${why.join('; ')}`);
  }
  const header = flavourNote(input, opts.compat, mine.checks, replay);
  const inputSeries = seriesTheRulesRead(input, rules);
  const test = formatAlertRuleTest({
    name: input.name,
    ruleFileName: opts.ruleFileName,
    interval: input.interval,
    evaluationInterval: input.evaluationInterval,
    inputSeries,
    checks,
    start: input.start,
    comments,
    header: wrap(
      `promtool unit test of "${input.name}", written by Quorum Lab. Input: the ${inputSeries.length} of ${input.inputSeries.length} series the rules read. Checks: the start, and each time at which an alert changes state${input.sim ? ' or the ground truth changes' : ''}, each saying why. ${header}`,
    ),
  });
  return { rules: exportRuleFile(rules), test, checks };
}

function timeOf(check: AlertCheck): number {
  return parseDuration(check.eval_time) ?? 0;
}

function describeTransition(tr: AlertTransition): string {
  const labels = Object.entries(tr.labels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${quoteString(v)}`)
    .join(', ');
  const who = `${tr.alertname}{${labels}}`;
  switch (tr.to) {
    case 'pending':
      return `${who} becomes pending (not firing until its for has passed)`;
    case 'firing':
      return tr.from === 'pending' ? `${who} fires (its for has passed)` : `${who} fires`;
    case 'inactive':
      return `${who} ${tr.from === 'firing' ? 'resolves' : 'stops pending before it fired'}`;
    default: {
      const never: never = tr.to;
      throw new Error(`unknown alert state ${String(never)}`);
    }
  }
}

function describeTruthChange(sim: Simulation, a: TruthPoint, b: TruthPoint): string | null {
  const name = (i: number) => sim.members.find((m) => m.index === i)?.name ?? `member ${i}`;
  const list = (xs: readonly number[]) => (xs.length === 0 ? 'none' : xs.map(name).join(', '));
  const parts: string[] = [];
  if (a.down.join() !== b.down.join()) parts.push(`members down: ${list(b.down)}`);
  if (a.partitioned.join() !== b.partitioned.join())
    parts.push(`members cut off: ${list(b.partitioned)}`);
  if (a.quorum !== b.quorum) parts.push(b.quorum ? 'quorum regained' : 'quorum lost');
  return parts.length > 0 ? parts.join(', ') : null;
}

/**
 * Whether the other Prometheus generation's test would be the same, and why: the rules are
 * replayed under both semantics and every evaluation's firing alerts compared.
 */
function flavourNote(
  input: TestInput,
  compat: 'v2' | 'v3',
  mine: readonly AlertCheck[],
  replay: (compat: 'v2' | 'v3') => { checks: AlertCheck[] },
): string {
  const name = (c: 'v2' | 'v3') => (c === 'v2' ? 'Prometheus 2' : 'Prometheus 3');
  const other = compat === 'v2' ? 'v3' : 'v2';
  if (input.start !== 0)
    return `For ${name(compat)} only: start_timestamp is read by Prometheus 3's promtool alone.`;
  const theirs = replay(other).checks;
  const byKey = new Map(theirs.map((c) => [checkKey(c.alertname, timeOf(c)), c]));
  const differs = mine.find((c) => {
    const o = byKey.get(checkKey(c.alertname, timeOf(c)));
    return o === undefined || JSON.stringify(o.exp_alerts) !== JSON.stringify(c.exp_alerts);
  });
  const why = `${name('v2')}'s range windows include a sample at their left edge, ${name('v3')}'s do not`;
  if (differs)
    return `For ${name(compat)}: the ${name(other)} flavour differs, first at ${differs.eval_time} (${differs.alertname}), because ${why}.`;
  return `For ${name(compat)}; the ${name(other)} flavour is identical: replayed under both semantics, these rules fire the same alerts at every evaluation of these series (${why}, and no sample here decides an alert by it).`;
}

/**
 * The input series the rules' selectors match at some time of the scenario (each selector
 * evaluated over the whole range, so a series counts if any rule could see it).
 */
function seriesTheRulesRead(
  input: TestInput,
  rules: readonly RuleDraft[],
): { series: string; values: string }[] {
  const read = new Set<string>();
  const selectors = new Set<string>();
  const visit = (e: Expr) => {
    if (e.type === 'vectorSelector') {
      const matchers = e.matchers.map((m) => `${m.name}${m.type}${quoteString(m.value)}`);
      if (e.name && !e.matchers.some((m) => m.name === '__name__'))
        matchers.unshift(`__name__="${e.name}"`);
      selectors.add(`{${matchers.join(', ')}}`);
      return;
    }
    for (const c of children(e)) visit(c);
  };
  for (const rule of rules) {
    const parsed = parseExpr(rule.expr);
    // A rule that does not parse reads nothing promtool could check: keep every series.
    if (!parsed.ok) return [...input.inputSeries];
    visit(parsed.value);
  }
  for (const text of selectors) {
    const expr = parseExpr(text);
    if (!expr.ok) return [...input.inputSeries];
    const r = evalRange(
      expr.value,
      input.store,
      input.start,
      input.start + input.duration,
      input.interval,
    );
    if (!r.ok || r.value.type !== 'matrix') return [...input.inputSeries];
    for (const s of r.value.series) read.add(labelsKey(s.labels));
  }
  const names: CheckedNames = new Map();
  return input.inputSeries.filter((s) => {
    const labels = parseSeriesDescriptor(s.series, names);
    return labels.ok && read.has(labelsKey(labels.value));
  });
}

/** Words wrapped into comment lines of at most 98 characters. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > 98) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
