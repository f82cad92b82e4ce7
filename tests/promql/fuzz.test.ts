// Seeded fuzzing: random strings and mutated expressions must each yield a value or an error
// with a position inside the text; nothing may throw, whatever the input.
import { describe, expect, it } from 'vitest';
import {
  SeriesStore,
  evalInstant,
  evalRange,
  explainInstant,
  parseExpr,
  parseSeriesValues,
} from '../../src/promql/index.ts';
import { createRng } from '../differential/rng.ts';

const seeds = [
  'sum by (job) (rate(http_requests_total{job=~"api.*"}[5m])) > 0.5',
  'max without (endpoint) (sum without (instance) (up{job=~".*etcd.*"} == bool 0))',
  'histogram_quantile(0.99, sum by (le) (rate(lat_bucket[5m])))',
  'increase((max without (instance) (x) or 0*absent(x))[15m:1m] offset 1m) >= 4',
  'label_replace(up, "a", "$1", "instance", "(.*):.*") * on(a) group_left(v) info',
  'topk(3, count_values("v", up)) unless bottomk(1, up @ start())',
  '-(1 + 2) ^ 3 % time() / scalar(vector(4))',
  'avg_over_time(up[1h:5m] @ 100) - quantile_over_time(0.5, up[10m])',
  '{__name__="up", "utf8.label"="x"} != 1',
  'clamp(deriv(x[5m]), -1, 1) and predict_linear(x[1h], 3600) < 0',
];

const alphabet =
  'abcdefghijklmnopqrstuvwxyz_:0123456789 ()[]{},."\'`=!~<>+-*/%^@#\n\tsumbyrateoffset';

const tokens = [
  'sum',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'bool',
  'offset',
  '@',
  '[5m]',
  '[1m:30s]',
  '(',
  ')',
  '{',
  '}',
  ',',
  '"x"',
  '=~',
  '!=',
  '==',
  'and',
  'or',
  'unless',
  '+',
  '-',
  '^',
  '1e3',
  'NaN',
  'Inf',
  'rate',
  'up',
  'x',
  'start()',
  'time()',
  'topk',
  'count_values',
];

function randomString(r: () => number): string {
  const n = Math.floor(r() * 40);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

function mutate(r: () => number, s: string): string {
  let out = s;
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const pos = Math.floor(r() * (out.length + 1));
    const kind = r();
    if (kind < 0.3) out = out.slice(0, pos) + out.slice(pos + 1 + Math.floor(r() * 5));
    else if (kind < 0.7)
      out = out.slice(0, pos) + tokens[Math.floor(r() * tokens.length)] + out.slice(pos);
    else out = out.slice(0, pos) + alphabet[Math.floor(r() * alphabet.length)] + out.slice(pos);
  }
  return out;
}

function makeStore(): SeriesStore {
  const store = new SeriesStore();
  const pts = parseSeriesValues('0+1x30 stale 5x10', 60_000);
  if (!pts.ok) throw new Error('bad fixture');
  for (const job of ['etcd', 'api']) {
    for (const instance of ['a', 'b']) {
      store.addSeries({ __name__: 'up', job, instance }, pts.value);
      store.addSeries({ __name__: 'x', job, instance }, pts.value);
      store.addSeries({ __name__: 'lat_bucket', job, instance, le: '+Inf' }, pts.value);
    }
  }
  return store;
}

function checkResult(text: string, r: { ok: boolean; error?: { from: number; to: number } }) {
  if (!r.ok) {
    const { from, to } = r.error!;
    expect(from).toBeGreaterThanOrEqual(0);
    expect(to).toBeGreaterThanOrEqual(from);
    expect(to).toBeLessThanOrEqual(text.length);
  }
}

describe('fuzzing never throws', () => {
  const store = makeStore();
  const r = createRng(20261123).next;
  const inputs: string[] = [];
  for (let i = 0; i < 1500; i++) inputs.push(randomString(r));
  for (let i = 0; i < 3000; i++) inputs.push(mutate(r, seeds[i % seeds.length]!));

  it('parses 4500 random and mutated expressions to an AST or a positioned error', () => {
    let parsed = 0;
    for (const text of inputs) {
      const res = parseExpr(text);
      checkResult(text, res);
      if (res.ok) parsed++;
    }
    // The mutations keep a fair share of valid expressions, so evaluation gets exercised too.
    expect(parsed).toBeGreaterThan(300);
  });

  it('evaluates them as instant and range queries without throwing', () => {
    for (const text of inputs) {
      checkResult(text, evalInstant(text, store, 1_800_000));
      checkResult(text, evalRange(text, store, 0, 3_600_000, 600_000, { compat: 'v2' }));
      checkResult(text, explainInstant(text, store, 900_000));
    }
  });
});
