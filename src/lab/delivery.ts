// The rules in the shapes users deliver them in: a rule file, a prometheus-operator
// PrometheusRule, a kube-prometheus-stack values snippet (additionalPrometheusRulesMap, see the
// chart's templates/prometheus/additionalPrometheusRules.yaml) and a jsonnet patch of the etcd
// mixin's prometheusAlerts, as kube-prometheus consumes mixins (lib/mixin.libsonnet).
import { stringify } from 'yaml';
import { toAlertRuleSpec } from '../rules/index.ts';
import {
  defaultPrometheusRuleMeta,
  exportPrometheusRule,
  exportRuleFile,
  type PrometheusRuleMeta,
} from './exportRule.ts';
import type { RuleDraft } from './rulePresets.ts';
import { formatDuration } from '../text/index.ts';

/** A delivery format of the export dialog and `quorumlab export`. */
export type DeliveryFormat = 'rules' | 'prometheusrule' | 'helm' | 'jsonnet';

/** Every delivery format, in the order the dialog shows them. */
export const deliveryFormats: readonly DeliveryFormat[] = [
  'rules',
  'prometheusrule',
  'helm',
  'jsonnet',
];

/** One exported file of the rules. */
export interface DeliveryFile {
  readonly format: DeliveryFormat;
  readonly label: string;
  readonly fileName: string;
  readonly text: string;
  /** How to use the file, one line. */
  readonly hint: string;
}

// Kubernetes object names (DNS-1123 subdomain and label) and label keys and values
// (k8s.io/apimachinery/pkg/util/validation).
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelName = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;

/** Why Kubernetes would refuse the metadata, one message per field; empty when it is valid. */
export function checkPrometheusRuleMeta(meta: PrometheusRuleMeta): string[] {
  const errors: string[] = [];
  if (!(meta.name.length <= 253 && dnsSubdomain.test(meta.name)))
    errors.push(
      `name "${meta.name}": lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (at most 253)`,
    );
  if (!(meta.namespace.length <= 63 && dnsLabel.test(meta.namespace)))
    errors.push(
      `namespace "${meta.namespace}": lower-case letters, digits and "-", starting and ending with a letter or digit (at most 63)`,
    );
  for (const [key, value] of Object.entries(meta.labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : null;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (
      (prefix !== null && !(prefix.length <= 253 && dnsSubdomain.test(prefix))) ||
      !(name.length <= 63 && labelName.test(name))
    )
      errors.push(
        `label "${key}": a name of letters, digits, "-", "_" and "." (at most 63), optionally after a DNS prefix and "/"`,
      );
    if (!(value.length <= 63 && (value === '' || labelName.test(value))))
      errors.push(
        `label ${key}="${value}": a value of letters, digits, "-", "_" and "." (at most 63), starting and ending with a letter or digit`,
      );
  }
  return errors;
}

/** Labels written `key=value, key=value` (as the dialog's field and `--label` take them). */
export function parseLabelList(
  text: string,
): { ok: true; labels: Record<string, string> } | { ok: false; error: string } {
  const labels: Record<string, string> = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return { ok: false, error: `"${item}" is not key=value` };
    const key = item.slice(0, eq).trim();
    if (key in labels) return { ok: false, error: `label "${key}" is given twice` };
    labels[key] = item.slice(eq + 1).trim();
  }
  return { ok: true, labels };
}

