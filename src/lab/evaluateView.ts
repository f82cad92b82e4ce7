// Turns a scenario and the candidate rules into everything the screen draws: it simulates the
// cluster (or parses imported series), loads the series into the engine's store, evaluates the raw-series queries and
// every rule over the scenario's evaluation schedule, and samples the ground truth. Pure: it runs
// in the Web Worker, in unit tests and in the e2e checks alike.
import {
  SeriesStore,
  SubtreeCache,
  children,
  evalRange,
  formatExpr,
  parseExpr,
  type Expr,
  type Labels,
  type Result,
} from '../promql/index.ts';
import { alertTimeline, type AlertState } from '../rules/index.ts';
import { simulate, truthAt, type Member, type Scenario } from '../sim/index.ts';
import { alertFirings, computeScorecard, type AlertFiring } from './scorecard.ts';
import { judgeScorecard, ruleIntent, type JudgedScorecard } from './intent.ts';
import type { RuleDraft, RuleIntent } from './rulePresets.ts';
import { annotationLints, type RuleLint } from './ruleLint.ts';
import { storeSimulation } from './simulationStore.ts';
import type { LoadedRecording, RecordingCheck } from './recordings.ts';
import {
  loadImportedSeries,
  storeLoadedSeries,
  recordingOf,
  simulated,
  sourceEvaluationInterval,
  sourceSampleInterval,
  sourceStart,
  type ScenarioSource,
} from './source.ts';
import { formatDuration, quoteString } from '../text/index.ts';

/** One line of a chart: a label set and its value at each evaluation time (null: no sample). */
export interface ChartLine {
  readonly key: string;
  readonly labels: Labels;
  readonly values: readonly (number | null)[];
}

/** A stretch of time during which a rule (or the ground truth) holds one state. */
export interface StateSpan<S extends string> {
  readonly from: number;
  readonly to: number;
  readonly state: S;
}

/** What one rule did over the scenario. */
export interface RuleView {
  /** Equal keys mean equal views: the page keeps its old object, and React skips the redraw. */
  readonly key?: string;
  readonly id: string;
  readonly alert: string;
  /** The query charted as the rule's value: the left side of a threshold comparison, or the rule. */
  readonly valueQuery: string;
  readonly threshold: Threshold | null;
  /** The lines charted: at most MAX_CHART_LINES of the `seriesCount` series, in label order. */
  readonly lines: readonly ChartLine[];
  /** When the lines were thinned for the page (`thinView`): the times of their values. */
  readonly chartTimes?: readonly number[];
  /** How many series the value query returned at any evaluation. */
  readonly seriesCount: number;
  readonly states: readonly AlertState[];
  /** How many series the rule's expression returned at each evaluation. */
  readonly returned: readonly number[];
  readonly spans: readonly StateSpan<AlertState>[];
  /** When the rule was not evaluated because Prometheus was down: no data, no alert state. */
  readonly unevaluated?: readonly StateSpan<'unevaluated'>[];
  /** The rule's figures on the scenario, judged against its intent. */
  readonly scorecard: JudgedScorecard | null;
  /** Why the rule has no scorecard although it evaluated (an evaluation failed at some step). */
  readonly scorecardError?: string;
  readonly error: string | null;
  /** The infos and warnings Prometheus attaches to the rule's query, marked where they point. */
  readonly annotations: readonly RuleLint[];
  /** On a recording of a real cluster: the same rule elsewhere on the same time axis. */
  readonly beside?: RuleBeside;
}

/** A rule's states beside a recording's: on the simulation, and as Prometheus wrote them. */
export interface RuleBeside {
  /** The rule evaluated on the simulation of the recording's scenario (empty: it failed). */
  readonly simulated: readonly StateSpan<AlertState>[];
  /**
   * The states in the ALERTS series Prometheus wrote during the recording, at each of the page's
   * evaluations the state of Prometheus's latest evaluation before it; null when Prometheus did
   * not evaluate this rule (another expression or `for`, or another alert name).
   */
  readonly prometheus: readonly StateSpan<AlertState>[] | null;
}

/** What the page says about a recording of a real cluster. */
export interface RecordingView {
  readonly name: string;
  /** "3.4.23", "2.42.0". */
  readonly etcd: string;
  readonly prometheus: string;
  /** Every figure compared with the simulation, each with its tolerance and verdict. */
  readonly checks: readonly RecordingCheck[];
}

/** A top-level `<vector> <op> <number>` comparison of an alert expression. */
export interface Threshold {
  readonly op: string;
  readonly value: number;
}

const comparisonOps: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);

