// Differential test against real promtool: seeded random alerting rules (random for,
// keep_firing_for, labels and annotation templates, a recording rule feeding them) over random
// series. Every alert is checked at every minute with no expected alerts, so promtool prints
// everything it got; our output must be identical (--compat v2, as promtool is 2.42).
import { describe, expect, it } from 'vitest';
import { runRuleTests } from '../../src/rules/index.ts';
import { runPromtool } from './promtool.ts';
import { createRng } from '../differential/rng.ts';

const EXPRS = [
  'm > K',
  'm == K',
  'm >= K',
  'sum by (job) (m) > K',
  'changes(m[3m]) > 0',
  'sum_over_time(m[2m]) >= K',
  'avg_over_time(m[2m]) >= K',
  'max_over_time(m[4m]) < K',
  'job:m:sum >= K',
  '(m > K) unless (m offset 1m > K)',
  'count by (job) (m > 0) >= 2',
  'delta(m[5m]) != 0',
];

const TEMPLATES = [
  '{{ $value }}',
  '{{ $labels.instance }} in {{ $labels.job }}',
  '{{ humanize $value }}',
  '{{ printf "%.2f" $value }}',
  '{{ if gt $value 1.0 }}high{{ else }}low{{ end }}',
  '{{ $value | humanizePercentage }}',
  '{{ len $labels }} labels',
  '{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}',
  '{{ $labels.missing }}-',
  '{{ humanizeDuration $value }}',
  '{{ with query "sum(m)" }}{{ . | first | value }}{{ end }}',
  '{{ range sortByLabel "instance" (query "m > 1") }}{{ .Labels.instance }}:{{ .Value }} {{ end }}',
  '{{ $labels.job | toUpper }} {{ $value | printf "%5.1f" }}',
];

function generate(seed: number, steps: number): { rules: string; test: string } {
  const rand = createRng(seed);
  const r = rand.next;
  const evalSec = rand.pick([30, 60]);
  const seriesSec = rand.pick([30, 60, 120]);
  const series: string[] = [];
  const nSeries = 2 + Math.floor(r() * 3);
  for (let i = 0; i < nSeries; i++) {
    const vals: string[] = [];
    for (let t = 0; t < steps; t++) {
      const x = r();
      vals.push(x < 0.08 ? '_' : x < 0.12 ? 'stale' : String(Math.floor(r() * 4)));
    }
    series.push(
      `  - series: 'm{instance="i${i}",job="j${i % 2}"}'`,
      `    values: '${vals.join(' ')}'`,
    );
  }
  const alerts: string[] = [];
  const names: string[] = [];
  const nAlerts = 3 + Math.floor(r() * 3);
  for (let a = 0; a < nAlerts; a++) {
    const name = `Alert${a}`;
    names.push(name);
    const expr = rand.pick(EXPRS).replace(/K/g, () => String(Math.floor(r() * 3)));
    alerts.push(`  - alert: ${name}`, `    expr: '${expr}'`);
    const forSec = rand.pick([0, 0, 30, 60, 90, 120, 180]);
    if (forSec > 0) alerts.push(`    for: ${forSec}s`);
    const keepSec = rand.pick([0, 0, 30, 60, 120]);
    if (keepSec > 0) alerts.push(`    keep_firing_for: ${keepSec}s`);
    if (r() < 0.5) {
      alerts.push(
        '    labels:',
        `      severity: ${JSON.stringify(r() < 0.5 ? 'page' : '{{ if ge $value 2.0 }}page{{ else }}ticket{{ end }}')}`,
      );
    }
    alerts.push('    annotations:', `      summary: ${JSON.stringify(rand.pick(TEMPLATES))}`);
    if (r() < 0.5) alerts.push(`      detail: ${JSON.stringify(rand.pick(TEMPLATES))}`);
  }
  // A rule over the ALERTS series the other group writes, so the group order matters.
  names.push('ManyFiring');
  const rules = [
    'groups:',
    '- name: rec',
    '  rules:',
    '  - record: job:m:sum',
    '    expr: sum by (job) (m)',
    '  - alert: ManyFiring',
    '    expr: count(ALERTS{alertstate="firing"}) >= 2',
    '    annotations:',
    '      summary: "{{ $value }} firing in {{ $externalLabels.cluster }}"',
    '- name: alerts',
    '  rules:',
    ...alerts,
  ];
  const order = r() < 0.5 ? '[rec, alerts]' : '[alerts, rec]';
  const alertTests: string[] = [];
  const exprTests: string[] = [];
  const end = steps * seriesSec;
  for (let t = 0; t < end; t += evalSec) {
    // Sometimes check between evaluations: promtool uses the last evaluation at or before it.
    const at = r() < 0.2 ? t + Math.floor(r() * evalSec) : t;
    for (const n of names) alertTests.push(`  - eval_time: ${at}s`, `    alertname: ${n}`);
    if (r() < 0.3) {
      exprTests.push(
        '  - expr: ALERTS',
        `    eval_time: ${at}s`,
        '  - expr: job:m:sum',
        `    eval_time: ${at}s`,
      );
    }
  }
  const test = [
    'rule_files: [rules.yaml]',
    `evaluation_interval: ${evalSec}s`,
    `group_eval_order: ${order}`,
    'tests:',
    `- interval: ${seriesSec}s`,
    `  name: seed${seed}`,
    '  external_labels:',
    '    cluster: c1',
    '  input_series:',
    ...series,
    '  alert_rule_test:',
    ...alertTests,
    '  promql_expr_test:',
    ...exprTests,
  ].join('\n');
  return { rules: rules.join('\n') + '\n', test: test + '\n' };
}

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

describe('random alerting rules agree with promtool', () => {
  SEEDS.forEach((seed) => {
    it(`agrees on seed ${seed}`, () => {
      const { rules, test } = generate(seed, 20);
      const files: Record<string, string> = { 'rules.yaml': rules, 'test.yaml': test };
      const want = runPromtool(files, ['test', 'rules', 'test.yaml']);
      const report = runRuleTests(['test.yaml'], { compat: 'v2', readFile: (p) => files[p] ?? '' });
      const stderr = report.output
        .filter((c) => c.stream === 'stderr')
        .map((c) => c.text)
        .join('');
      expect(stderr).toBe(want.stderr);
      expect(report.exitCode).toBe(want.code);
    });
  });
});
