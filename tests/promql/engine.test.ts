// Engine behaviour beyond single expressions: range vs instant consistency, compat modes,
// limits, explain mode, the store and the series notation.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SeriesStore,
  evalInstant,
  evalRange,
  expandSeriesValues,
  explainInstant,
  parseSeriesDescriptor,
  parseSeriesValues,
  type Value,
} from '../../src/promql/index.ts';

function storeOf(series: [string, string][], interval = 30_000): SeriesStore {
  const store = new SeriesStore();
  for (const [desc, values] of series) {
    const labels = parseSeriesDescriptor(desc);
    const points = parseSeriesValues(values, interval);
    if (!labels.ok || !points.ok) throw new Error(`bad fixture ${desc}`);
    store.addSeries(labels.value, points.value);
  }
  return store;
}

const etcd = storeOf([
  ['up{job="etcd",instance="a"}', '1x20 0x20 1x20'],
  ['up{job="etcd",instance="b"}', '1x30 stale 1x20'],
  ['up{job="etcd",instance="c"}', '1x10 0x50'],
  ['etcd_network_peer_sent_failures_total{job="etcd",instance="a",To="b"}', '0+3x20 60+10x40'],
  ['etcd_server_leader_changes_seen_total{job="etcd",instance="a"}', '0x10 1x10 2x10 3 4 5 6 7x30'],
]);

function vectorText(v: Value): string[] {
  if (v.type !== 'vector') return [`${v.type}`];
  return v.samples.map((s) => `${JSON.stringify(s.labels)} ${s.v}`).sort();
}

