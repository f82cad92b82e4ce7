// Reads what users have of real series, an OpenMetrics file (timestamps in seconds, ending with
// `# EOF`, as `promtool tsdb create-blocks-from openmetrics` takes) or the output of `promtool
// tsdb dump` (`{labels} value timestamp_ms`, cmd/promtool/tsdb.go), into an imported scenario:
// the samples on one time grid, in promtool's series notation. Errors name line and column.
import { labelsKey, parseSeriesDescriptor, type Labels } from '../promql/index.ts';
import { formatValues } from '../sim/index.ts';
import { MAX_IMPORTED_EVALUATIONS, checkImportedLimits, type ImportedSource } from './source.ts';
import { formatDuration, formatSeriesName } from '../text/index.ts';

/** Which kind of series file was read. */
export type SeriesFileFormat = 'openmetrics' | 'tsdb-dump';

/** A series file read for import. */
export type SeriesFileResult =
  | {
      ok: true;
      format: SeriesFileFormat;
      source: ImportedSource;
      seriesCount: number;
      sampleCount: number;
      /** What the reading changed or assumed (timestamps snapped, NaN read as staleness). */
      notes: string[];
    }
  | { ok: false; errors: string[] };

const sampleLine = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{|\s)/;
const familyLine = /^# (TYPE|HELP|UNIT|EOF)\b/;

/** Which series format the text is in, or null when it is none (a rule or test file). */
export function seriesFileFormat(text: string): SeriesFileFormat | null {
  for (const raw of text.split('\n', 50)) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^\{.*\}\s+\S+/.test(line)) return 'tsdb-dump';
    if (familyLine.test(line)) return 'openmetrics';
    // A YAML line such as `groups:` has no value after it, and `key: value` is no sample.
    const name = line.split('{')[0] ?? '';
    if (sampleLine.test(line) && /\S\s+\S/.test(line) && !name.includes(': ')) return 'openmetrics';
    return null;
  }
  return null;
}

interface Sample {
  readonly t: number;
  /** null: a staleness marker (a NaN in a tsdb dump). */
  readonly v: number | null;
  readonly line: number;
}

/**
 * Reads an OpenMetrics file or `promtool tsdb dump` output as an imported scenario, or returns
 * null when the text is neither.
 */
