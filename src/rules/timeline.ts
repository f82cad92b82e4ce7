// Replays one alerting rule over a time range on the rule manager's schedule (start,
// start+interval, … ≤ end, as promtool's unit tests run it): the expression's output at each
// evaluation and every alert's state transitions, for the UI's timeline.
import {
  evalRange,
  parseExpr,
  type Labels,
  type Result,
  type SeriesStore,
  type SubtreeCache,
} from '../promql/index.ts';
import { AlertingRule, type AlertRuleSpec, type AlertState } from './alerting.ts';
import { makeQueryFn, type QueryFn, type QuerySample } from './engine.ts';

/** The rule's state and expression output at each evaluation, and each alert's history. */
export interface AlertTimeline {
  steps: { t: number; state: AlertState; samples: { labels: Labels; v: number }[] }[];
  alerts: {
    labels: Labels;
    annotations: Record<string, string>;
    transitions: { t: number; state: AlertState }[];
  }[];
  /** The first evaluation that failed (the rule keeps its previous state at that step). */
  error?: { t: number; message: string };
}

/** Evaluates an alerting rule at start, start+interval, … ≤ end (ms) over `store`. */
export function alertTimeline(
  rule: AlertRuleSpec,
  store: SeriesStore,
  range: { start: number; end: number; interval: number },
  opts: {
    compat?: 'v2' | 'v3';
    /** Sub-expression results shared with other range queries on the store (see SubtreeCache). */
    reuse?: SubtreeCache;
  } = {},
): Result<AlertTimeline> {
  const compat = opts.compat ?? 'v3';
  const parsed = opts.reuse
    ? opts.reuse.parse(rule.expr, { compat })
    : parseExpr(rule.expr, { compat });
  if (!parsed.ok) return parsed;
  if (!(range.interval > 0)) {
    return { ok: false, error: { from: 0, to: 0, message: 'interval must be positive' } };
  }
  const instant = makeQueryFn(store, { compat, defaultSubqueryStep: range.interval });
  // One range evaluation gives the expression's value at every step (a range query is instant
  // queries at each step); fall back to instant queries when it fails, e.g. on an error at one
  // step that must only affect that step.
  const byStep = new Map<number, QuerySample[]>();
  // `@ start()`/`@ end()` mean the evaluation time in a rule's instant query but the range's
  // ends in a range query: such rules take the instant path. The range query gets the text, not
  // the parsed tree, so that its annotations carry their (line:col) positions.
  const ranged = /\b(start|end)\s*\(\s*\)/.test(rule.expr)
    ? null
    : evalRange(rule.expr, store, range.start, range.end, range.interval, {
        compat,
        defaultSubqueryStep: range.interval,
        ...(opts.reuse && { reuse: opts.reuse }),
      });
  if (ranged?.ok) {
    for (let t = range.start; t <= range.end; t += range.interval) byStep.set(t, []);
    for (const series of ranged.value.series) {
      for (const p of series.points) byStep.get(p.t)?.push({ labels: series.labels, v: p.v });
    }
  }
  const query: QueryFn = (expr, t) => {
    const pre = expr === rule.expr ? byStep.get(t) : undefined;
    return pre ? { ok: true, samples: pre } : instant(expr, t);
  };
  const times: number[] = [];
  for (let t = range.start; t <= range.end; t += range.interval) times.push(t);
  // Prometheus's annotations of the query (a rate over a gauge …), from the range evaluation.
  const warnings = ranged?.ok ? ranged.warnings : [];
  return { ok: true, value: replayAlerts(rule, times, query, compat), warnings };
}

/**
 * Runs the alert state machine at the given evaluation times with a query function, recording
 * the rule's state and output at each time and every alert's transitions.
 */
export function replayAlerts(
  rule: AlertRuleSpec,
  times: Iterable<number>,
  query: QueryFn,
  compat: 'v2' | 'v3' = 'v3',
): AlertTimeline {
  const ar = new AlertingRule(rule, { compat });
  const timeline: AlertTimeline = { steps: [], alerts: [] };
  const history = new Map<string, AlertTimeline['alerts'][number]>();
  for (const t of times) {
    const res = ar.eval(t, query);
    if (!res.ok) {
      timeline.error ??= { t, message: res.error };
      timeline.steps.push({ t, state: ar.state(), samples: [] });
      continue;
    }
    timeline.steps.push({ t, state: ar.state(), samples: res.samples });
    const present = new Set<string>();
    for (const [key, a] of ar.active) {
      present.add(key);
      let h = history.get(key);
      if (!h) {
        h = { labels: a.labels, annotations: a.annotations, transitions: [] };
        history.set(key, h);
        timeline.alerts.push(h);
      }
      h.annotations = a.annotations;
      const last = h.transitions[h.transitions.length - 1];
      if (last?.state !== a.state) h.transitions.push({ t, state: a.state });
    }
    // Pending alerts that left the output were deleted: record them as inactive.
    for (const [key, h] of history) {
      if (present.has(key)) continue;
      const last = h.transitions[h.transitions.length - 1];
      if (last && last.state !== 'inactive') h.transitions.push({ t, state: 'inactive' });
    }
  }
  return timeline;
}
