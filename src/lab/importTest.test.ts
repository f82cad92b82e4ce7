import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runRuleTests } from '../rules/index.ts';
import { evaluateView } from './evaluateView.ts';
import { describeGroup, isTestFile, parseTestFile, readTestFile } from './importTest.ts';
import { formatPromtoolTest } from './promtoolTest.ts';
import type { RuleDraft } from './rulePresets.ts';
import { loadImportedSeries, type ImportedSource } from './source.ts';

const twoGroups = [
  'rule_files: [etcd.rules.yaml]',
  'evaluation_interval: 30s',
  'tests:',
  '  - name: member down',
  '    interval: 15s',
  '    input_series:',
  '      - series: \'up{job="etcd",instance="a"}\'',
  "        values: '1x3 0x4 _ stale'",
  '      - series: \'up{job="etcd",instance="b"}\'',
  "        values: '1+0x8'",
  '    alert_rule_test:',
  '      - eval_time: 1m',
  '        alertname: etcdMembersDown',
  '  - input_series:',
  "      - series: 'x'",
  "        values: '0+1x10'",
].join('\n');

describe('parseTestFile', () => {
  it('reads every test group as an imported source', () => {
    const r = parseTestFile(twoGroups, 't.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.file.ruleFiles).toEqual(['etcd.rules.yaml']);
    expect(r.file.groups).toEqual([
      {
        name: 'member down',
        interval: 15_000,
        start: 0,
        seriesCount: 2,
        alertnames: ['etcdMembersDown'],
      },
      // Without an interval a group samples at the evaluation interval, as promtool does.
      { name: 'test group 2', interval: 30_000, start: 0, seriesCount: 1, alertnames: [] },
    ]);
    const first = r.file.sources[0];
    expect(first).toMatchObject({
      kind: 'imported',
      fileName: 't.yaml',
      evaluationInterval: 30_000,
    });
    if (!first) return;
    const loaded = loadImportedSeries(first);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    // 1x3 is four values, 0x4 five, then a missing slot and a staleness marker.
    expect(loaded.series[0]?.points.map(([, v]) => v)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, null]);
    expect(loaded.duration).toBe(10 * 15_000);
  });

  it('reads a rule file as no test file at all', () => {
    expect(readTestFile('groups:\n  - name: tests\n    rules: []\n')).toBeNull();
    expect(readTestFile(twoGroups)?.ok).toBe(true);
  });

  it('tells a test file from a rule file', () => {
    expect(isTestFile(twoGroups)).toBe(true);
    expect(isTestFile('groups:\n  - name: a\n    rules: []\n')).toBe(false);
    // A broken test file is still one, so that its errors speak of tests, not of rule groups.
    expect(isTestFile('tests: [')).toBe(true);
    expect(isTestFile('- a\n- b\n')).toBe(false);
  });

  const broken: { name: string; text: string; error: string }[] = [
    {
      name: 'bad YAML',
      text: 'tests:\n  - name: "a\n',
      error: 'x.yaml:3:1: Missing closing "quote',
    },
    {
      name: 'a bad value notation, at its column',
      text: "tests:\n  - input_series:\n      - series: up\n        values: '1 2 oops'\n",
      error: 'x.yaml:4:22: invalid series value "oops"',
    },
    {
      name: 'a bad series descriptor',
      text: "tests:\n  - input_series:\n      - series: 'up{'\n        values: '1'\n",
      error: 'x.yaml:3:',
    },
    {
      name: 'a bad interval',
      text: 'tests:\n  - interval: soon\n    input_series:\n      - {series: up, values: "1"}\n',
      error: 'x.yaml:2:15: interval: "soon" is not a duration',
    },
    { name: 'no test groups', text: 'rule_files: [a.yaml]\ntests: []\n', error: 'no test groups' },
    {
      name: 'a group without series',
      text: 'tests:\n  - name: empty\n',
      error: 'x.yaml:2:5: "empty": no input_series',
    },
    {
      name: 'a bad start_timestamp',
      text: 'tests:\n  - start_timestamp: soon\n    input_series:\n      - {series: up, values: "1"}\n',
      error: 'x.yaml:2:22: start_timestamp: "soon" is neither Unix seconds nor a date and time',
    },
    {
      name: 'series spanning too many evaluations',
      text: 'evaluation_interval: 1s\ntests:\n  - input_series:\n      - {series: up, values: "0+1x30000"}\n',
      error: 'more than 20000 evaluations',
    },
  ];
  it.each(broken)('rejects $name with a line and column', ({ text, error }) => {
    const r = parseTestFile(text, 'x.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(error);
  });
});

describe('a test group with a start_timestamp (Prometheus 3)', () => {
  const start = 1_700_000_000;
  const file = [
    'evaluation_interval: 1m',
    'tests:',
    '  - name: late',
    `    start_timestamp: ${start}`,
    '    interval: 1m',
    '    input_series:',
    '      - series: \'up{job="etcd",instance="a"}\'',
    "        values: '1x4 0x5 1x4'",
  ].join('\n');
  // Fires only where the real time is 7 minutes past the start or later: a rule that an axis
  // starting at 0 instead of the start_timestamp would get wrong.
  const rule: RuleDraft = {
    id: 'Late',
    alert: 'Late',
    expr: `up == 0 and on () vector(time()) >= ${start + 7 * 60}`,
    forMs: 0,
    keepFiringForMs: 0,
    labels: {},
    annotations: {},
    note: '',
  };
  const parsed = parseTestFile(file, 'late.test.yaml');
  const source = (parsed.ok ? parsed.file.sources[0] : undefined) as ImportedSource;

  it('is read with its start, in Unix ms', () => {
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(source.start).toBe(start * 1000);
    expect(describeGroup(parsed.file.groups[0]!)).toBe(
      'late: 1 series every 1m from 2023-11-14T22:13:20.000Z',
    );
    const loaded = loadImportedSeries(source);
    expect(loaded.ok && loaded.series[0]?.points[0]?.[0]).toBe(start * 1000);
    // The axis still counts from the start: 16 values a minute apart span 15 minutes.
    expect(loaded.ok && loaded.duration).toBe(15 * 60_000);
  });

  it('is evaluated at its real times, shown as offsets from the start', () => {
    const view = evaluateView(source, [rule]);
    expect(view.times[0]).toBe(0);
    expect(view.rules[0]?.error).toBeNull();
    expect(view.rules[0]?.spans).toEqual([
      { from: 0, to: 7 * 60_000, state: 'inactive' },
      { from: 7 * 60_000, to: 11 * 60_000, state: 'firing' },
      { from: 11 * 60_000, to: 15 * 60_000, state: 'inactive' },
    ]);
    // up is 0 from 5m to 10m.
    expect(view.raw[0]?.lines[0]?.values.slice(4, 12)).toEqual([1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('exports a promtool test with the same start_timestamp that the CLI runner passes', () => {
    const files = formatPromtoolTest(source, [rule], { ruleFileName: 'late.rules.yaml' });
    const test = parse(files.test) as { tests: { start_timestamp: number }[] };
    expect(test.tests[0]?.start_timestamp).toBe(start);
    // Checked where something changes: the start, the alert firing at 7m and resolving at 11m.
    expect(files.checks.map((c) => [c.eval_time, c.exp_alerts.length])).toEqual([
      ['0s', 0],
      ['7m', 1],
      ['11m', 0],
    ]);
    const report = runRuleTests(['late.test.yaml'], {
      compat: 'v3',
      readFile: (p) => (p === 'late.test.yaml' ? files.test : files.rules),
    });
    expect(report.output.map((o) => o.text).join('')).toContain('SUCCESS');
  });

  it('cannot be exported for Prometheus 2, whose promtool has no start_timestamp', () => {
    expect(() =>
      formatPromtoolTest(source, [rule], { ruleFileName: 'r.yaml', compat: 'v2' }),
    ).toThrow('only Prometheus 3 promtool reads');
  });
});

describe('YAML read as promtool reads it (go-yaml v2)', () => {
  it('resolves anchors, aliases and merge keys', () => {
    const text = [
      'tests:',
      '  - &base',
      '    name: first',
      '    interval: 30s',
      '    input_series: &series',
      '      - series: \'up{instance="a"}\'',
      "        values: '1 1 0'",
      '  - <<: *base',
      '    name: second',
      '  - name: third',
      '    input_series: *series',
      '',
    ].join('\n');
    const r = parseTestFile(text, 'x.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.file.groups.map((g) => [g.name, g.interval, g.seriesCount])).toEqual([
      ['first', 30_000, 1],
      ['second', 30_000, 1],
      ['third', 60_000, 1],
    ]);
    expect(r.file.sources[1]?.series).toEqual([{ series: 'up{instance="a"}', values: '1 1 0' }]);
    expect(isTestFile('base: &b\n  tests: []\n<<: *b\n')).toBe(true);
  });

  it('accepts quoted continuation lines indented less than their key, as go-yaml does', () => {
    const text = [
      'tests:',
      '  - name: lenient',
      '    input_series:',
      '      - series: up',
      '        values: "1 2',
      ' 3 4"',
      '',
    ].join('\n');
    const r = parseTestFile(text, 'x.yaml');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.file.sources[0]?.series[0]?.values).toBe('1 2 3 4');
  });

  it('reports an alias to a missing anchor', () => {
    const r = parseTestFile('tests:\n  - input_series: *nowhere\n', 'x.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain("unknown anchor 'nowhere'");
  });
});