describe('range evaluation agrees with instant evaluation at every step', () => {
  const exprs = [
    'up',
    'sum without (instance) (up == bool 0)',
    'max without (endpoint) (sum without (instance) (up{job=~".*etcd.*"} == bool 0) or count without (To) (sum without (instance) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[120s])) > 0.01)) > 0',
    'increase((max without (instance) (etcd_server_leader_changes_seen_total) or 0*absent(etcd_server_leader_changes_seen_total))[15m:1m]) >= 4',
    'max_over_time(up[5m:45s] offset 1m)',
    'time() - 60',
  ];
  for (const expr of exprs) {
    it(expr, () => {
      const range = evalRange(expr, etcd, 0, 1_800_000, 90_000);
      expect(range.ok).toBe(true);
      if (!range.ok) return;
      for (let t = 0; t <= 1_800_000; t += 90_000) {
        const inst = evalInstant(expr, etcd, t);
        expect(inst.ok).toBe(true);
        if (!inst.ok) return;
        const fromRange = range.value.series
          .filter((s) => s.points.some((p) => p.t === t))
          .map((s) => `${JSON.stringify(s.labels)} ${s.points.find((p) => p.t === t)!.v}`)
          .sort();
        const want = inst.value.type === 'scalar' ? [`{} ${inst.value.v}`] : vectorText(inst.value);
        expect(fromRange, `at ${t}`).toEqual(want);
      }
    });
  }
  it('rejects range-vector expressions for range queries', () => {
    const r = evalRange('up[5m]', etcd, 0, 60_000, 30_000);
    expect(r.ok ? null : r.error.message).toBe(
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
  });
});

describe('compat modes', () => {
  const store = storeOf([['lone', '1 _x20']], 60_000);
  const at = (expr: string, t: number, compat: 'v2' | 'v3') => {
    const r = evalInstant(expr, store, t, { compat });
    return r.ok ? vectorText(r.value) : [r.error.message];
  };
  it('v3 lookback is left-open: a sample at 0 is gone at 5m', () => {
    expect(at('lone', 299_999, 'v3')).toEqual(['{"__name__":"lone"} 1']);
    expect(at('lone', 300_000, 'v3')).toEqual([]);
  });
  it('v2 lookback is left-closed: a sample at 0 is still visible at 5m', () => {
    expect(at('lone', 300_000, 'v2')).toEqual(['{"__name__":"lone"} 1']);
    expect(at('lone', 300_001, 'v2')).toEqual([]);
  });
  it('range windows follow the same rule', () => {
    expect(at('count_over_time(lone[1m])', 60_000, 'v3')).toEqual([]);
    expect(at('count_over_time(lone[1m])', 60_000, 'v2')).toEqual(['{} 1']);
  });
  it('only v3 lets "." match a newline in regex matchers', () => {
    const s = new SeriesStore();
    s.addSeries({ __name__: 'm', path: 'a\nb' }, [[0, 1]]);
    const count = (compat: 'v2' | 'v3') => {
      const r = evalInstant('count(m{path=~"a.b"})', s, 0, { compat });
      return r.ok && r.value.type === 'vector' ? r.value.samples.length : -1;
    };
    expect(count('v3')).toBe(1);
    expect(count('v2')).toBe(0);
  });
  it('holt_winters exists only in v2, double_exponential_smoothing only in v3', () => {
    const s = storeOf([['g', '1 3 2 5 4']], 60_000);
    const hw = evalInstant('holt_winters(g[5m], 0.5, 0.5)', s, 240_000, { compat: 'v2' });
    const des = evalInstant('double_exponential_smoothing(g[5m], 0.5, 0.5)', s, 240_000);
    expect(hw.ok && des.ok && vectorText(hw.value)).toEqual(des.ok && vectorText(des.value));
    expect(evalInstant('holt_winters(g[5m], 0.5, 0.5)', s, 0).ok).toBe(false);
  });
  it('drops metric names at once unless delayed name removal is on', () => {
    const s = storeOf([
      ['a_total{env="1"}', '0+1x10'],
      ['b_total{env="1"}', '0+2x10'],
    ]);
    const expr = 'sum by (env) (rate({env="1"}[1m]))';
    const eager = evalInstant(expr, s, 300_000);
    const delayed = evalInstant(expr, s, 300_000, { delayedNameRemoval: true });
    expect(eager.ok ? null : eager.error.message).toBe(
      'vector cannot contain metrics with the same labelset',
    );
    expect(delayed.ok && vectorText(delayed.value)).toEqual(['{"env":"1"} 0.1']);
  });
});

describe('limits', () => {
  it('fails cleanly past maxSamples', () => {
    const r = evalRange('up', etcd, 0, 1_800_000, 30_000, { maxSamples: 10 });
    expect(r.ok ? null : r.error.message).toBe(
      'query processing would load too many samples into memory in query execution',
    );
  });
  it('stops at the time budget with an injected clock', () => {
    let now = 0;
    const r = evalRange('max_over_time(up[1h:1s])', etcd, 0, 86_400_000, 1000, {
      timeBudgetMs: 50,
      now: () => (now += 1),
    });
    expect(r.ok ? null : r.error.message).toBe('query timed out in expression evaluation');
  });
  it('rejects a zero step', () => {
    expect(evalRange('up', etcd, 0, 10, 0).ok).toBe(false);
  });
});

describe('explain mode', () => {
  it('returns every sub-expression with its result and typed notes', () => {
    const r = explainInstant('sum by (job) (up == bool 0) > 0', etcd, 900_000);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const root = r.value;
    expect(root.kind).toBe('binaryExpr');
    expect(root.text).toBe('sum by (job) (up == bool 0) > 0');
    const agg = root.children[0]!;
    expect(agg.kind).toBe('aggregation');
    expect(agg.notes).toEqual([
      {
        kind: 'aggregationLabels',
        op: 'sum',
        without: false,
        grouping: ['job'],
        kept: ['job'],
        dropped: ['instance'],
        droppedName: false,
        absent: [],
      },
      { kind: 'aggregationGroups', inputs: 3, groups: [{ labels: { job: 'etcd' }, series: 3 }] },
    ]);
    expect(agg.value).toEqual({
      type: 'vector',
      samples: [{ labels: { job: 'etcd' }, t: 900_000, v: 2 }],
    });
    const cmp = agg.children[0]!;
    expect(cmp.notes).toContainEqual({ kind: 'bool' });
    expect(root.notes).toContainEqual({
      kind: 'scalarFiltered',
      op: '>',
      scalar: 0,
      scalarOnLeft: false,
      dropped: [],
    });
    expect(cmp.children[0]!.value?.type).toBe('vector');
  });
  it('reports evaluation errors on the root', () => {
    const s = storeOf([
      ['x{a="1"}', '1'],
      ['x{a="1",b="2"}', '2'],
    ]);
    const r = explainInstant('x * on(a) x', s, 0);
    const errors = r.ok ? r.value.notes.filter((n) => n.kind === 'error') : [];
    expect(errors).toEqual([
      { kind: 'error', message: expect.stringMatching(/^found duplicate series/) as string },
    ]);
  });
});

describe('SeriesStore', () => {
  it('merges points for equal label sets and keeps them sorted', () => {
    const s = new SeriesStore();
    s.addSeries({ __name__: 'm', a: '1' }, [
      [60_000, 2],
      [120_000, null],
    ]);
    s.addSeries({ a: '1', __name__: 'm' }, [
      [0, 1],
      [60_000, 5],
    ]);
    expect(s.seriesCount).toBe(1);
    expect([...s.series()][0]!.points).toEqual([
      [0, 1],
      [60_000, 5],
      [120_000, null],
    ]);
    expect(s.labelNames()).toEqual(['__name__', 'a']);
    expect(s.labelValues('a')).toEqual(['1']);
    expect(s.metricNames()).toEqual(['m']);
  });
});

describe('promtool series notation', () => {
  const cases: [string, (number | string)[]][] = [
    ['1 2 3', [1, 2, 3]],
    ['0+10x3', [0, 10, 20, 30]],
    ['5-1x2', [5, 4, 3]],
    ['7x2', [7, 7, 7]],
    ['_ _x2 stale', ['missing', 'missing', 'missing', 'stale']],
    ['-1.5e1 +Inf NaN', [-15, Infinity, NaN]],
    ['1+1x1 _ 3', [1, 2, 'missing', 3]],
  ];
  for (const [text, want] of cases) {
    it(text, () => {
      const r = expandSeriesValues(text);
      expect(r.ok && r.value).toEqual(want);
    });
  }
  it('rejects native histograms and garbage', () => {
    const hist = expandSeriesValues('{{schema:0 count:1}}');
    expect(hist.ok ? null : hist.error.message).toBe('unsupported: native histograms');
    expect(expandSeriesValues('1 x2').ok).toBe(false);
  });
  it('places points on the interval grid', () => {
    const r = parseSeriesValues('1 _ stale 4', 15_000);
    expect(r.ok && r.value).toEqual([
      [0, 1],
      [30_000, null],
      [45_000, 4],
    ]);
  });
  it('parses descriptors', () => {
    const r = parseSeriesDescriptor('up{job="x", "a.b"="c"}');
    expect(r.ok && r.value).toEqual({ __name__: 'up', job: 'x', 'a.b': 'c' });
    const empty = parseSeriesDescriptor('{}');
    expect(empty.ok && empty.value).toEqual({});
  });
});

describe('quorumlab query', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-query-'));
  const file = join(dir, 'series.yaml');
  writeFileSync(
    file,
    [
      'interval: 1m',
      'input_series:',
      `  - series: 'up{job="etcd",instance="a"}'`,
      `    values: '1 1 0'`,
      `  - series: 'up{job="etcd",instance="b"}'`,
      `    values: '1 1 1'`,
    ].join('\n'),
  );
  const run = (...args: string[]) =>
    execFileSync(
      join(import.meta.dirname, '../../bin/quorumlab'),
      ['query', '--series', file, ...args],
      {
        encoding: 'utf8',
      },
    );
  it('prints an instant vector in the HTTP API data shape', () => {
    expect(JSON.parse(run('--expr', 'sum by (job) (up)', '--time', '2m'))).toEqual({
      resultType: 'vector',
      result: [{ metric: { job: 'etcd' }, value: [120, '1'] }],
    });
  });
  it('prints a range query as a matrix', () => {
    expect(
      JSON.parse(run('--expr', 'up == 0', '--start', '0', '--end', '2m', '--step', '1m')),
    ).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'up', instance: 'a', job: 'etcd' },
          values: [[120, '0']],
        },
      ],
    });
  });
  it('prints scalars and tables', () => {
    expect(JSON.parse(run('--expr', '1/3', '--time', '0'))).toEqual({
      resultType: 'scalar',
      result: [0, '0.3333333333333333'],
    });
    expect(run('--expr', 'up', '--time', '1m', '--format', 'table')).toBe(
      'up{instance="a",job="etcd"} 1\nup{instance="b",job="etcd"} 1\n',
    );
  });
  it("refuses more than 11,000 points per series in the HTTP API's words", () => {
    const r = spawnSync(
      process.execPath,
      [
        join(import.meta.dirname, '../../bin/quorumlab'),
        ...['query', '--series', file, '--expr', 'up', '--start', '0', '--end', '12h'],
        ...['--step', '1ms'],
      ],
      { encoding: 'utf8' },
    );
    expect([r.status, r.stdout, r.stderr]).toEqual([
      1,
      '',
      'quorumlab query: exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)\n',
    ]);
    // 11,000 steps (11,001 points) is the most the API takes.
    const most = run('--expr', 'up', '--start', '0', '--end', '11000s', '--step', '1s');
    expect(JSON.parse(most).resultType).toBe('matrix');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
});
