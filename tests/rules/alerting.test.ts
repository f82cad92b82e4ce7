// The alert state machine (rules/alerting.go) through alertTimeline: pending, firing, for: 0,
// keep_firing_for, dropped pending alerts, resolution and re-activation, duplicate label sets.
import { describe, expect, it } from 'vitest';
import { SeriesStore, parseSeriesValues } from '../../src/promql/index.ts';
import {
  AlertingRule,
  alertTimeline,
  makeQueryFn,
  type AlertRuleSpec,
  type AlertState,
} from '../../src/rules/index.ts';

const MIN = 60_000;

function storeOf(series: Record<string, string>): SeriesStore {
  const store = new SeriesStore();
  for (const [name, values] of Object.entries(series)) {
    const points = parseSeriesValues(values, MIN);
    if (!points.ok) throw new Error(points.error.message);
    store.addSeries({ __name__: name, instance: 'a' }, points.value);
  }
  return store;
}

function rule(partial: Partial<AlertRuleSpec>): AlertRuleSpec {
  return {
    alert: 'A',
    expr: 'x > 0',
    for: 0,
    keepFiringFor: 0,
    labels: {},
    annotations: {},
    ...partial,
  };
}

const testCases: {
  name: string;
  values: string;
  spec: Partial<AlertRuleSpec>;
  /** The rule's worst state at 0m, 1m, 2m, … */
  states: AlertState[];
  transitions: [minute: number, state: AlertState][];
}[] = [
  {
    name: 'for: 0 fires at the first evaluation with output',
    values: '0 1 1 0 0',
    spec: {},
    states: ['inactive', 'firing', 'firing', 'inactive', 'inactive'],
    transitions: [
      [1, 'firing'],
      [3, 'inactive'],
    ],
  },
  {
    name: 'an alert turns firing once `for` has elapsed since it became active',
    values: '1 1 1 1 1',
    spec: { for: 2 * MIN },
    states: ['pending', 'pending', 'firing', 'firing', 'firing'],
    transitions: [
      [0, 'pending'],
      [2, 'firing'],
    ],
  },
  {
    name: 'a pending alert that leaves the output is dropped',
    values: '1 1 0 1 1 1',
    spec: { for: 2 * MIN },
    states: ['pending', 'pending', 'inactive', 'pending', 'pending', 'firing'],
    transitions: [
      [0, 'pending'],
      [2, 'inactive'],
      [3, 'pending'],
      [5, 'firing'],
    ],
  },
  {
    name: 'keep_firing_for keeps a firing alert firing after its output goes',
    values: '1 1 0 0 0 0 0',
    spec: { keepFiringFor: 3 * MIN },
    states: ['firing', 'firing', 'firing', 'firing', 'firing', 'inactive', 'inactive'],
    transitions: [
      [0, 'firing'],
      [5, 'inactive'],
    ],
  },
  {
    name: 'keep_firing_for restarts when the output comes back',
    values: '1 0 1 0 0 0 0',
    spec: { keepFiringFor: 2 * MIN },
    states: ['firing', 'firing', 'firing', 'firing', 'firing', 'inactive', 'inactive'],
    transitions: [
      [0, 'firing'],
      [5, 'inactive'],
    ],
  },
  {
    name: 'a resolved alert that comes back starts pending again',
    values: '1 1 0 1 1',
    spec: { for: MIN },
    states: ['pending', 'firing', 'inactive', 'pending', 'firing'],
    transitions: [
      [0, 'pending'],
      [1, 'firing'],
      [2, 'inactive'],
      [3, 'pending'],
      [4, 'firing'],
    ],
  },
  {
    name: 'a missing sample within the lookback keeps the alert',
    values: '1 _ _ 1 1',
    spec: { for: 3 * MIN },
    states: ['pending', 'pending', 'pending', 'firing', 'firing'],
    transitions: [
      [0, 'pending'],
      [3, 'firing'],
    ],
  },
  {
    name: 'a staleness marker ends the output at once',
    values: '1 1 stale 1',
    spec: {},
    states: ['firing', 'firing', 'inactive', 'firing'],
    transitions: [
      [0, 'firing'],
      [2, 'inactive'],
      [3, 'firing'],
    ],
  },
];

