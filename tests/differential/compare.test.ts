import { describe, expect, it } from 'vitest';
import {
  classifyDisagreement,
  compareOutcomes,
  engineOutcome,
  floatsAgree,
  formatOutcome,
  isTopkTie,
  labelsKey,
  type Disagreement,
  type Outcome,
} from './index.ts';

const samples = (...list: [Record<string, string>, number][]): Outcome => ({
  kind: 'samples',
  samples: list.map(([labels, value]) => ({ labels, value })),
});

describe('floatsAgree', () => {
  const testCases: { a: number; b: number; agree: boolean }[] = [
    { a: 1, b: 1, agree: true },
    { a: 1, b: 1 + 1e-12, agree: true },
    { a: 1e6, b: 1e6 + 1e-4, agree: true },
    { a: 1, b: 1 + 1e-8, agree: false },
    { a: 0, b: 1e-300, agree: false },
    { a: NaN, b: NaN, agree: true },
    { a: NaN, b: 0, agree: false },
    { a: Infinity, b: Infinity, agree: true },
    { a: Infinity, b: -Infinity, agree: false },
    { a: Infinity, b: 1e308, agree: false },
    { a: -0, b: 0, agree: true },
  ];
  for (const { a, b, agree } of testCases) {
    it(`${agree ? 'accepts' : 'rejects'} ${a} against ${b}`, () => {
      expect(floatsAgree(a, b)).toBe(agree);
    });
  }
});

describe('compareOutcomes', () => {
  const testCases: { name: string; judge: Outcome; ours: Outcome; agree: boolean }[] = [
    { name: 'two empty results agree', judge: samples(), ours: samples(), agree: true },
    {
      name: 'order does not matter',
      judge: samples([{ a: '1' }, 1], [{ a: '2' }, 2]),
      ours: samples([{ a: '2' }, 2], [{ a: '1' }, 1]),
      agree: true,
    },
    {
      name: 'label order does not matter',
      judge: samples([{ a: '1', b: '2' }, 1]),
      ours: samples([{ b: '2', a: '1' }, 1]),
      agree: true,
    },
    {
      name: 'a missing label set disagrees',
      judge: samples([{ a: '1' }, 1], [{ a: '2' }, 2]),
      ours: samples([{ a: '1' }, 1]),
      agree: false,
    },
    {
      name: 'a different label disagrees',
      judge: samples([{ __name__: 'x', a: '1' }, 1]),
      ours: samples([{ a: '1' }, 1]),
      agree: false,
    },
    {
      name: 'NaN agrees with NaN',
      judge: samples([{}, NaN]),
      ours: samples([{}, NaN]),
      agree: true,
    },
    {
      name: 'values beyond the tolerance disagree',
      judge: samples([{}, 0.1]),
      ours: samples([{}, 0.1000001]),
      agree: false,
    },
    {
      name: 'two errors agree whatever the message',
      judge: { kind: 'error', message: 'found duplicate series' },
      ours: { kind: 'error', message: 'many-to-many matching not allowed' },
      agree: true,
    },
    {
      name: 'an error against samples disagrees',
      judge: { kind: 'error', message: 'x' },
      ours: samples(),
      agree: false,
    },
  ];
  for (const { name, judge, ours, agree } of testCases) {
    it(name, () => {
      expect(compareOutcomes(judge, ours) === null).toBe(agree);
    });
  }
});

describe('engineOutcome', () => {
  it('turns a scalar into one sample without labels', () => {
    expect(
      engineOutcome({ ok: true, warnings: [], value: { type: 'scalar', t: 0, v: 2 } }),
    ).toEqual(samples([{}, 2]));
  });

  it('keeps the samples of a vector', () => {
    const value = { type: 'vector' as const, samples: [{ labels: { a: '1' }, t: 0, v: 3 }] };
    expect(engineOutcome({ ok: true, warnings: [], value })).toEqual(samples([{ a: '1' }, 3]));
  });

  it('reports a matrix the way promtool does', () => {
    expect(engineOutcome({ ok: true, warnings: [], value: { type: 'matrix' } })).toEqual({
      kind: 'error',
      message: 'rule result is not a vector or scalar',
    });
  });

  it('passes errors through', () => {
    expect(engineOutcome({ ok: false, error: { message: 'boom' } })).toEqual({
      kind: 'error',
      message: 'boom',
    });
  });
});

describe('labelsKey', () => {
  it('sorts label names', () => {
    expect(labelsKey({ b: '2', a: '1' })).toBe('{a="1", b="2"}');
  });
});

