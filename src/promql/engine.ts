// The evaluator: walks the syntax tree at one timestamp at a time (range queries step through
// their grid), mirroring the semantics of promql/engine.go. Selector matches are resolved once per
// query and windows are found by binary search over the store's sorted typed arrays; subquery
// inner steps are cached by absolute timestamp so consecutive outer steps share them.
import {
  children,
  exprType,
  type AtModifier,
  type Call,
  type Expr,
  type Matcher,
  type Subquery,
} from './ast.ts';
import { callFunction, functions, type FuncContext, type WindowKernel } from './functions.ts';
import { dropMetricName, labelsKey, type Labels } from './labels.ts';
import type { ExplainNote, ExplainWindow } from './explain.ts';
import { explainAggregation } from './explainAggregation.ts';
import { explainScalarComparison, explainVectorBinary } from './explainBinary.ts';
import { goDiv } from './mathx.ts';
import { aggregate, scalarBinop, setBinop, vectorBinop, vectorScalarBinop } from './operators.ts';
import { compileMatcherRegex } from './regex.ts';
import type { SeriesStore, StoredSeries } from './store.ts';
import { EvalError, type EvalValue, type MSeries, type VSample } from './values.ts';

/** Options of an evaluation. */
/** Prometheus's default --query.max-samples. */
export const DEFAULT_MAX_SAMPLES = 50e6;

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
}

/** One recorded node evaluation for explain mode. */
export interface TraceEntry {
  value: EvalValue;
  notes: ExplainNote[];
}

/** Everything one query evaluation shares across its steps. */
export class Evaluator {
  readonly compat: 'v3' | 'v2';
  readonly lookback: number;
  readonly maxSamples: number;
  readonly defaultStep: number;
  readonly delayedNameRemoval: boolean;
  readonly warnings = new Set<string>();
  readonly trace: Map<Expr, TraceEntry> | null;
  private readonly selections = new Map<Expr, StoredSeries[]>();
  private readonly subqueryCache = new Map<Subquery, Map<number, VSample[]>>();
  private readonly deadline: number | null;
  private ticks = 0;
  private currentSamples = 0;
  rangeQuery = false;
  /** Start of the current (sub)query evaluation: the query start, or a subquery's first step. */
  evalStart: number;
  private readonly evalStartDependent = new Map<Expr, boolean>();
  /** The range query's step (ms); 0 for instant queries. */
  step = 0;
  /** How many subqueries the current evaluation is inside (their steps are off the grid). */
  private subqueryDepth = 0;
  private readonly rangeCalls = new Map<Call, RangeCall | null>();
  /** Each node's last output found free of duplicate label sets (see checkUnique). */
  private readonly uniqueOutputs = new Map<Expr, readonly Labels[]>();

  constructor(
    readonly store: SeriesStore,
    readonly text: string | null,
    readonly start: number,
    readonly end: number,
    readonly opts: EvalOptions,
  ) {
    this.compat = opts.compat ?? 'v3';
    this.lookback = opts.lookbackDelta ?? 300_000;
    this.maxSamples = opts.maxSamples ?? DEFAULT_MAX_SAMPLES;
    this.defaultStep = opts.defaultSubqueryStep ?? 60_000;
    this.delayedNameRemoval = opts.delayedNameRemoval ?? false;
    this.evalStart = start;
    this.trace = opts.explain ? new Map() : null;
    this.deadline =
      opts.timeBudgetMs !== undefined && opts.now ? opts.now() + opts.timeBudgetMs : null;
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
  }

  private tick(node: Expr): void {
    if (this.deadline === null) return;
    if (++this.ticks % 64 !== 0) return;
    if (this.opts.now!() > this.deadline) {
      throw new EvalError(node, 'query timed out in expression evaluation');
    }
  }

  /** Counts samples held for the current step; fails past maxSamples. */
  addSamples(node: Expr, n: number): void {
    this.currentSamples += n;
    if (this.currentSamples > this.maxSamples) {
      throw new EvalError(
        node,
        'query processing would load too many samples into memory in query execution',
      );
    }
  }

  /** Starts a new step of a range query (the sample count is per step). */
  resetStep(): void {
    this.currentSamples = 0;
  }

