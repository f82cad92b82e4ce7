// A recording of a real cluster: what Prometheus stored (OpenMetrics), the ALERTS it wrote, and
// the harness's own log (event times, elections from etcd's log, the rule files), read into one
// value with every time in ms from the scenario's start.
import type { RecordingMeta } from '../lab/index.ts';
import { validateScenario, type Scenario } from '../sim/index.ts';
import { parseOpenMetrics, type RecordedSeries } from './openMetrics.ts';

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
