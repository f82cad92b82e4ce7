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
 * NaN at markers) and flags, so the buffers must be the caller's own and not read afterwards.
 * Series whose samples fall on the same scrapes share one array of times, and series whose
 * markers fall on the same samples one array of flags. A series with no sample is left out.
 */
export function seriesFromScrapes(
  labels: readonly Record<string, string>[],
  times: Float64Array,
  values: Float64Array,
  state: Uint8Array,
): SimSeries[] {
  const out: SimSeries[] = [];
  const n = times.length;
  let sharedTs: Float64Array | null = null;
  let sharedStale: Uint8Array | null = null;
  for (let i = 0; i < labels.length; i++) {
    const from = i * n;
    const st = state.subarray(from, from + n);
    const c = compact(times, values.subarray(from, from + n), st, sharedTs, sharedStale);
    if (c === null) continue;
    if (c.ts.buffer !== times.buffer) sharedTs = c.ts;
    if (c.stale !== null) sharedStale = c.stale;
    out.push(createSeries(labels[i]!, { times, ...c }));
  }
  return out;
}

/**
 * One series' samples from its scrapes (see seriesFromScrapes), rewritten in place: a view of
 * the times when no scrape between its first sample and its last stored nothing, else
 * `sharedTs` when that holds the same times, else times of its own; flags likewise shared.
 */
function compact(
  times: Float64Array,
  values: Float64Array,
  state: Uint8Array,
  sharedTs: Float64Array | null,
  sharedStale: Uint8Array | null,
): SampleColumns | null {
  const n = state.length;
  let first = 0;
  while (first < n && state[first] === 0) first++;
  if (first === n) return null;
  let last = n;
  while (state[last - 1] === 0) last--;
  // Read first, rewrite after: how many samples, whether any is a marker, whether the times
  // are sharedTs's.
  let count = 0;
  let markers = false;
  let sameTs = sharedTs !== null;
  for (let k = first; k < last; k++) {
    const s = state[k]!;
    if (s === 0) continue;
    if (s === 2) markers = true;
    if (sameTs && (count >= sharedTs!.length || sharedTs![count] !== times[k])) sameTs = false;
    count++;
  }
  if (sameTs && count !== sharedTs!.length) sameTs = false;
  const gaps = count !== last - first;
  if (!gaps && !markers) {
    return { ts: times.subarray(first, last), vs: values.subarray(first, last), stale: null };
  }
  let ts: Float64Array;
  if (!gaps) ts = times.subarray(first, last);
  else if (sameTs) ts = sharedTs!;
  else {
    ts = new Float64Array(count);
    for (let k = first, j = 0; k < last; k++) if (state[k] !== 0) ts[j++] = times[k]!;
  }
  // Samples and flags move towards the start of the series' part (j <= k: nothing unread is
  // overwritten).
  for (let k = first, j = first; k < last; k++) {
    const s = state[k]!;
    if (s === 0) continue;
    values[j] = s === 2 ? NaN : values[k]!;
    state[j] = s === 2 ? 1 : 0;
    j++;
  }
  const vs = values.subarray(first, first + count);
  let stale = state.subarray(first, first + count);
  if (!markers) return { ts, vs, stale: null };
  if (sharedStale !== null && sameFlags(sharedStale, stale)) stale = sharedStale;
  return { ts, vs, stale };
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
