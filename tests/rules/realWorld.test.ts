// What real-world promtool suites do that hand-written tests rarely do, each on a small file of
// its own, run by real promtool (2.42) beside Quorum Lab (--compat v2): YAML anchors, aliases and
// merge keys as go-yaml reads them (v3 for rule files, v2's strict decoder for test files),
// quoted scalars indented as libyaml allows, and exp_samples without labels.
import { describe, expect, it } from 'vitest';
import { runCheckRules, runRuleTests } from '../../src/rules/index.ts';
import { runPromtool, type PromtoolRun } from './promtool.ts';

function joinStream(output: { stream: string; text: string }[], stream: string): string {
  return output
    .filter((c) => c.stream === stream)
    .map((c) => c.text)
    .join('');
}

/** Runs `test rules` or `check rules` on `files` with Quorum Lab, as promtool would print it. */
function quorumlab(files: Record<string, string>, args: string[]): PromtoolRun {
  const readFile = (p: string): string => {
    const text = files[p];
    if (text === undefined) throw new Error(`open ${p}: no such file or directory`);
    return text;
  };
  const [cmd, , ...names] = args;
  const r =
    cmd === 'test'
      ? runRuleTests(names, { compat: 'v2', readFile })
      : runCheckRules(names, { compat: 'v2', readFile });
  return {
    code: r.exitCode,
    stdout: joinStream(r.output, 'stdout'),
    stderr: joinStream(r.output, 'stderr'),
  };
}

interface Case {
  name: string;
  files: Record<string, string>;
  args: string[];
  /** What promtool must say, so that the case keeps testing what it is about. */
  promtool: { code: number; includes?: string };
}

const RULES_WITH_MERGES = `groups:
- name: g
  rules:
  - &base
    alert: Down
    expr: up == 0
    for: 1m
    labels: &sev
      severity: page
      team: db
  # explicit keys win over merged ones (go-yaml v3)
  - <<: *base
    alert: DownWarn
    labels:
      severity: warn
  # a sequence of merged maps: the first that has a key wins
  - <<: [{alert: Seq, expr: up == 1}, *base]
    labels: *sev
`;

