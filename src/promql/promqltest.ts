// A runner for Prometheus's promqltest scripts (promql/promqltest/test.go): load/clear/eval with
// expected series, `expect` lines and the older eval_fail/eval_ordered forms. Each eval is a case.
import { children, type Expr } from './ast.ts';
import { compileMatcher } from './engine.ts';
import { formatFloat, formatLabels, parseDuration } from '../text/index.ts';
import { compareLabels, labelsKey, type Labels } from './labels.ts';
import { almostEqual } from './mathx.ts';
import { QueryState } from './queryState.ts';
import { compileGoRegex } from './regex.ts';
import type { RE2JS } from 're2js';
import { parseExpr, parseNumber } from './parser.ts';
import { evalInstant, evalRange, type Value } from './query.ts';
import {
  expandSeriesValues,
  parseSeriesDescriptor,
  splitSeriesLine,
  type CheckedNames,
  type SeriesValue,
} from './seriesNotation.ts';
import { SeriesStore } from './store.ts';

/** The outcome of one eval command. */
export interface PromqlTestCase {
  file: string;
  line: number;
  expr: string;
  passed: boolean;
  /** Why it failed (expected/got), or "unsupported: …". */
  message: string;
}

/** Options of a promqltest run. */
export interface PromqlTestOptions {
  file?: string;
  compat?: 'v3' | 'v2';
}

interface Expectation {
  kind: 'fail' | 'warn' | 'info' | 'no_warn' | 'no_info' | 'ordered';
  msg?: string;
  regex?: RE2JS;
}

interface ExpectedSeries {
  labels: Labels;
  values: SeriesValue[];
  line: number;
}

interface EvalCmd {
  line: number;
  expr: string;
  instant: boolean;
  at: number;
  start: number;
  end: number;
  step: number;
  expects: Expectation[];
  series: ExpectedSeries[];
  scalar: number | null;
  string: string | null;
  rangeVector: { start: number; end: number; step: number } | null;
  unsupported: string | null;
}

const defaultEpsilon = 1e-6;

function parseTime(text: string): number | null {
  const d = parseDuration(text);
  if (d !== null) return d;
  const n = Number(text);
  return Number.isFinite(n) ? Math.round(n * 1000) : null;
}

function valuesEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return almostEqual(a, b, defaultEpsilon);
}

function describeSlot(v: SeriesValue): string {
  return typeof v === 'number' ? formatFloat(v) : v === 'stale' ? 'stale' : '_';
}

