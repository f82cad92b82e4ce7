// Exports candidate rules as a Prometheus rule file or a prometheus-operator PrometheusRule, and
// imports rules from either. Both directions go through src/rules, so what is written is what
// `promtool check rules` and the rule file parser agree on.
import {
  formatDraftRuleFile,
  formatPrometheusRule,
  isAlertRule,
  parseRuleFile,
  toAlertRuleSpec,
} from '../../rules/index.ts';
import type { RuleDraft } from './rulePresets.ts';

/** The file name offered for a rule's export. */
export function ruleFileName(rule: RuleDraft): string {
  return `${rule.alert}.rules.yaml`;
}

/** The rules as one group of a Prometheus rule file. */
export function exportRuleFile(rules: readonly RuleDraft[], groupName = 'etcd'): string {
  return formatDraftRuleFile(rules, groupName);
}

/** The rules as a prometheus-operator PrometheusRule resource. */
export function exportPrometheusRule(rules: readonly RuleDraft[], groupName = 'etcd'): string {
  return formatPrometheusRule([{ name: groupName, rules: rules.map(toAlertRuleSpec) }], {
    name: 'etcd-rules',
    namespace: 'monitoring',
  });
}

/** The outcome of an import: the alerting rules found, and what was left out and why. */
export type ImportResult =
  { ok: true; rules: RuleDraft[]; skipped: string[] } | { ok: false; errors: string[] };

/** Reads alerting rules from a rule file or a PrometheusRule; recording rules are listed as skipped. */
export function importRules(text: string, fileName = 'imported.yaml'): ImportResult {
  const parsed = parseRuleFile(text, fileName);
  if (!parsed.ok) {
    // Prometheus's own wording, with the position in front where the file has one.
    const where = (e: { line: number; col: number }) => (e.line > 0 ? `:${e.line}:${e.col}` : '');
    return {
      ok: false,
      errors: parsed.errors.map((e) => `${fileName}${where(e)}: ${e.formatted}`),
    };
  }
  const rules: RuleDraft[] = [];
  const skipped: string[] = [];
  for (const group of parsed.groups) {
    for (const r of group.rules) {
      if (!isAlertRule(r)) {
        skipped.push(`recording rule "${r.record}" (group "${group.name}")`);
        continue;
      }
      rules.push({
        id: `${r.alert}`,
        alert: r.alert,
        expr: r.expr,
        forMs: r.for,
        keepFiringForMs: r.keepFiringFor,
        labels: { ...r.labels },
        annotations: { ...r.annotations },
        note: `Imported from ${fileName}, group "${group.name}".`,
      });
    }
  }
  if (rules.length === 0)
    return { ok: false, errors: [`${fileName}: no alerting rules in the file`] };
  return { ok: true, rules, skipped };
}
