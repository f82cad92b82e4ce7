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
  // -0, a heap number, so that the optimizing compiler takes mantissa for a double from the start
  // (counted from 0, a small integer, it deoptimized at the first value past 2^31).
  let mantissa = -0;
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
 * The longest well-formed text the scanner reads rather than readSimple: a test file of many
 * short series reads them without a string and a match array per token (most of what reading
 * them allocated).
 */
const SCANNED_MAX = 1024;

/** An unsigned decimal the scanner takes as it is: no exponent, at most 20 integer digits. */
const PLAIN = String.raw`(?:\d{1,20}(?:\.\d*)?|\.\d+)`;
/** `_`, `_xN`, `stale`, `a`, `axN` and `a±bxN` with plain decimals and N < 10^7. */
const TOKEN = String.raw`(?:_(?:x\d{1,7})?|stale|[+-]?${PLAIN}(?:(?:[+-]${PLAIN})?x\d{1,7})?)`;
/**
 * Tokens that parseSimpleSeriesColumns accepts, a whole text of them: a narrower language
 * than the scanner's (no exponents, which may overflow, nor long integers), so that a match
 * means the scanner accepts the text too, and a miss only that the scanner must decide.
 * Irregexp's compiled code reads the skipped tail of a long values line at about 1 ns a
 * character, several times faster than the scanner's loop.
 */
const SIMPLE_TAIL = new RegExp(
  String.raw`^[ \t\r\n]*(?:${TOKEN}(?:[ \t\r\n]+${TOKEN})*)?[ \t\r\n]*$`,
);
/**
 * One or more simple tokens with spaces alone around and between them: a regex source, for
 * readers that match a values line together with what surrounds it (short lines only: see
 * CHUNK). A text it matches whole is one that spacedSimpleTokens accepts.
 */
export const SPACED_TOKENS_SOURCE = String.raw` *${TOKEN}(?: +${TOKEN})* *`;
/** SIMPLE_TAIL with spaces alone between the tokens. */
const SPACED_TOKENS = new RegExp(String.raw`^ *(?:${TOKEN}(?: +${TOKEN})*)? *$`);

/**
 * The most characters one match of these regexes reads. V8 runs a regex in its bytecode
 * interpreter first, and that gives up after 50,000 backtracks (these take a few per token) for
 * an engine that is over 100 times slower: a line of 3.9 MB took 0.6 s to match once. Cut at
 * spaces into pieces of this size, a long line is matched piece by piece at full speed.
 */
const CHUNK = 32_768;

/** Whether every piece of text from `from` on, cut at spaces (see CHUNK), matches re. */
function piecesMatch(re: RegExp, text: string, from: number): boolean {
  let at = from;
  while (at < text.length) {
    // The next piece ends at a space after CHUNK characters (or at the end): tokens stay whole.
    let end = text.length > at + CHUNK ? text.indexOf(' ', at + CHUNK) : -1;
    if (end < 0) end = text.length;
    try {
      if (!re.test(at === 0 && end === text.length ? text : text.slice(at, end))) return false;
    } catch {
      // Too much for the regex engine's backtracking stack: the scanner decides.
      return false;
    }
    at = end;
  }
  return true;
}

/**
 * Whether text is simple tokens separated by spaces (at least one token): such a text reads
 * the same as a plain YAML scalar (no tab, `: `, ` #` or leading indicator) and needs no other
 * check before parseSimpleSeriesColumns (pass `wellFormed`). One regex pass over the line.
 */
export function spacedSimpleTokens(text: string): boolean {
  return text.trim() !== '' && piecesMatch(SPACED_TOKENS, text, 0);
}