function numberValue(e: Expr): number | null {
  if (e.type === 'numberLiteral') return e.val;
  if (e.type === 'parenExpr') return numberValue(e.expr);
  if (e.type === 'unaryExpr') {
    const v = numberValue(e.expr);
    return v === null ? null : e.op === '-' ? -v : v;
  }
  return null;
}

/**
 * Splits `X > 0.5` into X and the threshold, so the chart can show X's value even where the
 * comparison filters every series out (which is when a rule is most puzzling).
 */
export function splitThreshold(
  expr: string,
  /** How the expression is parsed (a scenario's cache of parsed expressions). */
  parse: (text: string) => Result<Expr> = parseExpr,
): { query: string; threshold: Threshold } | null {
  const parsed = parse(expr);
  if (!parsed.ok) return null;
  const root = parsed.value;
  if (root.type !== 'binaryExpr' || root.bool || !comparisonOps.has(root.op)) return null;
  const value = numberValue(root.rhs);
  if (value === null || numberValue(root.lhs) !== null) return null;
  return {
    query: expr.slice(root.lhs.from, root.lhs.to),
    threshold: { op: root.op, value },
  };
}

/** The ground truth at one evaluation time. */
export interface TruthView {
  readonly down: readonly number[];
  readonly partitioned: readonly number[];
  readonly quorum: boolean;
  readonly canSurvive: number;
  readonly leader: number | null;
}

/** One chart of raw series: the query and its lines. */
export interface RawChart {
  readonly title: string;
  readonly query: string;
  /** At most MAX_CHART_LINES of the `seriesCount` series the query returned. */
  readonly lines: readonly ChartLine[];
  /** When the lines were thinned for the page (`thinView`): the times of their values. */
  readonly chartTimes?: readonly number[];
  readonly seriesCount: number;
  readonly testId: string;
}

/**
 * The most lines a chart draws. Nobody reads more, and drawing thousands (an imported test file
 * with 2000 series of one metric) froze the page for seconds; the chart says how many it left out.
 */
export const MAX_CHART_LINES = 25;

/** Everything the charts need, on one time axis (`times`, Unix ms from the scenario start). */
export interface ViewModel {
  readonly times: readonly number[];
  readonly step: number;
  /** The simulated members; none for imported series. */
  readonly members: readonly Member[];
  readonly raw: readonly RawChart[];
  /**
   * Charts of the other metrics the rules read (etcd_server_has_leader, …), beside the raw
   * charts: they follow the rules' selectors, not their thresholds or windows.
   */
  readonly ruleCharts: readonly RawChart[];
  /** Equal keys mean equal rule charts (their queries, on the same scenario). */
  readonly ruleChartsKey: string;
  /** How many metrics of imported series have no chart of their own. */
  readonly unchartedMetrics: number;
  readonly rules: readonly RuleView[];
  /** The ground truth at each evaluation; null where there is none (imported series). */
  readonly truth: readonly TruthView[] | null;
  /** Every series' label set, for completion in the editor. */
  readonly catalog: readonly Labels[];
  /** Equal keys mean the same scenario: times, members, raw lines, truth and catalog are equal. */
  readonly scenarioKey: string;
  /** On a recording of a real cluster: what it is and how it compares with the simulation. */
  readonly recording?: RecordingView;
}

/** A scenario's series loaded into the engine's store, reused while only the rules change. */
export interface PreparedScenario {
  readonly source: ScenarioSource;
  readonly store: SeriesStore;
  /** The real time (Unix ms) of offset 0: the store holds the series at start + offset. */
  readonly start: number;
  /** The time the series span, ms from the start. */
  readonly duration: number;
  readonly evaluationInterval: number;
  /** The time between two samples of a series. */
  readonly sampleInterval: number;
  /** The simulated members; none for imported series. */
  readonly members: readonly Member[];
  /** The rule evaluation times as offsets from the start: 0, interval, … up to the duration. */
  readonly times: readonly number[];
  /** The ground truth at each evaluation time; null for imported series. */
  readonly truth: readonly TruthView[] | null;
  /** The raw-series charts: queries and titles. */
  readonly rawQueries: readonly Omit<RawChart, 'lines' | 'seriesCount'>[];
  readonly unchartedMetrics: number;
  /** Every series' label set. */
  readonly catalog: readonly Labels[];
  /**
   * Results already computed on this scenario, by query or rule: while a slider moves one rule,
   * the others and the raw charts are not evaluated again.
   */
  readonly memo: ViewMemo;
  /** Identifies the scenario (its JSON). */
  readonly key: string;
  /** On a recording: the simulation of its scenario, evaluated beside it on the same times. */
  readonly twin?: PreparedScenario;
  /** On a recording: the ALERTS Prometheus wrote, and the comparison with the simulation. */
  readonly recorded?: {
    readonly alerts: LoadedRecording['alerts'];
    readonly view: RecordingView;
    /** The alerting rules Prometheus evaluated. */
    readonly rules: readonly RuleDraft[];
  };
}

