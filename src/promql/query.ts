// The engine's entry points: instant and range evaluation (Prometheus's Engine.NewInstantQuery /
// NewRangeQuery), explain mode, and conversion of internal values to the public Value shape.
import { children, documentedType, exprType, isComparisonOp, type Expr } from './ast.ts';
import { Evaluator, type EvalOptions } from './engine.ts';
import { compareLabels, labelsKey, type Labels } from './labels.ts';
import { parseExpr } from './parser.ts';
import type { Result } from './result.ts';
import type { SeriesStore } from './store.ts';
import { EvalError, type EvalValue } from './values.ts';
import { countOf } from './explainList.ts';

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
  const parsed = parseExpr(expr, { compat: opts.compat ?? 'v3' });
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
    const ev = new Evaluator(store, r.text, t, t, opts);
    let v = ev.eval(r.expr, t);
    if (v.kind === 'vector') v = { kind: 'vector', samples: ev.finish(r.expr, v.samples) };
    return { ok: true, value: toValue(v, t), warnings: [...ev.warnings] };
  } catch (err) {
    return fail(err, r.expr);
  }
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
    const ev = new Evaluator(store, r.text, start, end, opts);
    ev.rangeQuery = true;
    ev.step = step;
    const out = new Map<string, Series>();
    let points = 0;
    for (let ts = start; ts <= end; ts += step) {
      ev.resetStep();
      if (opts.limitEachStep !== true) ev.addSamples(e, points);
      const v = ev.eval(e, ts);
      if (v.kind === 'scalar') {
        let s = out.get('');
        if (!s) {
          s = { labels: {}, points: [] };
          out.set('', s);
        }
        s.points.push({ t: ts, v: v.v });
        points++;
      } else if (v.kind === 'vector') {
        for (const sample of ev.finish(e, v.samples)) {
          const key = labelsKey(sample.labels);
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
    const series = [...out.values()].sort((a, b) => compareLabels(a.labels, b.labels));
    return { ok: true, value: { type: 'matrix', series }, warnings: [...ev.warnings] };
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
  notes: string[];
  children: ExplainNode[];
}

function describe(e: Expr, v: Value | null): string[] {
  const notes: string[] = [];
  const size =
    v === null
      ? 'not evaluated'
      : v.type === 'vector'
        ? `${v.samples.length} series`
        : v.type === 'matrix'
          ? `${v.series.length} series, ${countOf(
              v.series.reduce((n, s) => n + s.points.length, 0),
              'sample',
            )}`
          : v.type;
  switch (e.type) {
    case 'vectorSelector':
      notes.push(`selects the newest sample of each matching series (${size})`);
      if (e.offset) notes.push(`offset ${e.offset / 1000}s`);
      if (e.at) notes.push(`@ ${e.at.kind === 'timestamp' ? e.at.t / 1000 : e.at.kind + '()'}`);
      break;
    case 'matrixSelector':
      notes.push(`selects samples in the last ${e.range / 1000}s (${size})`);
      break;
    case 'subquery':
      notes.push(
        `evaluates the inner expression on an absolute ${e.step ? e.step / 1000 + 's' : 'default-interval'} grid (${size})`,
      );
      break;
    case 'binaryExpr':
      if (e.matching && e.matching.card !== 'many-to-many') {
        notes.push(
          `${e.matching.card} matching ${e.matching.on ? 'on' : 'ignoring'}(${e.matching.labels.join(', ')})`,
        );
      }
      if (e.bool) notes.push('bool: comparison yields 0 or 1 instead of filtering');
      else if (isComparisonOp(e.op)) notes.push('comparison filters: only matches are kept');
      break;
    case 'aggregation':
      // An evaluated aggregation's own notes open with this clause and what it did to labels.
      if (v === null)
        notes.push(`${e.op} ${e.without ? 'without' : 'by'} (${e.grouping.join(', ')})`);
      break;
    case 'call':
      notes.push(`${e.func.name}(): ${size}`);
      break;
    default:
      notes.push(size);
  }
  return notes;
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
  const ev = new Evaluator(store, r.text, t, t, { ...opts, explain: true });
  let error: string | null = null;
  try {
    ev.eval(r.expr, t);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const build = (e: Expr): ExplainNode => {
    const entry = ev.trace?.get(e);
    const value = entry ? toValue(entry.value, t) : null;
    return {
      from: e.from,
      to: e.to,
      kind: e.type,
      text: r.text === null ? '' : r.text.slice(e.from, e.to),
      value,
      notes: [...describe(e, value), ...(entry?.notes ?? [])],
      // A range selector's inner selector is not evaluated on its own.
      children: e.type === 'matrixSelector' ? [] : children(e).map(build),
    };
  };
  const root = build(r.expr);
  if (error !== null) root.notes.push(`error: ${error}`);
  return { ok: true, value: root, warnings: [...ev.warnings] };
}
