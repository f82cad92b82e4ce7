// `check rules` against real promtool (2.42, so --compat v2): the same files must give the same
// output and exit code; plus formatting round trips that promtool accepts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatPrometheusRule,
  formatRuleFile,
  parseRuleFile,
  runCheckRules,
  type RuleGroupSpec,
} from '../../src/rules/index.ts';
import { runPromtool } from './promtool.ts';

const testCases: { name: string; text: string }[] = [
  {
    name: 'a valid file with alerting and recording rules',
    text: 'groups:\n- name: g\n  interval: 1m\n  rules:\n  - alert: A\n    expr: up == 0\n    for: 5m\n    keep_firing_for: 2m\n    labels:\n      severity: page\n    annotations:\n      summary: "{{ $labels.instance }} down"\n  - record: job:up:sum\n    expr: sum by (job) (up)\n',
  },
  {
    name: 'many rule errors at once',
    text: 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up ==\n    for: 5m\n  - record: "a{b}"\n    expr: up\n    for: 1m\n    annotations:\n      x: y\n  - expr: up\n  - alert: B\n    record: c\n    expr: ""\n    labels:\n      "0bad": x\n    annotations:\n      "bad-ann": y\n- name: g\n  rules: []\n',
  },
  {
    name: 'unknown fields',
    text: 'groups:\n- name: g\n  foo: 1\n  rules:\n  - alert: A\n    expr: up\n    bar: 2\n',
  },
  {
    name: 'a bad duration',
    text: 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    for: 5x\n',
  },
  {
    name: 'an empty group name',
    text: 'groups:\n- name: ""\n  rules:\n  - alert: A\n    expr: up\n',
  },
  { name: 'an unknown top-level field', text: 'foo: 1\n' },
  { name: 'an empty file', text: '' },
  {
    name: 'v3-only group fields',
    text: 'groups:\n- name: g\n  labels:\n    x: y\n  query_offset: 1m\n  limit: 3\n  rules:\n  - alert: A\n    expr: up\n',
  },
  {
    name: 'template errors',
    text: 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels:\n      l: "{{ nosuchfunc }}"\n    annotations:\n      a: "{{ $labels.x "\n      b: "{{ if }}"\n      c: "{{ end }}"\n',
  },
  {
    name: 'duplicate rules (lint)',
    text: 'groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    labels: {x: "1"}\n  - record: a\n    expr: up\n    labels: {x: "1"}\n  - alert: X\n    expr: up\n  - alert: X\n    expr: up\n',
  },
  {
    name: 'a multi-line expression with a parse error on line 2',
    text: 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: |\n      sum(up)\n        by (job) +\n',
  },
  {
    name: 'a bad label name and an invalid metric name',
    text: 'groups:\n- name: g\n  rules:\n  - record: "1abc"\n    expr: up\n    labels:\n      "a-b": x\n',
  },
];

function joinOutput(output: { stream: string; text: string }[], stream: string): string {
  return output
    .filter((c) => c.stream === stream)
    .map((c) => c.text)
    .join('');
}

describe('check rules agrees with promtool 2.42', () => {
  testCases.forEach(({ name, text }) => {
    it(`reports ${name} as promtool does`, () => {
      const want = runPromtool({ 'r.yaml': text }, ['check', 'rules', 'r.yaml']);
      const got = runCheckRules(['r.yaml'], { compat: 'v2', readFile: () => text });
      // Go iterates a rule's labels and annotations in random order: compare the lines as sets.
      const lines = (t: string): string[] => t.split('\n').sort();
      expect(lines(joinOutput(got.output, 'stderr'))).toEqual(lines(want.stderr));
      expect(joinOutput(got.output, 'stdout')).toBe(want.stdout);
      expect(got.exitCode).toBe(want.code);
    });
  });
});

const groups: RuleGroupSpec[] = [
  {
    name: 'etcd',
    interval: 30_000,
    rules: [
      {
        alert: 'etcdMembersDown',
        expr: 'max without (endpoint) (\n  sum without (instance) (up{job=~".*etcd.*"} == bool 0)\n)\n> 0',
        for: 20 * 60_000,
        keepFiringFor: 0,
        labels: { severity: 'warning' },
        annotations: {
          description: 'etcd cluster "{{ $labels.job }}": members are down ({{ $value }}).',
        },
      },
      { record: 'job:up:sum', expr: 'sum by (job) (up)', labels: {} },
      {
        alert: 'Flapping',
        expr: 'changes(up[10m]) > 3',
        for: 0,
        keepFiringFor: 90_000,
        labels: {},
        annotations: { summary: "it's: {{ humanize $value }}" },
      },
    ],
  },
];

describe('formatting rule files', () => {
  it('writes a rule file that promtool accepts and that parses back to the same groups', () => {
    const text = formatRuleFile(groups);
    expect(text).toContain('expr: |-\n');
    const run = runPromtool({ 'out.yaml': text }, ['check', 'rules', 'out.yaml']);
    expect(run.stdout).toContain('SUCCESS: 3 rules found');
    const back = parseRuleFile(text);
    expect(back).toEqual({ ok: true, groups });
  });

  it('writes a PrometheusRule that parses back to the same groups', () => {
    const text = formatPrometheusRule(groups, { name: 'etcd-rules', namespace: 'monitoring' });
    expect(text.startsWith('apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n')).toBe(
      true,
    );
    expect(parseRuleFile(text)).toEqual({ ok: true, groups });
  });

  it('round-trips the etcd mixin rules through formatRuleFile', () => {
    const original = readFileSync(
      new URL('../../../shared/conformance/etcd-mixin/rules.yaml', import.meta.url),
      'utf8',
    );
    const parsed = parseRuleFile(original, 'rules.yaml');
    if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.formatted).join('\n'));
    const text = formatRuleFile(parsed.groups);
    const run = runPromtool({ 'out.yaml': text }, ['check', 'rules', 'out.yaml']);
    expect(run.stdout).toContain('SUCCESS: 15 rules found');
    expect(parseRuleFile(text)).toEqual(parsed);
  });

  it('reports errors with line and column', () => {
    const r = parseRuleFile('groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up ==\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 5, col: 11 });
  });
});
