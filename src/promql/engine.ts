// The evaluator, range first as Prometheus's rangeEval (promql/engine.go): every node evaluates
// to its values at all steps of a grid at once, and an instant query is a grid of one step. A
// subquery's inner expression is one more grid (its steps over all outer windows); functions of
// one series' window slide that window along the steps. State lives in the query's context.
import {
  children,
  exprType,
  type AtModifier,
  type Call,
  type Expr,
  type Matcher,
  type MatrixSelector,
  type Subquery,
} from './ast.ts';
import {
  callFunction,
  columnarHistogram,
  functions,
  histogramQuantileAt,
  histogramQuantileColumns,
  type FuncContext,
  type WindowKernel,
  type WindowSpec,
} from './functions.ts';
import type { Labels } from './labels.ts';
import type { ExplainNote, ExplainWindow } from './explain.ts';
import { explainAggregation } from './explainAggregation.ts';
import { explainScalarComparison, explainVectorBinary } from './explainBinary.ts';
import { goDiv } from './mathx.ts';
import {
  aggregate,
  aggregateColumns,
  scalarBinop,
  setBinop,
  vectorBinop,
  vectorColumnsBinop,
  vectorScalarBinop,
  vectorScalarColumns,
  type OperatorOptions,
  type VectorColumns,
} from './operators.ts';
import { QueryState } from './queryState.ts';
import type { SeriesStore, StoredSeries } from './store.ts';
import type { SubtreeCache, SubtreeEntry } from './subtrees.ts';
import { formatExpr } from './printer.ts';
import { EvalError, type EvalValue, type MSeries, type VSample } from './values.ts';

/** Prometheus's default --query.max-samples. */
export const DEFAULT_MAX_SAMPLES = 50e6;

/** Options of an evaluation. */
export interface EvalOptions {
  /** Prometheus 3 (default) or 2 semantics. */
  compat?: 'v3' | 'v2';
  /** ms, default 300000. */
  lookbackDelta?: number;
  /** Default 50e6 (Prometheus's --query.max-samples); promtool's unit tests use 10000. */
  maxSamples?: number;
  /**
   * In a range evaluation, apply maxSamples to each step alone, as an instant query at that
   * step would (for range evaluations that stand in for a rule's instant queries).
   */
  limitEachStep?: boolean;
  /** Wall-clock budget in ms; needs `now`. */
  timeBudgetMs?: number;
  now?: () => number;
  /** Default subquery step (the global evaluation interval), ms; default 60000. */
  defaultSubqueryStep?: number;
  /** Record every node's result at each (instant) evaluation. */
  explain?: boolean;
  /**
   * Keep the metric name until the end of the query (Prometheus 3's experimental
   * promql-delayed-name-removal, which promqltest enables). Default false, as in Prometheus.
   */
  delayedNameRemoval?: boolean;
  /**
   * Sub-expression results kept across range queries on the same store (which must not change
   * meanwhile): a node whose source text, range and options equal an earlier one's is not
   * evaluated again. Owned by the caller; see subtrees.ts.
   */
  reuse?: SubtreeCache;
}

/** One recorded node evaluation for explain mode. */
export interface TraceEntry {
  value: EvalValue;
  notes: ExplainNote[];
}

/** A range vector at one step: each series' window. */
export interface MatrixAt {
  series: MSeries[];
  /** The window the series were selected from: (rangeStart, rangeEnd], ms. */
  rangeStart: number;
  rangeEnd: number;
}

/** A node's values at every step of its evaluator's grid. */
export type StepValues =
  | { kind: 'scalar'; vs: Float64Array }
  | { kind: 'string'; v: string }
  | { kind: 'vector'; at: (k: number) => VSample[]; cols: VectorColumns | null }
  | { kind: 'matrix'; steps: MatrixAt[] };

/**
 * A vector node's values from one array per step. (Nodes that keep their values columnar, as
 * selectors and window functions do, make each step's samples when it is asked for instead.)
 */
function vectorOf(steps: VSample[][]): StepValues {
  return { kind: 'vector', at: (k) => steps[k]!, cols: null };
}

