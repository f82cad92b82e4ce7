// In-memory series storage for the engine: per series sorted timestamps and values in typed
// arrays (binary-searched by the evaluator), a posting list by metric name, staleness markers
// kept as a flag beside the value (Prometheus uses a special NaN; JS cannot carry NaN payloads).
import {
  labelsKey,
  makeLabels,
  metricNameLabel,
  omitLabels,
  sortByLabelSets,
  type Labels,
} from './labels.ts';

/** One ingested sample; a null value is a staleness marker. */
export type Point = readonly [t: number, v: number | null];

/** A stored series with its samples in columnar form (read-only for the evaluator). */
export interface StoredSeries {
  readonly labels: Labels;
  readonly key: string;
  /** ms timestamps, ascending, no duplicates. */
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  /** 1 where the sample is a staleness marker. */
  readonly stale: Uint8Array;
  /**
   * staleBefore[i] is the number of staleness markers at indexes below i (length n + 1), so a
   * window's markers are counted without a scan; null when the series has none.
   */
  readonly staleBefore: Int32Array | null;
}

/** A stored series as the store keeps it: with the label set without its name, once made. */
interface SealedSeries extends StoredSeries {
  withoutName: Labels | null;
}

interface MutableSeries {
  labels: Labels;
  key: string;
  /** Points added since the series was last sealed (null for none: most series are sealed). */
  pending: Point[] | null;
  sealed: SealedSeries | null;
}

/** The time series the engine queries; series with equal labels are merged. */
export class SeriesStore {
  private readonly byKey = new Map<string, MutableSeries>();
  private readonly byName = new Map<string, MutableSeries[]>();
  private ordered: StoredSeries[] | null = null;
  private readonly orderedByName = new Map<string, StoredSeries[]>();
  private generation = 0;
  /** The times of the series sealed last, shared by the next one when its times are equal. */
  private grid: Float64Array | null = null;
  /**
   * What addColumns checked, for series loaded together that share their arrays (a
   * simulation's series share their times, and their staleness flags where they match; a test
   * group's series the few patterns of gaps and markers they have): the times found ascending
   * last, and each array of flags with its counts.
   */
  private rising: Float64Array | null = null;
  private readonly flagged = new Map<Uint8Array, Int32Array>();
  /** The zero flags handed out last (zeroFlags). */
  private lastZeros: Uint8Array | null = null;
  /** Series copied without their staleness markers (withoutMarkers), while the contents stay. */
  private readonly unmarked = new Map<StoredSeries, { ts: Float64Array; vs: Float64Array }>();
  /** The times without markers copied last, the times and flags they were copied from. */
  private unmarkedTimes: { from: Float64Array; flags: Uint8Array; ts: Float64Array } | null = null;

  /** Adds samples (sorted by time) to the series with these labels, creating it if needed. */
  addSeries(labels: Labels, points: ReadonlyArray<Point>): void {
    const clean = makeLabels(labels);
    const key = labelsKey(clean);
    let s = this.byKey.get(key);
    this.changed();
    if (!s) {
      // A new series is sealed at once: no copy of its points is kept.
      s = { labels: clean, key, pending: null, sealed: null };
      s.sealed = sealPoints(s, points, this.grid);
      this.grid = s.sealed.ts;
      this.byKey.set(key, s);
      const name = clean['__name__'] ?? '';
      const list = this.byName.get(name);
      if (list) list.push(s);
      else this.byName.set(name, [s]);
      return;
    }
    const pending = (s.pending ??= []);
    if (s.sealed) {
      const old = s.sealed;
      for (let i = 0; i < old.ts.length; i++) {
        pending.push([old.ts[i]!, old.stale[i] ? null : old.vs[i]!]);
      }
      s.sealed = null;
    }
    for (const p of points) pending.push(p);
  }

