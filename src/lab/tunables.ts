// The numbers in a rule a user may want to tune with a slider: range windows of range selectors
// and subqueries, number literals (thresholds, quantiles), and `for`. Each tunable knows where it
// sits in the expression text, so a slider rewrites exactly that token and nothing else.
import { children, parseExpr, type Expr } from '../promql/index.ts';
import type { RuleDraft } from './rulePresets.ts';
import { formatDuration, formatGoFloat, parseDuration } from '../text/index.ts';

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

/** A number's slider range: from the data on the page, around the value without bounds. */
function numberRangeFor(v: number, bounds: TuneBounds | undefined): { min: number; max: number } {
  return bounds
    ? numberRange(v, bounds.data)
    : {
        min: v < 0 ? v * 10 : 0,
        max: v > 0 ? v * 10 : v === 0 ? 10 : 0,
      };
}

function numberTunable(
  e: Expr & { type: 'numberLiteral' },
  context: string,
  bounds: TuneBounds | undefined,
): Tunable {
  const v = e.val;
  const { min, max } = numberRangeFor(v, bounds);
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
    label: what,
    value: range,
    min: grid,
    max: bounds ? Math.max(grid, bounds.durationMs, range) : Math.max(30 * MIN, 4 * range),
    step: grid,
    from: open + 1,
    to: open + close,
  };
}

/** A metric's name in words: `etcd_network_peer_sent_failures_total` → "network peer sent failures". */
export function metricWords(name: string): string {
  const words = name
    .replace(/^etcd_/, '')
    .replace(/_(total|bucket)$/, '')
    .replace(/_/g, ' ');
  return words === '' ? 'series' : words;
}

/** What a comparison keeps, in words. */
const comparisonWords: Readonly<Record<string, string>> = {
  '==': 'equal to',
  '!=': 'not equal to',
  '>': 'above',
  '<': 'below',
  '>=': 'at or above',
  '<=': 'at or below',
};

/** What a number does as an operand of arithmetic: on the right, and on the left. */
const operandWords: Readonly<Record<string, readonly [string, string]>> = {
  '+': ['added to', 'added to'],
  '-': ['subtracted from', 'minus'],
  '*': ['factor of', 'factor of'],
  '/': ['divisor of', 'divided by'],
  '%': ['modulus of', 'taken modulo'],
  '^': ['power of', 'raised to'],
  atan2: ['atan2 with', 'atan2 of'],
};

/** The names of functions' number arguments, by position. */
const argumentNames: Readonly<Record<string, readonly (string | undefined)[]>> = {
  histogram_quantile: ['quantile (φ)'],
  quantile_over_time: ['quantile (φ)'],
  double_exponential_smoothing: [undefined, 'smoothing factor', 'trend factor'],
  holt_winters: [undefined, 'smoothing factor', 'trend factor'],
  predict_linear: [undefined, 'seconds ahead'],
  clamp: [undefined, 'lower bound', 'upper bound'],
  clamp_min: [undefined, 'lower bound'],
  clamp_max: [undefined, 'upper bound'],
  round: [undefined, 'rounded to a multiple of'],
};

const rateFunctions: ReadonlySet<string> = new Set([
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'resets',
  'changes',
]);

/**
 * What an expression measures, in a few words ("rate of network peer sent failures"), or null
 * where words would say less than the expression (two vectors combined). Sums, maxima and the
 * like keep the words of what they aggregate: a slider's label names the quantity, not the
 * arithmetic around it.
 */