/** The value of a node at step k, as the function implementations and explain take it. */
export function valueAt(v: StepValues, k: number): EvalValue {
  switch (v.kind) {
    case 'scalar':
      return { kind: 'scalar', v: v.vs[k]! };
    case 'string':
      return v;
    case 'vector':
      return { kind: 'vector', samples: v.at(k) };
    case 'matrix': {
      const m = v.steps[k]!;
      return { kind: 'matrix', series: m.series, rangeStart: m.rangeStart, rangeEnd: m.rangeEnd };
    }
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** Everything one query evaluation shares across its grids (the query's and its subqueries'). */
export class QueryContext {
  readonly compat: 'v3' | 'v2';
  readonly lookback: number;
  readonly maxSamples: number;
  readonly defaultStep: number;
  readonly delayedNameRemoval: boolean;
  /** Whether this is a range query (sort functions only warn there). */
  readonly rangeQuery: boolean;
  readonly warnings = new Set<string>();
  readonly trace: Map<Expr, TraceEntry> | null;
  /** The query's caches (Prometheus's EvalNodeHelper, for the whole query). */
  readonly state = new QueryState();
  private readonly selections = new Map<Expr, StoredSeries[]>();
  /** Each node's last output found free of duplicate label sets (see Evaluator.settle). */
  readonly uniqueOutputs = new Map<Expr, readonly Labels[]>();
  /** Series with staleness markers, copied without them once per query for long windows. */
  readonly unmarked = new Map<StoredSeries, { ts: Float64Array; vs: Float64Array }>();
  private evalStartDependent: Map<Expr, boolean> | null = null;
  /** The annotations of the nodes being evaluated for the subtree cache, innermost last. */
  readonly recording: { from: number; notes: { at: number; message: string }[] }[] = [];
  private reuseKeyText: string | null = null;
  /** A range query's steps (evaluated in batches, each an Evaluator with its gridOffset). */
  grid: Float64Array | null = null;
  private readonly deadline: number | null;
  private ticks = 0;

  constructor(
    readonly store: SeriesStore,
    readonly text: string | null,
    /** The query's start and end (ms); @ start() and end() refer to them. */
    readonly start: number,
    readonly end: number,
    /** The range query's step (ms); 0 for instant queries. */
    readonly step: number,
    readonly opts: EvalOptions,
  ) {
    this.compat = opts.compat ?? 'v3';
    this.lookback = opts.lookbackDelta ?? 300_000;
    this.maxSamples = opts.maxSamples ?? DEFAULT_MAX_SAMPLES;
    this.defaultStep = opts.defaultSubqueryStep ?? 60_000;
    this.delayedNameRemoval = opts.delayedNameRemoval ?? false;
    this.rangeQuery = step > 0;
    this.trace = opts.explain ? new Map() : null;
    this.deadline =
      opts.timeBudgetMs !== undefined && opts.now ? opts.now() + opts.timeBudgetMs : null;
  }

  /** What every reused node's key starts with: the query's range and options. */
  get reuseKey(): string {
    this.reuseKeyText ??= [
      this.compat,
      this.lookback,
      this.maxSamples,
      this.defaultStep,
      this.delayedNameRemoval,
      this.start,
      this.end,
      this.step,
    ].join('|');
    return this.reuseKeyText;
  }

  /** Adds a warning or info, with Prometheus's "(line:col)" position suffix. */
  annotate(pos: { from: number }, message: string): void {
    let suffix = '';
    if (this.text !== null) {
      const before = this.text.slice(0, pos.from);
      const line = before.split('\n').length;
      const col = pos.from - before.lastIndexOf('\n');
      suffix = ` (${line}:${col})`;
    }
    this.warnings.add(message + suffix);
    for (const r of this.recording) {
      const at = pos.from - r.from;
      if (!r.notes.some((n) => n.at === at && n.message === message)) r.notes.push({ at, message });
    }
  }

  /** A node's source text in the query (its printed form when the query was not text). */
  source(node: Expr): string {
    return this.text !== null ? this.text.slice(node.from, node.to) : formatExpr(node);
  }

  /** Fails once the time budget is spent (the clock is read every 64 calls). */
  tick(node: Expr): void {
    if (this.deadline === null) return;
    if (++this.ticks % 64 !== 0) return;
    if (this.opts.now!() > this.deadline) {
      throw new EvalError(node, 'query timed out in expression evaluation');
    }
  }

  /** The stored series a selector matches, resolved once per query. */
  select(node: Expr, matchers: readonly Matcher[]): StoredSeries[] {
    const hit = this.selections.get(node);
    if (hit) return hit;
    const nameMatcher = matchers.find((m) => m.name === '__name__' && m.type === '=');
    const candidates = this.store.candidates(nameMatcher?.value);
    const tests = matchers.map((m) => compileMatcher(m, this.compat, this.state));
    // Loops rather than filter and every: a function per candidate adds up over many queries.
    const out: StoredSeries[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const s = candidates[i]!;
      let ok = true;
      for (let j = 0; j < tests.length && ok; j++) ok = tests[j]!(s.labels);
      if (ok) out.push(s);
    }
    this.selections.set(node, out);
    return out;
  }

  refTime(t: number, at: AtModifier | null): number {
    if (!at) return t;
    switch (at.kind) {
      case 'timestamp':
        return at.t;
      case 'start':
        return this.start;
      case 'end':
        return this.end;
      default: {
        const never: never = at;
        return never;
      }
    }
  }

  window(from: number, to: number): ExplainWindow {
    return { from, to, leftClosed: this.compat === 'v2' };
  }

  /**
   * Prometheus 2 (promql/engine.go, the Call case) slides the window of a range argument of
   * the @-unsafe predict_linear with the step, offset for @ relative to the evaluator's start,
   * while the storage only returns samples from the selector's hinted @ range.
   */
  isV2PredictLinearAt(node: Call): boolean {
    const a = node.args[0];
    return (
      this.compat === 'v2' &&
      node.func.name === 'predict_linear' &&
      a?.type === 'matrixSelector' &&
      a.selector.at !== null
    );
  }

  /** Whether a subtree's value depends on its grid's start (then subquery grids are not shared). */
  dependsOnEvalStart(node: Expr): boolean {
    this.evalStartDependent ??= new Map();
    let hit = this.evalStartDependent.get(node);
    if (hit === undefined) {
      hit =
        (node.type === 'call' && this.isV2PredictLinearAt(node)) ||
        children(node).some((c) => this.dependsOnEvalStart(c));
      this.evalStartDependent.set(node, hit);
    }
    return hit;
  }
}

/** The evaluation of nodes over one grid of steps (the query's, or a subquery's inner steps). */
/** Whether a node is worth keeping in the subtree cache: not a literal, not parentheses. */
function reusable(node: Expr): boolean {
  return (
    node.type !== 'numberLiteral' && node.type !== 'stringLiteral' && node.type !== 'parenExpr'
  );
}

export class Evaluator {
  /** The number of steps. */
  readonly n: number;
  /** Samples held at each step so far (Prometheus's currentSamples, per step). */
  readonly samples: Float64Array;
  /** Each step's highest count held only for a while (a subquery's inner evaluation). */
  readonly peaks: Float64Array;
  /** The first step: Prometheus 2's predict_linear with @ slides relative to it. */
  readonly evalStart: number;

  constructor(
    readonly q: QueryContext,
    readonly times: Float64Array,
    evalStart?: number,
    /** Sub-expression results to reuse and keep (a range query's own grid only). */
    private readonly reuse: SubtreeCache | null = null,
    /** Where these steps start in the query's grid (q.grid), for a batch of a range query. */
    readonly gridOffset: number | null = null,
  ) {
    this.n = times.length;
    this.samples = new Float64Array(this.n);
    this.peaks = new Float64Array(this.n);
    this.evalStart = evalStart ?? times[0] ?? q.start;
  }

  /** Counts samples held at step k; fails past maxSamples. */
  add(node: Expr, k: number, count: number): void {
    const held = this.samples[k]! + count;
    this.samples[k] = held;
    if (held > this.q.maxSamples) throw tooManySamples(node);
  }

  /** The most samples held at step k at any moment. */
  peak(k: number): number {
    return Math.max(this.samples[k]!, this.peaks[k]!);
  }

  /** Evaluates a node at every step. */
  eval(node: Expr): StepValues {
    this.q.tick(node);
    const trace = this.q.trace;
    if (this.reuse !== null && !trace && reusable(node)) return this.evalReused(node, this.reuse);
    // A grid without steps (a subquery window without data) evaluates nothing to explain.
    if (!trace || this.n === 0) return this.evalNode(node);
    // Notes describe the node's last step (a subquery's inner nodes run over many).
    const entry: TraceEntry = { value: { kind: 'vector', samples: [] }, notes: [] };
    trace.set(node, entry);
    const v = this.evalNode(node);
    entry.value = valueAt(v, this.n - 1);
    return v;
  }

  /**
   * A node's values from the subtree cache when an equal node was evaluated on this grid before
   * with no more samples held at any step than now (so that it cannot pass the sample limit now
   * where it did not then); else evaluated, and kept. Either way the query ends up as if it had
   * been evaluated: the samples held, a subquery's peak, the annotations.
   */
  private evalReused(node: Expr, cache: SubtreeCache): StepValues {
    const q = this.q;
    const key = `${q.reuseKey}|${this.evalStart}|${this.times[0]}|${this.n}\n${q.source(node)}`;
    const hit = cache.get(key) as SubtreeEntry<StepValues> | undefined;
    const { samples, peaks, n } = this;
    if (hit !== undefined && hit.base.every((b, k) => samples[k]! <= b)) {
      for (let k = 0; k < n; k++) {
        const peak = samples[k]! + hit.peak[k]!;
        if (peak > peaks[k]!) peaks[k] = peak;
        samples[k] = samples[k]! + hit.added[k]!;
      }
      for (const nt of hit.notes) q.annotate({ from: node.from + nt.at }, nt.message);
      return hit.value;
    }
    const base = samples.slice();
    // The node's own peaks, measured from zero, then merged with those before it.
    const before = peaks.slice();
    peaks.fill(0);
    const notes: { at: number; message: string }[] = [];
    q.recording.push({ from: node.from, notes });
    let value: StepValues;
    try {
      value = this.evalNode(node);
    } finally {
      q.recording.pop();
    }
    const added = new Float64Array(n);
    const peak = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      added[k] = samples[k]! - base[k]!;
      const own = peaks[k]!;
      peak[k] = own > 0 ? own - base[k]! : -Infinity;
      peaks[k] = Math.max(before[k]!, own);
    }
    cache.set(key, { value, base, added, peak, notes });
    return value;
  }

  /** Records what an operator did at step k, for explain mode (the last step only). */
  private note(node: Expr, k: number, message: () => ExplainNote): void {
    if (!this.q.trace || k !== this.n - 1) return;
    this.q.trace.get(node)?.notes.push(message());
  }

  private evalNode(node: Expr): StepValues {
    switch (node.type) {
      case 'numberLiteral':
        return { kind: 'scalar', vs: new Float64Array(this.n).fill(node.val) };
      case 'stringLiteral':
        return { kind: 'string', v: node.val };
      case 'parenExpr':
        return this.eval(node.expr);
      case 'unaryExpr': {
        const v = this.eval(node.expr);
        if (node.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', vs: v.vs.map((x) => -x) };
        if (v.kind !== 'vector') throw new EvalError(node, 'unary minus on a non-vector');
        const steps: VSample[][] = [];
        for (let k = 0; k < this.n; k++) {
          const samples = v.at(k).map((s) => ({ labels: s.labels, v: -s.v, dropName: true }));
          steps.push(this.settle(node, samples));
        }
        return vectorOf(steps);
      }
      case 'vectorSelector':
        return this.evalVectorSelector(node);
      case 'matrixSelector': {
        const steps: MatrixAt[] = [];
        for (let k = 0; k < this.n; k++) steps.push(this.matrixAt(node, k));
        return { kind: 'matrix', steps };
      }
      case 'subquery':
        return { kind: 'matrix', steps: this.evalSubquery(node) };
      case 'call':
        return this.evalCall(node);
      case 'aggregation':
        return this.evalAggregation(node);
      case 'binaryExpr':
        return this.evalBinary(node);
      default: {
        const never: never = node;
        throw new Error(`unknown node ${String(never)}`);
      }
    }
  }

  private evalVectorSelector(node: Expr & { type: 'vectorSelector' }): StepValues {
    const q = this.q;
    const selected = q.select(node, node.matchers);
    const closed = q.compat === 'v2';
    let result: StepValues;
    const counts = new Int32Array(this.n);
    if (node.at !== null) {
      // Every step looks at the same instant: one lookup, shared by the steps.
      const samples = this.selectAt(selected, q.refTime(0, node.at) - node.offset, closed);
      counts.fill(samples.length);
      result = { kind: 'vector', at: () => samples, cols: null };
    } else {
      // Which stored sample each step takes (its index at k * n + si), kept columnar until a
      // step's samples are asked for: arrays of their size, not lists grown sample by sample.
      const n = selected.length;
      const cursor = new Int32Array(n).fill(-1);
      const taken = new Int32Array(n * this.n);
      // The same values in columns (step k's at k * n + si), for operators that read them so.
      const vals = new Float64Array(n * this.n);
      const present = new Uint8Array(n * this.n);
      for (let k = 0; k < this.n; k++) {
        const ref = this.times[k]! - node.offset;
        const minT = ref - q.lookback;
        let count = 0;
        for (let si = 0; si < n; si++) {
          const s = selected[si]!;
          const i = advanceTo(s.ts, ref, cursor[si]!);
          cursor[si] = i;
          if (i < 0) continue;
          const st = s.ts[i]!;
          if (closed ? st < minT : st <= minT) continue;
          if (s.stale[i]) continue;
          taken[k * n + si] = i;
          vals[k * n + si] = s.vs[i]!;
          present[k * n + si] = 1;
          count++;
        }
        counts[k] = count;
      }
      const labels = selected.map((s) => s.labels);
      result = {
        kind: 'vector',
        at: (k) => {
          const out: VSample[] = [];
          for (let si = 0; si < n; si++) {
            if (present[k * n + si] === 0) continue;
            const s = selected[si]!;
            const i = taken[k * n + si]!;
            out.push({ labels: s.labels, v: s.vs[i]!, st: s.ts[i]! });
          }
          return out;
        },
        cols: { n, labels, vals, present, dropName: false },
      };
    }
    for (let k = 0; k < this.n; k++) this.add(node, k, counts[k]!);
    for (let k = 0; k < this.n && q.trace; k++) {
      const count = counts[k]!;
      this.note(node, k, () => {
        const ref = q.refTime(this.times[k]!, node.at) - node.offset;
        return {
          kind: 'selected',
          matching: selected.length,
          withSample: count,
          window: q.window(ref - q.lookback, ref),
        };
      });
    }
    return result;
  }

  /** The newest sample of each series at ref within the lookback, skipping markers. */
  private selectAt(selected: StoredSeries[], ref: number, closed: boolean): VSample[] {
    const minT = ref - this.q.lookback;
    const samples: VSample[] = [];
    for (const s of selected) {
      const i = lastAtOrBefore(s.ts, ref);
      if (i < 0) continue;
      const st = s.ts[i]!;
      if (closed ? st < minT : st <= minT) continue;
      if (s.stale[i]) continue;
      samples.push({ labels: s.labels, v: s.vs[i]!, st });
    }
    return samples;
  }

  /** A range selector's windows at step k (counted, and noted for explain). */
  private matrixAt(node: Expr & { type: 'matrixSelector' }, k: number): MatrixAt {
    const q = this.q;
    const vs = node.selector;
    const rangeEnd = q.refTime(this.times[k]!, vs.at) - vs.offset;
    const rangeStart = rangeEnd - node.range;
    const series: MSeries[] = [];
    let total = 0;
    for (const s of q.select(vs, vs.matchers)) {
      const hi = lastAtOrBefore(s.ts, rangeEnd);
      // v3 windows are left-open, v2 windows left-closed.
      const lo =
        q.compat === 'v2' ? firstAtOrAfter(s.ts, rangeStart) : lastAtOrBefore(s.ts, rangeStart) + 1;
      if (hi < lo) continue;
      const sb = s.staleBefore;
      const hasStale = sb !== null && sb[hi + 1]! - sb[lo]! > 0;
      let ts: ArrayLike<number>;
      let values: ArrayLike<number>;
      if (!hasStale) {
        ts = s.ts.subarray(lo, hi + 1);
        values = s.vs.subarray(lo, hi + 1);
      } else {
        const w = withoutMarkers(q, s, lo, hi);
        if (w === null) continue;
        ts = w.ts;
        values = w.vs;
      }
      total += ts.length;
      series.push({ labels: s.labels, ts, vs: values });
    }
    this.add(node, k, total);
    this.note(node, k, () => ({
      kind: 'rangeWindow',
      window: q.window(rangeStart, rangeEnd),
      series: series.length,
      samples: total,
    }));
    return { series, rangeStart, rangeEnd };
  }

  /** The inner evaluation timestamps of a subquery evaluated at t. */
  private subqueryWindow(node: Subquery, t: number): SubqueryWindow {
    const q = this.q;
    const step = node.step || q.defaultStep;
    const rangeEnd = q.refTime(t, node.at) - node.offset;
    const rangeStart = rangeEnd - node.range;
    let first: number;
    if (q.compat === 'v2') {
      first = step * goDiv(rangeStart, step);
      if (first < rangeStart) first += step;
    } else {
      // The first multiple of the step after the window start (floor division, so that
      // windows reaching below zero keep their aligned steps).
      first = step * (Math.floor(rangeStart / step) + 1);
    }
    // Inner steps are counted as they yield samples, as Prometheus counts them; a step count
    // past the server's default limit is refused up front, since even steps that yield nothing
    // take time (a lower limit, as promtool's, still counts only the samples).
    if ((rangeEnd - first) / step + 1 > Math.max(q.maxSamples, DEFAULT_MAX_SAMPLES)) {
      throw tooManySamples(node);
    }
    // Steps at which a bare selector (no @) can find no sample yield nothing: skip them, so a
    // fine step over a window mostly without data costs only the steps that have some.
    let from = first;
    let to = rangeEnd;
    let inner: Expr = node.expr;
    while (inner.type === 'parenExpr') inner = inner.expr;
    if (inner.type === 'vectorSelector' && inner.at === null) {
      let minT = Infinity;
      let maxT = -Infinity;
      for (const s of q.select(inner, inner.matchers)) {
        if (s.ts.length === 0) continue;
        minT = Math.min(minT, s.ts[0]!);
        maxT = Math.max(maxT, s.ts[s.ts.length - 1]!);
      }
      if (minT === Infinity) to = from - step;
      else {
        const lo = minT + inner.offset;
        if (lo > from) from += Math.ceil((lo - from) / step) * step;
        to = Math.min(to, maxT + inner.offset + q.lookback);
      }
    }
    const count = to < from ? 0 : Math.floor((to - from) / step) + 1;
    return { from, count, step, rangeStart, rangeEnd };
  }

  /**
   * A subquery's windows at every step. The inner expression is evaluated once over the union
   * of all steps' inner timestamps (they are multiples of the subquery step, so windows share
   * them), and each window is a view of the inner series' columns.
   */
  private evalSubquery(node: Subquery): MatrixAt[] {
    const windows: SubqueryWindow[] = [];
    for (let k = 0; k < this.n; k++) windows.push(this.subqueryWindow(node, this.times[k]!));
    const out: MatrixAt[] = [];
    if (this.q.dependsOnEvalStart(node.expr)) {
      // Each window's inner grid starts elsewhere: evaluated apart.
      for (let k = 0; k < this.n; k++) {
        const w = windows[k]!;
        const inner = this.innerGrid(node, [{ from: w.from, count: w.count, j: 0 }], w.step, []);
        out.push(this.window(node, k, inner, 0, w.count - 1, w));
      }
      return out;
    }
    // The union as runs of consecutive steps (windows move forward, so runs merge in order),
    // and each window as inner steps j0..j1 of the union.
    const runs: Run[] = [];
    const spans: { k: number; j0: number; j1: number }[] = [];
    let total = 0;
    for (let k = 0; k < this.n; k++) {
      const w = windows[k]!;
      if (w.count === 0) {
        spans.push({ k, j0: 0, j1: -1 });
        continue;
      }
      const last = runs[runs.length - 1];
      const lastEnd = last ? last.from + (last.count - 1) * w.step : -Infinity;
      const wEnd = w.from + (w.count - 1) * w.step;
      if (last && w.from <= lastEnd + w.step) {
        if (wEnd > lastEnd) {
          const more = Math.round((wEnd - lastEnd) / w.step);
          last.count += more;
          total += more;
        }
        const j0 = last.j + Math.round((w.from - last.from) / w.step);
        spans.push({ k, j0, j1: j0 + w.count - 1 });
      } else {
        runs.push({ from: w.from, count: w.count, j: total });
        spans.push({ k, j0: total, j1: total + w.count - 1 });
        total += w.count;
      }
    }
    const step = node.step || this.q.defaultStep;
    const inner = this.innerGrid(node, runs, step, spans);
    for (const { k, j0, j1 } of spans) out.push(this.window(node, k, inner, j0, j1, windows[k]!));
    return out;
  }

  /**
   * A subquery's inner expression over the steps of runs, as series columns. The grid is
   * evaluated in chunks of steps: a window whose points already pass the sample limit fails the
   * query before the rest is computed, as Prometheus's nested evaluator stops once its result
   * is too large.
   */
  private innerGrid(
    node: Subquery,
    runs: readonly Run[],
    step: number,
    spans: readonly { k: number; j0: number; j1: number }[],
  ): InnerGrid {
    let size = 0;
    for (const r of runs) size += r.count;
    const times = new Float64Array(size);
    for (const r of runs) for (let i = 0; i < r.count; i++) times[r.j + i] = r.from + i * step;
    const steps: VSample[][] = [];
    const peaks = new Float64Array(size);
    const prefix = new Float64Array(size + 1);
    for (let a = 0; a < size; a += innerChunk) {
      const b = Math.min(size, a + innerChunk);
      const child = new Evaluator(this.q, times.subarray(a, b));
      const v = child.eval(node.expr);
      for (let j = 0; j < b - a; j++) {
        const samples: VSample[] =
          v.kind === 'vector'
            ? v.at(j)
            : v.kind === 'scalar'
              ? [{ labels: noLabels, v: v.vs[j]! }]
              : [];
        steps.push(samples);
        peaks[a + j] = child.peak(j);
        prefix[a + j + 1] = prefix[a + j]! + samples.length;
      }
      if (b === size) break;
      for (const { k, j0, j1 } of spans) {
        if (j0 >= b || j1 < j0) continue;
        const held = this.samples[k]! + prefix[Math.min(j1 + 1, b)]! - prefix[j0]!;
        if (held > this.q.maxSamples) throw tooManySamples(node);
      }
    }
    return { peaks, ...innerColumns(steps, times, this.q.state) };
  }

  /** The window of a subquery at step k: inner steps j0..j1 (counted, noted for explain). */
  private window(
    node: Subquery,
    k: number,
    inner: InnerGrid,
    j0: number,
    j1: number,
    w: SubqueryWindow,
  ): MatrixAt {
    const q = this.q;
    const held = this.samples[k]!;
    // The inner steps ran on top of what this step holds (as Prometheus's nested evaluator).
    let innerPeak = 0;
    for (let j = j0; j <= j1; j++) innerPeak = Math.max(innerPeak, inner.peaks[j]!);
    if (held + innerPeak > q.maxSamples) throw tooManySamples(node);
    if (held + innerPeak > this.peaks[k]!) this.peaks[k] = held + innerPeak;
    // Series in order of first appearance in the window, each a view of its columns.
    const order: number[] = [];
    const first = inner.first;
    const last = inner.last;
    for (let j = j0; j <= j1; j++) {
      const ids = inner.ids[j]!;
      const pos = inner.pos[j]!;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (inner.seen[id] !== k + 1) {
          inner.seen[id] = k + 1;
          first[id] = pos[i]!;
          order.push(id);
        }
        last[id] = pos[i]!;
      }
    }
    const series: MSeries[] = [];
    let total = 0;
    for (const id of order) {
      const c = inner.columns[id]!;
      const from = first[id]!;
      const to = last[id]! + 1;
      total += to - from;
      series.push({
        labels: c.labels,
        ts: c.ts.subarray(from, to),
        vs: c.vs.subarray(from, to),
        dropName: c.dropName,
      });
    }
    this.add(node, k, total);
    this.note(node, k, () => ({
      kind: 'subquerySteps',
      steps: w.count,
      first: w.count ? w.from : null,
      last: w.count ? w.from + (w.count - 1) * w.step : null,
      stepMs: w.step,
      window: q.window(w.rangeStart, w.rangeEnd),
    }));
    return { series, rangeStart: w.rangeStart, rangeEnd: w.rangeEnd };
  }

  private evalV2PredictLinearArg(node: Expr & { type: 'matrixSelector' }, t: number): MatrixAt {
    const q = this.q;
    const vs = node.selector;
    const anchor = q.refTime(t, vs.at) - vs.offset;
    const hintStart = anchor - node.range;
    const rangeEnd = anchor + (t - this.evalStart);
    const rangeStart = rangeEnd - node.range;
    const lo = Math.max(rangeStart, hintStart);
    const hi = Math.min(rangeEnd, anchor);
    const series: MSeries[] = [];
    for (const s of q.select(vs, vs.matchers)) {
      const ts: number[] = [];
      const values: number[] = [];
      for (let i = firstAtOrAfter(s.ts, lo); i < s.ts.length && s.ts[i]! <= hi; i++) {
        if (s.stale[i]) continue;
        ts.push(s.ts[i]!);
        values.push(s.vs[i]!);
      }
      if (ts.length > 0) series.push({ labels: s.labels, ts, vs: values });
    }
    return { series, rangeStart, rangeEnd };
  }

  /**
   * timestamp() over a selector with @ (rangeEvalTimestampFunctionOverVectorSelector, in
   * Prometheus 2 and 3) replaces the offset by the @ adjustment, so it looks back from @ itself,
   * while the storage only returns samples from the range hinted for the original offset.
   */
  private evalTimestampAt(vs: Expr & { type: 'vectorSelector' }, t: number): VSample[] {
    const q = this.q;
    const at = q.refTime(t, vs.at);
    const hintLo = at - vs.offset - q.lookback;
    const hi = Math.min(at, at - vs.offset);
    const samples: VSample[] = [];
    for (const s of q.select(vs, vs.matchers)) {
      const i = lastAtOrBefore(s.ts, hi);
      if (i < 0 || s.stale[i]) continue;
      const st = s.ts[i]!;
      const inLookback = q.compat === 'v2' ? st >= at - q.lookback : st > at - q.lookback;
      if (!inLookback || st < hintLo) continue;
      samples.push({ labels: s.labels, v: s.vs[i]!, st });
    }
    return samples;
  }

  private evalCall(node: Call): StepValues {
    if (this.q.trace === null) {
      const windowed = this.windowCall(node);
      if (windowed !== null) return windowed;
    }
    const q = this.q;
    const name = node.func.name;
    let first: Expr | undefined = node.args[0];
    while (first?.type === 'parenExpr') first = first.expr;
    const timestampAt =
      name === 'timestamp' && first?.type === 'vectorSelector' && first.at !== null;
    // Arguments: a range selector is windowed step by step (not held for all steps at once).
    const args: (StepValues | ((k: number) => EvalValue))[] = node.args.map((a, i) => {
      if (i === 0 && a.type === 'matrixSelector' && q.isV2PredictLinearAt(node)) {
        return (k: number) => ({
          kind: 'matrix',
          ...this.evalV2PredictLinearArg(a, this.times[k]!),
        });
      }
      if (i === 0 && timestampAt && first?.type === 'vectorSelector') {
        const vs = first;
        return (k: number) => ({
          kind: 'vector',
          samples: this.evalTimestampAt(vs, this.times[k]!),
        });
      }
      if (a.type === 'matrixSelector' && q.trace === null) {
        return (k: number) => ({ kind: 'matrix', ...this.matrixAt(a, k) });
      }
      return this.eval(a);
    });
    // timestamp() reads the stored samples' own time only straight off a selector.
    const stripTimes = name === 'timestamp' && first?.type !== 'vectorSelector';
    // A subquery's points are counted again as the function loads them as its window, as
    // Prometheus's rangeEval does (its evalSubquery result is held while the window is built).
    const subqueryArgs: number[] = [];
    node.args.forEach((a, i) => {
      while (a.type === 'parenExpr') a = a.expr;
      if (a.type === 'subquery') subqueryArgs.push(i);
    });
    const ctx: FuncContext & { t: number } = {
      t: 0,
      call: node,
      compat: q.compat,
      rangeQuery: q.rangeQuery,
      start: q.start,
      end: q.end,
      step: q.step,
      state: q.state,
      warn: (pos, message) => q.annotate(pos, message),
      info: (pos, message) => q.annotate(pos, message),
    };
    const scalars = node.func.returnType === 'scalar' ? new Float64Array(this.n) : null;
    // histogram_quantile over buckets in columns (a window function's output, as rate(…)):
    // read from them, not from a sample object per bucket and step.
    const [qArg, bucketArg] = args;
    const qs =
      name === 'histogram_quantile' && typeof qArg === 'object' && qArg.kind === 'scalar'
        ? qArg.vs
        : null;
    const histogram =
      qs !== null &&
      q.trace === null &&
      typeof bucketArg === 'object' &&
      bucketArg.kind === 'vector' &&
      bucketArg.cols !== null
        ? columnarHistogram(q.state, bucketArg.cols)
        : null;
    if (histogram !== null && qs !== null) {
      // Every step's histograms at once, in columns (a histogram's labels are distinct).
      const cols = histogramQuantileColumns(histogram, qs, this.n, node.args[1]!, ctx);
      if (cols !== null) {
        const { labels, vals, present } = cols;
        return this.columnSteps(node, { n: labels.length, labels, vals, present, dropName: false });
      }
    }
    const steps: VSample[][] = [];
    for (let k = 0; k < this.n; k++) {
      q.tick(node);
      const done =
        histogram === null || qs === null
          ? null
          : histogramQuantileAt(histogram, qs[k]!, k, node.args[1]!, ctx);
      if (done !== null) {
        const samples = this.settle(node, done);
        this.add(node, k, samples.length);
        steps.push(samples);
        continue;
      }
      const at = args.map((a) => (typeof a === 'function' ? a(k) : valueAt(a, k)));
      const a0 = at[0];
      if (stripTimes && a0?.kind === 'vector') {
        at[0] = { kind: 'vector', samples: a0.samples.map((s) => ({ labels: s.labels, v: s.v })) };
      }
      for (let a = 0; a < subqueryArgs.length; a++) {
        const v = at[subqueryArgs[a]!];
        if (v?.kind !== 'matrix') continue;
        let count = 0;
        for (const s of v.series) count += s.ts.length;
        this.add(node, k, count);
      }
      ctx.t = this.times[k]!;
      const result = callFunction(name, at, ctx);
      if (result.kind === 'scalar') {
        if (scalars) scalars[k] = result.v;
        continue;
      }
      const m = q.trace ? at.find((a) => a.kind === 'matrix') : undefined;
      if (m?.kind === 'matrix') {
        this.note(node, k, () => ({
          kind: 'callWindow',
          window: q.window(m.rangeStart, m.rangeEnd),
          inputs: m.series.length,
          out: result.samples.length,
        }));
      }
      const samples = this.settle(node, result.samples);
      this.add(node, k, samples.length);
      steps.push(samples);
    }
    return scalars ? { kind: 'scalar', vs: scalars } : vectorOf(steps);
  }

  /**
   * A function of one series' window over a plain range selector (rate(x[5m]) and the like) at
   * every step at once: each series' window slides along the steps instead of being searched
   * for at each, and the output labels and their uniqueness are settled once. The function
   * runs on each window exactly as the step-by-step path would (a kernel of the same arithmetic
   * where the table has one), so the values are the same bits. Null where the call is not of
   * that shape.
   */
  private windowCall(node: Call): StepValues | null {
    const q = this.q;
    const name = node.func.name;
    const window = functions.get(name)?.window;
    const arg = node.args[0];
    if (window === undefined || arg?.type !== 'matrixSelector' || arg.selector.at !== null) {
      return null;
    }
    const rest = node.args.slice(1);
    if (!rest.every(isConstantScalar)) return null;
    const selected = q.select(arg.selector, arg.selector.matchers);
    const n = selected.length;
    const grid = q.grid;
    // A range query's batches share one pass over its whole grid (within the cell limit): each
    // series' windows slide once per query, not once per batch.
    const whole =
      this.gridOffset !== null && grid !== null && n * grid.length <= maxWindowCallCells;
    if (!whole && n * this.n > maxWindowCallCells) return null;
    const drops = !window.keepsName;
    // The output labels, settled once per query (a range query's batches share them).
    const labels = q.state.node(node, 'window-labels', () => {
      const out = selected.map((s) =>
        drops && !q.delayedNameRemoval ? q.store.labelsWithoutName(s) : s.labels,
      );
      if (drops && !q.delayedNameRemoval && !oneName(selected)) {
        // Names dropped from distinct series may collide; the step-by-step path raises the error.
        const keys = new Set(out.map((l) => q.state.labelsKey(l)));
        if (keys.size !== n) return null;
      }
      return out;
    });
    if (labels === null) return null;
    const marked = drops && q.delayedNameRemoval;
    const slid =
      whole && grid !== null
        ? q.state.node(node, 'window-call', () =>
            this.slideWindows(node, window, arg, selected, labels, marked, grid),
          )
        : this.slideWindows(node, window, arg, selected, labels, marked, this.times);
    return slid === null ? null : this.windowSteps(node, arg, slid, whole ? this.gridOffset! : 0);
  }

  /**
   * The window function of each selected series at every step of a grid, in columns (see
   * windowCall); null where a window yields more than one sample.
   */
  private slideWindows(
    node: Call,
    window: WindowSpec,
    arg: MatrixSelector,
    selected: StoredSeries[],
    labels: readonly Labels[],
    marked: boolean,
    times: Float64Array,
  ): SlidWindows | null {
    const q = this.q;
    const name = node.func.name;
    const n = selected.length;
    const steps = times.length;
    const restValues = node.args.slice(1).map((a) => valueAt(this.eval(a), 0));
    const vals = new Float64Array(n * steps);
    const present = new Uint8Array(n * steps);
    const windowSamples = new Float64Array(steps);
    const notes: ({ pos: { from: number }; message: string }[] | undefined)[] = [];
    let k = 0;
    const ctx: FuncContext & { t: number } = {
      t: 0,
      call: node,
      compat: q.compat,
      rangeQuery: q.rangeQuery,
      start: q.start,
      end: q.end,
      step: q.step,
      state: q.state,
      warn: (pos, message) => (notes[k] ??= []).push({ pos, message }),
      info: (pos, message) => (notes[k] ??= []).push({ pos, message }),
    };
    const closed = q.compat === 'v2';
    const g: WindowGrid = { times, offset: arg.selector.offset, range: arg.range, closed };
    const one: MSeries[] = [{ labels: {}, ts: [], vs: [] }];
    const matrix: EvalValue & { kind: 'matrix' } = {
      kind: 'matrix',
      series: one,
      rangeStart: 0,
      rangeEnd: 0,
    };
    const args: EvalValue[] = [matrix, ...restValues];
    // The implementation on one window at step k: its samples.
    const call = (w: MSeries, rangeStart: number, rangeEnd: number, step: number): EvalValue => {
      k = step;
      one[0] = w;
      matrix.rangeStart = rangeStart;
      matrix.rangeEnd = rangeEnd;
      ctx.t = times[step]!;
      return callFunction(name, args, ctx);
    };
    const out: SlidWindows = { n, labels, vals, present, windowSamples, notes, marked };
    const scalars = restValues.map((v) => (v.kind === 'scalar' ? v.v : NaN));
    const kernels = new Map<string | undefined, WindowKernel | null>();
    // Steps of the current series that slideKernel left to the implementation.
    const pending = new Uint8Array(steps);
    for (let i = 0; i < n; i++) {
      const s = selected[i]!;
      const metricName = s.labels['__name__'];
      let kernel = kernels.get(metricName);
      if (kernel === undefined) {
        kernel = window.kernel?.(q.compat, metricName, scalars) ?? null;
        kernels.set(metricName, kernel);
      }
      // A short series with staleness markers: the kernel slides over the series copied
      // without them (its windows hold the same samples but the markers; the store keeps the
      // copy for the next queries); on a long one the windows holding markers are left to the
      // implementation.
      if (kernel !== null) {
        const clean =
          hasMarkers(s) && s.ts.length <= shortSeries ? q.store.withoutMarkers(s) : null;
        const done =
          clean === null
            ? slideKernel(kernel, s.ts, s.vs, s.staleBefore, g, out, i, pending)
            : slideKernel(kernel, clean.ts, clean.vs, null, g, out, i, pending);
        if (done) continue;
      }
      if (!slideCalls(q, s, i, g, kernel === null ? null : pending, call, out)) return null;
    }
    return out;
  }

  /** This grid's steps of slid windows whose step 0 is the grid's step `from`. */
  private windowSteps(node: Call, arg: MatrixSelector, w: SlidWindows, from: number): StepValues {
    const q = this.q;
    const { n, labels, marked } = w;
    // Each step, accounted and annotated as the step-by-step path does it.
    for (let k = 0; k < this.n; k++) {
      const g = from + k;
      this.add(arg, k, w.windowSamples[g]!);
      const stepNotes = w.notes[g];
      if (stepNotes) for (const nt of stepNotes) q.annotate(nt.pos, nt.message);
      let count = 0;
      for (let i = g * n; i < (g + 1) * n; i++) count += w.present[i]!;
      this.add(node, k, count);
    }
    // The values stay columnar until a step's samples are asked for.
    const vals = w.vals.subarray(from * n, (from + this.n) * n);
    const present = w.present.subarray(from * n, (from + this.n) * n);
    return {
      kind: 'vector',
      at: (step) => {
        const samples: VSample[] = [];
        const base = step * n;
        for (let i = 0; i < n; i++) {
          if (present[base + i] === 0) continue;
          samples.push(
            marked
              ? { labels: labels[i]!, v: vals[base + i]!, dropName: true }
              : { labels: labels[i]!, v: vals[base + i]! },
          );
        }
        return samples;
      },
      cols: { n, labels, vals, present, dropName: marked },
    };
  }

  private evalAggregation(node: Expr & { type: 'aggregation' }): StepValues {
    const q = this.q;
    const param = node.param ? this.eval(node.param) : null;
    const inner = this.eval(node.expr);
    const ctx = {
      compat: q.compat,
      state: q.state,
      warn: (message: string) => q.annotate(node.param ?? node, message),
    };
    if (inner.kind === 'vector' && inner.cols !== null && param === null && !q.trace) {
      // Columns in (a window function's output): aggregated without a sample object per input.
      const steps = aggregateColumns(node, inner.cols, this.n, ctx);
      if (steps !== null) {
        for (let k = 0; k < this.n; k++) {
          q.tick(node);
          this.add(node, k, steps.count(k));
        }
        return { kind: 'vector', at: steps.at, cols: steps.cols };
      }
    }
    const steps: VSample[][] = [];
    for (let k = 0; k < this.n; k++) {
      q.tick(node);
      const p =
        param === null
          ? null
          : param.kind === 'scalar'
            ? param.vs[k]!
            : param.kind === 'string'
              ? param.v
              : null;
      const samples = inner.kind === 'vector' ? inner.at(k) : [];
      const out = aggregate(node, samples, p, ctx);
      this.add(node, k, out.length);
      if (q.trace && k === this.n - 1) {
        for (const n of explainAggregation(node, samples, out)) this.note(node, k, () => n);
      }
      steps.push(out);
    }
    return vectorOf(steps);
  }

  private evalBinary(node: Expr & { type: 'binaryExpr' }): StepValues {
    const q = this.q;
    const lt = exprType(node.lhs);
    const rt = exprType(node.rhs);
    const l = this.eval(node.lhs);
    const r = this.eval(node.rhs);
    if (lt === 'scalar' && rt === 'scalar') {
      const vs = new Float64Array(this.n);
      for (let k = 0; k < this.n; k++) {
        const res = scalarBinop(node.op, scalarAt(l, k), scalarAt(r, k));
        vs[k] = node.bool ? (res[1] ? 1 : 0) : res[0];
      }
      return { kind: 'scalar', vs };
    }
    const opts = { compat: q.compat, delayedNameRemoval: q.delayedNameRemoval, state: q.state };
    if (!q.trace && (lt === 'vector') !== (rt === 'vector')) {
      // A vector in columns (a window function's or an aggregation's output) and a scalar: the
      // result in columns too, without a sample object per input.
      const [vec, scalar] = lt === 'vector' ? [l, r] : [r, l];
      if (vec.kind === 'vector' && vec.cols !== null && scalar.kind === 'scalar') {
        const cols = vectorScalarColumns(node, vec.cols, scalar.vs, this.n, lt !== 'vector', opts);
        if (cols !== null) return this.columnSteps(node, cols);
      }
    }
    const setOp = node.op === 'and' || node.op === 'or' || node.op === 'unless';
    if (!q.trace && !setOp && l.kind === 'vector' && r.kind === 'vector') {
      // Two vectors in columns, matched one to one: the result in columns too.
      if (l.cols !== null && r.cols !== null) {
        const cols = vectorColumnsBinop(node, l.cols, r.cols, this.n, opts);
        if (cols !== null) return this.columnSteps(node, cols);
      }
    }
    let steps: VSample[][];
    if (lt === 'vector' && rt === 'vector') steps = vectorSteps(this, node, l, r, opts);
    else if (lt === 'vector') steps = vectorScalarSteps(this, node, l, r, false, opts);
    else steps = vectorScalarSteps(this, node, r, l, true, opts);
    if (q.trace && this.n > 0) this.explainBinary(node, this.n - 1, l, r, steps[this.n - 1]!);
    return vectorOf(steps);
  }

  /** A node's values from columns: counted at each step, samples made when asked for. */
  private columnSteps(node: Expr, cols: VectorColumns): StepValues {
    const { n, labels, vals, present, dropName } = cols;
    for (let k = 0; k < this.n; k++) {
      this.q.tick(node);
      let count = 0;
      for (let i = k * n; i < (k + 1) * n; i++) count += present[i]!;
      this.add(node, k, count);
    }
    return {
      kind: 'vector',
      at: (k) => {
        const samples: VSample[] = [];
        for (let i = 0; i < n; i++) {
          const at = k * n + i;
          if (present[at] === 0) continue;
          const v = vals[at]!;
          samples.push(
            dropName ? { labels: labels[i]!, v, dropName: true } : { labels: labels[i]!, v },
          );
        }
        return samples;
      },
      cols,
    };
  }

  private explainBinary(
    node: Expr & { type: 'binaryExpr' },
    k: number,
    l: StepValues,
    r: StepValues,
    samples: VSample[],
  ): void {
    const lv = valueAt(l, k);
    const rv = valueAt(r, k);
    const nl = lv.kind === 'vector' ? lv.samples.length : 1;
    const nr = rv.kind === 'vector' ? rv.samples.length : 1;
    const out = samples.length;
    this.note(node, k, () => ({ kind: 'binaryCounts', lhs: nl, rhs: nr, out }));
    const ls = lv.kind === 'vector' ? lv.samples : [];
    const rs = rv.kind === 'vector' ? rv.samples : [];
    const notes =
      lv.kind === 'vector' && rv.kind === 'vector'
        ? explainVectorBinary(node, ls, rs, samples)
        : lv.kind === 'vector'
          ? explainScalarComparison(node, ls, rv.kind === 'scalar' ? rv.v : NaN, false, samples)
          : explainScalarComparison(node, rs, lv.kind === 'scalar' ? lv.v : NaN, true, samples);
    for (const n of notes) this.note(node, k, () => n);
  }

  /**
   * Drops metric names marked for dropping and rejects duplicate label sets, unless name
   * removal is delayed to the end of the query (then finish() does it).
   */
  settle(node: Expr, samples: VSample[]): VSample[] {
    const q = this.q;
    if (q.delayedNameRemoval) return samples;
    let out = samples;
    for (let i = 0; i < samples.length; i++) {
      if (samples[i]!.dropName) {
        out = samples.map((s) =>
          s.dropName ? { labels: q.state.dropMetricName(s.labels), v: s.v, st: s.st } : s,
        );
        break;
      }
    }
    this.checkUnique(node, out);
    return out;
  }

  /**
   * checkDuplicates, skipped when a node yields the very label objects of its last checked
   * output in the same order (steps mostly do: derived label sets are remembered per query).
   */
  private checkUnique(node: Expr, samples: VSample[]): void {
    if (samples.length < 2) return;
    const unique = this.q.uniqueOutputs;
    const last = unique.get(node);
    if (last !== undefined && last.length === samples.length) {
      let same = true;
      for (let i = 0; i < samples.length; i++) {
        if (last[i] !== samples[i]!.labels) {
          same = false;
          break;
        }
      }
      if (same) return;
    }
    checkDuplicates(node, samples, this.q.state);
    unique.set(
      node,
      samples.map((s) => s.labels),
    );
  }

  /** Applies delayed name removal to a query's final vector. */
  finish(node: Expr, samples: VSample[]): VSample[] {
    const q = this.q;
    if (!q.delayedNameRemoval) return samples;
    const out = samples.map((s) =>
      s.dropName ? { labels: q.state.dropMetricName(s.labels), v: s.v, st: s.st } : s,
    );
    checkDuplicates(node, out, q.state);
    return out;
  }
}

const scalarAt = (v: StepValues, k: number): number => (v.kind === 'scalar' ? v.vs[k]! : NaN);
const vectorAt = (v: StepValues, k: number): VSample[] => (v.kind === 'vector' ? v.at(k) : []);

/** A binary operation between two vectors at each step (counted, settled). */
function vectorSteps(
  ev: Evaluator,
  node: Expr & { type: 'binaryExpr' },
  l: StepValues,
  r: StepValues,
  opts: OperatorOptions,
): VSample[][] {
  const q = ev.q;
  const setOp = node.op === 'and' || node.op === 'or' || node.op === 'unless';
  const steps: VSample[][] = [];
  for (let k = 0; k < ev.n; k++) {
    q.tick(node);
    const ls = vectorAt(l, k);
    const rs = vectorAt(r, k);
    const out = setOp ? setBinop(node, ls, rs, q.state) : vectorBinop(node, ls, rs, opts);
    const samples = ev.settle(node, out);
    ev.add(node, k, samples.length);
    steps.push(samples);
  }
  return steps;
}

/** A binary operation between a vector and a scalar at each step (counted, settled). */
function vectorScalarSteps(
  ev: Evaluator,
  node: Expr & { type: 'binaryExpr' },
  vec: StepValues,
  scalar: StepValues,
  scalarOnLeft: boolean,
  opts: OperatorOptions,
): VSample[][] {
  const q = ev.q;
  const steps: VSample[][] = [];
  for (let k = 0; k < ev.n; k++) {
    q.tick(node);
    const out = vectorScalarBinop(node, vectorAt(vec, k), scalarAt(scalar, k), scalarOnLeft, opts);
    const samples = ev.settle(node, out);
    ev.add(node, k, samples.length);
    steps.push(samples);
  }
  return steps;
}

const noLabels: Labels = Object.freeze({});

// Inner steps of a subquery evaluated at once (see Evaluator.innerGrid).
const innerChunk = 4096;

function tooManySamples(node: Expr): EvalError {
  return new EvalError(
    node,
    'query processing would load too many samples into memory in query execution',
  );
}

/** A window function's values over a grid (Evaluator.slideWindows), step k's at k * n + i. */
interface SlidWindows {
  readonly n: number;
  readonly labels: readonly Labels[];
  readonly vals: Float64Array;
  readonly present: Uint8Array;
  /** Samples in the windows at each step, and each step's warnings. */
  readonly windowSamples: Float64Array;
  readonly notes: readonly ({ pos: { from: number }; message: string }[] | undefined)[];
  /** Whether the samples keep a metric name marked for dropping. */
  readonly marked: boolean;
}

/** A subquery's inner steps at one outer step: count steps from `from`, every `step`. */
interface SubqueryWindow {
  readonly from: number;
  readonly count: number;
  readonly step: number;
  readonly rangeStart: number;
  readonly rangeEnd: number;
}

/** Consecutive inner steps of a subquery's union grid, the first at index j. */
interface Run {
  readonly from: number;
  count: number;
  readonly j: number;
}

/** A subquery's inner grid as series columns, and where each step's samples sit in them. */
interface InnerGrid {
  /** The most samples each inner step held at any moment. */
  readonly peaks: Float64Array;
  readonly columns: { labels: Labels; ts: Float64Array; vs: Float64Array; dropName: boolean }[];
  /** For step j, the column of each of its samples and the sample's index in that column. */
  readonly ids: Int32Array[];
  readonly pos: Int32Array[];
  /** Scratch for Evaluator.window: per column, the window's first and last index. */
  readonly first: Int32Array;
  readonly last: Int32Array;
  /** The step (plus one) whose window last met each column. */
  readonly seen: Int32Array;
}

function innerColumns(
  steps: VSample[][],
  times: Float64Array,
  state: QueryState,
): Omit<InnerGrid, 'peaks'> {
  const index = new Map<string, number>();
  const labels: Labels[] = [];
  const dropName: boolean[] = [];
  const counts: number[] = [];
  const ids: Int32Array[] = [];
  const pos: Int32Array[] = [];
  for (const samples of steps) {
    const stepIds = new Int32Array(samples.length);
    const stepPos = new Int32Array(samples.length);
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      const key = state.labelsKey(s.labels);
      let id = index.get(key);
      if (id === undefined) {
        id = labels.length;
        index.set(key, id);
        labels.push(s.labels);
        dropName.push(s.dropName === true);
        counts.push(0);
      }
      stepIds[i] = id;
      stepPos[i] = counts[id]!;
      counts[id]!++;
    }
    ids.push(stepIds);
    pos.push(stepPos);
  }
  const columns = labels.map((l, id) => ({
    labels: l,
    ts: new Float64Array(counts[id]!),
    vs: new Float64Array(counts[id]!),
    dropName: dropName[id]!,
  }));
  steps.forEach((samples, j) => {
    const stepIds = ids[j]!;
    const stepPos = pos[j]!;
    for (let i = 0; i < samples.length; i++) {
      const c = columns[stepIds[i]!]!;
      c.ts[stepPos[i]!] = times[j]!;
      c.vs[stepPos[i]!] = samples[i]!.v;
    }
  });
  const n = labels.length;
  return {
    columns,
    ids,
    pos,
    first: new Int32Array(n),
    last: new Int32Array(n),
    seen: new Int32Array(n),
  };
}