/**
 * What evaluateView remembers on a prepared scenario, each map bounded (a long tuning session must
 * not grow the worker's memory without end).
 */
export interface ViewMemo {
  /** A query's lines over the scenario, by query text. */
  readonly lines: Map<string, { lines: ChartLine[]; seriesCount: number }>;
  /** A rule's view, by the rule's JSON. */
  readonly rules: Map<string, RuleView>;
  /** The raw charts (key "raw") and the rule charts (by their queries). */
  readonly charts: Map<string, RawChart[]>;
  /** A rule's value query evaluated over the scenario, by query text. */
  readonly values: Map<string, ReturnType<typeof evalRange>>;
  /**
   * The results of sub-expressions of the queries and rules evaluated on the scenario: a slider
   * that changes one number of a rule evaluates again only what contains that number.
   */
  readonly subtrees: SubtreeCache;
}

function newViewMemo(): ViewMemo {
  return {
    lines: new Map(),
    rules: new Map(),
    charts: new Map(),
    values: new Map(),
    subtrees: new SubtreeCache(),
  };
}

/** The most entries each map of a ViewMemo keeps. */
const MEMO_ENTRIES = 200;

/** The value of `key` in `map`, computed once; a full map starts over. */
function remember<V>(map: Map<string, V>, key: string, compute: () => V): V {
  const hit = map.get(key);
  if (hit !== undefined) return hit;
  const v = compute();
  if (map.size >= MEMO_ENTRIES) map.clear();
  map.set(key, v);
  return v;
}

/** The most metrics of imported series that get a chart each. */
const MAX_IMPORTED_CHARTS = 4;

/** Simulates the scenario and loads its series into a store. */
export function prepareScenario(scenario: Scenario): PreparedScenario {
  return prepareSource(simulated(scenario));
}

/**
 * Simulates a scenario, parses imported series, or takes a recording's loaded series (which the
 * caller reads first: `loaded`), and loads the series into a store.
 */
export function prepareSource(source: ScenarioSource, loaded?: LoadedRecording): PreparedScenario {
  const store = new SeriesStore();
  const evaluationInterval = sourceEvaluationInterval(source);
  const sampleInterval = sourceSampleInterval(source);
  const start = sourceStart(source);
  const common = { source, store, start, evaluationInterval, sampleInterval, memo: newViewMemo() };
  const timesUpTo = (duration: number) => {
    const times: number[] = [];
    for (let t = 0; t <= duration; t += evaluationInterval) times.push(t);
    return times;
  };
  switch (source.kind) {
    case 'simulated': {
      const { scenario } = source;
      const sim = simulate(scenario);
      storeSimulation(sim, store);
      const times = timesUpTo(scenario.duration);
      // The truth at each evaluation from the simulation's segments, not from its scrapes: a
      // failure starts when it starts, whatever the scrape interval (2m scrapes would otherwise
      // start it up to 2m late, and flatter a slow-scrape rule in the sweep).
      const truth = times.map((t): TruthView => {
        const p = truthAt(sim, t);
        return {
          down: p.down,
          partitioned: p.partitioned,
          quorum: p.quorum,
          canSurvive: p.canSurvive,
          leader: p.leader,
        };
      });
      return {
        ...common,
        duration: scenario.duration,
        members: sim.members,
        times,
        truth,
        rawQueries: [
          { title: 'up, per member', query: rawQueries.up, testId: 'chart-up' },
          {
            title: 'Peer send failures per second, per member',
            query: rawQueries.failures,
            testId: 'chart-failures',
          },
        ],
        unchartedMetrics: 0,
        catalog: sim.series.map((x) => x.labels),
        key: JSON.stringify(scenario),
      };
    }
    case 'imported': {
      const loaded = loadImportedSeries(source);
      if (!loaded.ok) throw new Error(`imported series: ${loaded.errors[0]?.message ?? ''}`);
      storeLoadedSeries(loaded.series, store);
      const names = store.metricNames();
      return {
        ...common,
        duration: loaded.duration,
        members: [],
        times: timesUpTo(loaded.duration),
        truth: null,
        rawQueries: names.slice(0, MAX_IMPORTED_CHARTS).map((name, i) => ({
          title: name,
          query: /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)
            ? name
            : `{__name__=${JSON.stringify(name)}}`,
          testId: `chart-imported-${i}`,
        })),
        unchartedMetrics: Math.max(0, names.length - MAX_IMPORTED_CHARTS),
        catalog: loaded.series.map((x) => x.labels),
        key: JSON.stringify(source),
      };
    }
    case 'recorded': {
      const recording = recordingOf(source);
      if (loaded?.name !== recording.name)
        throw new Error(`the series of the recording "${recording.name}" are not loaded`);
      for (const s of loaded.series) store.addSeries(s.labels, s.points);
      // The simulation of the same scenario, on the same evaluation times: its ground truth is
      // the recording's (the harness played the scenario's events, each within a second of its
      // time), and its rule states are drawn beside the recording's.
      const twin = prepareSource(simulated(recording.scenario));
      // The simulated members under the real targets' names, so that alerts and lines name them.
      const members = twin.members.map((m, i) => ({
        ...m,
        instance: recording.instances[i] ?? m.instance,
        ip: recording.instances[i] ?? m.ip,
        id: recording.ids[i] ?? m.id,
      }));
      return {
        ...common,
        duration: twin.duration,
        members,
        times: twin.times,
        truth: twin.truth,
        rawQueries: twin.rawQueries,
        unchartedMetrics: 0,
        catalog: loaded.series.map((x) => x.labels),
        key: JSON.stringify(source),
        twin,
        recorded: {
          alerts: loaded.alerts,
          rules: recording.rules,
          view: {
            name: recording.name,
            etcd: recording.etcd,
            prometheus: recording.prometheus,
            checks: loaded.checks,
          },
        },
      };
    }
    default: {
      const never: never = source;
      throw new Error(`unknown source ${JSON.stringify(never)}`);
    }
  }
}