/** Runs a promqltest script; returns one result per eval command. */
export function runPromqlTest(text: string, opts: PromqlTestOptions = {}): PromqlTestCase[] {
  const file = opts.file ?? '<input>';
  const compat = opts.compat ?? 'v3';
  const lines = text.split('\n');
  const results: PromqlTestCase[] = [];
  let store = new SeriesStore();
  let histogramNames = new Set<string>();
  let histogramSeries: Labels[] = [];
  let loadError: string | null = null;
  let i = 0;
  // Names the script's descriptors use, each checked with the grammar once.
  const names: CheckedNames = new Map();

  const isIndented = (l: string) => /^\s/.test(l);
  const isBlankOrComment = (l: string) => l.trim() === '' || l.trim().startsWith('#');

  while (i < lines.length) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const trimmed = raw.trim();
    i++;
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed === 'clear') {
      store = new SeriesStore();
      histogramNames = new Set();
      histogramSeries = [];
      loadError = null;
      continue;
    }
    const load = /^load(_with_nhcb)?\s+(\S+)$/.exec(trimmed);
    if (load) {
      const interval = parseDuration(load[2]!);
      while (i < lines.length && (isIndented(lines[i]!) || isBlankOrComment(lines[i]!))) {
        const l = lines[i]!;
        i++;
        if (isBlankOrComment(l)) {
          if (l.trim() === '') break;
          continue;
        }
        const [desc, vals] = splitSeriesLine(l);
        const labels = parseSeriesDescriptor(desc, names);
        if (!labels.ok) {
          loadError = `line ${i}: ${labels.error.message}`;
          continue;
        }
        const name = labels.value['__name__'] ?? '';
        if (vals.includes('{{')) {
          histogramNames.add(name);
          histogramSeries.push(labels.value);
          continue;
        }
        if (load[1] && name.endsWith('_bucket')) histogramNames.add(name.slice(0, -7));
        const slots = expandSeriesValues(vals);
        if (!slots.ok || interval === null) {
          loadError = `line ${i}: ${slots.ok ? 'bad interval' : slots.error.message}`;
          continue;
        }
        const points: [number, number | null][] = [];
        slots.value.forEach((v, k) => {
          if (v !== 'missing') points.push([k * interval, v === 'stale' ? null : v]);
        });
        store.addSeries(labels.value, points);
      }
      continue;
    }
    const evalMatch = /^eval(_fail|_ordered|_warn|_info)?\s+(instant|range)\s+(.*)$/.exec(trimmed);
    if (!evalMatch) {
      results.push({
        file,
        line: lineNo,
        expr: trimmed,
        passed: false,
        message: `unsupported: command "${trimmed.split(/\s+/)[0]}"`,
      });
      // Skip its indented body.
      while (i < lines.length && isIndented(lines[i]!) && lines[i]!.trim() !== '') i++;
      continue;
    }
    const cmd: EvalCmd = {
      line: lineNo,
      expr: '',
      instant: evalMatch[2] === 'instant',
      at: 0,
      start: 0,
      end: 0,
      step: 0,
      expects: [],
      series: [],
      scalar: null,
      string: null,
      rangeVector: null,
      unsupported: null,
    };
    const legacy = evalMatch[1];
    if (legacy === '_fail') cmd.expects.push({ kind: 'fail' });
    if (legacy === '_ordered') cmd.expects.push({ kind: 'ordered' });
    if (legacy === '_warn') cmd.expects.push({ kind: 'warn' });
    if (legacy === '_info') cmd.expects.push({ kind: 'info' });
    const rest = evalMatch[3]!;
    let bad: string | null = null;
    if (cmd.instant) {
      const m = /^at\s+(\S+)\s+(.*)$/.exec(rest);
      const at = m ? parseTime(m[1]!) : null;
      if (!m || at === null) bad = `invalid instant eval "${trimmed}"`;
      else {
        cmd.at = at;
        cmd.expr = m[2]!;
      }
    } else {
      const m = /^from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.*)$/.exec(rest);
      const s = m ? parseTime(m[1]!) : null;
      const e = m ? parseTime(m[2]!) : null;
      const st = m ? parseTime(m[3]!) : null;
      if (!m || s === null || e === null || st === null) bad = `invalid range eval "${trimmed}"`;
      else {
        cmd.start = s;
        cmd.end = e;
        cmd.step = st;
        cmd.expr = m[4]!;
      }
    }
    // The body: expect lines and expected series, up to a blank line or an unindented line.
    while (i < lines.length) {
      const l = lines[i]!;
      const t = l.trim();
      if (t === '') break;
      if (!isIndented(l) && !t.startsWith('expect') && !t.startsWith('#')) {
        if (/^(eval|load|clear)/.test(t)) break;
      }
      i++;
      if (t.startsWith('#')) continue;
      if (t.startsWith('expect ')) {
        const body = t.slice(7).trim();
        const rv = /^range vector from (\S+) to (\S+) step (\S+)$/.exec(body);
        if (rv) {
          const s = parseTime(rv[1]!);
          const e = parseTime(rv[2]!);
          const st = parseTime(rv[3]!);
          if (s === null || e === null || st === null) bad = `invalid "${t}"`;
          else cmd.rangeVector = { start: s, end: e, step: st };
          continue;
        }
        const sm = /^string\s+(.*)$/.exec(body);
        if (sm) {
          const lit = sm[1]!.trim();
          const parsed = parseExpr(lit);
          if (parsed.ok && parsed.value.type === 'stringLiteral') cmd.string = parsed.value.val;
          else bad = `invalid "${t}"`;
          continue;
        }
        const em = /^(fail|warn|info|no_warn|no_info|ordered)(?:\s+(msg|regex)\s*:\s?(.*))?$/.exec(
          body,
        );
        if (!em) {
          bad = `unsupported: ${t}`;
          continue;
        }
        const exp: Expectation = { kind: em[1] as Expectation['kind'] };
        if (em[2] === 'msg') exp.msg = stripQuotes(em[3]!.trim());
        if (em[2] === 'regex') {
          const re = compileGoRegex(stripQuotes(em[3]!.trim()));
          if (typeof re === 'string') bad = `invalid regex in "${t}"`;
          else exp.regex = re;
        }
        cmd.expects.push(exp);
        continue;
      }
      if (t.includes('{{')) {
        cmd.unsupported = 'unsupported: native histograms';
        continue;
      }
      const n = /^\S+$/.test(t) ? parseNumber(t) : null;
      if (n !== null && !t.includes('{')) {
        cmd.scalar = n;
        continue;
      }
      const [desc, vals] = splitSeriesLine(t);
      const labels = parseSeriesDescriptor(desc, names);
      const slots = expandSeriesValues(vals);
      if (!labels.ok || !slots.ok) {
        bad = `invalid expected series line ${i}: ${t}`;
        continue;
      }
      cmd.series.push({ labels: labels.value, values: slots.value, line: i });
    }
    if (!cmd.unsupported) {
      for (const h of histogramNames) {
        if (
          h !== '' &&
          new RegExp(`(^|[^a-zA-Z0-9_:])${escapeRe(h)}($|[^a-zA-Z0-9_:])`).test(cmd.expr)
        ) {
          cmd.unsupported = 'unsupported: native histograms';
        }
      }
    }
    if (
      !cmd.unsupported &&
      histogramSeries.length > 0 &&
      touchesSeries(cmd.expr, histogramSeries, compat)
    ) {
      cmd.unsupported = 'unsupported: native histograms';
    }
    if (loadError && !cmd.unsupported) cmd.unsupported = `invalid load: ${loadError}`;
    const base = { file, line: cmd.line, expr: cmd.expr };
    if (bad) {
      results.push({ ...base, passed: false, message: bad });
      continue;
    }
    if (cmd.unsupported) {
      results.push({ ...base, passed: false, message: cmd.unsupported });
      continue;
    }
    const problem = runEval(cmd, store, compat);
    results.push({ ...base, passed: problem === null, message: problem ?? '' });
  }
  return results;
}

