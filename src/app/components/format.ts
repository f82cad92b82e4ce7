// Formatting for axes, tooltips and labels, on top of the Go text formats of src/text.
import {
  formatDuration,
  formatFloatPlain,
  formatGoFloat,
  formatLabelsGo,
} from '../../text/index.ts';

/** An offset from the scenario start as Prometheus writes durations: "0s", "10m", "1h5m". */
export function formatOffset(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return formatDuration(Math.round(ms / 1000) * 1000);
}

/** A count and its noun, singular for one: "1 member", "3 members", "0 samples". */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A sample value, short enough for an axis and exact enough for a tooltip: Go's %.6g, whole counts in full. */
export function formatValue(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return formatFloatPlain(v);
  return formatGoFloat(v, 'g', 6);
}

/** A label set without the metric name, as Prometheus prints it: {a="1", b="2"}. */
export function formatLabelsShort(
  labels: Readonly<Record<string, string>>,
  omit: string[] = [],
): string {
  const shown = Object.fromEntries(
    Object.entries(labels).filter(([k]) => k !== '__name__' && !omit.includes(k)),
  );
  return formatLabelsGo(shown);
}

/** The stretches in which a rule was pending or firing, as the rule panel writes them. */
export function summarizeSpans(
  spans: readonly { from: number; to: number; state: string }[],
): string {
  const active = spans.filter((s) => s.state !== 'inactive');
  return active.length === 0
    ? 'Never pending or firing in this scenario.'
    : active.map((s) => `${s.state} ${formatOffset(s.from)}–${formatOffset(s.to)}`).join(', ');
}

const tickSteps = [
  15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
  10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/**
 * Time axis ticks at round offsets (every 15m, 1h, …), at most `max` of them: an imported test's
 * odd length would otherwise put ticks at 15m50s and 31m40s.
 */
export function timeTicks(end: number, max = 6): number[] {
  if (!(end > 0)) return [0];
  const step = tickSteps.find((s) => end / s <= max - 1) ?? Math.ceil(end / (max - 1));
  const ticks: number[] = [];
  for (let t = 0; t <= end; t += step) ticks.push(t);
  return ticks;
}