  /**
   * Adds samples in columnar form: times ascending, a value per time, and a flag per time
   * marking staleness markers (or null for none). The store may keep the arrays, so the caller
   * must not change them afterwards. Same effect as addSeries with the equivalent points.
   */
  addColumns(
    labels: Labels,
    ts: Float64Array,
    vs: Float64Array,
    stale: Uint8Array | null = null,
    /**
     * labelsKey of the labels where the caller has it already; the labels are then a label set
     * as makeLabels makes them (frozen, names in order, no empty value), not checked again.
     */
    knownKey?: string,
  ): void {
    const clean = knownKey === undefined ? makeLabels(labels) : labels;
    const key = knownKey ?? labelsKey(clean);
    const increasing =
      vs.length === ts.length &&
      (stale === null || stale.length === ts.length) &&
      this.strictlyIncreasing(ts);
    if (this.byKey.has(key) || !increasing) {
      const points: Point[] = [];
      for (let i = 0; i < ts.length; i++) points.push([ts[i]!, stale?.[i] ? null : vs[i]!]);
      this.addSeries(labels, points);
      return;
    }
    this.changed();
    const n = ts.length;
    let staleBefore: Int32Array | null = null;
    let values = vs;
    const anyStale = stale !== null && (this.flagged.has(stale) || anyFlag(stale));
    // Series without markers share one array of zero flags (nothing writes stored arrays).
    const flags = anyStale && stale !== null ? stale : this.zeroFlags(n);
    if (anyStale) {
      staleBefore = this.markersBefore(flags);
      // Markers hold NaN, as sealed points do (a copy: the caller's values stay as they are).
      if (numberedMarker(flags, vs)) {
        values = vs.slice();
        for (let i = 0; i < n; i++) if (flags[i]) values[i] = NaN;
      }
    }
    const s: MutableSeries = { labels: clean, key, pending: null, sealed: null };
    const sealed: SealedSeries = {
      labels: clean,
      key,
      ts,
      vs: values,
      stale: flags,
      staleBefore,
      withoutName: null,
    };
    s.sealed = sealed;
    this.byKey.set(key, s);
    const name = clean['__name__'] ?? '';
    const list = this.byName.get(name);
    if (list) list.push(s);
    else this.byName.set(name, [s]);
  }

  /** Forgets the orders found, as the contents change. */
  private changed(): void {
    this.ordered = null;
    // Clearing a map allocates its table anew: not once per series loaded.
    if (this.orderedByName.size > 0) this.orderedByName.clear();
    if (this.unmarked.size > 0) this.unmarked.clear();
    this.unmarkedTimes = null;
    this.generation++;
  }

  /**
   * A sealed series' samples without its staleness markers, copied once while the contents
   * stay: the window kernels of every query on short series read them (a test group's series
   * mostly hold a marker). Series with the same times and markers as the one copied last (a
   * test group's series mostly) share its copied times.
   */
  withoutMarkers(s: StoredSeries): { ts: Float64Array; vs: Float64Array } {
    let clean = this.unmarked.get(s);
    if (clean !== undefined) return clean;
    const count = s.ts.length - (s.staleBefore?.[s.ts.length] ?? 0);
    let times = this.unmarkedTimes;
    if (times === null || !sameArray(times.from, s.ts) || !sameArray(times.flags, s.stale)) {
      times = { from: s.ts, flags: s.stale, ts: unflagged(s.ts, s.stale, count) };
      this.unmarkedTimes = times;
    }
    clean = { ts: times.ts, vs: unflagged(s.vs, s.stale, count) };
    this.unmarked.set(s, clean);
    return clean;
  }

  /** Whether times rise strictly, remembering the array last found so (and parts of it). */
  private strictlyIncreasing(ts: Float64Array): boolean {
    const r = this.rising;
    if (
      r !== null &&
      ts.buffer === r.buffer &&
      ts.byteOffset >= r.byteOffset &&
      ts.byteOffset + ts.byteLength <= r.byteOffset + r.byteLength
    )
      return true;
    if (!strictlyIncreasing(ts)) return false;
    this.rising = ts;
    return true;
  }

  /**
   * noMarkers(n), the same view for the same length as the last one (series loaded together
   * mostly have one length; a typed array's subarray per series cost as much as the rest of
   * addColumns' checks).
   */
  private zeroFlags(n: number): Uint8Array {
    if (this.lastZeros?.length !== n) this.lastZeros = noMarkers(n);
    return this.lastZeros;
  }

