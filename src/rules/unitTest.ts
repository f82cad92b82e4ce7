// promtool's rule unit tests (cmd/promtool/unittest.go): the test file format, the rule
// manager's evaluation schedule from 0 to the largest eval_time, alert and PromQL expression
// checks, and promtool's output word for word (`alertname: X, time: 5m, exp:… got:…`).
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import {
  SeriesStore,
  children,
  evalRange,
  exprType,
  parseSeriesDescriptor,
  parseSeriesValues,
  SeriesDescriptorReader,
  type Expr,
  type Labels,
  type Point,
  type Series,
  compareLabels,
} from '../promql/index.ts';
import { AlertingRule } from './alerting.ts';
import {
  PROMTOOL_MAX_SAMPLES,
  makeQueryFn,
  ParsedExprs,
  parseRuleExpr,
  ruleQueryText,
  type QueryFn,
  type QueryResult,
  type QuerySample,
} from './engine.ts';
import { RecordingRule, RuleGroup, type Rule, type SampleSink } from './group.ts';
import { goPairs, goYamlTree, parseGoYaml, type GoYamlDoc } from './goYaml.ts';
import { isAlertRule, parseRuleFile, type ParsedRuleFile } from './ruleFile.ts';
import {
  columnScratch,
  parseSimpleSeriesColumns,
  pointsToColumns,
  spacedSimpleTokens,
  SPACED_TOKENS_SOURCE,
  type ColumnScratch,
} from './seriesValues.ts';
import type { ParsedTemplates } from './template/expand.ts';
import {
  formatDuration,
  formatGoDuration,
  formatGoFloat,
  formatLabelsGo,
  parseDuration,
  quoteString,
} from '../text/index.ts';

/** How to run rule unit tests. */
export interface RuleTestOptions {
  compat?: 'v2' | 'v3';
  /** Only test groups whose name matches run (promtool 3's --run). */
  run?: { test(name: string): boolean };
  /** Reads a file; throws (with a message) when it cannot. */
  readFile: (path: string) => string;
  /** Expands a glob pattern to matching paths (sorted); without it patterns are literal paths. */
  glob?: (pattern: string) => string[];
  /**
   * How the rule manager is replayed: 'auto' (default) evaluates each rule once over the whole
   * schedule where that gives promtool's results, else step by step; 'step' always steps.
   */
  replay?: 'auto' | 'step';
  /** Told which replay each test group took (for tests). */
  onReplay?: (group: string, replay: 'range' | 'step') => void;
}

/** One line of output, for standard output or standard error. */
export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Everything a `test rules` run produced. */
export interface RuleTestReport {
  output: OutputChunk[];
  passed: number;
  failed: number;
  exitCode: 0 | 1;
}

interface AlertCase {
  evalTime: number;
  evalTimeText: string;
  alertname: string;
  expAlerts: { labels: Record<string, string>; annotations: Record<string, string> }[];
}

interface ExprCase {
  expr: string;
  evalTime: number;
  evalTimeText: string;
  expSamples: { labels: string; value: number }[];
}

interface TestGroup {
  interval: number | undefined;
  /**
   * The input series, read one by one when the group runs (from the file's text, for a stashed
   * list: see StashedList).
   */
  inputSeries: InputList;
  alertTests: AlertCase[];
  exprTests: ExprCase[];
  externalLabels: Record<string, string>;
  externalURL: string;
  name: string;
  startTimestamp: number;
}

/** An input series as the test file writes it. */
interface InputItem {
  series: string;
  values: string;
  /** The values are known to be simple tokens (see spacedSimpleTokens). */
  wellFormed?: boolean;
}

/**
 * A test group's input series, each read when asked for (an array, or a stashed list made item
 * by item, so that each item's strings die young). A stashed list hands out one item object,
 * filled anew by each `at`: take what is needed from it before the next call.
 */
interface InputList {
  readonly length: number;
  at(i: number): InputItem | undefined;
}

interface TestFile {
  ruleFiles: string[];
  evaluationInterval: number;
  groupEvalOrder: string[];
  fuzzyCompare: boolean;
  tests: TestGroup[];
}

class TestFileError extends Error {}

/**
 * A test group's `start_timestamp` (Prometheus 3) in Unix ms: Unix seconds, or a date and time
 * such as 2024-01-01T00:00:00Z. Null when it is neither.
 */
export function parseStartTimestamp(s: string): number | null {
  const asNum = Number(s);
  if (s.trim() !== '' && Number.isFinite(asNum)) return asNum * 1000;
  const parsed = Date.parse(s);
  return Number.isNaN(parsed) ? null : parsed;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return p.slice(0, i);
}

/** filepath.Join + Clean for slash-separated paths. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  const abs = joined.startsWith('/');
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const s = (abs ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

const STASH_MARK = '__quorumlab_values_';

/** Long `values:` strings taken out of a test file's text, and which of them were read back. */
interface ValuesStash {
  values: string[];
  taken: boolean[];
  /**
   * Whole `input_series` and `alert_rule_test` lists taken out (see stashLists), and which were
   * read back.
   */
  series: StashedList[];
  seriesTaken: boolean[];
  /** Set when a placeholder was read twice or looked wrong: the stash cannot be trusted. */
  bad: boolean;
}

const SERIES_MARK = '__quorumlab_series_';

/**
 * A list taken out of a test file's text (see stashLists): its key and where each item's two
 * fields are in the text, read when they are needed (a file of many groups keeps no strings or
 * objects per input series while other groups run).
 */
interface StashedList {
  key: string;
  /** The text the offsets are in. */
  source: string;
  /**
   * Per item, four offsets: where each of its two fields (LIST_FIELDS order) starts and ends:
   * the string itself where it stands verbatim in the text (see VERBATIM_FIRST), else the raw
   * scalar (from after `key: ` to the end of its line).
   */
  at: Int32Array;
  /** Per item: WELL_FORMED, VERBATIM_FIRST, VERBATIM_SECOND. */
  flags: Uint8Array;
}

/** An input_series item's values are simple tokens (spacedSimpleTokens). */
const WELL_FORMED = 1;
/** The offsets of an item's first field are those of its string, not of the raw scalar. */
const VERBATIM_FIRST = 2;
/** The same for its second field. */
const VERBATIM_SECOND = 4;

/**
 * Where `value`, what a scalar written as `raw` (which starts at `from`) spells, stands in the
 * text as it is (a plain scalar, or a quoted one without escapes), else -1.
 */
function verbatimAt(text: string, from: number, raw: string, value: string): number {
  const lead = raw.length - raw.trimStart().length;
  const q = raw.charCodeAt(lead);
  const start = from + lead + (q === 39 || q === 34 ? 1 : 0);
  return text.startsWith(value, start) ? start : -1;
}

/** The lists stashLists takes out, each with the two fields its items may have. */
const LIST_FIELDS: Record<string, readonly [string, string]> = {
  input_series: ['series', 'values'],
  alert_rule_test: ['eval_time', 'alertname'],
};

