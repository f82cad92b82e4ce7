// The two replays of `test rules` give the same report: one range evaluation per rule over the
// whole schedule, and promtool's own step-by-step replay. Tricky rules (recording-rule chains,
// negative offsets, @, ALERTS reads, query templates, query_offset, limits, errors) run table
// by table with the replay each one must take, then seeded random rule files and preset exports;
// the random ones are also judged by real promtool.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cli/commands/scenario.ts';
import { runRuleTests, type RuleTestReport } from '../../src/rules/index.ts';
import { runPromtool } from './promtool.ts';
import { createRng } from '../differential/rng.ts';

type Replay = 'range' | 'step';

function runBoth(
  files: Record<string, string>,
  compat: 'v2' | 'v3',
): { auto: RuleTestReport; step: RuleTestReport; took: Replay[] } {
  const readFile = (p: string): string => {
    const f = files[p];
    if (f === undefined) throw new Error(`open ${p}: no such file or directory`);
    return f;
  };
  const took: Replay[] = [];
  const auto = runRuleTests(['test.yaml'], {
    compat,
    readFile,
    onReplay: (_g, r) => took.push(r),
  });
  const step = runRuleTests(['test.yaml'], { compat, readFile, replay: 'step' });
  return { auto, step, took };
}

function stderrOf(report: RuleTestReport): string {
  return report.output
    .filter((c) => c.stream === 'stderr')
    .map((c) => c.text)
    .join('');
}

/** A test file over `series` (each `labels values` line) checking every alert each minute. */
function testFile(opts: {
  series: string[];
  alerts: string[];
  minutes: number;
  exprs?: string[];
  evalInterval?: string;
  order?: string;
}): string {
  const lines = [
    'rule_files: [rules.yaml]',
    `evaluation_interval: ${opts.evalInterval ?? '1m'}`,
    ...(opts.order ? [`group_eval_order: ${opts.order}`] : []),
    'tests:',
    '- interval: 1m',
    '  input_series:',
  ];
  for (const s of opts.series) {
    const i = s.indexOf('} ');
    lines.push(`  - series: '${s.slice(0, i + 1)}'`, `    values: '${s.slice(i + 2)}'`);
  }
  lines.push('  alert_rule_test:');
  for (let m = 0; m <= opts.minutes; m++) {
    for (const a of opts.alerts) lines.push(`  - eval_time: ${m}m`, `    alertname: ${a}`);
  }
  if (opts.exprs && opts.exprs.length > 0) {
    lines.push('  promql_expr_test:');
    for (let m = 0; m <= opts.minutes; m += 3) {
      for (const e of opts.exprs) lines.push(`  - expr: '${e}'`, `    eval_time: ${m}m`);
    }
  }
  return lines.join('\n') + '\n';
}

const SERIES = [
  'up{job="api",instance="a"} 1 1 0 0 0 0 1 1 0 0 0 0 0 1 1',
  'up{job="api",instance="b"} 1x6 0x4 _ _ 1x3',
  'up{job="db",instance="c"} 1 0 1 0 stale 1 0 0 0 0 0 1 1 1 1',
  'load{job="db",instance="c"} 0+7x14',
];

interface Case {
  name: string;
  rules: string;
  alerts: string[];
  exprs?: string[];
  order?: string;
  evalInterval?: string;
  replay: Replay;
  /** Prometheus 2.42 has no query_offset. */
  v3Only?: boolean;
}