/**
 * The samples lo..hi of a stored series without its staleness markers (null if none is left),
 * in typed arrays like the windows without markers, so that functions see one array kind. A
 * short window is copied on its own; for a long one the series is copied without its markers
 * once per query and the window is a view into that copy (raw index i of a sample that is no
 * marker sits at i - staleBefore[i] in it).
 */
function withoutMarkers(
  q: QueryContext,
  s: StoredSeries,
  lo: number,
  hi: number,
): { ts: Float64Array; vs: Float64Array } | null {
  const sb = s.staleBefore;
  if (sb === null) return { ts: s.ts.subarray(lo, hi + 1), vs: s.vs.subarray(lo, hi + 1) };
  const from = lo - sb[lo]!;
  const to = hi + 1 - sb[hi + 1]!;
  if (to <= from) return null;
  if (!q.unmarked.has(s) && hi - lo < shortWindow) return copyWithoutMarkers(s, lo, hi, to - from);
  const clean = unmarked(q, s);
  return { ts: clean.ts.subarray(from, to), vs: clean.vs.subarray(from, to) };
}

/** A stored series without its staleness markers, copied once per query. */
function unmarked(q: QueryContext, s: StoredSeries): { ts: Float64Array; vs: Float64Array } {
  let clean = q.unmarked.get(s);
  if (clean === undefined) {
    const len = s.ts.length;
    clean = copyWithoutMarkers(s, 0, len - 1, len - (s.staleBefore?.[len] ?? 0));
    q.unmarked.set(s, clean);
  }
  return clean;
}

