// Differential test against real promtool: seeded random alerting rules (random for,
// keep_firing_for, labels and annotation templates, a recording rule feeding them) over random
// series. Every alert is checked at every minute with no expected alerts, so promtool prints
// everything it got; our output must be identical (--compat v2, as promtool is 2.42).
import { describe, expect, it } from 'vitest';
import { runRuleTests } from '../../src/rules/index.ts';
import { runPromtool } from './promtool.ts';

/** mulberry32: a small seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

const EXPRS = [
  'm > K',
  'm == K',
  'm >= K',
  'sum by (job) (m) > K',
  'changes(m[3m]) > 0',
  'sum_over_time(m[2m]) >= K',
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

function generate(seed: number, minutes: number): { rules: string; test: string } {
  const r = rng(seed);
  const series: string[] = [];
  const nSeries = 2 + Math.floor(r() * 3);
  for (let i = 0; i < nSeries; i++) {
    const vals: string[] = [];
    for (let t = 0; t < minutes; t++) {
      const x = r();
      vals.push(x < 0.08 ? '_' : x < 0.12 ? 'stale' : String(Math.floor(r() * 4)));
    }
    series.push(
      `  - series: 'm{instance="i${i}",job="j${i % 2}"}'`,
      `    values: '${vals.join(' ')}'`,
    );
  }
  const rules = [
    'groups:',
    '- name: g',
    '  rules:',
    '  - record: job:m:sum',
    '    expr: sum by (job) (m)',
  ];
  const nAlerts = 3 + Math.floor(r() * 3);
  const names: string[] = [];
  for (let a = 0; a < nAlerts; a++) {
    const name = `Alert${a}`;
    names.push(name);
    const expr = pick(r, EXPRS).replace(/K/g, () => String(Math.floor(r() * 3)));
    rules.push(`  - alert: ${name}`, `    expr: '${expr}'`);
    const forMin = Math.floor(r() * 5);
    if (forMin > 0) rules.push(`    for: ${forMin}m`);
    const keep = Math.floor(r() * 4);
    if (keep > 0 && r() < 0.6) rules.push(`    keep_firing_for: ${keep}m`);
    if (r() < 0.5) {
      rules.push(
        '    labels:',
        `      severity: ${JSON.stringify(r() < 0.5 ? 'page' : '{{ if ge $value 2.0 }}page{{ else }}ticket{{ end }}')}`,
      );
    }
    rules.push('    annotations:', `      summary: ${JSON.stringify(pick(r, TEMPLATES))}`);
    if (r() < 0.5) rules.push(`      detail: ${JSON.stringify(pick(r, TEMPLATES))}`);
  }
  const alertTests: string[] = [];
  for (let t = 0; t < minutes; t++) {
    for (const n of names) alertTests.push(`  - eval_time: ${t}m`, `    alertname: ${n}`);
  }
  const exprTests: string[] = [];
  for (let t = 0; t < minutes; t += 3) {
    exprTests.push(
      `  - expr: ALERTS`,
      `    eval_time: ${t}m`,
      `  - expr: job:m:sum`,
      `    eval_time: ${t}m`,
    );
  }
  const test = [
    'rule_files: [rules.yaml]',
    'evaluation_interval: 1m',
    'tests:',
    '- interval: 1m',
    '  input_series:',
    ...series,
    '  alert_rule_test:',
    ...alertTests,
    '  promql_expr_test:',
    ...exprTests,
  ].join('\n');
  return { rules: rules.join('\n') + '\n', test: test + '\n' };
}

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('random alerting rules agree with promtool', () => {
  SEEDS.forEach((seed) => {
    it(`agrees on seed ${seed}`, () => {
      const { rules, test } = generate(seed, 24);
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
