// Test files with long `values:` lines, which `test rules` keeps out of the YAML parser: the same
// output as with the values quoted (which the YAML parser then reads), for valid files,
// continuation lines, values notation errors, and YAML or field errors around such lines; and
// the same output as real promtool (2.42, so --compat v2) where our messages already agree.
import { describe, expect, it } from 'vitest';
import { runRuleTests, type RuleTestReport } from '../../src/rules/index.ts';
import { runPromtool } from './promtool.ts';

const RULES = `groups:
- name: g
  rules:
  - alert: High
    expr: m > 50
    for: 1m
    annotations:
      v: '{{ $value }}'
`;

const LONG = Array.from({ length: 40 }, (_, i) => String((i * 7) % 100)).join(' ');

function file(body: string): string {
  return `rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
- interval: 1m
  input_series:
${body}
  alert_rule_test:
  - eval_time: 10m
    alertname: High
  - eval_time: 30m
    alertname: High
`;
}

/**
 * `promtool: false` marks messages that differ from Go's whatever the values' length (the
 * yaml package's wording and line for a syntax error, the series parser's wording and column,
 * a duplicated key that yaml.v2 rejects).
 */
const CASES: { name: string; test: string; quoted?: string; promtool: boolean }[] = [
  {
    name: 'plain long values',
    test: file(
      `  - series: 'm{i="a"}'\n    values: ${LONG}\n  - series: 'm{i="b"}'\n    values: 0+3x39`,
    ),
    promtool: true,
  },
  {
    name: 'a sequence entry starting with values',
    test: file(`  - values: ${LONG}\n    series: 'm{i="a"}'`),
    promtool: true,
  },
  {
    name: 'a plain scalar continued on the next line',
    test: file(`  - series: 'm{i="a"}'\n    values: ${LONG}\n      ${LONG}`),
    quoted: file(`  - series: 'm{i="a"}'\n    values: "${LONG}\n      ${LONG}"`),
    promtool: true,
  },
  {
    name: 'a comment after the values',
    test: file(`  - series: 'm{i="a"}'\n    values: ${LONG} # note`),
    quoted: file(`  - series: 'm{i="a"}'\n    values: '${LONG}' # note`),
    promtool: true,
  },
  {
    name: 'a bad value in long values',
    test: file(`  - series: 'm{i="a"}'\n    values: ${LONG} 1+x 2`),
    promtool: false,
  },
  {
    name: 'a YAML error after long values',
    test: file(`  - series: 'm{i="a"}'\n    values: ${LONG}\n  - series: [unclosed\n`),
    promtool: false,
  },
  {
    name: 'an unknown field after long values',
    test: file(`  - series: 'm{i="a"}'\n    values: ${LONG}\n    valuez: 1 2 3`),
    promtool: true,
  },
  {
    name: 'long values under an unknown key',
    test: file(`  - series: 'm{i="a"}'\n    values: 1 2\n    other:\n      values: ${LONG}`),
    promtool: true,
  },
  {
    name: 'a duplicated values key',
    test: file(`  - series: 'm{i="a"}'\n    values: ${LONG}\n    values: 1 2 3`),
    promtool: false,
  },
];

function run(files: Record<string, string>): RuleTestReport {
  return runRuleTests(['test.yaml'], { compat: 'v2', readFile: (p) => files[p] ?? '' });
}

function text(report: RuleTestReport, stream: 'stdout' | 'stderr'): string {
  return report.output
    .filter((c) => c.stream === stream)
    .map((c) => c.text)
    .join('');
}

describe('long values lines', () => {
  it.each(CASES)('$name', ({ test, quoted: given, promtool }) => {
    const files: Record<string, string> = { 'rules.yaml': RULES, 'test.yaml': test };
    const report = run(files);
    // Quoted, the values are read by the YAML parser on the same lines.
    const quoted = given ?? test.replace(/values: (.*\d)$/gm, "values: '$1'");
    expect(quoted).not.toBe(test);
    expect(report).toEqual(run({ ...files, 'test.yaml': quoted }));
    if (promtool) {
      const want = runPromtool(files, ['test', 'rules', 'test.yaml']);
      expect(text(report, 'stderr')).toBe(want.stderr);
      expect(text(report, 'stdout')).toBe(want.stdout);
      expect(report.exitCode).toBe(want.code);
    }
  });
});

