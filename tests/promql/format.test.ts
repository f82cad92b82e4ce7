import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatFloat,
  formatLabels,
  parseDuration,
} from '../../src/promql/index.ts';

describe('formatFloat prints like Go strconv.FormatFloat(v, g, -1, 64)', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [0.6666666666666666, '0.6666666666666666'],
    [1e6, '1e+06'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
    [1700000000, '1.7e+09'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [v, want] of cases) it(`${v} → ${want}`, () => expect(formatFloat(v)).toBe(want));
});

describe('durations round-trip through Prometheus syntax', () => {
  const cases: [string, number | null][] = [
    ['1h30m', 5_400_000],
    ['120s', 120_000],
    ['0', 0],
    ['1y', 31_536_000_000],
    ['5m30s100ms', 330_100],
    ['', null],
    ['1.5h', null],
    ['m', null],
  ];
  for (const [text, ms] of cases) {
    it(`parses ${JSON.stringify(text)}`, () => expect(parseDuration(text)).toBe(ms));
  }
  const formats: [number, string][] = [
    [0, '0s'],
    [5_400_000, '1h30m'],
    [120_000, '2m'],
    [90_061_001, '1d1h1m1s1ms'],
  ];
  for (const [ms, want] of formats)
    it(`formats ${ms}`, () => expect(formatDuration(ms)).toBe(want));
});

describe('formatLabels prints like the Prometheus UI', () => {
  it('puts the metric name first', () =>
    expect(formatLabels({ job: 'etcd', __name__: 'up', instance: 'a' })).toBe(
      'up{instance="a",job="etcd"}',
    ));
  it('prints an empty set as {}', () => expect(formatLabels({})).toBe('{}'));
  it('quotes UTF-8 names', () =>
    expect(formatLabels({ __name__: 'a.b', 'c.d': 'x' })).toBe('{"a.b","c.d"="x"}'));
});
