// Binary operators and aggregations over instant vectors, mirroring VectorBinop, VectorAnd/Or/
// Unless, VectorscalarBinop and the aggregation code in promql/engine.go.
import type { Aggregation, BinaryExpr, BinaryOp, VectorMatching } from './ast.ts';
import { isComparisonOp } from './ast.ts';
import { formatFloat as fmtG, formatFloatPlain, formatLabelsGo } from '../text/index.ts';
import { compareStrings, makeLabels, sortedKeys, type Labels } from './labels.ts';
import type { QueryState } from './queryState.ts';
import { goAtan2 } from './gomath.ts';
import { goPow, kahanSumInc, quantile } from './mathx.ts';
import { xxhash64 } from './xxhash.ts';
import { EvalError, type VSample } from './values.ts';

/** Engine settings the operators depend on. */
export interface OperatorOptions {
  readonly compat: 'v3' | 'v2';
  readonly delayedNameRemoval: boolean;
  /** The query's caches. */
  readonly state: QueryState;
}

/** Whether an operator drops the metric name (Prometheus 2 keeps it on atan2). */
function dropsName(op: BinaryOp, bool: boolean, compat: 'v3' | 'v2'): boolean {
  if (bool) return true;
  if (isComparisonOp(op)) return false;
  return !(op === 'atan2' && compat === 'v2');
}

/** Applies an arithmetic or comparison operator; returns [value, keep]. */
export function scalarBinop(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+':
      return [l + r, true];
    case '-':
      return [l - r, true];
    case '*':
      return [l * r, true];
    case '/':
      return [l / r, true];
    case '%':
      return [l % r, true];
    case '^':
      return [goPow(l, r), true];
    case 'atan2':
      return [goAtan2(l, r), true];
    case '==':
      return [l, l === r];
    case '!=':
      return [l, l !== r];
    case '>':
      return [l, l > r];
    case '<':
      return [l, l < r];
    case '>=':
      return [l, l >= r];
    case '<=':
      return [l, l <= r];
    case 'and':
    case 'or':
    case 'unless':
      throw new Error(`operator "${op}" not allowed for scalar operations`);
    default: {
      const never: never = op;
      return never;
    }
  }
}

/** A comparison operator's outcome, as scalarBinop's keep. */
function compare(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    default:
      return scalarBinop(op, l, r)[1];
  }
}

/** The matching key of a label set for on(...)/ignoring(...). */
export function matchSignature(labels: Labels, on: boolean, names: readonly string[]): string {
  return computeSignature(labels, on, names);
}

/** matchSignature for one on(...)/ignoring(...) list, remembered per label set for the query. */
function signatureOf(
  state: QueryState,
  on: boolean,
  names: readonly string[],
): (labels: Labels) => string {
  const cache = state.derived<string>(names, on ? 'sig:on' : 'sig:ignoring');
  const pair: PairPart = (n, v) => state.pairCode(n, v);
  return (labels) => {
    let sig = cache.get(labels);
    if (sig === undefined) {
      sig = computeGroupingKey(labels, names, !on, pair);
      cache.set(labels, sig);
    }
    return sig;
  };
}

function computeSignature(labels: Labels, on: boolean, names: readonly string[]): string {
  // The same key as an aggregation's by(...)/without(...) grouping.
  return computeGroupingKey(labels, names, !on);
}

function matchedLabels(labels: Labels, m: VectorMatching): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    const listed = m.labels.includes(k);
    if (m.on ? listed : !listed && k !== '__name__') out[k] = v;
  }
  return makeLabels(out);
}

function resultMetric(
  state: QueryState,
  lhs: Labels,
  rhs: Labels,
  m: VectorMatching,
  dropName: boolean,
): Labels {
  // Without group_x(...) labels the result depends on the left side only: remembered per label
  // set, since a range query meets the same pairs at every step.
  if (m.include.length > 0) return computeResultMetric(lhs, rhs, m, dropName);
  const cache = state.derived<Labels>(m, dropName ? 'result:drop-name' : 'result:keep-name');
  let out = cache.get(lhs);
  if (out === undefined) {
    out = computeResultMetric(lhs, rhs, m, dropName);
    cache.set(lhs, out);
  }
  return out;
}

function computeResultMetric(
  lhs: Labels,
  rhs: Labels,
  m: VectorMatching,
  dropName: boolean,
): Labels {
  // Built afresh, not copied and `delete`d from (which makes a slow dictionary object); an
  // empty value stands for a label to remove, which makeLabels drops.
  const out: Record<string, string> = {};
  const oneToOne = m.card === 'one-to-one';
  for (const k in lhs) {
    if (dropName && k === '__name__') continue;
    if (oneToOne && m.labels.includes(k) !== m.on) continue;
    out[k] = lhs[k]!;
  }
  for (const ln of m.include) out[ln] = rhs[ln] ?? '';
  return makeLabels(out);
}