// Whole `input_series` lists of one-line `series`/`values` pairs are kept out of the YAML parser
// too: the same report as when a comment line after the key leaves the list to the parser.
const TWO_GROUPS = (items: string): string => `rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
- &first
  interval: 1m
  input_series:
${items}
  alert_rule_test:
  - eval_time: 10m
    alertname: High
- interval: 1m
  input_series:
  - series: m{i="z"}
    values: 60x20
  alert_rule_test:
  - eval_time: 10m
    alertname: High
`;

const LISTS: { name: string; test: string; promtool: boolean }[] = [
  {
    name: 'plain, single- and double-quoted scalars',
    test: TWO_GROUPS(
      `  - series: m{i="a"}\n    values: 0+10x20\n  - series: 'm{i="it''s"}'\n    values: "${LONG}"\n  - series: "m{i='c'}"\n    values: 1 _x3 stale 70x5`,
    ),
    promtool: true,
  },
  {
    name: 'items at the key indentation',
    test: TWO_GROUPS(`  - series: m{i="a"}\n    values: 60x20`).replace(
      '  input_series:\n  - series: m{i="z"}\n    values: 60x20',
      '  input_series:\n  - series: m{i="z"}\n    values: 60x20\n  - series: m{i="y"}\n    values: 1 2 3',
    ),
    promtool: true,
  },
  {
    name: 'values of every simple token, spaced or with tabs',
    test: TWO_GROUPS(
      `  - series: m{i="a"}\n    values: -1 +2 .5 5. _ _x2 stale 1+1x3 60-0.5x4 ${LONG}  \n  - series: m{i="b"}\n    values: 1\t2 3 ${LONG}\n  - series: m{i="c"}\n    values: 1 2 # three\n  - series: m{i="d"}\n    values: 1e1 ${LONG}`,
    ),
    promtool: true,
  },
  {
    name: 'a series with a colon and space (left to the parser)',
    test: TWO_GROUPS(`  - series: m{i="a: b"}\n    values: 60x20`),
    promtool: false,
  },
  {
    name: 'spaces around quoted series and values',
    test: TWO_GROUPS(
      `  - series: "m{i='a'}"   \n    values:   0+10x20  \n  - series: 'm{i="b"}' \n    values: 1 2\t3`,
    ),
    promtool: true,
  },
  {
    name: 'blank and comment lines after a list',
    test: TWO_GROUPS(`  - series: m{i="a"}\n    values: 60x20\n\n  # the checks\n`),
    promtool: true,
  },
  {
    name: 'a blank line between items (left to the parser)',
    test: TWO_GROUPS(
      `  - series: m{i="a"}\n    values: 60x20\n\n  - series: m{i="b"}\n    values: 1 2`,
    ),
    promtool: true,
  },
  {
    name: 'a list that ends the file, with no newline after it',
    test: `rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
- interval: 1m
  alert_rule_test:
  - eval_time: 10m
    alertname: High
  input_series:
  - series: m{i="a"}
    values: 60x20
  - series: m{i="b"}
    values: 0+10x20`,
    promtool: true,
  },
  {
    name: 'an extra key in an item',
    test: TWO_GROUPS(`  - series: m{i="a"}\n    values: 60x20\n    other: 1`),
    promtool: true,
  },
  {
    name: 'null values',
    test: TWO_GROUPS(`  - series: m{i="a"}\n    values: ~\n  - series: m{i="b"}\n    values: null`),
    promtool: true,
  },
  {
    name: 'a group merged into another (the list read twice)',
    test: TWO_GROUPS(`  - series: m{i="a"}\n    values: 60x20`) + '- <<: *first\n  name: merged\n',
    promtool: true,
  },
];

