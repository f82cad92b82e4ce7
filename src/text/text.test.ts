// Go's and Prometheus's outputs for each text format, as Go 1.20 (Prometheus 2.42's) prints them.
import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatFloat,
  formatFloatPlain,
  formatGoDuration,
  formatGoFloat,
  formatLabels,
  formatLabelsGo,
  parseDuration,
  parseTime,
  parseTimeInput,
  quoteString,
  unquoteString,
} from './index.ts';

describe("formatFloat is Go's strconv.FormatFloat(v, 'g', -1, 64), not JavaScript's String(v)", () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [0.6666666666666666, '0.6666666666666666'],
    [123456, '123456'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [1700000000, '1.7e+09'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [0.0001, '0.0001'],
    [-0.0001, '-0.0001'],
    [0.00009999, '9.999e-05'],
    [999999, '999999'],
    [-999999.25, '-999999.25'],
    [123456.789, '123456.789'],
    [0.00001, '1e-05'],
    [1e-7, '1e-07'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  it.each(cases)('%s → %s', (v, want) => expect(formatFloat(v)).toBe(want));

  it('writes values from 1e-4 to 1e6 as the general digit-by-digit path does', () => {
    // 'G' takes the general path; in this range neither letter case shows (no exponent).
    let seed = 1;
    const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 20_000; i++) {
      const v = (random() < 0.5 ? -1 : 1) * 10 ** (random() * 10 - 4);
      expect(formatGoFloat(v, 'g', -1)).toBe(formatGoFloat(v, 'G', -1));
    }
  });
});

describe("formatFloatPlain is Go's strconv.FormatFloat(v, 'f', -1, 64)", () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1.5, '1.5'],
    [1e6, '1000000'],
    [1e21, '1000000000000000000000'],
    [1e-7, '0.0000001'],
    [-123.456, '-123.456'],
    [NaN, 'NaN'],
    [-Infinity, '-Inf'],
  ];
  it.each(cases)('%s → %s', (v, want) => expect(formatFloatPlain(v)).toBe(want));
});

describe('formatGoFloat is strconv.FormatFloat with a format and a precision', () => {
  const cases: [number, 'e' | 'E' | 'f' | 'g' | 'G', number, string][] = [
    [1, 'e', -1, '1e+00'],
    [1234.5, 'e', -1, '1.2345e+03'],
    [1e-7, 'E', -1, '1E-07'],
    [1234.5678, 'e', 3, '1.235e+03'],
    [1 / 3, 'f', 6, '0.333333'],
    [2.5, 'f', 6, '2.500000'],
    // The exact binary value is rounded half to even: 2.5 and 0.125 are exact halves,
    // 1.005 is a little under one.
    [2.5, 'f', 0, '2'],
    [3.5, 'f', 0, '4'],
    [0.125, 'f', 2, '0.12'],
    [0.375, 'f', 2, '0.38'],
    [1.005, 'f', 2, '1.00'],
    [1234.5678, 'g', 3, '1.23e+03'],
    [0.0001234, 'g', 3, '0.000123'],
    [100, 'g', 3, '100'],
    [1000, 'g', 3, '1e+03'],
    [0.5, 'g', 6, '0.5'],
    [1234567, 'g', 6, '1.23457e+06'],
    [1e-7, 'G', -1, '1E-07'],
    [Infinity, 'f', 2, '+Inf'],
  ];
  it.each(cases)('%s %s %s → %s', (v, fmt, prec, want) =>
    expect(formatGoFloat(v, fmt, prec)).toBe(want),
  );
});

describe('parseDuration is model.ParseDuration, in ms', () => {
  const cases: [string, number | null][] = [
    ['1h30m', 5_400_000],
    ['120s', 120_000],
    ['0', 0],
    ['0s', 0],
    ['1y', 31_536_000_000],
    ['1w', 604_800_000],
    ['90d', 7_776_000_000],
    ['5m30s100ms', 330_100],
    ['', null],
    ['1.5h', null],
    ['m', null],
    ['-1m', null],
    ['1m1h', null],
    ['1h 30m', null],
    ['99999999999999999999y', null],
  ];
  it.each(cases)('%j → %s', (text, ms) => expect(parseDuration(text)).toBe(ms));
});

describe('formatDuration is model.Duration.String()', () => {
  const d = 24 * 3600_000;
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ms'],
    [1500, '1s500ms'],
    [120_000, '2m'],
    [5_400_000, '1h30m'],
    [90_061_001, '1d1h1m1s1ms'],
    // Years and weeks only where they divide what is left exactly.
    [7 * d, '1w'],
    [8 * d, '8d'],
    [14 * d, '2w'],
    [90 * d, '90d'],
    [365 * d, '1y'],
    [366 * d, '366d'],
    [371 * d, '53w'],
    [372 * d, '372d'],
    [-300_000, '-5m'],
  ];
  it.each(cases)('%s → %s', (ms, want) => expect(formatDuration(ms)).toBe(want));
  it.each(cases.filter(([ms]) => ms >= 0))('%s round-trips', (ms) =>
    expect(parseDuration(formatDuration(ms))).toBe(ms),
  );
});

