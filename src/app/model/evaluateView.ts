// Turns a scenario and the candidate rules into everything the screen draws: it simulates the
// cluster, loads the scraped series into the engine's store, evaluates the raw-series queries and
// every rule over the scenario's evaluation schedule, and samples the ground truth. Pure: it runs
// in the Web Worker, in unit tests and in the e2e checks alike.
import { SeriesStore, evalRange, parseExpr, type Expr, type Labels } from '../../promql/index.ts';
import { alertTimeline, type AlertState } from '../../rules/index.ts';
import { simulate, type Member, type Scenario, type Simulation } from '../../sim/index.ts';
import { computeScorecard, type Scorecard } from './scorecard.ts';
import type { RuleDraft } from './rulePresets.ts';

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
  readonly lines: readonly ChartLine[];
  readonly states: readonly AlertState[];
  readonly spans: readonly StateSpan<AlertState>[];
  readonly scorecard: Scorecard | null;
  readonly error: string | null;
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
export function splitThreshold(expr: string): { query: string; threshold: Threshold } | null {
  const parsed = parseExpr(expr);
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

/** Everything the charts need, on one time axis (`times`, Unix ms from the scenario start). */
export interface ViewModel {
  readonly times: readonly number[];
  readonly step: number;
  readonly members: readonly Member[];
  readonly up: readonly ChartLine[];
  readonly failures: readonly ChartLine[];
  readonly rules: readonly RuleView[];
  readonly truth: readonly TruthView[];
  /** Every series' label set, for completion in the editor. */
  readonly catalog: readonly Labels[];
  /** Equal keys mean the same scenario: times, members, raw lines, truth and catalog are equal. */
  readonly scenarioKey: string;
}

/** A simulated scenario loaded into the engine's store, reused while only the rules change. */
export interface PreparedScenario {
  readonly scenario: Scenario;
  readonly sim: Simulation;
  readonly store: SeriesStore;
  /** The rule evaluation times: 0, interval, … up to the duration. */
  readonly times: readonly number[];
  /** The ground truth at each evaluation time. */
  readonly truth: readonly TruthView[];
  /** Every series' label set. */
  readonly catalog: readonly Labels[];
  /**
   * Results already computed on this scenario, by query or rule: while a slider moves one rule,
   * the others and the raw charts are not evaluated again.
   */
  readonly memo: Map<string, unknown>;
  /** Identifies the scenario (its JSON). */
  readonly key: string;
}

/** Simulates the scenario and loads its series into a store. */
export function prepareScenario(scenario: Scenario): PreparedScenario {
  const sim = simulate(scenario);
  const store = new SeriesStore();
  for (const s of sim.series) store.addSeries(s.labels, s.points);
  const times: number[] = [];
  for (let t = 0; t <= scenario.duration; t += scenario.evaluationInterval) times.push(t);
  const truth = times.map((t): TruthView => {
    const p = truthAtTime(sim.truth, t);
    return {
      down: p.down,
      partitioned: p.partitioned,
      quorum: p.quorum,
      canSurvive: p.canSurvive,
      leader: p.leader,
    };
  });
  return {
    scenario,
    sim,
    store,
    times,
    truth,
    catalog: sim.series.map((x) => x.labels),
    memo: new Map(),
    key: JSON.stringify(scenario),
  };
}

/** The rule's alert state at every evaluation time of the prepared scenario. */
export function ruleStates(
  prepared: PreparedScenario,
  rule: RuleDraft,
): { ok: true; states: AlertState[] } | { ok: false; error: string } {
  const { scenario, store } = prepared;
  const timeline = alertTimeline(
    {
      alert: rule.alert,
      expr: rule.expr,
      for: rule.forMs,
      keepFiringFor: rule.keepFiringForMs,
      labels: rule.labels,
      annotations: rule.annotations,
    },
    store,
    { start: 0, end: scenario.duration, interval: scenario.evaluationInterval },
  );
  if (!timeline.ok) return { ok: false, error: timeline.error.message };
  return { ok: true, states: timeline.value.steps.map((s) => s.state) };
}

/** The queries behind the raw-series charts. */
export const rawQueries = {
  up: 'up{job=~".*etcd.*"}',
  failures: 'sum without (To) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[120s]))',
} as const;

/** Simulates the scenario (or reuses a prepared one) and evaluates the raw queries and rules. */
export function evaluateView(
  input: Scenario | PreparedScenario,
  rules: readonly RuleDraft[],
): ViewModel {
  const prepared = 'store' in input ? input : prepareScenario(input);
  const { scenario, sim, store, times, truth } = prepared;
  const step = scenario.evaluationInterval;

  const memo = <T>(key: string, compute: () => T): T => {
    if (prepared.memo.has(key)) return prepared.memo.get(key) as T;
    const v = compute();
    // Bounded: a long tuning session must not grow the worker's memory without end.
    if (prepared.memo.size > 200) prepared.memo.clear();
    prepared.memo.set(key, v);
    return v;
  };

  const rawLines = (expr: string): ChartLine[] =>
    memo(`raw:${expr}`, () => {
      const r = evalRange(expr, store, 0, scenario.duration, step);
      return r.ok ? toLines(r.value.series, times) : [];
    });

  const ruleViews = rules.map((rule): RuleView => {
    const key = `rule:${JSON.stringify(rule)}`;
    return memo(key, () => ({ ...ruleView(rule), key }));
  });
  function ruleView(rule: RuleDraft): Omit<RuleView, 'key'> {
    const split = splitThreshold(rule.expr);
    const valueQuery = split?.query ?? rule.expr;
    const threshold = split?.threshold ?? null;
    const lines = evalRange(valueQuery, store, 0, scenario.duration, step);
    const states = ruleStates(prepared, rule);
    if (!lines.ok || !states.ok) {
      return {
        id: rule.id,
        alert: rule.alert,
        valueQuery,
        threshold,
        lines: [],
        states: [],
        spans: [],
        scorecard: null,
        error: !states.ok ? states.error : !lines.ok ? lines.error.message : '',
      };
    }
    return {
      id: rule.id,
      alert: rule.alert,
      valueQuery,
      threshold,
      lines: toLines(lines.value.series, times),
      states: states.states,
      spans: toSpans(times, step, states.states),
      scorecard: computeScorecard(times, states.states, truth),
      error: null,
    };
  }

  return {
    times,
    step,
    members: sim.members,
    up: rawLines(rawQueries.up),
    failures: rawLines(rawQueries.failures),
    rules: ruleViews,
    truth,
    catalog: prepared.catalog,
    scenarioKey: prepared.key,
  };
}

/** The newest truth point at or before t (the truth is sampled at scrape times). */
function truthAtTime<P extends { t: number }>(points: readonly P[], t: number): P {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((points[mid] as P).t <= t) lo = mid;
    else hi = mid - 1;
  }
  const p = points[lo];
  if (p === undefined) throw new Error('simulation produced no ground truth');
  return p;
}

function toLines(
  series: readonly { labels: Labels; points: readonly { t: number; v: number }[] }[],
  times: readonly number[],
): ChartLine[] {
  const index = new Map(times.map((t, i) => [t, i]));
  return series.map((s) => {
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
    up: prev.up,
    failures: prev.failures,
    truth: prev.truth,
    catalog: prev.catalog,
    rules,
  };
}
