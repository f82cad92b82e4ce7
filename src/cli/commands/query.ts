// `quorumlab query`: evaluates a PromQL expression over series given in promtool's input_series
// notation and prints the result as Prometheus's HTTP API `data` object or as a table.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { Command } from '../command.ts';
import { quoteInput } from '../../sim/index.ts';
import {
  SeriesStore,
  evalInstant,
  evalRange,
  parseSeriesDescriptor,
  parseSeriesValues,
  type Labels,
  type Result,
  type Value,
  type CheckedNames,
} from '../../promql/index.ts';
import {
  formatFloat,
  formatFloatPlain,
  formatLabels,
  parseDuration,
  parseTime,
} from '../../text/index.ts';

const usage = `Usage: quorumlab query --series FILE --expr EXPR (--time T | --start T --end T --step D)
                       [--compat v2|v3] [--format json|table]

FILE is YAML with 'interval' (default 1m) and 'input_series' (series, values) in promtool's
notation. Times are durations from zero ("10m"), Unix seconds or RFC 3339.`;

/** The HTTP API's cap on a range query's points per series. */
const MAX_POINTS_PER_SERIES = 11_000;

/** A Prometheus server's default query limits: --query.timeout=2m, --query.max-samples=50e6. */
const serverLimits = { timeBudgetMs: 120_000, now: () => Date.now(), maxSamples: 50e6 };

/** Parses a time argument to ms: a duration from zero, Unix seconds, or RFC 3339. */
export function parseTimeArg(text: string): number | null {
  return parseDuration(text) ?? parseTime(text);
}

function apiTime(ms: number): number {
  return ms / 1000;
}

function metric(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k]!;
  return out;
}

