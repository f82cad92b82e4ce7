import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../sim/index.ts';
import { evaluateView, reuseUnchanged, splitThreshold, toSpans } from './evaluateView.ts';
import { defaultRules, etcdMembersDown } from './rulePresets.ts';

const S = 1000;

describe('toSpans', () => {
  const cases: {
    name: string;
    states: string[];
    want: { from: number; to: number; state: string }[];
  }[] = [
    { name: 'no evaluations', states: [], want: [] },
    {
      name: 'one state throughout',
      states: ['inactive', 'inactive', 'inactive'],
      want: [{ from: 0, to: 60 * S, state: 'inactive' }],
    },
    {
      name: 'equal neighbours joined, the last cut at the end of the timeline',
      states: ['inactive', 'pending', 'pending', 'firing'],
      want: [
        { from: 0, to: 30 * S, state: 'inactive' },
        { from: 30 * S, to: 90 * S, state: 'pending' },
        { from: 90 * S, to: 90 * S, state: 'firing' },
      ],
    },
  ];
  it.each(cases)('$name', ({ states, want }) => {
    const times = states.map((_, i) => i * 30 * S);
    expect(toSpans(times, 30 * S, states)).toEqual(want);
  });
});

describe('splitThreshold', () => {
  const cases: { expr: string; want: ReturnType<typeof splitThreshold> }[] = [
    { expr: 'up == 0', want: { query: 'up', threshold: { op: '==', value: 0 } } },
    {
      expr: 'rate(x[5m]) > -0.5',
      want: { query: 'rate(x[5m])', threshold: { op: '>', value: -0.5 } },
    },
    { expr: 'up == bool 0', want: null },
    { expr: 'up + 1', want: null },
    { expr: 'a > b', want: null },
    { expr: 'up ==', want: null },
  ];
  it.each(cases)('$expr', ({ expr, want }) => {
    expect(splitThreshold(expr)).toEqual(want);
  });

  it("charts the mixin rule's value before its final > 0", () => {
    const split = splitThreshold(etcdMembersDown.expr);
    expect(split?.threshold).toEqual({ op: '>', value: 0 });
    expect(split?.query.startsWith('max without (endpoint) (')).toBe(true);
  });
});

describe('evaluateView on the default scenario', () => {
  const view = evaluateView(defaultScenario, defaultRules);

  it('evaluates every rule at every evaluation time', () => {
    expect(view.times.length).toBe(
      defaultScenario.duration / defaultScenario.evaluationInterval + 1,
    );
    for (const r of view.rules) {
      expect(r.error).toBeNull();
      expect(r.states.length).toBe(view.times.length);
    }
  });

  it('charts up for each of the three members until the eviction', () => {
    expect(view.up.map((l) => l.labels.instance)).toEqual(view.members.map((m) => m.instance));
    const evicted = view.up[2];
    expect(evicted?.values[0]).toBe(1);
    expect(evicted?.values[view.times.length - 1]).toBeNull();
  });

  it('shows the evicted member down in the ground truth, with no failure left to survive', () => {
    const last = view.truth[view.truth.length - 1];
    expect(last).toEqual({ down: [3], partitioned: [], quorum: true, canSurvive: 0, leader: 1 });
  });
});

describe('reuseUnchanged', () => {
  it('shares the parts of an unchanged scenario and rule, and nothing across scenarios', () => {
    const a = evaluateView(defaultScenario, defaultRules);
    const b = evaluateView(defaultScenario, defaultRules);
    const same = reuseUnchanged(a, b);
    expect(same.up).toBe(a.up);
    expect(same.rules[0]).toBe(a.rules[0]);
    const other = evaluateView({ ...defaultScenario, events: [] }, defaultRules);
    const changed = reuseUnchanged(a, other);
    expect(changed).toBe(other);
    expect(changed.rules[0]).not.toBe(a.rules[0]);
  });
});