/** Whether the tokens of text from `from` on are all simple (see SIMPLE_TAIL). */
function simpleTail(text: string, from: number): boolean {
  return piecesMatch(SIMPLE_TAIL, text, from);
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
 * Reusable arrays for parseSimpleSeriesColumns: a caller that parses many series passes the same
 * scratch to each call, so that the text is read once, into arrays that grow to the longest
 * series, and only the result is allocated at its size (counting the samples first was a
 * second pass over every character).
 */
export interface ColumnScratch {
  vs: Float64Array;
  ts: Float64Array;
  /** Zero but below `dirty`, where the last call may have left marker flags. */
  stale: Uint8Array;
  dirty: number;
  /**
   * With `pooled`, short results are views of larger arrays that the results of later calls
   * share (each part handed out once, never written again): a test file of many short series
   * makes one array per few hundred series instead of one or two per series (each an
   * ArrayBuffer with memory of its own, allocated and freed outside V8's heap). Such views must
   * not be sent to another thread or cloned: that copies the whole shared array.
   */
  pool: ColumnPool | null;
  /**
   * The last few times (of series with gaps) and marker flags handed out: a series whose times
   * or flags equal one of them gets that one. Series of a test group, or of an imported day of
   * a cluster, mostly have a few patterns of gaps and markers, and one array each lets the store
   * count a pattern's markers once (and keeps megabytes of equal times out of memory).
   */
  recentTimes: Float64Array[];
  recentFlags: Uint8Array[];
  /** Every text is read by the scanner (see ColumnScratchOptions.scanAlways). */
  scanAlways: boolean;
}

/** The shared arrays of a pooled scratch (see ColumnScratch.pool). */
interface ColumnPool {
  numbers: Float64Array;
  numbersUsed: number;
  flags: Uint8Array;
  flagsUsed: number;
}

/** How a scratch's caller reads its texts. */
export interface ColumnScratchOptions {
  /** Short results share larger arrays (see ColumnScratch.pool). */
  pooled?: boolean;
  /**
   * Every text is read by the scanner, a long one too (not matched by a regex first and cut
   * into a string per token by readSimple): for a caller that reads millions of tokens (an
   * imported day of a cluster), whose scanner loop is compiled within its first series and
   * then reads a text in one pass, allocating nothing.
   */
  scanAlways?: boolean;
}

/** An empty scratch for parseSimpleSeriesColumns. */
export function columnScratch(options: ColumnScratchOptions = {}): ColumnScratch {
  return {
    vs: new Float64Array(0),
    ts: new Float64Array(0),
    stale: new Uint8Array(0),
    dirty: 0,
    pool:
      options.pooled === true
        ? { numbers: new Float64Array(0), numbersUsed: 0, flags: new Uint8Array(0), flagsUsed: 0 }
        : null,
    recentTimes: [],
    recentFlags: [],
    scanAlways: options.scanAlways === true,
  };
}

/** Samples in a pool's array: 64 KB of numbers. */
const POOL_SIZE = 8192;
/** The longest result that takes part of a pool's array rather than an array of its own. */
const POOLED_MAX = 1024;

/** The first `count` numbers of `from`, copied into the pool's array (or an array of their own). */
function pooledNumbers(into: ColumnScratch, from: Float64Array, count: number): Float64Array {
  const pool = into.pool;
  if (pool === null || count > POOLED_MAX) return from.slice(0, count);
  if (pool.numbersUsed + count > pool.numbers.length) {
    pool.numbers = new Float64Array(POOL_SIZE);
    pool.numbersUsed = 0;
  }
  const out = pool.numbers.subarray(pool.numbersUsed, pool.numbersUsed + count);
  pool.numbersUsed += count;
  // A loop, not set() with a subarray of `from`: that is a second view made per result.
  for (let i = 0; i < count; i++) out[i] = from[i]!;
  return out;
}

/** How many arrays of times and of flags a scratch remembers (see ColumnScratch.recentTimes). */
const RECENT = 4;

/** One of `recent` that holds the first `count` values of `from`, or null. */
function recentEqual<T extends Float64Array | Uint8Array>(
  recent: readonly T[],
  from: T,
  count: number,
): T | null {
  for (const r of recent) {
    if (r.length !== count) continue;
    let i = 0;
    while (i < count && r[i] === from[i]) i++;
    if (i === count) return r;
  }
  return null;
}

/** `array` remembered in `recent`, in place of the one remembered longest. */
function remember<T>(recent: T[], array: T): T {
  if (recent.length >= RECENT) recent.shift();
  recent.push(array);
  return array;
}

/** The first `count` times of `from`, as pooledNumbers, or an equal array handed out lately. */
function sharedTimes(into: ColumnScratch, from: Float64Array, count: number): Float64Array {
  return (
    recentEqual(into.recentTimes, from, count) ??
    remember(into.recentTimes, pooledNumbers(into, from, count))
  );
}

/** The first `count` flags of `from`, as pooledFlags, or equal flags handed out lately. */
function sharedFlags(into: ColumnScratch, from: Uint8Array, count: number): Uint8Array {
  return (
    recentEqual(into.recentFlags, from, count) ??
    remember(into.recentFlags, pooledFlags(into, from, count))
  );
}

/** The first `count` flags of `from`, copied as pooledNumbers copies numbers. */
function pooledFlags(into: ColumnScratch, from: Uint8Array, count: number): Uint8Array {
  const pool = into.pool;
  if (pool === null || count > POOLED_MAX) return from.slice(0, count);
  if (pool.flagsUsed + count > pool.flags.length) {
    pool.flags = new Uint8Array(POOL_SIZE);
    pool.flagsUsed = 0;
  }
  const out = pool.flags.subarray(pool.flagsUsed, pool.flagsUsed + count);
  pool.flagsUsed += count;
  for (let i = 0; i < count; i++) out[i] = from[i]!;
  return out;
}

/** The scratch grown to hold at least n samples, keeping its first `count`. */
function grow(scratch: ColumnScratch, n: number, count: number): void {
  const size = Math.max(n, scratch.vs.length * 2, 1024);
  const vs = new Float64Array(size);
  const ts = new Float64Array(size);
  const stale = new Uint8Array(size);
  vs.set(scratch.vs.subarray(0, count));
  ts.set(scratch.ts.subarray(0, count));
  stale.set(scratch.stale.subarray(0, count));
  scratch.vs = vs;
  scratch.ts = ts;
  scratch.stale = stale;
}

/**
 * Parses simple values notation straight into columns (no object per sample); null when a token
 * needs the full parser. The text is read once, into the scratch's arrays (a fresh one without
 * `scratch`), and only the result is allocated at its size. Samples after `untilMs` are left
 * out (a test group never reads past its last evaluation): their tokens are still checked, so
 * the answer is null exactly when it would be without the cut.
 */
export function parseSimpleSeriesColumns(
  text: string,
  intervalMs: number,
  startMs: number,
  scratch: ColumnScratch = columnScratch(),
  untilMs = Infinity,
  /** The text is known to match spacedSimpleTokens. */
  wellFormed = false,
): ValueColumns | null {
  const into = scratch;
  // The last slot kept: every slot when all samples share one time (interval 0).
  const lastSlot = intervalMs > 0 ? Math.floor((untilMs - startMs) / intervalMs) : Infinity;
  if (into.dirty > 0) into.stale.fill(0, 0, into.dirty);
  into.dirty = 0;
  // A short text known to be well formed is scanned below, which makes no string or match per
  // token; a long one goes to readSimple (native matching and number parsing, faster until the
  // scanner's loop is compiled), as does any other text the regex finds all simple. With
  // scanAlways every text is scanned, checked by the scanner alone.
  if (!into.scanAlways && (wellFormed ? text.length > SCANNED_MAX : simpleTail(text, 0))) {
    return readSimple(text, intervalMs, startMs, into, lastSlot);
  }
  const n = text.length;
  let i = 0;
  let tailChecked = false;
  const run: ReadState = { count: 0, slot: 0, gaps: false, anyStale: false };
  while (i < n) {
    // Past the last slot kept, the rest is only checked: at once when it is all simple.
    if (run.slot > lastSlot && !tailChecked) {
      if (wellFormed || simpleTail(text, i)) break;
      tailChecked = true;
    }
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    // Plain decimals, the commonest tokens, are read by a loop of their own; any other token
    // by readToken.
    const stop = scanPlainRun(text, i, into, run, lastSlot, startMs, intervalMs);
    if (stop !== i) {
      i = stop;
      continue;
    }
    i = readToken(text, i, into, run, lastSlot, startMs, intervalMs);
    if (i < 0) return null;
  }
  return packColumns(into, run.count, run.gaps, run.anyStale);
}

/**
 * Reads the token at `from` (not a space), as parseSimpleSeriesColumns does, into the scratch's
 * columns and `run`; returns where it ends, or -1 when the token needs the full parser.
 */
function readToken(
  text: string,
  from: number,
  into: ColumnScratch,
  run: ReadState,
  lastSlot: number,
  startMs: number,
  intervalMs: number,
): number {
  const n = text.length;
  let i = from;
  let x = -1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) break;
    if (c === 120 /* x */ && x < 0) x = i;
    i++;
  }
  const to = i;
  // `xN`: N plain digits, at most MAX_REPEAT.
  let times = 0;
  if (x >= 0) {
    if (x + 1 >= to) return -1;
    for (let j = x + 1; j < to; j++) {
      const d = text.charCodeAt(j);
      if (!isDigit(d)) return -1;
      times = times * 10 + (d - 48);
    }
    if (times > MAX_REPEAT) return -1;
  }
  const slot = run.slot;
  const head = text.charCodeAt(from);
  if (head === 95 /* _ */) {
    if (to - from === 1) {
      if (slot <= lastSlot) run.gaps = true;
      run.slot = slot + 1;
    } else if (x === from + 1) {
      if (times > 0 && slot <= lastSlot) run.gaps = true;
      run.slot = slot + times;
    } else return -1;
    return to;
  }
  // Samples of this token that are kept.
  const count = run.count;
  const kept = Math.max(0, Math.min(x < 0 ? 1 : times + 1, lastSlot - slot + 1));
  if (count + kept > into.vs.length) grow(into, count + kept, count);
  const vs = into.vs;
  const ts = into.ts;
  if (head === 115 /* s */) {
    if (x >= 0 || to - from !== 5 || !text.startsWith('stale', from)) return -1;
    if (kept > 0) {
      run.anyStale = true;
      into.stale[count] = 1;
      into.dirty = count + 1;
      vs[count] = NaN;
      ts[count] = startMs + slot * intervalMs;
      run.count = count + 1;
    }
    run.slot = slot + 1;
    return to;
  }
  if (x < 0) {
    const v = scanDecimal(text, from, to, true);
    if (v === undefined) return -1;
    if (kept > 0) {
      vs[count] = v;
      ts[count] = startMs + slot * intervalMs;
      run.count = count + 1;
    }
    run.slot = slot + 1;
    return to;
  }
  // `a+bxn` / `a-bxn`: the sign after the first character (and not an exponent's) splits them.
  let split = -1;
  for (let j = from + 1; j < x; j++) {
    const ch = text.charCodeAt(j);
    const prev = text.charCodeAt(j - 1);
    if ((ch === 43 || ch === 45) && prev !== 101 && prev !== 69) split = j;
  }
  const start = scanDecimal(text, from, split < 0 ? x : split, true);
  if (start === undefined) return -1;
  let inc = 0;
  if (split >= 0) {
    const step = scanDecimal(text, split + 1, x, false);
    if (step === undefined) return -1;
    inc = text.charCodeAt(split) === 45 ? -step : step;
  }
  run.count = writeRamp(ts, vs, count, kept, startMs, slot, intervalMs, start, inc);
  run.slot = slot + times + 1;
  return to;
}