  /** markersBefore, remembering each array of flags counted. */
  private markersBefore(flags: Uint8Array): Int32Array {
    let before = this.flagged.get(flags);
    if (before === undefined) {
      before = markersBefore(flags);
      this.flagged.set(flags, before);
    }
    return before;
  }

  /**
   * The sample written last to the series with these labels (a null value is a staleness
   * marker), or null when there is no such series: what an appender checks a new sample against.
   */
  lastSample(labels: Labels): Point | null {
    const s = this.byKey.get(labelsKey(makeLabels(labels)));
    if (!s) return null;
    const p = s.pending?.[s.pending.length - 1];
    if (p) return p;
    const sealed = s.sealed;
    const n = sealed?.ts.length ?? 0;
    if (!sealed || n === 0) return null;
    return [sealed.ts[n - 1]!, sealed.stale[n - 1] ? null : sealed.vs[n - 1]!];
  }

  /**
   * A stored series' labels without the metric name (a window function's output labels), made
   * once per store: a test group's queries each meet the same series, and a map per query of
   * the sets made cost more than making them.
   */
  labelsWithoutName(series: StoredSeries): Labels {
    const s = series as SealedSeries;
    if (!(metricNameLabel in s.labels)) return s.labels;
    s.withoutName ??= Object.freeze(omitLabels(s.labels, metricNameLabel));
    return s.withoutName;
  }

  /** Changes whenever the contents change (lets callers cache derived data). */
  get version(): number {
    return this.generation;
  }

  /** The number of series. */
  get seriesCount(): number {
    return this.byKey.size;
  }

  private seal(s: MutableSeries): SealedSeries {
    if (s.sealed) return s.sealed;
    s.sealed = sealPoints(s, s.pending ?? [], this.grid);
    this.grid = s.sealed.ts;
    s.pending = null;
    return s.sealed;
  }

  /** All series sorted by labels. */
  allSeries(): readonly StoredSeries[] {
    if (!this.ordered) {
      this.ordered = sortByLabels([...this.byKey.values()].map((s) => this.seal(s)));
    }
    return this.ordered;
  }

  /** Candidate series for a metric name (all series when name is undefined), sorted by labels. */
  candidates(name: string | undefined): readonly StoredSeries[] {
    if (name === undefined) return this.allSeries();
    const hit = this.orderedByName.get(name);
    if (hit) return hit;
    const list = this.byName.get(name);
    if (!list) return [];
    const out = sortByLabels(list.map((s) => this.seal(s)));
    this.orderedByName.set(name, out);
    return out;
  }

  /** Every label name, sorted. */
  labelNames(): string[] {
    const names = new Set<string>();
    for (const s of this.byKey.values()) for (const k of Object.keys(s.labels)) names.add(k);
    return [...names].sort();
  }

  /** Every value of a label, sorted. */
  labelValues(name: string): string[] {
    const vals = new Set<string>();
    for (const s of this.byKey.values()) {
      const v = s.labels[name];
      if (v !== undefined) vals.add(v);
    }
    return [...vals].sort();
  }

  /** Every metric name, sorted. */
  metricNames(): string[] {
    return [...this.byName.keys()].filter((n) => n !== '').sort();
  }

  /** Every series with its points (staleness markers as null). */
  *series(): Iterable<{ labels: Labels; points: readonly Point[] }> {
    for (const s of this.allSeries()) {
      const points: Point[] = [];
      for (let i = 0; i < s.ts.length; i++) points.push([s.ts[i]!, s.stale[i] ? null : s.vs[i]!]);
      yield { labels: s.labels, points };
    }
  }
}

/** Series sorted by labels (in place). */
function sortByLabels(list: StoredSeries[]): StoredSeries[] {
  return sortByLabelSets(list, (s) => s.labels);
}

// The loops of a store build, each in a function of its own: V8 compiles a hot loop on its own
// then, instead of compiling the whole of addColumns at its first loop and throwing the code
// away at the next one, which had no type feedback yet (a cold 6M-sample load did so 20 times).

/** Whether times rise strictly from each sample to the next. */
function strictlyIncreasing(ts: Float64Array): boolean {
  for (let i = 1; i < ts.length; i++) if (!(ts[i]! > ts[i - 1]!)) return false;
  return true;
}