/** What `ruleStates` tells of a rule that parsed. */
export interface RuleStates {
  readonly ok: true;
  readonly states: AlertState[];
  readonly returned: number[];
  /** Each alert (label set) and whether it fired at each evaluation: what the scorecard needs. */
  readonly alerts: AlertFiring[];
  /** The first evaluation that failed, if one did (the rule then kept its previous state). */
  readonly evalError: string | null;
  /** Prometheus's annotations of the rule's query over the scenario, in its words. */
  readonly warnings: readonly string[];
}

/**
 * The rule's alert state, how many series its expression returned and which alerts fired, at
 * every evaluation time of the prepared scenario.
 */
export function ruleStates(
  prepared: PreparedScenario,
  rule: RuleDraft,
): RuleStates | { ok: false; error: string } {
  const { store, start, times, evaluationInterval } = prepared;
  const spec = {
    alert: rule.alert,
    expr: rule.expr,
    for: rule.forMs,
    keepFiringFor: rule.keepFiringForMs,
    labels: rule.labels,
    annotations: rule.annotations,
  };
  // DIVERGENCE: promtool evaluates a rule at every step whatever the data. A Prometheus that is
  // down evaluates nothing and, back up, starts its alerts over: each stretch of evaluations
  // between outages is replayed on its own rule manager.
  const runs = evaluationRuns(times, outageWindows(prepared.source));
  const states: AlertState[] = times.map(() => 'inactive');
  const returned: number[] = times.map(() => 0);
  const alerts: AlertFiring[] = [];
  const warnings = new Set<string>();
  let evalError: string | null = null;
  for (const run of runs) {
    const from = times[run.first] ?? 0;
    const to = times[run.last] ?? 0;
    const timeline = alertTimeline(
      spec,
      store,
      { start: start + from, end: start + to, interval: evaluationInterval },
      { reuse: prepared.memo.subtrees },
    );
    if (!timeline.ok) return { ok: false, error: timeline.error.message };
    timeline.value.steps.forEach((step, i) => {
      states[run.first + i] = step.state;
      returned[run.first + i] = step.samples.length;
    });
    for (const a of alertFirings(timeline.value)) {
      const firing = times.map(() => false);
      a.firing.forEach((f, i) => (firing[run.first + i] = f));
      alerts.push({ labels: a.labels, firing });
    }
    for (const w of timeline.warnings) warnings.add(w);
    const failed = timeline.value.error;
    if (failed && evalError === null)
      evalError = `evaluation at ${formatDuration(failed.t - start)} failed: ${failed.message}`;
  }
  return { ok: true, states, returned, alerts, evalError, warnings: [...warnings] };
}

/** A stretch of time during which Prometheus is down, ms from the start: (from, to]. */
export interface Outage {
  readonly from: number;
  readonly to: number;
}

/** When Prometheus is down in a source: a simulation's outages; imported series have none. */
export function outageWindows(source: ScenarioSource): Outage[] {
  if (source.kind !== 'simulated') return [];
  const { scenario } = source;
  return scenario.events
    .filter((e) => e.kind === 'prometheus-outage')
    .map((e) => ({ from: e.at, to: e.until ?? scenario.duration }))
    .sort((a, b) => a.from - b.from);
}