/** Whether any selector of the expression matches one of the given series. */
function touchesSeries(expr: string, series: Labels[], compat: 'v3' | 'v2'): boolean {
  const parsed = parseExpr(expr, { compat });
  if (!parsed.ok) return false;
  const state = new QueryState();
  const walk = (e: Expr): boolean => {
    if (e.type === 'vectorSelector') {
      const tests = e.matchers.map((m) => compileMatcher(m, compat, state));
      return series.some((l) => tests.every((t) => t(l)));
    }
    return children(e).some(walk);
  };
  return walk(parsed.value);
}

function stripQuotes(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === '`') && s[s.length - 1] === s[0]) {
    return s.slice(1, -1);
  }
  return s;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function errorTexts(expr: string, from: number, message: string, isParse: boolean): string[] {
  if (!isParse) return [message];
  const before = expr.slice(0, from);
  const line = before.split('\n').length;
  const col = from - before.lastIndexOf('\n');
  return [message, `${line}:${col}: parse error: ${message}`];
}

function checkAnnotations(cmd: EvalCmd, warnings: string[]): string | null {
  const warns = warnings.filter((w) => !w.startsWith('PromQL info:'));
  const infos = warnings.filter((w) => w.startsWith('PromQL info:'));
  for (const [kind, list] of [
    ['warn', warns],
    ['info', infos],
  ] as const) {
    const exps = cmd.expects.filter((e) => e.kind === kind);
    const none = cmd.expects.some((e) => e.kind === `no_${kind}`);
    if (none && list.length > 0) {
      return `unexpected ${kind} annotations: [${list.join(', ')}]`;
    }
    if (exps.length === 0) continue;
    if (list.length === 0) return `expected ${kind} annotations but none were found`;
    for (const e of exps) {
      if (e.msg !== undefined && !list.includes(e.msg)) {
        return `expected ${kind} annotation ${JSON.stringify(e.msg)}, got [${list.join(', ')}]`;
      }
      if (e.regex && !list.some((w) => e.regex!.test(w))) {
        return `expected ${kind} annotation matching ${e.regex.pattern()}, got [${list.join(', ')}]`;
      }
    }
    const specific = exps.filter((e) => e.msg !== undefined || e.regex);
    if (specific.length > 0) {
      for (const w of list) {
        if (!specific.some((e) => e.msg === w || (e.regex && e.regex.test(w)))) {
          return `unexpected ${kind} annotation ${JSON.stringify(w)}`;
        }
      }
    }
  }
  return null;
}