  private select(node: Expr, matchers: readonly Matcher[]): StoredSeries[] {
    const hit = this.selections.get(node);
    if (hit) return hit;
    const nameMatcher = matchers.find((m) => m.name === '__name__' && m.type === '=');
    const candidates = this.store.candidates(nameMatcher?.value);
    const tests = matchers.map((m) => compileMatcher(m, this.compat));
    const out = candidates.filter((s) => tests.every((t) => t(s.labels)));
    this.selections.set(node, out);
    return out;
  }

  private refTime(t: number, at: AtModifier | null): number {
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

  /** Evaluates a node at time t (ms). */
  eval(node: Expr, t: number): EvalValue {
    this.tick(node);
    if (!this.trace) return this.evalNode(node, t);
    // Notes describe the node's latest evaluation (subquery inner nodes run many times).
    const entry: TraceEntry = { value: { kind: 'vector', samples: [] }, notes: [] };
    this.trace.set(node, entry);
    entry.value = this.evalNode(node, t);
    return entry.value;
  }

  /** Records what an operator did, for explain mode (no cost otherwise). */
  note(node: Expr, message: () => ExplainNote): void {
    if (!this.trace) return;
    this.trace.get(node)?.notes.push(message());
  }

  private window(from: number, to: number): ExplainWindow {
    return { from, to, leftClosed: this.compat === 'v2' };
  }

  private evalNode(node: Expr, t: number): EvalValue {
    switch (node.type) {
      case 'numberLiteral':
        return { kind: 'scalar', v: node.val };
      case 'stringLiteral':
        return { kind: 'string', v: node.val };
      case 'parenExpr':
        return this.eval(node.expr, t);
      case 'unaryExpr': {
        const v = this.eval(node.expr, t);
        if (node.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', v: -v.v };
        if (v.kind !== 'vector') throw new EvalError(node, 'unary minus on a non-vector');
        const samples = v.samples.map((s) => ({ labels: s.labels, v: -s.v, dropName: true }));
        return { kind: 'vector', samples: this.settle(node, samples) };
      }
      case 'vectorSelector':
        return this.evalVectorSelector(node, t);
      case 'matrixSelector':
        return this.evalMatrixSelector(node, t);
      case 'subquery':
        return this.evalSubquery(node, t);
      case 'call':
        return this.evalCall(node, t);
      case 'aggregation':
        return this.evalAggregation(node, t);
      case 'binaryExpr':
        return this.evalBinary(node, t);
      default: {
        const never: never = node;
        throw new Error(`unknown node ${String(never)}`);
      }
    }
  }

  private evalVectorSelector(node: Expr & { type: 'vectorSelector' }, t: number): EvalValue {
    const ref = this.refTime(t, node.at) - node.offset;
    const minT = ref - this.lookback;
    const closed = this.compat === 'v2';
    const samples: VSample[] = [];
    for (const s of this.select(node, node.matchers)) {
      const i = lastAtOrBefore(s.ts, ref);
      if (i < 0) continue;
      const st = s.ts[i]!;
      if (closed ? st < minT : st <= minT) continue;
      if (s.stale[i]) continue;
      samples.push({ labels: s.labels, v: s.vs[i]!, st });
    }
    this.addSamples(node, samples.length);
    this.note(node, () => ({
      kind: 'selected',
      matching: this.select(node, node.matchers).length,
      withSample: samples.length,
      window: this.window(minT, ref),
    }));
    return { kind: 'vector', samples };
  }

  private evalMatrixSelector(node: Expr & { type: 'matrixSelector' }, t: number): EvalValue {
    const vs = node.selector;
    const rangeEnd = this.refTime(t, vs.at) - vs.offset;
    const rangeStart = rangeEnd - node.range;
    const series: MSeries[] = [];
    let total = 0;
    for (const s of this.select(vs, vs.matchers)) {
      const hi = lastAtOrBefore(s.ts, rangeEnd);
      // v3 windows are left-open, v2 windows left-closed.
      const lo =
        this.compat === 'v2'
          ? firstAtOrAfter(s.ts, rangeStart)
          : lastAtOrBefore(s.ts, rangeStart) + 1;
      if (hi < lo) continue;
      const sb = s.staleBefore;
      const hasStale = sb !== null && sb[hi + 1]! - sb[lo]! > 0;
      let ts: ArrayLike<number>;
      let values: ArrayLike<number>;
      if (!hasStale) {
        ts = s.ts.subarray(lo, hi + 1);
        values = s.vs.subarray(lo, hi + 1);
      } else {
        const w = withoutMarkers(s, lo, hi);
        if (w === null) continue;
        ts = w.ts;
        values = w.vs;
      }
      total += ts.length;
      series.push({ labels: s.labels, ts, vs: values });
    }
    this.addSamples(node, total);
    this.note(node, () => ({
      kind: 'rangeWindow',
      window: this.window(rangeStart, rangeEnd),
      series: series.length,
      samples: total,
    }));
    return { kind: 'matrix', series, rangeStart, rangeEnd };
  }

  /** The inner evaluation timestamps of a subquery evaluated at t. */
  subqueryTimes(
    node: Subquery,
    t: number,
  ): { times: number[]; rangeStart: number; rangeEnd: number } {
    const step = node.step || this.defaultStep;
    const rangeEnd = this.refTime(t, node.at) - node.offset;
    const rangeStart = rangeEnd - node.range;
    let first: number;
    if (this.compat === 'v2') {
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
    if ((rangeEnd - first) / step + 1 > Math.max(this.maxSamples, DEFAULT_MAX_SAMPLES)) {
      throw new EvalError(
        node,
        'query processing would load too many samples into memory in query execution',
      );
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
      for (const s of this.select(inner, inner.matchers)) {
        if (s.ts.length === 0) continue;
        minT = Math.min(minT, s.ts[0]!);
        maxT = Math.max(maxT, s.ts[s.ts.length - 1]!);
      }
      if (minT === Infinity) to = from - step;
      else {
        const lo = minT + inner.offset;
        if (lo > from) from += Math.ceil((lo - from) / step) * step;
        to = Math.min(to, maxT + inner.offset + this.lookback);
      }
    }
    const times: number[] = [];
    for (let ts = from; ts <= to; ts += step) times.push(ts);
    return { times, rangeStart, rangeEnd };
  }

  private evalSubquery(node: Subquery, t: number): EvalValue {
    const { times, rangeStart, rangeEnd } = this.subqueryTimes(node, t);
    let cache = this.subqueryCache.get(node);
    if (!cache) {
      cache = new Map();
      this.subqueryCache.set(node, cache);
    }
    const bySeries = new Map<
      string,
      { labels: Labels; ts: number[]; vs: number[]; dropName: boolean }
    >();
    const saved = this.currentSamples;
    let total = 0;
    const outerStart = this.evalStart;
    // Inner results are reused by later steps of a range evaluation only.
    const cacheable = this.start !== this.end && !this.dependsOnEvalStart(node.expr);
    this.evalStart = times[0] ?? outerStart;
    this.subqueryDepth++;
    for (const ts of times) {
      let samples = cacheable ? cache.get(ts) : undefined;
      if (!samples) {
        const v = this.eval(node.expr, ts);
        samples =
          v.kind === 'vector' ? v.samples : v.kind === 'scalar' ? [{ labels: {}, v: v.v }] : [];
        if (cacheable) cache.set(ts, samples);
      }
      this.currentSamples = saved;
      for (const s of samples) {
        const key = labelsKey(s.labels);
        let out = bySeries.get(key);
        if (!out) {
          out = { labels: s.labels, ts: [], vs: [], dropName: s.dropName === true };
          bySeries.set(key, out);
        }
        out.ts.push(ts);
        out.vs.push(s.v);
        total++;
        if (saved + total > this.maxSamples) this.addSamples(node, total);
      }
    }
    this.subqueryDepth--;
    this.evalStart = outerStart;
    // Inner results older than this window are not needed by later (increasing) outer steps.
    if (cache.size > times.length * 2 + 16) {
      const min = times[0] ?? rangeEnd;
      for (const k of cache.keys()) if (k < min) cache.delete(k);
    }
    this.addSamples(node, total);
    this.note(node, () => ({
      kind: 'subquerySteps',
      steps: times.length,
      first: times[0] ?? null,
      last: times[times.length - 1] ?? null,
      stepMs: node.step || this.defaultStep,
      window: this.window(rangeStart, rangeEnd),
    }));
    // Typed arrays, like a range selector's windows, so that functions see one array kind.
    const series: MSeries[] = [];
    for (const o of bySeries.values()) {
      series.push({
        labels: o.labels,
        ts: Float64Array.from(o.ts),
        vs: Float64Array.from(o.vs),
        dropName: o.dropName,
      });
    }
    return { kind: 'matrix', series, rangeStart, rangeEnd };
  }

  /**
   * Prometheus 2 (promql/engine.go, the Call case) slides the window of a range argument of
   * the @-unsafe predict_linear with the step, offset for @ relative to the evaluator's start,
   * while the storage only returns samples from the selector's hinted @ range.
   */
  private isV2PredictLinearAt(node: Call): boolean {
    const a = node.args[0];
    return (
      this.compat === 'v2' &&
      node.func.name === 'predict_linear' &&
      a?.type === 'matrixSelector' &&
      a.selector.at !== null
    );
  }

  private evalV2PredictLinearArg(node: Expr & { type: 'matrixSelector' }, t: number): EvalValue {
    const vs = node.selector;
    const anchor = this.refTime(t, vs.at) - vs.offset;
    const hintStart = anchor - node.range;
    const rangeEnd = anchor + (t - this.evalStart);
    const rangeStart = rangeEnd - node.range;
    const lo = Math.max(rangeStart, hintStart);
    const hi = Math.min(rangeEnd, anchor);
    const series: MSeries[] = [];
    for (const s of this.select(vs, vs.matchers)) {
      const ts: number[] = [];
      const values: number[] = [];
      for (let i = firstAtOrAfter(s.ts, lo); i < s.ts.length && s.ts[i]! <= hi; i++) {
        if (s.stale[i]) continue;
        ts.push(s.ts[i]!);
        values.push(s.vs[i]!);
      }
      if (ts.length > 0) series.push({ labels: s.labels, ts, vs: values });
    }
    return { kind: 'matrix', series, rangeStart, rangeEnd };
  }

  /** Whether a subtree's value depends on evalStart (so subquery steps cannot be cached). */
  private dependsOnEvalStart(node: Expr): boolean {
    let hit = this.evalStartDependent.get(node);
    if (hit === undefined) {
      hit =
        (node.type === 'call' && this.isV2PredictLinearAt(node)) ||
        children(node).some((c) => this.dependsOnEvalStart(c));
      this.evalStartDependent.set(node, hit);
    }
    return hit;
  }

  /**
   * timestamp() over a selector with @ (rangeEvalTimestampFunctionOverVectorSelector, in
   * Prometheus 2 and 3) replaces the offset by the @ adjustment, so it looks back from @ itself,
   * while the storage only returns samples from the range hinted for the original offset.
   */
  private evalTimestampAt(vs: Expr & { type: 'vectorSelector' }, t: number): EvalValue {
    const at = this.refTime(t, vs.at);
    const hintLo = at - vs.offset - this.lookback;
    const hi = Math.min(at, at - vs.offset);
    const samples: VSample[] = [];
    for (const s of this.select(vs, vs.matchers)) {
      const i = lastAtOrBefore(s.ts, hi);
      if (i < 0 || s.stale[i]) continue;
      const st = s.ts[i]!;
      const inLookback = this.compat === 'v2' ? st >= at - this.lookback : st > at - this.lookback;
      if (!inLookback || st < hintLo) continue;
      samples.push({ labels: s.labels, v: s.vs[i]!, st });
    }
    return { kind: 'vector', samples };
  }

  private evalCall(node: Call, t: number): EvalValue {
    if (this.rangeQuery && this.subqueryDepth === 0 && this.trace === null) {
      const k = (t - this.start) / this.step;
      if (Number.isInteger(k) && k >= 0) {
        const pre = this.rangeCall(node);
        if (pre && k < pre.steps) return this.rangeCallStep(node, pre, k);
      }
    }
    return this.evalCallAt(node, t);
  }

  /**
   * A range function over a plain range selector (rate(x[5m]) and the like) computed for every
   * step of the range query at once: each series' window slides along the grid instead of being
   * searched for at each step, and the output labels and their uniqueness are settled once. The
   * function itself runs on each window exactly as at a single step, so the values are the same
   * bits. Null where the call is not of that shape.
   */
  private rangeCall(node: Call): RangeCall | null {
    let pre = this.rangeCalls.get(node);
    if (pre === undefined) {
      pre = this.computeRangeCall(node);
      this.rangeCalls.set(node, pre);
    }
    return pre;
  }

  private computeRangeCall(node: Call): RangeCall | null {
    const name = node.func.name;
    const window = functions.get(name)?.window;
    const arg = node.args[0];
    if (window === undefined || arg?.type !== 'matrixSelector' || arg.selector.at !== null) {
      return null;
    }
    const rest = node.args.slice(1);
    if (!rest.every(isConstantScalar)) return null;
    const restValues = rest.map((a) => this.eval(a, this.start));
    const selected = this.select(arg.selector, arg.selector.matchers);
    const n = selected.length;
    const steps = Math.floor((this.end - this.start) / this.step) + 1;
    if (n * steps > maxRangeCallCells) return null;
    const drops = !window.keepsName;
    const labels = selected.map((s) =>
      drops && !this.delayedNameRemoval ? dropMetricName(s.labels) : s.labels,
    );
    if (drops && !this.delayedNameRemoval) {
      // Names dropped from distinct series may collide; the step path raises the error then.
      const keys = new Set(labels.map((l) => labelsKey(l)));
      if (keys.size !== n) return null;
    }
    const vals = new Float64Array(n * steps);
    const present = new Uint8Array(n * steps);
    const windowSamples = new Float64Array(steps);
    const notes: (RangeCallNote[] | undefined)[] = [];
    let k = 0;
    const ctx: FuncContext = {
      t: 0,
      call: node,
      compat: this.compat,
      rangeQuery: true,
      start: this.start,
      end: this.end,
      step: this.step,
      warn: (pos, message) => (notes[k] ??= []).push({ pos, message }),
      info: (pos, message) => (notes[k] ??= []).push({ pos, message }),
    };
    const offset = arg.selector.offset;
    const range = arg.range;
    const start = this.start;
    const step = this.step;
    const closed = this.compat === 'v2';
    const one: MSeries[] = [{ labels: {}, ts: [], vs: [] }];
    const matrix: EvalValue & { kind: 'matrix' } = {
      kind: 'matrix',
      series: one,
      rangeStart: 0,
      rangeEnd: 0,
    };
    const args: EvalValue[] = [matrix, ...restValues];
    const scalars = restValues.map((v) => (v.kind === 'scalar' ? v.v : NaN));
    const kernels = new Map<string | undefined, WindowKernel | null>();
    // Steps of the current series that slideKernel left to the generic path.
    const pending = new Uint8Array(steps);
    for (let i = 0; i < n; i++) {
      const s = selected[i]!;
      const ts = s.ts;
      const len = ts.length;
      const sb = s.staleBefore;
      const metricName = s.labels['__name__'];
      let kernel = kernels.get(metricName);
      if (kernel === undefined) {
        kernel = window.kernel?.(this.compat, metricName, scalars) ?? null;
        kernels.set(metricName, kernel);
      }
      if (kernel !== null) {
        // Windows holding staleness markers are left to the generic path below.
        const g: WindowGrid = { start, step, steps, offset, range, closed };
        if (slideKernel(kernel, ts, s.vs, sb, g, vals, present, n, i, windowSamples, pending)) {
          continue;
        }
      }
      // lo: the first sample inside the window; hi: the last. Both only move forward.
      let lo = 0;
      let hi = -1;
      for (k = 0; k < steps; k++) {
        if (kernel !== null && pending[k] === 0) continue;
        pending[k] = 0;
        const t = start + k * step;
        const rangeEnd = t - offset;
        const rangeStart = rangeEnd - range;
        while (hi + 1 < len && ts[hi + 1]! <= rangeEnd) hi++;
        // v3 windows are left-open, v2 windows left-closed.
        if (closed) while (lo < len && ts[lo]! < rangeStart) lo++;
        else while (lo < len && ts[lo]! <= rangeStart) lo++;
        if (hi < lo) continue;
        const clean = sb === null || sb[hi + 1]! - sb[lo]! === 0;
        if (clean && kernel !== null) {
          windowSamples[k] = windowSamples[k]! + (hi - lo + 1);
          const at = k * n + i;
          if (kernel(ts, s.vs, lo, hi, rangeStart, rangeEnd, t, vals, at)) present[at] = 1;
          continue;
        }
        let w: MSeries;
        if (clean) {
          w = { labels: s.labels, ts: ts.subarray(lo, hi + 1), vs: s.vs.subarray(lo, hi + 1) };
        } else {
          const kept = withoutMarkers(s, lo, hi);
          if (kept === null) continue;
          w = { labels: s.labels, ts: kept.ts, vs: kept.vs };
        }
        windowSamples[k] = windowSamples[k]! + w.ts.length;
        one[0] = w;
        matrix.rangeStart = rangeStart;
        matrix.rangeEnd = rangeEnd;
        (ctx as { t: number }).t = t;
        const r = callFunction(name, args, ctx);
        if (r.kind !== 'vector' || r.samples.length > 1) return null;
        const out = r.samples[0];
        if (out === undefined) continue;
        vals[k * n + i] = out.v;
        present[k * n + i] = 1;
      }
    }
    return {
      steps,
      n,
      labels,
      dropName: drops,
      selector: arg,
      vals,
      present,
      windowSamples,
      notes,
    };
  }

  /** Step k of a precomputed range call, accounted and annotated as the step path does it. */
  private rangeCallStep(node: Call, pre: RangeCall, k: number): EvalValue {
    this.addSamples(pre.selector, pre.windowSamples[k]!);
    const notes = pre.notes[k];
    if (notes) for (const nt of notes) this.annotate(nt.pos, nt.message);
    const samples: VSample[] = [];
    const base = k * pre.n;
    const marked = pre.dropName && this.delayedNameRemoval;
    for (let i = 0; i < pre.n; i++) {
      if (pre.present[base + i] === 0) continue;
      samples.push(
        marked
          ? { labels: pre.labels[i]!, v: pre.vals[base + i]!, dropName: true }
          : { labels: pre.labels[i]!, v: pre.vals[base + i]! },
      );
    }
    this.addSamples(node, samples.length);
    return { kind: 'vector', samples };
  }

  private evalCallAt(node: Call, t: number): EvalValue {
    let first: Expr | undefined = node.args[0];
    while (first?.type === 'parenExpr') first = first.expr;
    const timestampAt =
      node.func.name === 'timestamp' && first?.type === 'vectorSelector' && first.at !== null;
    const args = node.args.map((a, i) =>
      i === 0 && a.type === 'matrixSelector' && this.isV2PredictLinearAt(node)
        ? this.evalV2PredictLinearArg(a, t)
        : i === 0 && timestampAt && first?.type === 'vectorSelector'
          ? this.evalTimestampAt(first, t)
          : this.eval(a, t),
    );
    // timestamp() reads the stored samples' own time only straight off a selector.
    if (node.func.name === 'timestamp') {
      let inner: Expr | undefined = node.args[0];
      while (inner?.type === 'parenExpr') inner = inner.expr;
      const a = args[0];
      if (inner?.type !== 'vectorSelector' && a?.kind === 'vector') {
        args[0] = { kind: 'vector', samples: a.samples.map((s) => ({ labels: s.labels, v: s.v })) };
      }
    }
    // A subquery's points are counted again as the function loads them as its window, as
    // Prometheus's rangeEval does (its evalSubquery result is held while the window is built).
    node.args.forEach((a, i) => {
      while (a.type === 'parenExpr') a = a.expr;
      const v = args[i];
      if (a.type === 'subquery' && v?.kind === 'matrix') {
        let n = 0;
        for (const s of v.series) n += s.ts.length;
        this.addSamples(node, n);
      }
    });
    const result = callFunction(node.func.name, args, {
      t,
      call: node,
      compat: this.compat,
      rangeQuery: this.rangeQuery,
      start: this.start,
      end: this.end,
      step: this.step,
      warn: (pos, message) => this.annotate(pos, message),
      info: (pos, message) => this.annotate(pos, message),
    });
    if (result.kind === 'scalar') return result;
    const m = args.find((a) => a.kind === 'matrix');
    if (m?.kind === 'matrix') {
      this.note(node, () => ({
        kind: 'callWindow',
        window: this.window(m.rangeStart, m.rangeEnd),
        inputs: m.series.length,
        out: result.samples.length,
      }));
    }
    const samples = this.settle(node, result.samples);
    this.addSamples(node, samples.length);
    return { kind: 'vector', samples };
  }

  private evalAggregation(node: Expr & { type: 'aggregation' }, t: number): EvalValue {
    let param: number | string | null = null;
    if (node.param) {
      const p = this.eval(node.param, t);
      param = p.kind === 'scalar' || p.kind === 'string' ? p.v : null;
    }
    const inner = this.eval(node.expr, t);
    const samples = inner.kind === 'vector' ? inner.samples : [];
    const out = aggregate(node, samples, param, {
      compat: this.compat,
      warn: (message) => this.annotate(node.param ?? node, message),
    });
    this.addSamples(node, out.length);
    if (this.trace)
      for (const n of explainAggregation(node, samples, out)) this.note(node, () => n);
    return { kind: 'vector', samples: out };
  }

  private evalBinary(node: Expr & { type: 'binaryExpr' }, t: number): EvalValue {
    const lt = exprType(node.lhs);
    const rt = exprType(node.rhs);
    const l = this.eval(node.lhs, t);
    const r = this.eval(node.rhs, t);
    if (lt === 'scalar' && rt === 'scalar') {
      const lv = l.kind === 'scalar' ? l.v : NaN;
      const rv = r.kind === 'scalar' ? r.v : NaN;
      const [v, keep] = scalarBinop(node.op, lv, rv);
      return { kind: 'scalar', v: node.bool ? (keep ? 1 : 0) : v };
    }
    let samples: VSample[];
    if (lt === 'vector' && rt === 'vector') {
      const ls = l.kind === 'vector' ? l.samples : [];
      const rs = r.kind === 'vector' ? r.samples : [];
      samples =
        node.op === 'and' || node.op === 'or' || node.op === 'unless'
          ? setBinop(node, ls, rs)
          : vectorBinop(node, ls, rs, this);
    } else if (lt === 'vector') {
      samples = vectorScalarBinop(
        node,
        l.kind === 'vector' ? l.samples : [],
        r.kind === 'scalar' ? r.v : NaN,
        false,
        this,
      );
    } else {
      samples = vectorScalarBinop(
        node,
        r.kind === 'vector' ? r.samples : [],
        l.kind === 'scalar' ? l.v : NaN,
        true,
        this,
      );
    }
    samples = this.settle(node, samples);
    this.addSamples(node, samples.length);
    const nl = l.kind === 'vector' ? l.samples.length : 1;
    const nr = r.kind === 'vector' ? r.samples.length : 1;
    const out = samples.length;
    this.note(node, () => ({ kind: 'binaryCounts', lhs: nl, rhs: nr, out }));
    if (this.trace) {
      const notes =
        lt === 'vector' && rt === 'vector'
          ? explainVectorBinary(
              node,
              l.kind === 'vector' ? l.samples : [],
              r.kind === 'vector' ? r.samples : [],
              samples,
            )
          : lt === 'vector'
            ? explainScalarComparison(
                node,
                l.kind === 'vector' ? l.samples : [],
                r.kind === 'scalar' ? r.v : NaN,
                false,
                samples,
              )
            : explainScalarComparison(
                node,
                r.kind === 'vector' ? r.samples : [],
                l.kind === 'scalar' ? l.v : NaN,
                true,
                samples,
              );
      for (const n of notes) this.note(node, () => n);
    }
    return { kind: 'vector', samples };
  }

  /**
   * Drops metric names marked for dropping and rejects duplicate label sets, unless name
   * removal is delayed to the end of the query (then finish() does it).
   */
  settle(node: Expr, samples: VSample[]): VSample[] {
    if (this.delayedNameRemoval) return samples;
    let out = samples;
    for (let i = 0; i < samples.length; i++) {
      if (samples[i]!.dropName) {
        out = samples.map((s) =>
          s.dropName ? { labels: dropMetricName(s.labels), v: s.v, st: s.st } : s,
        );
        break;
      }
    }
    this.checkUnique(node, out);
    return out;
  }

  /**
   * checkDuplicates, skipped when a node yields the very label objects of its last checked
   * output in the same order (a range query's steps mostly do: derived label sets are cached).
   */
  private checkUnique(node: Expr, samples: VSample[]): void {
    if (samples.length < 2) return;
    const last = this.uniqueOutputs.get(node);
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
    checkDuplicates(node, samples);
    this.uniqueOutputs.set(
      node,
      samples.map((s) => s.labels),
    );
  }

  /** Applies delayed name removal to a query's final vector. */
  finish(node: Expr, samples: VSample[]): VSample[] {
    if (!this.delayedNameRemoval) return samples;
    const out = samples.map((s) =>
      s.dropName ? { labels: dropMetricName(s.labels), v: s.v, st: s.st } : s,
    );
    checkDuplicates(node, out);
    return out;
  }
}

/**
 * The samples lo..hi of a stored series without its staleness markers (null if none is left),
 * in typed arrays like the windows without markers, so that functions see one array kind.
 */
function withoutMarkers(
  s: StoredSeries,
  lo: number,
  hi: number,
): { ts: Float64Array; vs: Float64Array } | null {
  let n = 0;
  for (let i = lo; i <= hi; i++) if (!s.stale[i]) n++;
  if (n === 0) return null;
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

/** The windows of a range selector along a range query's steps. */
interface WindowGrid {
  readonly start: number;
  readonly step: number;
  readonly steps: number;
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
  vals: Float64Array,
  present: Uint8Array,
  n: number,
  i: number,
  windowSamples: Float64Array,
  pending: Uint8Array,
): boolean {
  const len = ts.length;
  let lo = 0;
  let hi = -1;
  let done = true;
  for (let k = 0; k < g.steps; k++) {
    const t = g.start + k * g.step;
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

/** A range call's values at every step of a range query (see Evaluator.rangeCall). */
interface RangeCall {
  readonly steps: number;
  /** The number of selected series. */
  readonly n: number;
  /** Each selected series' output labels (the name already dropped unless removal is delayed). */
  readonly labels: Labels[];
  /** Whether the function drops the metric name. */
  readonly dropName: boolean;
  readonly selector: Expr & { type: 'matrixSelector' };
  /** The value of series i at step k at [k * n + i], where present[k * n + i] is 1. */
  readonly vals: Float64Array;
  readonly present: Uint8Array;
  /** Samples in the windows at each step (counted against maxSamples like the step path). */
  readonly windowSamples: Float64Array;
  /** Warnings and infos raised at each step. */
  readonly notes: (RangeCallNote[] | undefined)[];
}

interface RangeCallNote {
  readonly pos: { from: number };
  readonly message: string;
}

// Above this many (series x steps) cells a range call is evaluated step by step instead.
const maxRangeCallCells = 20_000_000;

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
function checkDuplicates(node: Expr, samples: VSample[]): void {
  if (samples.length < 2) return;
  const seen = new Set<string>();
  for (const s of samples) {
    const k = labelsKey(s.labels);
    if (seen.has(k)) {
      throw new EvalError(node, 'vector cannot contain metrics with the same labelset');
    }
    seen.add(k);
  }
}

/** Compiles a label matcher to a predicate. */
export function compileMatcher(m: Matcher, compat: 'v3' | 'v2'): (l: Labels) => boolean {
  switch (m.type) {
    case '=':
      return (l) => (l[m.name] ?? '') === m.value;
    case '!=':
      return (l) => (l[m.name] ?? '') !== m.value;
    case '=~':
    case '!~': {
      const re = compileMatcherRegex(m.value, compat === 'v3');
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