/**
 * The runs of evaluation times (first and last index) at which Prometheus is up. It stores nothing
 * for a time in (from, to] of an outage (see the simulator), and evaluates nothing then either.
 */
export function evaluationRuns(
  times: readonly number[],
  outages: readonly Outage[],
): { first: number; last: number }[] {
  const runs: { first: number; last: number }[] = [];
  times.forEach((t, i) => {
    if (outages.some((o) => t > o.from && t <= o.to)) return;
    const last = runs[runs.length - 1];
    if (last && last.last === i - 1) last.last = i;
    else runs.push({ first: i, last: i });
  });
  return runs;
}

/** The spans of a rule's band during which nothing was evaluated (Prometheus down). */
export function unevaluatedSpans(
  times: readonly number[],
  step: number,
  outages: readonly Outage[],
): StateSpan<'unevaluated'>[] {
  const runs = evaluationRuns(times, outages);
  const spans: StateSpan<'unevaluated'>[] = [];
  const end = times[times.length - 1] ?? 0;
  let next = 0;
  for (const run of [...runs, { first: times.length, last: times.length }]) {
    if (run.first > next) {
      // From the last evaluation before the gap (its state holds one step) to the first after.
      const from = Math.min(end, (times[next - 1] ?? -step) + step);
      const to = times[run.first] ?? end;
      if (to > from) spans.push({ from, to, state: 'unevaluated' });
    }
    next = run.last + 1;
  }
  return spans;
}

/**
 * The rule's scorecard on the prepared scenario, judged against its intent, or why there is none:
 * no ground truth (imported series), or an evaluation that failed (its figures would be those of
 * a rule that did not run).
 */
export function scoreRuleStates(
  prepared: PreparedScenario,
  states: RuleStates,
  intent: RuleIntent,
): JudgedScorecard | { error: string } {
  const { truth, times, members } = prepared;
  if (!truth) return { error: 'no ground truth for imported series' };
  if (states.evalError !== null) return { error: states.evalError };
  const sc = computeScorecard(times, states.alerts, truth, members);
  return {
    ...sc,
    judgement: judgeScorecard(sc, times, states.alerts, truth, members, intent),
  };
}

/** The queries behind the raw-series charts. */
export const rawQueries = {
  up: 'up{job=~".*etcd.*"}',
  failures: 'sum without (To) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[120s]))',
} as const;

/** The most charts of metrics the rules read, beside the raw charts. */
const MAX_RULE_CHARTS = 4;

/**
 * The other metrics the rules select, one chart each: the selector as the rule writes it (its
 * label matchers, without offset or @), counters as a per-second rate over four sample
 * intervals. Metrics the raw charts already show are left out.
 */
export function ruleChartQueries(
  rules: readonly RuleDraft[],
  prepared: Pick<PreparedScenario, 'rawQueries' | 'sampleInterval' | 'source'>,
  parse: (text: string) => Result<Expr> = parseExpr,
): Omit<RawChart, 'lines' | 'seriesCount'>[] {
  const charted = new Set(
    prepared.source.kind !== 'imported'
      ? ['up', 'etcd_network_peer_sent_failures_total']
      : prepared.rawQueries.map((q) => q.title),
  );
  const out: Omit<RawChart, 'lines' | 'seriesCount'>[] = [];
  const seen = new Set<string>();
  const visit = (e: Expr) => {
    if (e.type === 'vectorSelector') {
      const name =
        e.name || (e.matchers.find((m) => m.name === '__name__' && m.type === '=')?.value ?? '');
      if (name === '' || charted.has(name) || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) return;
      const matchers = e.matchers
        .filter((m) => m.name !== '__name__')
        .map((m) => `${m.name}${m.type}${quoteString(m.value)}`);
      const selector = matchers.length > 0 ? `${name}{${matchers.join(', ')}}` : name;
      const counter = /_(total|count|sum|bucket)$/.test(name);
      const query = counter
        ? `rate(${selector}[${formatWindow(4 * prepared.sampleInterval)}])`
        : selector;
      if (seen.has(query)) return;
      seen.add(query);
      out.push({
        title: counter ? `${name}, per second` : name,
        query,
        testId: `chart-rule-metric-${out.length}`,
      });
      return;
    }
    for (const c of children(e)) visit(c);
  };
  for (const rule of rules) {
    const parsed = parse(rule.expr);
    if (parsed.ok) visit(parsed.value);
  }
  return out.slice(0, MAX_RULE_CHARTS);
}

