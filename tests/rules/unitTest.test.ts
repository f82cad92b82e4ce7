// `test rules` against real promtool (2.42, so --compat v2): the same test files must print
// the same output, including every failure message; plus the etcd mixin conformance tests.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runRuleTests, type RuleTestReport } from '../../src/rules/index.ts';
import { runPromtool } from './promtool.ts';

function streams(report: RuleTestReport): { stdout: string; stderr: string } {
  const join = (s: string): string =>
    report.output
      .filter((c) => c.stream === s)
      .map((c) => c.text)
      .join('');
  return { stdout: join('stdout'), stderr: join('stderr') };
}

const RULES = `groups:
- name: rec
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
  - record: job:up:ratio
    expr: job:up:sum / count by (job) (up)
- name: alerts
  rules:
  - alert: InstanceDown
    expr: up == 0
    for: 2m
    labels:
      severity: '{{ if eq $labels.job "api" }}page{{ else }}ticket{{ end }}'
    annotations:
      summary: '{{ $labels.instance }} of {{ $labels.job }} down, value {{ $value }}'
      where: '{{ $externalLabels.cluster }} {{ $externalURL }}'
  - alert: LowRatio
    expr: job:up:ratio < 0.75
    keep_firing_for: 3m
    annotations:
      ratio: '{{ humanizePercentage $value }}'
  - alert: Flap
    expr: changes(up[5m]) >= 2
`;

const TEST = `rule_files: [rules.yaml]
evaluation_interval: 1m
group_eval_order: [rec, alerts]
tests:
- name: first
  interval: 1m
  external_labels:
    cluster: prod
  external_url: https://prom.example.com
  input_series:
  - series: 'up{job="api",instance="a"}'
    values: '1 1 0 0 0 0 1 1 1 1 1 1 1'
  - series: 'up{job="api",instance="b"}'
    values: '1x12'
  - series: 'up{job="db",instance="c"}'
    values: '1 0 1 0 1 _ _ stale 1x4'
  alert_rule_test:
  - eval_time: 3m
    alertname: InstanceDown
  - eval_time: 4m
    alertname: InstanceDown
    exp_alerts:
    - exp_labels: {job: api, instance: a, severity: page}
      exp_annotations:
        summary: a of api down, value 0
        where: prod https://prom.example.com
  - eval_time: 4m
    alertname: LowRatio
    exp_alerts:
    - exp_labels: {job: api}
      exp_annotations: {ratio: "50%"}
  - eval_time: 8m
    alertname: LowRatio
    exp_alerts:
    - exp_labels: {job: api}
      exp_annotations: {ratio: "50%"}
  - eval_time: 10m
    alertname: LowRatio
  - eval_time: 5m
    alertname: Flap
    exp_alerts:
    - exp_labels: {job: db, instance: c}
  - eval_time: 5m30s
    alertname: InstanceDown
    exp_alerts:
    - exp_labels: {job: api, instance: a, severity: ticket}
  promql_expr_test:
  - expr: job:up:sum
    eval_time: 4m
    exp_samples:
    - labels: 'job:up:sum{job="api"}'
      value: 1
    - labels: 'job:up:sum{job="db"}'
      value: 1
  - expr: ALERTS{alertstate="firing"}
    eval_time: 6m
    exp_samples:
    - labels: 'ALERTS{alertname="InstanceDown",alertstate="firing",instance="a",job="api",severity="page"}'
      value: 1
  - expr: ALERTS_FOR_STATE
    eval_time: 3m
    exp_samples: []
  - expr: count(up{job="db"})
    eval_time: 7m
    exp_samples:
    - labels: '{}'
      value: 1
  - expr: scalar(sum(up))
    eval_time: 1m
    exp_samples:
    - labels: '{}'
      value: 2
  - expr: up{job="db"}
    eval_time: 12m
    exp_samples:
    - labels: 'up{job="db",instance="c"}'
      value: 1.5
- name: broken
  input_series:
  - series: 'x{a="1",b="1"}'
    values: '1 1 1'
  - series: 'x{a="1",b="2"}'
    values: '1 1 1'
  - series: 'y{a="1"}'
    values: '1 1 1'
  promql_expr_test:
  - expr: x
    eval_time: 0m
    exp_samples:
    - labels: 'x{a="1",b="1"}'
      value: 1
    - labels: 'x{a="1",b="2"}'
      value: 1
- input_series:
  - series: 'up{job="api",instance="a"}'
    values: '0x10'
  alert_rule_test:
  - eval_time: 10m
    alertname: InstanceDown
    exp_alerts:
    - exp_labels: {job: api, instance: a, severity: page}
      exp_annotations:
        summary: a of api down, value 0
        where: ' '
`;

