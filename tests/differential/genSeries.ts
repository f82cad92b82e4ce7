// Random input series for the differential tests: counters with resets, gauges with NaN, up
// series and classic histogram buckets, with missing scrapes (`_`), staleness markers (`stale`),
// late starts and early ends, on one scrape interval per scenario (promtool's `load <interval>`).

import type { Rng } from './rng.ts';

/** One sample token in promtool's series notation: a float literal, `_` (no scrape) or `stale`. */
export type ValueToken = string;

/** A generated input series: its labels (metric name under `__name__`) and one token per step. */
export interface GeneratedSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly values: readonly ValueToken[];
}

/** A metric family the expression generator may select from. */
export interface Family {
  readonly name: string;
  readonly kind: 'counter' | 'gauge' | 'up' | 'bucket';
  /** Label names other than `__name__`, with every value used by some series. */
  readonly labels: Readonly<Record<string, readonly string[]>>;
}

/** A set of series on one scrape interval, from time 0 to `endMs` (a whole number of minutes). */
export interface Scenario {
  readonly intervalMs: number;
  readonly endMs: number;
  readonly series: readonly GeneratedSeries[];
  readonly families: readonly Family[];
}

/** One ingested sample, the shape of the engine's `Point`: `null` is a staleness marker. */
export type SamplePoint = readonly [t: number, v: number | null];

// Scrape intervals, several of which do not divide a minute so that samples and evaluation
// times rarely line up.
const INTERVALS_MS = [5_000, 7_000, 10_000, 13_000, 15_000, 30_000, 60_000];
const JOBS = ['api', 'db'];
const INSTANCES = ['host-1:9100', 'host-2:9100', 'host-3:9100'];
const CODES = ['200', '500'];
const BUCKETS = ['0.1', '0.5', '1', '+Inf'];

/** Renders a number as a float literal that Go's ParseFloat and JS's Number read identically. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Reads a value token back; `undefined` for a missing scrape, `null` for a staleness marker. */
export function parseValueToken(token: ValueToken): number | null | undefined {
  if (token === '_') return undefined;
  if (token === 'stale') return null;
  if (token === 'Inf' || token === '+Inf') return Infinity;
  if (token === '-Inf') return -Infinity;
  return Number(token);
}

/** The series' samples at `i * intervalMs`, keeping only those at or before `cutoffMs`. */
export function seriesPoints(
  series: GeneratedSeries,
  intervalMs: number,
  cutoffMs = Infinity,
): SamplePoint[] {
  // A plain loop: the benchmark reads 2.7M tokens through here into the engine's store.
  const points: SamplePoint[] = [];
  const values = series.values;
  for (let i = 0; i < values.length; i++) {
    const t = i * intervalMs;
    if (t > cutoffMs) break;
    const v = parseValueToken(values[i]!);
    if (v !== undefined) points.push([t, v]);
  }
  return points;
}

/** The series' samples as SeriesStore.addColumns takes them (times, values, stale flags). */
export function seriesColumns(
  series: GeneratedSeries,
  intervalMs: number,
): { ts: Float64Array; vs: Float64Array; stale: Uint8Array } {
  const values = series.values;
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== '_') n++;
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  const stale = new Uint8Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) {
    const v = parseValueToken(values[i]!);
    if (v === undefined) continue;
    ts[j] = i * intervalMs;
    if (v === null) stale[j] = 1;
    else vs[j] = v;
    j++;
  }
  return { ts, vs, stale };
}

