// Instant queries shaped the way the rule
// manager's EngineQueryFunc shapes them (rules/manager.go): a vector as is, a scalar as one
// sample without labels, anything else an error.
import { evalInstant, formatExpr, parseExpr, type SeriesStore } from '../promql/index.ts';

export type { Labels, Point, SeriesStore } from '../promql/index.ts';

/** Engine options the rules pass through. */
export interface QueryOptions {
  compat?: 'v2' | 'v3';
  lookbackDelta?: number;
  /** The default subquery step; promtool uses the evaluation interval. */
  defaultSubqueryStep?: number;
  /** The engine's sample limit; PROMTOOL_MAX_SAMPLES in what promtool would judge. */
  maxSamples?: number;
}

/** The sample limit of promtool's unit-test engine (cmd/promtool/unittest.go, MaxSamples). */
export const PROMTOOL_MAX_SAMPLES = 10_000;

/** One sample of an instant query's result. */
export interface QuerySample {
  labels: Readonly<Record<string, string>>;
  v: number;
}

/** The result of a rule's query: samples, or the engine's error message. */
export type QueryResult = { ok: true; samples: QuerySample[] } | { ok: false; message: string };

/** Runs an instant query at a time (ms). */
export type QueryFn = (expr: string, t: number) => QueryResult;

/**
 * Parsed rule expressions by compat mode and text, kept by whoever runs the rules (a promtool
 * test run, one QueryFn), as Prometheus's rule manager parses a rule once when it loads the
 * group. Trees are never changed once parsed.
 */
export type ParsedExprs = Map<string, ReturnType<typeof parseExpr>>;

/**
 * A QueryFn over a store; each expression text is parsed once, in `exprs` (by default the
 * QueryFn's own: it evaluates the same rules at every timestamp).
 */
export function makeQueryFn(
  store: SeriesStore,
  opts: QueryOptions = {},
  exprs: ParsedExprs = new Map(),
): QueryFn {
  const compat = opts.compat ?? 'v3';
  return (text, t) => {
    const parsed = parseRuleExpr(text, compat, exprs);
    const expr = parsed.ok ? parsed.value : formatParseError(text, parsed.error);
    if (typeof expr === 'string') return { ok: false, message: expr };
    const r = evalInstant(expr, store, t, opts);
    if (!r.ok) return { ok: false, message: r.error.message };
    const v = r.value;
    switch (v.type) {
      case 'vector':
        return { ok: true, samples: v.samples.map((s) => ({ labels: s.labels, v: s.v })) };
      case 'scalar':
        return { ok: true, samples: [{ labels: {}, v: v.v }] };
      case 'string':
      case 'matrix':
        return { ok: false, message: 'rule result is not a vector or scalar' };
    }
  };
}

/**
 * parseExpr for rule expressions, remembered in `parsed` when given: a test file's groups
 * evaluate the same rules again and again.
 */
export function parseRuleExpr(
  text: string,
  compat: 'v2' | 'v3',
  parsed?: ParsedExprs,
): ReturnType<typeof parseExpr> {
  if (parsed === undefined) return parseExpr(text, { compat });
  const key = `${compat}\0${text}`;
  let hit = parsed.get(key);
  if (hit === undefined) {
    hit = parseExpr(text, { compat });
    parsed.set(key, hit);
  }
  return hit;
}

/** Prometheus's ParseErr text: `line:col: parse error: message`. */
export function formatParseError(expr: string, error: { from: number; message: string }): string {
  if (/^\d+:\d+: parse error: /.test(error.message)) return error.message;
  const before = expr.slice(0, error.from);
  const line = before.split('\n').length;
  const col = error.from - (before.lastIndexOf('\n') + 1) + 1;
  const msg = error.message.replace(/^parse error: /, '');
  return `${line}:${col}: parse error: ${msg}`;
}

/**
 * The text the rule manager queries for a rule: its parsed expression printed (manager.go runs
 * rule.Query().String()), which sorts each selector's matchers among other things. Text that
 * does not parse is returned as it is, so that its error stays the same.
 */
export function ruleQueryText(
  expr: string,
  compat: 'v2' | 'v3' = 'v3',
  parsed?: ParsedExprs,
): string {
  const p = parseRuleExpr(expr, compat, parsed);
  return p.ok ? formatExpr(p.value) : expr;
}