const testCases: { name: string; files: Record<string, string> }[] = [
  {
    name: 'recording rules, templates, keep_firing_for and failures',
    files: { 'rules.yaml': RULES, 'test.yaml': TEST },
  },
  {
    name: 'a rule evaluation error stopping the group',
    files: {
      'rules.yaml': 'groups:\n- name: g\n  rules:\n  - alert: M\n    expr: x * on(a) y\n',
      'test.yaml':
        "rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n  - series: 'x{a=\"1\",b=\"1\"}'\n    values: '1 1 1'\n  - series: 'x{a=\"1\",b=\"2\"}'\n    values: '1 1 1'\n  - series: 'y{a=\"1\"}'\n    values: '1 1 1'\n  alert_rule_test:\n  - eval_time: 2m\n    alertname: M\n",
    },
  },
  {
    name: 'a missing alertname',
    files: {
      'rules.yaml': 'groups:\n- name: g\n  rules:\n  - alert: M\n    expr: up\n',
      'test.yaml':
        "rule_files: [rules.yaml]\ntests:\n- name: t\n  input_series:\n  - series: 'up'\n    values: '1'\n  alert_rule_test:\n  - eval_time: 2m\n",
    },
  },
  {
    name: 'an invalid rule file',
    files: {
      'rules.yaml': 'groups:\n- name: g\n  rules:\n  - alert: M\n    expr: up ==\n',
      'test.yaml':
        "rule_files: [rules.yaml]\ntests:\n- input_series:\n  - series: 'up'\n    values: '1'\n  alert_rule_test:\n  - eval_time: 2m\n    alertname: M\n",
    },
  },
  {
    name: 'an unknown field in the test file',
    files: { 'test.yaml': 'rule_files: []\ntests:\n- interval: 1m\n  inputs: []\n' },
  },
  {
    name: 'duplicate labels after applying alert labels',
    files: {
      'rules.yaml':
        'groups:\n- name: g\n  rules:\n  - alert: D\n    expr: up\n    labels:\n      instance: same\n',
      'test.yaml':
        "rule_files: [rules.yaml]\ntests:\n- input_series:\n  - series: 'up{instance=\"a\"}'\n    values: '1'\n  - series: 'up{instance=\"b\"}'\n    values: '1'\n  alert_rule_test:\n  - eval_time: 0m\n    alertname: D\n",
    },
  },
];

testCases.push(
  {
    name: 'input series without an interval (promtool 2.42 loads them all at 0)',
    files: {
      'test.yaml':
        "tests:\n- input_series:\n  - series: 'x'\n    values: '1 2 3'\n  promql_expr_test:\n  - expr: x\n    eval_time: 0m\n  - expr: x\n    eval_time: 10m\n",
    },
  },
  {
    name: 'queries that reach past the evaluation time (@ and negative offset)',
    files: {
      'rules.yaml':
        'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x @ 300 > 2\n  - record: fut\n    expr: x offset -3m\n',
      'test.yaml':
        "rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n  - series: 'x'\n    values: '1 2 3 4 5 6'\n  promql_expr_test:\n  - expr: x @ 300\n    eval_time: 1m\n  - expr: x offset -2m\n    eval_time: 1m\n  - expr: fut\n    eval_time: 2m\n  alert_rule_test:\n  - eval_time: 1m\n    alertname: A\n  - eval_time: 2m\n    alertname: A\n",
    },
  },
  {
    name: 'a series listed twice (the later line replaces the earlier)',
    files: {
      'test.yaml':
        "tests:\n- interval: 1m\n  input_series:\n  - series: 'x'\n    values: '1 2 3'\n  - series: 'x'\n    values: '7'\n  promql_expr_test:\n  - expr: x\n    eval_time: 2m\n",
    },
  },
);