/** Where a text's reading stands: the samples written, the next slot, what was met. */
interface ReadState {
  count: number;
  slot: number;
  /** A `_` skipped a slot kept: the times are not the grid's. */
  gaps: boolean;
  /** A staleness marker was kept. */
  anyStale: boolean;
}

/**
 * Reads plain decimals (`12.5`, `-3`) from `at` on, each as scanDecimal reads it, into the
 * scratch's columns from run.count on, at slots from run.slot on; stops at the end, at the
 * first token that is anything else (an exponent, `x`, a sign after the number, more than 15
 * digits: the caller reads it) or past lastSlot. Returns where it stopped. The commonest
 * tokens in a loop of their own: small, it is compiled early in a long text, and stays
 * compiled whatever other tokens come.
 */
function scanPlainRun(
  text: string,
  at: number,
  into: ColumnScratch,
  run: ReadState,
  lastSlot: number,
  startMs: number,
  intervalMs: number,
): number {
  const n = text.length;
  let vs = into.vs;
  let ts = into.ts;
  let count = run.count;
  let slot = run.slot;
  let i = at;
  while (i < n && slot <= lastSlot) {
    const sign = text.charCodeAt(i);
    if (sign === 32 || sign === 9 || sign === 10 || sign === 13) {
      i++;
      continue;
    }
    let j = sign === 43 || sign === 45 ? i + 1 : i;
    // -0: see scanDecimal.
    let mantissa = -0;
    let digits = 0;
    let decimals = 0;
    // The character at j, -1 past the end.
    let ch = j < n ? text.charCodeAt(j) : -1;
    while (ch >= 48 && ch <= 57) {
      mantissa = mantissa * 10 + (ch - 48);
      digits++;
      ch = ++j < n ? text.charCodeAt(j) : -1;
    }
    if (ch === 46 /* . */) {
      ch = ++j < n ? text.charCodeAt(j) : -1;
      while (ch >= 48 && ch <= 57) {
        mantissa = mantissa * 10 + (ch - 48);
        digits++;
        decimals++;
        ch = ++j < n ? text.charCodeAt(j) : -1;
      }
    }
    // The token ends at the end of the text, a space, a tab or a line end.
    if (
      digits === 0 ||
      digits > 15 ||
      !(ch === -1 || ch === 32 || ch === 9 || ch === 10 || ch === 13)
    )
      break;
    const v = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
    if (count >= vs.length) {
      grow(into, count + 1, count);
      vs = into.vs;
      ts = into.ts;
    }
    vs[count] = sign === 45 ? -v : v;
    ts[count] = startMs + slot * intervalMs;
    count++;
    slot++;
    i = j;
  }
  run.count = count;
  run.slot = slot;
  return i;
}

