// A fast path for promtool's input series values (`0+10x5 _ stale 3x2`): the common tokens
// (decimal numbers, `axn`, `a+bxn`, `a-bxn`, `_`, `_xn`, `stale`) scanned by hand, since a large
// test file holds millions of them. Anything else returns null and the caller takes the full
// parser (src/promql's parseSeriesValues), which also positions the errors.
import type { Point } from '../promql/index.ts';

/** The same limit as parseSeriesValues ("too many values"). */
const MAX_REPEAT = 1e7;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * The number spelled by text[from, to) if it is a decimal (`[+-]digits[.digits][e[+-]digits]`
 * or `.digits`), else undefined. Up to 15 significant digits and 22 decimals it is computed
 * as mantissa / 10^decimals, both exact in a double, so the one rounding gives what Number()
 * gives (Clinger's fast path); anything longer goes through Number().
 */
function scanDecimal(text: string, from: number, to: number, signed: boolean): number | undefined {
  let i = from;
  let neg = false;
  const first = text.charCodeAt(i);
  if (signed && (first === 43 || first === 45)) {
    neg = first === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let intDigits = 0;
  while (i < to && isDigit(text.charCodeAt(i))) {
    mantissa = mantissa * 10 + (text.charCodeAt(i) - 48);
    digits++;
    intDigits++;
    i++;
  }
  if (i < to && text.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < to && isDigit(text.charCodeAt(i))) {
      mantissa = mantissa * 10 + (text.charCodeAt(i) - 48);
      digits++;
      decimals++;
      i++;
    }
    if (intDigits === 0 && decimals === 0) return undefined;
  } else if (intDigits === 0) return undefined;
  let exact = digits <= 15 && decimals <= 22;
  if (i < to && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69) /* e E */) {
    i++;
    const s = text.charCodeAt(i);
    if (i < to && (s === 43 || s === 45)) i++;
    const expFrom = i;
    while (i < to && isDigit(text.charCodeAt(i))) i++;
    if (i === expFrom) return undefined;
    exact = false;
  }
  if (i !== to) return undefined;
  if (!exact) {
    // Out of range (1e400) is an error the full parser words as Go does.
    const v = Number(text.slice(from, to));
    return Number.isFinite(v) ? v : undefined;
  }
  const v = decimals === 0 ? mantissa : mantissa / (POW10[decimals] ?? 1);
  return neg ? -v : v;
}

/**
 * Samples in columnar form. `ts` is null when every sample sits on the grid (the i-th at
 * startMs + i * intervalMs, no `_` gap before it), so that callers can share one array of
 * times among such series; a staleness marker has stale[i] = 1 and vs[i] = NaN.
 */
export interface ValueColumns {
  ts: Float64Array | null;
  vs: Float64Array;
  stale: Uint8Array | null;
}

/**
 * Parses simple values notation straight into columns (no object per sample); null when a
 * token needs the full parser.
 */
