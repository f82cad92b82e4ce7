// A recording as the playground opens it (src/lab's LoadedRecording): the series at their real
// times with the staleness markers Prometheus wrote put back, the ALERTS it wrote, and the
// comparison with the simulator.
import type { LoadedRecording } from '../lab/index.ts';
import type { Point } from '../promql/index.ts';
import type { Comparison } from './compare.ts';
import type { RecordedPoint } from './openMetrics.ts';
import type { Recording } from './recording.ts';

/**
 * A series' samples with staleness markers where Prometheus wrote them. A recording keeps what
 * the query API returns, which leaves staleness markers out; Prometheus writes one for every
 * series of a target at the first scrape that fails or no longer returns it, and when the target
 * leaves service discovery. So a gap of more than 1.5 scrape intervals, or an end before the
 * recording's, gets a marker one scrape interval after the last sample: without it the engine
 * would see an evicted member's `up` 1 for five more minutes of lookback.
 */
export function withStalenessMarkers(
  points: readonly RecordedPoint[],
  scrapeInterval: number,
  end: number,
): Point[] {
  const out: Point[] = [];
  points.forEach(([t, v], i) => {
    out.push([t, v]);
    const next = points[i + 1]?.[0] ?? end + scrapeInterval;
    if (next - t > 1.5 * scrapeInterval) out.push([t + scrapeInterval, null]);
  });
  return out;
}

/** The recording as the playground's recorded source loads it (times in Unix ms). */
export function toLoadedRecording(
  name: string,
  rec: Recording,
  comparison: Comparison,
): LoadedRecording {
  const { t0, scrapeInterval } = rec.meta;
  let end = -Infinity;
  for (const s of rec.series) end = Math.max(end, s.points[s.points.length - 1]?.[0] ?? end);
  const shift = (points: readonly (readonly [number, number | null])[]): Point[] =>
    points.map(([t, v]) => [t + t0, v]);
  return {
    name,
    series: rec.series.map((s) => ({
      labels: s.labels,
      points: shift(withStalenessMarkers(s.points, scrapeInterval, end)),
    })),
    alerts: rec.alerts.map((s) => ({ labels: s.labels, points: shift(s.points) })),
    checks: comparison.rows,
  };
}