/**
 * Writes `kept` samples of the ramp `start`, `start + inc`, … from `count` on, at the times of
 * slots `slot`, `slot + 1`, …, by iterative addition as the series grammar does (so float rounding
 * agrees); returns the new count.
 */
function writeRamp(
  ts: Float64Array,
  vs: Float64Array,
  count: number,
  kept: number,
  startMs: number,
  slot: number,
  intervalMs: number,
  start: number,
  inc: number,
): number {
  let v = start;
  for (let k = 0; k < kept; k++) {
    ts[count] = startMs + (slot + k) * intervalMs;
    vs[count++] = v;
    v += inc;
  }
  return count;
}

/** The first `count` samples of a reader's scratch columns, copied out. */
function packColumns(
  into: ColumnScratch,
  count: number,
  gaps: boolean,
  anyStale: boolean,
): ValueColumns {
  return {
    ts: gaps ? sharedTimes(into, into.ts, count) : null,
    vs: pooledNumbers(into, into.vs, count),
    stale: anyStale ? sharedFlags(into, into.stale, count) : null,
  };
}

/** The tokens of a values text: runs of anything but spaces, tabs and line ends. */
const TOKENS = /[^ \t\r\n]+/g;

/**
 * parseSimpleSeriesColumns of a text that SIMPLE_TAIL matched whole: every token is known to be
 * well formed, so each is cut by a regex and its numbers read by Number(), whose rounding is
 * the scanner's (and Go's ParseFloat's). Native code, where the scanner's loop runs in the
 * interpreter for the first thousands of tokens of a process: a test file is read once.
 */
