// Where the playground's series come from: a simulated etcd cluster (a sim Scenario, with its
// ground truth), series imported from a promtool unit test's `input_series` (no ground truth:
// nobody knows what really happened behind them), or a recording of a real etcd cluster shipped
// with the project (its ground truth is the scenario the harness played, and the simulation of
// that scenario is shown beside it). Everything that depends on the kind switches over it here,
// so the rest of the app asks these functions instead of looking at the kind.
import {
  parseSeriesDescriptor,
  parseSeriesValues,
  type Labels,
  type Point,
  type CheckedNames,
  type Result,
  type SeriesStore,
} from '../promql/index.ts';
import {
  columnScratch,
  parseSimpleSeriesColumns,
  pointsToColumns,
  type ColumnScratch,
} from '../rules/index.ts';
import { MAX_DURATION, type Scenario } from '../sim/index.ts';
import { findRecording, recordingEtcdSeries, type ShippedRecording } from './recordings.ts';

/** A simulated cluster: the scenario is the whole description. */
export interface SimulatedSource {
  readonly kind: 'simulated';
  readonly scenario: Scenario;
}

/** One input series in promtool's notation, kept as written (compact in links and storage). */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** Series imported from one test group of a promtool unit-test file. */
export interface ImportedSource {
  readonly kind: 'imported';
  /** The file the series came from, as the user named it. */
  readonly fileName: string;
  /** The test group's name (or "test group N" when it has none). */
  readonly group: string;
  /** The group's `interval`: the time between two input values. */
  readonly interval: number;
  /** The file's `evaluation_interval`: how often the rules are evaluated. */
  readonly evaluationInterval: number;
  /**
   * The group's `start_timestamp` (Prometheus 3) in Unix ms: the time of the first input value
   * and of the first evaluation. Absent means 0, the Unix epoch, as in promtool.
   */
  readonly start?: number;
  readonly series: readonly InputSeries[];
}

/**
 * A recording of a real etcd cluster that ships with the project (recordings/), named only: its
 * scenario and times are in the bundled catalog, its series are loaded when it is opened.
 */
export interface RecordedSource {
  readonly kind: 'recorded';
  /** The shipped recording's name (its directory under recordings/). */
  readonly recording: string;
}

/** The series the playground shows: simulated, imported or recorded. */
export type ScenarioSource = SimulatedSource | ImportedSource | RecordedSource;

/**
 * One imported series: its labels, its samples as columns (what the store takes, see
 * storeLoadedSeries) and as points (built on first read).
 */
export interface LoadedSeriesEntry {
  readonly labels: Labels;
  readonly points: Point[];
  readonly columns: LoadedColumns;
}

/** Adds loaded series to a store, from their columns (no tuple per sample). */
export function storeLoadedSeries(series: readonly LoadedSeriesEntry[], store: SeriesStore): void {
  for (const s of series) store.addColumns(s.labels, s.columns.ts, s.columns.vs, s.columns.stale);
}

/** An imported series parsed into labels and points, or the reason it cannot be. */
export type LoadedSeries =
  | { ok: true; series: LoadedSeriesEntry[]; duration: number }
  | {
      ok: false;
      errors: { index: number; part: 'series' | 'values'; from: number; message: string }[];
    };

/** The most evaluations an imported scenario may span, to keep the page responsive. */
export const MAX_IMPORTED_EVALUATIONS = 20_000;

/** Wraps a simulated scenario as a source. */
export function simulated(scenario: Scenario): SimulatedSource {
  return { kind: 'simulated', scenario };
}

/** A shipped recording as a source. */
export function recorded(name: string): RecordedSource {
  return { kind: 'recorded', recording: name };
}

/** The shipped recording a recorded source names; documents are checked, so it is there. */
export function recordingOf(source: RecordedSource): ShippedRecording {
  const r = findRecording(source.recording);
  if (!r) throw new Error(`no recording named "${source.recording}" ships with Quorum Lab`);
  return r;
}

/**
 * The scenario of a source: the simulated one, or the one a recording's harness played (the
 * simulation shown beside it); imported series have none.
 */
export function sourceScenario(source: ScenarioSource): Scenario | null {
  switch (source.kind) {
    case 'simulated':
      return source.scenario;
    case 'recorded':
      return recordingOf(source).scenario;
    case 'imported':
      return null;
    default:
      return unreachable(source);
  }
}

/**
 * Parses the imported series, at their real times (from the source's start); the duration is the
 * last input sample's time after the start. Each call parses: a caller that asks again keeps the
 * answer (the page's store keeps its source's duration, the worker its prepared source).
 */