// Two writers of one series at one time: Prometheus's TSDB refuses the second sample, and the
// rule that wrote it fails the evaluation.
const twoUp = "  - series: 'up{instance=\"a\"}'\n    values: '1 0 0 0 0 0 0 0 0 0'\n";
testCases.push(
  {
    name: 'two alerts of one name and labels with different for (ALERTS_FOR_STATE collides)',
    files: {
      'rules.yaml':
        'groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n  - alert: Down\n    expr: up offset 2m == 0\n    for: 1m\n',
      'test.yaml': `rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n${twoUp}  alert_rule_test:\n  - eval_time: 5m\n    alertname: Down\n`,
    },
  },
  {
    name: 'two alerts of one name told apart by a label, and two identical ones',
    files: {
      'rules.yaml':
        'groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n    labels: {severity: warning}\n  - alert: Down\n    expr: up == 0\n    for: 2m\n    labels: {severity: critical}\n  - alert: Same\n    expr: up == 0\n  - alert: Same\n    expr: up == 0\n',
      'test.yaml': `rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n${twoUp}  alert_rule_test:\n  - eval_time: 5m\n    alertname: Down\n    exp_alerts:\n    - exp_labels: {severity: warning, instance: a}\n    - exp_labels: {severity: critical, instance: a}\n  - eval_time: 5m\n    alertname: Same\n`,
    },
  },
  {
    name: 'two recording rules writing one series with different values, across groups',
    files: {
      'rules.yaml':
        'groups:\n- name: a\n  rules:\n  - record: job:up\n    expr: sum(up)\n- name: b\n  rules:\n  - record: job:up\n    expr: sum(up) + 1\n',
      'test.yaml': `rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n${twoUp}  promql_expr_test:\n  - expr: job:up\n    eval_time: 2m\n`,
    },
  },
  {
    // Series that share a values text share its columns, and series with the same gaps and
    // markers share their times and flags: each must still read as its own. A descriptor written
    // again (its labels in another order) replaces the first.
    name: 'series sharing values texts, gap patterns and labels',
    files: {
      'rules.yaml':
        'groups:\n- name: a\n  rules:\n  - record: job:x:sum\n    expr: sum by (job) (x)\n',
      'test.yaml': `rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'x{job="a",i="1"}'
        values: 1 2 stale _ 5 6
      - series: 'x{job="a",i="2"}'
        values: 1 2 stale _ 5 6
      - series: 'x{job="b",i="1"}'
        values: 7 8 stale _ 9 10
      - series: 'x{job="b",i="2"}'
        values: 1 2 stale _ 5 6
      - series: 'x{i="2",job="a"}'
        values: 3 3 3 3 3 3
      - series: 'y{job="a"}'
        values: 1 2 stale _ 5 6
    promql_expr_test:
      - expr: job:x:sum
        eval_time: 1m
      - expr: job:x:sum
        eval_time: 4m
      - expr: x + on(job) group_left y
        eval_time: 5m
        exp_samples:
          - labels: '{i="1",job="a"}'
            value: 12
`,
    },
  },
  {
    // A group on the grid of the group before takes the columns of the values it shares with
    // it; one on another grid (interval, or last evaluation) reads its own.
    name: 'groups writing the same values on the same grid and on others',
    files: {
      'test.yaml': `tests:
- interval: 1m
  input_series:
  - series: 'a{i="1"}'
    values: '0+1x10 stale'
  - series: 'b'
    values: 0+1x10 stale
  promql_expr_test:
  - expr: a + on() group_left b
    eval_time: 4m
    exp_samples:
    - labels: '{i="1"}'
      value: 8
${['4m', '4m', '2m', '5m']
  .map(
    (t) => `- interval: 30s
  input_series:
  - series: 'a{i="1"}'
    values: '0+1x10 stale'
  - series: 'b'
    values: 0+1x10 stale
  promql_expr_test:
  - expr: a + on() group_left b
    eval_time: ${t}
    exp_samples:
    - labels: '{i="1"}'
      value: 16
`,
  )
  .join('')}`,
    },
  },
  {
    name: 'a recording rule writing an input series',
    files: {
      'rules.yaml': 'groups:\n- name: a\n  rules:\n  - record: up\n    expr: vector(5)\n',
      'test.yaml': `rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n  - series: 'up'\n    values: '1 1 1'\n  promql_expr_test:\n  - expr: up\n    eval_time: 1m\n`,
    },
  },
);