/** The series in promtool's notation, e.g. `foo{a="1"}`. */
export function formatSeriesSelector(labels: Readonly<Record<string, string>>): string {
  const name = labels['__name__'] ?? '';
  const rest = Object.entries(labels)
    .filter(([k]) => k !== '__name__')
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name}{${rest.join(', ')}}`;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

// Where a series exists: a late start, an early end (by stopping or by a staleness marker),
// scattered missing scrapes and occasional staleness markers in the middle.
function presenceMask(rng: Rng, steps: number): ('sample' | '_' | 'stale')[] {
  const start = rng.chance(0.2) ? rng.int(1, Math.floor(steps / 3)) : 0;
  const end = rng.chance(0.2) ? rng.int(Math.floor((2 * steps) / 3), steps - 1) : steps;
  const endsStale = end < steps && rng.chance(0.5);
  const gapRate = rng.pick([0, 0.05, 0.15]);
  const staleRate = rng.pick([0, 0.01, 0.03]);
  const mask: ('sample' | '_' | 'stale')[] = [];
  for (let i = 0; i < steps; i++) {
    if (i < start || i > end) mask.push('_');
    else if (i === end) mask.push(endsStale ? 'stale' : '_');
    else if (rng.chance(staleRate)) mask.push('stale');
    else if (rng.chance(gapRate)) mask.push('_');
    else mask.push('sample');
  }
  return mask;
}

function applyMask(mask: readonly ('sample' | '_' | 'stale')[], values: number[]): ValueToken[] {
  return mask.map((m, i) => (m === 'sample' ? formatValue(values[i] ?? 0) : m));
}

function counterValues(rng: Rng, steps: number): number[] {
  const values: number[] = [];
  let v = rng.chance(0.3) ? 0 : round3(rng.next() * 100);
  const step = rng.pick([0.5, 1, 3, 10]);
  for (let i = 0; i < steps; i++) {
    if (i > 0 && rng.chance(0.03)) v = round3(rng.next() * 5);
    else if (i > 0) v = round3(v + (rng.chance(0.2) ? 0 : rng.next() * step));
    values.push(v);
  }
  return values;
}

function gaugeValues(rng: Rng, steps: number): number[] {
  const values: number[] = [];
  let v = round3((rng.next() - 0.3) * 50);
  for (let i = 0; i < steps; i++) {
    v = round3(v + (rng.next() - 0.5) * 4);
    if (rng.chance(0.01)) values.push(NaN);
    else if (rng.chance(0.003)) values.push(rng.chance(0.5) ? Infinity : -Infinity);
    else values.push(v);
  }
  return values;
}

function upValues(rng: Rng, steps: number): number[] {
  const values: number[] = [];
  let up = rng.chance(0.8) ? 1 : 0;
  for (let i = 0; i < steps; i++) {
    if (rng.chance(0.05)) up = 1 - up;
    values.push(up);
  }
  return values;
}

/** Generates a scenario: a few families over a few jobs and instances, 10 to 20 minutes long. */
export function generateScenario(rng: Rng): Scenario {
  const intervalMs = rng.pick(INTERVALS_MS);
  const endMs = rng.int(10, 20) * 60_000;
  const steps = Math.floor(endMs / intervalMs) + 1;
  const jobs = rng.chance(0.5) ? JOBS : JOBS.slice(0, 1);
  const instances = INSTANCES.slice(0, rng.int(1, 3));
  const targets = jobs.flatMap((job) => instances.map((instance) => ({ job, instance })));
  const series: GeneratedSeries[] = [];

  const codes = rng.chance(0.6) ? CODES : CODES.slice(0, 1);
  for (const target of targets) {
    for (const code of codes) {
      if (series.length > 0 && rng.chance(0.15)) continue;
      const labels = { __name__: 'http_requests_total', ...target, code };
      series.push({
        labels,
        values: applyMask(presenceMask(rng, steps), counterValues(rng, steps)),
      });
    }
    const temp = { __name__: 'node_temperature_celsius', ...target };
    series.push({
      labels: temp,
      values: applyMask(presenceMask(rng, steps), gaugeValues(rng, steps)),
    });
    const up = { __name__: 'up', ...target };
    series.push({ labels: up, values: applyMask(presenceMask(rng, steps), upValues(rng, steps)) });
  }

  // Histogram buckets share one presence mask per target (they are scraped together) and stay
  // cumulative: each bucket's counter is the one below it plus its own increments.
  const bucketTargets = targets.filter(() => rng.chance(0.6)).slice(0, 2);
  for (const target of bucketTargets) {
    const mask = presenceMask(rng, steps);
    let below = new Array<number>(steps).fill(0);
    for (const le of BUCKETS) {
      const own = counterValues(rng, steps).map((v) => Math.max(0, v));
      const cumulative = own.map((v, i) => round3(v + (below[i] ?? 0)));
      const labels = { __name__: 'request_duration_seconds_bucket', ...target, le };
      series.push({ labels, values: applyMask(mask, cumulative) });
      below = cumulative;
    }
  }

  return { intervalMs, endMs, series, families: familiesOf(series) };
}

function familiesOf(series: readonly GeneratedSeries[]): Family[] {
  const byName = new Map<string, Map<string, Set<string>>>();
  for (const s of series) {
    const name = s.labels['__name__'] ?? '';
    const labels = byName.get(name) ?? new Map<string, Set<string>>();
    byName.set(name, labels);
    for (const [k, v] of Object.entries(s.labels)) {
      if (k === '__name__') continue;
      const values = labels.get(k) ?? new Set<string>();
      values.add(v);
      labels.set(k, values);
    }
  }
  return [...byName].map(([name, labels]) => ({
    name,
    kind: kindOf(name),
    labels: Object.fromEntries([...labels].map(([k, vs]) => [k, [...vs].sort()])),
  }));
}

function kindOf(name: string): Family['kind'] {
  if (name.endsWith('_bucket')) return 'bucket';
  if (name.endsWith('_total')) return 'counter';
  if (name === 'up') return 'up';
  return 'gauge';
}