/** Whether a stored series holds staleness markers. */
function hasMarkers(s: StoredSeries): boolean {
  const sb = s.staleBefore;
  return sb !== null && sb[s.ts.length]! > 0;
}

// Series up to this many samples are copied without their markers whole for a window kernel
// (test files of many short series); longer ones copy only the windows that hold markers.
const shortSeries = 2048;

// Windows with staleness markers up to this many samples are copied on their own.
const shortWindow = 128;

/** The n samples of lo..hi that are no staleness markers, copied. */
function copyWithoutMarkers(
  s: StoredSeries,
  lo: number,
  hi: number,
  n: number,
): { ts: Float64Array; vs: Float64Array } {
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  let j = 0;
  for (let i = lo; i <= hi; i++) {
    if (s.stale[i]) continue;
    ts[j] = s.ts[i]!;
    vs[j] = s.vs[i]!;
    j++;
  }
  return { ts, vs };
}

/** The windows of a range selector along a grid's steps. */
interface WindowGrid {
  readonly times: Float64Array;
  readonly offset: number;
  readonly range: number;
  /** v2's left-closed windows (v3's are left-open). */
  readonly closed: boolean;
}

/**
 * Runs a window kernel over one series at every step, its window's bounds sliding forward. A
 * window holding staleness markers is flagged in pending instead; returns whether none was. Kept
 * apart from the evaluator so that it sees typed arrays only and stays optimised across queries.
 */
