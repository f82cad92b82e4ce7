// Samples are generated into columns (one Float64Array per series, aligned with the scrape
// times) and turned into Point tuples only when someone reads `points`: millions of small
// arrays are the simulator's main cost, and the exports read the columns directly.
import type { Point, SimSeries } from './types.ts';

/** A series' samples by scrape index: NaN where nothing was stored; stale[k] = 1 for a staleness marker. */
export interface Columns {
  times: readonly number[];
  values: Float64Array;
  stale: Uint8Array;
}

const store = new WeakMap<SimSeries, Columns>();

/** The columns behind a series made by the simulator (undefined for a copy, e.g. after postMessage). */
export function columnsOf(series: SimSeries): Columns | undefined {
  return store.get(series);
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
  store.set(series, columns);
  return series;
}

function toPoints({ times, values, stale }: Columns): Point[] {
  let count = 0;
  for (let k = 0; k < values.length; k++) if (stale[k] || !Number.isNaN(values[k]!)) count++;
  const out = new Array<Point>(count);
  let i = 0;
  for (let k = 0; k < values.length; k++) {
    if (stale[k]) out[i++] = [times[k]!, null];
    else if (!Number.isNaN(values[k]!)) out[i++] = [times[k]!, values[k]!];
  }
  return out;
}
