// Plain-language notes, for explain mode only, on what a binary operator did to its operands at
// one time: which right-hand series `or` dropped because the left already had their label set,
// which series `and`/`unless` removed, which series a comparison filtered out and why.
import type { BinaryExpr } from './ast.ts';
import { isComparisonOp } from './ast.ts';
import { formatFloat, formatLabels } from '../text/index.ts';
import { labelsKey } from './labels.ts';
import { listItems } from './explainList.ts';
import { matchSignature, scalarBinop } from './operators.ts';
import type { VSample } from './values.ts';

function list(samples: readonly VSample[], withValue: (s: VSample) => string = () => ''): string {
  return listItems(samples.map((s) => formatLabels(s.labels) + withValue(s)));
}

/** Notes on a vector-to-vector operation. */
export function explainVectorBinary(
  e: BinaryExpr,
  lhs: readonly VSample[],
  rhs: readonly VSample[],
  out: readonly VSample[],
): string[] {
  const m = e.matching;
  const sig = (s: VSample) => (m ? matchSignature(s.labels, m.on, m.labels) : labelsKey(s.labels));
  const how =
    m && m.on
      ? `on(${m.labels.join(', ')})`
      : m && m.labels.length > 0
        ? `ignoring(${m.labels.join(', ')})`
        : 'all but the metric name';
  const notes: string[] = [];
  switch (e.op) {
    case 'or': {
      const left = new Set(lhs.map(sig));
      const dropped = rhs.filter((s) => left.has(sig(s)));
      const added = rhs.length - dropped.length;
      notes.push(
        `or keeps all ${lhs.length} left-hand series and adds right-hand series whose labels (${how}) no left-hand series has`,
      );
      if (dropped.length > 0) {
        notes.push(
          `dropped ${dropped.length} right-hand series because the left side already has ${dropped.length === 1 ? 'its label set' : 'their label sets'}: ${list(dropped, (s) => ` = ${formatFloat(s.v)}`)}`,
        );
      }
      notes.push(`added ${added} right-hand series`);
      break;
    }
    case 'and': {
      const kept = new Set(out.map((s) => labelsKey(s.labels)));
      const dropped = lhs.filter((s) => !kept.has(labelsKey(s.labels)));
      if (dropped.length > 0) {
        notes.push(
          `and dropped ${dropped.length} left-hand series with no match on the right: ${list(dropped)}`,
        );
      } else notes.push(`and kept every left-hand series: each has a match on the right`);
      break;
    }
    case 'unless': {
      const kept = new Set(out.map((s) => labelsKey(s.labels)));
      const dropped = lhs.filter((s) => !kept.has(labelsKey(s.labels)));
      if (dropped.length > 0) {
        notes.push(
          `unless dropped ${dropped.length} left-hand series that ${dropped.length === 1 ? 'has' : 'have'} a match on the right: ${list(dropped)}`,
        );
      } else notes.push('unless dropped nothing: no left-hand series has a match on the right');
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
        notes.push(
          `${unmatched.length} left-hand series had no match on the right and ${unmatched.length === 1 ? 'was' : 'were'} dropped: ${list(unmatched)}`,
        );
      }
      if (unmatchedRight.length > 0) {
        notes.push(
          `${unmatchedRight.length} right-hand series had no match on the left and ${unmatchedRight.length === 1 ? 'was' : 'were'} dropped: ${list(unmatchedRight)}`,
        );
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
): string[] {
  const failed: string[] = [];
  const passed: string[] = [];
  const groupRight = e.matching?.card === 'one-to-many';
  for (const l of lhs) {
    for (const r of right.get(sig(l)) ?? []) {
      const keep = scalarBinop(e.op, l.v, r.v)[1];
      const test = `${formatFloat(l.v)} ${e.op} ${formatFloat(r.v)}`;
      const name = formatLabels(groupRight ? r.labels : l.labels);
      if (keep) passed.push(`${name}: ${test}`);
      else failed.push(`${name}: ${test} is false, filtered out`);
    }
  }
  const notes: string[] = [];
  if (failed.length > 0) {
    notes.push(
      `${failed.length} matched series failed the comparison ${e.op}: ${listItems(failed)}`,
    );
  }
  if (passed.length > 0) {
    notes.push(`${passed.length} matched series passed ${e.op}: ${listItems(passed)}`);
  }
  return notes;
}

/** Notes on a comparison between a vector and a scalar. */
export function explainScalarComparison(
  e: BinaryExpr,
  vector: readonly VSample[],
  scalar: number,
  scalarOnLeft: boolean,
  out: readonly VSample[],
): string[] {
  if (!isComparisonOp(e.op) || e.bool) return [];
  const kept = new Set(out.map((s) => labelsKey(s.labels)));
  const dropped = vector.filter((s) => !kept.has(labelsKey(s.labels)));
  if (dropped.length === 0) return [`every series passed ${e.op} ${formatFloat(scalar)}`];
  const test = (s: VSample) =>
    scalarOnLeft
      ? ` (${formatFloat(scalar)} ${e.op} ${formatFloat(s.v)} is false)`
      : ` = ${formatFloat(s.v)}, not ${e.op} ${formatFloat(scalar)}`;
  return [`filtered out ${dropped.length} series: ${list(dropped, test)}`];
}