function formatWindow(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 1000)}s`;
}

/** Simulates the scenario (or reuses a prepared one) and evaluates the raw queries and rules. */
export function evaluateView(
  input: Scenario | ScenarioSource | PreparedScenario,
  rules: readonly RuleDraft[],
  /** Called before each rule is evaluated (done of total rules), for a progress display. */
  onProgress?: (done: number, total: number) => void,
): ViewModel {
  const prepared =
    'store' in input ? input : 'kind' in input ? prepareSource(input) : prepareScenario(input);
  const { store, times, truth, start, duration } = prepared;
  const step = prepared.evaluationInterval;

  const { memo } = prepared;
  // Each rule's text is parsed for its chart, its states and its findings: once per scenario.
  const parse = (text: string) => memo.subtrees.parse(text);
  // Charts are evaluated as the rules are (on the evaluation times, subqueries' default step
  // the evaluation interval), so that what they share is evaluated once.
  const end = start + (times[times.length - 1] ?? duration);
  const chartOptions = { defaultSubqueryStep: step, reuse: memo.subtrees };
  const rawLines = (expr: string): { lines: ChartLine[]; seriesCount: number } =>
    remember(memo.lines, expr, () => {
      const r = evalRange(expr, store, start, end, step, chartOptions);
      return r.ok
        ? { lines: toLines(r.value.series, times, start), seriesCount: r.value.series.length }
        : { lines: [], seriesCount: 0 };
    });

  const ruleViews = rules.map((rule, i): RuleView => {
    onProgress?.(i, rules.length);
    const key = `rule:${JSON.stringify(rule)}`;
    return remember(memo.rules, key, () => ({ ...ruleView(rule), key }));
  });
  function scorecardOf(
    rule: RuleDraft,
    states: RuleStates,
  ): Pick<RuleView, 'scorecard' | 'scorecardError'> {
    if (!truth) return { scorecard: null };
    const sc = scoreRuleStates(prepared, states, ruleIntent(rule));
    return 'error' in sc ? { scorecard: null, scorecardError: sc.error } : { scorecard: sc };
  }
  function ruleView(rule: RuleDraft): Omit<RuleView, 'key'> {
    const split = splitThreshold(rule.expr, parse);
    const valueQuery = split?.query ?? rule.expr;
    const threshold = split?.threshold ?? null;
    // Shared by the rules (and the steps of a drag) that chart the same query: tuning `for` or
    // the top-level threshold leaves it as it was.
    const lines = remember(memo.values, valueQuery, () =>
      evalRange(valueQuery, store, start, end, step, chartOptions),
    );
    const states = ruleStates(prepared, rule);
    if (!lines.ok || !states.ok) {
      return {
        id: rule.id,
        alert: rule.alert,
        valueQuery,
        threshold,
        lines: [],
        seriesCount: 0,
        states: [],
        returned: [],
        spans: [],
        unevaluated: [],
        scorecard: null,
        error: !states.ok ? states.error : !lines.ok ? lines.error.message : '',
        annotations: [],
      };
    }
    return {
      id: rule.id,
      alert: rule.alert,
      valueQuery,
      threshold,
      lines: toLines(lines.value.series, times, start),
      seriesCount: lines.value.series.length,
      states: states.states,
      returned: states.returned,
      spans: toSpans(times, step, states.states),
      unevaluated: unevaluatedSpans(times, step, outageWindows(prepared.source)),
      ...scorecardOf(rule, states),
      error: null,
      annotations: annotationLints(rule.expr, states.warnings, parse),
      ...(prepared.twin && { beside: besideOf(rule) }),
    };
  }
  function besideOf(rule: RuleDraft): RuleBeside {
    const twin = prepared.twin!;
    const sim = ruleStates(twin, rule);
    const recordedRule = prepared.recorded?.rules.find((r) => sameRule(r, rule));
    return {
      simulated: sim.ok ? toSpans(twin.times, twin.evaluationInterval, sim.states) : [],
      prometheus: recordedRule
        ? toSpans(
            times,
            step,
            alertsStates(prepared.recorded?.alerts ?? [], rule.alert, times, start, step),
          )
        : null,
    };
  }

  const extra = ruleChartQueries(rules, prepared, parse);
  const ruleChartsKey = extra.map((q) => q.query).join('\n');
  return {
    times,
    step,
    members: prepared.members,
    raw: remember(memo.charts, 'raw', () =>
      prepared.rawQueries.map((q) => ({ ...q, ...rawLines(q.query) })),
    ),
    ruleCharts: remember(memo.charts, `ruleCharts:${ruleChartsKey}`, () =>
      extra.map((q) => ({ ...q, ...rawLines(q.query) })),
    ),
    ruleChartsKey,
    unchartedMetrics: prepared.unchartedMetrics,
    rules: ruleViews,
    truth,
    catalog: prepared.catalog,
    scenarioKey: prepared.key,
    ...(prepared.recorded && { recording: prepared.recorded.view }),
  };
}

/** Whether two drafts are the same rule for Prometheus: name, expression (as printed), for. */
function sameRule(a: RuleDraft, b: RuleDraft): boolean {
  if (a.alert !== b.alert || a.forMs !== b.forMs || a.keepFiringForMs !== b.keepFiringForMs)
    return false;
  const pa = parseExpr(a.expr);
  const pb = parseExpr(b.expr);
  return pa.ok && pb.ok ? formatExpr(pa.value) === formatExpr(pb.value) : a.expr === b.expr;
}

/**
 * An alert's state at each evaluation time from the ALERTS series Prometheus wrote: it writes a
 * sample for every pending or firing alert at each of its own evaluations, which run at their
 * own offset in the interval; each time takes the state of the evaluations in the interval up
 * to it (firing over pending over inactive, as a rule's state is its alerts' highest).
 */
export function alertsStates(
  alerts: LoadedRecording['alerts'],
  alertname: string,
  times: readonly number[],
  start: number,
  step: number,
): AlertState[] {
  const rank: Record<AlertState, number> = { inactive: 0, pending: 1, firing: 2 };
  const states: AlertState[] = times.map(() => 'inactive');
  for (const s of alerts) {
    if (s.labels.alertname !== alertname) continue;
    const state = s.labels.alertstate;
    if (state !== 'pending' && state !== 'firing') continue;
    for (const [t, v] of s.points) {
      if (v === null) continue;
      // The first evaluation time at or after the sample: (time - step, time] holds it.
      const i = Math.ceil((t - start) / step);
      if (i >= 0 && i < states.length && rank[state] > rank[states[i]!]) states[i] = state;
    }
  }
  return states;
}

function toLines(
  series: readonly { labels: Labels; points: readonly { t: number; v: number }[] }[],
  times: readonly number[],
  start: number,
): ChartLine[] {
  const index = new Map(times.map((t, i) => [start + t, i]));
  return series.slice(0, MAX_CHART_LINES).map((s) => {
    const values: (number | null)[] = times.map(() => null);
    for (const p of s.points) {
      const i = index.get(p.t);
      if (i !== undefined) values[i] = p.v;
    }
    return { key: formatLabelSet(s.labels), labels: s.labels, values };
  });
}

/** Joins equal consecutive states into spans; each evaluation holds until the next one. */
export function toSpans<S extends string>(
  times: readonly number[],
  step: number,
  states: readonly S[],
): StateSpan<S>[] {
  const spans: StateSpan<S>[] = [];
  const end = times[times.length - 1] ?? 0;
  states.forEach((state, i) => {
    const from = times[i] ?? 0;
    // The last evaluation's state holds past the end of the timeline: cut it there.
    const to = Math.min(from + step, Math.max(end, from));
    const last = spans[spans.length - 1];
    if (last && last.state === state) spans[spans.length - 1] = { ...last, to };
    else spans.push({ from, to, state });
  });
  return spans;
}

function formatLabelSet(labels: Labels): string {
  const name = labels.__name__ ?? '';
  const rest = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}="${labels[k] ?? ''}"`)
    .join(', ');
  return `${name}{${rest}}`;
}

