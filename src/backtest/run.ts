// The backtest: each rule's expression as range queries over the server, chunked with progress
// and cancellable, then the alert state machine replayed on the answers.
import type { AlertRuleSpec, AlertTimeline } from '../rules/index.ts';
import { splitRange, stepTimes } from './chunks.ts';
import type { PrometheusApi, RangeSeries } from './client.ts';
import { backtestError, type BacktestError, type Outcome } from './errors.ts';
import { alertIntervals, labelText, replayRule, type AlertInterval } from './replay.ts';

/** How far the run is: `done` of `total` range queries, the current rule. */
export interface BacktestProgress {
  readonly done: number;
  readonly total: number;
  readonly rule: string;
}

/** Options of a backtest. Times and durations are ms. */
export interface BacktestOptions {
  readonly start: number;
  readonly end: number;
  /** The rules' evaluation interval. */
  readonly step: number;
  /** The state machine's (and templates') semantics; use 'v2' against Prometheus 2.x. */
  readonly compat?: 'v2' | 'v3';
  /** Evaluations per range query (default 720). */
  readonly maxStepsPerQuery?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: BacktestProgress) => void;
}

/** One rule's backtest: the expression's output, the replayed states, the alert intervals. */
export interface RuleBacktest {
  readonly rule: AlertRuleSpec;
  readonly times: readonly number[];
  /** The expression's value, merged over the chunks. */
  readonly series: readonly RangeSeries[];
  readonly timeline: AlertTimeline;
  readonly intervals: readonly AlertInterval[];
  /** The server rejected this rule's query (the other rules still run). */
  readonly error?: BacktestError;
}

/** Merges chunked range query answers by label set, points in time order. */
export function mergeSeries(parts: readonly (readonly RangeSeries[])[]): RangeSeries[] {
  const byKey = new Map<string, { labels: RangeSeries['labels']; points: [number, number][] }>();
  for (const part of parts) {
    for (const s of part) {
      const key = labelText(s.labels);
      let m = byKey.get(key);
      if (!m) byKey.set(key, (m = { labels: s.labels, points: [] }));
      for (const [t, v] of s.points) m.points.push([t, v]);
    }
  }
  const out: RangeSeries[] = [];
  for (const m of byKey.values()) {
    m.points.sort((a, b) => a[0] - b[0]);
    const points = m.points.filter((p, i) => i === 0 || p[0] !== m.points[i - 1]![0]);
    out.push({ labels: m.labels, points });
  }
  return out;
}

/** Runs the range queries chunk by chunk; the first failure ends it. */
export async function fetchRange(
  api: PrometheusApi,
  expr: string,
  start: number,
  end: number,
  step: number,
  opts: {
    maxStepsPerQuery?: number;
    signal?: AbortSignal;
    onChunk?: () => void;
  } = {},
): Promise<Outcome<RangeSeries[]>> {
  const parts: RangeSeries[][] = [];
  for (const c of splitRange(start, end, step, opts.maxStepsPerQuery ?? 720)) {
    const r = await api.queryRange(expr, c.start, c.end, step, opts.signal);
    if (!r.ok) return r;
    parts.push(r.value);
    opts.onChunk?.();
  }
  return { ok: true, value: mergeSeries(parts) };
}

/** Backtests every rule over [start, end] on the server. */
export async function runBacktest(
  api: PrometheusApi,
  rules: readonly AlertRuleSpec[],
  opts: BacktestOptions,
): Promise<Outcome<RuleBacktest[]>> {
  const { start, end, step } = opts;
  if (!(step > 0)) {
    return { ok: false, error: backtestError('bad-query', 'the step must be positive') };
  }
  if (!(end >= start)) {
    return { ok: false, error: backtestError('bad-query', 'the end must not be before the start') };
  }
  const max = opts.maxStepsPerQuery ?? 720;
  const perRule = splitRange(start, end, step, max).length;
  const total = perRule * rules.length;
  const times = stepTimes(start, end, step);
  const out: RuleBacktest[] = [];
  let done = 0;
  for (const rule of rules) {
    opts.onProgress?.({ done, total, rule: rule.alert });
    const before = done;
    const r = await fetchRange(api, rule.expr, start, end, step, {
      maxStepsPerQuery: max,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onChunk: () => {
        done++;
        opts.onProgress?.({ done, total, rule: rule.alert });
      },
    });
    if (!r.ok) {
      if (r.error.kind !== 'bad-query') return r;
      done = before + perRule;
      out.push({
        rule,
        times,
        series: [],
        timeline: { steps: [], alerts: [] },
        intervals: [],
        error: r.error,
      });
      continue;
    }
    const timeline = replayRule(rule, times, r.value, { compat: opts.compat ?? 'v3' });
    out.push({
      rule,
      times,
      series: r.value,
      timeline,
      intervals: alertIntervals(rule.alert, timeline),
    });
  }
  opts.onProgress?.({ done: total, total, rule: '' });
  return { ok: true, value: out };
}
