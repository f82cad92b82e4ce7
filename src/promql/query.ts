// The engine's entry points: instant and range evaluation (Prometheus's Engine.NewInstantQuery /
// NewRangeQuery), explain mode, and conversion of internal values to the public Value shape.
import { children, documentedType, exprType, type Expr } from './ast.ts';
import { Evaluator, QueryContext, valueAt, type EvalOptions, type StepValues } from './engine.ts';
import { describeNode, type ExplainNote } from './explain.ts';
import { sortByLabelSets, type Labels } from './labels.ts';
import { parseExpr } from './parser.ts';
import type { Result } from './result.ts';
import type { SeriesStore } from './store.ts';
import { EvalError, type EvalValue } from './values.ts';

/** One sample of an instant vector. */
export interface Sample {
  labels: Labels;
  t: number;
  v: number;
}

/** One series of a range vector or range query result. */
export interface Series {
  labels: Labels;
  points: { t: number; v: number }[];
}

/** A query result, as Prometheus's resultType/result. */
export type Value =
  | { type: 'scalar'; t: number; v: number }
  | { type: 'string'; t: number; v: string }
  | { type: 'vector'; samples: Sample[] }
  | { type: 'matrix'; series: Series[] };

function toValue(v: EvalValue, t: number): Value {
  switch (v.kind) {
    case 'scalar':
      return { type: 'scalar', t, v: v.v };
    case 'string':
      return { type: 'string', t, v: v.v };
    case 'vector':
      return { type: 'vector', samples: v.samples.map((s) => ({ labels: s.labels, t, v: s.v })) };
    case 'matrix':
      return {
        type: 'matrix',
        series: v.series.map((s) => {
          const points: { t: number; v: number }[] = [];
          for (let i = 0; i < s.ts.length; i++) points.push({ t: s.ts[i]!, v: s.vs[i]! });
          return { labels: s.labels, points };
        }),
      };
    default: {
      const never: never = v;
      return never;
    }
  }
}

function resolve(
  expr: string | Expr,
  opts: EvalOptions,
): { ok: true; expr: Expr; text: string | null } | { ok: false; error: Result<never> } {
  if (typeof expr !== 'string') return { ok: true, expr, text: null };
  const compat = opts.compat ?? 'v3';
  const parsed = opts.reuse ? opts.reuse.parse(expr, { compat }) : parseExpr(expr, { compat });
  if (!parsed.ok) return { ok: false, error: parsed };
  return { ok: true, expr: parsed.value, text: expr };
}

function fail(err: unknown, fallback: Expr): Result<never> {
  if (err instanceof EvalError) {
    return { ok: false, error: { from: err.pos.from, to: err.pos.to, message: err.message } };
  }
  if (err instanceof RangeError) {
    // Stack overflow on absurdly deep expressions, or an allocation limit.
    return {
      ok: false,
      error: { from: fallback.from, to: fallback.to, message: `evaluation failed: ${err.message}` },
    };
  }
  return {
    ok: false,
    error: {
      from: fallback.from,
      to: fallback.to,
      message: err instanceof Error ? err.message : String(err),
    },
  };
}

/** Evaluates an expression at one time (ms), like an instant query. */
export function evalInstant(
  expr: string | Expr,
  store: SeriesStore,
  t: number,
  opts: EvalOptions = {},
): Result<Value> {
  const r = resolve(expr, opts);
  if (!r.ok) return r.error;
  try {
    // An instant query is a range of one step.
    const q = new QueryContext(store, r.text, t, t, 0, opts);
    const ev = new Evaluator(q, Float64Array.of(t));
    let v = valueAt(ev.eval(r.expr), 0);
    if (v.kind === 'vector') v = { kind: 'vector', samples: ev.finish(r.expr, v.samples) };
    return { ok: true, value: toValue(v, t), warnings: [...q.warnings] };
  } catch (err) {
    return fail(err, r.expr);
  }
}

// Steps of a range query evaluated at once. 64 cost the same cold (coldCompare: 0.885 against
// 0.886 CPU) but took the page's slider from 8.6 to 19-25 ms of worker CPU per change.
const rangeBatch = 256;

/**
 * Appends a batch's steps to the range query's series; returns the points held so far.
 * Prometheus holds the result's points while it evaluates later steps: each step counts the
 * points of the steps before it (unless each step stands alone).
 */