describe('input_series lists', () => {
  it.each(LISTS)('$name', ({ test, promtool }) => {
    const files: Record<string, string> = { 'rules.yaml': RULES, 'test.yaml': test };
    const report = run(files);
    // A comment on the key's line leaves the list to the parser, on the same lines.
    const parsed = test.replaceAll('input_series:\n', 'input_series: # parsed\n');
    expect(parsed).not.toBe(test);
    expect(report).toEqual(run({ ...files, 'test.yaml': parsed }));
    if (promtool) {
      const want = runPromtool(files, ['test', 'rules', 'test.yaml']);
      expect(text(report, 'stderr')).toBe(want.stderr);
      expect(text(report, 'stdout')).toBe(want.stdout);
      expect(report.exitCode).toBe(want.code);
    }
  });
});

// `alert_rule_test` lists of one-line `eval_time`/`alertname` pairs are kept out of the parser
// the same way.
const ALERT_TESTS = (items: string): string => `rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
- &first
  interval: 1m
  input_series:
  - series: m{i="a"}
    values: 60x20
  alert_rule_test:
${items}
- interval: 1m
  input_series:
  - series: m{i="z"}
    values: 0+10x20
  alert_rule_test:
  - eval_time: 10m
    alertname: High
`;

const ALERT_LISTS: { name: string; test: string; promtool: boolean }[] = [
  {
    name: 'either order, quoted scalars, seconds',
    test: ALERT_TESTS(
      `  - eval_time: 10m\n    alertname: High\n  - alertname: 'High'\n    eval_time: "600s"\n  - eval_time: 1h\n    alertname: Other`,
    ),
    promtool: true,
  },
  {
    name: 'spaces around plain words, and an alert named null',
    test: ALERT_TESTS(
      `  - eval_time: 10m   \n    alertname:   High  \n  - eval_time: 20m\n    alertname: null`,
    ),
    promtool: true,
  },
  {
    name: 'an invalid duration',
    test: ALERT_TESTS(`  - eval_time: 10x\n    alertname: High`),
    promtool: true,
  },
  {
    name: 'expected alerts (left to the parser)',
    test: ALERT_TESTS(
      `  - eval_time: 10m\n    alertname: High\n    exp_alerts:\n    - exp_labels:\n        i: a`,
    ),
    promtool: true,
  },
  {
    name: 'an unknown key in an item',
    test: ALERT_TESTS(`  - eval_time: 10m\n    alert_name: High`),
    promtool: true,
  },
  {
    name: 'an empty alertname',
    test: ALERT_TESTS(`  - eval_time: 10m\n    alertname: ""`),
    promtool: true,
  },
  {
    name: 'a group merged into another (the list read twice)',
    test: ALERT_TESTS(`  - eval_time: 10m\n    alertname: High`) + '- <<: *first\n  name: merged\n',
    promtool: true,
  },
];

describe('alert_rule_test lists', () => {
  it.each(ALERT_LISTS)('$name', ({ test, promtool }) => {
    const files: Record<string, string> = { 'rules.yaml': RULES, 'test.yaml': test };
    const report = run(files);
    const parsed = test.replaceAll('alert_rule_test:\n', 'alert_rule_test: # parsed\n');
    expect(parsed).not.toBe(test);
    expect(report).toEqual(run({ ...files, 'test.yaml': parsed }));
    if (promtool) {
      const want = runPromtool(files, ['test', 'rules', 'test.yaml']);
      expect(text(report, 'stderr')).toBe(want.stderr);
      expect(text(report, 'stdout')).toBe(want.stdout);
      expect(report.exitCode).toBe(want.code);
    }
  });
});

