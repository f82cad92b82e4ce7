// Rule files: parsing with positions and strict fields, validation with Prometheus's messages
// (model/rulefmt/rulefmt.go as promtool 2.42 and 3.x print them), and formatting back to YAML,
// plain or as a prometheus-operator PrometheusRule.
import {
  Document,
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  type Node,
} from 'yaml';
import { formatDuration, parseDuration, parseExpr } from '../promql/index.ts';
import type { AlertRuleSpec } from './alerting.ts';
import type { RecordingRuleSpec } from './group.ts';
import { formatParseError } from './engine.ts';
import { checkTemplate } from './template/expand.ts';

/** A rule as written in a rule file. */
export type RuleSpec = AlertRuleSpec | RecordingRuleSpec;

/** A rule group (durations in ms; undefined where the file leaves them out). */
export interface RuleGroupSpec {
  name: string;
  interval?: number;
  queryOffset?: number;
  limit?: number;
  labels?: Record<string, string>;
  rules: RuleSpec[];
}

/** A problem in a rule file; `formatted` is the line promtool prints after `FILE: `. */
export interface RuleFileError {
  line: number;
  col: number;
  message: string;
  formatted: string;
}

/** The outcome of parsing a rule file. */
export type ParsedRuleFile =
  { ok: true; groups: RuleGroupSpec[] } | { ok: false; errors: RuleFileError[] };

/** Options: the Prometheus generation whose rules apply (v2 is promtool 2.42). */
export interface RuleFileOptions {
  compat?: 'v2' | 'v3';
}

/** True for rules that are alerting rules. */
export function isAlertRule(r: RuleSpec): r is AlertRuleSpec {
  return 'alert' in r;
}

const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LEGACY_METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

class FatalError extends Error {
  constructor(
    readonly line: number,
    readonly col: number,
    message: string,
  ) {
    super(message);
  }
}

interface Pos {
  line: number;
  col: number;
}

interface RuleNodes {
  record?: Pos;
  alert?: Pos;
  expr?: Pos;
}

