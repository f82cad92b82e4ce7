// The rows a time chart draws, as Recharts takes them: one object per row with the time and each
// line's value. Which rows of a long timeline are drawn is the lab's (thinnedRows): every extreme
// of every line, where lines start and stop, and the rows where a value changes.
import { CHART_COLUMNS, MAX_WHOLE_ROWS, thinnedRows, type ChartLine } from '../../lab/index.ts';

export { CHART_COLUMNS, MAX_WHOLE_ROWS };

/**
 * The chart's rows: those `thinnedRows` keeps, or every row when the lines were thinned already
 * (`whole`: the worker sent only the rows to draw).
 */
export function chartRows(
  times: readonly number[],
  lines: readonly ChartLine[],
  columns = CHART_COLUMNS,
  whole = false,
): Record<string, number | null>[] {
  const kept = whole
    ? Array.from({ length: times.length }, (_, j) => j)
    : thinnedRows(times.length, lines, columns);
  return kept.map((j) => {
    const row: Record<string, number | null> = { t: times[j]! };
    lines.forEach((line, i) => {
      row[`s${i}`] = line.values[j] ?? null;
    });
    return row;
  });
}
