// Times as Prometheus's HTTP API takes them (api/v1's parseTime: Unix seconds with a fraction, or
// RFC 3339), and relative to now as promtool and the UI write them ("now", "now-2h").
import { parseDuration } from './duration.ts';

/** Unix seconds ("1700000000.5") or RFC 3339 ("2026-12-05T01:00:00Z") to ms; null if neither. */
export function parseTime(text: string): number | null {
  const s = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** A time as parseTime reads it, or `now`, `now-<duration>`, `now+<duration>`; ms, or null. */
export function parseTimeInput(text: string, now: number): number | null {
  const rel = /^now(?:([-+])(.+))?$/.exec(text.trim());
  if (!rel) return parseTime(text);
  if (!rel[1]) return now;
  const d = parseDuration(rel[2] ?? '');
  if (d === null) return null;
  return rel[1] === '-' ? now - d : now + d;
}
