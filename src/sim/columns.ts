// Samples are generated into columns (one Float64Array per series, aligned with the scrape
// times) and turned into Point tuples only when someone reads `points`: millions of small
// arrays are the simulator's main cost, and the exports read the columns directly.
import type { Point, SimSeries } from './types.ts';

/** A series' samples by scrape index; state[k] is 0 (nothing stored), 1 (values[k]) or 2 (stale). */
export interface Columns {
  times: readonly number[];
  /** The same times as a Float64Array, shared by every series of a simulation. */
  timesColumn: Float64Array;
  values: Float64Array;
  state: Uint8Array;
}

/**
 * The key under which a series made by the simulator keeps its columns: a symbol property that
 * is not enumerable, so that JSON and postMessage copy `labels` and `points` only.
 */
const COLUMNS = Symbol('columns');

/** The columns behind a series made by the simulator (undefined for a copy, e.g. after postMessage). */
export function columnsOf(series: SimSeries): Columns | undefined {
  return (series as SimSeries & { [COLUMNS]?: Columns })[COLUMNS];
}

/** Creates a series whose `points` are built from the columns on first read, then cached. */
export function createSeries(labels: Record<string, string>, columns: Columns): SimSeries {
  let points: Point[] | undefined;
  const series = {} as SimSeries;
  Object.defineProperty(series, 'labels', { value: labels, enumerable: true });
  Object.defineProperty(series, 'points', {
    enumerable: true,
    get(): Point[] {
      points ??= toPoints(columns);
      return points;
    },
  });
  Object.defineProperty(series, COLUMNS, { value: columns, enumerable: false });
  return series;
}

function toPoints({ times, values, state }: Columns): Point[] {
  let count = 0;
  for (let k = 0; k < state.length; k++) if (state[k] !== 0) count++;
  const out = new Array<Point>(count);
  let i = 0;
  for (let k = 0; k < state.length; k++) {
    const st = state[k];
    if (st === 1) out[i++] = [times[k]!, values[k]!];
    else if (st === 2) out[i++] = [times[k]!, null];
  }
  return out;
}

/** A series' stored samples as typed columns: times ascending, values, and staleness flags. */
export interface SampleColumns {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  /** 1 where the sample is a staleness marker; null when the series has none. */
  readonly stale: Uint8Array | null;
}

/**
 * The samples of a series as typed columns, without building a Point tuple per sample: the
 * shape `SeriesStore.addColumns` keeps as it is. Series made by the simulator are read from
 * their columns (a series without gaps or markers gets views of the simulator's own arrays:
 * read them, never write them); any other series (a copy, say) from its points.
 */
export function sampleColumns(series: SimSeries): SampleColumns {
  const c = columnsOf(series);
  if (!c) {
    const pts = series.points;
    const n = pts.length;
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    let stale: Uint8Array | null = null;
    for (let i = 0; i < n; i++) {
      const p = pts[i]!;
      ts[i] = p[0];
      if (p[1] === null) {
        stale ??= new Uint8Array(n);
        stale[i] = 1;
        vs[i] = NaN;
      } else vs[i] = p[1];
    }
    return { ts, vs, stale };
  }
  const { times, timesColumn, values, state } = c;
  // Most series are scraped without a gap from their first sample to their last and have no
  // staleness marker: their columns are views of the simulator's (no copy, no new array).
  const n = state.length;
  let first = 0;
  while (first < n && state[first] === 0) first++;
  let last = n;
  while (last > first && state[last - 1] === 0) last--;
  let dense = true;
  for (let k = first; k < last; k++) {
    if (state[k] !== 1) {
      dense = false;
      break;
    }
  }
  if (dense) {
    return {
      ts: timesColumn.subarray(first, last),
      vs: values.subarray(first, last),
      stale: null,
    };
  }
  let count = 0;
  let anyStale = false;
  for (let k = first; k < last; k++) {
    const st = state[k]!;
    if (st !== 0) count++;
    if (st === 2) anyStale = true;
  }
  const ts = new Float64Array(count);
  const vs = new Float64Array(count);
  const stale = anyStale ? new Uint8Array(count) : null;
  let i = 0;
  for (let k = first; k < last; k++) {
    const st = state[k]!;
    if (st === 0) continue;
    ts[i] = times[k]!;
    if (st === 2) {
      stale![i] = 1;
      vs[i] = NaN;
    } else vs[i] = values[k]!;
    i++;
  }
  return { ts, vs, stale };
}
