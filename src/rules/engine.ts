// The one place src/rules touches the PromQL engine: instant queries shaped the way the rule
// manager's EngineQueryFunc shapes them (rules/manager.go): a vector as is, a scalar as one
// sample without labels, anything else an error.
import { evalInstant, formatExpr, parseExpr, type SeriesStore } from '../promql/index.ts';
export { sortedKeys } from '../promql/index.ts';

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

/** A QueryFn over a store; parsed expressions are cached by text. */
export function makeQueryFn(store: SeriesStore, opts: QueryOptions = {}): QueryFn {
  const compat = opts.compat ?? 'v3';
  return (text, t) => {
    const parsed = parseRuleExpr(text, compat);
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

/** Parsed rule expressions by compat mode and text (trees are never changed once parsed). */
const parsedExprs = {
  v2: new Map<string, ReturnType<typeof parseExpr>>(),
  v3: new Map<string, ReturnType<typeof parseExpr>>(),
};

/**
 * parseExpr for rule expressions, remembered: a test file's groups evaluate the same rules
 * again and again (a few thousand entries at most are kept).
 */
export function parseRuleExpr(text: string, compat: 'v2' | 'v3'): ReturnType<typeof parseExpr> {
  const cache = parsedExprs[compat];
  let hit = cache.get(text);
  if (hit === undefined) {
    if (cache.size >= 4096) cache.clear();
    hit = parseExpr(text, { compat });
    cache.set(text, hit);
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

/** Printed rule expressions by parsed tree. */
const printed = new WeakMap<object, string>();

/**
 * The text the rule manager queries for a rule: its parsed expression printed (manager.go runs
 * rule.Query().String()), which sorts each selector's matchers among other things. Text that
 * does not parse is returned as it is, so that its error stays the same.
 */
export function ruleQueryText(expr: string, compat: 'v2' | 'v3' = 'v3'): string {
  const p = parseRuleExpr(expr, compat);
  if (!p.ok) return expr;
  // Printed once per parsed tree: a test file's groups build the same rules again and again.
  let text = printed.get(p.value);
  if (text === undefined) {
    text = formatExpr(p.value);
    printed.set(p.value, text);
  }
  return text;
}
