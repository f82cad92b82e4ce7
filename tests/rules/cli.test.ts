// The quorumlab CLI's `test rules` and `check rules` end to end (a real process, as a user runs
// it), and the Prometheus 3 additions to the unit test format: start_timestamp, fuzzy_compare,
// the default series interval and --run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRuleTests } from '../../src/rules/index.ts';
import { runPromtool } from './promtool.ts';

const BIN = new URL('../../bin/quorumlab', import.meta.url).pathname;
const ETCD = new URL('../../../shared/conformance/etcd-mixin', import.meta.url).pathname;

function quorumlab(args: string[], cwd?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'quorumlab-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quorumlab test rules', () => {
  it('passes the etcd mixin tests with --compat v2 and ends with the tally', () => {
    const r = quorumlab(['test', 'rules', '--compat', 'v2', `${ETCD}/test.yaml`]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('13 passed, 0 failed');
  });

  it('exits 1 and counts the failure with --compat v3 (the 19m sample is outside (T-5m, T] at 24m)', () => {
    const r = quorumlab(['test', 'rules', '--compat', 'v3', `${ETCD}/test.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('12 passed, 1 failed');
  });

  it('resolves rule_files globs relative to the test file', () => {
    writeFileSync(
      join(dir, 'a.rules.yaml'),
      'groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up == 0\n',
    );
    writeFileSync(
      join(dir, 'b.rules.yaml'),
      'groups:\n- name: b\n  rules:\n  - record: r\n    expr: sum(up)\n',
    );
    writeFileSync(
      join(dir, 'glob.test.yaml'),
      "rule_files: ['*.rules.yaml', 'missing-*.yaml']\ntests:\n- interval: 1m\n  input_series:\n  - series: up\n    values: 0 0\n  alert_rule_test:\n  - eval_time: 1m\n    alertname: A\n    exp_alerts:\n    - {}\n  promql_expr_test:\n  - expr: r\n    eval_time: 1m\n    exp_samples:\n    - labels: r\n      value: 0\n",
    );
    const ours = quorumlab(['test', 'rules', '--compat', 'v2', 'glob.test.yaml'], dir);
    const theirs = spawnSync('/usr/bin/promtool', ['test', 'rules', 'glob.test.yaml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.stdout).toBe(theirs.stdout + '2 passed, 0 failed\n');
    expect(ours.code).toBe(theirs.status);
  });

  it('prints usage and exits 2 without files', () => {
    expect(quorumlab(['test', 'rules']).code).toBe(2);
  });
});

describe('quorumlab check rules', () => {
  it('matches promtool on several files, valid and invalid', () => {
    const files = {
      'good.yaml': 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n',
      'bad.yaml': 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up ==\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const ours = quorumlab(['check', 'rules', '--compat', 'v2', 'good.yaml', 'bad.yaml'], dir);
    const theirs = runPromtool(files, ['check', 'rules', 'good.yaml', 'bad.yaml']);
    expect(ours).toEqual({ code: theirs.code, stdout: theirs.stdout, stderr: theirs.stderr });
  });

  it('accepts the etcd mixin rules', () => {
    const r = quorumlab(['check', 'rules', `${ETCD}/rules.yaml`]);
    expect(r).toEqual({
      code: 0,
      stdout: `Checking ${ETCD}/rules.yaml\n  SUCCESS: 15 rules found\n\n`,
      stderr: '',
    });
  });
});

describe('Prometheus 3 unit test features', () => {
  const files: Record<string, string> = {
    'rules.yaml':
      'groups:\n- name: g\n  rules:\n  - alert: Up\n    expr: up > 0\n    for: 1m\n    annotations:\n      since: "{{ humanizeTimestamp 1700000000 }}"\n',
  };
  const run = (test: string, opts: { run?: RegExp } = {}): ReturnType<typeof runRuleTests> =>
    runRuleTests(['test.yaml'], {
      compat: 'v3',
      readFile: (p) => (p === 'test.yaml' ? test : (files[p] ?? '')),
      ...opts,
    });
  const stderr = (r: ReturnType<typeof runRuleTests>): string =>
    r.output
      .filter((c) => c.stream === 'stderr')
      .map((c) => c.text)
      .join('');

  it('starts samples and evaluations at start_timestamp', () => {
    const r = run(
      "rule_files: [rules.yaml]\ntests:\n- start_timestamp: 1700000000\n  input_series:\n  - series: up\n    values: 1 1 1\n  alert_rule_test:\n  - eval_time: 1m\n    alertname: Up\n    exp_alerts:\n    - exp_annotations: {since: '2023-11-14 22:13:20 +0000 UTC'}\n  promql_expr_test:\n  - expr: ALERTS_FOR_STATE\n    eval_time: 2m\n    exp_samples:\n    - labels: 'ALERTS_FOR_STATE{alertname=\"Up\"}'\n      value: 1700000000\n  - expr: timestamp(up)\n    eval_time: 2m\n    exp_samples:\n    - labels: '{}'\n      value: 1700000120\n",
    );
    expect(stderr(r)).toBe('');
    expect([r.passed, r.failed]).toEqual([3, 0]);
  });

  it('queries a group with query_offset that far back and writes its ALERTS there', () => {
    const local: Record<string, string> = {
      'rules.yaml':
        'groups:\n- name: g\n  query_offset: 1m\n  rules:\n  - alert: Big\n    expr: x > 1\n',
      'test.yaml':
        'rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n  - series: x\n    values: 0 0 5 5 5\n  alert_rule_test:\n  - eval_time: 2m\n    alertname: Big\n  - eval_time: 3m\n    alertname: Big\n    exp_alerts:\n    - {}\n  promql_expr_test:\n  - expr: ALERTS\n    eval_time: 2m\n    exp_samples:\n    - labels: \'ALERTS{alertname="Big",alertstate="firing"}\'\n      value: 1\n',
    };
    const r = runRuleTests(['test.yaml'], { compat: 'v3', readFile: (p) => local[p] ?? '' });
    expect(stderr(r)).toBe('');
    expect([r.passed, r.failed]).toEqual([3, 0]);
  });

  it("adds group labels to the group's rules, rule labels winning", () => {
    const local: Record<string, string> = {
      'rules.yaml':
        'groups:\n- name: g\n  labels:\n    team: db\n    severity: low\n  rules:\n  - alert: Up\n    expr: up\n    labels:\n      severity: page\n  - record: up:sum\n    expr: sum(up)\n',
      'test.yaml':
        'rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n  - series: up\n    values: 1\n  alert_rule_test:\n  - eval_time: 0m\n    alertname: Up\n    exp_alerts:\n    - exp_labels: {team: db, severity: page}\n  promql_expr_test:\n  - expr: up:sum\n    eval_time: 0m\n    exp_samples:\n    - labels: \'up:sum{team="db",severity="low"}\'\n      value: 1\n',
    };
    const r = runRuleTests(['test.yaml'], { compat: 'v3', readFile: (p) => local[p] ?? '' });
    expect(stderr(r)).toBe('');
    expect([r.passed, r.failed]).toEqual([2, 0]);
  });

  it('defaults the series interval to evaluation_interval', () => {
    const r = run(
      'evaluation_interval: 30s\ntests:\n- input_series:\n  - series: x\n    values: 1 2 3\n  promql_expr_test:\n  - expr: x\n    eval_time: 1m\n    exp_samples:\n    - labels: x\n      value: 3\n',
    );
    expect([r.passed, r.failed]).toEqual([1, 0]);
  });

  it('compares within one ULP only with fuzzy_compare', () => {
    const test = (fuzzy: boolean): string =>
      `fuzzy_compare: ${fuzzy}\ntests:\n- interval: 1m\n  input_series:\n  - series: x\n    values: 0.1\n  promql_expr_test:\n  - expr: x * 3\n    eval_time: 0m\n    exp_samples:\n    - labels: '{}'\n      value: 0.3\n`;
    expect(run(test(false)).failed).toBe(1);
    expect(run(test(true)).failed).toBe(0);
  });

  it('runs only the test groups that --run selects', () => {
    const test =
      'tests:\n- name: alpha\n  interval: 1m\n  input_series:\n  - series: x\n    values: 1\n  promql_expr_test:\n  - expr: x\n    eval_time: 0m\n    exp_samples:\n    - labels: x\n      value: 1\n- name: beta\n  interval: 1m\n  promql_expr_test:\n  - expr: vector(1)\n    eval_time: 0m\n';
    const all = run(test);
    expect([all.passed, all.failed]).toEqual([1, 1]);
    const beta = run(test, { run: /^beta$/ });
    expect([beta.passed, beta.failed, beta.exitCode]).toEqual([0, 1, 1]);
    const alpha = run(test, { run: /alp/ });
    expect([alpha.passed, alpha.failed, alpha.exitCode]).toEqual([1, 0, 0]);
  });
});