export function readSeriesFile(text: string, fileName = 'series.txt'): SeriesFileResult | null {
  const format = seriesFileFormat(text);
  if (format === null) return null;
  const errors: string[] = [];
  const fail = (line: number, col: number, message: string) => {
    if (errors.length < 20) errors.push(`${fileName}:${line}:${col}: ${message}`);
  };
  const series = new Map<string, { labels: Labels; samples: Sample[] }>();
  const descriptors = new Map<string, Labels | string>();
  let staleMarkers = 0;
  let eofLine = 0;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    if (eofLine > 0) {
      fail(n, 1, 'text after "# EOF": an OpenMetrics file ends there');
      return;
    }
    if (line.startsWith('#')) {
      if (format === 'openmetrics' && line.trim() === '# EOF') eofLine = n;
      // TYPE, HELP and UNIT describe families; the samples say everything imported here.
      return;
    }
    const split = splitDescriptor(line);
    if (typeof split === 'string') {
      fail(n, 1, split);
      return;
    }
    const { descriptor, rest, restAt } = split;
    let labels = descriptors.get(descriptor);
    if (labels === undefined) {
      labels = readDescriptor(descriptor);
      descriptors.set(descriptor, labels);
    }
    if (typeof labels === 'string') {
      fail(n, 1, labels);
      return;
    }
    // An OpenMetrics exemplar (` # {trace_id="…"} 1 …`) follows the sample; it is not a sample.
    const fields = (format === 'openmetrics' ? rest.split('#')[0]! : rest).trim().split(/\s+/);
    const col = (k: number) => restAt + rest.indexOf(fields[k] ?? '') + 1;
    const value = parseValue(fields[0] ?? '');
    if (value === undefined) {
      fail(n, col(0), `"${fields[0] ?? ''}" is not a sample value (a number, NaN, +Inf or -Inf)`);
      return;
    }
    if (fields.length < 2) {
      fail(
        n,
        line.length + 1,
        'the sample has no timestamp: imported samples need one, as promtool tsdb create-blocks-from openmetrics does',
      );
      return;
    }
    if (fields.length > 2) {
      fail(n, col(2), `unexpected "${fields[2]}" after the timestamp`);
      return;
    }
    const ts = fields[1]!;
    const t =
      format === 'openmetrics'
        ? /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(ts)
          ? Math.round(Number(ts) * 1000)
          : NaN
        : /^-?\d+$/.test(ts)
          ? Number(ts)
          : NaN;
    if (!Number.isSafeInteger(t)) {
      fail(
        n,
        col(1),
        format === 'openmetrics'
          ? `"${ts}" is not a timestamp in seconds (OpenMetrics), such as 1700000000 or 1700000000.5`
          : `"${ts}" is not a timestamp in milliseconds (promtool tsdb dump)`,
      );
      return;
    }
    const key = labelsKey(labels);
    let s = series.get(key);
    if (!s) series.set(key, (s = { labels, samples: [] }));
    const last = s.samples[s.samples.length - 1];
    if (last && t <= last.t) {
      fail(
        n,
        col(1),
        `${t === last.t ? 'a second sample' : 'a sample older than the one'} at line ${last.line} for this series: samples of a series must be in time order`,
      );
      return;
    }
    // promtool tsdb dump prints Prometheus's staleness markers (a NaN of their own) as NaN.
    const stale = format === 'tsdb-dump' && Number.isNaN(value);
    if (stale) staleMarkers++;
    s.samples.push({ t, v: stale ? null : value, line: n });
  });
  if (format === 'openmetrics' && eofLine === 0 && errors.length === 0)
    fail(
      lines.reduce((last, l, i) => (l.trim() === '' ? last : i + 1), 1),
      1,
      'the file does not end with "# EOF": OpenMetrics needs it (and its timestamps are in seconds, where the Prometheus text format has milliseconds)',
    );
  if (errors.length === 0 && series.size === 0) fail(1, 1, 'no samples in the file');
  if (errors.length > 0) return { ok: false, errors };
  return onGrid(format, fileName, [...series.values()], staleMarkers);
}

/** Splits `name{labels} rest` (or `{labels} rest`) at the end of the descriptor. */
function splitDescriptor(
  line: string,
): { descriptor: string; rest: string; restAt: number } | string {
  const brace = line.indexOf('{');
  const space = line.search(/\s/);
  if (brace < 0 || (space >= 0 && space < brace)) {
    if (space < 0) return 'a sample line is a series and a value';
    return { descriptor: line.slice(0, space), rest: line.slice(space), restAt: space };
  }
  let quoted = false;
  for (let i = brace + 1; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '}')
      return { descriptor: line.slice(0, i + 1), rest: line.slice(i + 1), restAt: i + 1 };
  }
  return 'the label set is not closed with "}"';
}

/** The labels of a descriptor, or why it is not one; read with the PromQL grammar. */
function readDescriptor(descriptor: string): Labels | string {
  const brace = descriptor.indexOf('{');
  const name = brace < 0 ? descriptor : descriptor.slice(0, brace);
  const inner = brace < 0 ? '' : descriptor.slice(brace + 1, -1);
  if (name !== '' && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name))
    return `"${name}" is not a metric name`;
  // As `{__name__="…", …}`, so that a metric named like a PromQL keyword (sum, offset) reads too.
  const text =
    name === '' ? `{${inner}}` : `{__name__="${name}"${inner.trim() ? `, ${inner}` : ''}}`;
  const r = parseSeriesDescriptor(text);
  if (!r.ok) return `the labels ${descriptor} do not read: ${r.error.message}`;
  if (!r.value.__name__) return `the series ${descriptor} has no metric name (__name__)`;
  return r.value;
}