export function loadImportedSeries(source: ImportedSource): LoadedSeries {
  const errors: Extract<LoadedSeries, { ok: false }>['errors'] = [];
  const series: LoadedSeriesEntry[] = [];
  const start = source.start ?? 0;
  const shared: Shared = {
    ts: new Float64Array(0),
    scratch: columnScratch({ scanAlways: true }),
    byText: new Map(),
  };
  let duration = 0;
  const names: CheckedNames = new Map();
  source.series.forEach((s, index) => {
    const labels = parseSeriesDescriptor(s.series, names);
    if (!labels.ok) {
      errors.push({
        index,
        part: 'series',
        from: labels.error.from,
        message: labels.error.message,
      });
      return;
    }
    const points = parseValues(s.values, source.interval, start, shared);
    if (!points.ok) {
      errors.push({
        index,
        part: 'values',
        from: points.error.from,
        message: points.error.message,
      });
      return;
    }
    const ts = points.value.ts;
    if (ts.length > 0) duration = Math.max(duration, ts[ts.length - 1]! - start);
    series.push(loadedSeries(labels.value, points.value));
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, series, duration };
}

/** Samples as typed columns, as SeriesStore.addColumns takes them. */
export interface LoadedColumns {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly stale: Uint8Array | null;
}

/** What the series of one source share while they are parsed. */
interface Shared {
  /** The grid times from the source's start (series on the grid get views of it). */
  ts: Float64Array;
  /** The values scanner's arrays, reused from one series to the next. */
  scratch: ColumnScratch;
  /**
   * The columns read from each values text: series that write the same text share them, as a
   * test group's do in test rules (nothing writes them). An imported day of a cluster repeats
   * many: the bench's 1,121 series have 534 texts (a histogram's upper buckets count alike).
   */
  byText: Map<string, LoadedColumns>;
}

/** The series' grid times from the source's start: one array, shared through views. */
function gridTimes(start: number, interval: number, n: number, shared: Shared): Float64Array {
  if (shared.ts.length < n) {
    const ts = new Float64Array(Math.max(n, shared.ts.length * 2));
    for (let i = 0; i < ts.length; i++) ts[i] = start + i * interval;
    shared.ts = ts;
  }
  return shared.ts.subarray(0, n);
}

/**
 * A values text as columns: plain tokens through src/rules' hand-written scanner (a day of a
 * cluster is millions of them: a regex and a tuple per sample took seconds), anything else and
 * every error through parseSeriesValues.
 */
function parseValues(
  text: string,
  interval: number,
  start: number,
  shared: Shared,
): Result<LoadedColumns> {
  let value = shared.byText.get(text);
  if (value === undefined) {
    const c = parseSimpleSeriesColumns(text, interval, start, shared.scratch);
    if (c !== null) {
      const ts = c.ts ?? gridTimes(start, interval, c.vs.length, shared);
      value = { ts, vs: c.vs, stale: c.stale };
    } else {
      const points = parseSeriesValues(text, interval, start);
      if (!points.ok) return points;
      value = pointsToColumns(points.value);
    }
    shared.byText.set(text, value);
  }
  return { ok: true, value, warnings: [] };
}

/** An imported series: its columns, and its points built from them when first read. */
function loadedSeries(labels: Labels, columns: LoadedColumns): LoadedSeriesEntry {
  let points: Point[] | undefined;
  const out = { labels, columns } as LoadedSeriesEntry;
  Object.defineProperty(out, 'points', {
    enumerable: true,
    get(): Point[] {
      if (points === undefined) {
        const { ts, vs, stale } = columns;
        points = new Array<Point>(ts.length);
        for (let i = 0; i < ts.length; i++) points[i] = [ts[i]!, stale?.[i] ? null : vs[i]!];
      }
      return points;
    },
  });
  return out;
}

/** Why an imported source cannot be shown, or null: bad intervals, no series, too long. */
export function checkImportedLimits(
  source: Pick<ImportedSource, 'interval' | 'evaluationInterval'>,
  duration: number,
): string | null {
  if (!(source.interval > 0)) return 'interval must be more than 0s';
  if (!(source.evaluationInterval > 0)) return 'evaluation_interval must be more than 0s';
  if (duration > MAX_DURATION) return 'the input series span more than 7 days';
  if (duration / source.evaluationInterval > MAX_IMPORTED_EVALUATIONS)
    return `the input series span more than ${MAX_IMPORTED_EVALUATIONS} evaluations`;
  return null;
}

/** The time the source spans, ms from its start. */
export function sourceDuration(source: ScenarioSource): number {
  switch (source.kind) {
    case 'simulated':
      return source.scenario.duration;
    case 'imported': {
      const loaded = loadImportedSeries(source);
      return loaded.ok ? loaded.duration : 0;
    }
    case 'recorded':
      return recordingOf(source).scenario.duration;
    default:
      return unreachable(source);
  }
}

/**
 * The real time (Unix ms) at offset 0 of the playground's time axis: the series and evaluations
 * are at this time plus the offsets the page shows. A simulation starts at 0.
 */
export function sourceStart(source: ScenarioSource): number {
  switch (source.kind) {
    case 'simulated':
      return 0;
    case 'imported':
      return source.start ?? 0;
    case 'recorded':
      return recordingOf(source).t0;
    default:
      return unreachable(source);
  }
}

/** How often the rules are evaluated. */
export function sourceEvaluationInterval(source: ScenarioSource): number {
  switch (source.kind) {
    case 'simulated':
      return source.scenario.evaluationInterval;
    case 'imported':
      return source.evaluationInterval;
    case 'recorded':
      return recordingOf(source).scenario.evaluationInterval;
    default:
      return unreachable(source);
  }
}

/** The time between two samples of a series (the scrape interval, or the test's `interval`). */
export function sourceSampleInterval(source: ScenarioSource): number {
  switch (source.kind) {
    case 'simulated':
      return source.scenario.scrapeInterval;
    case 'imported':
      return source.interval;
    case 'recorded':
      return recordingOf(source).scenario.scrapeInterval;
    default:
      return unreachable(source);
  }
}

/** A short name for the source, for the scenario picker and file names. */
export function sourceTitle(source: ScenarioSource): string {
  switch (source.kind) {
    case 'simulated':
      return source.scenario.title ?? source.scenario.name ?? 'custom scenario';
    case 'imported':
      return `imported: ${source.group} (${source.fileName})`;
    case 'recorded': {
      const r = recordingOf(source);
      return `recorded on a real etcd ${recordingEtcdSeries(r)} cluster: ${r.summary}`;
    }
    default:
      return unreachable(source);
  }
}

function unreachable(x: never): never {
  throw new Error(`unknown scenario source ${JSON.stringify(x)}`);
}
