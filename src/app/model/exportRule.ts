// Exports candidate rules as a Prometheus rule file.
import { formatRuleFile } from '../../rules/index.ts';
import type { RuleDraft } from './rulePresets.ts';

/** The file name offered for a rule's export. */
export function ruleFileName(rule: RuleDraft): string {
  return `${rule.alert}.rules.yaml`;
}

/** The rules as one group of a Prometheus rule file. */
export function exportRuleFile(rules: readonly RuleDraft[], groupName = 'etcd'): string {
  return formatRuleFile([
    {
      name: groupName,
      rules: rules.map((r) => ({
        alert: r.alert,
        expr: r.expr,
        for: r.forMs,
        keepFiringFor: r.keepFiringForMs,
        labels: r.labels,
        annotations: r.annotations,
      })),
    },
  ]);
}