/**
 * The new view, sharing every part that equals the previous view's (same scenario, same rule),
 * so that components memoized on their props only redraw what changed.
 */
export function reuseUnchanged(prev: ViewModel | null, next: ViewModel): ViewModel {
  // A rule's view depends on the scenario too: nothing is shared across scenarios.
  if (!prev || prev.scenarioKey !== next.scenarioKey) return next;
  const rules = next.rules.map((r) => {
    const old = r.key === undefined ? undefined : prev.rules.find((p) => p.key === r.key);
    return old ?? r;
  });
  return {
    ...next,
    times: prev.times,
    members: prev.members,
    raw: prev.raw,
    ...(prev.ruleChartsKey === next.ruleChartsKey ? { ruleCharts: prev.ruleCharts } : {}),
    truth: prev.truth,
    catalog: prev.catalog,
    rules,
  };
}

/** What the page already has of a view: the worker leaves those parts out of its answer. */
export interface ViewBase {
  readonly scenarioKey: string;
  readonly ruleKeys: readonly string[];
  readonly ruleChartsKey: string;
}

/**
 * A rule view as the worker sends it to a page that shows an earlier view of the same rule: only
 * the fields that differ from that view (`from`, by its key), and the optional fields it no longer
 * has (`removed`). A slider step that moves a threshold changes the rule's text and, often, nothing
 * it draws: the page then keeps its charts', bands' and scores' objects, and draws none of them
 * again.
 */
export interface RulePatch {
  readonly from: string;
  readonly patch: Partial<RuleView> & { readonly key: string; readonly id: string };
  readonly removed: readonly (keyof RuleView)[];
}

