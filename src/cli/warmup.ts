// A small `test rules` run for the startup snapshot's builder (src/cli/snapshot.ts): V8 compiles
// a function to bytecode the first time it runs, and the snapshot keeps that bytecode, so a
// command started from it skips compiling the rule tester, the test file reader and the engine's
// common paths. (Optimised code and type feedback are not kept: only the bytecode.) The files
// are made up here and read from memory; the run's report is thrown away.
import { runRuleTests } from '../rules/index.ts';

const RULES = `groups:
  - name: warmup
    rules:
      - record: job:up:sum
        expr: sum without (instance) (up)
      - alert: MembersDown
        expr: |
          max without (endpoint) (
            sum without (instance) (up{job=~".*w.*"} == bool 0)
          or
            count without (To) (sum without (instance) (rate(peer_failures_total[2m])) > 0.01)
          ) > 0
        for: 2m
        labels:
          severity: warning
        annotations:
          description: 'cluster "{{ $labels.job }}": members are down ({{ $value }}).'
      - alert: FewMembers
        expr: sum(up == bool 1) without (instance) < ((count(up) without (instance) + 1) / 2)
        for: 1m
        labels:
          severity: critical
      - alert: NoLeader
        expr: has_leader{job="w"} == 0
        labels:
          severity: critical
        annotations:
          summary: 'member {{ $labels.instance }} has no leader.'
      - alert: LeaderChanges
        expr: increase((max without (instance) (leader_changes_total) or 0*absent(leader_changes_total))[5m:1m]) >= 4
        labels:
          severity: warning
      - alert: Failed
        expr: 100 * sum(rate(handled_total{code=~"Unknown|Unavailable"}[5m])) without (code) / sum(rate(handled_total[5m])) without (code) > 1
        labels:
          severity: warning
        annotations:
          description: '{{ $value | humanizePercentage }} failed on {{ $labels.instance }}.'
      - alert: Failed
        expr: 100 * sum(rate(handled_total{code=~"Unknown|Unavailable"}[5m])) without (code) / sum(rate(handled_total[5m])) without (code) > 5
        labels:
          severity: critical
      - alert: Slow
        expr: histogram_quantile(0.99, sum(rate(latency_seconds_bucket{code!="x"}[5m])) without (code)) > 0.15
        for: 1m
        labels:
          severity: critical
      - alert: SlowPeer
        expr: histogram_quantile(0.99, rate(latency_seconds_bucket[5m])) > 0.5
      - alert: Quota
        expr: (last_over_time(db_bytes[5m]) / last_over_time(quota_bytes[5m]))*100 > 95
      - alert: Growth
        expr: predict_linear(db_bytes[1h], 4*60*60) > quota_bytes
      - alert: Fragmented
        expr: (last_over_time(db_in_use_bytes[5m]) / last_over_time(db_bytes[5m])) < 0.5 and db_in_use_bytes > 1000
`;

/**
 * The test file: groups of three members, values in compact notation or spelled out; with
 * `expected`, each group also expects an alert and a PromQL sample (else the file is the
 * skeleton that test rules reads without the YAML parser once its lists are set aside).
 */
function testFile(expected: boolean): string {
  const lines = ['rule_files: [warmup.rules.yaml]', 'evaluation_interval: 1m', 'tests:'];
  const n = 21;
  const ramp = (start: number, inc: number, spelled: boolean): string =>
    spelled
      ? Array.from({ length: n }, (_, i) => String(start + i * inc)).join(' ')
      : `${start}+${inc}x${n - 1}`;
  for (let g = 0; g < 4; g++) {
    const spelled = g % 2 === 1;
    lines.push(`  - name: group ${g}`, '    interval: 15s', '    input_series:');
    const add = (series: string, values: string): void => {
      lines.push(`      - series: '${series}'`, `        values: ${values}`);
    };
    for (let m = 1; m <= 3; m++) {
      const base = `job="w",instance="m${m}"`;
      add(`up{${base}}`, m === g ? '1x5 stale _x3 1x10' : ramp(1, 0, spelled));
      add(`has_leader{${base}}`, m === 2 ? '1x9 0x3 1x7' : ramp(1, 0, spelled));
      add(`leader_changes_total{${base}}`, ramp(0, m * 0.1, spelled));
      add(`peer_failures_total{${base},To="p${m}"}`, ramp(0, 0.02 * m, spelled));
      add(`db_bytes{${base}}`, ramp(1000, 20 * m, spelled));
      add(`db_in_use_bytes{${base}}`, ramp(600, 10, spelled));
      add(`quota_bytes{${base}}`, ramp(2000, 0, spelled));
      for (const code of ['OK', 'Unavailable', 'Unknown']) {
        add(`handled_total{${base},code="${code}"}`, ramp(0, code === 'OK' ? 40 : m, spelled));
      }
      for (const le of ['0.1', '0.2', '0.4', '+Inf']) {
        add(`latency_seconds_bucket{${base},code="OK",le="${le}"}`, ramp(0, 10 * m, spelled));
      }
    }
    lines.push('    alert_rule_test:');
    for (const t of ['2m', '5m']) {
      for (const a of ['MembersDown', 'FewMembers', 'NoLeader', 'LeaderChanges', 'Failed']) {
        lines.push(`      - eval_time: ${t}`, `        alertname: ${a}`);
      }
      for (const a of ['Slow', 'SlowPeer', 'Quota', 'Growth', 'Fragmented']) {
        lines.push(`      - eval_time: ${t}`, `        alertname: ${a}`);
      }
    }
    if (!expected) continue;
    lines.push(
      '      - eval_time: 3m',
      '        alertname: NoLeader',
      '        exp_alerts:',
      '          - exp_labels:',
      '              severity: critical',
      '              job: w',
      '              instance: m2',
      '            exp_annotations:',
      "              summary: 'member m2 has no leader.'",
      '    promql_expr_test:',
      '      - expr: job:up:sum',
      '        eval_time: 4m',
      '        exp_samples:',
      '          - labels: \'job:up:sum{job="w"}\'',
      '            value: 3',
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Runs the made-up test files once, both ways promtool reads them (v2 and v3); `report` is told
 * each run's output and counts (for tests).
 */
export function warmTestRules(report?: (text: string) => void): void {
  const files: Record<string, string> = {
    'warmup.test.yaml': testFile(true),
    'warmup.skeleton.test.yaml': testFile(false),
    'warmup.rules.yaml': RULES,
  };
  const readFile = (path: string): string => {
    const text = files[path];
    if (text === undefined) throw new Error(`open ${path}: no such file or directory`);
    return text;
  };
  for (const compat of ['v2', 'v3'] as const) {
    const r = runRuleTests(['warmup.test.yaml', 'warmup.skeleton.test.yaml'], {
      compat,
      readFile,
    });
    report?.(r.output.map((c) => c.text).join('') + `${r.passed} passed, ${r.failed} failed`);
  }
}