const cases: Case[] = [
  {
    name: 'merge keys and aliases in a rule file (explicit keys win, the first merged map wins)',
    files: {
      'rules.yaml': RULES_WITH_MERGES,
      'test.yaml': `rule_files: [rules.yaml]
tests:
- interval: 1m
  input_series:
  - series: up{job="etcd"}
    values: 0 0 0 1 1
  alert_rule_test:
  - eval_time: 2m
    alertname: Down
  - eval_time: 2m
    alertname: DownWarn
  - eval_time: 4m
    alertname: Seq
`,
    },
    args: ['test', 'rules', 'test.yaml'],
    promtool: { code: 1, includes: 'alertname: Seq' },
  },
  {
    name: 'check rules counts the merged rules',
    files: { 'rules.yaml': RULES_WITH_MERGES },
    args: ['check', 'rules', 'rules.yaml'],
    promtool: { code: 0, includes: 'SUCCESS: 3 rules found' },
  },
  {
    name: 'a merged field that RuleNode lacks is reported at the line of the merged key',
    files: {
      'rules.yaml': `groups:
- name: g
  rules:
  - <<: {expr: up, bogus: 1}
    alert: A
`,
    },
    args: ['check', 'rules', 'rules.yaml'],
    promtool: { code: 1, includes: 'field bogus not found' },
  },
  {
    name: 'an alias in expr is the anchor name to go-yaml v3 (a yaml.Node field keeps the alias)',
    files: {
      'rules.yaml': `groups:
- name: g
  rules:
  - alert: A
    expr: &e up ==
  - alert: B
    expr: *e
`,
    },
    args: ['check', 'rules', 'rules.yaml'],
    promtool: { code: 1, includes: '5:11: group "g", rule 1' },
  },
  {
    name: 'anchors and merges in a test file, as PyYAML safe_dump and hand-written suites use them',
    files: {
      'rules.yaml': 'groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n',
      'test.yaml': `rule_files: [rules.yaml]
tests:
- interval: 1m
  input_series: &id001
  - series: up{job="etcd"}
    values: 0 0 0
  alert_rule_test:
  - eval_time: 2m
    alertname: Down
    exp_alerts:
    - exp_labels: &labels
        job: etcd
- interval: 1m
  input_series: *id001
  alert_rule_test:
  - &check
    eval_time: 1m
    alertname: Down
    exp_alerts:
    - exp_labels: *labels
  - <<: *check
    eval_time: 2m
  - <<: *check
    exp_alerts:
    - <<: {exp_labels: {job: etcd}}
      exp_annotations: {}
`,
    },
    args: ['test', 'rules', 'test.yaml'],
    promtool: { code: 0 },
  },
  {
    name: "yaml.v2's strict decoder refuses a merged map key set again",
    files: {
      'rules.yaml': 'groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n',
      'test.yaml': `rule_files: [rules.yaml]
tests:
- interval: 1m
  input_series:
  - series: up
    values: 0 0 0
  alert_rule_test:
  - eval_time: 2m
    alertname: Down
    exp_alerts:
    - exp_labels:
        severity: warn
        <<: {severity: page}
    - <<: {exp_labels: {severity: x}}
      exp_labels: {severity: warn}
`,
    },
    args: ['test', 'rules', 'test.yaml'],
    promtool: { code: 1, includes: 'already set in map' },
  },
  {
    name: 'quoted scalars whose continuation lines are indented less than their key',
    files: {
      'rules.yaml': `groups:
- name: g
  rules:
  - alert: A
    expr: "up
  == 0"
    labels:
      x: "a
 b"
`,
      'test.yaml': `rule_files: [rules.yaml]
tests:
- interval: 1m
  input_series:
  - series: 'up{a="b",
      c="d"
    }'
    values: 0 0 0
  alert_rule_test:
  - eval_time: 2m
    alertname: A
    exp_alerts:
    - exp_labels: {a: b, c: d, x: "a b"}
  promql_expr_test:
  - expr: "up
 == 0"
    eval_time: 1m
    exp_samples:
    - labels: '{__name__="up", a="b",
    c="d"}'
      value: 0
`,
    },
    args: ['test', 'rules', 'test.yaml'],
    promtool: { code: 0 },
  },
  {
    name: 'exp_samples without labels, or with labels "", is the empty label set',
    files: {
      'rules.yaml': 'groups: []\n',
      'test.yaml': `rule_files: [rules.yaml]
tests:
- interval: 1m
  input_series:
  - series: up
    values: 1 1
  promql_expr_test:
  - expr: sum(up)
    eval_time: 1m
    exp_samples:
    - value: 1
  - expr: count(up)
    eval_time: 1m
    exp_samples:
    - labels: ""
      value: 1
  - expr: up
    eval_time: 1m
    exp_samples:
    - value: 1
`,
    },
    args: ['test', 'rules', 'test.yaml'],
    promtool: { code: 1, includes: 'exp: {} 1E+00' },
  },
  {
    name: 'rules evaluate their printed expression: absent() sees the matchers sorted',
    files: {
      'rules.yaml': `groups:
- name: g
  rules:
  - alert: Absent
    expr: absent(x{ns="n", job="j", job!~".*_backfill_.*"})
  - record: r
    expr: absent(x{ns="n", job="j", job!~".*_backfill_.*"})
`,
      'test.yaml': `rule_files: [rules.yaml]
tests:
- interval: 1m
  input_series:
  - series: up
    values: 1 1
  alert_rule_test:
  - eval_time: 1m
    alertname: Absent
  promql_expr_test:
  - expr: r
    eval_time: 1m
`,
    },
    args: ['test', 'rules', 'test.yaml'],
    promtool: { code: 1, includes: 'Labels:{alertname="Absent", job="j", ns="n"}' },
  },
];

describe('real-world YAML, promtool beside Quorum Lab', () => {
  it.each(cases)('$name', (c) => {
    const theirs = runPromtool(c.files, c.args);
    expect(theirs.code).toBe(c.promtool.code);
    if (c.promtool.includes !== undefined)
      expect(theirs.stdout + theirs.stderr).toContain(c.promtool.includes);
    expect(quorumlab(c.files, c.args)).toEqual(theirs);
  });
});

describe('a test group without interval', () => {
  // Three values with no interval: promtool 2.42 loads them all at 0 (`load 0s`, the first
  // kept); since 2.49 (prometheus#12729) they are one evaluation_interval apart.
  const files = {
    'rules.yaml': 'groups: []\n',
    'test.yaml': `rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
- input_series:
  - series: up
    values: 1 2 3
  promql_expr_test:
  - expr: up
    eval_time: 2m
    exp_samples:
    - labels: up
      value: 3
- interval: 0s
  input_series:
  - series: up
    values: 1 2 3
  promql_expr_test:
  - expr: up
    eval_time: 2m
    exp_samples:
    - labels: up
      value: 3
`,
  };

  it('loads the series at 0 in v2 mode, as promtool 2.42 does', () => {
    const theirs = runPromtool(files, ['test', 'rules', 'test.yaml']);
    expect(theirs.stderr).toContain('got: {__name__="up"} 1E+00');
    expect(quorumlab(files, ['test', 'rules', 'test.yaml'])).toEqual(theirs);
  });

  it('takes evaluation_interval in v3 mode, as promtool does since 2.49', () => {
    const readFile = (p: string): string => files[p as keyof typeof files];
    const r = runRuleTests(['test.yaml'], { compat: 'v3', readFile });
    expect(joinStream(r.output, 'stderr')).toBe('');
    expect([r.passed, r.failed]).toEqual([2, 0]);
  });
});

