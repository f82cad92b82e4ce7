// Samples are generated into columns (one Float64Array per series, aligned with the scrape
// times) and turned into Point tuples only when someone reads `points`: millions of small
// arrays are the simulator's main cost, and the exports read the columns directly.
import type { Point, SimSeries } from './types.ts';

/** A series' samples by scrape index; state[k] is 0 (nothing stored), 1 (values[k]) or 2 (stale). */
export interface Columns {
  times: readonly number[];
  values: Float64Array;
  state: Uint8Array;
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
