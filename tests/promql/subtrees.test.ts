// Range queries that reuse sub-expression results (a SubtreeCache in their options) give what
// they give without it: the same values, annotations (at their own positions) and errors, the
// sample limit included. Random series and expressions, each also asked with its numbers changed
// (what a tuning slider does), all on one cache.
import { describe, expect, it } from 'vitest';
import {
  SeriesStore,
  SubtreeCache,
  evalRange,
  parseExpr,
  type EvalOptions,
} from '../../src/promql/index.ts';
import { createRng, generateExpr, generateScenario, seriesPoints } from '../differential/index.ts';

/** The expression with its n-th number (not a duration, not inside a name) replaced. */
function retuned(expr: string, n: number, by: string): string {
  let i = 0;
  return expr.replace(/(?<![\w.:-])\d+(\.\d+)?(?![\w.])/g, (m) => (i++ === n ? by : m));
}

describe('range queries with a subtree cache', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`agree with the same queries without one (seed ${seed})`, () => {
      const rng = createRng(seed);
      const scenario = generateScenario(rng);
      const store = new SeriesStore();
      for (const s of scenario.series)
        store.addSeries(s.labels, seriesPoints(s, scenario.intervalMs));
      const exprs: string[] = [];
      for (let i = 0; i < 40; i++) {
        const e = generateExpr(rng, scenario.families);
        exprs.push(e, retuned(e, 0, '0.25'), retuned(e, 1, '7'), retuned(e, 0, '3'));
      }
      const step = rng.pick([15_000, 30_000, 60_000]);
      // A low sample limit on some queries: the cached ones must fail where the others do.
      const limits: EvalOptions[] = [
        {},
        { maxSamples: 400 },
        { maxSamples: 30, limitEachStep: true },
        { maxSamples: 12, limitEachStep: true },
      ];
      const cache = new SubtreeCache(256, 64);
      let hits = 0;
      let failed = 0;
      for (const opts of limits) {
        for (const e of [...exprs, ...exprs.slice().reverse()]) {
          const plain = evalRange(e, store, 0, scenario.endMs, step, opts);
          const before = cache.size;
          const reused = evalRange(e, store, 0, scenario.endMs, step, { ...opts, reuse: cache });
          if (cache.size === before) hits++;
          if (!plain.ok) failed++;
          expect(reused, e).toEqual(plain);
        }
      }
      expect(hits).toBeGreaterThan(0);
      expect(failed).toBeGreaterThan(0);
    });
  }

  it('place a reused annotation where its node stands in the new query', () => {
    const store = new SeriesStore();
    for (let i = 0; i < 3; i++)
      store.addSeries(
        { __name__: 'temperature', host: `h${i}` },
        Array.from({ length: 40 }, (_, j) => [j * 15_000, 20 + ((i * j) % 7)] as const),
      );
    const cache = new SubtreeCache();
    const first = 'sum(rate(temperature[1m])) > 1';
    const second = 'max(\n  sum(rate(temperature[1m])) > 2\n)';
    const a = evalRange(first, store, 0, 600_000, 15_000, { reuse: cache });
    const b = evalRange(second, store, 0, 600_000, 15_000, { reuse: cache });
    expect(a).toEqual(evalRange(first, store, 0, 600_000, 15_000));
    const plain = evalRange(second, store, 0, 600_000, 15_000);
    expect(b).toEqual(plain);
    expect(plain.ok && plain.warnings.some((w) => w.includes('(2:12)'))).toBe(true);
  });

  it('evaluate a node again where reusing it would hide where the sample limit is passed', () => {
    const store = new SeriesStore();
    for (const name of ['a', 'b'])
      for (let i = 0; i < 3; i++) store.addSeries({ __name__: name, i: String(i) }, [[0, i]]);
    const opts: EvalOptions = { maxSamples: 5, limitEachStep: true };
    const cache = new SubtreeCache();
    expect(evalRange('b', store, 0, 0, 15_000, { ...opts, reuse: cache }).ok).toBe(true);
    const plain = evalRange('a + b', store, 0, 0, 15_000, opts);
    // b's own samples pass the limit, on top of a's.
    expect(plain.ok || plain.error.from).toBe(4);
    expect(evalRange('a + b', store, 0, 0, 15_000, { ...opts, reuse: cache })).toEqual(plain);
  });

  it("count a reused subquery's peak against the sample limit", () => {
    const store = new SeriesStore();
    for (let i = 0; i < 3; i++) store.addSeries({ __name__: 'a', i: String(i) }, [[0, i]]);
    // Each inner step holds a's 3 samples and count's 1 for a moment: a peak of 4 at each step,
    // over the 3 result points of the steps before the last.
    const q = 'max_over_time(count(a)[15s:15s])';
    const plain = evalRange(q, store, 0, 45_000, 15_000, { maxSamples: 6 });
    expect(plain.ok).toBe(false);
    const cache = new SubtreeCache();
    for (let i = 0; i < 2; i++)
      expect(evalRange(q, store, 0, 45_000, 15_000, { maxSamples: 6, reuse: cache })).toEqual(
        plain,
      );
  });

  it('serve only the store it was first used with', () => {
    const one = new SeriesStore();
    const two = new SeriesStore();
    one.addSeries({ __name__: 'x' }, [[0, 1]]);
    two.addSeries({ __name__: 'x' }, [[0, 2]]);
    const cache = new SubtreeCache();
    evalRange('x * 2', one, 0, 0, 15_000, { reuse: cache });
    const r = evalRange('x * 2', two, 0, 0, 15_000, { reuse: cache });
    expect(r.ok && r.value.series[0]?.points[0]?.v).toBe(4);
  });
});

describe('the parsed expressions of a subtree cache', () => {
  it('parse as parseExpr does, each text once while it is kept', () => {
    const cache = new SubtreeCache();
    const text = 'sum without (instance) (rate(up[5m])) > 0.5';
    const first = cache.parse(text);
    expect(first).toEqual(parseExpr(text));
    const again = cache.parse(text);
    expect(again.ok && first.ok && again.value === first.value).toBe(true);
    // Each compat mode has its own tree: `holt_winters` is a Prometheus 2 function only.
    const v2 = cache.parse('holt_winters(up[5m], 0.5, 0.5)', { compat: 'v2' });
    expect(v2.ok).toBe(true);
    expect(cache.parse('holt_winters(up[5m], 0.5, 0.5)')).toEqual(
      parseExpr('holt_winters(up[5m], 0.5, 0.5)'),
    );
    // An error is the parser's, each time.
    expect(cache.parse('sum(')).toEqual(parseExpr('sum('));
    expect(cache.parse('sum(')).toEqual(parseExpr('sum('));
  });

  it('keep the latest few hundred texts', () => {
    const cache = new SubtreeCache();
    const first = cache.parse('up > 0');
    for (let i = 0; i < 1000; i++) cache.parse(`up > ${i + 1}`);
    const later = cache.parse('up > 0');
    expect(later).toEqual(first);
    expect(later.ok && first.ok && later.value === first.value).toBe(false);
    const recent = cache.parse('up > 1000');
    expect(
      recent.ok && recent.value === (cache.parse('up > 1000') as { value: unknown }).value,
    ).toBe(true);
  });
});
