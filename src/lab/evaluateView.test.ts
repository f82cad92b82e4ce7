import { describe, expect, it } from 'vitest';
import { defaultScenario, findPreset } from '../sim/index.ts';
import {
  applyUpdate,
  evaluateView,
  MAX_CHART_LINES,
  reuseUnchanged,
  splitThreshold,
  toSpans,
  toUpdate,
  viewBase,
} from './evaluateView.ts';
import { defaultRules, etcdMembersDown, naiveUpRule } from './rulePresets.ts';
import type { RuleLint } from './ruleLint.ts';
import type { ImportedSource } from './source.ts';

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
    const up = view.raw[0]?.lines ?? [];
    expect(view.raw[0]?.query).toBe('up{job=~".*etcd.*"}');
    expect(up.map((l) => l.labels.instance)).toEqual(view.members.map((m) => m.instance));
    const evicted = up[2];
    expect(evicted?.values[0]).toBe(1);
    expect(evicted?.values[view.times.length - 1]).toBeNull();
  });

  it("keeps Prometheus's annotations of each rule's query, marking the sub-expression they name", () => {
    const cases: { expr: string; want: RuleLint }[] = [
      {
        expr: 'rate(up[2m]) > 0',
        want: {
          severity: 'info',
          snippet: 'up[2m]',
          from: 5,
          to: 11,
          message:
            'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "up" (1:6)',
        },
      },
      {
        expr: 'quantile_over_time(2,\n  up[5m]) > 0',
        want: {
          severity: 'warning',
          snippet: '2',
          from: 19,
          to: 20,
          message: 'PromQL warning: quantile value should be between 0 and 1, got 2 (1:20)',
        },
      },
    ];
    const rules = cases.map((c, i) => ({ ...naiveUpRule, id: `r${i}`, expr: c.expr }));
    const annotated = evaluateView(defaultScenario, rules);
    for (const [i, { expr, want }] of cases.entries()) {
      const found = annotated.rules[i]?.annotations ?? [];
      expect(found).toEqual([want]);
      expect(expr.slice(want.from, want.to)).toBe(want.snippet);
    }
    expect(view.rules.map((r) => r.annotations)).toEqual([[], [], []]);
  });

  it('shows the evicted member down in the ground truth, with no failure left to survive', () => {
    const last = view.truth?.[view.truth.length - 1];
    expect(last).toEqual({ down: [3], partitioned: [], quorum: true, canSurvive: 0, leader: 1 });
  });
});

describe('reuseUnchanged', () => {
  it('shares the parts of an unchanged scenario and rule, and nothing across scenarios', () => {
    const a = evaluateView(defaultScenario, defaultRules);
    const b = evaluateView(defaultScenario, defaultRules);
    const same = reuseUnchanged(a, b);
    expect(same.raw).toBe(a.raw);
    expect(same.rules[0]).toBe(a.rules[0]);
    const other = evaluateView({ ...defaultScenario, events: [] }, defaultRules);
    const changed = reuseUnchanged(a, other);
    expect(changed).toBe(other);
    expect(changed.rules[0]).not.toBe(a.rules[0]);
  });
});

describe('evaluateView on imported series', () => {
  const source: ImportedSource = {
    kind: 'imported',
    fileName: 't.yaml',
    group: 'g',
    interval: 60_000,
    evaluationInterval: 60_000,
    series: [
      { series: 'up{job="etcd",instance="a"}', values: '1x3 0x3' },
      { series: 'up{job="etcd",instance="b"}', values: '1x6' },
      { series: 'other_metric', values: '5' },
    ],
  };
  const view = evaluateView(source, [
    {
      id: 'Down',
      alert: 'Down',
      expr: 'up == 0',
      forMs: 60_000,
      keepFiringForMs: 0,
      labels: {},
      annotations: {},
      note: '',
    },
  ]);

  it('evaluates the rules over the imported series, with no ground truth or scorecard', () => {
    // 1x3 0x3 is eight values, one a minute: the series end at 7m.
    expect(view.times).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((m) => m * 60_000));
    expect(view.rules[0]?.states).toEqual([
      'inactive',
      'inactive',
      'inactive',
      'inactive',
      'pending',
      'firing',
      'firing',
      'firing',
    ]);
    expect(view.truth).toBeNull();
    expect(view.rules[0]?.scorecard).toBeNull();
    expect(view.members).toEqual([]);
  });

  it('charts each metric of the imported series', () => {
    expect(view.raw.map((c) => [c.title, c.lines.length])).toEqual([
      ['other_metric', 1],
      ['up', 2],
    ]);
  });

  it('charts the first lines of a metric with more series than a chart draws, and counts all', () => {
    const many: ImportedSource = {
      ...source,
      series: Array.from({ length: MAX_CHART_LINES + 5 }, (_, i) => ({
        series: `load{host="h${String(i).padStart(2, '0')}"}`,
        values: `${i}x3`,
      })),
    };
    const rule = { ...defaultRules[0]!, id: 'High', alert: 'High', expr: 'load > 1' };
    const v = evaluateView(many, [rule]);
    const chart = v.raw[0]!;
    expect(chart.seriesCount).toBe(MAX_CHART_LINES + 5);
    expect(chart.lines.map((l) => l.key)).toEqual(
      Array.from(
        { length: MAX_CHART_LINES },
        (_, i) => `load{host="h${String(i).padStart(2, '0')}"}`,
      ),
    );
    // The rule's chart is its value before the threshold: load, every host.
    expect(v.rules[0]?.valueQuery).toBe('load');
    expect(v.rules[0]?.seriesCount).toBe(MAX_CHART_LINES + 5);
    expect(v.rules[0]?.lines).toHaveLength(MAX_CHART_LINES);
  });
});

