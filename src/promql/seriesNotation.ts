// promtool's and promqltest's input series notation: `metric{l="v"}` descriptors and value
// sequences like `0+10x5 _ stale 3x2` (promql/parser's series grammar, cmd/promtool/unittest.go).
import { parseExpr } from './parser.ts';
import { labelsKey, makeLabels, type Labels } from './labels.ts';
import type { PositionedError, Result } from './result.ts';
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

/** A name checked with the grammar: how it reads (the bits below), and the strings kept for it. */
interface CheckedName {
  bits: number;
  /** The name, one string for every label set read that has it. */
  name: string;
  /** `name\xff`, its piece of a labelsKey when it comes first, and `\xfename\xff` after another. */
  head: string;
  link: string;
}

/**
 * Metric and label names already checked with the grammar, by name: whether it reads as that
 * name, as a metric name (`name`) and as a label name (`{name="v"}`), in the bits below. Kept by
 * a caller that reads many descriptors (a test file's input series, an import), as the grammar
 * keeps nothing itself. Keyed by the bare name, so that a name seen before is looked up without
 * building its probe text; the label sets read share each name's string.
 */
export type CheckedNames = Map<string, CheckedName>;

const METRIC_CHECKED = 1;
const METRIC_OK = 2;
const LABEL_CHECKED = 4;
const LABEL_OK = 8;

function nameEntry(name: string): CheckedName {
  return { bits: 0, name, head: `${name}\xff`, link: `\xfe${name}\xff` };
}

/** The metric name's label, first in a simple descriptor's pairs. */
const METRIC_NAME: Readonly<CheckedName> = Object.freeze(nameEntry('__name__'));

/**
 * The names' entry for `name` when it reads as itself: as a metric name, or (`label`) as a
 * label name; else null.
 */
function checkedName(names: CheckedNames, name: string, label: boolean): CheckedName | null {
  let entry = names.get(name);
  const bits = entry?.bits ?? 0;
  const checked = label ? LABEL_CHECKED : METRIC_CHECKED;
  const good = label ? LABEL_OK : METRIC_OK;
  if (entry !== undefined && (bits & checked) !== 0) return (bits & good) !== 0 ? entry : null;
  const r = parseExpr(label ? `{${name}="v"}` : name);
  const m = r.ok && r.value.type === 'vectorSelector' ? r.value.matchers : [];
  const ok =
    m.length === 1 &&
    m[0]?.type === '=' &&
    m[0].name === (label ? name : '__name__') &&
    m[0].value === (label ? 'v' : name);
  if (entry === undefined) {
    entry = nameEntry(name);
    names.set(name, entry);
  }
  entry.bits = bits | checked | (ok ? good : 0);
  return ok ? entry : null;
}

/** Character classes of ASCII, for simpleDescriptor's loops (a call per character is slow). */
const SPACE = 1;
/** [a-zA-Z_]: starts a label name. */
const NAME_START = 2;
/** [a-zA-Z_0-9]: goes on with one. */
const NAME_PART = 4;
/** `:`, in a metric name. */
const COLON = 8;
const CHAR_CLASS = ((): Uint8Array => {
  const classes = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    const digit = c >= 48 && c <= 57;
    classes[c] =
      (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 ? SPACE : 0) |
      (letter ? NAME_START | NAME_PART : 0) |
      (digit ? NAME_PART : 0) |
      (c === 58 ? COLON : 0);
  }
  return classes;
})();

/** Where the characters of `text` in `classes` from `i` on end (at most at `end`). */
function skipClass(text: string, i: number, end: number, classes: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c >= 128 || (CHAR_CLASS[c]! & classes) === 0) break;
    i++;
  }
  return i;
}