function parseValue(text: string): number | undefined {
  if (/^[+-]?Inf$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^NaN$/i.test(text)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The finest grid Prometheus's scrapes could be on: at least a second. */
const MIN_INTERVAL = 1000;

/**
 * Places the samples on one grid from the first sample: the greatest common step of all
 * timestamps, or, where scrapes jitter by milliseconds, the usual step rounded to a second with
 * each sample moved to its nearest grid time.
 */
function onGrid(
  format: SeriesFileFormat,
  fileName: string,
  series: { labels: Labels; samples: Sample[] }[],
  staleMarkers: number,
): SeriesFileResult {
  const notes: string[] = [];
  const all = series.flatMap((s) => s.samples.map((x) => x.t));
  const start = Math.min(...all);
  const end = Math.max(...all);
  let interval = all.reduce((g, t) => gcd(g, t - start), 0);
  let maxShift = 0;
  if (interval === 0) interval = 60_000;
  else if (interval < MIN_INTERVAL) {
    const steps = series
      .flatMap((s) => s.samples.slice(1).map((x, i) => x.t - s.samples[i]!.t))
      .sort((a, b) => a - b);
    const usual = steps[Math.floor(steps.length / 2)] ?? MIN_INTERVAL;
    interval = Math.max(MIN_INTERVAL, Math.round(usual / 1000) * 1000);
  }
  const errors: string[] = [];
  const inputSeries = series.map((s) => {
    const tokens: (number | '_' | 'stale')[] = [];
    let lastSlot = -1;
    for (const x of s.samples) {
      const slot = Math.round((x.t - start) / interval);
      maxShift = Math.max(maxShift, Math.abs(start + slot * interval - x.t));
      if (slot <= lastSlot) {
        if (errors.length < 20)
          errors.push(
            `${fileName}:${x.line}:1: two samples of ${formatSeriesName(s.labels)} fall on one ${formatDuration(interval)} step of the grid; its timestamps are too irregular to import`,
          );
        continue;
      }
      while (tokens.length < slot) tokens.push('_');
      tokens.push(x.v === null ? 'stale' : x.v);
      lastSlot = slot;
    }
    return { series: formatSeriesName(s.labels), values: formatValues(tokens) };
  });
  if (errors.length > 0) return { ok: false, errors };
  if (maxShift > 0)
    notes.push(
      `The samples were moved to a ${formatDuration(interval)} grid (by at most ${maxShift} ms): scrapes jitter, and the playground reads series on one step.`,
    );
  const duration = end - start;
  let evaluationInterval = interval;
  if (duration / evaluationInterval > MAX_IMPORTED_EVALUATIONS) {
    evaluationInterval = Math.ceil(duration / MAX_IMPORTED_EVALUATIONS / interval) * interval;
    notes.push(
      `Rules are evaluated every ${formatDuration(evaluationInterval)} (not every ${formatDuration(interval)}) to keep to ${MAX_IMPORTED_EVALUATIONS} evaluations.`,
    );
  }
  if (staleMarkers > 0)
    notes.push(
      `${staleMarkers} NaN sample(s) were read as staleness markers, which is what promtool tsdb dump prints them as.`,
    );
  const limit = checkImportedLimits({ interval, evaluationInterval }, duration);
  if (limit) return { ok: false, errors: [`${fileName}: ${limit}`] };
  const source: ImportedSource = {
    kind: 'imported',
    fileName,
    group: format === 'openmetrics' ? 'OpenMetrics' : 'promtool tsdb dump',
    interval,
    evaluationInterval,
    ...(start !== 0 ? { start } : {}),
    series: inputSeries,
  };
  return {
    ok: true,
    format,
    source,
    seriesCount: series.length,
    sampleCount: all.length,
    notes,
  };
}