function slideKernel(
  kernel: WindowKernel,
  ts: Float64Array,
  vs: Float64Array,
  staleBefore: Int32Array | null,
  g: WindowGrid,
  out: SlidWindows,
  i: number,
  pending: Uint8Array,
): boolean {
  const len = ts.length;
  const times = g.times;
  const { n, vals, present, windowSamples } = out;
  let lo = firstInWindow(ts, (times[0] ?? 0) - g.offset - g.range, g.closed);
  let hi = lo - 1;
  let done = true;
  for (let k = 0; k < times.length; k++) {
    const t = times[k]!;
    const rangeEnd = t - g.offset;
    const rangeStart = rangeEnd - g.range;
    while (hi + 1 < len && ts[hi + 1]! <= rangeEnd) hi++;
    if (g.closed) while (lo < len && ts[lo]! < rangeStart) lo++;
    else while (lo < len && ts[lo]! <= rangeStart) lo++;
    if (hi < lo) continue;
    if (staleBefore !== null && staleBefore[hi + 1]! - staleBefore[lo]! !== 0) {
      pending[k] = 1;
      done = false;
      continue;
    }
    windowSamples[k] = windowSamples[k]! + (hi - lo + 1);
    const at = k * n + i;
    if (kernel(ts, vs, lo, hi, rangeStart, rangeEnd, t, vals, at)) present[at] = 1;
  }
  return done;
}

