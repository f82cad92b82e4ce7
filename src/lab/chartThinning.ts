// Which rows of a long timeline a chart draws. A chart is about a thousand pixels wide and a day of
// evaluations is thousands of rows, so long timelines are thinned, but never by dropping a sample
// that matters: in a tool about when alerts fire, a one-evaluation spike must be drawn. The
// evaluation worker thins a view's charts before sending them to the page (`thinView`): the page
// then copies and draws a few hundred rows a chart instead of every evaluation.
import type { ChartLine, RawChart, RuleView, TruthView, ViewModel } from './evaluateView.ts';

/** Timelines up to this many rows are drawn whole. */
export const MAX_WHOLE_ROWS = 600;
/** Longer ones are cut into this many columns, each drawn by its extremes (see thinnedRows). */
export const CHART_COLUMNS = 400;

/**
 * The indices of the rows a chart draws: every row while there are at most MAX_WHOLE_ROWS (or
 * 2 × `columns`) of them. Longer timelines are cut into `columns` columns of consecutive times (a
 * few pixels each), and a column keeps its first and last row and, for every line, the rows of
 * its smallest and largest value: every extreme of every line survives, whichever column it
 * falls in. Rows where a line starts or stops (and the row before) are kept too, so gaps stay
 * exactly where they are. Of the rest, a row that repeats the values of the row kept before it
 * is left out: the lines are steps, so it draws nothing. The first and last rows always stay: a
 * day of `up` is the rows where a member changes, not thousands of points.
 */
export function thinnedRows(
  count: number,
  lines: readonly ChartLine[],
  columns = CHART_COLUMNS,
): number[] {
  const n = count;
  if (n <= Math.max(MAX_WHOLE_ROWS, 2 * columns)) return Array.from({ length: n }, (_, j) => j);
  const keep = new Uint8Array(n);
  const per = n / columns;
  for (let c = 0; c < columns; c++) {
    const from = Math.floor(c * per);
    const to = Math.min(n, Math.floor((c + 1) * per));
    if (from >= to) continue;
    keep[from] ||= 1;
    keep[to - 1] ||= 1;
    for (const line of lines) {
      const values = line.values;
      let lo = -1;
      let hi = -1;
      let min = Infinity;
      let max = -Infinity;
      for (let j = from; j < to; j++) {
        const v = values[j];
        if (v === null || v === undefined || Number.isNaN(v)) continue;
        if (v < min || lo < 0) {
          min = v;
          lo = j;
        }
        if (v > max || hi < 0) {
          max = v;
          hi = j;
        }
      }
      if (lo >= 0) keep[lo] ||= 1;
      if (hi >= 0) keep[hi] ||= 1;
    }
  }
  keep[0] = 2;
  for (const line of lines) {
    const values = line.values;
    for (let j = 1; j < n; j++) {
      if ((values[j] === null) !== (values[j - 1] === null)) {
        keep[j] = 2;
        keep[j - 1] = 2;
      }
    }
  }
  const rows: number[] = [];
  let previous = -1;
  for (let j = 0; j < n; j++) {
    if (!keep[j]) continue;
    // Lines are drawn as steps: a row that repeats the row before it in every line draws
    // nothing new. It is left out unless it ends the chart; a row where a line starts or stops
    // differs from the row before it.
    if (keep[j] === 1 && previous >= 0 && j < n - 1 && sameValues(lines, j, previous)) continue;
    previous = j;
    rows.push(j);
  }
  return rows;
}

/** Whether every line has the same value (or no value) at rows `a` and `b`. */
function sameValues(lines: readonly ChartLine[], a: number, b: number): boolean {
  for (const line of lines) if ((line.values[a] ?? null) !== (line.values[b] ?? null)) return false;
  return true;
}

/** A chart's lines on the rows it draws, and those rows' times. */
export interface ThinnedChart {
  readonly times: readonly number[];
  readonly lines: readonly ChartLine[];
}

/** The lines at the rows `thinnedRows` keeps, or null when every row is kept. */
export function thinChart(
  times: readonly number[],
  lines: readonly ChartLine[],
): ThinnedChart | null {
  const rows = thinnedRows(times.length, lines);
  if (rows.length === times.length) return null;
  return {
    times: rows.map((j) => times[j] ?? 0),
    lines: lines.map((l) => ({ ...l, values: rows.map((j) => l.values[j] ?? null) })),
  };
}

/** What `thinView` keeps between calls on one prepared scenario: the charts already thinned. */
export interface ThinMemo {
  readonly charts: WeakMap<readonly RawChart[], readonly RawChart[]>;
  readonly rules: WeakMap<RuleView, RuleView>;
  readonly truth: WeakMap<readonly TruthView[], readonly TruthView[]>;
}

/** A new, empty ThinMemo. */
export function newThinMemo(): ThinMemo {
  return { charts: new WeakMap(), rules: new WeakMap(), truth: new WeakMap() };
}

function thinCharts(times: readonly number[], charts: readonly RawChart[]): readonly RawChart[] {
  return charts.map((c) => {
    const thin = thinChart(times, c.lines);
    return thin ? { ...c, lines: thin.lines, chartTimes: thin.times } : c;
  });
}

function thinRule(times: readonly number[], rule: RuleView): RuleView {
  const thin = thinChart(times, rule.lines);
  return thin ? { ...rule, lines: thin.lines, chartTimes: thin.times } : rule;
}

/**
 * The ground truth with one object for each run of equal evaluations: a copy to the page (a
 * structured clone) writes each object once, and a day is a few runs, not thousands of objects.
 */
function shareTruth(truth: readonly TruthView[]): readonly TruthView[] {
  let last: TruthView | undefined;
  return truth.map((p) => {
    if (
      last &&
      last.quorum === p.quorum &&
      last.canSurvive === p.canSurvive &&
      last.leader === p.leader &&
      sameNumbers(last.down, p.down) &&
      sameNumbers(last.partitioned, p.partitioned)
    )
      return last;
    last = p;
    return p;
  });
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The view as the page draws it: each chart's lines only at the rows it draws (`chartTimes`),
 * and the ground truth's equal evaluations as one object. The page keeps the whole time axis,
 * each rule's state at every evaluation and the truth at every evaluation, which the cursor
 * reads. `memo` keeps what was thinned for the charts and rules the view shares with earlier ones.
 */
export function thinView(view: ViewModel, memo: ThinMemo): ViewModel {
  const { times } = view;
  const charts = (c: readonly RawChart[]) => {
    const hit = memo.charts.get(c);
    if (hit) return hit;
    const thin = thinCharts(times, c);
    memo.charts.set(c, thin);
    return thin;
  };
  const truth = view.truth;
  let sharedTruth = truth && memo.truth.get(truth);
  if (truth && !sharedTruth) {
    sharedTruth = shareTruth(truth);
    memo.truth.set(truth, sharedTruth);
  }
  return {
    ...view,
    raw: charts(view.raw),
    ruleCharts: charts(view.ruleCharts),
    rules: view.rules.map((r) => {
      const hit = memo.rules.get(r);
      if (hit) return hit;
      const thin = thinRule(times, r);
      memo.rules.set(r, thin);
      return thin;
    }),
    truth: sharedTruth ?? null,
  };
}
