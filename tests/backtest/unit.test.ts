// Unit tests of the backtest: chunking, error classification over a fake fetch, and the replay
// of the alert state machine on range query answers.
import { describe, expect, it } from 'vitest';
import {
  alertIntervals,
  authHeader,
  classifyHttpError,
  compareSeries,
  createClient,
  exprSelectors,
  mergeSeries,
  parseApiValue,
  replayRule,
  runBacktest,
  splitRange,
  stepTimes,
  type FetchFn,
  type RangeSeries,
} from '../../src/backtest/index.ts';
import { SeriesStore, evalRange, parseExpr } from '../../src/promql/index.ts';
import { alertTimeline, type AlertRuleSpec } from '../../src/rules/index.ts';

const M = 60_000;

describe('splitRange', () => {
  it.each([
    {
      start: 0,
      end: 10 * M,
      step: M,
      max: 4,
      want: [
        [0, 3],
        [4, 7],
        [8, 10],
      ],
    },
    { start: 0, end: 10 * M, step: M, max: 11, want: [[0, 10]] },
    { start: 0, end: 10 * M, step: M, max: 1000, want: [[0, 10]] },
    { start: 30_000, end: 30_000, step: M, max: 5, want: [[0.5, 0.5]] },
    {
      start: 0,
      end: 10.5 * M,
      step: M,
      max: 5,
      want: [
        [0, 4],
        [5, 9],
        [10, 10],
      ],
    },
    { start: 5 * M, end: 0, step: M, max: 5, want: [] },
    { start: 0, end: M, step: 0, max: 5, want: [] },
  ])('$start..$end step $step max $max', ({ start, end, step, max, want }) => {
    const chunks = splitRange(start, end, step, max);
    expect(chunks.map((c) => [c.start / M, c.end / M])).toEqual(want);
    // Together the chunks' grids are exactly the range's.
    const times = chunks.flatMap((c) => stepTimes(c.start, c.end, step));
    expect(times).toEqual(stepTimes(start, end, step));
  });
});

describe('error classification', () => {
  it.each([
    { status: 401, body: 'Unauthorized', kind: 'auth' },
    { status: 403, body: '', kind: 'auth' },
    { status: 404, body: '404 page not found', kind: 'not-found' },
    {
      status: 400,
      body: '{"status":"error","errorType":"bad_data","error":"1:6: parse error"}',
      kind: 'bad-query',
    },
    {
      status: 503,
      body: '{"status":"error","errorType":"timeout","error":"query timed out"}',
      kind: 'timeout',
    },
    { status: 504, body: 'gateway timeout', kind: 'timeout' },
    {
      status: 422,
      body: '{"status":"error","errorType":"execution","error":"many-to-many"}',
      kind: 'bad-query',
    },
    { status: 500, body: 'boom', kind: 'server' },
    { status: 502, body: '<html>bad gateway</html>', kind: 'server' },
  ])('HTTP $status is $kind', ({ status, body, kind }) => {
    const e = classifyHttpError(status, body);
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
    expect(e.hint.length).toBeGreaterThan(10);
  });

  const answer =
    (status: number, body: string): FetchFn =>
    () =>
      Promise.resolve(new Response(body, { status }));
  const cases: { name: string; fetch: FetchFn; probe?: boolean; kind: string }[] = [
    {
      name: 'a refused connection',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
      kind: 'unreachable',
    },
    {
      name: 'a CORS refusal (the no-cors probe gets through)',
      fetch: (_u, init) =>
        init?.mode === 'no-cors'
          ? Promise.resolve(new Response(null, { status: 200 }))
          : Promise.reject(new TypeError('Failed to fetch')),
      probe: true,
      kind: 'cors',
    },
    {
      name: 'an unreachable server, probed',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      probe: true,
      kind: 'unreachable',
    },
    { name: 'a page that is not JSON', fetch: answer(200, '<html></html>'), kind: 'bad-response' },
    { name: 'a 401', fetch: answer(401, 'no'), kind: 'auth' },
    {
      name: 'a timeout',
      fetch: (_u, init) =>
        new Promise((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new DOMException('', 'AbortError'))),
        ),
      kind: 'timeout',
    },
  ];
  it.each(cases)('$name', async ({ fetch, probe, kind }) => {
    const api = createClient(
      { url: 'http://prom.example:9090' },
      { fetch, timeoutMs: 20, probeCors: probe ?? false },
    );
    const r = await api.buildInfo();
    expect(r.ok ? 'ok' : r.error.kind).toBe(kind);
  });

  it('sends credentials and the query parameters', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const fetch: FetchFn = (url, init) => {
      seen.push({ url, auth: new Headers(init?.headers).get('Authorization') });
      return Promise.resolve(
        new Response(
          JSON.stringify({
            status: 'success',
            data: {
              resultType: 'matrix',
              result: [{ metric: { a: 'b' }, values: [[60, '+Inf']] }],
            },
          }),
        ),
      );
    };
    const api = createClient(
      { url: 'http://h/prometheus/api/v1/', auth: { type: 'basic', user: 'u', password: 'p' } },
      { fetch },
    );
    const r = await api.queryRange('up == 0', 0, 120_000, 60_000);
    expect(r).toEqual({ ok: true, value: [{ labels: { a: 'b' }, points: [[60_000, Infinity]] }] });
    expect(seen).toEqual([
      {
        url: 'http://h/prometheus/api/v1/query_range?query=up+%3D%3D+0&start=0&end=120&step=60',
        auth: 'Basic dTpw',
      },
    ]);
    expect(authHeader({ type: 'bearer', token: 't' })).toBe('Bearer t');
    expect(authHeader({ type: 'none' })).toBeUndefined();
  });

  it.each([
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['1.5', 1.5],
    ['1e-7', 1e-7],
  ])('parses the value %s', (text, v) => {
    expect(parseApiValue(text)).toBe(v);
  });
  it('parses NaN', () => expect(parseApiValue('NaN')).toBeNaN());
});