/** What a double-quoted scalar read as its text must not hold: a tab, quote or backslash. */
const QUOTED_SPECIAL = /[\t"\\]/;
/** What a plain scalar read as its text must not hold: a tab, `: ` or ` #`. */
const PLAIN_SPECIAL = /\t|: | #/;

/**
 * The string a one-line scalar spells (what the test file's reader takes from it), when it is
 * of a form read the same by every YAML reader: a plain scalar that cannot be anything but text
 * (no `: `, ` #`, tab, leading indicator or null), a single-quoted one, or a double-quoted one
 * without escapes. Else null.
 */
function simpleScalar(raw: string): string | null {
  const t = raw.trim();
  if (t === '') return null;
  const q = t[0];
  if (q === "'") {
    if (t.includes('\t')) return null;
    if (t.length < 2 || !t.endsWith("'") || !/^(?:[^']|'')*$/.test(t.slice(1, -1))) return null;
    return t.slice(1, -1).replaceAll("''", "'");
  }
  // Values lines run to megabytes: each check is one regex pass (compiled code), not a loop.
  if (q === '"') {
    if (t.length < 2 || !t.endsWith('"')) return null;
    // No tab, quote or backslash inside.
    const inner = t.slice(1, -1);
    return QUOTED_SPECIAL.test(inner) ? null : inner;
  }
  if (!/^(?:[A-Za-z0-9_]|[-+.][0-9.])/.test(t)) return null;
  if (t.endsWith(':')) return null;
  if (PLAIN_SPECIAL.test(t)) return null;
  if (t === 'null' || t === 'Null' || t === 'NULL') return null;
  return t;
}

/** A line that opens a list stashLists may take out. */
const LIST_HEAD = /^( *)(input_series|alert_rule_test): *$/gm;
/** An item's first line, read at the start of the line after the list's key. */
const FIRST_ITEM = /( *)- ([a-z_]+): /y;
/** A line holding nothing but white space or a comment, read at its start. */
const BLANK_LINE = /[^\S\n]*(?:#[^\n]*)?(?:\n|$)/y;
/** The white space a line starts with, read at its start. */
const LEADING_SPACE = /[^\S\n]*/y;

/** Where the line starting at `from` ends (its `\n`, or the end of the text). */
function lineEnd(text: string, from: number): number {
  const e = text.indexOf('\n', from);
  return e < 0 ? text.length : e;
}

/** Where the line after the one holding `from` starts, or -1 when that is the last line. */
function nextLine(text: string, from: number): number {
  const e = text.indexOf('\n', from);
  return e < 0 ? -1 : e + 1;
}

/**
 * Where the key ends (its `:`) of a `key: value` line that starts at `from` with `prefix`, the
 * key of [a-z_]+, or -1.
 */
function listFieldKeyEnd(text: string, from: number, to: number, prefix: string): number {
  if (!text.startsWith(prefix, from)) return -1;
  const keyFrom = from + prefix.length;
  let i = keyFrom;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || c === 95)) break;
  }
  if (i === keyFrom || i + 1 >= to || text.charCodeAt(i) !== 58 || text.charCodeAt(i + 1) !== 32)
    return -1;
  return i;
}

/** Whether text[from, to) is `name`. */
function spells(text: string, from: number, to: number, name: string): boolean {
  return to - from === name.length && text.startsWith(name, from);
}

/**
 * The places of a list's items as stashLists reads them (see StashedList), in arrays that grow
 * and are reused from list to list (an array of numbers emptied per list gave up its store).
 */
class ItemPlaces {
  places = new Int32Array(1024);
  flags = new Uint8Array(256);
  count = 0;

  clear(): void {
    this.count = 0;
  }

  /** An item's two fields, from and to each, and its flags. */
  push(from1: number, to1: number, from2: number, to2: number, bits: number): void {
    const i = this.count;
    if (i >= this.flags.length) {
      const places = new Int32Array(this.places.length * 2);
      places.set(this.places);
      this.places = places;
      const flags = new Uint8Array(this.flags.length * 2);
      flags.set(this.flags);
      this.flags = flags;
    }
    this.places[4 * i] = from1;
    this.places[4 * i + 1] = to1;
    this.places[4 * i + 2] = from2;
    this.places[4 * i + 3] = to2;
    this.flags[i] = bits;
    this.count = i + 1;
  }
}

/** The longest item (its two lines) that commonItem matches. */
const COMMON_ITEM_MAX = 2048;

/**
 * Reads the item of a list starting at a line, when it is of the usual form of its list: for
 * input_series, `- series: 'S'` (or "S", quoted without escapes) and `values: V` of simple
 * tokens spaced by spaces; for alert_rule_test, `- eval_time: T` and `alertname: A` in plain
 * words. One regex match (native code) instead of the checks field by field: files of many
 * short series hold tens of thousands of items. What it reads is what those checks give (each
 * field verbatim): it pushes the fields' offsets to `at` and tells whether it read one, leaving
 * `next` at the following line (-1 at the end of the text) and `bits` the item's flags.
 */
function commonItem(
  key: string,
  itemIndent: number,
): { read: (text: string, from: number, at: ItemPlaces) => boolean; next: number; bits: number } {
  const inputs = key === 'input_series';
  const first = inputs ? 'series' : 'eval_time';
  const second = inputs ? 'values' : 'alertname';
  const firstValue = inputs ? String.raw`'[^'\t\n]*'|"[^"\\\t\n]*"` : '[0-9][0-9a-z.]*';
  const secondValue = inputs ? SPACED_TOKENS_SOURCE : ' *[A-Za-z_][A-Za-z0-9_]* *';
  const indent = ' '.repeat(itemIndent);
  // Tested, not executed: a match array and its captures' strings per item were most of what
  // reading the lists allocated. The fields' places follow from the form.
  const re = new RegExp(
    String.raw`${indent}- ${first}: (?:${firstValue}) *\n${indent}  ${second}: (?:${secondValue})(?:\n|$)`,
    'y',
  );
  /** Where the first field's value starts on its line, and the second's raw scalar on its. */
  const firstAt = itemIndent + 2 + first.length + 2;
  const secondAt = itemIndent + 2 + second.length + 2;
  const out = {
    next: -1,
    bits: VERBATIM_FIRST | VERBATIM_SECOND | (inputs ? WELL_FORMED : 0),
    read(text: string, from: number, at: ItemPlaces): boolean {
      const e1 = text.indexOf('\n', from);
      const e2 = e1 < 0 ? -1 : text.indexOf('\n', e1 + 1);
      if (e1 < 0 || (e2 < 0 ? text.length : e2) - from > COMMON_ITEM_MAX) return false;
      re.lastIndex = from;
      if (!re.test(text)) return false;
      const matchEnd = re.lastIndex;
      // The first value runs to its line's last character but spaces (a quoted series
      // stands inside its quotes).
      const quote = inputs ? 1 : 0;
      let end1 = e1;
      while (text.charCodeAt(end1 - 1) === 32) end1--;
      const from1 = from + firstAt + quote;
      const to1 = end1 - quote;
      // The second, its raw scalar trimmed of spaces (what the pattern allows around it).
      const atEnd = matchEnd === text.length && text.charCodeAt(matchEnd - 1) !== 10;
      let from2 = e1 + 1 + secondAt;
      let to2 = atEnd ? matchEnd : matchEnd - 1;
      while (from2 < to2 && text.charCodeAt(from2) === 32) from2++;
      while (to2 > from2 && text.charCodeAt(to2 - 1) === 32) to2--;
      // What simpleScalar refuses of plain words.
      if (
        !inputs &&
        (spells(text, from2, to2, 'null') ||
          spells(text, from2, to2, 'Null') ||
          spells(text, from2, to2, 'NULL'))
      )
        return false;
      at.push(from1, to1, from2, to2, out.bits);
      out.next = atEnd ? -1 : matchEnd;
      return true;
    },
  };
  return out;
}

/**
 * Takes each `input_series:` block made only of `- series: S` / `values: V` pairs on one line
 * each (simple scalars, see simpleScalar), and each `alert_rule_test:` block made only of
 * `- eval_time: T` / `alertname: A` pairs (either order), out of the text: the YAML parser
 * builds a node tree of every item otherwise, which on files of many short series is most of
 * the run. The key's line keeps a placeholder and the block's lines go (even blank lines cost
 * the parser): line numbers of the rest shift, but any error found in the stashed text makes
 * the caller parse the original text for its message. Anything unusual leaves the block to the
 * parser. Each item is checked here and only its place kept (see StashedList): its strings are
 * made again when the list is read. The text is read in place, never split into lines.
 */
function stashLists(text: string): { text: string; series: StashedList[] } | null {
  if (text.includes('\r') || text.includes(SERIES_MARK)) return null;
  // Lines holding U+2028 or U+2029 are left to the YAML parser (for a one-byte string, as an
  // ASCII file is read, V8 answers these at once).
  if (text.includes('\u2028') || text.includes('\u2029')) return null;
  if (!text.includes('input_series:') && !text.includes('alert_rule_test:')) return null;
  const series: StashedList[] = [];
  const out: string[] = [];
  let copied = 0;
  const at = new ItemPlaces();
  LIST_HEAD.lastIndex = 0;
  for (let head = LIST_HEAD.exec(text); head !== null; head = LIST_HEAD.exec(text)) {
    const keyIndent = head[1]?.length ?? 0;
    const key = head[2] ?? '';
    const fieldNames = LIST_FIELDS[key];
    if (fieldNames === undefined) continue;
    const itemsFrom = nextLine(text, head.index);
    if (itemsFrom < 0) continue;
    FIRST_ITEM.lastIndex = itemsFrom;
    const itemIndent = FIRST_ITEM.exec(text)?.[1]?.length ?? -1;
    if (itemIndent < keyIndent) continue;
    const itemPrefix = `${' '.repeat(itemIndent)}- `;
    const secondPrefix = ' '.repeat(itemIndent + 2);
    at.clear();
    const common = commonItem(key, itemIndent);
    // The start of the line read next (-1: there is none).
    let j = itemsFrom;
    let ok = true;
    while (j >= 0) {
      // An item of the usual form, both its lines short, is read with one match.
      if (common.read(text, j, at)) {
        j = common.next;
        continue;
      }
      const end1 = lineEnd(text, j);
      const key1 = listFieldKeyEnd(text, j, end1, itemPrefix);
      if (key1 < 0) break;
      const j2 = nextLine(text, j);
      const end2 = j2 < 0 ? -1 : lineEnd(text, j2);
      const key2 = j2 < 0 ? -1 : listFieldKeyEnd(text, j2, end2, secondPrefix);
      if (key2 < 0) {
        ok = false;
        break;
      }
      const from1 = j + itemPrefix.length;
      const from2 = j2 + secondPrefix.length;
      const raw1 = text.slice(key1 + 2, end1);
      const raw2 = text.slice(key2 + 2, end2);
      // A values line of simple tokens is a plain scalar of its own text: one regex pass (such
      // lines run to megabytes) that also spares the values scanner its check.
      const spaced =
        key === 'input_series' && spells(text, from2, key2, 'values') && spacedSimpleTokens(raw2);
      const value1 = simpleScalar(raw1);
      const value2 = spaced ? raw2.trim() : simpleScalar(raw2);
      if (value1 === null || value2 === null) {
        ok = false;
        break;
      }
      // Each field by its string's place where it stands verbatim, else by the raw scalar's.
      const at1 = verbatimAt(text, key1 + 2, raw1, value1);
      // A values line of simple tokens stands trimmed where it is (no need to compare it).
      const at2 = spaced
        ? key2 + 2 + raw2.length - raw2.trimStart().length
        : verbatimAt(text, key2 + 2, raw2, value2);
      const field1 = at1 < 0 ? [key1 + 2, end1] : [at1, at1 + value1.length];
      const field2 = at2 < 0 ? [key2 + 2, end2] : [at2, at2 + value2.length];
      let bits = spaced ? WELL_FORMED : 0;
      if (spells(text, from1, key1, fieldNames[0]) && spells(text, from2, key2, fieldNames[1])) {
        bits |= (at1 < 0 ? 0 : VERBATIM_FIRST) | (at2 < 0 ? 0 : VERBATIM_SECOND);
        at.push(field1[0]!, field1[1]!, field2[0]!, field2[1]!, bits);
      } else if (
        key === 'alert_rule_test' &&
        spells(text, from1, key1, fieldNames[1]) &&
        spells(text, from2, key2, fieldNames[0])
      ) {
        bits |= (at2 < 0 ? 0 : VERBATIM_FIRST) | (at1 < 0 ? 0 : VERBATIM_SECOND);
        at.push(field2[0]!, field2[1]!, field1[0]!, field1[1]!, bits);
      } else {
        ok = false;
        break;
      }
      j = nextLine(text, j2);
    }
    // What follows must close the list: the end, or a line no deeper than the key that is not
    // another item of it (blank and comment lines are skipped to find it).
    let k = j;
    for (;;) {
      if (k < 0) break;
      BLANK_LINE.lastIndex = k;
      if (!BLANK_LINE.test(text)) break;
      k = nextLine(text, k);
    }
    if (k >= 0) {
      LEADING_SPACE.lastIndex = k;
      LEADING_SPACE.test(text);
      const d = LEADING_SPACE.lastIndex - k;
      if (d > keyIndent || (d === itemIndent && text.charCodeAt(k + d) === 45) /* - */) ok = false;
    }
    if (!ok || at.count === 0) continue;
    out.push(
      text.slice(copied, head.index),
      `${' '.repeat(keyIndent)}${key}: ${SERIES_MARK}${series.length}`,
    );
    // The newline before the line that closes the list stays.
    copied = j < 0 ? text.length : j - 1;
    series.push({
      key,
      source: text,
      at: at.places.slice(0, 4 * at.count),
      flags: at.flags.slice(0, at.count),
    });
    if (j < 0) break;
    LIST_HEAD.lastIndex = j;
  }
  if (series.length === 0) return null;
  out.push(text.slice(copied));
  return { text: out.join(''), series };
}

/** The items of a stashed list: each field's string as the YAML reader gives it. */
function stashedItems<T>(
  list: StashedList,
  make: (first: string, second: string, wellFormed: boolean) => T,
): T[] {
  const out: T[] = [];
  for (let i = 0; i < list.flags.length; i++) out.push(stashedItem(list, i, make));
  return out;
}

/** The i-th item of a stashed list (see stashedItems). */
function stashedItem<T>(
  list: StashedList,
  i: number,
  make: (first: string, second: string, wellFormed: boolean) => T,
): T {
  const { source, at, flags } = list;
  const o = i * 4;
  const bits = flags[i] ?? 0;
  const field1 = source.slice(at[o], at[o + 1]);
  const field2 = source.slice(at[o + 2], at[o + 3]);
  // stashLists read both: neither is null.
  return make(
    (bits & VERBATIM_FIRST) !== 0 ? field1 : (simpleScalar(field1) ?? ''),
    (bits & VERBATIM_SECOND) !== 0 ? field2 : (simpleScalar(field2) ?? ''),
    (bits & WELL_FORMED) !== 0,
  );
}

/**
 * Swaps each long one-line plain `values:` scalar for a short placeholder, so that the YAML
 * parser does not scan megabytes of numbers. Lines stay where they are (errors cite lines), and
 * the caller verifies that every placeholder came back exactly once as a series' values;
 * otherwise (a continuation line, a `values:` inside a block scalar) it parses the original.
 */
function stashValues(text: string): { text: string; stash: ValuesStash } | null {
  const listed = stashLists(text);
  if (listed !== null) text = listed.text;
  const series = listed?.series ?? [];
  const stash = (values: string[]): ValuesStash => ({
    values,
    taken: values.map(() => false),
    series,
    seriesTaken: series.map(() => false),
    bad: false,
  });
  if (text.includes(STASH_MARK)) return listed === null ? null : { text, stash: stash([]) };
  const values: string[] = [];
  const out: string[] = [];
  let copied = 0;
  let at = text.indexOf('values:');
  while (at >= 0) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    let lineEnd = text.indexOf('\n', at);
    if (lineEnd < 0) lineEnd = text.length;
    const next = text.indexOf('values:', lineEnd);
    const valueStart = at + 'values:'.length;
    const value = text.slice(valueStart, lineEnd).trim();
    if (
      /^[ \t]*(?:-[ \t]+)?$/.test(text.slice(lineStart, at)) &&
      /^[ \t]/.test(text.slice(valueStart, valueStart + 1)) &&
      value.length >= 64 &&
      /^(?:[0-9A-Za-z_.+]|-[0-9A-Za-z_.])[0-9A-Za-z_.+\- \t]*$/.test(value) &&
      /[ \t]/.test(value)
    ) {
      out.push(text.slice(copied, valueStart), ` ${STASH_MARK}${values.length}`);
      values.push(value);
      copied = lineEnd;
    }
    at = next;
  }
  if (values.length === 0) return listed === null ? null : { text, stash: stash([]) };
  out.push(text.slice(copied));
  return { text: out.join(''), stash: stash(values) };
}

/** A series' values as read from the parsed file: the stashed text for a placeholder. */
function unstash(v: string, stash: ValuesStash | null): string {
  if (stash === null || !v.startsWith(STASH_MARK)) return v;
  const i = Number(v.slice(STASH_MARK.length));
  const original = stash.values[i];
  if (
    original === undefined ||
    stash.taken[i] === true ||
    !/^\d+$/.test(v.slice(STASH_MARK.length))
  ) {
    stash.bad = true;
    return v;
  }
  stash.taken[i] = true;
  return original;
}

/** A top-level key of a test file that readSkeleton takes, and whether its value is a list. */
const SKELETON_TOP: Record<string, 'list' | 'scalar' | 'groups'> = {
  rule_files: 'list',
  evaluation_interval: 'scalar',
  group_eval_order: 'list',
  tests: 'groups',
};
/** The keys of a test group that readSkeleton takes (each read as a string or a duration). */
const SKELETON_GROUP = new Set(['name', 'interval', 'input_series', 'alert_rule_test']);
/** A `key: value` line (the value may be empty), after its indentation. */
const SKELETON_FIELD = /^([a-z_]+):(?: (.*))?$/;
/** A blank line or a comment line. */
const SKELETON_BLANK = /^ *(?:#.*)?$/;
/** A plain item of a one-line flow list (rule files' paths) and a quoted one without escapes. */
const FLOW_PLAIN = /^[A-Za-z0-9_./+-]+$/;
const FLOW_QUOTED = /^(?:"[^"\\,]*"|'[^',]*')$/;

/** A scalar node as the YAML parser makes it for a plain or quoted scalar spelling `s`. */
function skeletonScalar(s: string): Scalar {
  const n = new Scalar(s);
  n.source = s;
  return n;
}

/**
 * What is left of a test file once its lists are stashed (stashValues) is usually a skeleton:
 * `rule_files`, `evaluation_interval` and `tests`, each test group a few `key: value` lines
 * (name, interval, the placeholders). Read here, line by line, into the nodes the YAML parser
 * would make of it (strings only: every field read from them is read as a string or a
 * duration): the parser's first run in a process costs tens of milliseconds even on a few
 * kilobytes. Null for anything else, which the YAML parser then reads; any error found in the
 * nodes makes the caller read the original text, as for the stashed lists.
 */
function readSkeleton(text: string): Node | null {
  if (text.includes('\t') || text.includes('\r')) return null;
  const lines = text.split('\n');
  const indentOf = (l: string): number => l.length - l.trimStart().length;
  let i = 0;
  const skipBlank = (): void => {
    while (i < lines.length && SKELETON_BLANK.test(lines[i] ?? '')) i++;
  };
  /** A scalar's string, or null unless it is simple (see simpleScalar). */
  const scalarOf = (raw: string | undefined): Scalar | null => {
    const s = raw === undefined ? null : simpleScalar(raw);
    return s === null ? null : skeletonScalar(s);
  };
  /** A block list of scalars, `- value` lines at one indentation. */
  const readList = (): YAMLSeq | null => {
    skipBlank();
    const indent = indentOf(lines[i] ?? '');
    const seq = new YAMLSeq();
    for (; i < lines.length; skipBlank()) {
      const line = lines[i] ?? '';
      const d = indentOf(line);
      // A line less indented, or a key's line where the items stand at the key's indentation,
      // ends the list.
      if (d < indent || (d === 0 && !line.startsWith('- '))) break;
      if (d !== indent || !line.startsWith('- ', indent)) return null;
      const item = scalarOf(line.slice(indent + 2));
      if (item === null) return null;
      seq.items.push(item);
      i++;
    }
    return seq.items.length === 0 ? null : seq;
  };
  /** A block list of test groups, each `key: value` lines. */
  const readGroups = (): YAMLSeq | null => {
    skipBlank();
    const indent = indentOf(lines[i] ?? '');
    const seq = new YAMLSeq();
    let group: YAMLMap | null = null;
    let seen = new Set<string>();
    for (; i < lines.length; skipBlank()) {
      const line = lines[i] ?? '';
      const d = indentOf(line);
      const item = d === indent && line.startsWith('- ', indent);
      if (d < indent || (d === 0 && !item)) break;
      let field: RegExpExecArray | null;
      if (item) {
        group = new YAMLMap();
        seen = new Set();
        seq.items.push(group);
        field = SKELETON_FIELD.exec(line.slice(indent + 2));
      } else if (group !== null && d === indent + 2) field = SKELETON_FIELD.exec(line.slice(d));
      else return null;
      const key = field?.[1];
      const value = scalarOf(field?.[2]);
      if (group === null || key === undefined || value === null) return null;
      if (!SKELETON_GROUP.has(key) || seen.has(key)) return null;
      seen.add(key);
      group.items.push(new Pair(skeletonScalar(key), value));
      i++;
    }
    return seq.items.length === 0 ? null : seq;
  };
  const root = new YAMLMap();
  const seen = new Set<string>();
  for (skipBlank(); i < lines.length; skipBlank()) {
    const field = SKELETON_FIELD.exec(lines[i] ?? '');
    const key = field?.[1];
    const kind = key === undefined ? undefined : SKELETON_TOP[key];
    if (key === undefined || kind === undefined || seen.has(key)) return null;
    seen.add(key);
    i++;
    const rest = (field?.[2] ?? '').trim();
    let value: Node | null = null;
    if (rest === '') {
      if (kind === 'list') value = readList();
      else if (kind === 'groups') value = readGroups();
    } else if (kind === 'scalar') value = scalarOf(rest);
    else if (kind === 'list' && rest.startsWith('[') && rest.endsWith(']')) {
      const inner = rest.slice(1, -1).trim();
      const seq = new YAMLSeq();
      for (const part of inner === '' ? [] : inner.split(',')) {
        const t = part.trim();
        const item = FLOW_PLAIN.test(t) || FLOW_QUOTED.test(t) ? scalarOf(t) : null;
        if (item === null) return null;
        seq.items.push(item);
      }
      value = seq;
    }
    if (value === null) return null;
    root.items.push(new Pair(skeletonScalar(key), value));
  }
  return root;
}

/** Parses a unit test file strictly (unknown fields are errors, as yaml.UnmarshalStrict). */
function parseTestFile(text: string, compat: 'v2' | 'v3'): TestFile {
  const stashed = stashValues(text);
  if (stashed !== null) {
    try {
      const skeleton = readSkeleton(stashed.text);
      const y = skeleton === null ? parseGoYaml(stashed.text) : goYamlTree(skeleton);
      const file = parseTestFileDoc(y, compat, stashed.stash);
      const { bad, taken, seriesTaken } = stashed.stash;
      if (!bad && taken.every((t) => t) && seriesTaken.every((t) => t)) return file;
    } catch {
      // The original text reports the error, with its own positions.
    }
  }
  return parseTestFileDoc(parseGoYaml(text), compat, null);
}

function parseTestFileDoc(y: GoYamlDoc, compat: 'v2' | 'v3', stash: ValuesStash | null): TestFile {
  if (y.error) throw new TestFileError(`yaml: line ${y.error.line}: ${y.error.message}`);
  const problems: { line: number; text: string }[] = [];
  const lineOf = (n: Node | null | undefined): number => {
    const off = n?.range?.[0];
    return off === undefined ? 0 : y.linePos(off).line;
  };
  const isNull = (n: Node | undefined): boolean =>
    n === undefined || (isScalar(n) && n.value === null);
  /**
   * A struct's fields as yaml.v2 sets them: the last value of each (a merge key's pairs where
   * it stands), and every value of each, since a map field collects them all.
   */
  const fields = (
    raw: Node | undefined,
    allowed: string[],
    typeName: string,
  ): Map<string, Node | undefined> & { all: Map<string, (Node | undefined)[]> } => {
    const out = Object.assign(new Map<string, Node | undefined>(), {
      all: new Map<string, (Node | undefined)[]>(),
    });
    const n = y.deref(raw);
    if (isNull(n)) return out;
    if (!isMap(n)) {
      problems.push({
        line: lineOf(n),
        text: `cannot unmarshal ${isSeq(n) ? '!!seq' : '!!str'} into ${typeName}`,
      });
      return out;
    }
    for (const pair of goPairs(y, n, 'v2')) {
      const k = pair.key;
      if (!allowed.includes(k)) {
        problems.push({
          line: lineOf(pair.keyNode),
          text: `field ${k} not found in type ${typeName}`,
        });
        continue;
      }
      out.set(k, pair.value);
      out.all.set(k, [...(out.all.get(k) ?? []), pair.value]);
    }
    return out;
  };
  const str = (raw: Node | undefined): string => {
    const n = y.deref(raw);
    if (isNull(n) || n === undefined) return '';
    if (isScalar(n)) return String(n.source ?? n.value);
    problems.push({
      line: lineOf(n),
      text: `cannot unmarshal ${isMap(n) ? '!!map' : '!!seq'} into string`,
    });
    return '';
  };
  const dur = (n: Node | undefined): { ms: number; text: string } => {
    if (isNull(y.deref(n))) return { ms: 0, text: '0s' };
    const s = str(n);
    const ms = parseDuration(s);
    if (ms === null) throw new TestFileError(`not a valid duration string: ${JSON.stringify(s)}`);
    return { ms, text: formatDuration(ms) };
  };
  const num = (raw: Node | undefined): number => {
    const n = y.deref(raw);
    if (isNull(n) || n === undefined) return 0;
    if (isScalar(n) && typeof n.value === 'number') return n.value;
    problems.push({ line: lineOf(n), text: `cannot unmarshal !!str \`${str(n)}\` into float64` });
    return 0;
  };
  const seq = (raw: Node | undefined, typeName: string): Node[] => {
    const n = y.deref(raw);
    if (isNull(n)) return [];
    if (!isSeq(n)) {
      problems.push({ line: lineOf(n), text: `cannot unmarshal !!map into ${typeName}` });
      return [];
    }
    return n.items as Node[];
  };
  /** A map[string]string field: yaml.v2 decodes every value into one map, strictly. */
  const strMap = (values: (Node | undefined)[] | undefined): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const raw of values ?? []) {
      const n = y.deref(raw);
      if (isNull(n)) continue;
      if (!isMap(n)) {
        problems.push({ line: lineOf(n), text: `cannot unmarshal !!seq into map[string]string` });
        continue;
      }
      for (const pair of goPairs(y, n, 'v2')) {
        const k = str(pair.keyNode);
        if (Object.hasOwn(out, k)) {
          const at = lineOf(pair.value) || lineOf(pair.keyNode);
          problems.push({ line: at, text: `key ${JSON.stringify(k)} already set in map` });
          continue;
        }
        out[k] = str(pair.value);
      }
    }
    return out;
  };

  /** A stashed list for its placeholder under `key` (see stashLists), else null. */
  const unstashList = (raw: Node | undefined, key: string): StashedList | null => {
    if (stash === null || stash.series.length === 0) return null;
    const n = y.deref(raw);
    if (n === undefined || !isScalar(n) || typeof n.value !== 'string') return null;
    if (!n.value.startsWith(SERIES_MARK)) return null;
    const i = Number(n.value.slice(SERIES_MARK.length));
    const list = stash.series[i];
    if (list === undefined || list.key !== key || stash.seriesTaken[i] === true) {
      stash.bad = true;
      return null;
    }
    stash.seriesTaken[i] = true;
    return list;
  };
  const unstashSeries = (raw: Node | undefined): InputList | null => {
    const list = unstashList(raw, 'input_series');
    if (list === null) return null;
    // One item for the list, filled anew by each `at` (its reader takes the strings before
    // asking for the next): an object per input series made garbage for nothing.
    const item: InputItem = { series: '', values: '', wellFormed: false };
    const make = (series: string, values: string, wellFormed: boolean): InputItem => {
      item.series = series;
      item.values = values;
      item.wellFormed = wellFormed;
      return item;
    };
    return {
      length: list.flags.length,
      at: (i) => (i >= 0 && i < list.flags.length ? stashedItem(list, i, make) : undefined),
    };
  };
  const unstashAlertTests = (raw: Node | undefined): AlertCase[] | null => {
    const list = unstashList(raw, 'alert_rule_test');
    if (list === null) return null;
    // A list's items mostly repeat the eval_time of the one before: read once, as it is written.
    let lastText = '';
    let last = { ms: 0, text: '' };
    return stashedItems(list, (s, alertname) => {
      if (s !== lastText || last.text === '') {
        const ms = parseDuration(s);
        if (ms === null) {
          throw new TestFileError(`not a valid duration string: ${JSON.stringify(s)}`);
        }
        lastText = s;
        last = { ms, text: formatDuration(ms) };
      }
      return {
        evalTime: last.ms,
        evalTimeText: last.text,
        alertname,
        expAlerts: [],
      };
    });
  };
  const topFields = ['rule_files', 'evaluation_interval', 'group_eval_order', 'tests'];
  const groupFields = [
    'interval',
    'input_series',
    'alert_rule_test',
    'promql_expr_test',
    'external_labels',
    'external_url',
    'name',
  ];
  if (compat === 'v3') {
    topFields.push('fuzzy_compare');
    groupFields.push('start_timestamp');
  }
  const top = fields(y.contents ?? undefined, topFields, 'main.unitTestFile');
  const file: TestFile = {
    ruleFiles: seq(top.get('rule_files'), '[]string').map((n) => str(n)),
    evaluationInterval: dur(top.get('evaluation_interval')).ms,
    groupEvalOrder: seq(top.get('group_eval_order'), '[]string').map((n) => str(n)),
    fuzzyCompare: (() => {
      const n = top.get('fuzzy_compare');
      const v = y.deref(n);
      return v !== undefined && isScalar(v) && v.value === true;
    })(),
    tests: [],
  };
  for (const tn of seq(top.get('tests'), '[]main.testGroup')) {
    const g = fields(tn, groupFields, 'main.testGroup');
    const interval =
      g.has('interval') && !isNull(g.get('interval')) ? dur(g.get('interval')).ms : undefined;
    const startNode = g.get('start_timestamp');
    let startTimestamp = 0;
    if (!isNull(startNode)) {
      const s = str(startNode);
      const parsed = parseStartTimestamp(s);
      if (parsed === null) throw new TestFileError(`invalid start_timestamp: ${JSON.stringify(s)}`);
      startTimestamp = parsed;
    }
    file.tests.push({
      interval,
      inputSeries:
        unstashSeries(g.get('input_series')) ??
        seq(g.get('input_series'), '[]main.series').map((sn) => {
          const f = fields(sn, ['series', 'values'], 'main.series');
          return { series: str(f.get('series')), values: unstash(str(f.get('values')), stash) };
        }),
      alertTests:
        unstashAlertTests(g.get('alert_rule_test')) ??
        seq(g.get('alert_rule_test'), '[]main.alertTestCase').map((an) => {
          const f = fields(an, ['eval_time', 'alertname', 'exp_alerts'], 'main.alertTestCase');
          const et = dur(f.get('eval_time'));
          return {
            evalTime: et.ms,
            evalTimeText: et.text,
            alertname: str(f.get('alertname')),
            expAlerts: seq(f.get('exp_alerts'), '[]main.alert').map((en) => {
              const e = fields(en, ['exp_labels', 'exp_annotations'], 'main.alert');
              return {
                labels: strMap(e.all.get('exp_labels')),
                annotations: strMap(e.all.get('exp_annotations')),
              };
            }),
          };
        }),
      exprTests: seq(g.get('promql_expr_test'), '[]main.promqlTestCase').map((pn) => {
        const f = fields(pn, ['expr', 'eval_time', 'exp_samples'], 'main.promqlTestCase');
        const et = dur(f.get('eval_time'));
        return {
          expr: str(f.get('expr')),
          evalTime: et.ms,
          evalTimeText: et.text,
          expSamples: seq(f.get('exp_samples'), '[]main.sample').map((xn) => {
            const x = fields(xn, ['labels', 'value'], 'main.sample');
            return { labels: str(x.get('labels')), value: num(x.get('value')) };
          }),
        };
      }),
      externalLabels: strMap(g.all.get('external_labels')),
      externalURL: str(g.get('external_url')),
      name: str(g.get('name')),
      startTimestamp,
    });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    throw new TestFileError(
      `yaml: unmarshal errors:\n${problems.map((p) => `  line ${p.line}: ${p.text}`).join('\n')}`,
    );
  }
  return file;
}

