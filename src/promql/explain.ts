// Explain mode's records: what each sub-expression is and what its operator did at one time, as
// typed data (like mantine-ui's match groups for binary operators and aggregations). The engine
// returns them; the view decides the words.
import type { Aggregation, BinaryOp, Expr, VectorMatching } from './ast.ts';
import { isComparisonOp } from './ast.ts';
import type { Labels } from './labels.ts';

/** A series a note names, with its value at the explained time. */
export interface NotedSeries {
  labels: Labels;
  v: number;
}

/** A matched pair of a filtering comparison: the series the result carries and both values. */
export interface ComparedPair {
  labels: Labels;
  lhs: number;
  rhs: number;
}

/** How a vector-to-vector operation matches series: on or ignoring labels, or on all of them. */
export type MatchingLabels =
  { readonly by: 'on' | 'ignoring'; readonly labels: readonly string[] } | { readonly by: 'all' };

/** A time window, (from, to] or, as Prometheus 2 selects, [from, to]. */
export interface ExplainWindow {
  from: number;
  to: number;
  leftClosed: boolean;
}

/** One fact about a node of the explain tree, for the view to word. */
export type ExplainNote =
  // What the node is.
  | { kind: 'vectorSelector'; series: number | null }
  | { kind: 'offset'; ms: number }
  | { kind: 'at'; at: number | 'start' | 'end' }
  | { kind: 'matrixSelector'; rangeMs: number; series: number | null; samples: number | null }
  | { kind: 'subquery'; stepMs: number | null; series: number | null; samples: number | null }
  | {
      kind: 'matching';
      card: VectorMatching['card'];
      on: boolean;
      labels: readonly string[];
    }
  | { kind: 'bool' }
  | { kind: 'filter' }
  | { kind: 'grouping'; op: string; without: boolean; grouping: readonly string[] }
  | { kind: 'call'; func: string; size: ResultSize }
  | { kind: 'size'; size: ResultSize }
  // What the evaluation selected.
  | { kind: 'selected'; matching: number; withSample: number; window: ExplainWindow }
  | { kind: 'rangeWindow'; window: ExplainWindow; series: number; samples: number }
  | {
      kind: 'subquerySteps';
      steps: number;
      first: number | null;
      last: number | null;
      stepMs: number;
      window: ExplainWindow;
    }
  | { kind: 'callWindow'; window: ExplainWindow; inputs: number; out: number }
  // What a binary operator did.
  | { kind: 'binaryCounts'; lhs: number; rhs: number; out: number }
  | { kind: 'orKept'; lhs: number; matching: MatchingLabels }
  | { kind: 'orDropped'; dropped: NotedSeries[] }
  | { kind: 'orAdded'; added: number }
  | { kind: 'andDropped'; dropped: NotedSeries[] }
  | { kind: 'unlessDropped'; dropped: NotedSeries[] }
  | { kind: 'unmatched'; side: 'left' | 'right'; series: NotedSeries[] }
  | { kind: 'compared'; op: BinaryOp; passed: boolean; pairs: ComparedPair[] }
  | {
      kind: 'scalarFiltered';
      op: BinaryOp;
      scalar: number;
      scalarOnLeft: boolean;
      dropped: NotedSeries[];
    }
  // What an aggregation did.
  | {
      kind: 'aggregationLabels';
      op: string;
      without: boolean;
      grouping: readonly string[];
      /** The grouping labels some input series has (by), in the order written. */
      kept: string[];
      /** The labels the grouping removed from the inputs, sorted. */
      dropped: string[];
      droppedName: boolean;
      /** Grouping labels no input series has (only when there is input). */
      absent: string[];
    }
  | { kind: 'aggregationGroups'; inputs: number; groups: { labels: Labels; series: number }[] }
  | { kind: 'aggregationOutput'; op: string; series: number }
  // The evaluation failed here.
  | { kind: 'error'; message: string };

/** The size of a node's result: a count of series (and samples), a scalar or string, or nothing. */
export type ResultSize =
  | { type: 'vector'; series: number }
  | { type: 'matrix'; series: number; samples: number }
  | { type: 'scalar' }
  | { type: 'string' }
  | null;

/** The shape of a result that sizes need (query.ts's Value). */
type Sized =
  | { type: 'vector'; samples: readonly unknown[] }
  | { type: 'matrix'; series: readonly { points: readonly unknown[] }[] }
  | { type: 'scalar' }
  | { type: 'string' };

function sizeOf(v: Sized | null): ResultSize {
  if (v === null) return null;
  switch (v.type) {
    case 'vector':
      return { type: 'vector', series: v.samples.length };
    case 'matrix':
      return {
        type: 'matrix',
        series: v.series.length,
        samples: v.series.reduce((n, s) => n + s.points.length, 0),
      };
    case 'scalar':
    case 'string':
      return { type: v.type };
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** What a node is, from its syntax and its result (null when it was not evaluated). */
export function describeNode(e: Expr, v: Sized | null): ExplainNote[] {
  const size = sizeOf(v);
  const series = size && (size.type === 'vector' || size.type === 'matrix') ? size.series : null;
  const samples = size?.type === 'matrix' ? size.samples : null;
  switch (e.type) {
    case 'vectorSelector': {
      const notes: ExplainNote[] = [{ kind: 'vectorSelector', series }];
      if (e.offset) notes.push({ kind: 'offset', ms: e.offset });
      if (e.at) notes.push({ kind: 'at', at: e.at.kind === 'timestamp' ? e.at.t : e.at.kind });
      return notes;
    }
    case 'matrixSelector':
      return [{ kind: 'matrixSelector', rangeMs: e.range, series, samples }];
    case 'subquery':
      return [{ kind: 'subquery', stepMs: e.step || null, series, samples }];
    case 'binaryExpr': {
      const notes: ExplainNote[] = [];
      if (e.matching && e.matching.card !== 'many-to-many') {
        notes.push({
          kind: 'matching',
          card: e.matching.card,
          on: e.matching.on,
          labels: e.matching.labels,
        });
      }
      if (e.bool) notes.push({ kind: 'bool' });
      else if (isComparisonOp(e.op)) notes.push({ kind: 'filter' });
      return notes;
    }
    case 'aggregation':
      // An evaluated aggregation's own notes say how it grouped.
      return v === null ? [groupingOf(e)] : [];
    case 'call':
      return [{ kind: 'call', func: e.func.name, size }];
    default:
      return [{ kind: 'size', size }];
  }
}

function groupingOf(e: Aggregation): ExplainNote {
  return { kind: 'grouping', op: e.op, without: e.without, grouping: e.grouping };
}
