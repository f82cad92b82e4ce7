// The minimal promtool unit test: small, only the series the rules read, a commented check
// wherever something changes, and still passed by real promtool (Prometheus 2.42, so the v2
// flavour) and by Quorum Lab's own runner in both flavours.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runRuleTests } from '../rules/index.ts';
import { defaultScenario, findPreset, simulate } from '../sim/index.ts';
import { runPromtool } from '../../tests/rules/promtool.ts';
import { formatPromtoolTest } from './promtoolTest.ts';
import {
  defaultRules,
  etcdInsufficientMembers,
  etcdMembersDown,
  naiveUpRule,
} from './rulePresets.ts';
import { simulated } from './source.ts';

interface TestFile {
  tests: {
    input_series: { series: string; values: string }[];
    alert_rule_test: { eval_time: string; alertname: string; exp_alerts: unknown[] }[];
  }[];
}

function promtoolPasses(files: { rules: string; test: string }) {
  const r = runPromtool({ 'etcd.rules.yaml': files.rules, 'etcd.test.yaml': files.test }, [
    'test',
    'rules',
    'etcd.test.yaml',
  ]);
  expect(r.stdout + r.stderr).toContain('SUCCESS');
  expect(r.code).toBe(0);
}

function ownRunnerPasses(files: { rules: string; test: string }, compat: 'v2' | 'v3') {
  const report = runRuleTests(['etcd.test.yaml'], {
    compat,
    readFile: (p) => (p === 'etcd.test.yaml' ? files.test : files.rules),
  });
  expect(report.failed).toBe(0);
  expect(report.passed).toBeGreaterThan(0);
}

describe('the minimal promtool unit test', () => {
  const source = simulated(defaultScenario);
  const v2 = formatPromtoolTest(source, defaultRules, {
    ruleFileName: 'etcd.rules.yaml',
    compat: 'v2',
  });
  const v3 = formatPromtoolTest(source, defaultRules, { ruleFileName: 'etcd.rules.yaml' });

  it('of the default scenario is under 30 KB and real promtool passes it', () => {
    expect(v2.test.length).toBeLessThan(30_000);
    expect(v3.test.length).toBeLessThan(30_000);
    promtoolPasses(v2);
    ownRunnerPasses(v2, 'v2');
    ownRunnerPasses(v3, 'v3');
  });

  it('keeps only the series the rules read', () => {
    const test = parse(v3.test) as TestFile;
    const names = new Set(test.tests[0]!.input_series.map((s) => s.series.replace(/\{.*/, '')));
    expect([...names].sort()).toEqual(['etcd_network_peer_sent_failures_total', 'up']);
    const all = simulate(defaultScenario).series.length;
    expect(v3.test).toContain(`the ${test.tests[0]!.input_series.length} of ${all} series`);
  });

  it('says why each check is there', () => {
    const lines = v3.test.split('\n');
    lines.forEach((line, i) => {
      if (line.trim().startsWith('- eval_time:')) expect(lines[i - 1]).toMatch(/^\s+# \S+: .+/);
    });
    expect(v3.test).toContain('# 0s: the start: what fires before anything happens');
    // The eviction at 10m: the first scrape after it finds etcd-3 gone.
    expect(v3.test).toContain('# 10m30s: ground truth: members down: etcd-3');
  });

  it('says that the two flavours are identical, and why', () => {
    // The file's opening comment, its lines joined.
    const note = (t: string) =>
      t
        .split('\n')
        .filter((l) => l.startsWith('# '))
        .map((l) => l.slice(2))
        .join(' ');
    expect(note(v3.test)).toContain('For Prometheus 3; the Prometheus 2 flavour is identical');
    expect(note(v2.test)).toContain('For Prometheus 2; the Prometheus 3 flavour is identical');
    expect(note(v3.test)).toContain(
      "Prometheus 2's range windows include a sample at their left edge",
    );
    // Identical but for the note.
    const body = (t: string) => t.slice(t.indexOf('rule_files:'));
    expect(body(v2.test)).toBe(body(v3.test));
  });

  it('checks an alert where it becomes pending, fires and resolves, and nowhere else', () => {
    const crash = findPreset('member-crash')!.scenario;
    const rules = [etcdMembersDown, naiveUpRule, etcdInsufficientMembers];
    const files = formatPromtoolTest(simulated(crash), rules, {
      ruleFileName: 'etcd.rules.yaml',
      compat: 'v2',
    });
    const checks = (parse(files.test) as TestFile).tests[0]!.alert_rule_test;
    const of = (name: string) => checks.filter((c) => c.alertname === name).map((c) => c.eval_time);
    // etcd-2 crashes at 10m: seen at the next evaluation; etcdMembersDown fires after its 20m for.
    expect(of('etcdMembersDown')).toEqual(['0s', '10m30s', '30m30s']);
    expect(files.test).toMatch(
      /# 10m30s: ground truth: members down: etcd-2; etcdMembersDown\{job="etcd", severity="warning"\} becomes pending/,
    );
    expect(files.test).toContain(
      '# 30m30s: etcdMembersDown{job="etcd", severity="warning"} fires (its for has passed)',
    );
    promtoolPasses(files);
  });

  it('the full test still checks every evaluation on every series', () => {
    const full = formatPromtoolTest(source, defaultRules, {
      ruleFileName: 'etcd.rules.yaml',
      full: true,
    });
    const test = parse(full.test) as TestFile;
    expect(test.tests[0]!.input_series).toHaveLength(simulate(defaultScenario).series.length);
    const evaluations = defaultScenario.duration / defaultScenario.evaluationInterval + 1;
    expect(test.tests[0]!.alert_rule_test).toHaveLength(evaluations * defaultRules.length);
  });
});
