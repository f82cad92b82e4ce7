// `quorumlab export`: alert rules in the shape they are delivered in (rule file, PrometheusRule,
// kube-prometheus-stack values, etcd mixin jsonnet patch), as the export dialog writes them.
// Thin: reads the rules and the options, and calls src/lab's generators.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  checkPrometheusRuleMeta,
  defaultPrometheusRuleMeta,
  defaultRules,
  deliveryFormats,
  exportDelivery,
  importRules,
  parseLabelList,
  type DeliveryFormat,
  type RuleDraft,
} from '../../lab/index.ts';
import type { Command } from '../command.ts';

const usage = `Usage: quorumlab export [--format ${deliveryFormats.join('|')}] [--rules FILE]
                        [--name NAME] [--namespace NS] [--label KEY=VALUE]... [-o OUT]

Writes alerting rules as they are delivered:
  rules           a Prometheus rule file (promtool check rules)
  prometheusrule  a prometheus-operator PrometheusRule (kubectl apply -f)
  helm            kube-prometheus-stack values: an additionalPrometheusRulesMap entry
  jsonnet         a patch of the etcd mixin's prometheusAlerts that replaces its rules of the
                  same names and keeps the rest (kube-prometheus)
The rules are read from FILE (a rule file or a PrometheusRule; recording rules are left out), by
default the playground's etcdMembersDown and etcdTargetDown. --name, --namespace and --label name
and label the PrometheusRule (default: ${defaultPrometheusRuleMeta.name} in ${defaultPrometheusRuleMeta.namespace}, labelled release=kube-prometheus-stack,
which a default kube-prometheus-stack selects); --name is the Helm map's key too. --label
replaces the default labels; --label '' gives none. Output goes to OUT, else to stdout.`;

/** Where the command writes; tests pass their own. */
export interface ExportIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
}

const processIo: ExportIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, text) => writeFileSync(path, text),
};

/** Runs `quorumlab export …` with the arguments after "export"; returns the exit code. */
export function runExport(args: string[], io: ExportIo = processIo): number {
  const bad = (message: string): number => {
    io.err(`quorumlab export: ${message}\n${usage}\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        format: { type: 'string', default: 'rules' },
        rules: { type: 'string' },
        name: { type: 'string' },
        namespace: { type: 'string' },
        label: { type: 'string', multiple: true },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return bad(err instanceof Error ? err.message : String(err));
  }
  const { values } = parsed;
  if (values.help) {
    io.out(usage + '\n');
    return 0;
  }
  const format = values.format as DeliveryFormat;
  if (!deliveryFormats.includes(format))
    return bad(`--format must be one of ${deliveryFormats.join(', ')}, got "${values.format}"`);
  let labels = defaultPrometheusRuleMeta.labels;
  if (values.label !== undefined) {
    const read = parseLabelList(values.label.join(','));
    if (!read.ok) return bad(`--label: ${read.error}`);
    labels = read.labels;
  }
  const meta = {
    name: values.name ?? defaultPrometheusRuleMeta.name,
    namespace: values.namespace ?? defaultPrometheusRuleMeta.namespace,
    labels,
  };
  const metaErrors = checkPrometheusRuleMeta(meta);
  if (metaErrors.length > 0) return bad(metaErrors.join('\n'));

  let rules: readonly RuleDraft[] = defaultRules;
  if (values.rules !== undefined) {
    let text: string;
    try {
      text = io.readFile(values.rules);
    } catch {
      io.err(`quorumlab export: cannot read the rule file "${values.rules}"\n`);
      return 1;
    }
    const read = importRules(text, values.rules);
    if (!read.ok) {
      for (const e of read.errors) io.err(`${e}\n`);
      return 1;
    }
    for (const note of read.notes) io.err(`quorumlab export: ${note}\n`);
    rules = read.rules;
  }
  const file = exportDelivery(format, rules, { meta });
  if (values.output === undefined) {
    io.out(file.text);
    return 0;
  }
  io.writeFile(values.output, file.text);
  io.out(
    `wrote ${values.output} (${file.label}; ${file.hint.replace(file.fileName, values.output)})\n`,
  );
  return 0;
}

/** The `export` subcommand. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'write alert rules as a rule file, PrometheusRule, Helm values or jsonnet patch',
  run(args) {
    return Promise.resolve(runExport(args));
  },
};
