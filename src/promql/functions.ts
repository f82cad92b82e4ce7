// The PromQL functions for float samples, one table entry each (signature, implementation and
// window form), mirroring FunctionCalls in promql/functions.go and parser/functions.go. Each
// implementation maps one step's evaluated arguments to output samples; the evaluator selects.
import type { Call, Expr, FunctionDef, ValueType } from './ast.ts';
import {
  goAcos,
  goAsin,
  goAtan,
  goCos,
  goCosh,
  goExp,
  goLog10,
  goLog2,
  goSin,
  goSinh,
  goTan,
  goTanh,
} from './gomath.ts';
import { expandGo } from './regex.ts';
import { formatFloat as formatG, formatGoFloat } from '../text/index.ts';
import type { QueryState } from './queryState.ts';
import { compareLabels, makeLabels, omitLabels, type Labels } from './labels.ts';
import { kahanMean, kahanSumInc, quantile, sortValuesNaNFirst } from './mathx.ts';
import { EvalError, type EvalValue, type MSeries, type VSample } from './values.ts';

/** What a function implementation gets besides its arguments. */
export interface FuncContext {
  /** Evaluation time, ms. */
  readonly t: number;
  readonly call: Call;
  readonly compat: 'v3' | 'v2';
  /** Whether this is one step of a range query (sort functions only warn there). */
  readonly rangeQuery: boolean;
  /** The query's start, end and step (ms); step is 0 for instant queries. */
  readonly start: number;
  readonly end: number;
  readonly step: number;
  /** The query's caches. */
  readonly state: QueryState;
  warn(node: Expr | Call, message: string): void;
  info(node: Expr | Call, message: string): void;
}

export type FuncResult = { kind: 'vector'; samples: VSample[] } | { kind: 'scalar'; v: number };

type FuncImpl = (args: EvalValue[], ctx: FuncContext) => FuncResult;

function vec(samples: VSample[]): FuncResult {
  return { kind: 'vector', samples };
}

function argVector(args: EvalValue[], i: number): VSample[] {
  const a = args[i];
  return a && a.kind === 'vector' ? a.samples : [];
}

function argScalar(args: EvalValue[], i: number): number {
  const a = args[i];
  return a && a.kind === 'scalar' ? a.v : NaN;
}

function argString(args: EvalValue[], i: number): string {
  const a = args[i];
  return a && a.kind === 'string' ? a.v : '';
}

function argMatrix(args: EvalValue[], i: number): Extract<EvalValue, { kind: 'matrix' }> {
  const a = args[i];
  if (a && a.kind === 'matrix') return a;
  return { kind: 'matrix', series: [], rangeStart: 0, rangeEnd: 0 };
}

/** Applies f to every sample's value, dropping the metric name. */
function mapValues(f: (v: number) => number): FuncImpl {
  return (args) =>
    vec(argVector(args, 0).map((s) => ({ labels: s.labels, v: f(s.v), dropName: true })));
}

/** Applies f to each series of the range argument; series for which f returns null are skipped. */
function overTime(
  f: (s: MSeries, args: EvalValue[], ctx: FuncContext) => number | null,
  keepName = false,
): FuncImpl {
  return (args, ctx) => {
    const out: VSample[] = [];
    for (const s of argMatrix(args, 0).series) {
      if (s.ts.length === 0) continue;
      const v = f(s, args, ctx);
      if (v !== null)
        out.push({ labels: s.labels, v, dropName: keepName ? s.dropName === true : true });
    }
    return vec(out);
  };
}

const counterSuffix = /(_total|_sum|_count|_bucket)$/;

/** Mirrors extrapolatedRate in functions.go (rate, increase, delta). */
function extrapolatedRate(isCounter: boolean, isRate: boolean): FuncImpl {
  return (args, ctx) => {
    const m = argMatrix(args, 0);
    const out: VSample[] = [];
    for (const s of m.series) {
      const n = s.ts.length;
      const name = s.labels['__name__'];
      if (
        isCounter &&
        ctx.compat === 'v3' &&
        name !== undefined &&
        n > 0 &&
        !counterSuffix.test(name)
      ) {
        ctx.info(
          ctx.call.args[0]!,
          `PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "${name}"`,
        );
      }
      if (n < 2) continue;
      const v = extrapolate(s.ts, s.vs, 0, n - 1, m.rangeStart, m.rangeEnd, isCounter, isRate, ctx);
      out.push({ labels: s.labels, dropName: true, v });
    }
    return vec(out);
  };
}

// extrapolateInto's answer for extrapolate.
const rateScratch = new Float64Array(1);

/** extrapolatedRate's value over samples lo..hi (at least two) of a window. */
function extrapolate(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  lo: number,
  hi: number,
  rangeStart: number,
  rangeEnd: number,
  isCounter: boolean,
  isRate: boolean,
  ctx: { readonly compat: 'v3' | 'v2' },
): number {
  extrapolateInto(
    ts,
    vs,
    lo,
    hi,
    rangeStart,
    rangeEnd,
    isCounter,
    isRate,
    ctx,
    true,
    rateScratch,
    0,
  );
  return rateScratch[0]!;
}

/**
 * extrapolate's value written to out[at]: a float returned from a call that is not inlined is
 * boxed (a heap number per window), one written to a typed array is not.
 */