/** The HTTP API's `data` object for a result. */
export function toApiData(v: Value): unknown {
  switch (v.type) {
    case 'scalar':
      return { resultType: 'scalar', result: [apiTime(v.t), formatFloatPlain(v.v)] };
    case 'string':
      return { resultType: 'string', result: [apiTime(v.t), v.v] };
    case 'vector':
      return {
        resultType: 'vector',
        result: v.samples.map((s) => ({
          metric: metric(s.labels),
          value: [apiTime(s.t), formatFloatPlain(s.v)],
        })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: v.series.map((s) => ({
          metric: metric(s.labels),
          values: s.points.map((p) => [apiTime(p.t), formatFloatPlain(p.v)]),
        })),
      };
    default: {
      const never: never = v;
      return never;
    }
  }
}

function formatTable(v: Value): string {
  switch (v.type) {
    case 'scalar':
      return `scalar ${formatFloat(v.v)} @ ${v.t / 1000}`;
    case 'string':
      return `string ${JSON.stringify(v.v)} @ ${v.t / 1000}`;
    case 'vector':
      return v.samples.length === 0
        ? '(empty vector)'
        : v.samples.map((s) => `${formatLabels(s.labels)} ${formatFloat(s.v)}`).join('\n');
    case 'matrix':
      return v.series.length === 0
        ? '(empty matrix)'
        : v.series
            .map(
              (s) =>
                `${formatLabels(s.labels)}\n` +
                s.points.map((p) => `  ${p.t / 1000}\t${formatFloat(p.v)}`).join('\n'),
            )
            .join('\n');
    default: {
      const never: never = v;
      return never;
    }
  }
}

interface SeriesFile {
  interval?: unknown;
  input_series?: unknown;
}

/** Loads the YAML series file into a store. */
export function loadSeriesFile(text: string): Result<SeriesStore> {
  const doc = (parseYaml(text) ?? {}) as SeriesFile;
  const intervalText = doc.interval === undefined ? '1m' : String(doc.interval);
  const interval = parseDuration(intervalText);
  const fail = (message: string): Result<SeriesStore> => ({
    ok: false,
    error: { from: 0, to: 0, message },
  });
  if (interval === null || interval <= 0)
    return fail(`invalid interval ${quoteInput(intervalText)}`);
  if (!Array.isArray(doc.input_series)) return fail('input_series must be a list');
  const store = new SeriesStore();
  const names: CheckedNames = new Map();
  for (const [i, item] of doc.input_series.entries()) {
    const entry = (item ?? {}) as { series?: unknown; values?: unknown };
    const labels = parseSeriesDescriptor(String(entry.series ?? ''), names);
    if (!labels.ok) return fail(`input_series[${i}].series: ${labels.error.message}`);
    const points = parseSeriesValues(String(entry.values ?? ''), interval);
    if (!points.ok) return fail(`input_series[${i}].values: ${points.error.message}`);
    store.addSeries(labels.value, points.value);
  }
  return { ok: true, value: store, warnings: [] };
}

function showError(expr: string, err: { from: number; to: number; message: string }): string {
  const width = Math.max(1, err.to - err.from);
  return `${err.message}\n  ${expr}\n  ${' '.repeat(err.from)}${'^'.repeat(width)}`;
}

export const queryCommand: Command = {
  name: 'query',
  summary: 'evaluate a PromQL expression over series in promtool notation',
  run(args) {
    const { values } = parseArgs({
      args,
      options: {
        series: { type: 'string' },
        expr: { type: 'string' },
        time: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        step: { type: 'string' },
        compat: { type: 'string', default: 'v3' },
        format: { type: 'string', default: 'json' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const out = (s: string) => process.stdout.write(s + '\n');
    const err = (s: string) => process.stderr.write(`quorumlab query: ${s}\n`);
    if (values.help) {
      out(usage);
      return Promise.resolve(0);
    }
    if (!values.series || values.expr === undefined) {
      err('--series and --expr are required');
      process.stderr.write(usage + '\n');
      return Promise.resolve(2);
    }
    const compat = values.compat;
    if (compat !== 'v2' && compat !== 'v3') {
      err('--compat must be v2 or v3');
      return Promise.resolve(2);
    }
    const format = values.format;
    if (format !== 'json' && format !== 'table') {
      err('--format must be json or table');
      return Promise.resolve(2);
    }
    const loaded = loadSeriesFile(readFileSync(values.series, 'utf8'));
    if (!loaded.ok) {
      err(`${values.series}: ${loaded.error.message}`);
      return Promise.resolve(2);
    }
    const expr = values.expr;
    let result: Result<Value>;
    if (values.time !== undefined) {
      const t = parseTimeArg(values.time);
      if (t === null) {
        err(`invalid --time ${quoteInput(values.time)}`);
        return Promise.resolve(2);
      }
      result = evalInstant(expr, loaded.value, t, { compat, ...serverLimits });
    } else if (
      values.start !== undefined &&
      values.end !== undefined &&
      values.step !== undefined
    ) {
      const start = parseTimeArg(values.start);
      const end = parseTimeArg(values.end);
      const step = parseDuration(values.step) ?? parseTimeArg(values.step);
      if (start === null || end === null || step === null) {
        err('invalid --start, --end or --step');
        return Promise.resolve(2);
      }
      // The HTTP API's limits (web/api/v1/api.go queryRange), checked before its resolution cap.
      if (end < start) {
        err('end timestamp must not be before start time');
        return Promise.resolve(1);
      }
      if (!(step > 0)) {
        err(
          'zero or negative query resolution step widths are not accepted. Try a positive integer',
        );
        return Promise.resolve(1);
      }
      if (Math.floor((end - start) / step) > MAX_POINTS_PER_SERIES) {
        err(
          'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        );
        return Promise.resolve(1);
      }
      result = evalRange(expr, loaded.value, start, end, step, { compat, ...serverLimits });
    } else {
      err('give --time, or --start, --end and --step');
      return Promise.resolve(2);
    }
    if (!result.ok) {
      process.stderr.write(showError(expr, result.error) + '\n');
      return Promise.resolve(1);
    }
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    out(format === 'json' ? JSON.stringify(toApiData(result.value)) : formatTable(result.value));
    return Promise.resolve(0);
  },
};