/**
 * A view as the worker sends it: whole, or (when the page already shows the same scenario) only
 * the rule views it lacks, the others named by their key, and a changed rule as a patch of the
 * page's view of it. Copying a scenario's series catalog, raw lines and truth to the page on every
 * slider step cost more than evaluating the rule.
 */
export type ViewUpdate =
  | { readonly kind: 'whole'; readonly view: ViewModel }
  | {
      readonly kind: 'rules';
      readonly scenarioKey: string;
      readonly rules: readonly (RuleView | string | RulePatch)[];
      /** The rule charts, when the page's are not these. */
      readonly ruleCharts?: { readonly key: string; readonly charts: readonly RawChart[] };
    };

/** The base the page has, for the worker. */
export function viewBase(view: ViewModel | null): ViewBase | null {
  if (!view) return null;
  return {
    scenarioKey: view.scenarioKey,
    ruleKeys: view.rules.flatMap((r) => (r.key === undefined ? [] : [r.key])),
    ruleChartsKey: view.ruleChartsKey,
  };
}

/** Whether two values of plain data (what postMessage copies) are equal, NaN equal to NaN. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  }
  return true;
}

/** The patch that turns `old` into `next` (views of the same rule). */
function rulePatch(old: RuleView & { key: string }, next: RuleView & { key: string }): RulePatch {
  const patch: Record<string, unknown> = { key: next.key, id: next.id };
  const removed: (keyof RuleView)[] = [];
  for (const k of Object.keys(next) as (keyof RuleView)[]) {
    if (k === 'key' || k === 'id') continue;
    if (!(k in old) || !sameData(old[k], next[k])) patch[k] = next[k];
  }
  for (const k of Object.keys(old) as (keyof RuleView)[]) if (!(k in next)) removed.push(k);
  return { from: old.key, patch: patch as RulePatch['patch'], removed };
}

/**
 * The update to send to a page that has `base`. `known` finds the rule views of the page's keys
 * the worker still remembers: a changed rule is sent as a patch of the page's view of it.
 */
export function toUpdate(
  view: ViewModel,
  base: ViewBase | null,
  known: (key: string) => RuleView | undefined = () => undefined,
): ViewUpdate {
  if (!base || base.scenarioKey !== view.scenarioKey) return { kind: 'whole', view };
  const keys = new Set(base.ruleKeys);
  const shown = new Map<string, RuleView & { key: string }>();
  for (const k of base.ruleKeys) {
    const r = known(k);
    if (r && r.key === k && !shown.has(r.id)) shown.set(r.id, { ...r, key: k });
  }
  return {
    kind: 'rules',
    scenarioKey: view.scenarioKey,
    rules: view.rules.map((r) => {
      if (r.key === undefined) return r;
      if (keys.has(r.key)) return r.key;
      const old = shown.get(r.id);
      return old ? rulePatch(old, { ...r, key: r.key }) : r;
    }),
    ...(base.ruleChartsKey === view.ruleChartsKey
      ? {}
      : { ruleCharts: { key: view.ruleChartsKey, charts: view.ruleCharts } }),
  };
}

/** The lines, each one equal to one of `old` (same key, same values) replaced by that one. */
function reuseLines(old: readonly ChartLine[], lines: readonly ChartLine[]): readonly ChartLine[] {
  const byKey = new Map(old.map((l) => [l.key, l]));
  return lines.map((l) => {
    const o = byKey.get(l.key);
    return o && sameData(o, l) ? o : l;
  });
}

/** The page's view of a rule after a patch of its earlier view. */
function applyPatch(old: RuleView, p: RulePatch): RuleView {
  const next: Record<string, unknown> = { ...old, ...p.patch };
  for (const k of p.removed) delete next[k];
  if (p.patch.lines) next.lines = reuseLines(old.lines, p.patch.lines);
  return next as unknown as RuleView;
}

/** The page's new view from its old one and an update; null if the update needs another base. */
export function applyUpdate(prev: ViewModel | null, update: ViewUpdate): ViewModel | null {
  if (update.kind === 'whole') return reuseUnchanged(prev, update.view);
  if (!prev || prev.scenarioKey !== update.scenarioKey) return null;
  const rules: RuleView[] = [];
  for (const r of update.rules) {
    if (typeof r === 'string' || 'from' in r) {
      const key = typeof r === 'string' ? r : r.from;
      const old = prev.rules.find((p) => p.key === key);
      if (!old) return null;
      rules.push(typeof r === 'string' ? old : applyPatch(old, r));
    } else rules.push(r);
  }
  if (update.ruleCharts)
    return {
      ...prev,
      rules,
      ruleCharts: update.ruleCharts.charts,
      ruleChartsKey: update.ruleCharts.key,
    };
  return { ...prev, rules };
}