export function parseSimpleSeriesColumns(
  text: string,
  intervalMs: number,
  startMs: number,
): ValueColumns | null {
  const n = text.length;
  // Room for the spelled-out tokens (at least two characters each but the last); `axn` tokens
  // make room for their own samples.
  const b = new ColumnBuilder((n >> 1) + 1, startMs, intervalMs);
  let slot = 0;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const from = i;
    let x = -1;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) break;
      if (c === 120 /* x */ && x < 0) x = i;
      i++;
    }
    const to = i;
    const head = text.charCodeAt(from);
    if (head === 95 /* _ */) {
      let skip: number;
      if (to - from === 1) skip = 1;
      else if (x === from + 1 && to > x + 1) {
        const times = scanDecimal(text, x + 1, to, false);
        if (times === undefined || !/^\d+$/.test(text.slice(x + 1, to))) return null;
        skip = times;
      } else return null;
      if (skip > 0) b.leaveGrid();
      slot += skip;
      continue;
    }
    if (head === 115 /* s */) {
      if (text.slice(from, to) !== 'stale') return null;
      b.push(slot++, NaN);
      b.markStale();
      continue;
    }
    if (x < 0) {
      const v = scanDecimal(text, from, to, true);
      if (v === undefined) return null;
      b.push(slot++, v);
      continue;
    }
    const timesText = text.slice(x + 1, to);
    if (!/^\d+$/.test(timesText)) return null;
    const times = Number(timesText);
    if (times > MAX_REPEAT) return null;
    // `a+bxn` / `a-bxn`: the sign after the first character (and not an exponent's) splits them.
    let split = -1;
    for (let j = from + 1; j < x; j++) {
      const ch = text.charCodeAt(j);
      const prev = text.charCodeAt(j - 1);
      if ((ch === 43 || ch === 45) && prev !== 101 && prev !== 69) split = j;
    }
    const start = scanDecimal(text, from, split < 0 ? x : split, true);
    if (start === undefined) return null;
    let inc = 0;
    if (split >= 0) {
      const step = scanDecimal(text, split + 1, x, false);
      if (step === undefined) return null;
      inc = text.charCodeAt(split) === 45 ? -step : step;
    }
    b.grow(b.count + times + 1);
    // Iterative addition, as the series grammar does (so float rounding agrees).
    const vs = b.vs;
    const ts = b.ts;
    let count = b.count;
    let v = start;
    for (let k = 0; k <= times; k++) {
      if (ts !== null) ts[count] = startMs + (slot + k) * intervalMs;
      vs[count++] = v;
      v += inc;
    }
    b.count = count;
    slot += times + 1;
  }
  return b.finish();
}

/** Growing columns of samples; times stay implicit (the grid) until the first gap. */
class ColumnBuilder {
  count = 0;
  vs: Float64Array;
  ts: Float64Array | null = null;
  stale: Uint8Array | null = null;
  constructor(
    private cap: number,
    private readonly startMs: number,
    private readonly intervalMs: number,
  ) {
    this.vs = new Float64Array(cap);
  }

  grow(need: number): void {
    if (need <= this.cap) return;
    this.cap = Math.max(need, this.cap * 2);
    const vs = new Float64Array(this.cap);
    vs.set(this.vs.subarray(0, this.count));
    this.vs = vs;
    if (this.ts !== null) {
      const ts = new Float64Array(this.cap);
      ts.set(this.ts.subarray(0, this.count));
      this.ts = ts;
    }
    if (this.stale !== null) {
      const stale = new Uint8Array(this.cap);
      stale.set(this.stale.subarray(0, this.count));
      this.stale = stale;
    }
  }

  /** After a gap the times are no longer the grid's: spell them out from here on. */
  leaveGrid(): void {
    if (this.ts !== null) return;
    const ts = new Float64Array(this.cap);
    for (let k = 0; k < this.count; k++) ts[k] = this.startMs + k * this.intervalMs;
    this.ts = ts;
  }

  push(slot: number, v: number): void {
    if (this.count >= this.cap) this.grow(this.count + 1);
    if (this.ts !== null) this.ts[this.count] = this.startMs + slot * this.intervalMs;
    this.vs[this.count++] = v;
  }

  /** Marks the sample pushed last as a staleness marker. */
  markStale(): void {
    this.stale ??= new Uint8Array(this.cap);
    this.stale[this.count - 1] = 1;
  }

  finish(): ValueColumns {
    const n = this.count;
    const fit = <A extends Float64Array | Uint8Array>(a: A): A =>
      (a.length === n ? a : a.slice(0, n)) as A;
    return {
      ts: this.ts === null ? null : fit(this.ts),
      vs: fit(this.vs),
      stale: this.stale === null ? null : fit(this.stale),
    };
  }
}
/** Columns of points (sorted by time); staleness markers (null values) flagged. */
export function pointsToColumns(points: ReadonlyArray<Point>): {
  ts: Float64Array;
  vs: Float64Array;
  stale: Uint8Array | null;
} {
  const n = points.length;
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  let stale: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const [t, v] = points[i]!;
    ts[i] = t;
    if (v === null) {
      stale ??= new Uint8Array(n);
      stale[i] = 1;
      vs[i] = NaN;
    } else vs[i] = v;
  }
  return { ts, vs, stale };
}