describe('alertTimeline', () => {
  testCases.forEach(({ name, values, spec, states, transitions }) => {
    it(name, () => {
      const store = storeOf({ x: values });
      const r = alertTimeline(rule(spec), store, {
        start: 0,
        end: (states.length - 1) * MIN,
        interval: MIN,
      });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.steps.map((s) => s.state)).toEqual(states);
      expect(r.value.alerts).toHaveLength(1);
      expect(r.value.alerts[0]?.labels).toEqual({ alertname: 'A', instance: 'a' });
      expect(r.value.alerts[0]?.transitions).toEqual(
        transitions.map(([m, state]) => ({ t: m * MIN, state })),
      );
    });
  });

  it('returns the expression output at every step and templated labels', () => {
    const store = storeOf({ x: '0 2 3' });
    const r = alertTimeline(
      rule({
        labels: { severity: '{{ if gt $value 2.0 }}page{{ else }}ticket{{ end }}' },
        annotations: { v: '{{ $value }}' },
      }),
      store,
      { start: 0, end: 2 * MIN, interval: MIN },
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.steps.map((s) => s.samples.map((x) => x.v))).toEqual([[], [2], [3]]);
    expect(r.value.alerts.map((a) => [a.labels['severity'], a.annotations['v']])).toEqual([
      ['ticket', '2'],
      ['page', '3'],
    ]);
  });

  it('gives the same expression output as instant queries at each step', () => {
    const store = new SeriesStore();
    ['0+1x30', '5 4 3 _ stale 1x20', '0+2x10 0+3x20'].forEach((values, i) => {
      const p = parseSeriesValues(values, 30_000);
      if (p.ok)
        store.addSeries({ __name__: 'c', instance: `i${i}`, job: i % 2 ? 'a' : 'b' }, p.value);
    });
    const query = makeQueryFn(store, { defaultSubqueryStep: MIN });
    for (const expr of [
      'rate(c[2m]) > 0',
      'sum by (job) (c) > 3',
      'max_over_time(c[3m:1m])',
      'scalar(sum(c))',
    ]) {
      const r = alertTimeline(rule({ expr }), store, { start: 0, end: 15 * MIN, interval: MIN });
      if (!r.ok) throw new Error(r.error.message);
      for (const step of r.value.steps) {
        const want = query(expr, step.t);
        if (!want.ok) throw new Error(want.message);
        const key = (xs: { labels: object; v: number }[]): string[] =>
          xs.map((x) => JSON.stringify([x.labels, x.v])).sort();
        expect(key(step.samples)).toEqual(key(want.samples));
      }
    }
  });

  it('reports a parse error as an error value', () => {
    const r = alertTimeline(rule({ expr: 'x >' }), new SeriesStore(), {
      start: 0,
      end: 0,
      interval: MIN,
    });
    expect(r.ok).toBe(false);
  });

  it('reports an evaluation error at the step where it happens', () => {
    const store = new SeriesStore();
    store.addSeries({ __name__: 'x', instance: 'a' }, [[0, 1]]);
    store.addSeries({ __name__: 'x', instance: 'b' }, [[0, 1]]);
    const r = alertTimeline(rule({ expr: 'x', labels: { instance: 'same' } }), store, {
      start: 0,
      end: MIN,
      interval: MIN,
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.error).toEqual({
      t: 0,
      message: 'vector contains metrics with the same labelset after applying alert labels',
    });
  });
});

describe('AlertingRule', () => {
  it('writes ALERTS and ALERTS_FOR_STATE samples for pending and firing alerts', () => {
    const store = storeOf({ x: '1 1' });
    const ar = new AlertingRule(rule({ for: MIN }));
    const query = makeQueryFn(store);
    const first = ar.eval(0, query);
    const second = ar.eval(MIN, query);
    expect(first.ok && first.output).toEqual([
      {
        labels: { __name__: 'ALERTS', alertname: 'A', alertstate: 'pending', instance: 'a' },
        t: 0,
        v: 1,
      },
      { labels: { __name__: 'ALERTS_FOR_STATE', alertname: 'A', instance: 'a' }, t: 0, v: 0 },
    ]);
    expect(second.ok && second.output).toEqual([
      {
        labels: { __name__: 'ALERTS', alertname: 'A', alertstate: 'firing', instance: 'a' },
        t: MIN,
        v: 1,
      },
      { labels: { __name__: 'ALERTS_FOR_STATE', alertname: 'A', instance: 'a' }, t: MIN, v: 0 },
    ]);
  });

  it('keeps a resolved alert for 15 minutes, then forgets it', () => {
    const store = new SeriesStore();
    store.addSeries({ __name__: 'x', instance: 'a' }, [[0, 1]]);
    store.addSeries({ __name__: 'x', instance: 'a' }, [[MIN, null]]);
    const ar = new AlertingRule(rule({}));
    const query = makeQueryFn(store);
    ar.eval(0, query);
    ar.eval(MIN, query);
    expect([...ar.active.values()].map((a) => [a.state, a.resolvedAt])).toEqual([
      ['inactive', MIN],
    ]);
    ar.eval(16 * MIN, query);
    expect(ar.active.size).toBe(1);
    ar.eval(16 * MIN + 1, query);
    expect(ar.active.size).toBe(0);
  });
});
