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
 * Metric and label names already checked with the grammar, by the text that checked them
 * (`name`, `{label="v"}`): does it read as that name? Kept by a caller that reads many
 * descriptors (a test file's input series, an import), as the grammar keeps nothing itself.
 */
export type CheckedNames = Map<string, boolean>;

function checkedName(names: CheckedNames, probe: string, label: string, value: string): boolean {
  let ok = names.get(probe);
  if (ok === undefined) {
    const r = parseExpr(probe);
    const m = r.ok && r.value.type === 'vectorSelector' ? r.value.matchers : [];
    ok = m.length === 1 && m[0]?.type === '=' && m[0].name === label && m[0].value === value;
    names.set(probe, ok);
  }
  return ok;
}

const SIMPLE_DESCRIPTOR =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:\s*[a-zA-Z_][a-zA-Z0-9_]*\s*=\s*(?:"[^"\\\n]*"|'[^'\\\n]*')\s*,)*(?:\s*[a-zA-Z_][a-zA-Z0-9_]*\s*=\s*(?:"[^"\\\n]*"|'[^'\\\n]*')\s*)?)\})?$/;
const isSpace = (c: number): boolean =>
  c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

/**
 * `name{a="x",b='y'}` without escapes, read by hand: test files hold thousands of them. Names
 * are checked once each with the grammar (keywords and the like read otherwise); null when the
 * text is anything else, or names a label twice or `__name__`.
 */
function simpleDescriptor(text: string, names: CheckedNames): Labels | null {
  const m = SIMPLE_DESCRIPTOR.exec(text);
  if (m === null) return null;
  const name = m[1] ?? '';
  if (!checkedName(names, name, '__name__', name)) return null;
  const keys = ['__name__'];
  const values = [name];
  const body = m[2] ?? '';
  // The pattern has checked the pairs' form: name, `=`, a quoted value, an optional comma,
  // with spaces anywhere between.
  let i = 0;
  for (;;) {
    while (i < body.length && isSpace(body.charCodeAt(i))) i++;
    if (i >= body.length) break;
    const start = i;
    while (i < body.length && body[i] !== '=' && !isSpace(body.charCodeAt(i))) i++;
    const k = body.slice(start, i);
    while (body[i] !== '"' && body[i] !== "'") i++;
    const q = body[i] ?? '"';
    const end = body.indexOf(q, i + 1);
    const v = body.slice(i + 1, end);
    i = end + 1;
    while (i < body.length && isSpace(body.charCodeAt(i))) i++;
    if (body[i] === ',') i++;
    // Kept in name order as they come (insertion sort: a few names), refusing a name twice.
    let j = keys.length;
    while (j > 0 && keys[j - 1]! > k) j--;
    if (keys[j - 1] === k) return null;
    if (!checkedName(names, `{${k}="v"}`, k, 'v')) return null;
    keys.push(k);
    values.push(v);
    for (let x = keys.length - 1; x > j; x--) {
      keys[x] = keys[x - 1]!;
      values[x] = values[x - 1]!;
    }
    keys[j] = k;
    values[j] = v;
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