describe("formatGoDuration is Go's time.Duration.String()", () => {
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [999n, '999ns'],
    [1_500n, '1.5µs'],
    [1_500_000n, '1.5ms'],
    [1_500_000_000n, '1.5s'],
    [300_000_000_000n, '5m0s'],
    [3_600_000_000_000n, '1h0m0s'],
    [5_430_500_000_000n, '1h30m30.5s'],
    [-90_000_000_000n, '-1m30s'],
  ];
  it.each(cases)('%s ns → %s', (ns, want) => expect(formatGoDuration(ns)).toBe(want));
});

describe("quoteString is Go's strconv.Quote", () => {
  const cases: [string, string][] = [
    ['', '""'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['cluster "etcd": 7% failed on {{ x }}\\n', '"cluster \\"etcd\\": 7% failed on {{ x }}\\\\n"'],
    ['\n\t\r\x07\b\f\v', '"\\n\\t\\r\\a\\b\\f\\v"'],
    ['\x00\x1f\x7f', '"\\x00\\x1f\\x7f"'],
    ["it's", '"it\'s"'],
    // Every printable ASCII character but the two escaped ones, as it is.
    [" !#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~", '" !#$%&\'()*+,-./09:;<=>?@AZ[]^_`az{|}~"'],
    ['é ü 日本 😀', '"é ü 日本 😀"'],
    // Not printable in Go (unicode.IsPrint): C1 controls, spaces other than ASCII's, formats,
    // private use.
    ['\u0080\u009f', '"\\u0080\\u009f"'],
    ['\u00a0\u2028', '"\\u00a0\\u2028"'],
    ['\u00ad\ufeff', '"\\u00ad\\ufeff"'],
    ['\ue000', '"\\ue000"'],
    ['\u{e0001}', '"\\U000e0001"'],
    // A byte that was not UTF-8 (see unquoteString) is written back as the byte.
    ['\udcff', '"\\xff"'],
  ];
  it.each(cases)('%j → %s', (s, want) => expect(quoteString(s)).toBe(want));
});

describe("unquoteString is Go's strconv.Unquote, with PromQL's single-quoted strings", () => {
  const cases: [string, string | null][] = [
    ['"a\\x41"', 'aA'],
    ['"\\101\\u00e9\\U0001F600"', 'Aé😀'],
    ["'\\''", "'"],
    ["'two words'", 'two words'],
    ['"\\\'"', null],
    ["'\\\"'", null],
    ['"\\q"', null],
    ['"\\400"', null],
    ['"\\ud800"', null],
    ['"\\U00110000"', null],
    ['"\\xc3\\xa9"', 'é'],
    ['"\\xff"', '\udcff'],
    ['`a\\nb`', 'a\\nb'],
    ['`a\rb`', 'ab'],
    ['"ab', null],
    ['"a"b"', null],
    ['"a\nb"', null],
    ['"a\\', null],
    ['x', null],
  ];
  it.each(cases)('%j → %j', (text, want) => expect(unquoteString(text)).toBe(want));
  it.each(['', 'a"\\', '\u0080\udcff', 'é\n😀'])('reads back what quoteString wrote: %j', (s) =>
    expect(unquoteString(quoteString(s))).toBe(s),
  );
});

describe('label sets', () => {
  it('formatLabels prints a PromQL selector with the metric name first', () =>
    expect(formatLabels({ job: 'etcd', __name__: 'up', instance: 'a' })).toBe(
      'up{instance="a",job="etcd"}',
    ));
  it('formatLabels prints an empty set as {}', () => expect(formatLabels({})).toBe('{}'));
  it('formatLabels quotes UTF-8 names', () =>
    expect(formatLabels({ __name__: 'a.b', 'c.d': 'x' })).toBe('{"a.b","c.d"="x"}'));
  it('formatLabels quotes values as Go does', () =>
    expect(formatLabels({ a: 'say "hi"\n' })).toBe('{a="say \\"hi\\"\\n"}'));
  it('formatLabelsGo prints labels.Labels.String()', () =>
    expect(formatLabelsGo({ job: 'etcd', __name__: 'up', a: '\u0080' })).toBe(
      '{__name__="up", a="\\u0080", job="etcd"}',
    ));
});

describe('times as the HTTP API and the UI take them', () => {
  const now = 1_800_000_000_000;
  const cases: [string, number | null][] = [
    ['1700000000', 1_700_000_000_000],
    ['1700000000.5', 1_700_000_000_500],
    ['2026-12-05T01:00:00Z', Date.UTC(2026, 11, 5, 1)],
    ['now', now],
    ['now-2h', now - 7_200_000],
    ['now+1m', now + 60_000],
    ['now-2', null],
    ['yesterday', null],
  ];
  it.each(cases)('%s → %s', (text, want) => expect(parseTimeInput(text, now)).toBe(want));
  it('parseTime reads no relative times', () => expect(parseTime('now')).toBeNull());
});
