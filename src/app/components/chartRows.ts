// The rows a time chart draws. A chart is about a thousand pixels wide and a day of evaluations
// is thousands of rows, so long timelines are thinned, but never by dropping a sample that
// matters: in a tool about when alerts fire, a one-evaluation spike must be drawn.
import type { ChartLine } from '../../lab/index.ts';

/** Timelines up to this many rows are drawn whole. */
export const MAX_WHOLE_ROWS = 600;
/** Longer ones are cut into this many columns, each drawn by its extremes (see chartRows). */
export const CHART_COLUMNS = 400;

/**
 * The chart's rows: one per evaluation time while there are at most MAX_WHOLE_ROWS of them.
 * Longer timelines are cut into CHART_COLUMNS columns of consecutive times (a few pixels each),
 * and a column keeps its first and last row and, for every line, the rows of its smallest and
 * largest value: every extreme of every line survives, whichever column it falls in. Rows where
 * a line starts or stops (and the row before) are kept too, so gaps stay exactly where they are.
 * Of the rest, a row that repeats the values of the row drawn before it is left out: the lines
 * are steps, so it draws nothing. The chart's first and last rows always stay: a day of `up`
 * is the rows where a member changes, not thousands of points (Recharts' cost is per point).
 */
export function chartRows(
  times: readonly number[],
  lines: readonly ChartLine[],
  columns = CHART_COLUMNS,
): Record<string, number | null>[] {
  const n = times.length;
  const keep = new Uint8Array(n);
  if (n <= Math.max(MAX_WHOLE_ROWS, 2 * columns)) keep.fill(2);
  else {
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
  }
  const rows: Record<string, number | null>[] = [];
  let previous = -1;
  for (let j = 0; j < n; j++) {
    if (!keep[j]) continue;
    // Lines are drawn as steps: a row that repeats the row before it in every line draws
    // nothing new. It is left out unless it ends the chart; a row where a line starts or stops
    // differs from the row before it.
    if (keep[j] === 1 && previous >= 0 && j < n - 1 && sameValues(lines, j, previous)) continue;
    previous = j;
    const row: Record<string, number | null> = { t: times[j]! };
    lines.forEach((line, i) => {
      row[`s${i}`] = line.values[j] ?? null;
    });
    rows.push(row);
  }
  return rows;
}

/** Whether every line has the same value (or no value) at rows `a` and `b`. */
function sameValues(lines: readonly ChartLine[], a: number, b: number): boolean {
  for (const line of lines) if ((line.values[a] ?? null) !== (line.values[b] ?? null)) return false;
  return true;
}
