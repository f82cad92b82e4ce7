// Reads a promtool unit-test file (cmd/promtool/unittest.go's unitTestFile) for the playground:
// its test groups' input series become an imported scenario. Only what the playground uses is
// read; every error names the line and column, and nothing is applied unless the group is valid.
// The YAML is read as promtool reads it (go-yaml v2, through the rules' go-yaml layer): anchors,
// aliases, merge keys and go-yaml's leniency about quoted continuation lines.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { goPairs, parseGoYaml, parseStartTimestamp, type GoYamlDoc } from '../rules/index.ts';
import { checkImportedLimits, loadImportedSeries, type ImportedSource } from './source.ts';
import { formatDuration, parseDuration } from '../text/index.ts';

/** One test group as the import dialog lists it. */
export interface TestGroupSummary {
  readonly name: string;
  readonly interval: number;
  /** The group's start_timestamp in Unix ms (0 when it has none). */
  readonly start: number;
  readonly seriesCount: number;
  /** The alert names its alert_rule_test checks. */
  readonly alertnames: readonly string[];
}

/** A test file read for import: its rule files and one source per test group. */
export interface ParsedTestFile {
  readonly ruleFiles: readonly string[];
  readonly evaluationInterval: number;
  readonly groups: readonly TestGroupSummary[];
  /** One imported source per group, in the file's order. */
  readonly sources: readonly ImportedSource[];
}

/** The outcome of reading a test file. */
export type TestFileResult = { ok: true; file: ParsedTestFile } | { ok: false; errors: string[] };

/** Whether the text looks like a promtool test file (a mapping with `tests`) rather than rules. */
export function isTestFile(text: string): boolean {
  if (!text.includes('tests')) return false;
  return hasTests(parseGoYaml(text));
}

/** Whether the document's root is a mapping with a `tests` key (merge keys count). */
function hasTests(y: GoYamlDoc): boolean {
  try {
    return (
      isMap(y.deref(y.contents)) &&
      goPairs(y, y.contents ?? undefined, 'v2').some((p) => p.key === 'tests')
    );
  } catch {
    return false;
  }
}

const DEFAULT_EVALUATION_INTERVAL = 60_000;

/** Reads a promtool unit-test file; each error is `file:line:col: message`. */
export function parseTestFile(text: string, fileName = 'test.yaml'): TestFileResult {
  return (
    readTestFile(text, fileName) ?? { ok: false, errors: [`${fileName}: no tests in the file`] }
  );
}

/**
 * Reads the text as a promtool unit-test file, or returns null when it is not one (a rule file):
 * the YAML is parsed once for both questions.
 */