/**
 * Runs a window function's implementation on one series' windows: at the steps flagged in
 * `only` (which it clears), or at every step. A window's staleness markers are left out. False
 * where a window yields more than one sample.
 */
function slideCalls(
  q: QueryContext,
  s: StoredSeries,
  i: number,
  g: WindowGrid,
  only: Uint8Array | null,
  call: (w: MSeries, rangeStart: number, rangeEnd: number, k: number) => EvalValue,
  out: SlidWindows,
): boolean {
  const { n, vals, present, windowSamples } = out;
  const { times, offset, range, closed } = g;
  const ts = s.ts;
  const len = ts.length;
  const sb = s.staleBefore;
  // lo: the first sample inside the window; hi: the last. Both only move forward.
  let lo = firstInWindow(ts, (times[0] ?? 0) - offset - range, closed);
  let hi = lo - 1;
  for (let k = 0; k < times.length; k++) {
    if (only !== null) {
      if (only[k] === 0) continue;
      only[k] = 0;
    }
    const rangeEnd = times[k]! - offset;
    const rangeStart = rangeEnd - range;
    while (hi + 1 < len && ts[hi + 1]! <= rangeEnd) hi++;
    // v3 windows are left-open, v2 windows left-closed.
    if (closed) while (lo < len && ts[lo]! < rangeStart) lo++;
    else while (lo < len && ts[lo]! <= rangeStart) lo++;
    if (hi < lo) continue;
    let w: MSeries;
    if (sb === null || sb[hi + 1]! - sb[lo]! === 0) {
      w = { labels: s.labels, ts: ts.subarray(lo, hi + 1), vs: s.vs.subarray(lo, hi + 1) };
    } else {
      const kept = withoutMarkers(q, s, lo, hi);
      if (kept === null) continue;
      w = { labels: s.labels, ts: kept.ts, vs: kept.vs };
    }
    windowSamples[k] = windowSamples[k]! + w.ts.length;
    const r = call(w, rangeStart, rangeEnd, k);
    if (r.kind !== 'vector' || r.samples.length > 1) return false;
    const sample = r.samples[0];
    if (sample === undefined) continue;
    vals[k * n + i] = sample.v;
    present[k * n + i] = 1;
  }
  return true;
}