/** Parses and validates a rule file (plain `groups:` or a PrometheusRule object). */
export function parseRuleFile(
  text: string,
  fileName?: string,
  opts: RuleFileOptions = {},
): ParsedRuleFile {
  void fileName;
  const compat = opts.compat ?? 'v3';
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const posOf = (n: Node | null | undefined): Pos => {
    const off = n?.range?.[0];
    if (off === undefined) return { line: 0, col: 0 };
    return lineCounter.linePos(off);
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const p = e ? lineCounter.linePos(e.pos[0]) : { line: 1, col: 1 };
    const msg = `yaml: line ${p.line}: ${(e?.message ?? 'invalid YAML').split('\n')[0]}`;
    return { ok: false, errors: [{ line: p.line, col: p.col, message: msg, formatted: msg }] };
  }

  const unknown: { line: number; text: string }[] = [];
  const typeName = (t: 'groups' | 'group' | 'rule'): string =>
    t === 'groups'
      ? 'rulefmt.RuleGroups'
      : t === 'group'
        ? 'rulefmt.RuleGroup'
        : compat === 'v2'
          ? 'rulefmt.RuleNode'
          : 'rulefmt.Rule';
  const kindOf = (n: Node): string => (isMap(n) ? '!!map' : isSeq(n) ? '!!seq' : '!!str');
  const checkKeys = (m: Node, allowed: readonly string[], t: 'groups' | 'group' | 'rule'): void => {
    if (!isMap(m)) return;
    const seen = new Map<string, number>();
    for (const pair of m.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      const kp = posOf(pair.key as Node);
      const prev = seen.get(k);
      if (prev !== undefined) {
        unknown.push({
          line: kp.line,
          text: `mapping key ${JSON.stringify(k)} already defined at line ${prev}`,
        });
      }
      seen.set(k, kp.line);
      if (!allowed.includes(k))
        unknown.push({ line: kp.line, text: `field ${k} not found in type ${typeName(t)}` });
    }
  };
  const get = (m: Node | null | undefined, key: string): Node | undefined => {
    if (!isMap(m)) return undefined;
    for (const pair of m.items) {
      if (isScalar(pair.key) && String(pair.key.value) === key)
        return (pair.value ?? undefined) as Node | undefined;
    }
    return undefined;
  };
  const str = (n: Node | undefined): string => {
    if (n === undefined || n === null) return '';
    if (isScalar(n)) return n.value === null ? '' : String(n.source ?? n.value);
    const p = posOf(n);
    unknown.push({ line: p.line, text: `cannot unmarshal ${kindOf(n)} into string` });
    return '';
  };
  const dur = (n: Node | undefined): number | undefined => {
    if (n === undefined || (isScalar(n) && n.value === null)) return undefined;
    const s = str(n);
    const ms = parseDuration(s);
    if (ms === null) {
      const p = posOf(n);
      throw new FatalError(p.line, p.col, `not a valid duration string: ${JSON.stringify(s)}`);
    }
    return ms;
  };
  const int = (n: Node | undefined): number | undefined => {
    if (n === undefined || (isScalar(n) && n.value === null)) return undefined;
    const s = str(n);
    if (!/^[+-]?\d+$/.test(s)) {
      unknown.push({ line: posOf(n).line, text: `cannot unmarshal !!str \`${s}\` into int` });
      return undefined;
    }
    return Number(s);
  };
  const strMap = (n: Node | undefined): Record<string, string> | undefined => {
    if (n === undefined || (isScalar(n) && n.value === null)) return undefined;
    if (!isMap(n)) {
      unknown.push({
        line: posOf(n).line,
        text: `cannot unmarshal ${kindOf(n)} into map[string]string`,
      });
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const pair of n.items)
      out[str(pair.key as Node)] = str((pair.value ?? undefined) as Node | undefined);
    return out;
  };
  const seq = (n: Node | undefined): Node[] => {
    if (n === undefined || (isScalar(n) && n.value === null)) return [];
    if (!isSeq(n)) {
      unknown.push({ line: posOf(n).line, text: `cannot unmarshal ${kindOf(n)} into []` });
      return [];
    }
    return n.items as Node[];
  };

  const groups: RuleGroupSpec[] = [];
  const groupPos: Pos[] = [];
  const ruleNodes: RuleNodes[][] = [];
  const rawRules: RawRule[][] = [];
  try {
    let root = doc.contents as Node | null;
    if (root && isMap(root) && get(root, 'kind') !== undefined) {
      // A prometheus-operator PrometheusRule: the groups live under spec.
      const kind = str(get(root, 'kind'));
      if (kind !== 'PrometheusRule') {
        const p = posOf(get(root, 'kind'));
        const msg = `${p.line}:${p.col}: kind ${JSON.stringify(kind)} is not PrometheusRule`;
        return { ok: false, errors: [{ ...p, message: msg, formatted: msg }] };
      }
      checkKeys(root, ['apiVersion', 'kind', 'metadata', 'spec'], 'groups');
      const spec = get(root, 'spec');
      if (spec) checkKeys(spec, ['groups'], 'groups');
      root = spec ?? null;
    } else if (root) {
      checkKeys(root, ['groups'], 'groups');
    }
    const groupKeys =
      compat === 'v2'
        ? ['name', 'interval', 'limit', 'rules']
        : ['name', 'interval', 'query_offset', 'limit', 'rules', 'labels'];
    for (const g of seq(get(root, 'groups'))) {
      checkKeys(g, groupKeys, 'group');
      const group: RuleGroupSpec = { name: str(get(g, 'name')), rules: [] };
      const interval = dur(get(g, 'interval'));
      if (interval !== undefined) group.interval = interval;
      const queryOffset = dur(get(g, 'query_offset'));
      if (queryOffset !== undefined) group.queryOffset = queryOffset;
      const limit = int(get(g, 'limit'));
      if (limit !== undefined) group.limit = limit;
      const labels = strMap(get(g, 'labels'));
      if (labels !== undefined) group.labels = labels;
      const nodes: RuleNodes[] = [];
      const raw: RawRule[] = [];
      rawRules.push(raw);
      for (const r of seq(get(g, 'rules'))) {
        checkKeys(
          r,
          ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'],
          'rule',
        );
        const recordN = get(r, 'record');
        const alertN = get(r, 'alert');
        const exprN = get(r, 'expr');
        const record = str(recordN);
        const alert = str(alertN);
        const ruleLabels = strMap(get(r, 'labels')) ?? {};
        const annotations = strMap(get(r, 'annotations')) ?? {};
        const forMs = dur(get(r, 'for')) ?? 0;
        const keepFiringFor = dur(get(r, 'keep_firing_for')) ?? 0;
        const expr = str(exprN);
        const rn: RuleNodes = {};
        if (recordN) rn.record = posOf(recordN);
        if (alertN) rn.alert = posOf(alertN);
        if (exprN) rn.expr = posOf(exprN);
        nodes.push(rn);
        raw.push({
          record,
          alert,
          expr,
          for: forMs,
          keepFiringFor,
          labels: ruleLabels,
          annotations,
        });
      }
      groups.push(group);
      groupPos.push(posOf(g));
      ruleNodes.push(nodes);
    }
  } catch (err) {
    if (err instanceof FatalError) {
      return {
        ok: false,
        errors: [{ line: err.line, col: err.col, message: err.message, formatted: err.message }],
      };
    }
    throw err;
  }
  if (unknown.length > 0) {
    unknown.sort((a, b) => a.line - b.line);
    const msg = `yaml: unmarshal errors:\n${unknown.map((u) => `  line ${u.line}: ${u.text}`).join('\n')}`;
    return {
      ok: false,
      errors: [{ line: unknown[0]?.line ?? 0, col: 0, message: msg, formatted: msg }],
    };
  }

  const errors = validateGroups(groups, rawRules, groupPos, ruleNodes, compat);
  if (errors.length > 0) return { ok: false, errors };
  groups.forEach((g, j) => {
    g.rules = (rawRules[j] ?? []).map((r): RuleSpec => {
      if (r.alert !== '') {
        return {
          alert: r.alert,
          expr: r.expr,
          for: r.for,
          keepFiringFor: r.keepFiringFor,
          labels: r.labels,
          annotations: r.annotations,
        };
      }
      return { record: r.record, expr: r.expr, labels: r.labels };
    });
  });
  return { ok: true, groups };
}