describe("--compat v2 refuses Prometheus 3 syntax in 2.42's words", () => {
  const exprs = [
    'rate(up[1m * 2])',
    'rate(up[(2m)])',
    'up[5]',
    'up[5m:1m * 2]',
    'up[5m:2]',
    'up offset (1m + 1m)',
    'up offset -(1m)',
    'up offset 5',
    'up offset 1m + 1m',
    'time() - 1m',
    'up{"b"="c"}',
    'sum without ("a") (up)',
    'up * on(a) group_left("b") up',
    'limitk(2, up)',
    'up @ 1m',
    'up offset 0',
    'up offset -1m',
  ];
  it('check rules prints what promtool prints for each', () => {
    const files: Record<string, string> = {};
    exprs.forEach((e, i) => {
      files[`r${i}.yaml`] = `groups:\n- name: g\n  rules:\n  - record: r\n    expr: '${e}'\n`;
    });
    const args = ['check', 'rules', ...Object.keys(files)];
    const theirs = runPromtool(files, args);
    expect(theirs.stderr).toContain('unexpected <op:*> in subquery or range, expected ":" or "]"');
    expect(quorumlab(files, args)).toEqual(theirs);
  });
});

describe('wording', () => {
  it("an unclosed { in an input series is reported where promtool's lexer stops", () => {
    const series = ['up{a="b"', 'up{a="b",', 'up{', '{a="b"', 'up{a=', 'up{a="b" 1'];
    const files: Record<string, string> = { 'rules.yaml': 'groups: []\n' };
    series.forEach((s, i) => {
      files[`t${i}.yaml`] =
        `rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n  - series: '${s}'\n    values: 1 2\n  promql_expr_test:\n  - expr: up\n    eval_time: 0m\n`;
    });
    const args = ['test', 'rules', ...series.map((_, i) => `t${i}.yaml`)];
    const theirs = runPromtool(files, args);
    expect(theirs.stderr).toContain("1:10: parse error: unexpected character inside braces: '1'");
    expect(quorumlab(files, args)).toEqual(theirs);
  });

  it('many-to-many matching names the later series first, as 2.42 does', () => {
    // 2.42 appends input series in Go map order, so which one is "later" varies from run to
    // run; ours must be one of the outputs promtool gives, and is the one for series created
    // in label order.
    const files = {
      'rules.yaml': 'groups: []\n',
      'test.yaml': `rule_files: [rules.yaml]
tests:
- interval: 1m
  input_series:
  - series: 'x{a="1",b="1"}'
    values: 1
  - series: 'x{a="1",b="2"}'
    values: 1
  - series: 'y{a="1"}'
    values: 1
  promql_expr_test:
  - expr: y * on(a) x
    eval_time: 0m
`,
    };
    const ours = quorumlab(files, ['test', 'rules', 'test.yaml']);
    expect(ours.stderr).toContain('[{__name__="x", a="1", b="2"}, {__name__="x", a="1", b="1"}]');
    const seen: string[] = [];
    for (let i = 0; i < 10 && !seen.includes(ours.stderr); i++)
      seen.push(runPromtool(files, ['test', 'rules', 'test.yaml']).stderr);
    expect(seen).toContain(ours.stderr);
  });

  it('check rules refuses a PrometheusRule manifest with --plain, as promtool does', () => {
    const files = {
      'pr.yaml': `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: x
spec:
  groups:
  - name: g
    rules:
    - alert: A
      expr: up == 0
`,
    };
    const theirs = runPromtool(files, ['check', 'rules', 'pr.yaml']);
    expect(theirs.code).toBe(1);
    const readFile = (p: string): string => files[p as keyof typeof files];
    const plain = runCheckRules(['pr.yaml'], { compat: 'v2', prometheusRule: false, readFile });
    expect({
      code: plain.exitCode,
      stdout: joinStream(plain.output, 'stdout'),
      stderr: joinStream(plain.output, 'stderr'),
    }).toEqual(theirs);
    // The extension, by default: the manifest's groups are checked.
    const extension = runCheckRules(['pr.yaml'], { compat: 'v2', readFile });
    expect(joinStream(extension.output, 'stdout')).toContain('SUCCESS: 1 rules found');
  });
});