/**
 * Where simpleDescriptor puts a descriptor's labels, in name order: the first `n` of `keys` and
 * `values` (arrays kept at their longest, for a reader of many descriptors to reuse). `metric`,
 * `writtenKeys` and `writtenValues` are the metric name and the pairs of the descriptor read
 * before, in the order it wrote them: a reader's descriptors mostly repeat the names of the one
 * before, and many of its values, so that one found there again is taken as it is (no string
 * made, no name looked up).
 */
interface PairScratch {
  keys: Readonly<CheckedName>[];
  values: string[];
  n: number;
  metric: Readonly<CheckedName> | null;
  writtenKeys: Readonly<CheckedName>[];
  writtenValues: string[];
}

/** An empty PairScratch. */
function pairScratch(): PairScratch {
  return { keys: [], values: [], n: 0, metric: null, writtenKeys: [], writtenValues: [] };
}

/**
 * `name{a="x",b='y'}` without escapes, read by hand in one pass: test files hold thousands of
 * them. Names are checked once each with the grammar (keywords and the like read otherwise);
 * false when the text is anything else (the grammar reads it then), or names a label twice or
 * `__name__`. Else the labels are in `out`, empty values included.
 */
function simpleDescriptor(text: string, names: CheckedNames, out: PairScratch): boolean {
  const end = text.length;
  // A value with an escape or a line break is the grammar's; so is the rest with either.
  if (text.includes('\\') || text.includes('\n')) return false;
  // The metric name: the one before where it stands again (and ends there), else scanned.
  const last = out.metric;
  let i =
    last !== null &&
    text.startsWith(last.name) &&
    (last.name.length === end || text.charCodeAt(last.name.length) === 123)
      ? last.name.length
      : 0;
  let name = i > 0 ? last : null;
  if (name === null) {
    const c = text.charCodeAt(0);
    if (c >= 128 || (CHAR_CLASS[c]! & (NAME_START | COLON)) === 0) return false;
    i = skipClass(text, 1, end, NAME_PART | COLON);
    name = checkedName(names, text.slice(0, i), false);
    if (name === null) return false;
  }
  out.metric = name;
  const { keys, values, writtenKeys, writtenValues } = out;
  keys[0] = METRIC_NAME;
  values[0] = name.name;
  let n = 1;
  if (i < end) {
    if (text.charCodeAt(i) !== 123 || text.charCodeAt(end - 1) !== 125) return false;
    i++;
    const close = end - 1;
    // Pairs: spaces, a label name, spaces, `=`, spaces, a quoted value without escapes or
    // newlines, spaces, then a comma or the closing brace. The pair written at this place by
    // the descriptor before is taken again where it matches.
    for (;;) {
      i = skipClass(text, i, close, SPACE);
      if (i >= close) break;
      const start = i;
      const w = n - 1;
      const wasKey = writtenKeys[w];
      let k: Readonly<CheckedName> | null = null;
      if (wasKey !== undefined && text.startsWith(wasKey.name, start)) {
        const after = text.charCodeAt(start + wasKey.name.length);
        if (after === 61 || after === 32) {
          k = wasKey;
          i = start + wasKey.name.length;
        }
      }
      let nameTo = i;
      if (k === null) {
        const c = text.charCodeAt(i);
        if (c >= 128 || (CHAR_CLASS[c]! & NAME_START) === 0) return false;
        i = skipClass(text, i + 1, close, NAME_PART);
        nameTo = i;
      }
      i = skipClass(text, i, close, SPACE);
      if (text.charCodeAt(i) !== 61) return false;
      i = skipClass(text, i + 1, close, SPACE);
      const q = text.charCodeAt(i);
      if (q !== 34 && q !== 39) return false;
      const from = i + 1;
      i = text.indexOf(q === 34 ? '"' : "'", from);
      if (i < 0 || i >= close) return false;
      const wasValue = writtenValues[w];
      const v =
        wasValue !== undefined && i - from === wasValue.length && text.startsWith(wasValue, from)
          ? wasValue
          : text.slice(from, i);
      i = skipClass(text, i + 1, close, SPACE);
      if (i < close) {
        if (text.charCodeAt(i) !== 44) return false;
        i++;
      }
      k ??= checkedName(names, text.slice(start, nameTo), true);
      if (k === null) return false;
      writtenKeys[w] = k;
      writtenValues[w] = v;
      // Kept in name order as they come (insertion sort: a few names), refusing a name twice.
      let j = n;
      while (j > 0 && keys[j - 1]!.name > k.name) j--;
      if (keys[j - 1]?.name === k.name) return false;
      for (let x = n; x > j; x--) {
        keys[x] = keys[x - 1]!;
        values[x] = values[x - 1]!;
      }
      keys[j] = k;
      values[j] = v;
      n++;
    }
  }
  out.n = n;
  return true;
}