describe('view updates between the worker and the page', () => {
  const a = evaluateView(defaultScenario, defaultRules);
  const changed = defaultRules.map((r, i) => (i === 0 ? { ...r, forMs: r.forMs + 60_000 } : r));
  const b = evaluateView(defaultScenario, changed);

  it('send the whole view to a page without one, or with another scenario', () => {
    expect(toUpdate(a, null)).toEqual({ kind: 'whole', view: a });
    const other = viewBase(evaluateView({ ...defaultScenario, events: [] }, defaultRules));
    expect(toUpdate(a, other).kind).toBe('whole');
  });

  it('send only the rule views the page lacks, and the page rebuilds the same view', () => {
    const update = toUpdate(b, viewBase(a));
    expect(update.kind).toBe('rules');
    if (update.kind !== 'rules') return;
    expect(typeof update.rules[0]).toBe('object');
    expect(update.rules[1]).toBe(a.rules[1]?.key);
    const rebuilt = applyUpdate(a, update);
    expect(rebuilt).toEqual(reuseUnchanged(a, b));
    expect(rebuilt?.catalog).toBe(a.catalog);
    expect(rebuilt?.rules[1]).toBe(a.rules[1]);
  });

  it('send the charts of the metrics the rules read when they change, and only then', () => {
    const leader = {
      ...defaultRules[0]!,
      id: 'NoLeader',
      alert: 'NoLeader',
      expr: 'etcd_server_has_leader{job=~".*etcd.*"} == 0 and on () rate(etcd_server_proposals_failed_total[1m]) > 0',
    };
    const c = evaluateView(defaultScenario, [...defaultRules, leader]);
    // up and the peer send failures have raw charts of their own already.
    expect(a.ruleCharts).toEqual([]);
    expect(c.ruleCharts.map((x) => [x.title, x.query])).toEqual([
      ['etcd_server_has_leader', 'etcd_server_has_leader{job=~".*etcd.*"}'],
      [
        'etcd_server_proposals_failed_total, per second',
        'rate(etcd_server_proposals_failed_total[2m])',
      ],
    ]);
    expect(c.ruleCharts[0]?.lines.map((l) => l.labels.instance)).toHaveLength(3);
    const update = toUpdate(c, viewBase(a));
    expect(update.kind === 'rules' && update.ruleCharts?.charts).toEqual(c.ruleCharts);
    expect(applyUpdate(a, update)?.ruleCharts).toEqual(c.ruleCharts);
    // A threshold change leaves the selectors, and so the charts, as they were.
    const d = evaluateView(defaultScenario, [
      ...defaultRules,
      { ...leader, expr: leader.expr.replace('> 0', '> 1') },
    ]);
    const same = toUpdate(d, viewBase(c));
    expect(same.kind === 'rules' && same.ruleCharts).toBeUndefined();
    expect(applyUpdate(c, same)?.ruleCharts).toBe(c.ruleCharts);
  });

  it("send a changed rule as a patch of the page's view of it, and keep what did not change", () => {
    // The peer failures' inner threshold: the rule's text changes, what it draws does not.
    const tuned = defaultRules.map((r) =>
      r.id === etcdMembersDown.id ? { ...r, expr: r.expr.replace('> 0.01', '> 0.02') } : r,
    );
    const c = evaluateView(defaultScenario, tuned);
    const remembered = new Map(a.rules.map((r) => [r.key ?? '', r]));
    const update = toUpdate(c, viewBase(a), (k) => remembered.get(k));
    if (update.kind !== 'rules') throw new Error('a whole view');
    const i = c.rules.findIndex((r) => r.id === etcdMembersDown.id);
    const sent = update.rules[i];
    if (typeof sent !== 'object' || !('from' in sent)) throw new Error('not a patch');
    expect(sent.from).toBe(a.rules[i]?.key);
    expect(Object.keys(sent.patch).sort()).toEqual(['id', 'key', 'valueQuery']);
    const rebuilt = applyUpdate(a, update);
    expect(rebuilt).toEqual(reuseUnchanged(a, c));
    expect(rebuilt?.rules[i]?.lines).toBe(a.rules[i]?.lines);
    expect(rebuilt?.rules[i]?.spans).toBe(a.rules[i]?.spans);
    expect(rebuilt?.rules[i]?.scorecard).toBe(a.rules[i]?.scorecard);
    // `for` leaves the value chart as it was: it is not sent.
    const d = evaluateView(defaultScenario, changed);
    const forUpdate = toUpdate(d, viewBase(a), (k) => remembered.get(k));
    const forPatch = forUpdate.kind === 'rules' ? forUpdate.rules[0] : null;
    if (typeof forPatch !== 'object' || forPatch === null || !('from' in forPatch))
      throw new Error('not a patch');
    expect(forPatch.patch.lines).toBeUndefined();
    expect(applyUpdate(a, forUpdate)).toEqual(reuseUnchanged(a, d));
  });

  it('keep on the page each line of a patched chart whose values did not change', () => {
    const rate = (w: string) => ({
      ...defaultRules[0]!,
      id: 'Failing',
      alert: 'Failing',
      expr: `sum without (To) (rate(etcd_network_peer_sent_failures_total[${w}])) > 0`,
    });
    const before = evaluateView(defaultScenario, [rate('2m')]);
    const after = evaluateView(defaultScenario, [rate('5m')]);
    const remembered = new Map(before.rules.map((r) => [r.key ?? '', r]));
    const rebuilt = applyUpdate(
      before,
      toUpdate(after, viewBase(before), (k) => remembered.get(k)),
    );
    expect(rebuilt).toEqual(reuseUnchanged(before, after));
    const lines = rebuilt?.rules[0]?.lines ?? [];
    const old = before.rules[0]?.lines ?? [];
    const kept = lines.filter((l) => old.includes(l));
    const changedLines = lines.filter((l) => !old.includes(l));
    expect(changedLines.length).toBeGreaterThan(0);
    expect(kept.length).toBeGreaterThan(0);
    for (const l of kept) expect(after.rules[0]?.lines.find((x) => x.key === l.key)).toEqual(l);
  });

  it('drop on the page what a patch says the rule no longer has', () => {
    const broken = defaultRules.map((r, i) => (i === 0 ? { ...r, expr: 'sum(' } : r));
    const e = evaluateView(defaultScenario, broken);
    const remembered = new Map(a.rules.map((r) => [r.key ?? '', r]));
    const update = toUpdate(e, viewBase(a), (k) => remembered.get(k));
    const rebuilt = applyUpdate(a, update);
    expect(rebuilt).toEqual(reuseUnchanged(a, e));
    expect(Object.keys(rebuilt?.rules[0] ?? {}).sort()).toEqual(Object.keys(e.rules[0]!).sort());
  });

  it('refuse an update whose base the page no longer has', () => {
    const update = toUpdate(b, viewBase(a));
    expect(applyUpdate(null, update)).toBeNull();
    expect(applyUpdate({ ...a, rules: [] }, update)).toBeNull();
  });
});

