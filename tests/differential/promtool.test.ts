import { describe, expect, it } from 'vitest';
import {
  formatPromtoolTestFile,
  judgeWithPromtool,
  parseGoFloat,
  parsePromtoolOutput,
  parseSampleList,
  readGoString,
  type DifferentialGroup,
  type Outcome,
} from './index.ts';

describe('readGoString', () => {
  const testCases: { quoted: string; value: string }[] = [
    { quoted: '"foo"', value: 'foo' },
    { quoted: '""', value: '' },
    { quoted: String.raw`"a\"b\n\\c"`, value: 'a"b\n\\c' },
    { quoted: String.raw`"tab\there"`, value: 'tab\there' },
    { quoted: String.raw`"\xc3\xa9"`, value: 'é' },
    { quoted: String.raw`"\u00e9\U0001F600"`, value: 'é😀' },
    { quoted: '"héllo"', value: 'héllo' },
  ];
  for (const { quoted, value } of testCases) {
    it(`decodes ${quoted}`, () => {
      expect(readGoString(`${quoted}, rest`, 0)).toEqual({ value, end: quoted.length });
    });
  }
});

describe('parseGoFloat', () => {
  const testCases: { token: string; value: number }[] = [
    { token: '5E+00', value: 5 },
    { token: '3.333333333333333E-01', value: 0.3333333333333333 },
    { token: '-1.5E+03', value: -1500 },
    { token: '1E-300', value: 1e-300 },
    { token: '+Inf', value: Infinity },
    { token: '-Inf', value: -Infinity },
    { token: 'NaN', value: NaN },
  ];
  for (const { token, value } of testCases) {
    it(`reads ${token}`, () => {
      expect(parseGoFloat(token)).toBe(value);
    });
  }
  it('rejects a number in another format', () => {
    expect(() => parseGoFloat('1.5')).toThrow(/bad float/);
  });
});

describe('parseSampleList', () => {
  const testCases: { text: string; samples: ReturnType<typeof parseSampleList> }[] = [
    { text: 'nil', samples: [] },
    { text: '{} 1E+00', samples: [{ labels: {}, value: 1 }] },
    {
      text: '{__name__="foo", a="1", b="x y"} 5E+00, {__name__="foo", a="2"} NaN',
      samples: [
        { labels: { __name__: 'foo', a: '1', b: 'x y' }, value: 5 },
        { labels: { __name__: 'foo', a: '2' }, value: NaN },
      ],
    },
    {
      text: String.raw`{x="a, b} 1E+00, {", y="\"q\""} -Inf`,
      samples: [{ labels: { x: 'a, b} 1E+00, {', y: '"q"' }, value: -Infinity }],
    },
  ];
  for (const { text, samples } of testCases) {
    it(`reads ${text}`, () => {
      expect(parseSampleList(text)).toEqual(samples);
    });
  }
});

describe('parsePromtoolOutput', () => {
  it('reads failed comparisons, errors and multi-line errors in order', () => {
    const stderr = [
      '  FAILED:',
      '    expr: "foo", time: 1m,',
      '        exp: {quorum_case="0"} 0E+00',
      '        got: {__name__="foo", a="1"} 5E+00, {__name__="foo", a="2"} 5E+00',
      '    expr: "rate(foo[1m])", time: 2m,',
      '        exp: {quorum_case="1"} 0E+00',
      '        got: nil',
      '    expr: "foo + on() foo", time: 0s, err: found duplicate series for the match group {} on the right hand-side',
      '    expr: "label_replace(bar, \\"x\\", \\"a\\\\\\"b\\", \\"\\", \\"\\")", time: 12s345ms, err: line one',
      'line two',
      '    expr: "1/3", time: 0s,',
      '        exp: {quorum_case="4"} 0E+00',
      '        got: {} 3.333333333333333E-01',
      '',
    ].join('\n');
    const { reports, other } = parsePromtoolOutput(stderr);
    expect(other).toEqual([]);
    expect(reports).toEqual([
      {
        expr: 'foo',
        evalTimeMs: 60_000,
        expected: [{ labels: { quorum_case: '0' }, value: 0 }],
        outcome: {
          kind: 'samples',
          samples: [
            { labels: { __name__: 'foo', a: '1' }, value: 5 },
            { labels: { __name__: 'foo', a: '2' }, value: 5 },
          ],
        },
      },
      {
        expr: 'rate(foo[1m])',
        evalTimeMs: 120_000,
        expected: [{ labels: { quorum_case: '1' }, value: 0 }],
        outcome: { kind: 'samples', samples: [] },
      },
      {
        expr: 'foo + on() foo',
        evalTimeMs: 0,
        outcome: {
          kind: 'error',
          message: 'found duplicate series for the match group {} on the right hand-side',
        },
      },
      {
        expr: 'label_replace(bar, "x", "a\\"b", "", "")',
        evalTimeMs: 12_345,
        outcome: { kind: 'error', message: 'line one\nline two' },
      },
      {
        expr: '1/3',
        evalTimeMs: 0,
        expected: [{ labels: { quorum_case: '4' }, value: 0 }],
        outcome: { kind: 'samples', samples: [{ labels: {}, value: 0.3333333333333333 }] },
      },
    ]);
  });

  it('keeps lines that are not case reports', () => {
    const { reports, other } = parsePromtoolOutput('  FAILED:\n1:1: cannot parse series\n');
    expect(reports).toEqual([]);
    expect(other).toEqual(['1:1: cannot parse series']);
  });
});