function runEval(cmd: EvalCmd, store: SeriesStore, compat: 'v3' | 'v2'): string | null {
  const parsed = parseExpr(cmd.expr, { compat });
  const wantFail = cmd.expects.filter((e) => e.kind === 'fail');
  let result;
  let isParse = false;
  // Prometheus's test engine enables delayed name removal (v3 only).
  const opts = { compat, delayedNameRemoval: compat === 'v3' };
  if (!parsed.ok) {
    result = parsed;
    isParse = true;
  } else if (cmd.instant) {
    result = evalInstant(cmd.expr, store, cmd.at, opts);
  } else {
    result = evalRange(cmd.expr, store, cmd.start, cmd.end, cmd.step, opts);
  }
  if (!result.ok) {
    if (wantFail.length === 0) return `expected: success\n  got: error: ${result.error.message}`;
    const texts = errorTexts(cmd.expr, result.error.from, result.error.message, isParse);
    for (const e of wantFail) {
      if (e.msg !== undefined && !texts.some((t) => t.trim() === e.msg)) {
        return `expected: error ${JSON.stringify(e.msg)}\n  got: error ${JSON.stringify(result.error.message)}`;
      }
      if (e.regex && !texts.some((t) => e.regex!.test(t))) {
        return `expected: error matching ${String(e.regex)}\n  got: error ${JSON.stringify(result.error.message)}`;
      }
    }
    return null;
  }
  if (wantFail.length > 0) return `expected: an error\n  got: ${describeValue(result.value)}`;
  const ann = checkAnnotations(cmd, result.warnings);
  if (ann) return ann;
  return compareResult(cmd, result.value);
}

function describeValue(v: Value): string {
  switch (v.type) {
    case 'scalar':
      return `scalar ${formatFloat(v.v)}`;
    case 'string':
      return `string ${JSON.stringify(v.v)}`;
    case 'vector':
      return v.samples.length === 0
        ? 'empty vector'
        : v.samples.map((s) => `\n    ${formatLabels(s.labels)} ${formatFloat(s.v)}`).join('');
    case 'matrix':
      return v.series.length === 0
        ? 'empty matrix'
        : v.series
            .map(
              (s) =>
                `\n    ${formatLabels(s.labels)} ${s.points.map((p) => `${formatFloat(p.v)}@${p.t / 1000}s`).join(' ')}`,
            )
            .join('');
    default: {
      const never: never = v;
      return never;
    }
  }
}

function describeExpected(cmd: EvalCmd): string {
  if (cmd.scalar !== null) return `scalar ${formatFloat(cmd.scalar)}`;
  if (cmd.string !== null) return `string ${JSON.stringify(cmd.string)}`;
  if (cmd.series.length === 0) return 'empty result';
  return cmd.series
    .map((s) => `\n    ${formatLabels(s.labels)} ${s.values.map(describeSlot).join(' ')}`)
    .join('');
}

function mismatch(cmd: EvalCmd, v: Value, detail: string): string {
  return `${detail}\n  expected: ${describeExpected(cmd)}\n  got: ${describeValue(v)}`;
}