describe('a Prometheus outage', () => {
  const M = 60_000;
  const outage = findPreset('prometheus-outage')?.scenario;
  if (!outage) throw new Error('no prometheus-outage preset');
  // Member 2 crashes at 15m and stays down: etcdMembersDown (for 20m) is pending when
  // Prometheus goes down at 20m.
  const scenario = outage;
  const view = evaluateView(scenario, [etcdMembersDown]);
  const rule = view.rules[0];

  it('evaluates nothing while Prometheus is down, and says so', () => {
    expect(rule?.unevaluated).toEqual([
      { from: 20 * M + 30_000, to: 35 * M + 30_000, state: 'unevaluated' },
    ]);
  });

  it('starts a pending alert over when Prometheus is back', () => {
    // Pending from the first scrape that sees the crash; it would have fired 20m later, at
    // 35m30s, had Prometheus stayed up; back up at 35m30s it starts pending again.
    expect(rule?.spans.filter((s) => s.state !== 'inactive')).toEqual([
      { from: 15 * M + 30_000, to: 20 * M + 30_000, state: 'pending' },
      { from: 35 * M + 30_000, to: 55 * M + 30_000, state: 'pending' },
      { from: 55 * M + 30_000, to: 60 * M, state: 'firing' },
    ]);
  });
});
