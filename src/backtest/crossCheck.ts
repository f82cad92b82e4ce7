// The cross-check: fetch the raw samples an expression reads, evaluate it here with our engine,
// and list every point where our answer and the server's differ.
// DIVERGENCE: the HTTP API never returns staleness markers, so where the server has them (a
// target that vanished) our evaluation keeps a series for up to the lookback delta longer and
// the cross-check reports those points as differences. On VictoriaMetrics the cross-check also
// names where MetricsQL computes otherwise than PromQL for the expression (dialectNotes).
import {
  SeriesStore,
  children,
  evalRange,
  parseExpr,
  type Expr,
  type Matcher,
  type VectorSelector,
} from '../promql/index.ts';
import type { PrometheusApi, RangeSeries } from './client.ts';
import { backtestError, type Outcome } from './errors.ts';
import { labelText } from './replay.ts';
import { fetchRange } from './run.ts';

/** One point where the two answers differ (null: no point on that side). */
export interface CrossCheckDifference {
  readonly labels: Readonly<Record<string, string>>;
  readonly t: number;
  readonly server: number | null;
  readonly local: number | null;
}

/** The cross-check's outcome. */
export interface CrossCheckResult {
  /** The selectors fetched, as sent. */
  readonly selectors: readonly string[];
  readonly rawSeries: number;
  readonly rawSamples: number;
  /** Points compared (the union of both sides). */
  readonly compared: number;
  readonly differences: readonly CrossCheckDifference[];
  /** Where the server's query language computes this expression otherwise than PromQL. */
  readonly dialectNotes: readonly string[];
}

/** The query language the server speaks: PromQL (Prometheus, Thanos, Mimir) or MetricsQL. */
export type QueryDialect = 'promql' | 'metricsql';

/**
 * Where MetricsQL (VictoriaMetrics) answers the expression otherwise than PromQL, as documented
 * in docs.victoriametrics.com/metricsql ("implemented differently") and in victoria-metrics'
 * own -search.maxLookback help; the points these touch show up as the cross-check's differences.
 */
export function dialectNotes(expr: Expr, dialect: QueryDialect): string[] {
  if (dialect === 'promql') return [];
  const functions = new Set<string>();
  let selectors = false;
  const walk = (e: Expr): void => {
    if (e.type === 'call') functions.add(e.func.name);
    if (e.type === 'vectorSelector') selectors = true;
    for (const c of children(e)) walk(c);
  };
  walk(expr);
  const notes: string[] = [];
  const extrapolated = ['rate', 'increase'].filter((f) => functions.has(f));
  if (extrapolated.length > 0)
    notes.push(
      `MetricsQL's ${extrapolated.join(' and ')} do not extrapolate to the window's edges, and take the last sample before the window into account; PromQL's extrapolate and use only the samples inside it. Their values differ wherever a window is not filled end to end by samples.`,
    );
  if (selectors)
    notes.push(
      "VictoriaMetrics looks back from each step over an interval it detects from the spacing of each series' samples (-search.maxLookback), not PromQL's fixed 5m lookback delta: after a series' last sample it stays in the answer for a different time.",
    );
  return notes;
}

/** Options of a cross-check. Times are ms. */
export interface CrossCheckOptions {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly compat?: 'v2' | 'v3';
  /** The server's --query.lookback-delta (default 5m). */
  readonly lookbackDelta?: number;
  /** The server's answer, if already fetched (the backtest's series). */
  readonly serverSeries?: readonly RangeSeries[];
  /** Length of each raw fetch, ms (default 2h). */
  readonly rawChunkMs?: number;
  /** Relative tolerance for equal values (default 0: exact). */
  readonly tolerance?: number;
  /** The server's query language (default PromQL). */
  readonly dialect?: QueryDialect;
  readonly signal?: AbortSignal;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** A selector's text without offset and @, e.g. `{__name__="up",job=~"etcd"}`. */
export function selectorText(name: string, matchers: readonly Matcher[]): string {
  const ms = matchers.filter((m) => !(m.name === '__name__' && m.type === '=' && m.value === name));
  const parts = ms.map((m) => `${m.name}${m.type}${quote(m.value)}`);
  if (name) parts.unshift(`__name__="${name.replace(/[\\"]/g, (c) => '\\' + c)}"`);
  return `{${parts.join(',')}}`;
}

/**
 * The selectors an expression reads and how far before the evaluation time each can look
 * (range + offset + enclosing subqueries, before the lookback delta).
 */
export function exprSelectors(expr: Expr): { selector: string; reach: number }[] {
  const out = new Map<string, number>();
  const walk = (e: Expr, outer: number, inRange: number): void => {
    if (e.type === 'vectorSelector') {
      add(e, outer, inRange);
      return;
    }
    if (e.type === 'matrixSelector') {
      add(e.selector, outer, e.range);
      return;
    }
    if (e.type === 'subquery') {
      walk(e.expr, outer + e.range + Math.max(0, e.offset), 0);
      return;
    }
    for (const c of children(e)) walk(c, outer, 0);
  };
  const add = (s: VectorSelector, outer: number, range: number) => {
    const key = selectorText(s.name, s.matchers);
    const reach = outer + range + Math.max(0, s.offset);
    out.set(key, Math.max(out.get(key) ?? 0, reach));
  };
  walk(expr, 0, 0);
  return [...out].map(([selector, reach]) => ({ selector, reach }));
}

function sameValue(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return tol > 0 && Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));
}