export function describeOperand(e: Expr): string | null {
  switch (e.type) {
    case 'vectorSelector':
      return metricWords(
        e.name || (e.matchers.find((m) => m.name === '__name__')?.value ?? 'series'),
      );
    case 'matrixSelector':
      return describeOperand(e.selector);
    case 'subquery':
    case 'parenExpr':
    case 'unaryExpr':
      return describeOperand(e.expr);
    case 'call': {
      const name = e.func.name;
      const vector = e.args.find((a) => a.type !== 'numberLiteral' && a.type !== 'stringLiteral');
      const inner = vector ? describeOperand(vector) : null;
      // A quantile of a histogram's buckets is a quantile of what the buckets count.
      if (name === 'histogram_quantile')
        return inner && `quantile of ${inner.replace(/^(rate|irate|increase) of /, '')}`;
      if (rateFunctions.has(name) || name.endsWith('_over_time'))
        return inner && `${name.replace(/_over_time$/, '')} of ${inner}`;
      return inner;
    }
    case 'aggregation': {
      const inner = describeOperand(e.expr);
      return e.op === 'count' || e.op === 'count_values' ? inner && `count of ${inner}` : inner;
    }
    case 'binaryExpr': {
      // A number beside a vector leaves the vector's quantity; two vectors say too much in words.
      const l = e.lhs.type === 'numberLiteral' ? null : describeOperand(e.lhs);
      const r = e.rhs.type === 'numberLiteral' ? null : describeOperand(e.rhs);
      if (e.lhs.type === 'numberLiteral') return r;
      if (e.rhs.type === 'numberLiteral') return l;
      return e.op === '/' && l !== null && r !== null ? 'the ratio' : null;
    }
    case 'numberLiteral':
    case 'stringLiteral':
      return null;
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Whether an expression is made of numbers only (`4*60*60`). */
function isConstant(e: Expr): boolean {
  if (e.type === 'numberLiteral') return true;
  if (e.type === 'parenExpr' || e.type === 'unaryExpr') return isConstant(e.expr);
  return e.type === 'binaryExpr' && isConstant(e.lhs) && isConstant(e.rhs);
}

/**
 * What a number literal sets, in words, from where it sits in the expression (`ancestors` from
 * the root down to its parent). A number inside arithmetic of numbers only (`4*60*60`) is part of
 * what that arithmetic sets.
 */
function numberLabel(e: Expr, ancestors: readonly Expr[]): string {
  let node = e;
  let i = ancestors.length - 1;
  while (i >= 0 && isConstant(ancestors[i] as Expr)) node = ancestors[i--] as Expr;
  const label = roleLabel(node, ancestors[i] ?? null, ancestors[0] ?? e);
  return node === e ? label : `part of ${label}`;
}

function roleLabel(e: Expr, parent: Expr | null, root: Expr): string {
  if (parent?.type === 'binaryExpr') {
    const onRight = parent.rhs === e;
    const other = describeOperand(onRight ? parent.lhs : parent.rhs);
    const cmp = comparisonWords[parent.op];
    if (cmp !== undefined) {
      if (parent === root) return `fires when ${other ?? 'the result'} is ${cmp}`;
      if (parent.bool) return `counts ${other ?? 'series'} ${cmp}`;
      return `keeps ${other ?? 'series'} ${cmp}`;
    }
    const words = operandWords[parent.op];
    if (words) return `${onRight ? words[0] : words[1]} ${other ?? 'the expression'}`;
    return `operand of ${parent.op}`;
  }
  if (parent?.type === 'call') {
    const i = parent.args.indexOf(e);
    const name = argumentNames[parent.func.name]?.[i] ?? `argument ${i + 1}`;
    const vector = parent.args.find(
      (a) => a.type !== 'numberLiteral' && a.type !== 'stringLiteral',
    );
    const of = vector ? describeOperand(vector) : null;
    const what =
      parent.func.name === 'histogram_quantile'
        ? of?.replace(/^(rate|irate|increase) of /, '')
        : of;
    return what ? `${name} of ${what}` : `${parent.func.name.replace(/_/g, ' ')} ${name}`;
  }
  if (parent?.type === 'aggregation') {
    const of = describeOperand(parent.expr);
    const name =
      parent.op === 'quantile'
        ? 'quantile (φ)'
        : parent.op === 'topk' || parent.op === 'bottomk' || parent.op === 'limitk'
          ? `k of ${parent.op}`
          : `${parent.op} parameter`;
    return of ? `${name} of ${of}` : name;
  }
  return 'number';
}

/** A range window's label: the function that reads it and what it reads ("rate window of up"). */
function windowLabel(e: Expr, parent: Expr | null): string {
  const of = describeOperand(e);
  const fn = parent?.type === 'call' ? parent.func.name.replace(/_/g, ' ') : null;
  const what = e.type === 'subquery' ? 'subquery range' : fn ? `${fn} window` : 'range window';
  return of ? `${what} of ${of}` : what;
}

/**
 * The rule's tunable numbers, in the order they appear. `grid` is the scrape interval; `bounds`,
 * given on the page, fix each slider's range by what it tunes rather than by its value. Each is
 * named in words by what it tunes: "fires when up is equal to", "rate window of network peer sent
 * failures", never by an operator alone.
 */
export function findTunables(rule: RuleDraft, grid: number, bounds?: TuneBounds): Tunable[] {
  const out: Tunable[] = [];
  const parsed = parseExpr(rule.expr);
  if (parsed.ok) {
    const ancestors: Expr[] = [];
    const walk = (e: Expr) => {
      const parent = ancestors[ancestors.length - 1] ?? null;
      if (e.type === 'numberLiteral') {
        out.push(numberTunable(e, numberLabel(e, ancestors), bounds));
      } else if (e.type === 'matrixSelector') {
        const t = rangeTunable(
          rule.expr,
          e.selector.to,
          e.range,
          windowLabel(e, parent),
          grid,
          bounds,
        );
        if (t) out.push(t);
      } else if (e.type === 'subquery') {
        const t = rangeTunable(rule.expr, e.expr.to, e.range, windowLabel(e, parent), grid, bounds);
        if (t) out.push(t);
      }
      ancestors.push(e);
      for (const c of children(e)) walk(c);
      ancestors.pop();
    };
    walk(parsed.value);
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

/** A number as the parser reads it from text with nothing but digits, a point and an exponent. */
const plainNumber = /^(?:[0-9]*\.?[0-9]+|[0-9]+\.[0-9]*)(?:e[+-]?[0-9]+)?$/i;
/** A duration of units only: `5m`, `1h30m`. */
const plainDuration = /^(?:[0-9]+(?:ms|[smhdwy]))+$/;

/**
 * The rule with one tunable set to a new value, and its tunables (as findTunables finds them with
 * the same grid and bounds), from the rule's own without parsing the new expression: a slider
 * step replaces one plain number or duration by another, which leaves the expression's shape as it
 * was, shifts what follows the token and changes that one tunable's value (and its range, which
 * holds the value). Null when the step is not so plain (a negative number, an exponent the parser
 * reads otherwise): then findTunables must read the new rule.
 */
export function retune(
  rule: RuleDraft,
  tunables: readonly Tunable[],
  t: Tunable,
  value: number,
  grid: number,
  bounds?: TuneBounds,
): { rule: RuleDraft; tunables: Tunable[] } | null {
  const next = applyTunable(rule, t, value);
  if (t.kind === 'for') {
    const max = bounds ? Math.max(bounds.durationMs, value) : Math.max(60 * MIN, 2 * value);
    return {
      rule: next,
      tunables: tunables.map((x) => (x.key === t.key ? { ...x, value, max } : x)),
    };
  }
  const { from, to } = t;
  if (from === undefined || to === undefined || !tunables.includes(t)) return null;
  const old = rule.expr.slice(from, to);
  const token = next.expr.slice(from, next.expr.length - (rule.expr.length - to));
  let tuned: Tunable;
  if (t.kind === 'number') {
    if (!plainNumber.test(old) || !plainNumber.test(token)) return null;
    const v = Number(token);
    const { min, max } = numberRangeFor(v, bounds);
    tuned = { ...t, value: v, min, max, step: niceStep(max - min), to: from + token.length };
  } else {
    if (!plainDuration.test(old) || !plainDuration.test(token)) return null;
    const range = parseDuration(token);
    if (range === null || range <= 0) return null;
    const max = bounds ? Math.max(grid, bounds.durationMs, range) : Math.max(30 * MIN, 4 * range);
    tuned = { ...t, value: range, max, to: from + token.length };
  }
  const shift = token.length - old.length;
  return {
    rule: next,
    tunables: tunables.map((x) => {
      if (x === t) return tuned;
      if (x.from === undefined || x.to === undefined || x.from < to) return x;
      const at = x.from + shift;
      return {
        ...x,
        key: x.kind === 'range' ? `range@${at - 1}` : `number@${at}`,
        from: at,
        to: x.to + shift,
      };
    }),
  };
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