/** What makeLabels makes of the pairs: empty values left out, frozen. */
function pairLabels({ keys, values, n }: PairScratch): Labels {
  const labels: Record<string, string> = {};
  for (let j = 0; j < n; j++) if (values[j] !== '') labels[keys[j]!.name] = values[j]!;
  return Object.freeze(labels);
}

/** The descriptor's labels through the PromQL grammar (any descriptor; positioned errors). */
function grammarDescriptor(text: string, trimmed: string): Result<Labels> {
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

/**
 * Parses a series descriptor such as 'up{job="x"}' into labels (via the PromQL grammar). With
 * `names`, simple descriptors (`name{a="x"}`, no escapes) are read by hand, each name checked with
 * the grammar once in `names`: a caller reading many descriptors passes one for all of them.
 */
export function parseSeriesDescriptor(text: string, names?: CheckedNames): Result<Labels> {
  const trimmed = text.trim();
  if (names !== undefined) {
    const pairs = pairScratch();
    if (simpleDescriptor(trimmed, names, pairs)) {
      return { ok: true, value: pairLabels(pairs), warnings: [] };
    }
  }
  return grammarDescriptor(text, trimmed);
}

/**
 * Reads many series descriptors (a test file's input series), as parseSeriesDescriptor with one
 * CheckedNames for all of them, each into its label set and that set's labelsKey, built in the
 * same pass over a simple descriptor's names and values (already in order): a test file of many
 * short series reads tens of thousands of them, and keying each label set again afterwards made
 * as much garbage as reading it. The label sets share their names' strings (see CheckedNames).
 */
export class SeriesDescriptorReader {
  /** The labels of the descriptor read last. */
  labels: Labels = Object.freeze({});
  /** labelsKey(labels). */
  key = '';
  private readonly pairs = pairScratch();
  /** The key's pieces, joined into one string (adding them made a string per piece). */
  private readonly pieces: string[] = [];

  constructor(readonly names: CheckedNames = new Map()) {}

  /** Reads a descriptor into labels and key; its error (as parseSeriesDescriptor's) or null. */
  read(text: string): PositionedError | null {
    const trimmed = text.trim();
    const pairs = this.pairs;
    if (simpleDescriptor(trimmed, this.names, pairs)) {
      const { keys, values, n } = pairs;
      const pieces = this.pieces;
      // labelsKey's form, `name\xffvalue\xfe` for each label in name order, as the names'
      // pieces between the values.
      let p = 0;
      for (let j = 0; j < n; j++) {
        const v = values[j]!;
        if (v === '') continue;
        pieces[p] = p === 0 ? keys[j]!.head : keys[j]!.link;
        pieces[p + 1] = v;
        p += 2;
      }
      pieces[p] = p === 0 ? '' : '\xfe';
      p++;
      // Pieces past `p` are left from a longer key: cut them off (the array keeps its store).
      if (pieces.length > p) pieces.length = p;
      this.labels = pairLabels(pairs);
      this.key = pieces.join('');
      return null;
    }
    const r = grammarDescriptor(text, trimmed);
    if (!r.ok) return r.error;
    this.labels = r.value;
    this.key = labelsKey(r.value);
    return null;
  }
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