/** Compares two answers point by point. */
export function compareSeries(
  server: readonly RangeSeries[],
  local: readonly RangeSeries[],
  tolerance = 0,
): { compared: number; differences: CrossCheckDifference[] } {
  const index = (list: readonly RangeSeries[]) => {
    const m = new Map<string, { labels: RangeSeries['labels']; byT: Map<number, number> }>();
    for (const s of list) {
      const key = labelText(s.labels);
      let e = m.get(key);
      if (!e) m.set(key, (e = { labels: s.labels, byT: new Map() }));
      for (const [t, v] of s.points) e.byT.set(t, v);
    }
    return m;
  };
  const a = index(server);
  const b = index(local);
  const differences: CrossCheckDifference[] = [];
  let compared = 0;
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const sa = a.get(key);
    const sb = b.get(key);
    const labels = (sa ?? sb)!.labels;
    const ts = new Set([...(sa?.byT.keys() ?? []), ...(sb?.byT.keys() ?? [])]);
    for (const t of [...ts].sort((x, y) => x - y)) {
      compared++;
      const va = sa?.byT.get(t);
      const vb = sb?.byT.get(t);
      if (va !== undefined && vb !== undefined && sameValue(va, vb, tolerance)) continue;
      differences.push({ labels, t, server: va ?? null, local: vb ?? null });
    }
  }
  differences.sort((x, y) => x.t - y.t);
  return { compared, differences };
}

/** Fetches the raw samples of `selector` in [from, to] with range-selector instant queries. */
async function fetchRaw(
  api: PrometheusApi,
  selector: string,
  from: number,
  to: number,
  chunkMs: number,
  signal: AbortSignal | undefined,
): Promise<Outcome<RangeSeries[]>> {
  const parts: RangeSeries[][] = [];
  const seconds = Math.max(1, Math.ceil(chunkMs / 1000));
  for (let t = from + seconds * 1000; ; t += seconds * 1000) {
    const at = Math.min(t, to);
    const r = await api.queryMatrix(`${selector}[${seconds}s]`, at, signal);
    if (!r.ok) return r;
    parts.push(r.value);
    if (at >= to) break;
  }
  // Points are merged by time; windows overlap at their edges.
  const byKey = new Map<string, { labels: RangeSeries['labels']; byT: Map<number, number> }>();
  for (const part of parts) {
    for (const s of part) {
      const key = labelText(s.labels);
      let e = byKey.get(key);
      if (!e) byKey.set(key, (e = { labels: s.labels, byT: new Map() }));
      for (const [t, v] of s.points) if (t >= from) e.byT.set(t, v);
    }
  }
  return {
    ok: true,
    value: [...byKey.values()].map((e) => ({
      labels: e.labels,
      points: [...e.byT].sort((x, y) => x[0] - y[0]),
    })),
  };
}

/** Evaluates the expression here on the server's raw samples and compares with its answer. */
export async function crossCheck(
  api: PrometheusApi,
  exprText: string,
  opts: CrossCheckOptions,
): Promise<Outcome<CrossCheckResult>> {
  const compat = opts.compat ?? 'v3';
  const parsed = parseExpr(exprText, { compat });
  if (!parsed.ok) {
    return { ok: false, error: backtestError('bad-query', parsed.error.message) };
  }
  const lookback = opts.lookbackDelta ?? 300_000;
  const chunkMs = opts.rawChunkMs ?? 2 * 3_600_000;
  const store = new SeriesStore();
  const selectors = exprSelectors(parsed.value);
  let rawSeries = 0;
  let rawSamples = 0;
  for (const { selector, reach } of selectors) {
    const r = await fetchRaw(
      api,
      selector,
      opts.start - reach - lookback,
      opts.end,
      chunkMs,
      opts.signal,
    );
    if (!r.ok) return r;
    for (const s of r.value) {
      rawSeries++;
      rawSamples += s.points.length;
      store.addSeries(s.labels, s.points);
    }
  }
  let server = opts.serverSeries;
  if (!server) {
    const r = await fetchRange(api, exprText, opts.start, opts.end, opts.step, {
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (!r.ok) return r;
    server = r.value;
  }
  const localResult = evalRange(parsed.value, store, opts.start, opts.end, opts.step, {
    compat,
    lookbackDelta: lookback,
    defaultSubqueryStep: opts.step,
  });
  if (!localResult.ok) {
    return {
      ok: false,
      error: backtestError('bad-query', `our engine: ${localResult.error.message}`),
    };
  }
  const local: RangeSeries[] = localResult.value.series.map((s) => ({
    labels: s.labels,
    points: s.points.map((p) => [p.t, p.v] as const),
  }));
  const { compared, differences } = compareSeries(server, local, opts.tolerance ?? 0);
  return {
    ok: true,
    value: {
      selectors: selectors.map((s) => s.selector),
      rawSeries,
      rawSamples,
      compared,
      differences,
      dialectNotes: dialectNotes(parsed.value, opts.dialect ?? 'promql'),
    },
  };
}