/** A binary operation between two instant vectors (not a set operator). */
export function vectorBinop(
  e: BinaryExpr,
  lhsIn: VSample[],
  rhsIn: VSample[],
  opts: OperatorOptions,
): VSample[] {
  const m = e.matching!;
  if (lhsIn.length === 0 || rhsIn.length === 0) return [];
  if (m.card === 'one-to-one') {
    const plan = oneToOnePlan(e, lhsIn, rhsIn, opts);
    if (plan !== null) return applyOneToOnePlan(e, plan, lhsIn, rhsIn, opts);
  }
  let lhs = lhsIn;
  let rhs = rhsIn;
  if (m.card === 'one-to-many') [lhs, rhs] = [rhs, lhs];
  const signature = signatureOf(opts.state, m.on, m.labels);
  const rightSigs = new Map<string, VSample>();
  for (const rs of rhs) {
    const sig = signature(rs.labels);
    const dup = rightSigs.get(sig);
    if (dup) {
      const side = m.card === 'one-to-many' ? 'left' : 'right';
      // Prometheus 3 names the two series in order; 2.42 names the later one first.
      const pair = opts.compat === 'v2' ? [rs, dup] : [dup, rs];
      throw new EvalError(
        e,
        `found duplicate series for the match group ${formatLabelsGo(matchedLabels(rs.labels, m))} on the ${side} hand-side of the operation: [${pair.map((p) => formatLabelsGo(p.labels)).join(', ')}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    rightSigs.set(sig, rs);
  }
  const matched = new Map<string, Set<string> | null>();
  const drop = dropsName(e.op, e.bool, opts.compat);
  const out: VSample[] = [];
  for (const ls of lhs) {
    const sig = signature(ls.labels);
    const rs = rightSigs.get(sig);
    if (!rs) continue;
    let l = ls.v;
    let r = rs.v;
    if (m.card === 'one-to-many') {
      l = rs.v;
      r = ls.v;
    }
    const res = scalarBinop(e.op, l, r);
    const raw = res[0];
    const keep = res[1];
    const seen = matched.get(sig);
    // Prometheus 3 detects one-to-one matching errors even for samples a comparison filters
    // out; Prometheus 2 only once a second sample survives the filter.
    if (opts.compat === 'v3' && m.card === 'one-to-one') checkOneToOne(e, matched, sig, seen);
    if (!e.bool && !keep) continue;
    if (opts.compat === 'v2' && m.card === 'one-to-one') checkOneToOne(e, matched, sig, seen);
    const v = e.bool ? (keep ? 1 : 0) : raw;
    // With delayed name removal the name stays (marked) until the end of the query.
    const metric = resultMetric(
      opts.state,
      ls.labels,
      rs.labels,
      m,
      drop && !opts.delayedNameRemoval,
    );
    if (m.card !== 'one-to-one') {
      const key = JSON.stringify(metric);
      let set = seen;
      if (!set) {
        set = new Set();
        matched.set(sig, set);
      } else if (set.has(key)) {
        throw new EvalError(
          e,
          'multiple matches for labels: grouping labels must ensure unique matches',
        );
      }
      set.add(key);
    }
    out.push({ labels: metric, v, dropName: drop || ls.dropName === true });
  }
  return out;
}

/**
 * Which right-hand sample each left-hand sample of a one-to-one operation matches, and the
 * result's labels, for inputs that can raise no matching error (unique signatures on both
 * sides). A range query meets the same label objects at every step, so a node's plan is reused
 * while they repeat (kept in the query's state).
 */
interface OneToOnePlan {
  readonly lhs: readonly Labels[];
  readonly rhs: readonly Labels[];
  /** For each left-hand sample, the index of its right-hand match, or -1. */
  readonly match: Int32Array;
  readonly metric: readonly (Labels | undefined)[];
}

function sameLabels(labels: readonly Labels[], samples: VSample[]): boolean {
  if (labels.length !== samples.length) return false;
  for (let i = 0; i < samples.length; i++) if (labels[i] !== samples[i]!.labels) return false;
  return true;
}

/** The node's plan for these inputs, or null where the general path must run. */
function oneToOnePlan(
  e: BinaryExpr,
  lhs: VSample[],
  rhs: VSample[],
  opts: OperatorOptions,
): OneToOnePlan | null {
  const last = opts.state.node<OneToOnePlan | null>(e, 'one-to-one', () => null);
  if (last && sameLabels(last.lhs, lhs) && sameLabels(last.rhs, rhs)) return last;
  const m = e.matching!;
  const signature = signatureOf(opts.state, m.on, m.labels);
  const right = new Map<string, number>();
  for (let i = 0; i < rhs.length; i++) {
    const sig = signature(rhs[i]!.labels);
    if (right.has(sig)) return null;
    right.set(sig, i);
  }
  const drop = dropsName(e.op, e.bool, opts.compat) && !opts.delayedNameRemoval;
  const match = new Int32Array(lhs.length);
  const metric: (Labels | undefined)[] = [];
  const seen = new Set<string>();
  for (let j = 0; j < lhs.length; j++) {
    const sig = signature(lhs[j]!.labels);
    const ri = right.get(sig);
    match[j] = ri ?? -1;
    if (ri === undefined) {
      metric.push(undefined);
      continue;
    }
    // Two left-hand samples in one match group may raise an error: not planned.
    if (seen.has(sig)) return null;
    seen.add(sig);
    metric.push(resultMetric(opts.state, lhs[j]!.labels, rhs[ri]!.labels, m, drop));
  }
  const plan: OneToOnePlan = {
    lhs: lhs.map((s) => s.labels),
    rhs: rhs.map((s) => s.labels),
    match,
    metric,
  };
  opts.state.setNode(e, 'one-to-one', plan);
  return plan;
}

/** vectorBinop's loop for one-to-one matching over a plan (the same values and order). */
function applyOneToOnePlan(
  e: BinaryExpr,
  plan: OneToOnePlan,
  lhs: VSample[],
  rhs: VSample[],
  opts: OperatorOptions,
): VSample[] {
  // The plan's labels are final unless name removal is delayed: then the name stays, marked.
  const mark = opts.delayedNameRemoval && dropsName(e.op, e.bool, opts.compat);
  const out: VSample[] = [];
  for (let j = 0; j < lhs.length; j++) {
    const ri = plan.match[j]!;
    if (ri < 0) continue;
    const ls = lhs[j]!;
    const res = scalarBinop(e.op, ls.v, rhs[ri]!.v);
    const raw = res[0];
    const keep = res[1];
    if (!e.bool && !keep) continue;
    const v = e.bool ? (keep ? 1 : 0) : raw;
    const labels = plan.metric[j]!;
    out.push(mark || ls.dropName === true ? { labels, v, dropName: true } : { labels, v });
  }
  return out;
}

/** Fails when a one-to-one match group meets a second left-hand sample. */
function checkOneToOne(
  e: BinaryExpr,
  matched: Map<string, Set<string> | null>,
  sig: string,
  seen: Set<string> | null | undefined,
): void {
  if (seen !== undefined) {
    throw new EvalError(
      e,
      'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    );
  }
  matched.set(sig, null);
}

/** and / or / unless between two instant vectors. */
export function setBinop(
  e: BinaryExpr,
  lhs: VSample[],
  rhs: VSample[],
  state: QueryState,
): VSample[] {
  // A side without samples decides the result without matching (no set, no signatures).
  if (lhs.length === 0 || rhs.length === 0) {
    if (e.op === 'and') return [];
    if (e.op === 'or') return lhs.length === 0 ? rhs : lhs;
    if (e.op === 'unless') return lhs;
  }
  const m = e.matching!;
  const signature = signatureOf(state, m.on, m.labels);
  const sig = (s: VSample) => signature(s.labels);
  switch (e.op) {
    case 'and': {
      if (lhs.length === 0 || rhs.length === 0) return [];
      const right = new Set(rhs.map(sig));
      return lhs.filter((s) => right.has(sig(s)));
    }
    case 'or': {
      const left = new Set(lhs.map(sig));
      return [...lhs, ...rhs.filter((s) => !left.has(sig(s)))];
    }
    case 'unless': {
      if (lhs.length === 0 || rhs.length === 0) return lhs;
      const right = new Set(rhs.map(sig));
      return lhs.filter((s) => !right.has(sig(s)));
    }
    default:
      throw new EvalError(e, `not a set operator: ${e.op}`);
  }
}

/** A binary operation between an instant vector and a scalar. */
export function vectorScalarBinop(
  e: BinaryExpr,
  samples: VSample[],
  scalar: number,
  scalarOnLeft: boolean,
  opts: OperatorOptions,
): VSample[] {
  const out: VSample[] = [];
  const comparison = isComparisonOp(e.op);
  const drop = dropsName(e.op, e.bool, opts.compat);
  if (comparison && !e.bool && !scalarOnLeft) {
    // A filter such as `x > 0.15`: the sample is kept as it is (the common alerting shape).
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      if (compare(e.op, s.v, scalar)) {
        out.push({ labels: s.labels, v: s.v, dropName: drop || s.dropName === true });
      }
    }
    return out;
  }
  // Without delayed name removal the name is dropped here, as the evaluator would at once.
  const dropNow = drop && !opts.delayedNameRemoval;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    let l = s.v;
    let r = scalar;
    if (scalarOnLeft) {
      l = scalar;
      r = s.v;
    }
    const res = scalarBinop(e.op, l, r);
    let v = res[0];
    let keep = res[1];
    // The vector's value is the output of a comparison even when the scalar is on the left.
    if (comparison && scalarOnLeft) v = r;
    if (e.bool) {
      v = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    if (dropNow && s.dropName !== true) {
      out.push({ labels: opts.state.dropMetricName(s.labels), v });
    } else out.push({ labels: s.labels, v, dropName: drop || s.dropName === true });
  }
  return out;
}

/** An arithmetic operator's value (scalarBinop's first half, without a tuple per call). */
function arithmetic(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return goPow(l, r);
    case 'atan2':
      return goAtan2(l, r);
    default:
      return scalarBinop(op, l, r)[0];
  }
}

/**
 * vectorScalarBinop at each step of a vector in columns, with the scalar's value at each step:
 * the same samples in the same order, in columns. Null where the output's label sets (names
 * dropped) are not all distinct, so that a step may have to fail: the caller then takes the
 * step-by-step path, which raises the error where it arises.
 */
export function vectorScalarColumns(
  e: BinaryExpr,
  cols: VectorColumns,
  scalars: Float64Array,
  steps: number,
  scalarOnLeft: boolean,
  opts: OperatorOptions,
): VectorColumns | null {
  const { n, vals, present } = cols;
  const drop = dropsName(e.op, e.bool, opts.compat);
  // As vectorScalarBinop then Evaluator.settle: without delayed name removal the name is
  // dropped at once (the columns' labels hold no marked name then); with it, it stays marked.
  const dropNow = drop && !opts.delayedNameRemoval;
  let labels = cols.labels;
  if (dropNow) {
    labels = cols.labels.map((l) => opts.state.dropMetricName(l));
    if (labels.some((l, i) => l !== cols.labels[i])) {
      const keys = new Set(labels.map((l) => opts.state.labelsKey(l)));
      if (keys.size !== n) return null;
    }
  }
  const outVals = new Float64Array(n * steps);
  const outPresent = new Uint8Array(n * steps);
  scalarCells(e.op, e.bool, scalarOnLeft, n, steps, scalars, vals, present, outVals, outPresent);
  return {
    n,
    labels,
    vals: outVals,
    present: outPresent,
    dropName: !dropNow && (drop || cols.dropName),
  };
}

/**
 * vectorScalarColumns' values: each present cell with its step's scalar. Kept apart from the
 * label work so that it sees typed arrays only and is optimised across queries (a query calls
 * its caller too few times for that).
 */
function scalarCells(
  op: BinaryOp,
  bool: boolean,
  scalarOnLeft: boolean,
  n: number,
  steps: number,
  scalars: Float64Array,
  vals: Float64Array,
  present: Uint8Array,
  outVals: Float64Array,
  outPresent: Uint8Array,
): void {
  const comparison = isComparisonOp(op);
  const filter = comparison && !bool;
  for (let k = 0; k < steps; k++) {
    const c = scalars[k]!;
    for (let at = k * n; at < (k + 1) * n; at++) {
      if (present[at] === 0) continue;
      const x = vals[at]!;
      const l = scalarOnLeft ? c : x;
      const r = scalarOnLeft ? x : c;
      if (comparison) {
        const keep = compare(op, l, r);
        if (filter && !keep) continue;
        // The vector's value is the output of a filtering comparison, on either side.
        outVals[at] = bool ? (keep ? 1 : 0) : x;
      } else outVals[at] = arithmetic(op, l, r);
      outPresent[at] = 1;
    }
  }
}

/**
 * A one-to-one binary operation (not a set operator) between two vectors in columns at each
 * step: what vectorBinop gives for each step's samples, in columns (the left-hand side's order).
 * Null where a step could raise a matching error (a match group twice on one side over all
 * columns) or the matching is not one-to-one: the caller then takes the step-by-step path.
 */
export function vectorColumnsBinop(
  e: BinaryExpr,
  lc: VectorColumns,
  rc: VectorColumns,
  steps: number,
  opts: OperatorOptions,
): VectorColumns | null {
  const m = e.matching!;
  if (m.card !== 'one-to-one') return null;
  const signature = signatureOf(opts.state, m.on, m.labels);
  const right = new Map<string, number>();
  for (let i = 0; i < rc.n; i++) {
    const sig = signature(rc.labels[i]!);
    if (right.has(sig)) return null;
    right.set(sig, i);
  }
  const drop = dropsName(e.op, e.bool, opts.compat);
  // As applyOneToOnePlan: the labels are final unless name removal is delayed (then marked).
  const dropNow = drop && !opts.delayedNameRemoval;
  const left: number[] = [];
  const match: number[] = [];
  const labels: Labels[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lc.n; i++) {
    const sig = signature(lc.labels[i]!);
    const ri = right.get(sig);
    if (ri === undefined) continue;
    if (seen.has(sig)) return null;
    seen.add(sig);
    left.push(i);
    match.push(ri);
    // Distinct match groups give distinct result labels (the match group's labels, and the
    // name where it stays).
    labels.push(resultMetric(opts.state, lc.labels[i]!, rc.labels[ri]!, m, dropNow));
  }
  const n = left.length;
  const vals = new Float64Array(n * steps);
  const present = new Uint8Array(n * steps);
  pairCells(e.op, e.bool, steps, left, match, lc, rc, vals, present);
  return { n, labels, vals, present, dropName: (drop && !dropNow) || lc.dropName };
}

/**
 * vectorColumnsBinop's values: left column left[j] with right column match[j] at each step.
 * Kept apart from the matching, as scalarCells is.
 */
function pairCells(
  op: BinaryOp,
  bool: boolean,
  steps: number,
  left: readonly number[],
  match: readonly number[],
  lc: VectorColumns,
  rc: VectorColumns,
  vals: Float64Array,
  present: Uint8Array,
): void {
  const n = left.length;
  const comparison = isComparisonOp(op);
  const { n: ln, vals: lVals, present: lPresent } = lc;
  const { n: rn, vals: rVals, present: rPresent } = rc;
  for (let k = 0; k < steps; k++) {
    for (let j = 0; j < n; j++) {
      const a = k * ln + left[j]!;
      const b = k * rn + match[j]!;
      if (lPresent[a] === 0 || rPresent[b] === 0) continue;
      const lv = lVals[a]!;
      const rv = rVals[b]!;
      const at = k * n + j;
      if (comparison) {
        const keep = compare(op, lv, rv);
        if (!bool && !keep) continue;
        vals[at] = bool ? (keep ? 1 : 0) : lv;
      } else vals[at] = arithmetic(op, lv, rv);
      present[at] = 1;
    }
  }
}

/** A label set's group under an aggregation's by/without list: its key and its labels. */
interface GroupOf {
  readonly key: string;
  readonly labels: Labels;
  /** A small number, distinct for each group of one by/without list. */
  readonly id: number;
}

/** Every group of one by/without list met so far, by key. */
interface Groups {
  readonly byKey: Map<string, GroupOf>;
  /** Scratch for aggregate(): the group's accumulator in the current call, by id. */
  readonly slots: (Group | undefined)[];
}

type GroupLookup = Groups & { lookup: (labels: Labels) => GroupOf };

/** The groups of an aggregation's by/without list, remembered per label set for the query. */
function groupsOf(state: QueryState, grouping: readonly string[], without: boolean): GroupLookup {
  return state.node(grouping, without ? 'groups:without' : 'groups:by', () => {
    const cache = new Map<Labels, GroupOf>();
    const byKey = new Map<string, GroupOf>();
    const pair: PairPart = (n, v) => state.pairCode(n, v);
    const lookup = (labels: Labels): GroupOf => {
      let hit = cache.get(labels);
      if (hit === undefined) {
        const key = computeGroupingKey(labels, grouping, without, pair);
        // Equal groups share one object (and label set), which keeps later caches small.
        hit = byKey.get(key);
        if (!hit) {
          hit = { key, labels: computeGroupLabels(labels, grouping, without), id: byKey.size };
          byKey.set(key, hit);
        }
        cache.set(labels, hit);
      }
      return hit;
    };
    return { byKey, slots: [], lookup };
  });
}

/** A label set's labels under an aggregation's by/without list (the group's output labels). */
export function groupLabels(labels: Labels, grouping: readonly string[], without: boolean): Labels {
  return computeGroupLabels(labels, grouping, without);
}

/** A `by` list's names sorted: the list itself when written in order, as it mostly is. */
function sortedGrouping(grouping: readonly string[]): readonly string[] {
  for (let i = 1; i < grouping.length; i++)
    if (!(grouping[i - 1]! < grouping[i]!)) return [...grouping].sort(compareStrings);
  return grouping;
}

/** A label pair's part of a grouping key (with the names in order, the key is injective). */
type PairPart = (name: string, value: string) => string;

/** The pair as text: the key the explain notes build without a query's state. */
const pairText: PairPart = (n, v) => n + '\xff' + v + '\xfe';

function computeGroupingKey(
  labels: Labels,
  grouping: readonly string[],
  without: boolean,
  pair: PairPart = pairText,
): string {
  let out = '';
  if (!without) {
    for (const n of sortedGrouping(grouping)) {
      const v = labels[n];
      if (v !== undefined) out += pair(n, v);
    }
    return out;
  }
  // Names in order (as makeLabels builds sets) read without listing them into an array first.
  let prev = '';
  let first = true;
  for (const n in labels) {
    if (!first && !(prev < n)) return sortedGroupingKey(labels, grouping, pair);
    prev = n;
    first = false;
    if (n === '__name__' || grouping.includes(n)) continue;
    out += pair(n, labels[n]!);
  }
  return out;
}

function sortedGroupingKey(labels: Labels, grouping: readonly string[], pair: PairPart): string {
  let out = '';
  for (const n of sortedKeys(labels)) {
    if (n === '__name__' || grouping.includes(n)) continue;
    out += pair(n, labels[n]!);
  }
  return out;
}

/**
 * The group's label set. Built in name order without empty values, it is what makeLabels makes
 * of it, frozen as it is (no second object); a set not in order goes through makeLabels.
 */
function computeGroupLabels(labels: Labels, grouping: readonly string[], without: boolean): Labels {
  const out: Record<string, string> = {};
  if (without) {
    let prev = '';
    let first = true;
    for (const k in labels) {
      const v = labels[k]!;
      if ((!first && !(prev < k)) || v === '') return makeLabels(groupLabelsOf(labels, grouping));
      prev = k;
      first = false;
      if (k !== '__name__' && !grouping.includes(k)) out[k] = v;
    }
  } else {
    for (const n of sortedGrouping(grouping)) {
      const v = labels[n];
      if (v !== undefined && v !== '') out[n] = v;
    }
  }
  return Object.freeze(out);
}

/** The labels a `without` grouping keeps, in the set's own order. */
function groupLabelsOf(labels: Labels, grouping: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (k !== '__name__' && !grouping.includes(k)) out[k] = v;
  }
  return out;
}

interface Group {
  id: number;
  labels: Labels;
  dropName: boolean;
  count: number;
  value: number;
  kahanC: number;
  mean: number;
  incremental: boolean;
  samples: VSample[];
}

// The (never written) sample list of groups of aggregations other than quantile.
const noSamples: VSample[] = [];

/** What the aggregation needs from the evaluator (warnings, the query's caches). */
export interface AggregateContext {
  readonly compat: 'v3' | 'v2';
  readonly state: QueryState;
  warn(message: string): void;
}

/** Evaluates an aggregation for one step. */
export function aggregate(
  e: Aggregation,
  samples: VSample[],
  param: number | string | null,
  ctx: AggregateContext,
): VSample[] {
  const op = e.op;
  if (op === 'topk' || op === 'bottomk' || op === 'limitk') {
    return aggregateK(e, samples, param as number, ctx.state);
  }
  if (op === 'limit_ratio') return aggregateLimitRatio(e, samples, param as number, ctx);
  if (op === 'count_values') return countValues(e, samples, param as string, ctx.state);
  if (op === 'quantile') {
    const q = param as number;
    if (Number.isNaN(q) || q < 0 || q > 1) {
      ctx.warn(`PromQL warning: quantile value should be between 0 and 1, got ${fmtG(q)}`);
    }
  }
  const order: Group[] = [];
  const { lookup, slots } = groupsOf(ctx.state, e.grouping, e.without);
  // slots[id] is this call's accumulator of group id once order holds it (cleared on return).
  try {
    return aggregateGroups(e, samples, param, ctx, lookup, slots, order);
  } finally {
    for (const g of order) slots[g.id] = undefined;
  }
}

/**
 * An instant vector at every step of a grid, in columns: series i's value at step k is
 * vals[k * n + i] where present[k * n + i] is 1 (a window function's output).
 */
export interface VectorColumns {
  readonly n: number;
  /** Distinct label sets, one per column. */
  readonly labels: readonly Labels[];
  readonly vals: Float64Array;
  readonly present: Uint8Array;
  /** Whether every sample's metric name is marked for dropping (delayed name removal). */
  readonly dropName: boolean;
}

/**
 * A vector's samples at each step of a grid, kept in typed arrays until a step is asked for (so
 * that the sample objects live no longer than their step's use).
 */
export interface StepSamples {
  /** The number of samples at step k. */
  count(k: number): number;
  /** The samples at step k, made afresh on each call. */
  at(k: number): VSample[];
  /**
   * The same samples as columns (VectorColumns: at(k) gives each step's in index order), where
   * every step's groups come in the order of their ids; else null.
   */
  readonly cols: VectorColumns | null;
}

/**
 * sum, min, max, count and group of a vector in columns at each of its steps: what aggregate()
 * returns for each step's samples (the same groups in the same order, the same arithmetic in
 * the same order), without a sample object per input or a group lookup per sample. Null for
 * the other operations.
 */
export function aggregateColumns(
  e: Aggregation,
  cols: VectorColumns,
  steps: number,
  ctx: AggregateContext,
): StepSamples | null {
  const op = e.op;
  if (op !== 'sum' && op !== 'min' && op !== 'max' && op !== 'count' && op !== 'group') {
    return null;
  }
  const { lookup } = groupsOf(ctx.state, e.grouping, e.without);
  const n = cols.n;
  const groups = cols.labels.map((l) => lookup(l));
  let size = 0;
  // Indexed loops: an iterator's result per element otherwise, in code not yet optimised.
  const gid = new Int32Array(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    size = Math.max(size, g.id + 1);
    gid[i] = g.id;
  }
  const labelsOf: Labels[] = [];
  for (let i = 0; i < groups.length; i++) labelsOf[groups[i]!.id] = groups[i]!.labels;
  const marked = labelsOf.map((l) => cols.dropName && '__name__' in l);
  // Each step's groups in order of their first sample, and their values, one after another.
  const offsets = new Int32Array(steps + 1);
  const ids = new Int32Array(steps * Math.min(size, n));
  const values = new Float64Array(ids.length);
  const at = (k: number): VSample[] => {
    const samples: VSample[] = [];
    for (let j = offsets[k]!; j < offsets[k + 1]!; j++) {
      const g = ids[j]!;
      const labels = labelsOf[g]!;
      const v = values[j]!;
      samples.push(marked[g] ? { labels, v, dropName: true } : { labels, v });
    }
    return samples;
  };
  const count = (k: number): number => offsets[k + 1]! - offsets[k]!;
  foldColumns(op, ctx.compat === 'v2', cols, steps, gid, size, offsets, ids, values);
  return {
    at,
    count,
    cols: groupColumns(labelsOf, marked, steps, size, offsets, ids, values),
  };
}

/**
 * aggregateColumns' groups as VectorColumns (a group per column, its id): null where a step's
 * groups are not in ascending id order (at(k) would give another order than the columns), a
 * group id has no labels, or only some groups' names are marked for dropping.
 */
function groupColumns(
  labelsOf: readonly Labels[],
  marked: readonly boolean[],
  steps: number,
  size: number,
  offsets: Int32Array,
  ids: Int32Array,
  values: Float64Array,
): VectorColumns | null {
  for (let g = 0; g < size; g++)
    if (labelsOf[g] === undefined || marked[g] !== marked[0]) return null;
  for (let k = 0; k < steps; k++) {
    for (let j = offsets[k]! + 1; j < offsets[k + 1]!; j++) if (ids[j]! <= ids[j - 1]!) return null;
  }
  const vals = new Float64Array(steps * size);
  const present = new Uint8Array(steps * size);
  for (let k = 0; k < steps; k++) {
    for (let j = offsets[k]!; j < offsets[k + 1]!; j++) {
      vals[k * size + ids[j]!] = values[j]!;
      present[k * size + ids[j]!] = 1;
    }
  }
  return { n: size, labels: labelsOf, vals, present, dropName: marked[0] ?? false };
}

/** aggregateColumns' arithmetic: each step's groups (ids) and values from offsets[k]. */
function foldColumns(
  op: 'sum' | 'min' | 'max' | 'count' | 'group',
  v2: boolean,
  cols: VectorColumns,
  steps: number,
  gid: Int32Array,
  size: number,
  offsets: Int32Array,
  ids: Int32Array,
  values: Float64Array,
): void {
  const n = cols.n;
  const { present, vals } = cols;
  const value = new Float64Array(size);
  const comp = new Float64Array(size);
  const count = new Float64Array(size);
  // seen[g] is the step (plus one) that met group g last.
  const seen = new Int32Array(size);
  let end = 0;
  for (let k = 0; k < steps; k++) {
    const first = end;
    const base = k * n;
    for (let i = 0; i < n; i++) {
      if (present[base + i] === 0) continue;
      const g = gid[i]!;
      const v = vals[base + i]!;
      if (seen[g] !== k + 1) {
        seen[g] = k + 1;
        ids[end++] = g;
        value[g] = v;
        comp[g] = 0;
        count[g] = 1;
        continue;
      }
      switch (op) {
        case 'sum':
          if (v2) value[g] = value[g]! + v;
          else {
            // kahanSumInc written out: its pair (and the floats passed to it) would be boxed.
            const sum = value[g]!;
            const t = sum + v;
            let c = comp[g]!;
            if (t === Infinity || t === -Infinity) c = 0;
            else if (Math.abs(sum) >= Math.abs(v)) c += sum - t + v;
            else c += v - t + sum;
            value[g] = t;
            comp[g] = c;
          }
          count[g] = count[g]! + 1;
          break;
        case 'max':
          if (value[g]! < v || Number.isNaN(value[g]!)) value[g] = v;
          break;
        case 'min':
          if (value[g]! > v || Number.isNaN(value[g]!)) value[g] = v;
          break;
        default:
          count[g] = count[g]! + 1;
      }
    }
    for (let j = first; j < end; j++) {
      const g = ids[j]!;
      values[j] =
        op === 'sum'
          ? value[g]! + comp[g]!
          : op === 'count'
            ? count[g]!
            : op === 'group'
              ? 1
              : value[g]!;
    }
    offsets[k + 1] = end;
  }
}

function aggregateGroups(
  e: Aggregation,
  samples: VSample[],
  param: number | string | null,
  ctx: AggregateContext,
  lookup: (labels: Labels) => GroupOf,
  slots: (Group | undefined)[],
  order: Group[],
): VSample[] {
  const op = e.op;
  for (const s of samples) {
    const { id, labels } = lookup(s.labels);
    let g = slots[id];
    if (!g) {
      g = {
        id,
        labels,
        dropName: s.dropName === true,
        count: 1,
        value: s.v,
        kahanC: 0,
        mean: s.v,
        incremental: false,
        samples: op === 'quantile' ? [s] : noSamples,
      };
      slots[id] = g;
      order.push(g);
      if (op !== 'stddev' && op !== 'stdvar') continue;
      if (ctx.compat === 'v2') {
        // Prometheus 2 starts the running variance at 0 with the first sample as the mean.
        g.value = 0;
        continue;
      }
      // Prometheus 3 puts the first sample through the same update: a lone NaN yields NaN.
      g.count = 0;
      g.value = 0;
      g.mean = 0;
    }
    if (s.dropName) g.dropName = true;
    switch (op) {
      case 'sum':
        // Prometheus 2 sums plainly; Prometheus 3 with Kahan-Neumaier compensation.
        if (ctx.compat === 'v2') g.value += s.v;
        else [g.value, g.kahanC] = kahanSumInc(s.v, g.value, g.kahanC);
        g.count++;
        break;
      case 'avg': {
        g.count++;
        if (ctx.compat === 'v2') {
          // Prometheus 2's incremental mean, which keeps an infinite mean unless a NaN or the
          // opposite infinity arrives.
          if (g.mean === Infinity || g.mean === -Infinity) {
            const inf = s.v === Infinity || s.v === -Infinity;
            if (inf && g.mean > 0 === s.v > 0) break;
            if (!inf && !Number.isNaN(s.v)) break;
          }
          g.mean += s.v / g.count - g.mean / g.count;
          break;
        }
        if (!g.incremental) {
          const sum = kahanSumInc(s.v, g.value, g.kahanC);
          const nv = sum[0];
          const nc = sum[1];
          if (nv !== Infinity && nv !== -Infinity) {
            g.value = nv;
            g.kahanC = nc;
            break;
          }
          g.incremental = true;
          g.mean = g.value / (g.count - 1);
          g.kahanC /= g.count - 1;
        }
        const q = (g.count - 1) / g.count;
        [g.mean, g.kahanC] = kahanSumInc(s.v / g.count, q * g.mean, q * g.kahanC);
        break;
      }
      case 'max':
        if (g.value < s.v || Number.isNaN(g.value)) g.value = s.v;
        break;
      case 'min':
        if (g.value > s.v || Number.isNaN(g.value)) g.value = s.v;
        break;
      case 'count':
      case 'group':
        g.count++;
        break;
      case 'stddev':
      case 'stdvar': {
        g.count++;
        const delta = s.v - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (s.v - g.mean);
        break;
      }
      case 'quantile':
        g.samples.push(s);
        break;
      default:
        throw new EvalError(e, `unsupported: aggregation ${op}`);
    }
  }
  return order.map((g) => {
    let v: number;
    switch (op) {
      case 'sum':
        v = g.value + g.kahanC;
        break;
      case 'avg':
        if (ctx.compat === 'v2') v = g.mean;
        else v = g.incremental ? g.mean + g.kahanC : g.value / g.count + g.kahanC / g.count;
        break;
      case 'count':
        v = g.count;
        break;
      case 'group':
        v = 1;
        break;
      case 'stddev':
        v = Math.sqrt(g.value / g.count);
        break;
      case 'stdvar':
        v = g.value / g.count;
        break;
      case 'quantile':
        v = quantile(
          param as number,
          g.samples.map((s) => s.v),
        );
        break;
      default:
        v = g.value;
    }
    return g.dropName && '__name__' in g.labels
      ? { labels: g.labels, v, dropName: true }
      : { labels: g.labels, v };
  });
}

/** Less for topk's heap (NaN is smallest), as vectorByValueHeap. */
function lessTop(a: number, b: number): boolean {
  if (Number.isNaN(a)) return !Number.isNaN(b) || false;
  return a < b;
}

function aggregateK(
  e: Aggregation,
  samples: VSample[],
  kParam: number,
  state: QueryState,
): VSample[] {
  if (Number.isNaN(kParam)) throw new EvalError(e.param ?? e, 'Parameter value is NaN');
  if (kParam >= 2 ** 63) {
    throw new EvalError(e.param ?? e, `Scalar value ${fmtG(kParam)} overflows int64`);
  }
  const k = Math.trunc(kParam);
  if (k < 1) return [];
  const groups = new Map<string, VSample[]>();
  const order: VSample[][] = [];
  const group = groupsOf(state, e.grouping, e.without).lookup;
  for (const s of samples) {
    const key = group(s.labels).key;
    let g = groups.get(key);
    if (!g) {
      g = [];
      groups.set(key, g);
      order.push(g);
    }
    if (g.length < k) {
      g.push(s);
      continue;
    }
    if (e.op === 'limitk') continue;
    // Replace the weakest kept sample if the new one beats it.
    let weakest = 0;
    for (let i = 1; i < g.length; i++) {
      const a = g[i]!.v;
      const b = g[weakest]!.v;
      if (e.op === 'topk' ? lessTop(a, b) : lessTop(b, a) || (Number.isNaN(a) && !Number.isNaN(b)))
        weakest = i;
    }
    const w = g[weakest]!.v;
    const replace =
      e.op === 'topk'
        ? w < s.v || (Number.isNaN(w) && !Number.isNaN(s.v))
        : w > s.v || (Number.isNaN(w) && !Number.isNaN(s.v));
    if (replace) g[weakest] = s;
  }
  const out: VSample[] = [];
  for (const g of order) {
    if (e.op !== 'limitk') {
      g.sort((a, b) => {
        if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : 1;
        if (Number.isNaN(b.v)) return -1;
        return e.op === 'topk' ? b.v - a.v : a.v - b.v;
      });
    }
    for (const s of g) out.push(s);
  }
  return out;
}

const utf8 = new TextEncoder();

/** Prometheus's labels.Hash(): XXH64 over name, 0xff, value, 0xff for each label in order. */
export function labelsHash(labels: Labels): bigint {
  {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (const k of sortedKeys(labels)) {
      for (const b of [utf8.encode(k), sep, utf8.encode(labels[k]!), sep]) {
        parts.push(b);
        size += b.length;
      }
    }
    const buf = new Uint8Array(size);
    let off = 0;
    for (const b of parts) {
      buf.set(b, off);
      off += b.length;
    }
    return xxhash64(buf);
  }
}

const sep = Uint8Array.of(0xff);

function aggregateLimitRatio(
  e: Aggregation,
  samples: VSample[],
  ratioParam: number,
  ctx: AggregateContext,
): VSample[] {
  if (Number.isNaN(ratioParam)) throw new EvalError(e.param ?? e, 'Ratio value is NaN');
  let ratio = ratioParam;
  if (ratio < -1 || ratio > 1) {
    ctx.warn(`PromQL warning: ratio value should be between -1 and 1, got ${fmtG(ratio)}`);
    ratio = Math.max(-1, Math.min(1, ratio));
  }
  // Each series keeps a fixed place in [0, 1) from its label hash, so the kept subset is stable.
  const hashes = ctx.state.derived<bigint>(e, 'hash');
  return samples.filter((s) => {
    let h = hashes.get(s.labels);
    if (h === undefined) {
      h = labelsHash(s.labels);
      hashes.set(s.labels, h);
    }
    const offset = Number(h) / 2 ** 64;
    return (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1 + ratio);
  });
}

function countValues(
  e: Aggregation,
  samples: VSample[],
  label: string,
  state: QueryState,
): VSample[] {
  if (label === '' || !isWellFormedName(label)) {
    throw new EvalError(e.param ?? e, `invalid label name ${JSON.stringify(label)}`);
  }
  const groups = new Map<string, { labels: Labels; count: number }>();
  for (const s of samples) {
    const base: Record<string, string> = {
      ...groupsOf(state, e.grouping, e.without).lookup(s.labels).labels,
    };
    base[label] = formatFloatPlain(s.v);
    const labels = makeLabels(base);
    const key = JSON.stringify(labels);
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { labels, count: 1 });
  }
  return [...groups.values()].map((g) => ({ labels: g.labels, v: g.count }));
}

function isWellFormedName(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