describe('test rules agrees with promtool 2.42', () => {
  testCases.forEach(({ name, files }) => {
    it(`prints what promtool prints for ${name}`, () => {
      const want = runPromtool(files, ['test', 'rules', 'test.yaml']);
      const report = runRuleTests(['test.yaml'], {
        compat: 'v2',
        readFile: (p) => {
          const text = files[p];
          if (text === undefined) throw new Error(`open ${p}: no such file or directory`);
          return text;
        },
      });
      const got = streams(report);
      expect(got.stderr).toBe(want.stderr);
      expect(got.stdout).toBe(want.stdout);
      expect(report.exitCode).toBe(want.code);
    });
  });
});

describe('promql_expr_test query errors', () => {
  it('reports a parse error with its position, as promtool does', () => {
    const files: Record<string, string> = {
      'test.yaml':
        "tests:\n- interval: 1m\n  promql_expr_test:\n  - expr: 'rate(up[5m]'\n    eval_time: 1m\n",
    };
    const report = runRuleTests(['test.yaml'], { compat: 'v2', readFile: (p) => files[p] ?? '' });
    // The wording after "parse error:" is the engine's; the prefix is promtool's.
    expect(streams(report).stderr).toMatch(
      /^ {2}FAILED:\n {4}expr: "rate\(up\[5m\]", time: 1m, err: 1:12: parse error: /,
    );
    expect({ passed: report.passed, failed: report.failed, exitCode: report.exitCode }).toEqual({
      passed: 0,
      failed: 1,
      exitCode: 1,
    });
  });
});

describe('the etcd mixin conformance tests', () => {
  const file = new URL('../../../shared/conformance/etcd-mixin/test.yaml', import.meta.url)
    .pathname;
  const readFile = (p: string): string => readFileSync(p, 'utf8');

  it('all pass with v2 semantics, as with promtool 2.42', () => {
    const report = runRuleTests([file], { compat: 'v2', readFile });
    expect(streams(report)).toEqual({
      stdout: `Unit Testing:  ${file}\n  SUCCESS\n\n`,
      stderr: '',
    });
    expect({ passed: report.passed, failed: report.failed }).toEqual({ passed: 13, failed: 0 });
  });

  it('with v3 semantics, the test whose last `up` sample is exactly 5m old fails', () => {
    // The second test group's series end at 19m and expect the alert firing at 24m: Prometheus 3's
    // lookback window (T-5m, T] no longer sees the 19m sample, so the alert resolves instead.
    const report = runRuleTests([file], { compat: 'v3', readFile });
    expect({ passed: report.passed, failed: report.failed }).toEqual({ passed: 12, failed: 1 });
    expect(streams(report).stderr).toContain(
      'alertname: etcdMembersDown, time: 24m, \n        exp:[',
    );
  });
});