/** The labels as the dialog's field shows them. */
export function formatLabelList(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/**
 * The rules as kube-prometheus-stack values: one entry of `additionalPrometheusRulesMap`, which
 * the chart renders as a PrometheusRule named `<chart>-<key>` in its own namespace, labelled
 * with the chart's labels (`release` among them) plus `additionalLabels`.
 */
export function exportHelmValues(
  rules: readonly RuleDraft[],
  meta: PrometheusRuleMeta = defaultPrometheusRuleMeta,
  groupName = 'etcd',
): string {
  // The chart writes `release` itself; a second one would be a duplicate key in its metadata.
  const additionalLabels = Object.fromEntries(
    Object.entries(meta.labels).filter(([k]) => k !== 'release'),
  );
  const groups = rulesGroups(rules, groupName);
  const entry =
    Object.keys(additionalLabels).length > 0 ? { additionalLabels, groups } : { groups };
  return stringify({ additionalPrometheusRulesMap: { [meta.name]: entry } }, { lineWidth: 0 });
}

/** The rule groups as plain data, keys in Prometheus's order. */
function rulesGroups(rules: readonly RuleDraft[], groupName: string): unknown[] {
  return [{ name: groupName, rules: rules.map(plainRule) }];
}

function plainRule(rule: RuleDraft): Record<string, unknown> {
  const spec = toAlertRuleSpec(rule);
  return {
    alert: spec.alert,
    expr: spec.expr,
    ...(spec.for !== 0 ? { for: formatDuration(spec.for) } : {}),
    ...(spec.keepFiringFor !== 0 ? { keep_firing_for: formatDuration(spec.keepFiringFor) } : {}),
    ...(Object.keys(spec.labels).length > 0 ? { labels: { ...spec.labels } } : {}),
    ...(Object.keys(spec.annotations).length > 0 ? { annotations: { ...spec.annotations } } : {}),
  };
}

/**
 * A jsonnet patch of the etcd mixin: added onto the mixin object, it replaces each mixin rule
 * whose alert name one of these rules has with the rules of that name (in its group and place)
 * and keeps every other rule; rules the mixin does not have join a group "quorumlab".
 */
export function exportJsonnetPatch(rules: readonly RuleDraft[]): string {
  // JSON is jsonnet, so each rule is written as JSON: no quoting of jsonnet's own to get wrong.
  const ruleList = rules
    .map((r) => `  ${JSON.stringify(plainRule(r), null, 2).replace(/\n/g, '\n  ')},`)
    .join('\n');
  const names = [...new Set(rules.map((r) => r.alert))].join(', ');
  return `// Quorum Lab: ${names} for the etcd mixin (etcd-io/etcd contrib/mixin).
// Add this object onto the mixin where you import it, e.g. with kube-prometheus:
//   local addMixin = import 'kube-prometheus/lib/mixin.libsonnet';
//   local etcd = addMixin({
//     name: 'etcd',
//     mixin: (import 'github.com/etcd-io/etcd/contrib/mixin/mixin.libsonnet') +
//            (import 'etcd.quorumlab.libsonnet'),
//   });
// Each mixin rule of one of these names is replaced by the rules of that name, in its place;
// the rest of the mixin is kept. Rules the mixin does not have are added in a group "quorumlab".
local rules = [
${ruleList}
];
local names = std.set([r.alert for r in rules]);
{
  prometheusAlerts+:: {
    local mixinNames = std.set([
      r.alert
      for g in super.groups
      for r in g.rules
      if std.objectHas(r, 'alert')
    ]),
    local added = [r for r in rules if !std.member(mixinNames, r.alert)],
    groups: [
      g {
        rules: std.flattenArrays([
          if std.objectHas(r, 'alert') && std.member(names, r.alert)
          then [o for o in rules if o.alert == r.alert]
          else [r]
          for r in g.rules
        ]),
      }
      for g in super.groups
    ] + (if std.length(added) > 0 then [{ name: 'quorumlab', rules: added }] else []),
  },
}
`;
}

/** The rules in one delivery format, with the file name and how to use it. */
export function exportDelivery(
  format: DeliveryFormat,
  rules: readonly RuleDraft[],
  opts: { meta?: PrometheusRuleMeta; baseName?: string } = {},
): DeliveryFile {
  const meta = opts.meta ?? defaultPrometheusRuleMeta;
  const base = opts.baseName ?? (rules.length === 1 && rules[0] ? rules[0].alert : 'etcd');
  switch (format) {
    case 'rules': {
      const fileName = `${base}.rules.yaml`;
      return {
        format,
        label: 'Rule file',
        fileName,
        text: exportRuleFile(rules),
        hint: `promtool check rules ${fileName}`,
      };
    }
    case 'prometheusrule': {
      const fileName = `${meta.name}.prometheusrule.yaml`;
      return {
        format,
        label: 'PrometheusRule',
        fileName,
        text: exportPrometheusRule(rules, meta),
        hint: `kubectl apply -f ${fileName} (prometheus-operator)`,
      };
    }
    case 'helm': {
      const fileName = `${meta.name}.values.yaml`;
      return {
        format,
        label: 'Helm values',
        fileName,
        text: exportHelmValues(rules, meta),
        hint: `helm upgrade RELEASE prometheus-community/kube-prometheus-stack --reuse-values -f ${fileName}`,
      };
    }
    case 'jsonnet': {
      const fileName = 'etcd.quorumlab.libsonnet';
      return {
        format,
        label: 'jsonnet (etcd mixin)',
        fileName,
        text: exportJsonnetPatch(rules),
        hint: 'add onto the etcd mixin object (kube-prometheus), as its first lines say',
      };
    }
    default: {
      const never: never = format;
      throw new Error(`unknown delivery format ${String(never)}`);
    }
  }
}
