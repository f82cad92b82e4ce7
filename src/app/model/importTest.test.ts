import { describe, expect, it } from 'vitest';
import { isTestFile, parseTestFile, readTestFile } from './importTest.ts';
import { loadImportedSeries } from './source.ts';

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
      { name: 'member down', interval: 15_000, seriesCount: 2, alertnames: ['etcdMembersDown'] },
      // Without an interval a group samples at the evaluation interval, as promtool does.
      { name: 'test group 2', interval: 30_000, seriesCount: 1, alertnames: [] },
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
      name: 'start_timestamp',
      text: 'tests:\n  - start_timestamp: 10\n    input_series:\n      - {series: up, values: "1"}\n',
      error: 'x.yaml:2:22: start_timestamp is not supported',
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
