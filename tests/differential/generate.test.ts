import { describe, expect, it } from 'vitest';
import {
  createRng,
  formatSeriesSelector,
  formatValue,
  generateBatch,
  generateExpr,
  generateScenario,
  parseValueToken,
  seriesPoints,
} from './index.ts';

describe('createRng', () => {
  it('replays the same sequence from the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('gives different sequences for different seeds', () => {
    expect(createRng(1).next()).not.toBe(createRng(2).next());
  });
});

describe('value tokens', () => {
  const testCases: { value: number; token: string }[] = [
    { value: 1.5, token: '1.5' },
    { value: -3, token: '-3' },
    { value: NaN, token: 'NaN' },
    { value: Infinity, token: 'Inf' },
    { value: -Infinity, token: '-Inf' },
    { value: 1e-7, token: '1e-7' },
  ];
  for (const { value, token } of testCases) {
    it(`writes ${value} as ${token} and reads it back`, () => {
      expect(formatValue(value)).toBe(token);
      expect(parseValueToken(token)).toBe(value);
    });
  }

  it('reads `_` as no sample and `stale` as a staleness marker', () => {
    expect(parseValueToken('_')).toBeUndefined();
    expect(parseValueToken('stale')).toBeNull();
  });
});

describe('seriesPoints', () => {
  it('places samples on the interval, skips gaps, keeps staleness markers and the cutoff', () => {
    const series = { labels: { __name__: 'x' }, values: ['1', '_', 'stale', '4', '5'] };
    expect(seriesPoints(series, 15_000, 45_000)).toEqual([
      [0, 1],
      [30_000, null],
      [45_000, 4],
    ]);
  });
});

describe('formatSeriesSelector', () => {
  it('writes the metric name and quoted labels', () => {
    expect(formatSeriesSelector({ __name__: 'up', job: 'a "b"', instance: 'h:1' })).toBe(
      'up{job="a \\"b\\"", instance="h:1"}',
    );
  });
});

describe('generateScenario', () => {
  it('makes series that cover the scenario on its interval, with gaps and staleness', () => {
    const rng = createRng(7);
    for (let i = 0; i < 10; i++) {
      const s = generateScenario(rng);
      expect(s.endMs % 60_000).toBe(0);
      for (const series of s.series) {
        expect(series.values).toHaveLength(Math.floor(s.endMs / s.intervalMs) + 1);
      }
      expect(s.families.map((f) => f.name)).toContain('up');
    }
  });

  it('keeps histogram buckets cumulative', () => {
    const rng = createRng(3);
    for (let i = 0; i < 10; i++) {
      const s = generateScenario(rng);
      const buckets = s.series.filter((x) => x.labels['__name__']?.endsWith('_bucket'));
      const byTarget = new Map<string, typeof buckets>();
      for (const b of buckets) {
        const key = `${b.labels['job']}/${b.labels['instance']}`;
        byTarget.set(key, [...(byTarget.get(key) ?? []), b]);
      }
      for (const group of byTarget.values()) {
        for (let j = 1; j < group.length; j++) {
          group[j]?.values.forEach((token, k) => {
            const below = Number(group[j - 1]?.values[k]);
            if (!Number.isNaN(Number(token))) expect(Number(token)).toBeGreaterThanOrEqual(below);
          });
        }
      }
    }
  });
});

describe('generateExpr', () => {
  it('is reproducible from the seed', () => {
    const batch = (seed: number) =>
      generateBatch(seed, { groups: 3, casesPerGroup: 5 }).flatMap((g) =>
        g.cases.map((c) => `${c.evalTimeMs} ${c.expr}`),
      );
    expect(batch(11)).toEqual(batch(11));
    expect(batch(11)).not.toEqual(batch(12));
  });

  it('stays within the grammar promtool 2.42 knows', () => {
    const rng = createRng(5);
    const scenario = generateScenario(rng);
    for (let i = 0; i < 200; i++) {
      const expr = generateExpr(rng, scenario.families);
      expect(expr).not.toMatch(
        /double_exponential_smoothing|limitk|limit_ratio|mad_over_time|info\(|sort_by_label/,
      );
    }
  });
});
