// aggregateColumns (an aggregation over a window function's columnar output) must return what
// aggregate() returns for each step's samples: the same groups, order, labels and value bits.
import { describe, expect, it } from 'vitest';
import { parseExpr, type Aggregation } from '../../src/promql/index.ts';
import { aggregate, aggregateColumns, type VectorColumns } from '../../src/promql/operators.ts';
import { QueryState } from '../../src/promql/queryState.ts';
import type { VSample } from '../../src/promql/values.ts';
import { createRng } from '../differential/index.ts';

function aggregation(text: string): Aggregation {
  const r = parseExpr(text);
  if (!r.ok || r.value.type !== 'aggregation') throw new Error(`not an aggregation: ${text}`);
  return r.value;
}

const values = [0, -0, 1, -1, 0.1, 1e308, -1e308, Infinity, -Infinity, NaN, 3.5, 1e-300];

function randomColumns(seed: number, dropName: boolean): VectorColumns {
  const rng = createRng(seed);
  const n = rng.int(1, 12);
  const steps = 20;
  const labels = Array.from({ length: n }, (_, i) =>
    Object.freeze({
      ...(rng.chance(0.5) ? { __name__: 'm' } : {}),
      job: rng.pick(['a', 'b']),
      instance: String(i),
    }),
  );
  const vals = new Float64Array(n * steps);
  const present = new Uint8Array(n * steps);
  for (let i = 0; i < n * steps; i++) {
    present[i] = rng.chance(0.7) ? 1 : 0;
    vals[i] = rng.chance(0.5) ? rng.pick(values) : rng.int(-1000, 1000) / 7;
  }
  return { n, labels, vals, present, dropName };
}

function stepSamples(c: VectorColumns, k: number): VSample[] {
  const out: VSample[] = [];
  for (let i = 0; i < c.n; i++) {
    if (c.present[k * c.n + i] === 0) continue;
    const labels = c.labels[i]!;
    const v = c.vals[k * c.n + i]!;
    out.push(c.dropName ? { labels, v, dropName: true } : { labels, v });
  }
  return out;
}

describe('aggregateColumns', () => {
  const exprs = [
    'sum(x)',
    'sum by (job) (x)',
    'sum without (instance) (x)',
    'min by (job) (x)',
    'max without (instance) (x)',
    'count by (job) (x)',
    'group without (job) (x)',
    'sum by (__name__) (x)',
  ];
  for (const compat of ['v2', 'v3'] as const) {
    it(`returns aggregate()'s samples at every step (${compat})`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        for (const text of exprs) {
          const e = aggregation(text);
          const cols = randomColumns(seed, seed % 3 === 0);
          const warn = (): void => {};
          const columnar = aggregateColumns(e, cols, 20, {
            compat,
            state: new QueryState(),
            warn,
          });
          const state = new QueryState();
          for (let k = 0; k < 20; k++) {
            const want = aggregate(e, stepSamples(cols, k), null, { compat, state, warn });
            const got = columnar?.at(k);
            expect(got?.map((s) => s.labels)).toEqual(want.map((s) => s.labels));
            expect(got?.map((s) => s.dropName)).toEqual(want.map((s) => s.dropName));
            expect(got?.map((s) => Object.is(s.v, want[got.indexOf(s)]?.v))).toEqual(
              want.map(() => true),
            );
          }
        }
      }
    });
  }

  it('gives its output as columns where they hold the same samples in the same order', () => {
    let columnar = 0;
    for (let seed = 1; seed <= 40; seed++) {
      for (const text of exprs) {
        const ctx = { compat: 'v2' as const, state: new QueryState(), warn: (): void => {} };
        const out = aggregateColumns(
          aggregation(text),
          randomColumns(seed, seed % 3 === 0),
          20,
          ctx,
        );
        if (!out?.cols) continue;
        columnar++;
        for (let k = 0; k < 20; k++) expect(stepSamples(out.cols, k)).toEqual(out.at(k));
      }
    }
    expect(columnar).toBeGreaterThan(100);
  });

  it('leaves other operations to aggregate()', () => {
    const cols = randomColumns(1, false);
    for (const text of ['avg(x)', 'stddev(x)', 'quantile(0.5, x)', 'topk(1, x)']) {
      const ctx = { compat: 'v2' as const, state: new QueryState(), warn: (): void => {} };
      expect(aggregateColumns(aggregation(text), cols, 20, ctx)).toBeNull();
    }
  });
});
