// Durations as Prometheus and Go write them: model.ParseDuration and model.Duration.String()
// (prometheus/common/model/time.go) in milliseconds, and time.Duration.String() (Go's time
// package) in nanoseconds.

const day = 24 * 3600_000;

// model.Duration's units, largest first; years and weeks are written only when they divide the
// duration exactly ("90d", not "12w6d"), as Duration.String() does.
const units: readonly (readonly [unit: string, ms: number, exact: boolean])[] = [
  ['y', 365 * day, true],
  ['w', 7 * day, true],
  ['d', day, false],
  ['h', 3600_000, false],
  ['m', 60_000, false],
  ['s', 1000, false],
  ['ms', 1, false],
];

const durationRe =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Parses a Prometheus duration ("1h30m", "120s", "0") to ms, as model.ParseDuration; null if invalid. */
export function parseDuration(text: string): number | null {
  if (text === '0') return 0;
  if (text === '') return null;
  const m = durationRe.exec(text);
  if (!m) return null;
  let total = 0;
  let any = false;
  for (let i = 0; i < units.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) {
      any = true;
      total += Number(part) * units[i]![1];
    }
  }
  // model.ParseDuration refuses what overflows an int64 of nanoseconds; the safe integers of
  // milliseconds are the tighter bound here.
  if (!any || !Number.isSafeInteger(total)) return null;
  return total;
}

/**
 * Formats ms as Prometheus prints a model.Duration ("1h30m", "90d", "0s"). A negative duration,
 * which model.Duration prints as "", is written with a leading "-" (the PromQL printer's offsets).
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return '-' + formatDuration(-ms);
  let rest = Math.trunc(ms);
  let out = '';
  for (const [unit, size, exact] of units) {
    if (exact && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Go's time.Duration.String() of a count of nanoseconds: "1h2m3.5s", "1.5ms", "0s". */
export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let s: string;
  if (u < 1_000_000_000n) {
    if (u < 1000n) return (neg ? '-' : '') + u.toString() + 'ns';
    s = u < 1_000_000n ? fraction(u, 1000n) + 'µs' : fraction(u, 1_000_000n) + 'ms';
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    s = fraction(u, 1_000_000_000n) + 's';
    if (h > 0n) s = `${h}h${m}m${s}`;
    else if (m > 0n) s = `${m}m${s}`;
  }
  return (neg ? '-' : '') + s;
}

/** time.Duration.String() of a whole number of milliseconds ("5m0s", "1.5s"). */
export function formatGoDurationMs(ms: number): string {
  return formatGoDuration(BigInt(Math.round(ms)) * 1_000_000n);
}

function fraction(u: bigint, div: bigint): string {
  const whole = u / div;
  const frac = u % div;
  if (frac === 0n) return whole.toString();
  const width = div.toString().length - 1;
  return `${whole}.${frac.toString().padStart(width, '0').replace(/0+$/, '')}`;
}