describe('isTopkTie', () => {
  const testCases: { name: string; expr: string; judge: Outcome; ours: Outcome; tie: boolean }[] = [
    {
      name: 'a different choice among equal values is a tie',
      expr: 'topk(1, up)',
      judge: samples([{ i: 'a' }, 1]),
      ours: samples([{ i: 'b' }, 1]),
      tie: true,
    },
    {
      name: 'a different value is not',
      expr: 'topk(1, up)',
      judge: samples([{ i: 'a' }, 1]),
      ours: samples([{ i: 'b' }, 0]),
      tie: false,
    },
    {
      name: 'a difference in label names is not',
      expr: 'topk(1, up atan2 1)',
      judge: samples([{ __name__: 'up', i: 'a' }, 1]),
      ours: samples([{ i: 'a' }, 1]),
      tie: false,
    },
    {
      name: 'without topk or bottomk nothing is a tie',
      expr: 'max(up)',
      judge: samples([{ i: 'a' }, 1]),
      ours: samples([{ i: 'b' }, 1]),
      tie: false,
    },
  ];
  for (const { name, expr, judge, ours, tie } of testCases) {
    it(name, () => {
      expect(isTopkTie(expr, judge, ours)).toBe(tie);
    });
  }
});

describe('classifyDisagreement', () => {
  const scenario = { intervalMs: 15_000, endMs: 60_000, series: [], families: [] };
  const disagreement = (expr: string, promtool: Outcome, ours: Outcome): Disagreement => ({
    seed: 1,
    group: { scenario, cases: [] },
    case: { id: 0, expr, evalTimeMs: 0 },
    reason: 'test',
    promtool,
    ours,
  });
  const testCases: { expr: string; promtool: Outcome; ours: Outcome; id: string | undefined }[] = [
    {
      expr: '(up) atan2 (x)',
      promtool: samples([{ __name__: 'up', a: '1' }, 0.5]),
      ours: samples([{ a: '1' }, 0.5]),
      id: undefined,
    },
    {
      expr: '(up) atan2 (x)',
      promtool: samples([{ __name__: 'up', a: '1' }, 0.5]),
      ours: samples([{ a: '1' }, 0.6]),
      id: undefined,
    },
    {
      expr: 'stddev(x)',
      promtool: samples([{}, 0]),
      ours: samples([{}, NaN]),
      id: undefined,
    },
    {
      expr: 'stddev_over_time(x[1m])',
      promtool: samples([{}, 0]),
      ours: samples([{}, NaN]),
      id: undefined,
    },
    {
      expr: 'count_values("value", x)',
      promtool: samples([{ value: '2.950466666666667' }, 1]),
      ours: samples([{ value: '2.9504666666666663' }, 1]),
      id: 'count-values-last-bits',
    },
    {
      expr: 'count_values("value", x)',
      promtool: samples([{ value: '2.95' }, 1]),
      ours: samples([{ value: '2.96' }, 1]),
      id: undefined,
    },
    {
      expr: 'a < on() b',
      promtool: samples([{}, 1]),
      ours: { kind: 'error', message: 'multiple matches for labels: many-to-one matching' },
      id: undefined,
    },
    {
      expr: 'holt_winters(nosuch[1m], 1, 0.1)',
      promtool: samples(),
      ours: { kind: 'error', message: 'invalid smoothing factor. Expected: 0 < sf < 1, got: 1' },
      id: undefined,
    },
    {
      expr: 'day_of_week(timestamp(x offset 5m @ end()))',
      promtool: samples(),
      ours: samples([{ a: '1' }, 4]),
      id: undefined,
    },
    {
      expr: 'stdvar by (code) (sinh(tanh(x)))',
      promtool: samples([{}, 5.349071963614901e-16]),
      ours: samples([{}, 5.349072066324123e-16]),
      id: 'variance-amplifies-last-bits',
    },
    {
      expr: 'stdvar by (code) (x)',
      promtool: samples([{}, 5.349071963614901e-16]),
      ours: samples([{}, 5.349072066324123e-16]),
      id: undefined,
    },
    {
      expr: 'count_over_time((predict_linear(foo[1m] @ 60, 0))[2m:30s])',
      promtool: samples([{}, 2]),
      ours: samples([{}, 5]),
      id: undefined,
    },
    {
      expr: 'irate((predict_linear(x{job="api", code!~"20.*"}[2m] @ start(), -30))[5m:45s])',
      promtool: samples([{}, 0.035]),
      ours: samples([{}, 0.029]),
      id: undefined,
    },
    {
      expr: 'group(timestamp(x{a="b"} offset 5m @ 431.5))',
      promtool: samples(),
      ours: samples([{}, 1]),
      id: undefined,
    },
  ];
  for (const { expr, promtool, ours, id } of testCases) {
    it(`classifies ${expr} (${formatOutcome(promtool)} vs ${formatOutcome(ours)}) as ${id}`, () => {
      expect(classifyDisagreement(disagreement(expr, promtool, ours))?.id).toBe(id);
    });
  }
});