/**
 * promtool lexes `series values` as one line, so a `{` left open runs into the values, and its
 * lexer stops at the first character that cannot be inside braces (a digit, say). Our series
 * parser reads the series alone; this rewrites its error at such a character (or at the end of
 * the series) as promtool's lexer words it. Null when the error is of another kind.
 */
function insideBracesError(
  series: string,
  values: string,
  error: { from: number; message: string },
): { from: number; message: string } | null {
  const line = `${series} ${values}`;
  let at = error.from;
  if (at >= series.length) {
    at = series.length;
    while (line[at] === ' ' || line[at] === '\t') at++;
  }
  // Brace depth at `at`, strings skipped.
  let depth = 0;
  for (let i = 0; i < at; i++) {
    const c = line[i];
    if (c === '"' || c === "'" || c === '`') {
      const q = c;
      for (i++; i < at && line[i] !== q; i++) if (line[i] === '\\' && q !== '`') i++;
    } else if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  const c = line[at];
  if (depth <= 0 || c === undefined || /[a-zA-Z_"'`,=!~{}\s]/.test(c)) return null;
  const rune = c === "'" ? "'\\''" : c === '\\' ? "'\\\\'" : `'${c}'`;
  return { from: at, message: `unexpected character inside braces: ${rune}` };
}

/** indentLines from unittest.go. */
function indentLines(lines: string, indent: string): string {
  return lines.split('\n').join('\n' + indent);
}

interface AlertEntry {
  labels: Labels;
  annotations: Labels;
}

function compareAlertEntries(a: AlertEntry, b: AlertEntry): number {
  const d = compareLabels(a.labels, b.labels);
  return d !== 0 ? d : compareLabels(a.annotations, b.annotations);
}

function formatAlertEntries(list: AlertEntry[]): string {
  if (list.length === 0) return '[]';
  const one = (a: AlertEntry): string =>
    `Labels:${formatLabelsGo(a.labels)}\nAnnotations:${formatLabelsGo(a.annotations)}`;
  let s = '[\n0:' + indentLines('\n' + one(list[0] as AlertEntry), '  ');
  list.slice(1).forEach((a, i) => {
    s += `,\n${i + 1}:` + indentLines('\n' + one(a), '  ');
  });
  return s + '\n]';
}

function sameLabels(a: Labels, b: Labels): boolean {
  return compareLabels(a, b) === 0;
}

/** Go's strconv.FormatFloat(v, 'E', -1, 64). */
function formatFloatE(v: number): string {
  return formatGoFloat(v, 'E', -1);
}

function floatsEqual(a: number, b: number, compat: 'v2' | 'v3', fuzzy: boolean): boolean {
  if (compat === 'v3' && Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  if (!fuzzy || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  // Within one unit in the last place.
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  const ia = buf.getBigInt64(0);
  const ib = buf.getBigInt64(8);
  if (ia < 0n !== ib < 0n) return false;
  const d = ia - ib;
  return d >= -1n && d <= 1n;
}

interface GroupOutcome {
  errors: string[];
  passed: number;
  failed: number;
}

/** An input series' samples in columns (times ascending; markers flagged, their values NaN). */
interface InputSeries {
  /** A label set as makeLabels makes it (SeriesDescriptorReader's). */
  labels: Labels;
  /** labelsKey(labels). */
  key: string;
  ts: Float64Array;
  vs: Float64Array;
  stale: Uint8Array | null;
}

/**
 * The longest values text whose columns a test group shares among the series that write it (a
 * longer one is seldom written twice, and is kept to itself).
 */
const SHARED_VALUES_MAX = 4096;

/** An input series' columns (see InputSeries). */
type InputColumns = Omit<InputSeries, 'labels' | 'key'>;

/**
 * A test group's input columns by the values text they were read from, found by the text's
 * length and a few of its characters, then compared: a map keyed by the text hashed each one
 * whole (spelled-out values run to hundreds of characters), which took longer than the compare.
 */
class ColumnsByText {
  private readonly buckets = new Map<number, { text: string; columns: InputColumns }[]>();

  private static place(text: string): number {
    const n = text.length;
    return (
      (((n * 31 + text.charCodeAt(n >> 1)) * 31 + text.charCodeAt(n >> 2)) * 31 +
        text.charCodeAt(n - 1 - (n >> 3))) |
      0
    );
  }

  get(text: string): InputColumns | undefined {
    const bucket = this.buckets.get(ColumnsByText.place(text));
    if (bucket === undefined) return undefined;
    // Indexed: until V8 optimises this, `for...of` makes an iterator and a result per item
    // (3 MB of garbage on compact many-short).
    for (let i = 0; i < bucket.length; i++) if (bucket[i]!.text === text) return bucket[i]!.columns;
    return undefined;
  }

  set(text: string, columns: InputColumns): void {
    const place = ColumnsByText.place(text);
    const bucket = this.buckets.get(place);
    if (bucket === undefined) this.buckets.set(place, [{ text, columns }]);
    // Texts alike in those characters are many only in a made-up file: a few are enough.
    else if (bucket.length < 8) bucket.push({ text, columns });
  }
}

/**
 * The times of samples on a group's grid (start + i * interval) as one array that every series
 * on the grid shares a prefix of (the store keeps arrays it is given and never writes them),
 * each prefix one view: series of a group mostly have the same number of samples, and a view
 * for each was an object per series living as long as its group.
 */
function gridTimes(start: number, interval: number): (n: number) => Float64Array {
  let times = new Float64Array(0);
  const views = new Map<number, Float64Array>();
  return (n) => {
    if (n > times.length) {
      times = new Float64Array(Math.max(n, times.length * 2));
      for (let i = 0; i < times.length; i++) times[i] = start + i * interval;
      views.clear();
    }
    let view = views.get(n);
    if (view === undefined) {
      view = times.subarray(0, n);
      views.set(n, view);
    }
    return view;
  };
}

/**
 * What one run of `test rules` remembers across its test groups, which load the same rule files
 * again, as promtool does: each file's parse and each expression's.
 */
interface RunCaches {
  /**
   * Each rule file's text (or why it could not be read) by path: promtool reads the rule files
   * again for every test group, and so did this, a system call and a string of the file per
   * group (100 groups: about 10 ms of a run).
   */
  ruleTexts: Map<string, { text: string; error?: undefined } | { error: string }>;
  /**
   * Each rule file's parse by compat mode and path, with the text it parsed (a key holding the
   * text was a copy of the file and its hash per group).
   */
  ruleFiles: Map<string, { text: string; parsed: ParsedRuleFile }>;
  exprs: ParsedExprs;
  /** Reads the input series' descriptors, each name they use checked with the grammar once. */
  descriptors: SeriesDescriptorReader;
  /** Alerting rules' label and annotation templates, parsed once for every group's rules. */
  templates: ParsedTemplates;
  /** Each parsed rule file's number, to key `plans` by. */
  fileIds: Map<ParsedRuleFile, number>;
  /**
   * planRanged's answer by rule files (in evaluation order) and the input series' metric
   * names, which are all it reads: groups of one file usually share both.
   */
  plans: Map<string, Expr[] | null>;
  /** Scratch columns the input values are read into, once per value text. */
  scratch: ColumnScratch;
  /**
   * The group before's input columns by values text, and its grid (interval, start and last
   * sample kept): a group on the same grid takes the columns of a text it shares with the one
   * before from there. Groups of a file mostly write the same values (100 groups of many short
   * series: 5,240 texts read, 69 of them distinct); two groups' worth is all that is kept.
   */
  lastColumns: { grid: string; columns: ColumnsByText } | null;
}

/** Everything a test group's replay needs, set up once for either path. */
interface GroupRun {
  tg: TestGroup;
  /** The run's parsed expressions. */
  exprs: ParsedExprs;
  compat: 'v2' | 'v3';
  fuzzy: boolean;
  evalInterval: number;
  inputs: InputSeries[];
  /** Fresh rule groups in evaluation order (rules keep state, so each replay builds its own). */
  makeGroups: (deferAnnotations: boolean) => RuleGroup[];
  /** What makeGroups builds, as a key of `plans`. */
  groupsKey: string;
  plans: Map<string, Expr[] | null>;
  mint: number;
  maxt: number;
  /** Distinct alert_rule_test eval_times, ascending. */
  evalTimes: number[];
  total: number;
}

function runTestGroup(
  tg: TestGroup,
  file: TestFile,
  ruleFiles: string[],
  opts: RuleTestOptions,
  caches: RunCaches,
): GroupOutcome {
  const compat = opts.compat ?? 'v3';
  const total = tg.alertTests.length + tg.exprTests.length;
  const evalInterval = file.evaluationInterval;
  const setupFailure = (errors: string[]): GroupOutcome => ({
    errors,
    passed: 0,
    failed: Math.max(total, 1),
  });

  // Input series.
  // promtool 2.42 loads the series with `load 0s` when interval is unset; since 2.49
  // (prometheus#12729) a group whose interval is unset or 0 takes evaluation_interval.
  const seriesInterval = compat === 'v2' ? (tg.interval ?? 0) : tg.interval || evalInterval;
  // The lazy loader keys series by labels: a later line for the same series replaces it.
  const inputs = new Map<string, InputSeries>();
  const grid = gridTimes(tg.startTimestamp, seriesInterval);
  const mint = tg.startTimestamp;
  const maxEval = Math.max(
    0,
    ...tg.alertTests.map((a) => a.evalTime),
    ...tg.exprTests.map((e) => e.evalTime),
  );
  // No evaluation reads a sample after the last one (promtool's lazy loader appends samples up
  // to each evaluation time), so later values are checked but not kept.
  const maxt = mint + maxEval;
  const inputList = tg.inputSeries;
  const descriptors = caches.descriptors;
  const columnsByText = new ColumnsByText();
  const gridKey = `${seriesInterval} ${mint} ${maxt}`;
  const before = caches.lastColumns?.grid === gridKey ? caches.lastColumns.columns : undefined;
  caches.lastColumns = null;
  for (let i = 0; i < inputList.length; i++) {
    const is = inputList.at(i);
    if (is === undefined) continue;
    // promtool parses each `series values` line with the series grammar; errors carry the
    // 1-based column in that line.
    const descriptorError = descriptors.read(is.series);
    if (descriptorError !== null) {
      const e = insideBracesError(is.series, is.values, descriptorError) ?? descriptorError;
      return setupFailure([`1:${e.from + 1}: parse error: ${e.message}`]);
    }
    // Series of a group often share their values text (every target's `up` at 1, say): read
    // once, their columns are shared too (nothing writes them). A long text is not kept.
    const cacheable = is.values.length <= SHARED_VALUES_MAX;
    let columns = cacheable ? columnsByText.get(is.values) : undefined;
    if (columns === undefined && cacheable && before !== undefined) {
      columns = before.get(is.values);
      if (columns !== undefined) columnsByText.set(is.values, columns);
    }
    if (columns === undefined) {
      let values = parseSimpleSeriesColumns(
        is.values,
        seriesInterval,
        tg.startTimestamp,
        caches.scratch,
        maxt,
        is.wellFormed === true,
      );
      if (values === null) {
        const points = parseSeriesValues(is.values, seriesInterval, tg.startTimestamp);
        if (!points.ok) {
          const col = is.series.length + 2 + points.error.from;
          return setupFailure([`1:${col}: parse error: ${points.error.message}`]);
        }
        values = pointsToColumns(points.value);
      }
      let { vs, stale } = values;
      // The TSDB rejects a second sample at a timestamp it already has (with `interval: 0`
      // every value lands on 0): keep the first.
      if (seriesInterval <= 0 && vs.length > 1) {
        vs = vs.subarray(0, 1);
        stale = stale?.subarray(0, 1) ?? null;
      }
      const ts =
        values.ts === null
          ? grid(vs.length)
          : values.ts.length === vs.length
            ? values.ts
            : values.ts.subarray(0, vs.length);
      columns = { ts, vs, stale };
      if (cacheable) columnsByText.set(is.values, columns);
    }
    const { labels, key } = descriptors;
    inputs.set(key, { labels, key, ts: columns.ts, vs: columns.vs, stale: columns.stale });
  }
  caches.lastColumns = { grid: gridKey, columns: columnsByText };

  // Rule files.
  const parsedFiles: {
    name: string;
    order: number;
    /** The group's parsed file by number, and its place in it. */
    group: string;
    build: (defer: boolean) => RuleGroup;
  }[] = [];
  const loadErrors: string[] = [];
  const orderOf = new Map(file.groupEvalOrder.map((g, i) => [g, i] as const));
  for (const rf of ruleFiles) {
    let read = caches.ruleTexts.get(rf);
    if (read === undefined) {
      try {
        read = { text: opts.readFile(rf) };
      } catch (err) {
        read = { error: err instanceof Error ? err.message : String(err) };
      }
      caches.ruleTexts.set(rf, read);
    }
    if (read.error !== undefined) {
      loadErrors.push(`${rf}: ${read.error}`);
      continue;
    }
    const text = read.text;
    // Each group loads the rule files again, as promtool does; the parse is the same each time.
    const cacheKey = `${compat}\0${rf}`;
    const cached = caches.ruleFiles.get(cacheKey);
    let parsed = cached?.text === text ? cached.parsed : undefined;
    if (parsed === undefined) {
      parsed = parseRuleFile(text, rf, { compat, exprs: caches.exprs });
      caches.ruleFiles.set(cacheKey, { text, parsed });
    }
    if (!parsed.ok) {
      for (const e of parsed.errors) loadErrors.push(`${rf}: ${e.formatted}`);
      continue;
    }
    let fileId = caches.fileIds.get(parsed);
    if (fileId === undefined) {
      fileId = caches.fileIds.size;
      caches.fileIds.set(parsed, fileId);
    }
    for (const [place, g] of parsed.groups.entries()) {
      const build = (deferAnnotations: boolean): RuleGroup => {
        const rules: Rule[] = g.rules.map((spec) => {
          const labels = { ...(g.labels ?? {}), ...spec.labels };
          const r = { ...spec, expr: ruleQueryText(spec.expr, compat, caches.exprs) };
          if (isAlertRule(r)) {
            return new AlertingRule(
              { ...r, labels },
              {
                externalLabels: tg.externalLabels,
                externalURL: tg.externalURL,
                compat,
                deferAnnotations,
                templates: caches.templates,
              },
            );
          }
          return new RecordingRule({ ...r, labels });
        });
        return new RuleGroup(
          { name: g.name, queryOffset: g.queryOffset ?? 0, limit: g.limit ?? 0 },
          rules,
        );
      };
      parsedFiles.push({
        name: g.name,
        order: orderOf.get(g.name) ?? 0,
        group: `${fileId}:${place}`,
        build,
      });
    }
  }
  if (loadErrors.length > 0) return setupFailure(loadErrors);
  const ordered = parsedFiles.sort((a, b) => a.order - b.order);

  for (const a of tg.alertTests) {
    if (a.alertname === '') {
      const where = tg.name !== '' ? ` (in TestGroup ${tg.name})` : '';
      return setupFailure([
        `an item under alert_rule_test misses required attribute alertname at eval_time ${a.evalTimeText}${where}`,
      ]);
    }
  }
  const run: GroupRun = {
    tg,
    exprs: caches.exprs,
    compat,
    fuzzy: file.fuzzyCompare,
    evalInterval,
    inputs: [...inputs.values()],
    makeGroups: (defer) => ordered.map((g) => g.build(defer)),
    // The groups in evaluation order, each by its file's number and its place in it.
    groupsKey: ordered.map((g) => g.group).join('\0'),
    plans: caches.plans,
    mint,
    maxt,
    evalTimes: [...new Set(tg.alertTests.map((a) => a.evalTime))].sort((a, b) => a - b),
    total,
  };
  if (opts.replay !== 'step') {
    const ranged = replayRanged(run);
    if (ranged !== null) {
      opts.onReplay?.(tg.name, 'range');
      return ranged;
    }
  }
  opts.onReplay?.(tg.name, 'step');
  return replayStepwise(run);
}

/**
 * The rule manager replayed as promtool runs it: at each evaluation time, input samples up to
 * that time are appended, then every group evaluates every rule in order.
 */
function replayStepwise(run: GroupRun): GroupOutcome {
  const { tg, compat, evalInterval, mint, maxt, evalTimes, total } = run;
  const store = new SeriesStore();
  const groups = run.makeGroups(false);
  // promtool's lazy loader appends input samples up to each evaluation time just before it
  // (WithSamplesTill), so no query sees a sample from its future, even with @ or offset.
  const pending = run.inputs.map((s) => ({ ...s, next: 0 }));
  const loadTill = (ts: number): void => {
    for (const s of pending) {
      let end = s.next;
      while (end < s.ts.length && (s.ts[end] ?? Infinity) <= ts) end++;
      if (end > s.next) {
        const points: Point[] = [];
        for (let k = s.next; k < end; k++) {
          points.push([s.ts[k] ?? NaN, s.stale?.[k] === 1 ? null : (s.vs[k] ?? NaN)]);
        }
        store.addSeries(s.labels, points);
      }
      s.next = end;
    }
  };
  const query: QueryFn = makeQueryFn(
    store,
    { compat, defaultSubqueryStep: evalInterval, maxSamples: PROMTOOL_MAX_SAMPLES },
    run.exprs,
  );
  const outcome: GroupOutcome = { errors: [], passed: 0, failed: 0 };
  let curr = 0;
  for (let ts = mint; ts <= maxt; ts += evalInterval) {
    loadTill(ts);
    const evalErrors: string[] = [];
    for (const g of groups) {
      g.eval(ts, query, store);
      g.rules.forEach((r, i) => {
        const err = g.lastErrors[i];
        if (err !== undefined) {
          evalErrors.push(
            `    rule: ${r.name}, time: ${formatGoDuration(BigInt(ts) * 1_000_000n)}, err: ${err}`,
          );
        }
      });
    }
    if (evalErrors.length > 0) {
      outcome.errors.push(...evalErrors);
      outcome.failed = total - outcome.passed;
      return outcome;
    }
    while (curr < evalTimes.length) {
      const t = evalTimes[curr] ?? 0;
      if (!(ts - mint <= t && t < ts + evalInterval - mint)) break;
      const wanted = new Set(tg.alertTests.filter((a) => a.evalTime === t).map((a) => a.alertname));
      const got = new Map<string, AlertEntry[]>();
      for (const g of groups) {
        for (const r of g.rules) {
          if (!(r instanceof AlertingRule) || !wanted.has(r.name)) continue;
          const list = got.get(r.name) ?? [];
          for (const a of firingAlerts(r, query)) list.push(a);
          got.set(r.name, list);
        }
      }
      checkAlerts(run, t, got, outcome);
      curr++;
    }
  }
  checkExprs(run, query, outcome);
  return outcome;
}

/** The firing alerts of a rule as promtool compares them. */
function firingAlerts(r: AlertingRule, query: QueryFn): AlertEntry[] {
  const list: AlertEntry[] = [];
  for (const a of r.activeAlerts()) {
    if (a.state === 'firing') {
      list.push({
        labels: a.labels,
        annotations: normalizeAnnotations(r.expandAnnotations(a, query)),
      });
    }
  }
  return list;
}

/** A selector's reads of rule-written metric names: one name, or any name at all. */
type Reads = { any: true } | { any: false; name: string };

/**
 * The selectors' reads of an expression, or null when the expression may see samples after its
 * evaluation time (a negative offset, or `@`, which can point anywhere and means the query's
 * start or end in a range query).
 */
function readsOf(e: Expr): Reads[] | null {
  const out: Reads[] = [];
  const walk = (n: Expr): boolean => {
    switch (n.type) {
      case 'vectorSelector': {
        if (n.at !== null || n.offset < 0) return false;
        const eq = n.matchers.find((m) => m.name === '__name__' && m.type === '=');
        out.push(eq ? { any: false, name: eq.value } : { any: true });
        return true;
      }
      case 'subquery':
        if (n.at !== null || n.offset < 0) return false;
        return walk(n.expr);
      case 'numberLiteral':
      case 'stringLiteral':
      case 'matrixSelector':
      case 'unaryExpr':
      case 'parenExpr':
      case 'call':
      case 'aggregation':
      case 'binaryExpr':
        return children(n).every(walk);
      default: {
        const never: never = n;
        return never;
      }
    }
  };
  return walk(e) ? out : null;
}

/**
 * Each rule's expression parsed, in evaluation order, if one range evaluation per rule gives
 * what promtool's step-by-step replay gives; otherwise null. That holds when no rule can see
 * its future (see readsOf), no template queries storage, no rule reads ALERTS or
 * ALERTS_FOR_STATE, and every rule output a rule reads is written only by rules before it whose
 * query_offset is no larger (so their samples up to the reader's query time are all written by
 * the time the reader runs, and none from a later evaluation is visible).
 */
function planRanged(
  groups: RuleGroup[],
  compat: 'v2' | 'v3',
  inputNames: ReadonlySet<string>,
  parsed: ParsedExprs,
): Expr[] | null {
  const flat = groups.flatMap((g) => g.rules.map((rule) => ({ rule, qo: g.settings.queryOffset })));
  const writers = new Map<string, number[]>();
  flat.forEach(({ rule }, pos) => {
    if (rule instanceof RecordingRule) {
      writers.set(rule.name, [...(writers.get(rule.name) ?? []), pos]);
    }
  });
  // Two writers of one series can collide at a time (TSDB refuses the second sample: see
  // RuleGroup.eval), which only the step-by-step replay models: rules with one output name, or
  // a recording rule writing an input metric or ALERTS.
  // Rules of one name are told apart by a fixed label they set differently (severity: warning
  // and severity: critical, as the etcd mixin does); without one, their outputs may collide.
  const staticLabels = (rule: Rule): Record<string, string> =>
    rule instanceof AlertingRule
      ? rule.spec.labels
      : rule instanceof RecordingRule
        ? (rule.spec.labels ?? {})
        : {};
  const apart = (a: Rule, b: Rule): boolean => {
    const la = staticLabels(a);
    const lb = staticLabels(b);
    return Object.entries(la).some(
      ([k, v]) => lb[k] !== undefined && lb[k] !== v && !v.includes('{{') && !lb[k].includes('{{'),
    );
  };
  for (let x = 0; x < flat.length; x++) {
    const a = flat[x]!.rule;
    if (a instanceof RecordingRule && inputNames.has(a.name)) return null;
    if (a instanceof RecordingRule && (a.name === 'ALERTS' || a.name === 'ALERTS_FOR_STATE'))
      return null;
    for (let y = x + 1; y < flat.length; y++) {
      const b = flat[y]!.rule;
      const sameKind =
        (a instanceof AlertingRule && b instanceof AlertingRule) ||
        (a instanceof RecordingRule && b instanceof RecordingRule);
      if (sameKind && a.name === b.name && !apart(a, b)) return null;
    }
  }
  const alertsWritten = flat.some(({ rule }) => rule instanceof AlertingRule);
  const exprs: Expr[] = [];
  for (const [pos, { rule, qo }] of flat.entries()) {
    if (rule instanceof AlertingRule) {
      const texts = [...Object.values(rule.spec.labels), ...Object.values(rule.spec.annotations)];
      if (texts.some((t) => t.includes('query'))) return null;
    }
    const p = parseRuleExpr(rule.spec.expr, compat, parsed);
    if (!p.ok) return null;
    const reads = readsOf(p.value);
    if (reads === null) return null;
    const readable = (name: string): boolean =>
      (writers.get(name) ?? []).every((w) => w < pos && (flat[w]?.qo ?? Infinity) <= qo);
    for (const r of reads) {
      if (r.any) {
        if (alertsWritten) return null;
        if (![...writers.keys()].every(readable)) return null;
      } else {
        if (alertsWritten && (r.name === 'ALERTS' || r.name === 'ALERTS_FOR_STATE')) return null;
        if (!readable(r.name)) return null;
      }
    }
    exprs.push(p.value);
  }
  return exprs;
}

/**
 * The same replay with one range evaluation per rule over the whole schedule: all input
 * samples up to the last evaluation are loaded at once, and each rule runs its state machine
 * over every step before the next rule, its output written to storage before the next rule's
 * range evaluation. Returns null (and the caller replays step by step) when the plan does not
 * allow it or any evaluation fails, since promtool stops at the first failing evaluation time
 * with every rule's error at that time.
 */
function replayRanged(run: GroupRun): GroupOutcome | null {
  const { tg, compat, evalInterval, mint, maxt, evalTimes } = run;
  const groups = run.makeGroups(true);
  const inputNames = new Set<string>();
  for (let i = 0; i < run.inputs.length; i++)
    inputNames.add(run.inputs[i]!.labels['__name__'] ?? '');
  const planKey = `${compat}\0${run.groupsKey}\0\0${[...inputNames].sort().join('\0')}`;
  let exprs = run.plans.get(planKey);
  if (exprs === undefined) {
    exprs = planRanged(groups, compat, inputNames, run.exprs);
    run.plans.set(planKey, exprs);
  }
  if (exprs === null) return null;
  const steps = Math.floor((maxt - mint) / evalInterval) + 1;
  const last = mint + (steps - 1) * evalInterval;
  const store = new SeriesStore();
  for (let i = 0; i < run.inputs.length; i++) {
    const s = run.inputs[i]!;
    let end = s.ts.length;
    while (end > 0 && (s.ts[end - 1] ?? Infinity) > last) end--;
    if (end === 0) continue;
    if (end === s.ts.length) store.addColumns(s.labels, s.ts, s.vs, s.stale, s.key);
    else {
      const stale = s.stale?.subarray(0, end) ?? null;
      store.addColumns(s.labels, s.ts.subarray(0, end), s.vs.subarray(0, end), stale, s.key);
    }
  }
  const query: QueryFn = makeQueryFn(
    store,
    { compat, defaultSubqueryStep: evalInterval, maxSamples: PROMTOOL_MAX_SAMPLES },
    run.exprs,
  );
  // The evaluation step of each alert_rule_test eval_time, and the alert names checked there.
  const wantedAt = new Map<number, Set<string>>();
  for (const a of tg.alertTests) {
    const k = Math.floor(a.evalTime / evalInterval);
    const set = wantedAt.get(k) ?? new Set<string>();
    set.add(a.alertname);
    wantedAt.set(k, set);
  }
  const gotAt = new Map<number, Map<string, AlertEntry[]>>();
  const writeAlerts = tg.exprTests.length > 0;
  // Rules that differ only in a threshold (`X > 1` warning, `X > 5` critical) evaluate X once.
  const flat = groups.flatMap((g) => g.rules.map((r) => ({ r, qo: g.settings.queryOffset })));
  // Each rule's threshold split and its key, found once per group.
  const splits: ({ key: string; lhs: Expr; keep: (v: number) => boolean } | null)[] = [];
  const keyCount = new Map<string, number>();
  for (let i = 0; i < flat.length; i++) {
    const { r, qo } = flat[i]!;
    const e = exprs[i];
    const t = e === undefined ? null : splitThreshold(e);
    const split =
      t === null ? null : { key: `${qo}\0${r.spec.expr.slice(t.lhs.from, t.lhs.to)}`, ...t };
    splits.push(split);
    if (split !== null) keyCount.set(split.key, (keyCount.get(split.key) ?? 0) + 1);
  }
  const shared = new Map<string, { version: number; series: Series[] }>();
  const evalSeries = (e: Expr, qo: number): Series[] | null => {
    const res = evalRange(e, store, mint - qo, last - qo, evalInterval, {
      compat,
      defaultSubqueryStep: evalInterval,
      maxSamples: PROMTOOL_MAX_SAMPLES,
      limitEachStep: true,
    });
    return res.ok ? res.value.series : null;
  };
  const rangeOf = (at: number, e: Expr, qo: number): Series[] | null => {
    const t = splits[at] ?? null;
    if (t === null || (keyCount.get(t.key) ?? 0) < 2) return evalSeries(e, qo);
    let hit = shared.get(t.key);
    if (hit === undefined || hit.version !== store.version) {
      const series = evalSeries(t.lhs, qo);
      if (series === null) return null;
      hit = { version: store.version, series };
      shared.set(t.key, hit);
    }
    const out: Series[] = [];
    for (const s of hit.series) {
      const points = s.points.filter((p) => t.keep(p.v));
      if (points.length > 0) out.push({ labels: s.labels, points });
    }
    return out;
  };
  let pos = 0;
  for (const g of groups) {
    const qo = g.settings.queryOffset;
    for (let i = 0; i < g.rules.length; i++) {
      const rule = g.rules[i];
      const at = pos++;
      const expr = exprs[at];
      if (rule === undefined || expr === undefined) return null;
      const res = rangeOf(at, expr, qo);
      if (res === null) return null;
      // Each step's samples, made only for the steps that have any (most rules return nothing).
      const byStep: (QuerySample[] | undefined)[] = [];
      let sampled = false;
      for (let r = 0; r < res.length; r++) {
        const series = res[r]!;
        for (let j = 0; j < series.points.length; j++) {
          const p = series.points[j]!;
          const k = Math.round((p.t - (mint - qo)) / evalInterval);
          if (!(k >= 0 && k < steps)) continue;
          const sample = { labels: series.labels, v: p.v };
          const list = byStep[k];
          sampled = true;
          if (list === undefined) byStep[k] = [sample];
          else list.push(sample);
        }
      }
      // A rule without a sample at any step, never evaluated before (its group was made for this
      // replay), stays idle at every step: no alert, nothing written, no error; and checkAlerts
      // reads a rule missing from gotAt as one without firing alerts.
      if (!sampled) continue;
      const buffer = new Map<string, { labels: Labels; points: Point[] }>();
      const write: SampleSink =
        rule instanceof RecordingRule || writeAlerts
          ? (labels, t, v) => {
              const key = g.keyOf(labels);
              const b = buffer.get(key);
              if (b) b.points.push([t, v]);
              else buffer.set(key, { labels, points: [[t, v]] });
            }
          : ignoreSample;
      // The rule's query at the step being evaluated gives that step's samples; one function
      // for all steps, reading the step from these two.
      let stepTime = 0;
      let stepResult: QueryResult = NO_SAMPLES;
      const stepQuery: QueryFn = (text, t) =>
        text === rule.spec.expr && t === stepTime ? stepResult : query(text, t);
      for (let k = 0; k < steps; k++) {
        const ts = mint + k * evalInterval;
        const samples = byStep[k];
        stepTime = ts - qo;
        stepResult = samples === undefined ? NO_SAMPLES : { ok: true, samples };
        g.evalRule(i, ts, stepQuery, write);
        if (g.lastErrors[i] !== undefined) return null;
        if (rule instanceof AlertingRule && wantedAt.get(k)?.has(rule.name)) {
          let got = gotAt.get(k);
          if (got === undefined) {
            got = new Map<string, AlertEntry[]>();
            gotAt.set(k, got);
          }
          const list = got.get(rule.name);
          if (list === undefined) got.set(rule.name, firingAlerts(rule, query));
          else for (const a of firingAlerts(rule, query)) list.push(a);
        }
      }
      for (const b of buffer.values()) store.addSeries(b.labels, b.points);
    }
  }
  const outcome: GroupOutcome = { errors: [], passed: 0, failed: 0 };
  for (const t of evalTimes) {
    checkAlerts(run, t, gotAt.get(Math.floor(t / evalInterval)) ?? new Map(), outcome);
  }
  checkExprs(run, query, outcome);
  return outcome;
}

/** A rule query's answer with no samples (shared: read only). */
const NO_SAMPLES: QueryResult = Object.freeze({
  ok: true,
  samples: Object.freeze([]) as unknown as QuerySample[],
});

/** A sample sink that drops what it is given (a rule whose output nothing reads). */
const ignoreSample: SampleSink = () => undefined;

/**
 * `X op c` with a comparison `op` (no `bool`), X an instant vector and c a number: filtering X's
 * samples by the comparison gives the same samples, labels and values (a filtering comparison
 * keeps the left-hand sample as it is, metric name included).
 */
function splitThreshold(e: Expr): { lhs: Expr; keep: (v: number) => boolean } | null {
  if (e.type !== 'binaryExpr' || e.bool || e.rhs.type !== 'numberLiteral') return null;
  if (exprType(e.lhs) !== 'vector') return null;
  const c = e.rhs.val;
  const keep = ((): ((v: number) => boolean) | null => {
    switch (e.op) {
      case '==':
        return (v) => v === c;
      case '!=':
        return (v) => v !== c;
      case '>':
        return (v) => v > c;
      case '<':
        return (v) => v < c;
      case '>=':
        return (v) => v >= c;
      case '<=':
        return (v) => v <= c;
      default:
        return null;
    }
  })();
  return keep === null ? null : { lhs: e.lhs, keep };
}

/** Compares the alert_rule_test entries at eval_time `t` with the firing alerts by name. */
function checkAlerts(
  run: GroupRun,
  t: number,
  got: Map<string, AlertEntry[]>,
  outcome: GroupOutcome,
): void {
  const { tg } = run;
  for (const tc of tg.alertTests.filter((a) => a.evalTime === t)) {
    const gotAlerts = [...(got.get(tc.alertname) ?? [])].sort(compareAlertEntries);
    const expAlerts = tc.expAlerts
      .map((e) => ({
        labels: normalizeAnnotations({ ...e.labels, alertname: tc.alertname }),
        annotations: normalizeAnnotations(e.annotations),
      }))
      .sort(compareAlertEntries);
    const equal =
      gotAlerts.length === expAlerts.length &&
      gotAlerts.every((g, i) => {
        const e = expAlerts[i];
        return (
          e !== undefined &&
          sameLabels(g.labels, e.labels) &&
          sameLabels(g.annotations, e.annotations)
        );
      });
    if (equal) {
      outcome.passed++;
    } else {
      outcome.failed++;
      const testName = tg.name !== '' ? `    name: ${tg.name},\n` : '';
      const ind = '            ';
      outcome.errors.push(
        `${testName}    alertname: ${tc.alertname}, time: ${tc.evalTimeText}, \n        exp:${indentLines(formatAlertEntries(expAlerts), ind)}, \n        got:${indentLines(formatAlertEntries(gotAlerts), ind)}`,
      );
    }
  }
}

/** Runs the promql_expr_test entries over the store the replay left behind. */
function checkExprs(run: GroupRun, query: QueryFn, outcome: GroupOutcome): void {
  const { tg, mint, compat, fuzzy } = run;
  for (const tc of tg.exprTests) {
    const res = query(tc.expr, mint + tc.evalTime);
    if (!res.ok) {
      outcome.failed++;
      outcome.errors.push(
        `    expr: ${quoteString(tc.expr)}, time: ${tc.evalTimeText}, err: ${res.message}`,
      );
      continue;
    }
    const gotSamples = res.samples.map((s) => ({ labels: s.labels, value: s.v }));
    const expSamples: { labels: Labels; value: number }[] = [];
    let bad: string | undefined;
    for (const s of tc.expSamples) {
      // parser.ParseMetric reads no text at all (labels left out, or "") as the empty set {}.
      const lb: ReturnType<typeof parseSeriesDescriptor> =
        s.labels.trim() === ''
          ? { ok: true, value: {}, warnings: [] }
          : parseSeriesDescriptor(s.labels);
      if (!lb.ok) {
        bad = `    expr: ${quoteString(tc.expr)}, time: ${tc.evalTimeText}, err: labels ${quoteString(s.labels)}: ${lb.error.message}`;
        break;
      }
      expSamples.push({ labels: lb.value, value: s.value });
    }
    if (bad !== undefined) {
      outcome.failed++;
      outcome.errors.push(bad);
      continue;
    }
    const byLabels = (a: { labels: Labels }, b: { labels: Labels }): number =>
      compareLabels(a.labels, b.labels);
    expSamples.sort(byLabels);
    gotSamples.sort(byLabels);
    const equal =
      expSamples.length === gotSamples.length &&
      expSamples.every((e, i) => {
        const g = gotSamples[i];
        return (
          g !== undefined &&
          sameLabels(e.labels, g.labels) &&
          floatsEqual(e.value, g.value, compat, fuzzy)
        );
      });
    if (equal) {
      outcome.passed++;
    } else {
      outcome.failed++;
      const fmt = (list: { labels: Labels; value: number }[]): string =>
        list.length === 0
          ? 'nil'
          : list.map((s) => `${formatLabelsGo(s.labels)} ${formatFloatE(s.value)}`).join(', ');
      outcome.errors.push(
        `    expr: ${quoteString(tc.expr)}, time: ${tc.evalTimeText},\n        exp: ${fmt(expSamples)}\n        got: ${fmt(gotSamples)}`,
      );
    }
  }
}

function normalizeAnnotations(a: Readonly<Record<string, string>>): Labels {
  // labels.FromMap keeps empty values; only sort the names.
  const out: Record<string, string> = {};
  for (const k of Object.keys(a).sort()) out[k] = a[k] ?? '';
  return out;
}

/** Runs promtool-style rule unit tests over test files; the report carries promtool's output. */
export function runRuleTests(files: readonly string[], opts: RuleTestOptions): RuleTestReport {
  const compat = opts.compat ?? 'v3';
  const output: OutputChunk[] = [];
  const out = (text: string): void => {
    output.push({ stream: 'stdout', text });
  };
  const err = (text: string): void => {
    output.push({ stream: 'stderr', text });
  };
  let passed = 0;
  let failed = 0;
  let anyFailed = false;
  const caches: RunCaches = {
    ruleTexts: new Map(),
    ruleFiles: new Map(),
    exprs: new ParsedExprs(),
    descriptors: new SeriesDescriptorReader(),
    templates: new Map(),
    fileIds: new Map(),
    plans: new Map(),
    scratch: columnScratch({ pooled: true }),
    lastColumns: null,
  };
  for (const f of files) {
    out(`Unit Testing:  ${f}\n`);
    const errs: string[] = [];
    let file: TestFile | undefined;
    try {
      file = parseTestFile(opts.readFile(f), compat);
    } catch (e) {
      errs.push(e instanceof Error ? e.message : String(e));
      failed++;
    }
    if (file) {
      if (file.evaluationInterval === 0) file.evaluationInterval = 60_000;
      const ruleFiles: string[] = [];
      for (const rf of file.ruleFiles) {
        const full = rf !== '' && !rf.startsWith('/') ? joinPath(dirname(f), rf) : rf;
        const matches = opts.glob ? opts.glob(full) : [full];
        if (matches.length === 0) err(`  WARNING: no file match pattern ${full}\n`);
        ruleFiles.push(...matches);
      }
      const seen = new Set<string>();
      const repeated = file.groupEvalOrder.find((g) => (seen.has(g) ? true : (seen.add(g), false)));
      if (repeated !== undefined) {
        errs.push(`group name repeated in evaluation order: ${repeated}`);
        failed++;
      } else {
        for (const tg of file.tests) {
          if (opts.run && !opts.run.test(tg.name)) continue;
          const outcome = runTestGroup(tg, file, ruleFiles, opts, caches);
          errs.push(...outcome.errors);
          passed += outcome.passed;
          failed += outcome.failed;
        }
      }
    }
    if (errs.length > 0) {
      anyFailed = true;
      err('  FAILED:\n');
      for (const e of errs) {
        err(e + '\n');
        out('\n');
      }
    } else {
      out('  SUCCESS\n');
    }
    out('\n');
  }
  return { output, passed, failed, exitCode: anyFailed ? 1 : 0 };
}