// Above this many (series x steps) cells a window call is evaluated step by step instead.
const maxWindowCallCells = 20_000_000;

/**
 * Whether the series all have one metric name (or none): distinct stored series then stay
 * distinct without it, since they differ in another label.
 */
function oneName(series: readonly StoredSeries[]): boolean {
  const name = series[0]?.labels['__name__'];
  for (let i = 1; i < series.length; i++) {
    if (series[i]!.labels['__name__'] !== name) return false;
  }
  return true;
}

/** Whether an expression is a scalar that is the same at every step (number literals only). */
function isConstantScalar(e: Expr): boolean {
  switch (e.type) {
    case 'numberLiteral':
      return true;
    case 'parenExpr':
      return isConstantScalar(e.expr);
    case 'unaryExpr':
      return isConstantScalar(e.expr);
    case 'binaryExpr':
      return !e.bool && isConstantScalar(e.lhs) && isConstantScalar(e.rhs);
    default:
      return false;
  }
}

/** Fails like Prometheus when an operation yields two samples with the same labels. */
function checkDuplicates(node: Expr, samples: VSample[], state: QueryState): void {
  if (samples.length < 2) return;
  const seen = new Set<string>();
  for (const s of samples) {
    const k = state.labelsKey(s.labels);
    if (seen.has(k)) {
      throw new EvalError(node, 'vector cannot contain metrics with the same labelset');
    }
    seen.add(k);
  }
}

