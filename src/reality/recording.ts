// A recording of a real cluster: what Prometheus stored (OpenMetrics), the ALERTS it wrote, and
// the harness's own log (event times, elections from etcd's log, the rule files), read into one
// value with every time in ms from the scenario's start.
import { validateScenario, type Scenario } from '../sim/index.ts';
import { parseOpenMetrics, type RecordedSeries } from './openMetrics.ts';

/** The harness's record of a run (meta.json beside the series). Times: ms from `t0`. */
export interface RecordingMeta {
  /** Unix ms of the scenario's t = 0. */
  t0: number;
  /** The scenario played, in its JSON form. */
  scenario: unknown;
  /** Versions of the real programs, e.g. "3.4.23" and "2.42.0". */
  etcd: string;
  prometheus: string;
  /** Scrape targets, in member order (member 1 first). */
  instances: string[];
  /** etcd member ids (16 hex digits), in member order. */
  ids: string[];
  /** What the harness did, each stamped right after it was done. */
  actions: { t: number; what: string; member?: number }[];
  /** Leaders elected, from etcd's own log: the time, the new leader (1-based), its term. */
  elections: { t: number; member: number; term?: number }[];
  /** The rule files Prometheus evaluated. */
  rules: { name: string; text: string }[];
  /** Prometheus's scrape and evaluation intervals (ms). */
  scrapeInterval: number;
  evaluationInterval: number;
}

/** A recording ready to compare: series and ALERTS with times in ms from the start. */
export interface Recording {
  meta: RecordingMeta;
  scenario: Scenario;
  /** Every recorded series except ALERTS and ALERTS_FOR_STATE. */
  series: RecordedSeries[];
  /** Prometheus's ALERTS series. */
  alerts: RecordedSeries[];
}

/** The outcome of reading a recording. */
export type RecordingResult = { ok: true; value: Recording } | { ok: false; error: string };

/** Reads a recording from its meta and OpenMetrics texts (series, and alerts if kept apart). */
export function readRecording(
  meta: RecordingMeta,
  seriesText: string,
  alertsText = '',
): RecordingResult {
  const checked = validateScenario(meta.scenario);
  if (!checked.ok) {
    return {
      ok: false,
      error: `meta.json: scenario: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    };
  }
  const series: RecordedSeries[] = [];
  const alerts: RecordedSeries[] = [];
  for (const [file, text] of [
    ['series', seriesText],
    ['alerts', alertsText],
  ] as const) {
    const parsed = parseOpenMetrics(text);
    if (!parsed.ok) {
      const e = parsed.error;
      return { ok: false, error: `${file}:${e.line}:${e.column}: ${e.message}` };
    }
    for (const s of parsed.series) {
      const shifted = {
        labels: s.labels,
        points: s.points.map(([t, v]) => [t - meta.t0, v] as const),
      };
      const name = s.labels.__name__;
      if (name === 'ALERTS') alerts.push(shifted);
      else if (name !== 'ALERTS_FOR_STATE') series.push(shifted);
    }
  }
  return { ok: true, value: { meta, scenario: checked.value, series, alerts } };
}