function readSimple(
  text: string,
  intervalMs: number,
  startMs: number,
  into: ColumnScratch,
  lastSlot: number,
): ValueColumns {
  let vs = into.vs;
  let ts = into.ts;
  let stale = into.stale;
  let gaps = false;
  let anyStale = false;
  let count = 0;
  let slot = 0;
  TOKENS.lastIndex = 0;
  // Tokens after the last slot kept are left unread: the match said they are well formed.
  while (slot <= lastSlot) {
    const m = TOKENS.exec(text);
    if (m === null) break;
    const tok = m[0];
    const head = tok.charCodeAt(0);
    const x = tok.indexOf('x');
    const times = x < 0 ? 0 : Number(tok.slice(x + 1));
    if (head === 95 /* _ */) {
      // `_x0` skips nothing.
      if (x < 0 || times > 0) gaps = true;
      slot += x < 0 ? 1 : times;
      continue;
    }
    const kept = Math.min(x < 0 ? 1 : times + 1, lastSlot - slot + 1);
    if (count + kept > vs.length) {
      grow(into, count + kept, count);
      vs = into.vs;
      ts = into.ts;
      stale = into.stale;
    }
    if (head === 115 /* s */) {
      anyStale = true;
      stale[count] = 1;
      into.dirty = count + 1;
      vs[count] = NaN;
      ts[count++] = startMs + slot++ * intervalMs;
      continue;
    }
    if (x < 0) {
      vs[count] = Number(tok);
      ts[count++] = startMs + slot++ * intervalMs;
      continue;
    }
    // `a±bxN`: without exponents, a sign after the first character is the one between a and b.
    let split = x - 1;
    while (split > 0 && tok.charCodeAt(split) !== 43 && tok.charCodeAt(split) !== 45) split--;
    const inc = split > 0 ? Number(tok.slice(split, x)) : 0;
    const start = Number(tok.slice(0, split > 0 ? split : x));
    count = writeRamp(ts, vs, count, kept, startMs, slot, intervalMs, start, inc);
    slot += times + 1;
  }
  return packColumns(into, count, gaps, anyStale);
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
