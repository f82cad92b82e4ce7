// Explain records, for explain mode only, on what a binary operator did to its operands at one
// time: which right-hand series `or` dropped because the left already had their label set, which
// series `and`/`unless` removed, which series a comparison filtered out and with which values.
import type { BinaryExpr } from './ast.ts';
import { isComparisonOp } from './ast.ts';
import type { ComparedPair, ExplainNote, MatchingLabels, NotedSeries } from './explain.ts';
import { labelsKey } from './labels.ts';
import { matchSignature, scalarBinop } from './operators.ts';
import type { VSample } from './values.ts';

function noted(samples: readonly VSample[]): NotedSeries[] {
  return samples.map((s) => ({ labels: s.labels, v: s.v }));
}

/** Records on a vector-to-vector operation. */
export function explainVectorBinary(
  e: BinaryExpr,
  lhs: readonly VSample[],
  rhs: readonly VSample[],
  out: readonly VSample[],
): ExplainNote[] {
  const m = e.matching;
  const sig = (s: VSample) => (m ? matchSignature(s.labels, m.on, m.labels) : labelsKey(s.labels));
  const matching: MatchingLabels =
    m && (m.on || m.labels.length > 0)
      ? { by: m.on ? 'on' : 'ignoring', labels: m.labels }
      : { by: 'all' };
  const notes: ExplainNote[] = [];
  switch (e.op) {
    case 'or': {
      const left = new Set(lhs.map(sig));
      const dropped = rhs.filter((s) => left.has(sig(s)));
      notes.push({ kind: 'orKept', lhs: lhs.length, matching });
      if (dropped.length > 0) notes.push({ kind: 'orDropped', dropped: noted(dropped) });
      notes.push({ kind: 'orAdded', added: rhs.length - dropped.length });
      break;
    }
    case 'and':
    case 'unless': {
      const kept = new Set(out.map((s) => labelsKey(s.labels)));
      const dropped = lhs.filter((s) => !kept.has(labelsKey(s.labels)));
      notes.push({
        kind: e.op === 'and' ? 'andDropped' : 'unlessDropped',
        dropped: noted(dropped),
      });
      break;
    }
    default: {
      const right = new Map<string, VSample[]>();
      for (const s of rhs) {
        const k = sig(s);
        const same = right.get(k);
        if (same) same.push(s);
        else right.set(k, [s]);
      }
      const left = new Set(lhs.map(sig));
      const unmatched = lhs.filter((s) => !right.has(sig(s)));
      const unmatchedRight = rhs.filter((s) => !left.has(sig(s)));
      if (unmatched.length > 0) {
        notes.push({ kind: 'unmatched', side: 'left', series: noted(unmatched) });
      }
      if (unmatchedRight.length > 0) {
        notes.push({ kind: 'unmatched', side: 'right', series: noted(unmatchedRight) });
      }
      if (isComparisonOp(e.op) && !e.bool) notes.push(...comparisonNotes(e, lhs, right, sig));
    }
  }
  return notes;
}

/**
 * Each matched pair of a filtering vector comparison, with both values: the pairs that failed
 * (filtered out) and those that passed. A pair is named by the series the result would carry:
 * the left one, or the right one under group_right.
 */
function comparisonNotes(
  e: BinaryExpr,
  lhs: readonly VSample[],
  right: ReadonlyMap<string, VSample[]>,
  sig: (s: VSample) => string,
): ExplainNote[] {
  const failed: ComparedPair[] = [];
  const passed: ComparedPair[] = [];
  const groupRight = e.matching?.card === 'one-to-many';
  for (const l of lhs) {
    for (const r of right.get(sig(l)) ?? []) {
      const pair = { labels: groupRight ? r.labels : l.labels, lhs: l.v, rhs: r.v };
      if (scalarBinop(e.op, l.v, r.v)[1]) passed.push(pair);
      else failed.push(pair);
    }
  }
  const notes: ExplainNote[] = [];
  if (failed.length > 0) notes.push({ kind: 'compared', op: e.op, passed: false, pairs: failed });
  if (passed.length > 0) notes.push({ kind: 'compared', op: e.op, passed: true, pairs: passed });
  return notes;
}

/** Records on a comparison between a vector and a scalar. */
export function explainScalarComparison(
  e: BinaryExpr,
  vector: readonly VSample[],
  scalar: number,
  scalarOnLeft: boolean,
  out: readonly VSample[],
): ExplainNote[] {
  if (!isComparisonOp(e.op) || e.bool) return [];
  const kept = new Set(out.map((s) => labelsKey(s.labels)));
  const dropped = vector.filter((s) => !kept.has(labelsKey(s.labels)));
  return [{ kind: 'scalarFiltered', op: e.op, scalar, scalarOnLeft, dropped: noted(dropped) }];
}
