// promtool's and promqltest's input series notation: `metric{l="v"}` descriptors and value
// sequences like `0+10x5 _ stale 3x2` (promql/parser's series grammar, cmd/promtool/unittest.go).
import { parseExpr } from './parser.ts';
import { makeLabels, type Labels } from './labels.ts';
import type { Result } from './result.ts';
import type { Point } from './store.ts';

const num = String.raw`[+-]?(?:[Ii]nf|NaN|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`;
const unsignedNum = String.raw`(?:[Ii]nf|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`;
const itemRe = new RegExp(String.raw`^(${num})(?:([+-]${unsignedNum})?x(\d+))?$`);
const blankRe = /^_(?:x(\d+))?$/;

function toNumber(text: string): number {
  const t = text.replace(/^\+/, '');
  const lower = t.toLowerCase();
  if (lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan' || lower === '-nan') return NaN;
  if (/^-?0x/i.test(t))
    return t.startsWith('-') ? -parseInt(t.slice(3), 16) : parseInt(t.slice(2), 16);
  return Number(t);
}

/** Go's ParseFloat error for a number that overflows a float64 (signed text at `from`), or null. */
function outOfRange(
  text: string,
  from: number,
): { from: number; to: number; message: string } | null {
  if (Number.isFinite(toNumber(text)) || /inf|nan/i.test(text)) return null;
  const sign = /^[+-]/.test(text) ? 1 : 0;
  return {
    from: from + sign,
    to: from + text.length,
    message: `error parsing number: strconv.ParseFloat: parsing "${text.slice(sign)}": value out of range`,
  };
}

/** One value slot of an expanded sequence: a number, a staleness marker, or a missing scrape. */
export type SeriesValue = number | 'stale' | 'missing';

/** Expands a value sequence ("1+1x3 _ stale") into slots; null with a message if malformed. */
export function expandSeriesValues(text: string): Result<SeriesValue[]> {
  const out: SeriesValue[] = [];
  let pos = 0;
  for (const tok of text.split(/\s+/)) {
    const from = text.indexOf(tok, pos);
    pos = from + tok.length;
    if (tok === '') continue;
    if (tok.startsWith('{{')) {
      return { ok: false, error: { from, to: pos, message: 'unsupported: native histograms' } };
    }
    if (tok === 'stale') {
      out.push('stale');
      continue;
    }
    const blank = blankRe.exec(tok);
    if (blank) {
      const n = blank[1] === undefined ? 1 : Number(blank[1]);
      for (let i = 0; i < n; i++) out.push('missing');
      continue;
    }
    const m = itemRe.exec(tok);
    if (!m) {
      return { ok: false, error: { from, to: pos, message: `invalid series value "${tok}"` } };
    }
    // strconv.ParseFloat refuses what overflows a float64; the sign is a token of its own.
    const range =
      outOfRange(m[1]!, from) ??
      (m[2] === undefined ? null : outOfRange(m[2], from + m[1]!.length));
    if (range !== null) return { ok: false, error: range };
    let v = toNumber(m[1]!);
    if (m[3] === undefined) {
      out.push(v);
      continue;
    }
    const times = Number(m[3]);
    const inc = m[2] === undefined ? 0 : toNumber(m[2]);
    if (times > 1e7) {
      return { ok: false, error: { from, to: pos, message: `too many values in "${tok}"` } };
    }
    // Iterative addition, as Prometheus's series grammar does (so float rounding agrees).
    for (let i = 0; i <= times; i++) {
      out.push(v);
      v += inc;
    }
  }
  return { ok: true, value: out, warnings: [] };
}

/** Parses promtool's value notation into points at 0, interval, 2·interval, … (ms). */
export function parseSeriesValues(text: string, intervalMs: number, startMs = 0): Result<Point[]> {
  const slots = expandSeriesValues(text);
  if (!slots.ok) return slots;
  const points: Point[] = [];
  slots.value.forEach((v, i) => {
    if (v === 'missing') return;
    points.push([startMs + i * intervalMs, v === 'stale' ? null : v]);
  });
  return { ok: true, value: points, warnings: [] };
}

const dummyName = 'quorumlab_descriptor_placeholder';

/**
 * Metric and label names already checked with the grammar, by name: whether it reads as that
 * name, as a metric name (`name`) and as a label name (`{name="v"}`), in the bits below. Kept by
 * a caller that reads many descriptors (a test file's input series, an import), as the grammar
 * keeps nothing itself. Keyed by the bare name, so that a name seen before is looked up without
 * building its probe text.
 */
export type CheckedNames = Map<string, number>;

const METRIC_CHECKED = 1;
const METRIC_OK = 2;
const LABEL_CHECKED = 4;
const LABEL_OK = 8;

/** Whether `name` reads as itself: as a metric name, or (`label`) as a label name. */
function checkedName(names: CheckedNames, name: string, label: boolean): boolean {
  const bits = names.get(name) ?? 0;
  const checked = label ? LABEL_CHECKED : METRIC_CHECKED;
  const good = label ? LABEL_OK : METRIC_OK;
  if ((bits & checked) !== 0) return (bits & good) !== 0;
  const r = parseExpr(label ? `{${name}="v"}` : name);
  const m = r.ok && r.value.type === 'vectorSelector' ? r.value.matchers : [];
  const ok =
    m.length === 1 &&
    m[0]?.type === '=' &&
    m[0].name === (label ? name : '__name__') &&
    m[0].value === (label ? 'v' : name);
  names.set(name, bits | checked | (ok ? good : 0));
  return ok;
}

const isSpace = (c: number): boolean =>
  c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
/** [a-zA-Z_], with `:` too for a metric name, and [0-9] after the first character. */
const isNameChar = (c: number, first: boolean, colon: boolean): boolean =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  c === 95 ||
  (colon && c === 58) ||
  (!first && c >= 48 && c <= 57);

/**
 * `name{a="x",b='y'}` without escapes, read by hand in one pass: test files hold thousands of
 * them. Names are checked once each with the grammar (keywords and the like read otherwise);
 * null when the text is anything else (the grammar reads it then), or names a label twice or
 * `__name__`.
 */
function simpleDescriptor(text: string, names: CheckedNames): Labels | null {
  const end = text.length;
  let i = 0;
  while (i < end && isNameChar(text.charCodeAt(i), i === 0, true)) i++;
  if (i === 0) return null;
  const name = text.slice(0, i);
  if (!checkedName(names, name, false)) return null;
  const keys = ['__name__'];
  const values = [name];
  if (i < end) {
    if (text.charCodeAt(i) !== 123 || text.charCodeAt(end - 1) !== 125) return null;
    i++;
    const close = end - 1;
    // Pairs: spaces, a label name, spaces, `=`, spaces, a quoted value without escapes or
    // newlines, spaces, then a comma or the closing brace.
    for (;;) {
      while (i < close && isSpace(text.charCodeAt(i))) i++;
      if (i >= close) break;
      const start = i;
      while (i < close && isNameChar(text.charCodeAt(i), i === start, false)) i++;
      if (i === start) return null;
      const k = text.slice(start, i);
      while (i < close && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 61) return null;
      i++;
      while (i < close && isSpace(text.charCodeAt(i))) i++;
      const q = text.charCodeAt(i);
      if (q !== 34 && q !== 39) return null;
      const from = i + 1;
      i = from;
      for (; i < close; i++) {
        const c = text.charCodeAt(i);
        if (c === q) break;
        if (c === 92 || c === 10) return null;
      }
      if (i >= close) return null;
      const v = text.slice(from, i);
      i++;
      while (i < close && isSpace(text.charCodeAt(i))) i++;
      if (i < close) {
        if (text.charCodeAt(i) !== 44) return null;
        i++;
      }
      // Kept in name order as they come (insertion sort: a few names), refusing a name twice.
      let j = keys.length;
      while (j > 0 && keys[j - 1]! > k) j--;
      if (keys[j - 1] === k) return null;
      if (!checkedName(names, k, true)) return null;
      keys.push(k);
      values.push(v);
      for (let x = keys.length - 1; x > j; x--) {
        keys[x] = keys[x - 1]!;
        values[x] = values[x - 1]!;
      }
      keys[j] = k;
      values[j] = v;
    }
  }
  // What makeLabels makes: names in order, empty values left out, frozen.
  const labels: Record<string, string> = {};
  for (let j = 0; j < keys.length; j++) if (values[j] !== '') labels[keys[j]!] = values[j]!;
  return Object.freeze(labels);
}

/**
 * Parses a series descriptor such as 'up{job="x"}' into labels (via the PromQL grammar). With
 * `names`, simple descriptors (`name{a="x"}`, no escapes) are read by hand, each name checked with
 * the grammar once in `names`: a caller reading many descriptors passes one for all of them.
 */
export function parseSeriesDescriptor(text: string, names?: CheckedNames): Result<Labels> {
  const trimmed = text.trim();
  const simple = names === undefined ? null : simpleDescriptor(trimmed, names);
  if (simple !== null) return { ok: true, value: simple, warnings: [] };
  let r = parseExpr(trimmed);
  let dummy = false;
  if (!r.ok && trimmed.startsWith('{')) {
    // `{}` and `{a=""}` are fine as descriptors, though not as selectors: parse with a name.
    const retry = parseExpr(dummyName + trimmed);
    if (retry.ok) {
      r = retry;
      dummy = true;
    }
  }
  if (!r.ok) return r;
  const e = r.value;
  if (e.type !== 'vectorSelector') {
    return {
      ok: false,
      error: { from: e.from, to: e.to, message: `invalid series descriptor "${text}"` },
    };
  }
  const labels: Record<string, string> = {};
  for (const m of e.matchers) {
    if (m.type !== '=') {
      return {
        ok: false,
        error: { from: e.from, to: e.to, message: `series descriptors only allow "=" matchers` },
      };
    }
    if (dummy && m.name === '__name__' && m.value === dummyName) continue;
    labels[m.name] = m.value;
  }
  return { ok: true, value: makeLabels(labels), warnings: [] };
}

/** Splits "metric{a="b c"} 1 2 3" into the descriptor and the values text. */
export function splitSeriesLine(line: string): [descriptor: string, values: string] {
  const s = line.trim();
  let i = 0;
  let inQuote: string | null = null;
  let depth = 0;
  for (; i < s.length; i++) {
    const ch = s[i]!;
    if (inQuote) {
      if (ch === '\\') i++;
      else if (ch === inQuote) inQuote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') inQuote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) {
        i++;
        break;
      }
    } else if (depth === 0 && /\s/.test(ch)) break;
  }
  return [s.slice(0, i), s.slice(i).trim()];
}