function compareResult(cmd: EvalCmd, v: Value): string | null {
  if (cmd.string !== null) {
    if (v.type !== 'string' || v.v !== cmd.string) return mismatch(cmd, v, 'string mismatch');
    return null;
  }
  if (cmd.scalar !== null) {
    if (v.type === 'scalar' && valuesEqual(cmd.scalar, v.v)) return null;
    if (v.type === 'matrix' && !cmd.instant && v.series.length === 1) {
      const s = v.series[0]!;
      if (
        Object.keys(s.labels).length === 0 &&
        s.points.every((p) => valuesEqual(cmd.scalar!, p.v))
      ) {
        return null;
      }
    }
    return mismatch(cmd, v, 'scalar mismatch');
  }
  if (v.type === 'scalar' || v.type === 'string') {
    return mismatch(cmd, v, `expected a vector result, got a ${v.type}`);
  }
  if (v.type === 'vector') {
    if (!cmd.instant) return mismatch(cmd, v, 'range query returned a vector');
    return compareVector(cmd, v);
  }
  // Matrix: a range query, or an instant query of a range vector.
  let start = cmd.start;
  let end = cmd.end;
  let step = cmd.step;
  if (cmd.instant) {
    if (!cmd.rangeVector) {
      if (v.series.length === 0 && cmd.series.length === 0) return null;
      return mismatch(cmd, v, 'received range result on instant evaluation');
    }
    ({ start, end, step } = cmd.rangeVector);
  }
  void end;
  const want = new Map<string, ExpectedSeries>();
  for (const s of cmd.series) want.set(labelsKey(s.labels), s);
  if (want.size !== v.series.length) {
    return mismatch(cmd, v, `expected ${want.size} series, got ${v.series.length}`);
  }
  for (const s of v.series) {
    const exp = want.get(labelsKey(s.labels));
    if (!exp) return mismatch(cmd, v, `unexpected series ${formatLabels(s.labels)}`);
    const points: { t: number; v: number }[] = [];
    exp.values.forEach((slot, k) => {
      if (typeof slot === 'number') points.push({ t: start + k * step, v: slot });
    });
    if (points.length !== s.points.length) {
      return mismatch(
        cmd,
        v,
        `expected ${points.length} points for ${formatLabels(s.labels)}, got ${s.points.length}`,
      );
    }
    for (let k = 0; k < points.length; k++) {
      const a = points[k]!;
      const b = s.points[k]!;
      if (a.t !== b.t || !valuesEqual(a.v, b.v)) {
        return mismatch(
          cmd,
          v,
          `point ${k} of ${formatLabels(s.labels)}: expected ${formatFloat(a.v)}@${a.t / 1000}s, got ${formatFloat(b.v)}@${b.t / 1000}s`,
        );
      }
    }
  }
  return null;
}

function compareVector(cmd: EvalCmd, v: Extract<Value, { type: 'vector' }>): string | null {
  if (cmd.series.length !== v.samples.length) {
    return mismatch(cmd, v, `expected ${cmd.series.length} samples, got ${v.samples.length}`);
  }
  const ordered = cmd.expects.some((e) => e.kind === 'ordered');
  const got = new Map<string, number>();
  v.samples.forEach((s, k) => got.set(labelsKey(s.labels), k));
  for (let k = 0; k < cmd.series.length; k++) {
    const exp = cmd.series[k]!;
    const idx = got.get(labelsKey(exp.labels));
    if (idx === undefined) return mismatch(cmd, v, `missing series ${formatLabels(exp.labels)}`);
    if (ordered && idx !== k) return mismatch(cmd, v, 'results are not in the expected order');
    const slot = exp.values[0];
    const sample = v.samples[idx]!;
    if (exp.values.length !== 1 || typeof slot !== 'number') {
      return mismatch(cmd, v, `expected one value for ${formatLabels(exp.labels)}`);
    }
    if (!valuesEqual(slot, sample.v)) {
      return mismatch(
        cmd,
        v,
        `value of ${formatLabels(exp.labels)}: expected ${formatFloat(slot)}, got ${formatFloat(sample.v)}`,
      );
    }
  }
  return null;
}

/** Formats a failed case like "file:line: expr" followed by expected/got. */
export function formatPromqlTestFailure(c: PromqlTestCase): string {
  return `${c.file}:${c.line}: ${c.expr}\n  ${c.message}`;
}

export { compareLabels };