export function readTestFile(text: string, fileName = 'test.yaml'): TestFileResult | null {
  // Cheap first: a test file names its tests.
  if (!text.includes('tests')) return null;
  const y = parseGoYaml(text);
  if (!hasTests(y)) return null;
  const at = (offset: number | undefined) => {
    const p = y.linePos(offset ?? 0);
    return `${fileName}:${p.line}:${p.col}`;
  };
  if (y.error !== undefined)
    return {
      ok: false,
      errors: [`${fileName}:${y.error.line}:${y.error.col}: ${y.error.message}`],
    };
  try {
    return readGroups(y, fileName, at);
  } catch (e) {
    // go-yaml's errors about the whole document (a merge key of a scalar, a self-referring
    // anchor) have no position.
    return { ok: false, errors: [`${fileName}: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

function readGroups(
  y: GoYamlDoc,
  fileName: string,
  at: (offset: number | undefined) => string,
): TestFileResult {
  const errors: string[] = [];
  const fail = (n: Node | null | undefined, message: string) =>
    errors.push(`${at(n?.range?.[0])}: ${message}`);
  const root = y.deref(y.contents);
  if (!isMap(root)) {
    fail(root, 'a promtool test file is a mapping with rule_files, evaluation_interval and tests');
    return { ok: false, errors };
  }
  /** A mapping's value for a key as go-yaml v2 sets it: the last one, merge keys applied. */
  const get = (m: Node | undefined, key: string): Node | undefined => {
    let out: Node | undefined;
    for (const p of goPairs(y, m, 'v2')) if (p.key === key) out = y.deref(p.value);
    return out;
  };
  const string = (raw: Node | undefined, what: string): string | null => {
    const n = y.deref(raw);
    if (n === undefined) return null;
    if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number'))
      return String(n.value);
    fail(n, `${what} must be a string`);
    return null;
  };
  const duration = (n: Node | undefined, what: string): number | null => {
    const s = string(n, what);
    if (s === null) return null;
    const ms = parseDuration(s);
    if (ms === null || ms <= 0) {
      fail(n, `${what}: "${s}" is not a duration like 30s or 1m`);
      return null;
    }
    return ms;
  };
  const list = (raw: Node | undefined, what: string): Node[] => {
    const n = y.deref(raw);
    if (n === undefined || (isScalar(n) && n.value === null)) return [];
    if (!isSeq(n)) {
      fail(n, `${what} must be a list`);
      return [];
    }
    return (n.items as Node[]).map((item) => y.deref(item) ?? item);
  };

  const ruleFiles = list(get(root, 'rule_files'), 'rule_files').flatMap((n) => {
    const s = string(n, 'rule_files entry');
    return s === null ? [] : [s];
  });
  const evaluationInterval =
    duration(get(root, 'evaluation_interval'), 'evaluation_interval') ??
    DEFAULT_EVALUATION_INTERVAL;
  const testsNode = get(root, 'tests');
  const tests = list(testsNode, 'tests');
  if (testsNode === undefined || tests.length === 0) fail(testsNode ?? root, 'no test groups');

  const groups: TestGroupSummary[] = [];
  const sources: ImportedSource[] = [];
  tests.forEach((g, gi) => {
    if (!isMap(g)) {
      fail(g, `tests[${gi}] must be a mapping`);
      return;
    }
    const before = errors.length;
    const startNode = get(g, 'start_timestamp');
    let start = 0;
    if (startNode !== undefined && !(isScalar(startNode) && startNode.value === null)) {
      const text = string(startNode, 'start_timestamp');
      const parsed = text === null ? null : parseStartTimestamp(text);
      if (text !== null && parsed === null)
        fail(
          startNode,
          `start_timestamp: "${text}" is neither Unix seconds nor a date and time like 2024-01-01T00:00:00Z`,
        );
      start = parsed ?? 0;
    }
    const name = string(get(g, 'name'), 'name') ?? `test group ${gi + 1}`;
    // promtool: a group without an interval uses the file's evaluation_interval.
    const interval = duration(get(g, 'interval'), 'interval') ?? evaluationInterval;
    const seriesNodes: { series: Node | undefined; values: Node | undefined }[] = [];
    for (const s of list(get(g, 'input_series'), 'input_series')) {
      if (!isMap(s)) {
        fail(s, 'an input series is a mapping with series and values');
        continue;
      }
      seriesNodes.push({ series: get(s, 'series'), values: get(s, 'values') });
      if (get(s, 'series') === undefined) fail(s, 'an input series needs a series descriptor');
    }
    if (seriesNodes.length === 0) fail(get(g, 'input_series') ?? g, `"${name}": no input_series`);
    const series = seriesNodes.map((s) => ({
      series: string(s.series, 'series') ?? '',
      values: s.values === undefined ? '' : (string(s.values, 'values') ?? ''),
    }));
    const alertnames = list(get(g, 'alert_rule_test'), 'alert_rule_test').flatMap((t) => {
      const a = string(get(t, 'alertname'), 'alertname');
      return a === null ? [] : [a];
    });
    if (errors.length > before) return;
    const source: ImportedSource = {
      kind: 'imported',
      fileName,
      group: name,
      interval,
      evaluationInterval,
      ...(start !== 0 ? { start } : {}),
      series,
    };
    const loaded = loadImportedSeries(source);
    if (!loaded.ok) {
      for (const e of loaded.errors) {
        const node = seriesNodes[e.index]?.[e.part];
        errors.push(`${at(scalarOffset(node, e.from))}: ${e.message}`);
      }
      return;
    }
    const limit = checkImportedLimits(source, loaded.duration);
    if (limit) {
      fail(g, `"${name}": ${limit}`);
      return;
    }
    groups.push({
      name,
      interval,
      start,
      seriesCount: series.length,
      alertnames: [...new Set(alertnames)],
    });
    sources.push(source);
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, file: { ruleFiles, evaluationInterval, groups, sources } };
}

/** The offset in the file of a position inside a one-line scalar (after an opening quote). */
function scalarOffset(node: Node | undefined, from: number): number | undefined {
  const start = node?.range?.[0];
  if (start === undefined || !isScalar(node)) return start;
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  return start + (quoted ? 1 : 0) + from;
}

/** How the import dialog describes a group. */
export function describeGroup(g: TestGroupSummary): string {
  const from = g.start !== 0 ? ` from ${new Date(g.start).toISOString()}` : '';
  return `${g.name}: ${g.seriesCount} series every ${formatDuration(g.interval)}${from}`;
}
