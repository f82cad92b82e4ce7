// Exports candidate rules as a Prometheus rule file or a prometheus-operator PrometheusRule, and
// imports rules from either. Both directions go through src/rules, so what is written is what
// `promtool check rules` and the rule file parser agree on.
import {
  formatDraftRuleFile,
  formatPrometheusRule,
  isAlertRule,
  parseRuleFile,
  toAlertRuleSpec,
} from '../rules/index.ts';
import type { RuleDraft } from './rulePresets.ts';
import { formatDuration } from '../text/index.ts';

/** What the PrometheusRule (and the Helm values' map entry) is called and labelled. */
export interface PrometheusRuleMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * kube-prometheus-stack's Prometheus selects PrometheusRules by `release: <its release name>`
 * (ruleSelectorNilUsesHelmValues), so a resource without that label is ignored by a default
 * install; the release is usually called after the chart.
 */
export const defaultPrometheusRuleMeta: PrometheusRuleMeta = {
  name: 'etcd-rules',
  namespace: 'monitoring',
  labels: { release: 'kube-prometheus-stack' },
};

/** The file name offered for a rule's export. */
export function ruleFileName(rule: RuleDraft): string {
  return `${rule.alert}.rules.yaml`;
}

/** The rules as one group of a Prometheus rule file. */
export function exportRuleFile(rules: readonly RuleDraft[], groupName = 'etcd'): string {
  return formatDraftRuleFile(rules, groupName);
}

/** The rules as a prometheus-operator PrometheusRule resource, named and labelled by `meta`. */
export function exportPrometheusRule(
  rules: readonly RuleDraft[],
  meta: PrometheusRuleMeta = defaultPrometheusRuleMeta,
  groupName = 'etcd',
): string {
  return formatPrometheusRule([{ name: groupName, rules: rules.map(toAlertRuleSpec) }], meta);
}

/** The outcome of an import: the alerting rules found, and what was left out and why. */
export type ImportResult =
  | {
      ok: true;
      rules: RuleDraft[];
      skipped: string[];
      /** What of the file the playground does not use: skipped rules, group settings. */
      notes: string[];
    }
  | { ok: false; errors: string[] };

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
  const notes: string[] = [];
  for (const group of parsed.groups) {
    // The playground evaluates every rule on the scenario's evaluation interval, at no offset.
    const ignored = [
      group.interval !== undefined ? `interval ${formatDuration(group.interval)}` : null,
      group.queryOffset ? `query_offset ${formatDuration(group.queryOffset)}` : null,
      group.limit ? `limit ${group.limit}` : null,
    ].filter((x) => x !== null);
    if (ignored.length > 0)
      notes.push(
        `Group "${group.name}": its ${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} not used here (rules are evaluated at the scenario's evaluation interval).`,
      );
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
        // Prometheus 3 adds a group's labels to each of its rules; the rule's own win.
        labels: { ...group.labels, ...r.labels },
        annotations: { ...r.annotations },
        note: `Imported from ${fileName}, group "${group.name}".`,
      });
    }
  }
  if (rules.length === 0)
    return { ok: false, errors: [`${fileName}: no alerting rules in the file`] };
  if (skipped.length > 0)
    notes.push(
      `Not imported: ${skipped.join(', ')}; the playground evaluates alerting rules only, so an alert that reads a recorded series sees nothing unless its expression is written out.`,
    );
  return { ok: true, rules, skipped, notes };
}