interface RawRule {
  record: string;
  alert: string;
  expr: string;
  for: number;
  keepFiringFor: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function validateGroups(
  groups: RuleGroupSpec[],
  rawRules: RawRule[][],
  groupPos: Pos[],
  ruleNodes: RuleNodes[][],
  compat: 'v2' | 'v3',
): RuleFileError[] {
  const errors: RuleFileError[] = [];
  const validLabel = (k: string): boolean =>
    compat === 'v2' ? LEGACY_LABEL.test(k) : k.length > 0;
  const seen = new Set<string>();
  groups.forEach((g, j) => {
    const gp = groupPos[j] ?? { line: 0, col: 0 };
    if (g.name === '') {
      errors.push({
        ...gp,
        message: 'Groupname must not be empty',
        formatted: `${gp.line}:${gp.col}: Groupname must not be empty`,
      });
    }
    if (seen.has(g.name)) {
      const message = `groupname: "${g.name}" is repeated in the same file`;
      errors.push({ ...gp, message, formatted: `${gp.line}:${gp.col}: ${message}` });
    }
    seen.add(g.name);
    for (const [k, v] of Object.entries(g.labels ?? {})) {
      if (!validLabel(k) || k === '__name__')
        errors.push({
          line: 0,
          col: 0,
          message: `invalid label name: ${k}`,
          formatted: `invalid label name: ${k}`,
        });
      void v;
    }
    (rawRules[j] ?? []).forEach((alertRule, i) => {
      const nodes = ruleNodes[j]?.[i] ?? {};
      const { alert, record } = alertRule;
      const ruleName = alert !== '' ? alert : record;
      const push = (message: string, node?: Pos, nodeAlt?: Pos): void => {
        const at = node ?? { line: 0, col: 0 };
        let prefix = '';
        if (node && nodeAlt) prefix = `${node.line}:${node.col}: ${nodeAlt.line}:${nodeAlt.col}: `;
        else if (node) prefix = `${node.line}:${node.col}: `;
        errors.push({
          line: at.line,
          col: at.col,
          message,
          formatted: `${prefix}group ${JSON.stringify(g.name)}, rule ${i + 1}, ${JSON.stringify(ruleName)}: ${message}`,
        });
      };
      const zero = { line: 0, col: 0 };
      if (record !== '' && alert !== '') {
        push(
          "only one of 'record' and 'alert' must be set",
          nodes.record ?? zero,
          nodes.alert ?? zero,
        );
      }
      if (record === '' && alert === '') {
        if (compat === 'v2') push("one of 'record' or 'alert' must be set", nodes.record ?? zero);
        else
          push("one of 'record' or 'alert' must be set", nodes.record ?? zero, nodes.alert ?? zero);
      }
      if (alertRule.expr === '') {
        push("field 'expr' must be set in rule", nodes.expr ?? zero);
      } else {
        const p = parseExpr(alertRule.expr, { compat });
        if (!p.ok)
          push(
            `could not parse expression: ${formatParseError(alertRule.expr, p.error)}`,
            nodes.expr ?? zero,
          );
      }
      if (record !== '') {
        if (Object.keys(alertRule.annotations).length > 0)
          push("invalid field 'annotations' in recording rule", nodes.record ?? zero);
        if (alertRule.for !== 0)
          push("invalid field 'for' in recording rule", nodes.record ?? zero);
        if (alertRule.keepFiringFor !== 0)
          push("invalid field 'keep_firing_for' in recording rule", nodes.record ?? zero);
        if (compat === 'v2' ? !LEGACY_METRIC.test(record) : record.length === 0)
          push(`invalid recording rule name: ${record}`, nodes.record ?? zero);
        if (compat === 'v3' && (record.includes('{') || record.includes('}'))) {
          push(
            `braces present in the recording rule name; should it be in expr?: ${record}`,
            nodes.record ?? zero,
          );
        }
      }
      const labels = alertRule.labels;
      for (const k of Object.keys(labels).sort()) {
        if (!validLabel(k) || k === '__name__') push(`invalid label name: ${k}`);
      }
      const annotations = alertRule.annotations;
      for (const k of Object.keys(annotations).sort()) {
        if (!validLabel(k)) push(`invalid annotation name: ${k}`);
      }
      if (alert !== '') {
        for (const k of Object.keys(labels).sort()) {
          const e = checkTemplate(labels[k] ?? '', alert, compat);
          if (e !== undefined) push(`label ${JSON.stringify(k)}: ${e}`);
        }
        for (const k of Object.keys(annotations).sort()) {
          const e = checkTemplate(annotations[k] ?? '', alert, compat);
          if (e !== undefined) push(`annotation ${JSON.stringify(k)}: ${e}`);
        }
      }
    });
  });
  return errors;
}

function scalarFor(doc: Document, value: string): Scalar {
  const s = doc.createNode(value) as Scalar;
  if (value.includes('\n')) s.type = Scalar.BLOCK_LITERAL;
  return s;
}

function groupsNode(doc: Document, groups: readonly RuleGroupSpec[]): unknown {
  return groups.map((g) => {
    const out = doc.createNode({}) as ReturnType<Document['createNode']> & {
      set(k: string, v: unknown): void;
    };
    out.set('name', g.name);
    if (g.interval !== undefined) out.set('interval', formatDuration(g.interval));
    if (g.queryOffset !== undefined) out.set('query_offset', formatDuration(g.queryOffset));
    if (g.limit !== undefined && g.limit !== 0) out.set('limit', g.limit);
    if (g.labels && Object.keys(g.labels).length > 0) out.set('labels', doc.createNode(g.labels));
    out.set(
      'rules',
      g.rules.map((r) => {
        const rn = doc.createNode({}) as typeof out;
        if (isAlertRule(r)) {
          rn.set('alert', r.alert);
          rn.set('expr', scalarFor(doc, r.expr));
          if (r.for !== 0) rn.set('for', formatDuration(r.for));
          if (r.keepFiringFor !== 0) rn.set('keep_firing_for', formatDuration(r.keepFiringFor));
        } else {
          rn.set('record', r.record);
          rn.set('expr', scalarFor(doc, r.expr));
        }
        const mapOf = (m: Record<string, string>): unknown => {
          const n = doc.createNode({}) as typeof out;
          for (const k of Object.keys(m)) n.set(k, scalarFor(doc, m[k] ?? ''));
          return n;
        };
        if (Object.keys(r.labels).length > 0) rn.set('labels', mapOf(r.labels));
        if (isAlertRule(r) && Object.keys(r.annotations).length > 0)
          rn.set('annotations', mapOf(r.annotations));
        return rn;
      }),
    );
    return out;
  });
}

/** Formats rule groups as a rule file that `promtool check rules` accepts. */
export function formatRuleFile(groups: readonly RuleGroupSpec[]): string {
  const doc = new Document({});
  (doc.contents as unknown as { set(k: string, v: unknown): void }).set(
    'groups',
    groupsNode(doc, groups),
  );
  return doc.toString({ lineWidth: 0 });
}

/** Formats rule groups as a prometheus-operator PrometheusRule object. */
export function formatPrometheusRule(
  groups: readonly RuleGroupSpec[],
  meta: { name: string; namespace: string; labels?: Readonly<Record<string, string>> },
): string {
  const doc = new Document({});
  const root = doc.contents as unknown as { set(k: string, v: unknown): void };
  root.set('apiVersion', 'monitoring.coreos.com/v1');
  root.set('kind', 'PrometheusRule');
  const labels = meta.labels && Object.keys(meta.labels).length > 0 ? { labels: meta.labels } : {};
  root.set('metadata', doc.createNode({ name: meta.name, namespace: meta.namespace, ...labels }));
  const spec = doc.createNode({}) as unknown as { set(k: string, v: unknown): void };
  spec.set('groups', groupsNode(doc, groups));
  root.set('spec', spec);
  return doc.toString({ lineWidth: 0 });
}
