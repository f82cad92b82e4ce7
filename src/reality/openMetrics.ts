// Reads the OpenMetrics text a recording keeps (as `promtool tsdb dump --format openmetrics`
// and the harness write it: one sample per line with its timestamp in seconds) into series.
// Mirrors the sample line grammar of prometheus/model/textparse/openmetricsparse.go; exemplars,
// created timestamps and units are not needed for recordings and are refused or ignored.
import { formatFloat, formatSeriesName } from '../text/index.ts';

/** One sample as stored: Unix milliseconds and value (no staleness markers in OpenMetrics). */
export type RecordedPoint = readonly [t: number, v: number];

/** A recorded series: its labels (metric name under `__name__`) and its samples in time order. */
export interface RecordedSeries {
  labels: Record<string, string>;
  points: RecordedPoint[];
}

/** A parse error with its 1-based line and column. */
export interface OpenMetricsError {
  line: number;
  column: number;
  message: string;
}

/** The series of an OpenMetrics text, or the first error. */
export type OpenMetricsResult =
  { ok: true; series: RecordedSeries[] } | { ok: false; error: OpenMetricsError };

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string): number | undefined {
  if (text === 'NaN') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** A series key that does not depend on label order. */
export function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

/** Parses OpenMetrics text; samples without a timestamp are refused (a recording needs them). */
export function parseOpenMetrics(text: string): OpenMetricsResult {
  const byKey = new Map<string, RecordedSeries>();
  // Most lines repeat a series: parse each distinct head (name and labels) once.
  const byHead = new Map<string, RecordedSeries>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' || line.startsWith('#')) continue;
    const tsAt = line.lastIndexOf(' ');
    const valueAt = line.lastIndexOf(' ', tsAt - 1);
    const known = valueAt > 0 ? byHead.get(line.slice(0, valueAt)) : undefined;
    if (known) {
      const v = parseValue(line.slice(valueAt + 1, tsAt));
      const ts = parseValue(line.slice(tsAt + 1));
      if (v !== undefined && ts !== undefined && Number.isFinite(ts)) {
        known.points.push([Math.round(ts * 1000), v]);
        continue;
      }
    }
    const fail = (column: number, message: string): OpenMetricsResult => ({
      ok: false,
      error: { line: i + 1, column: column + 1, message },
    });
    const name = NAME.exec(line)?.[0];
    if (name === undefined) return fail(0, 'expected a metric name');
    const labels: Record<string, string> = { __name__: name };
    let pos = name.length;
    if (line[pos] === '{') {
      pos++;
      while (line[pos] !== '}') {
        const label = LABEL.exec(line.slice(pos))?.[0];
        if (label === undefined) return fail(pos, 'expected a label name');
        pos += label.length;
        if (line[pos] !== '=' || line[pos + 1] !== '"') return fail(pos, 'expected ="');
        pos += 2;
        let value = '';
        while (pos < line.length && line[pos] !== '"') {
          if (line[pos] === '\\') {
            const next = line[pos + 1];
            value += next === 'n' ? '\n' : (next ?? '');
            pos += 2;
          } else value += line[pos++];
        }
        if (line[pos] !== '"') return fail(pos, 'unterminated label value');
        pos++;
        labels[label] = value;
        if (line[pos] === ',') pos++;
        else if (line[pos] !== '}') return fail(pos, 'expected , or }');
      }
      pos++;
    }
    const rest = line.slice(pos).trim().split(/\s+/);
    if (rest.length < 2) return fail(pos, 'a recording needs a value and a timestamp');
    const v = parseValue(rest[0]!);
    if (v === undefined) return fail(pos + 1, `invalid value "${rest[0]}"`);
    const ts = parseValue(rest[1]!);
    if (ts === undefined || !Number.isFinite(ts)) {
      return fail(pos + 1 + rest[0]!.length + 1, `invalid timestamp "${rest[1]}"`);
    }
    const key = seriesKey(labels);
    let series = byKey.get(key);
    if (!series) {
      series = { labels, points: [] };
      byKey.set(key, series);
    }
    if (valueAt > 0) byHead.set(line.slice(0, valueAt), series);
    series.points.push([Math.round(ts * 1000), v]);
  }
  const series = [...byKey.values()];
  for (const s of series) s.points.sort((a, b) => a[0] - b[0]);
  return { ok: true, series };
}

/** Writes series as OpenMetrics text (timestamps in seconds, ms precision), ending with # EOF. */
export function formatRecordedSeries(series: readonly RecordedSeries[]): string {
  const out: string[] = [];
  const sorted = [...series].sort((a, b) => seriesKey(a.labels).localeCompare(seriesKey(b.labels)));
  for (const s of sorted) {
    const sorted = Object.fromEntries(
      Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    const head = formatSeriesName(sorted, ',');
    for (const [t, v] of s.points) out.push(`${head} ${formatFloat(v)} ${(t / 1000).toFixed(3)}`);
  }
  out.push('# EOF', '');
  return out.join('\n');
}