describe('judgeWithPromtool (runs the real promtool)', () => {
  // A hand-written batch with known answers, in promtool 2.42's (v2) semantics.
  const group: DifferentialGroup = {
    scenario: {
      intervalMs: 15_000,
      endMs: 120_000,
      families: [],
      series: [
        {
          labels: { __name__: 'foo', a: '1', b: 'x y' },
          values: ['1', '2', '3', 'stale', '5', '_', '7', '0', '1'],
        },
        {
          labels: { __name__: 'foo', a: '2' },
          values: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
        },
        { labels: { __name__: 'bar' }, values: ['0.1', 'NaN', 'Inf', '-Inf', '1e-300'] },
      ],
    },
    cases: [
      { id: 0, expr: 'foo', evalTimeMs: 60_000 },
      { id: 1, expr: 'foo', evalTimeMs: 45_000 },
      { id: 2, expr: '1/3', evalTimeMs: 0 },
      { id: 3, expr: 'bar', evalTimeMs: 15_000 },
      { id: 4, expr: 'bar', evalTimeMs: 30_500 },
      { id: 5, expr: 'nosuch', evalTimeMs: 0 },
      { id: 6, expr: 'foo + on() foo', evalTimeMs: 0 },
      { id: 7, expr: 'foo[1m]', evalTimeMs: 0 },
      { id: 8, expr: 'sum(foo) +', evalTimeMs: 0 },
      { id: 9, expr: 'label_replace(bar, "x", "a\\"b\\n", "", "")', evalTimeMs: 0 },
      // The last sample (t=120s) is loaded: the generated file ends the group at endMs.
      { id: 10, expr: 'foo{a="2"}', evalTimeMs: 60_000 + 60_000 },
    ],
  };
  const expected: [number, Outcome | 'error'][] = [
    [
      0,
      {
        kind: 'samples',
        samples: [
          { labels: { __name__: 'foo', a: '1', b: 'x y' }, value: 5 },
          { labels: { __name__: 'foo', a: '2' }, value: 5 },
        ],
      },
    ],
    [1, { kind: 'samples', samples: [{ labels: { __name__: 'foo', a: '2' }, value: 4 }] }],
    [2, { kind: 'samples', samples: [{ labels: {}, value: 1 / 3 }] }],
    [3, { kind: 'samples', samples: [{ labels: { __name__: 'bar' }, value: NaN }] }],
    [4, { kind: 'samples', samples: [{ labels: { __name__: 'bar' }, value: Infinity }] }],
    [5, { kind: 'samples', samples: [] }],
    [6, 'error'],
    [7, { kind: 'error', message: 'rule result is not a vector or scalar' }],
    [8, 'error'],
    [9, { kind: 'samples', samples: [{ labels: { __name__: 'bar', x: 'a"b\n' }, value: 0.1 }] }],
    [10, { kind: 'samples', samples: [{ labels: { __name__: 'foo', a: '2' }, value: 9 }] }],
  ];

  const outcomes = judgeWithPromtool([group]);
  for (const [id, want] of expected) {
    const c = group.cases[id];
    it(`reads promtool's result for ${c?.expr} at ${c?.evalTimeMs} ms`, () => {
      const got = outcomes.get(id);
      if (want === 'error') expect(got?.kind).toBe('error');
      else expect(got).toEqual(want);
    });
  }

  it('writes a file that names each case in its wrong expectation', () => {
    expect(formatPromtoolTestFile([group])).toContain(
      `exp_samples: [{labels: "{quorum_case=\\"3\\"}", value: 0}]`,
    );
  });
});