function collect(
  ev: Evaluator,
  e: Expr,
  v: StepValues,
  out: Map<string, Series>,
  held: number,
  limitEachStep: boolean,
): number {
  const q = ev.q;
  let points = held;
  // A vector in columns is read from them (the samples its steps would make, in column order),
  // each column's series looked up once rather than once per step.
  const cols = v.kind === 'vector' && !q.delayedNameRemoval ? v.cols : null;
  const colSeries: (Series | undefined)[] = [];
  for (let k = 0; k < ev.n; k++) {
    const ts = ev.times[k]!;
    if (!limitEachStep && points + ev.peak(k) > q.maxSamples) {
      throw new EvalError(
        e,
        'query processing would load too many samples into memory in query execution',
      );
    }
    if (v.kind === 'scalar') {
      let s = out.get('');
      if (!s) {
        s = { labels: {}, points: [] };
        out.set('', s);
      }
      s.points.push({ t: ts, v: v.vs[k]! });
      points++;
    } else if (cols !== null) {
      const { n, labels, vals, present } = cols;
      for (let i = 0; i < n; i++) {
        const at = k * n + i;
        if (present[at] === 0) continue;
        let s = colSeries[i];
        if (s === undefined) {
          const l = labels[i]!;
          const key = q.state.labelsKey(l);
          s = out.get(key);
          if (!s) {
            s = { labels: l, points: [] };
            out.set(key, s);
          }
          colSeries[i] = s;
        }
        s.points.push({ t: ts, v: vals[at]! });
        points++;
      }
    } else if (v.kind === 'vector') {
      for (const sample of ev.finish(e, v.at(k))) {
        const key = q.state.labelsKey(sample.labels);
        let s = out.get(key);
        if (!s) {
          s = { labels: sample.labels, points: [] };
          out.set(key, s);
        }
        s.points.push({ t: ts, v: sample.v });
        points++;
      }
    }
  }
  return points;
}

/** Evaluates an expression over [start, end] every step (ms), like a range query. */
export function evalRange(
  expr: string | Expr,
  store: SeriesStore,
  start: number,
  end: number,
  step: number,
  opts: EvalOptions = {},
): Result<{ type: 'matrix'; series: Series[] }> {
  const r = resolve(expr, opts);
  if (!r.ok) return r.error;
  const e = r.expr;
  const t = exprType(e);
  if (t !== 'scalar' && t !== 'vector') {
    return {
      ok: false,
      error: {
        from: e.from,
        to: e.to,
        message: `invalid expression type "${documentedType(t)}" for range query, must be Scalar or instant Vector`,
      },
    };
  }
  if (!(step > 0)) {
    return {
      ok: false,
      error: {
        from: e.from,
        to: e.to,
        message:
          'zero or negative query resolution step widths are not accepted. Try a positive integer',
      },
    };
  }
  const maxSamples = opts.maxSamples ?? 50e6;
  if (opts.limitEachStep !== true && (end - start) / step + 1 > maxSamples) {
    return {
      ok: false,
      error: {
        from: e.from,
        to: e.to,
        message: 'query processing would load too many samples into memory in query execution',
      },
    };
  }
  if (end < start) {
    return {
      ok: false,
      error: { from: e.from, to: e.to, message: 'end timestamp must not be before start time' },
    };
  }
  try {
    const q = new QueryContext(store, r.text, start, end, step, opts);
    const times: number[] = [];
    for (let ts = start; ts <= end; ts += step) times.push(ts);
    const grid = Float64Array.from(times);
    q.grid = grid;
    const out = new Map<string, Series>();
    let points = 0;
    // The grid is evaluated in batches of steps, so that what the nodes hold stays small.
    for (let from = 0; from < grid.length; from += rangeBatch) {
      const reuse = opts.reuse?.serves(store) ? opts.reuse : null;
      const ev = new Evaluator(q, grid.subarray(from, from + rangeBatch), start, reuse, from);
      points = collect(ev, e, ev.eval(e), out, points, opts.limitEachStep === true);
    }
    const series = sortByLabelSets([...out.values()], (s) => s.labels);
    return { ok: true, value: { type: 'matrix', series }, warnings: [...q.warnings] };
  } catch (err) {
    return fail(err, e);
  }
}

/** One node of an explain tree: a sub-expression, its result and what the operator did. */
export interface ExplainNode {
  from: number;
  to: number;
  /** The node kind, e.g. "binaryExpr". */
  kind: string;
  /** The sub-expression's source text (when the query was given as text). */
  text: string;
  value: Value | null;
  notes: ExplainNote[];
  children: ExplainNode[];
}

/** Evaluates at one time and returns the tree of sub-expressions with their results. */
export function explainInstant(
  expr: string | Expr,
  store: SeriesStore,
  t: number,
  opts: EvalOptions = {},
): Result<ExplainNode> {
  const r = resolve(expr, opts);
  if (!r.ok) return r.error;
  const q = new QueryContext(store, r.text, t, t, 0, { ...opts, explain: true });
  let error: string | null = null;
  try {
    new Evaluator(q, Float64Array.of(t)).eval(r.expr);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const build = (e: Expr): ExplainNode => {
    const entry = q.trace?.get(e);
    const value = entry ? toValue(entry.value, t) : null;
    return {
      from: e.from,
      to: e.to,
      kind: e.type,
      text: r.text === null ? '' : r.text.slice(e.from, e.to),
      value,
      notes: [...describeNode(e, value), ...(entry?.notes ?? [])],
      // A range selector's inner selector is not evaluated on its own.
      children: e.type === 'matrixSelector' ? [] : children(e).map(build),
    };
  };
  const root = build(r.expr);
  if (error !== null) root.notes.push({ kind: 'error', message: error });
  return { ok: true, value: root, warnings: [...q.warnings] };
}