function extrapolateInto(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  lo: number,
  hi: number,
  rangeStart: number,
  rangeEnd: number,
  isCounter: boolean,
  isRate: boolean,
  ctx: { readonly compat: 'v3' | 'v2' },
  /** False where the caller knows no sample of the window is below the one before it. */
  mayReset: boolean,
  out: Float64Array,
  at: number,
): void {
  const n = hi - lo + 1;
  const rangeSeconds = (rangeEnd - rangeStart) / 1000;
  const first = vs[lo]!;
  const last = vs[hi]!;
  let result = last - first;
  if (isCounter && mayReset) {
    let prev = first;
    for (let i = lo + 1; i <= hi; i++) {
      const cur = vs[i]!;
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  const firstT = ts[lo]!;
  const lastT = ts[hi]!;
  let toStart = (firstT - rangeStart) / 1000;
  let toEnd = (rangeEnd - lastT) / 1000;
  const sampled = (lastT - firstT) / 1000;
  const avgGap = sampled / (n - 1);
  const threshold = avgGap * 1.1;
  let factor: number;
  if (ctx.compat === 'v2') {
    // Prometheus 2.x caps the start gap at the zero point before the threshold check.
    if (isCounter && result > 0 && first >= 0) {
      const toZero = sampled * (first / result);
      if (toZero < toStart) toStart = toZero;
    }
    let interval = sampled;
    interval += toStart < threshold ? toStart : avgGap / 2;
    interval += toEnd < threshold ? toEnd : avgGap / 2;
    factor = interval / sampled;
  } else {
    if (toStart >= threshold) toStart = avgGap / 2;
    if (isCounter) {
      let toZero = toStart;
      if (result > 0 && first >= 0) toZero = sampled * (first / result);
      if (toZero < toStart) toStart = toZero;
    }
    if (toEnd >= threshold) toEnd = avgGap / 2;
    factor = (sampled + toStart + toEnd) / sampled;
  }
  if (isRate) factor /= rangeSeconds;
  out[at] = result * factor;
}

/** Mirrors instantValue in functions.go (irate, idelta). */
function instantValue(isRate: boolean): FuncImpl {
  return overTime((s) => instantValueOf(s.ts, s.vs, s.ts.length - 1, isRate));
}

/** instantValue over the last two samples up to hi; null when there is no result. */
function instantValueOf(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  hi: number,
  isRate: boolean,
): number | null {
  if (hi < 1) return null;
  const last = vs[hi]!;
  const prev = vs[hi - 1]!;
  let result = isRate && last < prev ? last : last - prev;
  const interval = ts[hi]! - ts[hi - 1]!;
  if (interval === 0) return null;
  if (isRate) result /= interval / 1000;
  return result;
}

/** Least-squares regression as in functions.go's linearRegression. */
function linearRegression(s: MSeries, interceptTime: number): [number, number] {
  return linearRegressionOf(s.ts, s.vs, 0, s.ts.length - 1, interceptTime);
}

/** linearRegression over samples lo..hi. */
function linearRegressionOf(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  lo: number,
  hi: number,
  interceptTime: number,
): [number, number] {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = vs[lo]!;
  // A window of one value (a gauge that stays put) is answered without the sums: Prometheus
  // computes them but returns its constant answer.
  let same = lo;
  while (same < hi && vs[same + 1] === initY) same++;
  if (same >= hi) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  for (let i = lo; i <= hi; i++) {
    const y = vs[i]!;
    n += 1;
    const x = (ts[i]! - interceptTime) / 1000;
    // kahanSumInc (mathx.ts) written out four times: this loop runs over every sample of every
    // window, and the tuples the helper returns would be allocated per sample.
    let t = sumX + x;
    if (t === Infinity || t === -Infinity) cX = 0;
    else if (Math.abs(sumX) >= Math.abs(x)) cX += sumX - t + x;
    else cX += x - t + sumX;
    sumX = t;
    t = sumY + y;
    if (t === Infinity || t === -Infinity) cY = 0;
    else if (Math.abs(sumY) >= Math.abs(y)) cY += sumY - t + y;
    else cY += y - t + sumY;
    sumY = t;
    const xy = x * y;
    t = sumXY + xy;
    if (t === Infinity || t === -Infinity) cXY = 0;
    else if (Math.abs(sumXY) >= Math.abs(xy)) cXY += sumXY - t + xy;
    else cXY += xy - t + sumXY;
    sumXY = t;
    const x2 = x * x;
    t = sumX2 + x2;
    if (t === Infinity || t === -Infinity) cX2 = 0;
    else if (Math.abs(sumX2) >= Math.abs(x2)) cX2 += sumX2 - t + x2;
    else cX2 += x2 - t + sumX2;
    sumX2 = t;
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

/** Prometheus 2.x's avg_over_time: an incremental mean with Kahan compensation. */
function incrementalMeanV2(vs: ArrayLike<number>): number {
  let mean = 0;
  let count = 0;
  let c = 0;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i]!;
    count++;
    if (mean === Infinity || mean === -Infinity) {
      if ((v === Infinity || v === -Infinity) && mean > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    [mean, c] = kahanSumInc(v / count - mean / count, mean, c);
  }
  if (mean === Infinity || mean === -Infinity) return mean;
  return mean + c;
}

function stdvarOf(s: MSeries): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = 0; i < s.vs.length; i++) {
    const f = s.vs[i]!;
    count++;
    const delta = f - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (f - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

/** Go's %f. */
const goFixed = (v: number): string => formatGoFloat(v, 'f', 6);

function smoothing(name: string): FuncImpl {
  return (args) => {
    const sf = argScalar(args, 1);
    const tf = argScalar(args, 2);
    // Prometheus checks the factors inside the per-series call, so only when some series has
    // samples in the window.
    if (argMatrix(args, 0).series.some((s) => s.ts.length > 0)) {
      if (!(sf > 0 && sf < 1)) {
        throw new Error(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${goFixed(sf)}`);
      }
      if (!(tf > 0 && tf < 1)) {
        throw new Error(`invalid trend factor. Expected: 0 < tf < 1, got: ${goFixed(tf)}`);
      }
    }
    void name;
    const out: VSample[] = [];
    for (const s of argMatrix(args, 0).series) {
      const l = s.vs.length;
      if (l < 2) continue;
      let s0 = 0;
      let s1 = s.vs[0]!;
      let b = s.vs[1]! - s.vs[0]!;
      for (let i = 1; i < l; i++) {
        const x = sf * s.vs[i]!;
        if (i - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
        const y = (1 - sf) * (s1 + b);
        s0 = s1;
        s1 = x + y;
      }
      out.push({ labels: s.labels, dropName: true, v: s1 });
    }
    return vec(out);
  };
}

/** Date parts of a Unix time in seconds, in UTC. */
function dateFunction(f: (d: Date) => number): FuncImpl {
  return (args, ctx) => {
    const input: VSample[] =
      args.length === 0 ? [{ labels: {}, v: ctx.t / 1000 }] : argVector(args, 0);
    const out: VSample[] = [];
    for (const s of input) {
      // NaN and infinities have no date; Prometheus returns NaN for them.
      const v = Number.isFinite(s.v) ? f(new Date(Math.trunc(s.v) * 1000)) : NaN;
      out.push({ labels: s.labels, dropName: true, v });
    }
    return vec(out);
  };
}

function dayOfYear(d: Date): number {
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.floor((d.getTime() - start) / 86_400_000) + 1;
}

/** Labels of absent()'s output: the selector's equality matchers (functions.go). */
function absentLabels(arg: Expr | undefined): Labels {
  let matchers;
  if (arg?.type === 'vectorSelector') matchers = arg.matchers;
  else if (arg?.type === 'matrixSelector') matchers = arg.selector.matchers;
  else return {};
  const out: Record<string, string> = {};
  const has = new Set<string>();
  for (const m of matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=' && !has.has(m.name)) {
      out[m.name] = m.value;
      has.add(m.name);
    } else delete out[m.name];
  }
  return makeLabels(out);
}

const labelNameRe = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function validLabelName(name: string, compat: 'v3' | 'v2'): boolean {
  if (compat === 'v2') return labelNameRe.test(name);
  return name.length > 0 && isWellFormed(name);
}

function isWellFormed(s: string): boolean {
  // Lone surrogates stand for invalid UTF-8 bytes.
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

function labelReplace(args: EvalValue[], ctx: FuncContext): FuncResult {
  const dst = argString(args, 1);
  const repl = argString(args, 2);
  const src = argString(args, 3);
  const reText = argString(args, 4);
  const re = ctx.state.matcherRegex(reText, ctx.compat === 'v3');
  if (typeof re === 'string') {
    throw new Error(`invalid regular expression in label_replace(): ${reText}`);
  }
  if (!validLabelName(dst, ctx.compat)) {
    throw new Error(`invalid destination label name in label_replace(): ${dst}`);
  }
  const out: VSample[] = [];
  for (const s of argVector(args, 0)) {
    const m = re.submatches(s.labels[src] ?? '');
    if (!m) {
      out.push(s);
      continue;
    }
    const value = expandGo(repl, m);
    const labels: Record<string, string> = { ...s.labels };
    labels[dst] = value;
    out.push({
      ...s,
      labels: makeLabels(labels),
      dropName: dst === '__name__' ? false : s.dropName,
    });
  }
  return vec(out);
}

function labelJoin(args: EvalValue[], ctx: FuncContext): FuncResult {
  const dst = argString(args, 1);
  const sep = argString(args, 2);
  const srcs: string[] = [];
  for (let i = 3; i < args.length; i++) {
    const src = argString(args, i);
    if (!validLabelName(src, ctx.compat)) {
      throw new Error(`invalid source label name in label_join(): ${src}`);
    }
    srcs.push(src);
  }
  if (!validLabelName(dst, ctx.compat)) {
    throw new Error(`invalid destination label name in label_join(): ${dst}`);
  }
  return vec(
    argVector(args, 0).map((s) => {
      const labels: Record<string, string> = { ...s.labels };
      labels[dst] = srcs.map((l) => s.labels[l] ?? '').join(sep);
      return {
        ...s,
        labels: makeLabels(labels),
        dropName: dst === '__name__' ? false : s.dropName,
      };
    }),
  );
}

/** Natural order for sort_by_label (digit runs compare numerically). */
function naturalLess(a: string, b: string): number {
  const ca = a.match(/\d+|\D+/g) ?? [];
  const cb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+/, '');
      const ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}

function sortByLabel(desc: boolean): FuncImpl {
  return (args, ctx) => {
    if (ctx.rangeQuery) warnSort(ctx);
    const names: string[] = [];
    for (let i = 1; i < args.length; i++) names.push(argString(args, i));
    const out = argVector(args, 0).slice();
    out.sort((a, b) => {
      for (const l of names) {
        const x = a.labels[l] ?? '';
        const y = b.labels[l] ?? '';
        if (x === y) continue;
        const c = naturalLess(x, y);
        if (c !== 0) return desc ? -c : c;
      }
      const c = compareLabels(a.labels, b.labels);
      return desc ? -c : c;
    });
    return vec(out);
  };
}

function warnSort(ctx: FuncContext): void {
  ctx.warn(
    ctx.call,
    'PromQL warning: sort is ineffective for range queries since results are always ordered by labels',
  );
}

function sortByValue(desc: boolean): FuncImpl {
  return (args, ctx) => {
    if (ctx.rangeQuery) warnSort(ctx);
    const out = argVector(args, 0).slice();
    out.sort((a, b) => {
      if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : -1;
      if (Number.isNaN(b.v)) return 1;
      return desc ? b.v - a.v : a.v - b.v;
    });
    return vec(out);
  };
}

interface Bucket {
  upper: number;
  count: number;
}

/** A bucket's histogram: its labels without `le` and the metric name, and its parsed `le`. */
interface BucketOf {
  readonly labels: Labels;
  readonly key: string;
  readonly upper: number | null;
}

/** The bucket a label set describes (remembered per label set for the query). */
function bucketOf(state: QueryState, labels: Labels): BucketOf {
  const buckets = state.derived<BucketOf>(state, 'bucket');
  let b = buckets.get(labels);
  if (b === undefined) {
    b = bucketGroup(state, labels);
    buckets.set(labels, b);
  }
  return b;
}

/**
 * A bucket's histogram and `le`: its labels without `le` and the metric name, built with their
 * key (of the query's pair codes) in one pass over a label set in order (as makeLabels makes
 * them), else through makeLabels.
 */
function bucketGroup(state: QueryState, labels: Labels): BucketOf {
  const upper = parseLe(leBounds(state), labels['le']);
  const out: Record<string, string> = {};
  let key = '';
  let prev = '';
  let first = true;
  for (const k in labels) {
    const v = labels[k]!;
    if ((!first && !(prev < k)) || v === '') {
      const group = makeLabels(Object.freeze(omitLabels(labels, 'le', '__name__')));
      key = '';
      for (const g in group) key += state.pairCode(g, group[g]!);
      return { labels: group, key, upper };
    }
    prev = k;
    first = false;
    if (k === 'le' || k === '__name__') continue;
    out[k] = v;
    key += state.pairCode(k, v);
  }
  return { labels: Object.freeze(out), key, upper };
}

/** The `le` texts a query has parsed, with their bounds (a histogram repeats its bounds). */
type LeBounds = Map<string, number | null>;

function leBounds(state: QueryState): LeBounds {
  return state.node(state, 'le bounds', newLeBounds);
}

function newLeBounds(): LeBounds {
  return new Map();
}

/** An `le` label's bound (null where it is missing or malformed), parsed once per query. */
function parseLe(memo: LeBounds, text: string | undefined): number | null {
  if (text === undefined) return null;
  let upper = memo.get(text);
  if (upper === undefined) {
    upper = parseLeText(text);
    memo.set(text, upper);
  }
  return upper;
}

function parseLeText(text: string): number | null {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^[+-]?0x[0-9a-f]+$/i.test(t)) return null;
  return Number(t);
}

function histogramQuantileOf(
  input: VSample[],
  qs: number[],
  qNodes: (Expr | Call)[],
  vectorNode: Expr | Call,
  qLabel: string | null,
  ctx: FuncContext,
): FuncResult {
  qs.forEach((q, k) => {
    if (Number.isNaN(q) || q < 0 || q > 1) {
      ctx.warn(
        qNodes[k] ?? ctx.call,
        `PromQL warning: quantile value should be between 0 and 1, got ${formatG(q)}`,
      );
    }
  });
  const plan = histogramPlan(ctx.state, ctx.call, input);
  for (const i of plan.invalid) {
    const l = input[i]!.labels;
    ctx.warn(
      vectorNode,
      `PromQL warning: bucket label "le" is missing or has a malformed value of "${l['le'] ?? ''}" for metric name "${l['__name__'] ?? ''}"`,
    );
  }
  const out: VSample[] = [];
  for (const q of qs) {
    for (const g of plan.groups) {
      const [v, forced] = planQuantile(q, g, input);
      if (forced) ctx.info(vectorNode, monotonicityInfo(g.name));
      const labels =
        qLabel === null
          ? g.labels
          : makeLabels({ ...g.labels, [qLabel]: formatOpenMetricsFloat(q) });
      out.push({ labels, v });
    }
  }
  return vec(out);
}

function monotonicityInfo(name: string): string {
  return `PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "${name}"`;
}

/**
 * histogram_quantile over buckets held in columns at every step of a grid (vals[k * n + i] where
 * present[k * n + i], as a window function's output): the plan of all n inputs, made once.
 */
export interface ColumnarHistogram {
  readonly plan: HistogramPlan;
  readonly n: number;
  readonly vals: Float64Array;
  readonly present: Uint8Array;
}

/** The columns' histogram plan; null where it has a bucket without a usable `le` (a warning). */
export function columnarHistogram(
  state: QueryState,
  cols: { n: number; labels: readonly Labels[]; vals: Float64Array; present: Uint8Array },
): ColumnarHistogram | null {
  const plan = makeHistogramPlan(state, cols.labels);
  if (plan.invalid.length > 0) return null;
  return { plan, n: cols.n, vals: cols.vals, present: cols.present };
}

/**
 * histogram_quantile(q, buckets) at step k of columnar buckets: what histogramQuantileOf gives
 * for that step's samples, read from the columns instead of a sample object per bucket. A
 * histogram whose buckets are all absent at the step is left out: the plan of the present
 * buckets alone has the other groups, in the same order, with the same buckets. Null where the
 * step needs the general path: a histogram with some of its buckets absent (another plan), or q
 * outside [0, 1] (a warning).
 */
export function histogramQuantileAt(
  h: ColumnarHistogram,
  q: number,
  k: number,
  vectorNode: Expr | Call,
  ctx: FuncContext,
): VSample[] | null {
  if (!(q >= 0 && q <= 1)) return null;
  const { n, vals, present } = h;
  const base = k * n;
  const groups = h.plan.groups;
  let all = true;
  for (let i = base; i < base + n; i++) {
    if (present[i] === 0) {
      all = false;
      break;
    }
  }
  // Before any info is noted: a group partly present sends the whole step the general way.
  if (!all) {
    for (let gi = 0; gi < groups.length; gi++) {
      const members = groups[gi]!.members;
      let have = 0;
      for (let j = 0; j < members.length; j++) have += present[base + members[j]!]!;
      if (have !== 0 && have !== members.length) return null;
    }
  }
  const out: VSample[] = [];
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi]!;
    if (!all && present[base + g.members[0]!] === 0) continue;
    let v = NaN;
    if (g.usable) {
      const n = g.uppers.length;
      const counts = countsAt(g, vals, base);
      if (monotonize(counts, n)) ctx.info(vectorNode, monotonicityInfo(g.name));
      v = bucketQuantile(q, g.uppers, counts, n);
    }
    out.push({ labels: g.labels, v });
  }
  return out;
}

/**
 * histogram_quantile(qs[k], buckets) at every step k of columnar buckets, in columns of its own
 * (a histogram per column, in plan order): at each step the samples histogramQuantileAt gives,
 * with the same infos in the same order. Null, before anything is noted, where a step needs the
 * general path (see histogramQuantileAt).
 */
export function histogramQuantileColumns(
  h: ColumnarHistogram,
  qs: Float64Array,
  steps: number,
  vectorNode: Expr | Call,
  ctx: FuncContext,
): { labels: Labels[]; vals: Float64Array; present: Uint8Array } | null {
  const { n, vals, present } = h;
  const groups = h.plan.groups;
  const size = groups.length;
  for (let k = 0; k < steps; k++) {
    const q = qs[k]!;
    if (!(q >= 0 && q <= 1)) return null;
    const base = k * n;
    for (let gi = 0; gi < size; gi++) {
      const members = groups[gi]!.members;
      let have = 0;
      for (let j = 0; j < members.length; j++) have += present[base + members[j]!]!;
      if (have !== 0 && have !== members.length) return null;
    }
  }
  const outVals = new Float64Array(steps * size);
  const outPresent = new Uint8Array(steps * size);
  for (let k = 0; k < steps; k++) {
    const base = k * n;
    for (let gi = 0; gi < size; gi++) {
      const g = groups[gi]!;
      if (present[base + g.members[0]!] === 0) continue;
      let v = NaN;
      if (g.usable) {
        const b = g.uppers.length;
        const counts = countsAt(g, vals, base);
        if (monotonize(counts, b)) ctx.info(vectorNode, monotonicityInfo(g.name));
        v = bucketQuantile(qs[k]!, g.uppers, counts, b);
      }
      outVals[k * size + gi] = v;
      outPresent[k * size + gi] = 1;
    }
  }
  const labels: Labels[] = [];
  for (let gi = 0; gi < size; gi++) labels.push(groups[gi]!.labels);
  return { labels, vals: outVals, present: outPresent };
}

/**
 * How the samples of one input vector fall into histograms: the groups in order of their first
 * bucket, and each group's buckets in the order BucketQuantile's sort puts them (which depends on
 * the `le` values alone). A range query meets the same label objects at every step, so the plan
 * of a call's last step is reused while they repeat, and only the counts are read anew.
 */
interface HistogramPlan {
  readonly inputs: readonly Labels[];
  readonly groups: readonly PlanGroup[];
  /** Indexes of inputs without a usable `le`, in input order. */
  readonly invalid: readonly number[];
}

interface PlanGroup {
  readonly labels: Labels;
  /** The metric name of the group's first bucket. */
  readonly name: string;
  /** Input indexes of the group's buckets, sorted by upper bound (a stable sort). */
  readonly members: readonly number[];
  /** The distinct upper bounds, ascending, and how many members (in order) each one sums. */
  readonly uppers: readonly number[];
  readonly runs: readonly number[];
  /** Whether the highest bucket is +Inf (otherwise the quantile is NaN). */
  readonly usable: boolean;
}

function histogramPlan(state: QueryState, call: Call, input: VSample[]): HistogramPlan {
  const last = state.node<HistogramPlan | null>(call, 'histogram', () => null);
  if (last !== null && last.inputs.length === input.length) {
    let same = true;
    for (let i = 0; i < input.length; i++) {
      if (last.inputs[i] !== input[i]!.labels) {
        same = false;
        break;
      }
    }
    if (same) return last;
  }
  const plan = makeHistogramPlan(
    state,
    input.map((s) => s.labels),
  );
  state.setNode(call, 'histogram', plan);
  return plan;
}

function makeHistogramPlan(state: QueryState, inputs: readonly Labels[]): HistogramPlan {
  const invalid: number[] = [];
  const byKey = new Map<string, PlanBuild>();
  const builds: PlanBuild[] = [];
  // Each input's bound, in one array of the inputs' size (a list of bounds per group made a
  // list of floats apiece, grown and converted from small integers on its first bound).
  const bound = new Float64Array(inputs.length);
  // The buckets of a histogram usually come one after another (sorted by labels, `le` last):
  // a bucket with its predecessor's labels but `le` and the name joins its group unkeyed.
  let prev: Labels | null = null;
  let prevGroup: PlanBuild | null = null;
  const les = leBounds(state);
  for (let i = 0; i < inputs.length; i++) {
    const labels = inputs[i]!;
    if (prev !== null && prevGroup !== null && sameBucketGroup(labels, prev)) {
      const upper = parseLe(les, labels['le']);
      if (upper !== null) {
        prev = labels;
        bound[i] = upper;
        prevGroup.members.push(i);
        continue;
      }
    }
    const bucket = bucketOf(state, labels);
    if (bucket.upper === null) {
      invalid.push(i);
      continue;
    }
    let g = byKey.get(bucket.key);
    if (!g) {
      g = { labels: bucket.labels, name: labels['__name__'] ?? '', members: [] };
      byKey.set(bucket.key, g);
      builds.push(g);
    }
    bound[i] = bucket.upper;
    g.members.push(i);
    prev = labels;
    prevGroup = g;
  }
  const groups: PlanGroup[] = [];
  for (let gi = 0; gi < builds.length; gi++) {
    const g = builds[gi]!;
    // Sorted in place (the list is the plan's own); the comparison's sign as `a.upper -
    // b.upper`'s (NaN as equal), without a float to box per comparison.
    const { members } = g;
    sortBuckets(bound, members);
    const uppers: number[] = [];
    const runs: number[] = [];
    for (let b = 0; b < members.length; b++) {
      const upper = bound[members[b]!]!;
      if (uppers.length > 0 && uppers[uppers.length - 1] === upper) runs[runs.length - 1]!++;
      else {
        uppers.push(upper);
        runs.push(1);
      }
    }
    groups.push({
      labels: g.labels,
      name: g.name,
      members,
      uppers,
      runs,
      usable: members.length > 0 && bound[members[members.length - 1]!] === Infinity,
    });
  }
  return { inputs, groups, invalid };
}

/** A plan group being built: its buckets' input indexes, in input order. */
interface PlanBuild {
  labels: Labels;
  name: string;
  members: number[];
}

/**
 * Sorts a group's members (input indexes) by their bounds, ascending (a stable sort). Without
 * NaN the order is a total one, which an insertion sort in place gives as Array.prototype.sort
 * does, with nothing allocated; with NaN (equal to every bound) the result depends on the
 * algorithm, so that case keeps the sort of pairs it had.
 */
function sortBuckets(bound: Float64Array, members: number[]): void {
  const n = members.length;
  let nan = false;
  for (let i = 0; i < n; i++) if (Number.isNaN(bound[members[i]!])) nan = true;
  if (nan || n > 64) {
    const pairs: { upper: number; member: number }[] = [];
    for (let i = 0; i < n; i++) pairs.push({ upper: bound[members[i]!]!, member: members[i]! });
    pairs.sort((a, b) => (a.upper < b.upper ? -1 : a.upper > b.upper ? 1 : 0));
    for (let i = 0; i < n; i++) members[i] = pairs[i]!.member;
    return;
  }
  for (let i = 1; i < n; i++) {
    const m = members[i]!;
    const x = bound[m]!;
    let j = i - 1;
    for (; j >= 0 && bound[members[j]!]! > x; j--) members[j + 1] = members[j]!;
    members[j + 1] = m;
  }
}

/**
 * Whether two label sets are equal but for `le` and the metric name (then their buckets'
 * histogram is one: bucketOf keys them alike, empty values counting as absent).
 */
function sameBucketGroup(a: Labels, b: Labels): boolean {
  let count = 0;
  for (const k in a) {
    if (k === 'le' || k === '__name__') continue;
    const v = a[k]!;
    if (v === '') continue;
    if (b[k] !== v) return false;
    count++;
  }
  for (const k in b) {
    if (k === 'le' || k === '__name__' || b[k] === '') continue;
    count--;
  }
  return count === 0;
}

let planCounts = new Float64Array(64);

/** BucketQuantile over a plan group's buckets with this step's counts. */
function planQuantile(q: number, g: PlanGroup, input: VSample[]): [number, boolean] {
  if (Number.isNaN(q)) return [NaN, false];
  if (q < 0) return [-Infinity, false];
  if (q > 1) return [Infinity, false];
  if (!g.usable) return [NaN, false];
  const n = g.uppers.length;
  if (planCounts.length < n) planCounts = new Float64Array(n * 2);
  const counts = planCounts;
  // Buckets with equal bounds are summed in sorted order, as bucketQuantile coalesces them.
  let m = 0;
  for (let b = 0; b < n; b++) {
    let c = input[g.members[m++]!]!.v;
    for (let r = 1; r < g.runs[b]!; r++) c += input[g.members[m++]!]!.v;
    counts[b] = c;
  }
  return quantileOfCounts(q, g.uppers, counts, n);
}

/** A plan group's counts at one step of columns (the step's values from base). */
function countsAt(g: PlanGroup, vals: Float64Array, base: number): Float64Array {
  const n = g.uppers.length;
  if (planCounts.length < n) planCounts = new Float64Array(n * 2);
  const counts = planCounts;
  // Buckets with equal bounds are summed in sorted order, as bucketQuantile coalesces them.
  let m = 0;
  for (let b = 0; b < n; b++) {
    let c = vals[base + g.members[m++]!]!;
    for (let r = 1; r < g.runs[b]!; r++) c += vals[base + g.members[m++]!]!;
    counts[b] = c;
  }
  return counts;
}

/** BucketQuantile (promql/quantile.go) after sorting and coalescing, on parallel arrays. */
function quantileOfCounts(
  q: number,
  uppers: readonly number[],
  counts: Float64Array,
  n: number,
): [number, boolean] {
  const forced = monotonize(counts, n);
  return [bucketQuantile(q, uppers, counts, n), forced];
}

/**
 * BucketQuantile's fix of counts that fall (or nearly equal the one before): returns whether
 * one fell (the monotonicity info).
 */
// The smallest normal float64 (almostEqual's).
const minNormal = 2.2250738585072014e-308;

function monotonize(counts: Float64Array, n: number): boolean {
  let forced = false;
  let prev = counts[0]!;
  for (let i = 1; i < n; i++) {
    const cur = counts[i]!;
    if (cur === prev) continue;
    // almostEqual(prev, cur, 1e-12), written out: passing floats to a call that is not inlined
    // boxes them (two heap numbers per bucket and step).
    const absSum = Math.abs(prev) + Math.abs(cur);
    const diff = Math.abs(prev - cur);
    const near =
      (Number.isNaN(prev) && Number.isNaN(cur)) ||
      (prev === 0 || cur === 0 || absSum < minNormal
        ? diff < 1e-12 * minNormal
        : diff / Math.min(absSum, Number.MAX_VALUE) < 1e-12);
    if (near) {
      counts[i] = prev;
      continue;
    }
    if (cur < prev) {
      counts[i] = prev;
      forced = true;
      continue;
    }
    prev = cur;
  }
  return forced;
}

/** BucketQuantile's interpolation over monotonic counts. */
function bucketQuantile(
  q: number,
  uppers: readonly number[],
  counts: Float64Array,
  n: number,
): number {
  if (n < 2) return NaN;
  const observations = counts[n - 1]!;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = n - 1;
  for (let i = 0; i < n - 1; i++) {
    if (counts[i]! >= rank) {
      b = i;
      break;
    }
  }
  if (b === n - 1) return uppers[n - 2]!;
  if (b === 0 && uppers[0]! <= 0) return uppers[0]!;
  let start = 0;
  const end = uppers[b]!;
  let count = counts[b]!;
  if (b > 0) {
    start = uppers[b - 1]!;
    count -= counts[b - 1]!;
    rank -= counts[b - 1]!;
  }
  return start + (end - start) * (rank / count);
}

/** Prepares classic buckets like BucketQuantile: sorted, coalesced, monotonic; null if unusable. */
function normalizeBuckets(input: Bucket[]): Bucket[] | null {
  const sorted = input.slice().sort((a, b) => a.upper - b.upper);
  if (sorted.length === 0 || sorted[sorted.length - 1]!.upper !== Infinity) return null;
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.upper === b.upper) last.count += b.count;
    else buckets.push({ ...b });
  }
  let max = buckets[0]!.count;
  for (const b of buckets) {
    if (b.count < max) b.count = max;
    else max = b.count;
  }
  return buckets;
}

/**
 * The fraction of observations between lower and upper in classic buckets, interpolating
 * linearly inside finite buckets.
 */
export function bucketFraction(lower: number, upper: number, input: Bucket[]): number {
  const buckets = normalizeBuckets(input);
  if (!buckets) return NaN;
  const total = buckets[buckets.length - 1]!.count;
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    const bLower = i === 0 ? (b.upper > 0 ? 0 : -Infinity) : buckets[i - 1]!.upper;
    const count = i === 0 ? b.count : b.count - buckets[i - 1]!.count;
    // Observations of an infinite-width bucket are taken to sit at its infinite end.
    const atMinusInf = bLower === -Infinity;
    const atPlusInf = b.upper === Infinity;
    if (!lowerSet && bLower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && bLower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && bLower < lower && b.upper > lower) {
      lowerRank = atMinusInf
        ? rank + count
        : atPlusInf
          ? rank
          : rank + (count * (lower - bLower)) / (b.upper - bLower);
      lowerSet = true;
    }
    if (!upperSet && bLower < upper && b.upper > upper) {
      upperRank = atMinusInf
        ? rank + count
        : atPlusInf
          ? rank
          : rank + (count * (upper - bLower)) / (b.upper - bLower);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank += count;
  }
  if (!lowerSet || lowerRank > total) lowerRank = total;
  if (!upperSet || upperRank > total) upperRank = total;
  return (upperRank - lowerRank) / total;
}

function histogramFraction(args: EvalValue[], ctx: FuncContext): FuncResult {
  const lower = argScalar(args, 0);
  const upper = argScalar(args, 1);
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const s of argVector(args, 2)) {
    const bucket = bucketOf(ctx.state, s.labels);
    const le = bucket.upper;
    if (le === null) {
      ctx.warn(
        ctx.call.args[2]!,
        `PromQL warning: bucket label "le" is missing or has a malformed value of "${s.labels['le'] ?? ''}" for metric name "${s.labels['__name__'] ?? ''}"`,
      );
      continue;
    }
    const { labels, key } = bucket;
    let g = groups.get(key);
    if (!g) {
      g = { labels, buckets: [] };
      groups.set(key, g);
    }
    g.buckets.push({ upper: le, count: s.v });
  }
  return vec(
    [...groups.values()].map((g) => ({
      labels: g.labels,
      v: bucketFraction(lower, upper, g.buckets),
    })),
  );
}

/** Formats a float like OpenMetrics label values ("1.0", "0.25", "+Inf"). */
function formatOpenMetricsFloat(v: number): string {
  const s = formatG(v);
  return /^-?\d+$/.test(s) ? s + '.0' : s;
}

function histogramQuantile(args: EvalValue[], ctx: FuncContext): FuncResult {
  return histogramQuantileOf(
    argVector(args, 1),
    [argScalar(args, 0)],
    [ctx.call.args[0]!],
    ctx.call.args[1]!,
    null,
    ctx,
  );
}

function histogramQuantiles(args: EvalValue[], ctx: FuncContext): FuncResult {
  const label = argString(args, 1);
  const qs: number[] = [];
  for (let i = 2; i < args.length; i++) qs.push(argScalar(args, i));
  return histogramQuantileOf(
    argVector(args, 0),
    qs,
    ctx.call.args.slice(2),
    ctx.call.args[0]!,
    label,
    ctx,
  );
}

function roundImpl(args: EvalValue[]): FuncResult {
  const toNearest = args.length > 1 ? argScalar(args, 1) : 1;
  const inv = 1 / toNearest;
  return vec(
    argVector(args, 0).map((s) => ({
      labels: s.labels,
      dropName: true,
      v: Math.floor(s.v * inv + 0.5) / inv,
    })),
  );
}

function clampImpl(args: EvalValue[]): FuncResult {
  const min = argScalar(args, 1);
  const max = argScalar(args, 2);
  if (max < min) return vec([]);
  return vec(
    argVector(args, 0).map((s) => ({
      labels: s.labels,
      dropName: true,
      v: goMax(min, goMin(max, s.v)),
    })),
  );
}

function goMax(a: number, b: number): number {
  if (a === Infinity || b === Infinity) return Infinity;
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.max(a, b);
}

function goMin(a: number, b: number): number {
  if (a === -Infinity || b === -Infinity) return -Infinity;
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.min(a, b);
}

function minMaxOverTime(isMax: boolean, ts: boolean): FuncImpl {
  return overTime((s) => {
    let best = s.vs[0]!;
    let bestT = s.ts[0]!;
    for (let i = 1; i < s.vs.length; i++) {
      const v = s.vs[i]!;
      const better = isMax ? v > best : v < best;
      const take = ts ? (isMax ? v >= best : v <= best) : better;
      if (take || Number.isNaN(best)) {
        best = v;
        bestT = s.ts[i]!;
      }
    }
    return ts ? bestT / 1000 : best;
  });
}

/**
 * A range function over samples lo..hi (hi >= lo, no staleness markers) of one series' window,
 * for the range evaluation's sliding windows: writes the value to out[at] and returns true, or
 * returns false where the function has no output. (Writing instead of returning keeps the value
 * unboxed.)
 */
export type WindowKernel = (
  ts: Float64Array,
  vs: Float64Array,
  lo: number,
  hi: number,
  rangeStart: number,
  rangeEnd: number,
  t: number,
  out: Float64Array,
  at: number,
) => boolean;

/**
 * How a function of one range argument is computed when its result for a series depends only on
 * that series' window (at most one output sample per series, never an error): the evaluator then
 * slides each series' window along the steps instead of building every window's matrix.
 */
export interface WindowSpec {
  /** Whether the output keeps the metric name (last_over_time does). */
  readonly keepsName: boolean;
  /**
   * The kernel (the same arithmetic as the implementation) given the constant scalar arguments;
   * null where the implementation must run (per-series infos, as rate over a non-counter in v3).
   * Without one, the implementation runs on each series' window alone.
   */
  readonly kernel?: (
    compat: 'v3' | 'v2',
    metricName: string | undefined,
    scalars: readonly number[],
  ) => WindowKernel | null;
}

/** One PromQL function: its signature (as parser/functions.go), implementation and window form. */
export interface FunctionSpec extends FunctionDef {
  readonly impl: FuncImpl;
  readonly window?: WindowSpec;
}

interface SpecExtras {
  /** 0: exactly argTypes; n > 0: up to n optional trailing args; -1: unlimited. */
  readonly variadic?: number;
  readonly only?: 'v2' | 'v3';
  readonly window?: WindowSpec;
}

const v: ValueType = 'vector';
const m: ValueType = 'matrix';
const s: ValueType = 'scalar';
const str: ValueType = 'string';

function fn(
  name: string,
  argTypes: ValueType[],
  returnType: ValueType,
  impl: FuncImpl,
  extras: SpecExtras = {},
): FunctionSpec {
  const spec: FunctionSpec = { name, argTypes, variadic: extras.variadic ?? 0, returnType, impl };
  if (extras.only) Object.assign(spec, { only: extras.only });
  if (extras.window) Object.assign(spec, { window: extras.window });
  return spec;
}

/** A window function that drops the metric name, with an optional kernel. */
function windowed(kernel?: WindowSpec['kernel']): SpecExtras {
  return { window: kernel ? { keepsName: false, kernel } : { keepsName: false } };
}

function rateKernel(isCounter: boolean, isRate: boolean): WindowSpec['kernel'] {
  return (compat, metricName) => {
    const ctx = { compat };
    const counterLike =
      compat === 'v2' || metricName === undefined || counterSuffix.test(metricName);
    if (isCounter && !counterLike) return null;
    // Where the next counter reset is (the first index from `from` whose sample is below the
    // one before it, or the length): the windows of one series slide forward, so the samples
    // are searched once per series instead of once per window.
    let resetsOf: Float64Array | null = null;
    let from = 0;
    let next = 0;
    return (ts, vs, lo, hi, rangeStart, rangeEnd, _t, out, at) => {
      if (hi === lo) return false;
      if (isCounter && (vs !== resetsOf || lo + 1 < from || next < lo + 1)) {
        resetsOf = vs;
        from = lo + 1;
        next = nextReset(vs, from);
      }
      const mayReset = next <= hi;
      extrapolateInto(
        ts,
        vs,
        lo,
        hi,
        rangeStart,
        rangeEnd,
        isCounter,
        isRate,
        ctx,
        mayReset,
        out,
        at,
      );
      return true;
    };
  };
}

/** The first index from `from` (>= 1) whose sample is below the one before it, or the length. */
function nextReset(vs: Float64Array, from: number): number {
  for (let i = from; i < vs.length; i++) if (vs[i]! < vs[i - 1]!) return i;
  return vs.length;
}

function instantValueKernel(isRate: boolean): WindowSpec['kernel'] {
  return () => (ts, vs, lo, hi, _rangeStart, _rangeEnd, _t, out, at) => {
    if (hi === lo) return false;
    const r = instantValueOf(ts, vs, hi, isRate);
    if (r === null) return false;
    out[at] = r;
    return true;
  };
}

const derivKernel: WindowSpec['kernel'] =
  () =>
  (ts, vs, lo, hi, _rangeStart, _rangeEnd, _t, out, at): boolean => {
    if (hi === lo) return false;
    out[at] = linearRegressionOf(ts, vs, lo, hi, ts[lo]!)[0];
    return true;
  };

const predictLinearKernel: WindowSpec['kernel'] = (_compat, _name, scalars) => {
  const duration = scalars[0] ?? NaN;
  return (ts, vs, lo, hi, _rangeStart, _rangeEnd, t, out, at) => {
    if (hi === lo) return false;
    // Read by index: a destructuring iterates the pair (an object per step, unoptimised).
    const fit = linearRegressionOf(ts, vs, lo, hi, t);
    out[at] = fit[0] * duration + fit[1];
    return true;
  };
};

const countKernel: WindowSpec['kernel'] =
  () =>
  (_ts, _vs, lo, hi, _rangeStart, _rangeEnd, _t, out, at): boolean => {
    out[at] = hi - lo + 1;
    return true;
  };

const presentKernel: WindowSpec['kernel'] =
  () =>
  (_ts, _vs, _lo, _hi, _rangeStart, _rangeEnd, _t, out, at): boolean => {
    out[at] = 1;
    return true;
  };

const lastKernel: WindowSpec['kernel'] =
  () =>
  (_ts, vs, _lo, hi, _rangeStart, _rangeEnd, _t, out, at): boolean => {
    out[at] = vs[hi]!;
    return true;
  };

const scalarOf =
  (f: (ctx: FuncContext, args: EvalValue[]) => number): FuncImpl =>
  (args, ctx) => ({ kind: 'scalar', v: f(ctx, args) });

const noNativeHistograms: FuncImpl = () => vec([]);

// Every function, described once: signature, implementation and window form. Sorted by name.
const table: FunctionSpec[] = [
  fn('abs', [v], v, mapValues(Math.abs)),
  fn('absent', [v], v, (args, ctx) =>
    argVector(args, 0).length > 0
      ? vec([])
      : vec([{ labels: absentLabels(ctx.call.args[0]), v: 1 }]),
  ),
  fn('absent_over_time', [m], v, (args, ctx) =>
    argMatrix(args, 0).series.some((x) => x.ts.length > 0)
      ? vec([])
      : vec([{ labels: absentLabels(ctx.call.args[0]), v: 1 }]),
  ),
  fn('acos', [v], v, mapValues(goAcos)),
  fn('acosh', [v], v, mapValues(Math.acosh)),
  fn('asin', [v], v, mapValues(goAsin)),
  fn('asinh', [v], v, mapValues(Math.asinh)),
  fn('atan', [v], v, mapValues(goAtan)),
  fn('atanh', [v], v, mapValues(Math.atanh)),
  fn(
    'avg_over_time',
    [m],
    v,
    (args, ctx) =>
      overTime((x) => (ctx.compat === 'v2' ? incrementalMeanV2(x.vs) : kahanMean(x.vs)))(args, ctx),
    windowed(),
  ),
  fn('ceil', [v], v, mapValues(Math.ceil)),
  fn(
    'changes',
    [m],
    v,
    overTime((x) => {
      let changes = 0;
      for (let i = 1; i < x.vs.length; i++) {
        const cur = x.vs[i]!;
        const prev = x.vs[i - 1]!;
        if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
      }
      return changes;
    }),
    windowed(),
  ),
  fn('clamp', [v, s, s], v, clampImpl),
  fn('clamp_max', [v, s], v, (args) =>
    vec(
      argVector(args, 0).map((x) => ({
        labels: x.labels,
        dropName: true,
        v: goMin(argScalar(args, 1), x.v),
      })),
    ),
  ),
  fn('clamp_min', [v, s], v, (args) =>
    vec(
      argVector(args, 0).map((x) => ({
        labels: x.labels,
        dropName: true,
        v: goMax(argScalar(args, 1), x.v),
      })),
    ),
  ),
  fn('cos', [v], v, mapValues(goCos)),
  fn('cosh', [v], v, mapValues(goCosh)),
  fn(
    'count_over_time',
    [m],
    v,
    overTime((x) => x.ts.length),
    windowed(countKernel),
  ),
  fn(
    'days_in_month',
    [v],
    v,
    dateFunction((d) =>
      new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
    ),
    { variadic: 1 },
  ),
  fn(
    'day_of_month',
    [v],
    v,
    dateFunction((d) => d.getUTCDate()),
    { variadic: 1 },
  ),
  fn(
    'day_of_week',
    [v],
    v,
    dateFunction((d) => d.getUTCDay()),
    { variadic: 1 },
  ),
  fn('day_of_year', [v], v, dateFunction(dayOfYear), { variadic: 1 }),
  fn(
    'deg',
    [v],
    v,
    mapValues((x) => (x * 180) / Math.PI),
  ),
  fn('delta', [m], v, extrapolatedRate(false, false), windowed(rateKernel(false, false))),
  fn(
    'deriv',
    [m],
    v,
    overTime((x) => (x.ts.length < 2 ? null : linearRegression(x, x.ts[0]!)[0])),
    windowed(derivKernel),
  ),
  fn('double_exponential_smoothing', [m, s, s], v, smoothing('double_exponential_smoothing'), {
    only: 'v3',
  }),
  fn(
    'end',
    [],
    s,
    scalarOf((ctx) => ctx.end / 1000),
    { only: 'v3' },
  ),
  fn('exp', [v], v, mapValues(goExp)),
  fn(
    'first_over_time',
    [m],
    v,
    overTime((x) => x.vs[0]!, true),
    { only: 'v3' },
  ),
  fn('floor', [v], v, mapValues(Math.floor)),
  fn('histogram_avg', [v], v, noNativeHistograms, { only: 'v3' }),
  fn('histogram_count', [v], v, noNativeHistograms),
  fn('histogram_fraction', [s, s, v], v, histogramFraction),
  fn('histogram_quantile', [s, v], v, histogramQuantile),
  fn('histogram_quantiles', [v, str, s], v, histogramQuantiles, { variadic: -1, only: 'v3' }),
  fn('histogram_stddev', [v], v, noNativeHistograms),
  fn('histogram_stdvar', [v], v, noNativeHistograms),
  fn('histogram_sum', [v], v, noNativeHistograms),
  fn('holt_winters', [m, s, s], v, smoothing('holt_winters'), { only: 'v2' }),
  fn(
    'hour',
    [v],
    v,
    dateFunction((d) => d.getUTCHours()),
    { variadic: 1 },
  ),
  fn('idelta', [m], v, instantValue(false), windowed(instantValueKernel(false))),
  fn('increase', [m], v, extrapolatedRate(true, false), windowed(rateKernel(true, false))),
  // The parser refuses info(); the entry keeps its signature for the editor.
  fn(
    'info',
    [v, v],
    v,
    () => {
      throw new Error('unsupported: info()');
    },
    { variadic: 1, only: 'v3' },
  ),
  fn('irate', [m], v, instantValue(true), windowed(instantValueKernel(true))),
  fn('label_join', [v, str, str, str], v, labelJoin, { variadic: -1 }),
  fn('label_replace', [v, str, str, str, str], v, labelReplace),
  fn(
    'last_over_time',
    [m],
    v,
    overTime((x) => x.vs[x.vs.length - 1]!, true),
    { window: { keepsName: true, kernel: lastKernel } },
  ),
  fn('ln', [v], v, mapValues(Math.log)),
  fn('log10', [v], v, mapValues(goLog10)),
  fn('log2', [v], v, mapValues(goLog2)),
  fn(
    'mad_over_time',
    [m],
    v,
    overTime((x) => {
      const vals = Array.from(x.vs);
      if (vals.some((y) => Number.isNaN(y))) return NaN;
      const median = quantile(0.5, vals);
      return quantile(
        0.5,
        vals.map((y) => Math.abs(y - median)),
      );
    }),
    { only: 'v3' },
  ),
  fn('max_over_time', [m], v, minMaxOverTime(true, false), windowed()),
  fn('min_over_time', [m], v, minMaxOverTime(false, false), windowed()),
  fn(
    'max_of',
    [s, s],
    s,
    scalarOf((_ctx, args) => goMax(argScalar(args, 0), argScalar(args, 1))),
    { only: 'v3' },
  ),
  fn(
    'min_of',
    [s, s],
    s,
    scalarOf((_ctx, args) => goMin(argScalar(args, 0), argScalar(args, 1))),
    { only: 'v3' },
  ),
  fn(
    'minute',
    [v],
    v,
    dateFunction((d) => d.getUTCMinutes()),
    { variadic: 1 },
  ),
  fn(
    'month',
    [v],
    v,
    dateFunction((d) => d.getUTCMonth() + 1),
    { variadic: 1 },
  ),
  fn(
    'pi',
    [],
    s,
    scalarOf(() => Math.PI),
  ),
  fn(
    'predict_linear',
    [m, s],
    v,
    (args, ctx) => {
      const duration = argScalar(args, 1);
      return overTime((x) => {
        if (x.ts.length < 2) return null;
        const [slope, intercept] = linearRegression(x, ctx.t);
        return slope * duration + intercept;
      })(args, ctx);
    },
    windowed(predictLinearKernel),
  ),
  fn(
    'present_over_time',
    [m],
    v,
    overTime(() => 1),
    windowed(presentKernel),
  ),
  fn('quantile_over_time', [s, m], v, (args, ctx) => {
    const q = argScalar(args, 0);
    if (Number.isNaN(q) || q < 0 || q > 1) {
      ctx.warn(
        ctx.call.args[0]!,
        `PromQL warning: quantile value should be between 0 and 1, got ${formatG(q)}`,
      );
    }
    return overTime((x) => quantile(q, Array.from(x.vs)))(args.slice(1), ctx);
  }),
  fn(
    'rad',
    [v],
    v,
    mapValues((x) => (x * Math.PI) / 180),
  ),
  fn(
    'range',
    [],
    s,
    scalarOf((ctx) => (ctx.end - ctx.start) / 1000),
    { only: 'v3' },
  ),
  fn('rate', [m], v, extrapolatedRate(true, true), windowed(rateKernel(true, true))),
  fn(
    'resets',
    [m],
    v,
    overTime((x) => {
      let resets = 0;
      for (let i = 1; i < x.vs.length; i++) if (x.vs[i]! < x.vs[i - 1]!) resets++;
      return resets;
    }),
    windowed(),
  ),
  fn('round', [v, s], v, roundImpl, { variadic: 1 }),
  fn('scalar', [v], s, (args) => {
    const x = argVector(args, 0);
    return { kind: 'scalar', v: x.length === 1 ? x[0]!.v : NaN };
  }),
  fn(
    'sgn',
    [v],
    v,
    mapValues((x) => (x < 0 ? -1 : x > 0 ? 1 : x)),
  ),
  fn('sin', [v], v, mapValues(goSin)),
  fn('sinh', [v], v, mapValues(goSinh)),
  fn('sort', [v], v, sortByValue(false)),
  fn('sort_by_label', [v, str], v, sortByLabel(false), { variadic: -1, only: 'v3' }),
  fn('sort_by_label_desc', [v, str], v, sortByLabel(true), { variadic: -1, only: 'v3' }),
  fn('sort_desc', [v], v, sortByValue(true)),
  fn('sqrt', [v], v, mapValues(Math.sqrt)),
  fn(
    'start',
    [],
    s,
    scalarOf((ctx) => ctx.start / 1000),
    { only: 'v3' },
  ),
  fn(
    'step',
    [],
    s,
    scalarOf((ctx) => ctx.step / 1000),
    { only: 'v3' },
  ),
  fn(
    'stddev_over_time',
    [m],
    v,
    overTime((x) => Math.sqrt(stdvarOf(x))),
    windowed(),
  ),
  fn(
    'stdvar_over_time',
    [m],
    v,
    overTime((x) => stdvarOf(x)),
    windowed(),
  ),
  fn(
    'sum_over_time',
    [m],
    v,
    overTime((x) => {
      let sum = 0;
      let c = 0;
      for (let i = 0; i < x.vs.length; i++) [sum, c] = kahanSumInc(x.vs[i]!, sum, c);
      return sum + c;
    }),
    windowed(),
  ),
  fn('tan', [v], v, mapValues(goTan)),
  fn('tanh', [v], v, mapValues(goTanh)),
  fn(
    'time',
    [],
    s,
    scalarOf((ctx) => ctx.t / 1000),
  ),
  fn('timestamp', [v], v, (args, ctx) =>
    vec(
      argVector(args, 0).map((x) => ({
        labels: x.labels,
        dropName: true,
        v: (x.st ?? ctx.t) / 1000,
      })),
    ),
  ),
  fn(
    'ts_of_first_over_time',
    [m],
    v,
    overTime((x) => x.ts[0]! / 1000),
    { only: 'v3' },
  ),
  fn(
    'ts_of_last_over_time',
    [m],
    v,
    overTime((x) => x.ts[x.ts.length - 1]! / 1000),
    { only: 'v3' },
  ),
  fn('ts_of_max_over_time', [m], v, minMaxOverTime(true, true), { only: 'v3' }),
  fn('ts_of_min_over_time', [m], v, minMaxOverTime(false, true), { only: 'v3' }),
  fn('vector', [s], v, (args) => vec([{ labels: {}, v: argScalar(args, 0) }])),
  fn(
    'year',
    [v],
    v,
    dateFunction((d) => d.getUTCFullYear()),
    { variadic: 1 },
  ),
];

/** Every PromQL function by name: the one table the parser, the editor and the evaluator read. */
export const functions: ReadonlyMap<string, FunctionSpec> = new Map(table.map((f) => [f.name, f]));

/** Calls a function implementation; errors it raises are positioned at the call. */
export function callFunction(name: string, args: EvalValue[], ctx: FuncContext): FuncResult {
  const spec = functions.get(name);
  if (!spec) throw new EvalError(ctx.call, `unsupported: function ${name}`);
  try {
    return spec.impl(args, ctx);
  } catch (err) {
    if (err instanceof EvalError) throw err;
    throw new EvalError(ctx.call, err instanceof Error ? err.message : String(err));
  }
}

export { sortValuesNaNFirst };
