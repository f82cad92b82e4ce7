// A fast path for promtool's input series values (`0+10x5 _ stale 3x2`): the common tokens
// (decimal numbers, `axn`, `a+bxn`, `a-bxn`, `_`, `_xn`, `stale`) scanned by hand, since a large
// test file holds millions of them. Anything else returns null and the caller takes the full
// parser (src/promql's parseSeriesValues), which also positions the errors.
import type { Point } from '../promql/index.ts';

const decimal = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const unsignedDecimal = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** The same limit as parseSeriesValues ("too many values"). */
const MAX_REPEAT = 1e7;

/** Parses simple values notation into points; null when a token needs the full parser. */
export function parseSimpleSeriesValues(
  text: string,
  intervalMs: number,
  startMs: number,
): Point[] | null {
  const points: Point[] = [];
  let slot = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const from = i;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) break;
      i++;
    }
    const tok = text.slice(from, i);
    if (tok === 'stale') {
      points.push([startMs + slot * intervalMs, null]);
      slot++;
      continue;
    }
    const x = tok.indexOf('x');
    if (tok.charCodeAt(0) === 95 /* _ */) {
      if (tok === '_') slot++;
      else if (x === 1 && /^_x\d+$/.test(tok)) slot += Number(tok.slice(2));
      else return null;
      continue;
    }
    if (x < 0) {
      if (!decimal.test(tok)) return null;
      points.push([startMs + slot * intervalMs, Number(tok)]);
      slot++;
      continue;
    }
    const timesText = tok.slice(x + 1);
    if (!/^\d+$/.test(timesText)) return null;
    const times = Number(timesText);
    if (times > MAX_REPEAT) return null;
    const head = tok.slice(0, x);
    // `a+bxn` / `a-bxn`: the sign after the first character (and not an exponent's) splits them.
    let split = -1;
    for (let j = 1; j < head.length; j++) {
      const ch = head.charCodeAt(j);
      if (
        (ch === 43 || ch === 45) &&
        head.charCodeAt(j - 1) !== 101 &&
        head.charCodeAt(j - 1) !== 69
      )
        split = j;
    }
    const startText = split < 0 ? head : head.slice(0, split);
    if (!decimal.test(startText)) return null;
    let inc = 0;
    if (split >= 0) {
      const incText = head.slice(split + 1);
      if (!unsignedDecimal.test(incText)) return null;
      inc = Number(incText);
      if (head.charCodeAt(split) === 45) inc = -inc;
    }
    // Iterative addition, as the series grammar does (so float rounding agrees).
    let v = Number(startText);
    for (let k = 0; k <= times; k++) {
      points.push([startMs + slot * intervalMs, v]);
      slot++;
      v += inc;
    }
  }
  return points;
}