/** Compiles a label matcher to a predicate. */
export function compileMatcher(
  m: Matcher,
  compat: 'v3' | 'v2',
  state: QueryState,
): (l: Labels) => boolean {
  switch (m.type) {
    case '=':
      return (l) => (l[m.name] ?? '') === m.value;
    case '!=':
      return (l) => (l[m.name] ?? '') !== m.value;
    case '=~':
    case '!~': {
      const dotAll = compat === 'v3';
      const re =
        m.compiled?.dotAll === dotAll ? m.compiled.re : state.matcherRegex(m.value, dotAll);
      if (typeof re === 'string') return () => false;
      const want = m.type === '=~';
      return (l) => re.matches(l[m.name] ?? '') === want;
    }
    default: {
      const never: never = m.type;
      return never;
    }
  }
}

/** Index of the last timestamp <= t, or -1. */
export function lastAtOrBefore(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first timestamp >= t (ts.length if none). */
export function firstAtOrAfter(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first sample inside a window starting at rangeStart (left-closed in v2, open in v3). */
function firstInWindow(ts: Float64Array, rangeStart: number, closed: boolean): number {
  return closed ? firstAtOrAfter(ts, rangeStart) : lastAtOrBefore(ts, rangeStart) + 1;
}

/**
 * lastAtOrBefore for a t not before the one that found `from` (steps only move forward): a few
 * linear steps, then a binary search over the rest.
 */
function advanceTo(ts: Float64Array, t: number, from: number): number {
  const len = ts.length;
  let i = from;
  for (let probe = 0; probe < 4; probe++) {
    if (i + 1 >= len || ts[i + 1]! > t) return i;
    i++;
  }
  let lo = i + 1;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
