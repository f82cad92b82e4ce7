// Prometheus-style duration strings ("30s", "1h30m", "250ms") to and from milliseconds,
// following model.ParseDuration's unit set and order.

const UNITS: readonly (readonly [string, number])[] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION_RE =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Parses a duration string such as "10m" or "1h30m" into milliseconds; undefined if invalid. */
export function parseDuration(text: string): number | undefined {
  if (text === '' || text === '0') return text === '0' ? 0 : undefined;
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  let total = 0;
  UNITS.forEach(([, ms], i) => {
    const part = m[i + 1];
    if (part !== undefined) total += Number(part) * ms;
  });
  return total;
}

/** Formats milliseconds as the shortest Prometheus duration string ("0s" for zero). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    // Years and weeks read badly in scenarios; start at days.
    if (unit === 'y' || unit === 'w') continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
