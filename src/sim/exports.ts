// Exports of a simulation: promtool's input_series (cmd/promtool/unittest.go), a promqltest
// `load` block (promql/promqltest), and OpenMetrics text for
// `promtool tsdb create-blocks-from openmetrics` (model/textparse/openmetricsparse.go).
import { FAMILIES, familyOf } from './catalog.ts';
import { sampleColumns, scrapeTokens } from './columns.ts';
import { formatDuration, formatFloat, formatFloatPlain, formatSeriesName } from '../text/index.ts';
import type { SimSeries, Simulation } from './types.ts';

type Token = number | '_' | 'stale';

/** One token per scrape time: a value, a missing scrape, or a staleness marker. */
function tokens(series: SimSeries, sim: Simulation): Token[] {
  const own = scrapeTokens(series);
  if (own) return own;
  const out: Token[] = [];
  const interval = sim.scenario.scrapeInterval;
  let i = 0;
  for (const [t, v] of series.points) {
    const k = Math.round(t / interval);
    while (i < k) {
      out.push('_');
      i++;
    }
    out.push(v === null ? 'stale' : v);
    i++;
  }
  return out;
}

/**
 * A value in promtool's series notation, read by people editing tests: without an exponent from
 * 0.0001 up (whole numbers in full, for `a+bxn`), else as Go's %g.
 */
function formatNumber(v: number): string {
  if (v === Infinity) return 'Inf';
  const abs = Math.abs(v);
  return v === 0 || (abs >= 1e-4 && abs < 1e21) ? formatFloatPlain(v) : formatFloat(v);
}

/**
 * Compacts values into promtool's notation: `a+bxn` is n+1 values starting at a, `_xn` is n
 * missing scrapes. Steps are only used where every value and the step are integers, so that
 * the expansion reproduces the values exactly.
 */
export function formatValues(values: readonly Token[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    const v = values[i]!;
    if (v === '_') {
      let j = i;
      while (j + 1 < values.length && values[j + 1] === '_') j++;
      const n = j - i + 1;
      out.push(n === 1 ? '_' : `_x${n}`);
      i = j + 1;
      continue;
    }
    if (v === 'stale') {
      out.push('stale');
      i++;
      continue;
    }
    const next = values[i + 1];
    if (typeof next === 'number') {
      const step = next - v;
      const exact = Number.isSafeInteger(v) && Number.isSafeInteger(next);
      if (step === 0 || exact) {
        let j = i + 1;
        while (j + 1 < values.length) {
          const w = values[j + 1];
          if (typeof w !== 'number' || w - (values[j] as number) !== step) break;
          if (step !== 0 && !Number.isSafeInteger(w)) break;
          j++;
        }
        const n = j - i;
        if (step === 0 && n >= 1) {
          out.push(`${formatNumber(v)}x${n}`);
          i = j + 1;
          continue;
        }
        if (n >= 2) {
          const sign = step < 0 ? '-' : '+';
          out.push(`${formatNumber(v)}${sign}${Math.abs(step)}x${n}`);
          i = j + 1;
          continue;
        }
      }
    }
    out.push(formatNumber(v));
    i++;
  }
  return out.join(' ');
}

/** The series as promtool's `input_series:` YAML block (interval = the scrape interval, from 0). */
export function formatPromtoolSeries(sim: Simulation): string {
  const lines = ['input_series:'];
  for (const series of sim.series) {
    const name = formatSeriesName(series.labels).replace(/'/g, "''");
    lines.push(`  - series: '${name}'`);
    lines.push(`    values: '${formatValues(tokens(series, sim))}'`);
  }
  return lines.join('\n') + '\n';
}

/** The series as a promqltest `load <scrape interval>` block. */
export function formatPromqltestLoad(sim: Simulation): string {
  const lines = [`load ${formatDuration(sim.scenario.scrapeInterval)}`];
  for (const series of sim.series) {
    lines.push(`  ${formatSeriesName(series.labels, ',')} ${formatValues(tokens(series, sim))}`);
  }
  return lines.join('\n') + '\n';
}

/** Options for formatOpenMetrics. */
export interface OpenMetricsOptions {
  /** Added to every timestamp (ms), e.g. to place the blocks at a recent date. Default 0. */
  offsetMs?: number;
}

/**
 * The samples as OpenMetrics text, grouped by metric family, each series in time order.
 * DIVERGENCE: OpenMetrics text cannot carry Prometheus's staleness markers (a NaN with a
 * special bit pattern), so they are left out; backfilled blocks lack them.
 */
export function formatOpenMetrics(sim: Simulation, options: OpenMetricsOptions = {}): string {
  return [...openMetricsChunks(sim, options)].join('');
}

/**
 * The same text as formatOpenMetrics in pieces (one per family header or series), for output
 * too large for one string (a day of a 5-member cluster is several hundred MB).
 */
export function* openMetricsChunks(
  sim: Simulation,
  options: OpenMetricsOptions = {},
): Generator<string, void, undefined> {
  const offset = options.offsetMs ?? 0;
  const byFamily = new Map<string, SimSeries[]>();
  for (const series of sim.series) {
    const family = familyOf(series.labels.__name__ ?? '');
    let list = byFamily.get(family);
    if (!list) byFamily.set(family, (list = []));
    list.push(series);
  }
  for (const family of [...byFamily.keys()].sort()) {
    const meta = FAMILIES[family];
    // OpenMetrics names a counter family without its _total suffix.
    const familyName = meta?.type === 'counter' ? family.replace(/_total$/, '') : family;
    yield (
      `# TYPE ${familyName} ${meta?.type ?? 'unknown'}\n` +
      (meta ? `# HELP ${familyName} ${meta.help}\n` : '')
    );
    for (const series of byFamily.get(family)!) {
      const name = formatSeriesName(series.labels, ',');
      const lines: string[] = [];
      const { ts, vs, stale } = sampleColumns(series);
      for (let i = 0; i < ts.length; i++) {
        if (stale?.[i]) continue;
        lines.push(`${name} ${formatFloat(vs[i]!)} ${formatTimestamp(ts[i]! + offset)}\n`);
      }
      yield lines.join('');
    }
  }
  yield '# EOF\n';
}

function formatTimestamp(ms: number): string {
  const sec = Math.floor(ms / 1000);
  const rest = ms - sec * 1000;
  return rest === 0 ? String(sec) : `${sec}.${String(rest).padStart(3, '0').replace(/0+$/, '')}`;
}
