// The alert intervals as text and as JSON, for the command line and the UI's copy button.
import type { AlertInterval } from './replay.ts';
import { labelText } from './replay.ts';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** One line per interval: `alertname{labels} state from → to`, times in RFC 3339 (UTC). */
export function formatIntervals(intervals: readonly AlertInterval[]): string {
  if (intervals.length === 0) return '(no alerts)\n';
  return (
    intervals
      .map((i) => {
        const labels = { ...i.labels };
        delete labels['alertname'];
        const to = i.to === null ? '(still at end)' : iso(i.to);
        return `${i.alertname}${labelText(labels)} ${i.state.padEnd(7)} ${iso(i.from)} → ${to}`;
      })
      .join('\n') + '\n'
  );
}

/** The intervals as plain JSON objects, times in Unix seconds and RFC 3339. */
export function intervalsJson(intervals: readonly AlertInterval[]): unknown[] {
  return intervals.map((i) => ({
    alertname: i.alertname,
    labels: i.labels,
    state: i.state,
    from: i.from / 1000,
    to: i.to === null ? null : i.to / 1000,
    fromTime: iso(i.from),
    toTime: i.to === null ? null : iso(i.to),
  }));
}