function spec(over: Partial<AlertRuleSpec>): AlertRuleSpec {
  return {
    alert: 'A',
    expr: 'x > 0',
    for: 0,
    keepFiringFor: 0,
    labels: {},
    annotations: {},
    ...over,
  };
}

/** The server's answer: a point per step where the value is not null (no point = empty). */
function answer(values: (number | null)[]): RangeSeries[] {
  const points = values.flatMap((v, i) => (v === null ? [] : [[i * M, v] as const]));
  return [{ labels: { job: 'etcd' }, points }];
}

describe('replayRule', () => {
  const times = stepTimes(0, 9 * M, M);
  it.each([
    {
      name: 'for 2m: pending then firing, then resolved on a missing point',
      rule: spec({ for: 2 * M }),
      values: [null, 1, 1, 1, 1, null, null, 1, null, null],
      want: [
        ['pending', 1, 3],
        ['firing', 3, 5],
        ['pending', 7, 8],
      ],
    },
    {
      name: 'for 3m never reached: a gap resets pending',
      rule: spec({ for: 3 * M }),
      values: [1, 1, 1, null, 1, 1, 1, 1, null, null],
      want: [
        ['pending', 0, 3],
        ['pending', 4, 7],
        ['firing', 7, 8],
      ],
    },
    {
      name: 'keep_firing_for 2m bridges a gap',
      rule: spec({ keepFiringFor: 2 * M }),
      values: [1, 1, null, 1, null, null, null, null, null, null],
      want: [['firing', 0, 6]],
    },
    {
      name: 'firing at the end is open',
      rule: spec({}),
      values: [null, null, null, null, null, null, null, null, 2, 3],
      want: [['firing', 8, null]],
    },
  ])('$name', ({ rule, values, want }) => {
    const tl = replayRule(rule, times, answer(values), { compat: 'v2' });
    expect(
      alertIntervals('A', tl).map((i) => [i.state, i.from / M, i.to === null ? null : i.to / M]),
    ).toEqual(want);
  });

  it('equals alertTimeline on the same data when fed evalRange’s answer', () => {
    const store = new SeriesStore();
    const pts = (f: (i: number) => number | null) =>
      Array.from({ length: 120 }, (_, i) => [i * 15_000, f(i)] as const).filter(
        (p) => p[1] !== null,
      );
    store.addSeries(
      { __name__: 'x', job: 'a' },
      pts((i) => (i % 37 < 20 ? 1 : 0)),
    );
    store.addSeries(
      { __name__: 'x', job: 'b' },
      pts((i) => (i > 30 && i < 50 ? null : i % 11)),
    );
    for (const rule of [
      spec({ expr: 'x > 0', for: 2 * M }),
      spec({ expr: 'rate(x[2m]) > 0.01', for: M, keepFiringFor: 3 * M }),
      spec({ expr: 'sum by (job) (x) > 3' }),
    ]) {
      const start = 0;
      const end = 30 * M;
      const want = alertTimeline(rule, store, { start, end, interval: M }, { compat: 'v2' });
      const parsed = parseExpr(rule.expr, { compat: 'v2' });
      if (!want.ok || !parsed.ok) throw new Error('setup');
      const got = evalRange(parsed.value, store, start, end, M, { compat: 'v2' });
      if (!got.ok) throw new Error(got.error.message);
      const series = got.value.series.map((s) => ({
        labels: s.labels,
        points: s.points.map((p) => [p.t, p.v] as const),
      }));
      const tl = replayRule(rule, stepTimes(start, end, M), series, { compat: 'v2' });
      expect(alertIntervals('A', tl)).toEqual(alertIntervals('A', want.value));
      expect(tl.steps.map((s) => s.state)).toEqual(want.value.steps.map((s) => s.state));
    }
  });
});