// Values after a group's last evaluation are not kept (nothing reads them), but still checked.
describe('values after the last evaluation', () => {
  const tail = (values: string, evalTime: string): string =>
    `rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
- interval: 1m
  input_series:
  - series: m{i="a"}
    values: ${values}
  alert_rule_test:
  - eval_time: ${evalTime}
    alertname: High
`;
  const cases = [
    { name: 'a bad token', values: `${LONG} 1+x 2` },
    { name: 'a number out of range', values: `${LONG} 1e400` },
    { name: 'too many values', values: `${LONG} 1x20000000` },
    { name: 'an exponent and a long integer', values: `${LONG} 1e3 ${'9'.repeat(30)} 2+1e-1x3` },
  ];
  it.each(cases)('$name: reported as when the evaluation reaches it', ({ values }) => {
    const late = run({ 'rules.yaml': RULES, 'test.yaml': tail(values, '2h') });
    const early = run({ 'rules.yaml': RULES, 'test.yaml': tail(values, '5m') });
    expect(text(early, 'stderr')).toBe(text(late, 'stderr'));
    expect(early.exitCode).toBe(late.exitCode);
  });

  it('promtool agrees on a bad token after the last evaluation', () => {
    const files = { 'rules.yaml': RULES, 'test.yaml': tail(`${LONG} 1e400`, '5m') };
    const report = run(files);
    const want = runPromtool(files, ['test', 'rules', 'test.yaml']);
    expect(text(report, 'stderr')).toBe(want.stderr);
    expect(text(report, 'stdout')).toBe(want.stdout);
    expect(report.exitCode).toBe(want.code);
    expect(report.exitCode).toBe(1);
  });
});

// What is left once the lists are stashed is read without the YAML parser when it is a plain
// skeleton (rule files, evaluation interval, groups of `key: value` lines): the same report as
// when a comment after the list's key leaves everything to the parser.
const GROUP = (indent: string, fields: string): string =>
  `${indent}- ${fields.trimStart().replaceAll('\n', `\n${indent}  `)}
${indent}  input_series:
${indent}  - series: m{i="a"}
${indent}    values: 0+10x20
${indent}  alert_rule_test:
${indent}  - eval_time: 10m
${indent}    alertname: High
${indent}  - eval_time: 15m
${indent}    alertname: High
`;

const SKELETONS: { name: string; test: string; promtool: boolean }[] = [
  {
    name: 'a flow list of rule files, groups indented, comments and blank lines',
    test: `# rules
rule_files: ["rules.yaml"]

evaluation_interval: "1m"
tests:
${GROUP('  ', `name: 'first'\ninterval: 1m`)}
  # the second group

${GROUP('  ', `interval: 30s\nname: second group`)}`,
    promtool: true,
  },
  {
    name: 'a block list of rule files, groups at the key indentation, an evaluation order',
    test: `rule_files:
- rules.yaml
group_eval_order:
  - g
tests:
${GROUP('', `name: first`)}${GROUP('', `name: second`)}evaluation_interval: 1m
`,
    promtool: true,
  },
  {
    name: 'a bad interval in the second group',
    test: `rule_files: [rules.yaml]\ntests:\n${GROUP('', 'name: a')}${GROUP('', 'name: b\ninterval: 15x')}`,
    promtool: true,
  },
  {
    name: 'a name continued on the next line (left to the parser)',
    test: `rule_files: [rules.yaml]\ntests:\n${GROUP('', 'name: a\n  b')}`,
    promtool: true,
  },
  {
    name: 'a name written twice (left to the parser)',
    test: `rule_files: [rules.yaml]\ntests:\n${GROUP('', 'name: a\nname: b')}`,
    promtool: false,
  },
  {
    name: 'other group fields (left to the parser)',
    test: `rule_files: [rules.yaml]\ntests:\n${GROUP('', 'name: a\nexternal_labels:\n  x: y')}`,
    promtool: true,
  },
  {
    name: 'a null interval and an empty list of rule files (left to the parser)',
    test: `rule_files: []\ntests:\n${GROUP('', 'name: a\ninterval: null')}`,
    promtool: true,
  },
];

describe('test files left as a skeleton', () => {
  it.each(SKELETONS)('$name', ({ test, promtool }) => {
    const files: Record<string, string> = { 'rules.yaml': RULES, 'test.yaml': test };
    const report = run(files);
    const parsed = test.replaceAll('input_series:\n', 'input_series: # parsed\n');
    expect(parsed).not.toBe(test);
    expect(report).toEqual(run({ ...files, 'test.yaml': parsed }));
    if (promtool) {
      const want = runPromtool(files, ['test', 'rules', 'test.yaml']);
      expect(text(report, 'stderr')).toBe(want.stderr);
      expect(text(report, 'stdout')).toBe(want.stdout);
      expect(report.exitCode).toBe(want.code);
    }
  });
});
