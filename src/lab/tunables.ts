// The numbers in a rule a user may want to tune with a slider: range windows of range selectors
// and subqueries, number literals (thresholds, quantiles), and `for`. Each tunable knows where it
// sits in the expression text, so a slider rewrites exactly that token and nothing else.
import { children, parseExpr, type Expr } from '../promql/index.ts';
import type { RuleDraft } from './rulePresets.ts';
import { formatDuration, formatGoFloat } from '../text/index.ts';

/** One number of a rule, with the range a slider offers for it. */
export interface Tunable {
  /** Stable while the expression keeps its shape: kind and position. */
  readonly key: string;
  readonly kind: 'range' | 'number' | 'for';
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** The token's place in the expression text (absent for `for`). */
  readonly from?: number;
  readonly to?: number;
}

const MIN = 60_000;

/** The scrape intervals the tuning slider and the sweep offer. */
export const SCRAPE_INTERVALS: readonly number[] = [5_000, 10_000, 15_000, 30_000, 60_000, 120_000];
const comparisons: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);

function niceStep(span: number): number {
  const raw = span / 200;
  const p = 10 ** Math.floor(Math.log10(raw));
  return raw / p < 2 ? p : raw / p < 5 ? 2 * p : 5 * p;
}

/**
 * What bounds a slider on the page: the scenario's duration bounds windows and `for`, the range of
 * the rule's charted value bounds its numbers. Without bounds (the sweep) the ranges are taken
 * around the rule's values, which stay fixed there.
 */
export interface TuneBounds {
  readonly durationMs: number;
  /** The lowest and highest value the rule's value chart shows; null when it shows none. */
  readonly data: { readonly min: number; readonly max: number } | null;
}

/** The smallest 1, 2 or 5 times a power of ten at or above `x` (x > 0): idempotent. */
export function niceCeil(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/**
 * A number's slider range from the data, widened to a nice number that holds the value. Dragging
 * to either end leaves the range where it is: niceCeil of a nice number is that number, so the
 * range never follows the thumb (it ran away by 10× per change when it was derived from the value).
 */
function numberRange(v: number, data: TuneBounds['data']): { min: number; max: number } {
  const lo = Math.min(0, v, data?.min ?? 0);
  const hi = Math.max(v, data?.max ?? 1, lo < 0 ? 0 : 1);
  return {
    min: lo < 0 ? -niceCeil(-lo) : 0,
    max: hi > 0 ? niceCeil(hi) : 0,
  };
}

function numberTunable(
  e: Expr & { type: 'numberLiteral' },
  context: string,
  bounds: TuneBounds | undefined,
): Tunable {
  const v = e.val;
  const { min, max } = bounds
    ? numberRange(v, bounds.data)
    : {
        min: v < 0 ? v * 10 : 0,
        max: v > 0 ? v * 10 : v === 0 ? 10 : 0,
      };
  return {
    key: `number@${e.from}`,
    kind: 'number',
    label: context,
    value: v,
    min,
    max,
    step: niceStep(max - min),
    from: e.from,
    to: e.to,
  };
}

function rangeTunable(
  text: string,
  bracketFrom: number,
  range: number,
  what: string,
  grid: number,
  bounds: TuneBounds | undefined,
): Tunable | null {
  const open = text.indexOf('[', bracketFrom);
  if (open < 0) return null;
  const close = text.slice(open).search(/[:\]]/);
  if (close < 0) return null;
  return {
    key: `range@${open}`,
    kind: 'range',
    label: `${what} window`,
    value: range,
    min: grid,
    max: bounds ? Math.max(grid, bounds.durationMs, range) : Math.max(30 * MIN, 4 * range),
    step: grid,
    from: open + 1,
    to: open + close,
  };
}

/**
 * The rule's tunable numbers, in the order they appear. `grid` is the scrape interval; `bounds`,
 * given on the page, fix each slider's range by what it tunes rather than by its value.
 */
export function findTunables(rule: RuleDraft, grid: number, bounds?: TuneBounds): Tunable[] {
  const out: Tunable[] = [];
  const parsed = parseExpr(rule.expr);
  if (parsed.ok) {
    const walk = (e: Expr, parent: Expr | null) => {
      if (e.type === 'numberLiteral') {
        const context =
          parent?.type === 'binaryExpr'
            ? comparisons.has(parent.op)
              ? `threshold ${parent.op}`
              : `operand of ${parent.op}`
            : parent?.type === 'call'
              ? `${parent.func.name}(…)`
              : parent?.type === 'aggregation'
                ? `${parent.op} parameter`
                : 'number';
        out.push(numberTunable(e, context, bounds));
      } else if (e.type === 'matrixSelector') {
        const t = rangeTunable(
          rule.expr,
          e.selector.to,
          e.range,
          e.selector.name || 'range',
          grid,
          bounds,
        );
        if (t) out.push(t);
      } else if (e.type === 'subquery') {
        const t = rangeTunable(rule.expr, e.expr.to, e.range, 'subquery', grid, bounds);
        if (t) out.push(t);
      }
      for (const c of children(e)) walk(c, e);
    };
    walk(parsed.value, null);
  }
  out.sort((a, b) => (a.from ?? 0) - (b.from ?? 0));
  // Two thresholds with the same operator get numbered, so every slider has its own name.
  const seen = new Map<string, number>();
  for (const t of out) seen.set(t.label, (seen.get(t.label) ?? 0) + 1);
  const nth = new Map<string, number>();
  for (let i = 0; i < out.length; i++) {
    const t = out[i] as Tunable;
    if ((seen.get(t.label) ?? 0) < 2) continue;
    const n = (nth.get(t.label) ?? 0) + 1;
    nth.set(t.label, n);
    out[i] = { ...t, label: `${t.label} (${n})` };
  }
  out.push({
    key: 'for',
    kind: 'for',
    label: 'for',
    value: rule.forMs,
    min: 0,
    max: bounds ? Math.max(bounds.durationMs, rule.forMs) : Math.max(60 * MIN, 2 * rule.forMs),
    step: grid,
  });
  return out;
}

function formatNumber(v: number): string {
  // Twelve digits at most: sliders produce values like 0.30000000000000004.
  return formatGoFloat(v, 'g', 12);
}

/** The rule with one tunable set to a new value. */
export function applyTunable(rule: RuleDraft, t: Tunable, value: number): RuleDraft {
  if (t.kind === 'for') return { ...rule, forMs: value };
  if (t.from === undefined || t.to === undefined) return rule;
  const token = t.kind === 'range' ? formatDuration(value) : formatNumber(value);
  return { ...rule, expr: rule.expr.slice(0, t.from) + token + rule.expr.slice(t.to) };
}

/** The lowest and highest value a rule's value chart shows, for the range of its sliders. */
export function chartedRange(
  lines: readonly { readonly values: readonly (number | null)[] }[],
): TuneBounds['data'] {
  let min = Infinity;
  let max = -Infinity;
  for (const l of lines)
    for (const v of l.values)
      if (v !== null && Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
  return min <= max ? { min, max } : null;
}