describe('runBacktest over a fake server', () => {
  it('queries in chunks and replays on the merged answer', async () => {
    const ranges: [number, number][] = [];
    const fetch: FetchFn = (url) => {
      const q = new URL(url).searchParams;
      const start = Number(q.get('start')) * 1000;
      const end = Number(q.get('end')) * 1000;
      ranges.push([start / M, end / M]);
      const values = stepTimes(start, end, M)
        .filter((t) => t >= 2 * M && t <= 6 * M)
        .map((t) => [t / 1000, '1']);
      return Promise.resolve(
        new Response(
          JSON.stringify({
            status: 'success',
            data: {
              resultType: 'matrix',
              result: values.length ? [{ metric: { job: 'x' }, values }] : [],
            },
          }),
        ),
      );
    };
    const api = createClient({ url: 'http://h' }, { fetch });
    const progress: string[] = [];
    const r = await runBacktest(api, [spec({ for: 2 * M })], {
      start: 0,
      end: 9 * M,
      step: M,
      maxStepsPerQuery: 4,
      onProgress: (p) => progress.push(`${p.done}/${p.total}`),
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(ranges).toEqual([
      [0, 3],
      [4, 7],
      [8, 9],
    ]);
    expect(progress).toEqual(['0/3', '1/3', '2/3', '3/3', '3/3']);
    expect(r.value[0]?.intervals.map((i) => [i.state, i.from / M, i.to && i.to / M])).toEqual([
      ['pending', 2, 4],
      ['firing', 4, 7],
    ]);
  });
});

describe('helpers', () => {
  it('merges chunked series by label set', () => {
    expect(
      mergeSeries([
        [{ labels: { a: '1' }, points: [[0, 1]] }],
        [
          { labels: { a: '2' }, points: [[60, 2]] },
          { labels: { a: '1' }, points: [[60, 3]] },
        ],
      ]),
    ).toEqual([
      {
        labels: { a: '1' },
        points: [
          [0, 1],
          [60, 3],
        ],
      },
      { labels: { a: '2' }, points: [[60, 2]] },
    ]);
  });

  it('finds the selectors an expression reads and how far back', () => {
    const p = parseExpr(
      'max_over_time(rate(a{j="x"}[2m] offset 1m)[10m:1m]) / on() group_left b + 1',
    );
    if (!p.ok) throw new Error(p.error.message);
    expect(exprSelectors(p.value)).toEqual([
      { selector: '{__name__="a",j="x"}', reach: 13 * M },
      { selector: '{__name__="b"}', reach: 0 },
    ]);
  });

  it('compares answers point by point, NaN equal to NaN', () => {
    const server: RangeSeries[] = [
      {
        labels: { a: '1' },
        points: [
          [0, 1],
          [1, NaN],
          [2, 3],
        ],
      },
    ];
    const local: RangeSeries[] = [
      {
        labels: { a: '1' },
        points: [
          [0, 1],
          [1, NaN],
          [3, 4],
        ],
      },
    ];
    expect(compareSeries(server, local)).toEqual({
      compared: 4,
      differences: [
        { labels: { a: '1' }, t: 2, server: 3, local: null },
        { labels: { a: '1' }, t: 3, server: null, local: 4 },
      ],
    });
  });
});
