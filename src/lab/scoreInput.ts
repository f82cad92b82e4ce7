// What `quorumlab score` and `quorumlab matrix` read: a scenario (a preset's name, a scenario JSON
// file or a playground document) and rules (a rule file, a PrometheusRule, or a document whose
// rules carry their intents), with every error placed at its line and column.
import { isMap, isSeq, parseDocument, type Node } from 'yaml';
import { findPreset, validateScenario } from '../sim/index.ts';
import { docFromJson } from './document.ts';
import { importRules } from './exportRule.ts';
import type { RuleDraft } from './rulePresets.ts';
import { simulated, type ScenarioSource } from './source.ts';

/** A scenario to score on, and the rules a document brought with it. */
export type ScoreInput =
  | {
      readonly ok: true;
      readonly source: ScenarioSource;
      /** The name to print: the preset's, or the file's. */
      readonly name: string;
      /** The rules of a document (with their intents); null for a preset or scenario file. */
      readonly rules: readonly RuleDraft[] | null;
    }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Rules read for scoring, or what is wrong with them. */
export type RulesInput =
  | { readonly ok: true; readonly rules: readonly RuleDraft[]; readonly notes: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** The line and column (1-based) of a character offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * Where a path such as `events[0].until` or `rules[1].intent` points in a JSON text: its value's
 * line:column, or the deepest part of the path that exists (a missing field is reported where
 * its object starts).
 */
export function locateJsonPath(text: string, path: string): { line: number; col: number } | null {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return null;
  const parts = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''),
  );
  let node: Node | null = doc.contents;
  for (const part of parts) {
    const next: unknown =
      typeof part === 'number'
        ? isSeq(node)
          ? node.items[part]
          : undefined
        : isMap(node)
          ? node.get(part, true)
          : undefined;
    if (next === undefined || next === null || typeof next !== 'object' || !('range' in next))
      break;
    node = next as Node;
  }
  const start = node?.range?.[0];
  return start === undefined ? null : lineColumn(text, start);
}

/** A JSON syntax error's place, from the offset JSON.parse names ("… at position 57"). */
function jsonSyntaxError(text: string, fileName: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const pos = /at position (\d+)/.exec(message);
  const where = pos ? lineColumn(text, Number(pos[1])) : null;
  // Newer engines add the line and column themselves; the prefix says it already.
  const clean = message.replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, '');
  return `${fileName}${where ? `:${where.line}:${where.col}` : ''}: not valid JSON: ${clean}`;
}

/** "path: message" errors placed at the line:column their path points to. */
function placeErrors(text: string, fileName: string, errors: readonly string[]): string[] {
  return errors.map((e) => {
    const m = /^([A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_]\w*)*): (.*)$/s.exec(e);
    const at = m?.[1] ? locateJsonPath(text, m[1]) : null;
    return `${fileName}${at ? `:${at.line}:${at.col}` : ''}: ${e}`;
  });
}

/** Whether parsed JSON is a playground document rather than a scenario. */
function isDocument(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'rules' in json;
}

/**
 * Reads what to score on: a preset's name, else the text of a scenario JSON file or a playground
 * document (`readFile` is asked only when the name is no preset; it may throw).
 */
export function readScoreInput(arg: string, readFile: (path: string) => string): ScoreInput {
  const preset = findPreset(arg);
  if (preset)
    return { ok: true, source: simulated(preset.scenario), name: preset.name, rules: null };
  let text: string;
  try {
    text = readFile(arg);
  } catch {
    return { ok: false, errors: [`${arg}: neither a preset nor a readable file`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [jsonSyntaxError(text, arg, err)] };
  }
  if (isDocument(json)) {
    const doc = docFromJson(text);
    if (!doc.ok) return { ok: false, errors: placeErrors(text, arg, doc.errors) };
    return { ok: true, source: doc.doc.source, name: arg, rules: doc.doc.rules };
  }
  const scenario = validateScenario(json);
  if (!scenario.ok)
    return {
      ok: false,
      errors: placeErrors(
        text,
        arg,
        scenario.errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)),
      ),
    };
  return { ok: true, source: simulated(scenario.value), name: arg, rules: null };
}

/** Rules with ids made unique (a rule file may hold one alert at two severities). */
function uniqueIds(rules: readonly RuleDraft[]): RuleDraft[] {
  const used = new Set<string>();
  return rules.map((r) => {
    let id = r.id;
    for (let i = 2; used.has(id); i++) id = `${r.id}-${i}`;
    used.add(id);
    return id === r.id ? r : { ...r, id };
  });
}

/**
 * Reads the rules to score: a Prometheus rule file or PrometheusRule (each rule's intent derived
 * from it), or a playground document's rules with the intents stated there.
 */
export function readRulesInput(text: string, fileName: string): RulesInput {
  let json: unknown = undefined;
  if (/^\s*\{/.test(text)) {
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON after all: YAML's reader places the error.
    }
  }
  if (isDocument(json)) {
    const doc = docFromJson(text);
    if (!doc.ok) return { ok: false, errors: placeErrors(text, fileName, doc.errors) };
    return { ok: true, rules: doc.doc.rules, notes: [] };
  }
  const read = importRules(text, fileName);
  if (!read.ok) return read;
  if (read.rules.length === 0)
    return { ok: false, errors: [`${fileName}: no alerting rule to score`] };
  return { ok: true, rules: uniqueIds(read.rules), notes: read.notes };
}