/** Whether any flag is set. */
function anyFlag(flags: Uint8Array): boolean {
  for (let i = 0; i < flags.length; i++) if (flags[i] !== 0) return true;
  return false;
}

/** The number of flags set below each index (length n + 1). */
function markersBefore(flags: Uint8Array): Int32Array {
  const n = flags.length;
  const out = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) out[i + 1] = out[i]! + (flags[i] ? 1 : 0);
  return out;
}

/** Whether a flagged sample holds a value other than NaN. */
function numberedMarker(flags: Uint8Array, vs: Float64Array): boolean {
  for (let i = 0; i < flags.length; i++) if (flags[i] && !Number.isNaN(vs[i]!)) return true;
  return false;
}

let zeros = new Uint8Array(0);

/** n zero flags, a view of one array shared by every series without staleness markers. */
/** Whether two arrays hold the same numbers. */
function sameArray(a: Float64Array | Uint8Array, b: Float64Array | Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The count values of xs whose flag is 0, copied. */
function unflagged(xs: Float64Array, flags: Uint8Array, count: number): Float64Array {
  const out = new Float64Array(count);
  let j = 0;
  for (let i = 0; i < xs.length; i++) if (flags[i] === 0) out[j++] = xs[i]!;
  return out;
}

function noMarkers(n: number): Uint8Array {
  if (n > zeros.length) zeros = new Uint8Array(Math.max(n, zeros.length * 2));
  return zeros.subarray(0, n);
}

/** Columnar samples of a series from its points: sorted, the last write for a time winning. */
function sealPoints(
  s: { labels: Labels; key: string },
  pts: ReadonlyArray<Point>,
  grid: Float64Array | null,
): SealedSeries {
  // One pass over points in time order (the usual case); others are sorted first.
  const inOrder = copyPoints(s, pts, grid, true);
  if (inOrder !== null) return inOrder;
  const sorted = copyPoints(s, sortedPoints(pts), grid, false);
  if (sorted === null) throw new Error('unchecked copy failed');
  return sorted;
}

/**
 * The columns of points in one pass; with `check`, null as soon as a time does not rise. Series
 * loaded together usually share their sample times: while they match the previous series'
 * times, that array is shared, so that a 6M-sample load allocates half as much outside the heap
 * (whose growth makes V8 trace every tuple still held by the caller).
 */
function copyPoints(
  s: { labels: Labels; key: string },
  pts: ReadonlyArray<Point>,
  grid: Float64Array | null,
  check: boolean,
): SealedSeries | null {
  const n = pts.length;
  let ts: Float64Array | null = grid !== null && grid.length === n ? grid : null;
  const vs = new Float64Array(n);
  let stale: Uint8Array | null = null;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const p = pts[i]!;
    const t = p[0];
    if (check && t <= last) return null;
    last = t;
    if (ts === null || ts[i] !== t) {
      if (ts === null || ts === grid) {
        const own = new Float64Array(n);
        if (ts !== null) own.set(ts.subarray(0, i));
        ts = own;
      }
      ts[i] = t;
    }
    const v = p[1];
    if (v === null) {
      stale ??= new Uint8Array(n);
      stale[i] = 1;
      vs[i] = NaN;
    } else vs[i] = v;
  }
  ts ??= new Float64Array(0);
  const staleBefore = stale === null ? null : markersBefore(stale);
  return {
    labels: s.labels,
    key: s.key,
    ts,
    vs,
    stale: stale ?? noMarkers(n),
    staleBefore,
    withoutName: null,
  };
}

/** Points sorted by time (a stable sort), keeping the last sample written for each time. */
function sortedPoints(pts: ReadonlyArray<Point>): Point[] {
  const idx = pts.map((p, i) => [p, i] as const);
  idx.sort((a, b) => a[0][0] - b[0][0] || a[1] - b[1]);
  const merged: Point[] = [];
  for (const [p] of idx) {
    const last = merged[merged.length - 1];
    if (last && last[0] === p[0]) merged[merged.length - 1] = p;
    else merged.push(p);
  }
  return merged;
}
