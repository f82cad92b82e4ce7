// Samples are generated into columns and turned into Point tuples only when someone reads
// `points`: millions of small arrays are the simulator's main cost. The columns are already
// the shape the engine's store keeps (times, values, staleness flags), so that loading a
// simulation copies nothing: the scrape loop's buffers are compacted in place once it ends.
import type { Point, SimSeries } from './types.ts';

/** A series' stored samples as typed columns: times ascending, values, and staleness flags. */
export interface SampleColumns {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  /** 1 where the sample is a staleness marker; null when the series has none. */
  readonly stale: Uint8Array | null;
}

/** The columns behind a series made by the simulator. */
interface Columns extends SampleColumns {
  /** The simulation's scrape times (every series' times are among them). */
  readonly times: Float64Array;
}

/**
 * The key under which a series made by the simulator keeps its columns: a symbol property that
 * is not enumerable, so that JSON and postMessage copy `labels` and `points` only.
 */
const COLUMNS = Symbol('columns');

function columnsOf(series: SimSeries): Columns | undefined {
  return (series as SimSeries & { [COLUMNS]?: Columns })[COLUMNS];
}

/** Creates a series whose `points` are built from the columns on first read, then cached. */
function createSeries(labels: Record<string, string>, columns: Columns): SimSeries {
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

function toPoints({ ts, vs, stale }: SampleColumns): Point[] {
  const out = new Array<Point>(ts.length);
  for (let i = 0; i < ts.length; i++) out[i] = [ts[i]!, stale?.[i] ? null : vs[i]!];
  return out;
}

/**
 * Turns the scrape loop's buffers into series. values and state hold series i's scrape k at
 * i * times.length + k; state[k] is 0 (nothing stored), 1 (values[k]) or 2 (a staleness
 * marker). Each series' part of both buffers is rewritten in place into its samples (values,
 * NaN at markers) and flags, so the buffers must be the caller's own and not read afterwards;
 * a series whose samples are another's (aliasOf) shares that one's columns.
 * Series whose samples fall on the same scrapes share one array of times, and series whose
 * markers fall on the same samples one array of flags. A series with no sample is left out.
 */
export function seriesFromScrapes(
  labels: readonly Record<string, string>[],
  times: Float64Array,
  values: Float64Array,
  state: Uint8Array,
  /** aliasOf[i] >= 0: series i has the samples of that earlier series, its part is not read. */
  aliasOf: Int32Array,
): SimSeries[] {
  const out: SimSeries[] = [];
  const n = times.length;
  const made: (Columns | null)[] = [];
  let sharedTs: Float64Array | null = null;
  let sharedStale: Uint8Array | null = null;
  for (let i = 0; i < labels.length; i++) {
    const alias = aliasOf[i]!;
    let columns: Columns | null;
    if (alias >= 0) columns = made[alias]!;
    else {
      const from = i * n;
      const st = state.subarray(from, from + n);
      const c = compact(times, values.subarray(from, from + n), st, sharedTs, sharedStale);
      columns = c === null ? null : { times, ...c };
      if (c !== null && c.ts.buffer !== times.buffer) sharedTs = c.ts;
      if (c?.stale) sharedStale = c.stale;
    }
    made.push(columns);
    if (columns !== null) out.push(createSeries(labels[i]!, columns));
  }
  return out;
}

/**
 * One series' samples from its scrapes (see seriesFromScrapes), rewritten in place: a view of
 * the times when no scrape between its first sample and its last stored nothing, else
 * `sharedTs` when that holds the same times, else times of its own; flags likewise shared.
 * Each loop is a function of its own, so that V8 optimises it on its own (see store.ts).
 */
function compact(
  times: Float64Array,
  values: Float64Array,
  state: Uint8Array,
  sharedTs: Float64Array | null,
  sharedStale: Uint8Array | null,
): SampleColumns | null {
  // The typed arrays' own searches first: most series have a sample at every scrape from their
  // first to their last, and no marker.
  const firstValue = state.indexOf(1);
  const firstMarker = state.indexOf(2);
  if (firstMarker < 0) {
    if (firstValue < 0) return null;
    const last = state.lastIndexOf(1) + 1;
    if (state.subarray(firstValue, last).indexOf(0) < 0) {
      return {
        ts: times.subarray(firstValue, last),
        vs: values.subarray(firstValue, last),
        stale: null,
      };
    }
  }
  const first = firstValue < 0 ? firstMarker : Math.min(firstValue, Math.max(firstMarker, 0));
  const last = Math.max(state.lastIndexOf(1), state.lastIndexOf(2)) + 1;
  const count = present(state, first, last);
  let ts: Float64Array;
  if (count === last - first) ts = times.subarray(first, last);
  else if (sharedTs !== null && sameTimes(times, state, first, last, sharedTs)) ts = sharedTs;
  else ts = presentTimes(times, state, first, last, count);
  compactInPlace(values, state, first, last);
  const vs = values.subarray(first, first + count);
  if (firstMarker < 0) return { ts, vs, stale: null };
  const stale = state.subarray(first, first + count);
  return {
    ts,
    vs,
    stale: sharedStale !== null && sameFlags(sharedStale, stale) ? sharedStale : stale,
  };
}

/** How many of the scrapes first..last-1 stored something. */
function present(state: Uint8Array, first: number, last: number): number {
  let count = 0;
  for (let k = first; k < last; k++) if (state[k] !== 0) count++;
  return count;
}

/** Whether the scrapes first..last-1 that stored something are at exactly the times `ts`. */
function sameTimes(
  times: Float64Array,
  state: Uint8Array,
  first: number,
  last: number,
  ts: Float64Array,
): boolean {
  let j = 0;
  for (let k = first; k < last; k++) {
    if (state[k] === 0) continue;
    if (j >= ts.length || ts[j] !== times[k]) return false;
    j++;
  }
  return j === ts.length;
}

/** The times of the scrapes first..last-1 that stored something (count of them). */
function presentTimes(
  times: Float64Array,
  state: Uint8Array,
  first: number,
  last: number,
  count: number,
): Float64Array {
  const ts = new Float64Array(count);
  for (let k = first, j = 0; k < last; k++) if (state[k] !== 0) ts[j++] = times[k]!;
  return ts;
}

/**
 * Moves the samples of scrapes first..last-1 to first, first + 1, …: values (NaN at markers),
 * and in state a flag (1 at markers, else 0). j <= k: nothing unread is overwritten.
 */
function compactInPlace(
  values: Float64Array,
  state: Uint8Array,
  first: number,
  last: number,
): void {
  for (let k = first, j = first; k < last; k++) {
    const s = state[k]!;
    if (s === 0) continue;
    values[j] = s === 2 ? NaN : values[k]!;
    state[j] = s === 2 ? 1 : 0;
    j++;
  }
}

function sameFlags(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One token per scrape from the first to the series' last sample: a value, a scrape that
 * stored nothing, or a staleness marker. Null for a series without columns (a copy).
 */
export function scrapeTokens(series: SimSeries): (number | '_' | 'stale')[] | null {
  const c = columnsOf(series);
  if (!c) return null;
  const { times, ts, vs, stale } = c;
  const out: (number | '_' | 'stale')[] = [];
  let k = 0;
  for (let i = 0; i < ts.length; i++) {
    while (times[k]! < ts[i]!) {
      out.push('_');
      k++;
    }
    out.push(stale?.[i] ? 'stale' : vs[i]!);
    k++;
  }
  return out;
}

/**
 * The samples of a series as typed columns, without building a Point tuple per sample: the
 * shape `SeriesStore.addColumns` keeps as it is. Series made by the simulator give their own
 * columns (read them, never write them: arrays are shared between series); any other series
 * (a copy, say) is read from its points.
 */
export function sampleColumns(series: SimSeries): SampleColumns {
  const c = columnsOf(series);
  if (c) return { ts: c.ts, vs: c.vs, stale: c.stale };
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
