// Rule files: parsing with positions and strict fields, validation with Prometheus's messages
// (model/rulefmt/rulefmt.go as promtool 2.42 and 3.x print them), and formatting back to YAML,
// plain or as a prometheus-operator PrometheusRule.
import { Document, isAlias, isMap, isScalar, isSeq, Scalar, type Node } from 'yaml';
import type { AlertRuleSpec } from './alerting.ts';
import type { RecordingRuleSpec } from './group.ts';
import { formatParseError, parseRuleExpr, type ParsedExprs } from './engine.ts';
import { GoYamlError, goPairs, parseGoYaml } from './goYaml.ts';
import { checkTemplate } from './template/expand.ts';
import { formatDuration, parseDuration } from '../text/index.ts';

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
  /**
   * Whether a prometheus-operator PrometheusRule is read as its groups (default true).
   * DIVERGENCE: promtool reads only plain rule files; false refuses a PrometheusRule as it does.
   */
  prometheusRule?: boolean;
  /**
   * Where the rules' expressions are parsed (a `test rules` run parses each once, here and when
   * it evaluates them); a parse of its own by default.
   */
  exprs?: ParsedExprs;
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
  const y = parseGoYaml(text);
  const posOf = (n: Node | null | undefined): Pos => y.nodePos(n);
  if (y.error) {
    const msg = `yaml: line ${y.error.line}: ${y.error.message}`;
    return {
      ok: false,
      errors: [{ line: y.error.line, col: y.error.col, message: msg, formatted: msg }],
    };
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
    const seen = new Map<string, number>();
    for (const pair of goPairs(y, m, 'v3')) {
      const k = pair.key;
      const kp = posOf(pair.keyNode);
      const prev = pair.merged ? undefined : seen.get(k);
      if (prev !== undefined) {
        unknown.push({
          line: kp.line,
          text: `mapping key ${JSON.stringify(k)} already defined at line ${prev}`,
        });
      }
      if (!pair.merged) seen.set(k, kp.line);
      if (!allowed.includes(k))
        unknown.push({ line: kp.line, text: `field ${k} not found in type ${typeName(t)}` });
    }
  };
  const get = (m: Node | null | undefined, key: string): Node | undefined =>
    goPairs(y, m ?? undefined, 'v3').find((p) => p.key === key)?.value;
  // record, alert and expr are yaml.Node fields: go-yaml v3 stores an alias there as it is,
  // so its value is the anchor's name, not the aliased text.
  const nodeText = (n: Node | undefined): string =>
    n !== undefined && isAlias(n) ? n.source : str(n);
  const str = (raw: Node | undefined): string => {
    const n = y.deref(raw);
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
  const strMap = (raw: Node | undefined): Record<string, string> | undefined => {
    const n = y.deref(raw);
    if (n === undefined || (isScalar(n) && n.value === null)) return undefined;
    if (!isMap(n)) {
      unknown.push({
        line: posOf(n).line,
        text: `cannot unmarshal ${kindOf(n)} into map[string]string`,
      });
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const pair of goPairs(y, n, 'v3')) out[str(pair.keyNode)] = str(pair.value);
    return out;
  };
  const seq = (raw: Node | undefined): Node[] => {
    const n = y.deref(raw);
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
    let root = y.deref(y.contents) ?? null;
    if (root && isMap(root) && opts.prometheusRule !== false && get(root, 'kind') !== undefined) {
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
        const record = nodeText(recordN);
        const alert = nodeText(alertN);
        const ruleLabels = strMap(get(r, 'labels')) ?? {};
        const annotations = strMap(get(r, 'annotations')) ?? {};
        const forMs = dur(get(r, 'for')) ?? 0;
        const keepFiringFor = dur(get(r, 'keep_firing_for')) ?? 0;
        const expr = nodeText(exprN);
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
    if (err instanceof GoYamlError) {
      const message = err.message;
      return { ok: false, errors: [{ line: 0, col: 0, message, formatted: message }] };
    }
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

  const errors = validateGroups(groups, rawRules, groupPos, ruleNodes, compat, opts.exprs);
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
  exprs: ParsedExprs | undefined,
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
        const p = parseRuleExpr(alertRule.expr, compat, exprs);
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
