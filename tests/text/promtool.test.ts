// Real promtool (Prometheus 2.42) as the judge of the text package: model.Duration as promtool
// prints a test's eval_time, and Go's float formatting and strconv.Quote as alert templates print
// a value ({{ $value }} is fmt's %v, which is strconv's 'g' with the shortest precision).
import { describe, expect, it } from 'vitest';
import { formatDuration, formatFloat, formatGoFloat, quoteString } from '../../src/text/index.ts';
import { promtoolExpand, runPromtool, type TemplateCase } from '../rules/promtool.ts';

describe('formatDuration prints eval times as promtool does', () => {
  const day = 86_400_000;
  const times = [7 * day, 90 * day, 365 * day, 14 * day, 90_061_001, 1500, 5_400_000, 0];
  it('for every case', () => {
    const tests = times.flatMap((ms) => [
      '  - expr: x',
      `    eval_time: ${ms}ms`,
      "    exp_samples: [{labels: 'x', value: -1}]",
    ]);
    const file = [
      'tests:',
      '- interval: 1d',
      '  input_series:',
      "  - series: 'x'",
      "    values: '1+1x400'",
      '  promql_expr_test:',
      ...tests,
    ].join('\n');
    const run = runPromtool({ 'test.yaml': file + '\n' }, ['test', 'rules', 'test.yaml']);
    const printed = [...(run.stdout + run.stderr).matchAll(/expr: "x", time: ([^,]+),/g)].map(
      (m) => m[1],
    );
    expect(printed).toEqual(times.map(formatDuration));
  }, 60_000);
});

describe("Go's float formatting and quoting agree with promtool's templates", () => {
  const values = [0, 1, -2.5, 0.1 + 0.2, 123456, 1e6, 1234567, 1e21, 0.0001, 1e-5, 1e-7, 2 ** -7];
  const labels = { instance: 'a' };
  // Go escapes in the template's string literal (YAML refuses C1 controls written raw).
  const quoted = 'a"b\\c\té\u0080\u00ad\u{1F600}';
  const literal = '"a\\"b\\\\c\\té\\u0080\\u00ad😀"';
  const cases: { template: string; ours: (v: number) => string; value: number }[] = [
    ...values.map((value) => ({ template: '{{ $value }}', ours: formatFloat, value })),
    ...values.map((value) => ({
      template: '{{ printf "%e|%.3g|%f|%.2f" $value $value $value $value }}',
      ours: (v: number) =>
        [
          formatGoFloat(v, 'e', 6),
          formatGoFloat(v, 'g', 3),
          formatGoFloat(v, 'f', 6),
          formatGoFloat(v, 'f', 2),
        ].join('|'),
      value,
    })),
    { template: `{{ printf "%q" ${literal} }}`, ours: () => quoteString(quoted), value: 1 },
  ];
  it('for every case', () => {
    const expanded = promtoolExpand(
      cases.map((c): TemplateCase => ({ template: c.template, labels, value: c.value })),
    );
    expect(cases.map((c) => c.ours(c.value))).toEqual(expanded);
  }, 60_000);
});
