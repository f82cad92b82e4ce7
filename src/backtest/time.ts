// Times as the user writes them for a backtest, on the page and on the command line: RFC 3339,
// Unix seconds, `now` or `now-<duration>`. `now` is passed in: the pure code has no clock.
import { parseDuration } from '../promql/index.ts';

/** A time input: RFC 3339, Unix seconds, `now` or `now±<duration>`; ms, or null. */
export function parseTimeInput(text: string, now: number): number | null {
  const s = text.trim();
  const rel = /^now(?:([-+])(.+))?$/.exec(s);
  if (rel) {
    if (!rel[1]) return now;
    const d = parseDuration(rel[2] ?? '');
    if (d === null) return null;
    return rel[1] === '-' ? now - d : now + d;
  }
  if (/^-?\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