const CASES: Case[] = [
  {
    name: 'a recording-rule chain feeding alerts in a later group',
    rules: `groups:
- name: rec
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
  - record: job:up:ratio
    expr: job:up:sum / count by (job) (up)
- name: alerts
  rules:
  - alert: LowRatio
    expr: job:up:ratio < 0.75
    for: 2m
    keep_firing_for: 3m
    labels:
      severity: '{{ if lt $value 0.5 }}page{{ else }}ticket{{ end }}'
    annotations:
      ratio: '{{ humanizePercentage $value }} at {{ $labels.job }}'
  - alert: Down
    expr: up == 0
    for: 1m
    annotations:
      summary: '{{ $labels.instance }} down ({{ $value }})'
`,
    alerts: ['LowRatio', 'Down'],
    exprs: ['job:up:ratio', 'ALERTS', 'ALERTS_FOR_STATE'],
    replay: 'range',
  },
  {
    name: 'a recording rule read before it is written (group order)',
    rules: `groups:
- name: rec
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
- name: alerts
  rules:
  - alert: FewUp
    expr: job:up:sum < 2
`,
    order: '[alerts, rec]',
    alerts: ['FewUp'],
    exprs: ['job:up:sum'],
    replay: 'step',
  },
  {
    name: 'a rule reading its own output',
    rules: `groups:
- name: g
  rules:
  - record: acc
    expr: sum(up) + (sum(acc offset 1m) or vector(0))
  - alert: Big
    expr: acc > 10
`,
    alerts: ['Big'],
    exprs: ['acc'],
    replay: 'step',
  },
  {
    name: 'a negative offset, which would see the future',
    rules: `groups:
- name: g
  rules:
  - alert: WillDrop
    expr: up offset -2m == 0
`,
    alerts: ['WillDrop'],
    replay: 'step',
  },
  {
    name: '@ end() and @ a fixed time',
    rules: `groups:
- name: g
  rules:
  - alert: AtEnd
    expr: up @ end() == 0
  - alert: AtFixed
    expr: up @ 300 == 0 and up
  - alert: SubqueryAt
    expr: max_over_time((up == 0)[3m:1m] @ end()) > 0
`,
    alerts: ['AtEnd', 'AtFixed', 'SubqueryAt'],
    replay: 'step',
  },
  {
    name: 'ALERTS read by a later group',
    rules: `groups:
- name: a
  rules:
  - alert: Down
    expr: up == 0
- name: b
  rules:
  - alert: ManyDown
    expr: count(ALERTS{alertstate="firing"}) >= 2
`,
    alerts: ['Down', 'ManyDown'],
    replay: 'step',
  },
  {
    name: 'a selector without a metric name, with alerting rules around',
    rules: `groups:
- name: a
  rules:
  - alert: AnyZero
    expr: '{job="api"} == 0'
`,
    alerts: ['AnyZero'],
    replay: 'step',
  },
  {
    name: 'a query template',
    rules: `groups:
- name: a
  rules:
  - alert: Down
    expr: up == 0
    annotations:
      total: '{{ with query "sum(up)" }}{{ . | first | value }}{{ end }}'
`,
    alerts: ['Down'],
    replay: 'step',
  },
  {
    name: 'query_offset in both groups, the reader with the larger one',
    rules: `groups:
- name: rec
  query_offset: 1m
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
- name: alerts
  query_offset: 2m
  rules:
  - alert: FewUp
    expr: job:up:sum < 2
    for: 1m
`,
    alerts: ['FewUp'],
    exprs: ['job:up:sum', 'ALERTS'],
    replay: 'range',
    v3Only: true,
  },
  {
    name: 'query_offset larger on the writer than on the reader',
    rules: `groups:
- name: rec
  query_offset: 2m
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
- name: alerts
  rules:
  - alert: FewUp
    expr: job:up:sum < 2
`,
    alerts: ['FewUp'],
    exprs: ['job:up:sum'],
    replay: 'step',
    v3Only: true,
  },
  {
    name: 'subqueries, rates and a 30s evaluation interval',
    rules: `groups:
- name: g
  rules:
  - record: load:rate
    expr: rate(load[3m])
  - alert: Spiky
    expr: max_over_time(load:rate[2m:30s]) > 0.1 and changes(up[4m]) >= 1
    for: 90s
    annotations:
      v: '{{ $value }}'
`,
    alerts: ['Spiky'],
    exprs: ['load:rate'],
    evalInterval: '30s',
    replay: 'range',
  },
  {
    name: 'rules differing only in a threshold share one evaluation',
    rules: `groups:
- name: g
  rules:
  - alert: Warn
    expr: sum by (job) (load) / 10 > 2
    for: 1m
  - alert: Crit
    expr: sum by (job) (load) / 10 > 5
  - alert: NotSeven
    expr: sum by (job) (load) / 10 != 7
  - alert: DownWarn
    expr: up == 0
  - alert: DownNaN
    expr: up / 0 * 0 <= 0
  - alert: NaNs
    expr: up / 0 * 0 != 1
`,
    alerts: ['Warn', 'Crit', 'NotSeven', 'DownWarn', 'DownNaN', 'NaNs'],
    replay: 'range',
  },
  {
    name: 'an alert limit exceeded (an evaluation error stops the group)',
    rules: `groups:
- name: g
  limit: 1
  rules:
  - alert: Down
    expr: up == 0
`,
    alerts: ['Down'],
    replay: 'step',
  },
  {
    name: 'a recording rule producing duplicate series',
    rules: `groups:
- name: g
  rules:
  - record: dup
    expr: up
    labels:
      instance: same
  - alert: Dup
    expr: dup > 0
`,
    alerts: ['Dup'],
    replay: 'step',
  },
  {
    name: 'a failing expression (many-to-many matching)',
    rules: `groups:
- name: g
  rules:
  - record: bad
    expr: up + on(job) up
  - alert: Down
    expr: up == 0
`,
    alerts: ['Down'],
    replay: 'step',
  },
];

describe('the range replay and the step replay agree', () => {
  describe.each(['v2', 'v3'] as const)('--compat %s', (compat) => {
    it.each(CASES.filter((c) => compat === 'v3' || c.v3Only !== true))('$name ($replay)', (c) => {
      const files = {
        'rules.yaml': c.rules,
        'test.yaml': testFile({
          series: SERIES,
          alerts: c.alerts,
          minutes: 14,
          exprs: c.exprs,
          order: c.order,
          evalInterval: c.evalInterval,
        }),
      };
      const { auto, step, took } = runBoth(files, compat);
      expect(took).toEqual([c.replay]);
      expect(auto).toEqual(step);
    });
  });
});

const EXPRS = [
  'm > K',
  'm == K',
  'sum by (job) (m) > K',
  'changes(m[3m]) > 0',
  'sum_over_time(m[2m]) >= K',
  'rate(c[2m]) * 60 > K',
  'max_over_time(m[4m]) < K',
  'job:m:sum >= K',
  'job:m:max - job:m:sum < K',
  '(m > K) unless (m offset 1m > K)',
  'max_over_time((m > K)[3m:1m]) > 0',
  'count by (job) (m > 0) >= 2',
  'delta(m[5m]) != 0',
  'absent(m{instance="i9"})',
];

const TEMPLATES = [
  '{{ $value }}',
  '{{ $labels.instance }} in {{ $labels.job }}',
  '{{ humanize $value }}',
  '{{ printf "%.2f" $value }}',
  '{{ if gt $value 1.0 }}high{{ else }}low{{ end }}',
  '{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}',
  '{{ $externalLabels.cluster }}',
];

/** Random series and alerting rules over two recording rules, without ALERTS reads or queries. */
function generate(seed: number, steps: number, compat: 'v2' | 'v3'): Record<string, string> {
  const rand = createRng(seed);
  const r = rand.next;
  const evalSec = rand.pick([15, 30, 60]);
  const seriesSec = rand.pick([15, 30, 60, 120]);
  const series: string[] = [];
  for (let i = 0; i < 2 + Math.floor(r() * 3); i++) {
    const vals: string[] = [];
    let c = 0;
    const cvals: string[] = [];
    for (let t = 0; t < steps; t++) {
      const x = r();
      vals.push(x < 0.08 ? '_' : x < 0.12 ? 'stale' : String(Math.floor(r() * 4)));
      c = r() < 0.05 ? 0 : c + Math.floor(r() * 5);
      cvals.push(String(c));
    }
    const labels = `instance="i${i}",job="j${i % 2}"`;
    series.push(
      `  - series: 'm{${labels}}'`,
      `    values: '${vals.join(' ')}'`,
      `  - series: 'c{${labels}}'`,
      `    values: '${cvals.join(' ')}'`,
    );
  }
  const alerts: string[] = [];
  const names: string[] = [];
  for (let a = 0; a < 3 + Math.floor(r() * 3); a++) {
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
  }
  const queryOffset = compat === 'v3' ? rand.pick([0, 0, 30, 60]) : 0;
  const rules = [
    'groups:',
    '- name: rec',
    '  rules:',
    '  - record: job:m:sum',
    '    expr: sum by (job) (m)',
    '  - record: job:m:max',
    '    expr: max by (job) (m) + 0 * job:m:sum',
    '- name: alerts',
    ...(queryOffset > 0 ? [`  query_offset: ${queryOffset}s`] : []),
    '  rules:',
    ...alerts,
  ];
  const alertTests: string[] = [];
  const exprTests: string[] = [];
  for (let t = 0; t < steps * seriesSec; t += evalSec) {
    const at = r() < 0.2 ? t + Math.floor(r() * evalSec) : t;
    for (const n of names) alertTests.push(`  - eval_time: ${at}s`, `    alertname: ${n}`);
    if (r() < 0.2) {
      for (const e of ['ALERTS', 'ALERTS_FOR_STATE', 'job:m:max']) {
        exprTests.push(`  - expr: ${e}`, `    eval_time: ${at}s`);
      }
    }
  }
  const test = [
    'rule_files: [rules.yaml]',
    `evaluation_interval: ${evalSec}s`,
    'group_eval_order: [rec, alerts]',
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
  ];
  return { 'rules.yaml': rules.join('\n') + '\n', 'test.yaml': test.join('\n') + '\n' };
}

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

describe('random rule files: both replays agree, and with real promtool', () => {
  it.each(SEEDS)('seed %i', (seed) => {
    const v3 = runBoth(generate(seed, 24, 'v3'), 'v3');
    expect(v3.took).toEqual(['range']);
    expect(v3.auto).toEqual(v3.step);
    const files = generate(seed, 24, 'v2');
    const v2 = runBoth(files, 'v2');
    expect(v2.took).toEqual(['range']);
    expect(v2.auto).toEqual(v2.step);
    const want = runPromtool(files, ['test', 'rules', 'test.yaml']);
    expect(stderrOf(v2.auto)).toBe(want.stderr);
    expect(v2.auto.exitCode).toBe(want.code);
  });
});

describe('preset exports: both replays agree', () => {
  it.each(['member-crash', 'leader-churn', 'slow-fsync', 'scrape-failures'])('%s', (name) => {
    const out = join(mkdtempSync(join(tmpdir(), 'quorumlab-replay-')), `${name}.test.yaml`);
    const code = runScenario(['export-test', name, '--compat', 'v3', '-o', out], {
      out: () => undefined,
      err: () => undefined,
    });
    expect(code).toBe(0);
    const dir = out.slice(0, out.lastIndexOf('/'));
    const files: Record<string, string> = { 'test.yaml': readFileSync(out, 'utf8') };
    const rulesFile = /rule_files:\n\s+- (\S+)/.exec(files['test.yaml'] ?? '')?.[1] ?? '';
    files[rulesFile] = readFileSync(join(dir, rulesFile), 'utf8');
    const { auto, step, took } = runBoth(files, 'v3');
    expect(took).toEqual(['range']);
    expect(auto).toEqual(step);
    expect(auto.failed).toBe(0);
  });
});
