import { describe, expect, it } from 'vitest';
import { applyTunable, findTunables, niceCeil } from './tunables.ts';
import { etcdMembersDown, naiveUpRule } from './rulePresets.ts';

describe('findTunables', () => {
  it("finds the mixin rule's window, thresholds and for, each with its own name", () => {
    const ts = findTunables(etcdMembersDown, 30_000);
    expect(ts.map((t) => [t.label, t.value])).toEqual([
      ['threshold ==', 0],
      ['etcd_network_peer_sent_failures_total window', 120_000],
      ['threshold > (1)', 0.01],
      ['threshold > (2)', 0],
      ['for', 20 * 60_000],
    ]);
    const window = ts[1];
    expect(window && etcdMembersDown.expr.slice(window.from, window.to)).toBe('120s');
    expect(window?.step).toBe(30_000);
  });

  it('finds only for in an expression that does not parse', () => {
    expect(findTunables({ ...naiveUpRule, expr: 'up ==' }, 30_000).map((t) => t.kind)).toEqual([
      'for',
    ]);
  });
});

describe('applyTunable', () => {
  const ts = findTunables(etcdMembersDown, 30_000);
  const cases: { label: string; value: number; contains: string }[] = [
    {
      label: 'etcd_network_peer_sent_failures_total window',
      value: 5 * 60_000,
      contains: '[5m])) > 0.01',
    },
    { label: 'threshold > (1)', value: 0.1 + 0.2, contains: '[120s])) > 0.3\n' },
    { label: 'threshold > (2)', value: 1, contains: ')\n> 1' },
  ];
  it.each(cases)('sets $label to $value', ({ label, value, contains }) => {
    const t = ts.find((x) => x.label === label);
    if (!t) throw new Error(`no tunable ${label}`);
    expect(applyTunable(etcdMembersDown, t, value).expr).toContain(contains);
  });

  it('sets for without touching the expression', () => {
    const t = ts.find((x) => x.kind === 'for');
    if (!t) throw new Error('no for');
    const r = applyTunable(etcdMembersDown, t, 60_000);
    expect(r.forMs).toBe(60_000);
    expect(r.expr).toBe(etcdMembersDown.expr);
  });
});

describe('slider ranges on the page', () => {
  const bounds = { durationMs: 3_600_000, data: { min: 0, max: 1 } };
  const rangeOf = (rule: typeof etcdMembersDown, label: string) => {
    const t = findTunables(rule, 30_000, bounds).find((x) => x.label === label);
    if (!t) throw new Error(`no tunable ${label}`);
    return t;
  };

  it('bounds windows and for by the scenario, numbers by the data', () => {
    const window = rangeOf(etcdMembersDown, 'etcd_network_peer_sent_failures_total window');
    expect([window.min, window.max]).toEqual([30_000, 3_600_000]);
    const forT = rangeOf(etcdMembersDown, 'for');
    expect([forT.min, forT.max]).toEqual([0, 3_600_000]);
    const threshold = rangeOf(etcdMembersDown, 'threshold > (1)');
    expect([threshold.min, threshold.max]).toEqual([0, 1]);
  });

  it.each(['threshold > (1)', 'for', 'etcd_network_peer_sent_failures_total window'])(
    'keeps the range of %s where it is while the value is dragged to its end, twice',
    (label) => {
      let rule = etcdMembersDown;
      const first = rangeOf(rule, label);
      for (let i = 0; i < 5; i++) {
        const t = rangeOf(rule, label);
        expect([t.min, t.max]).toEqual([first.min, first.max]);
        rule = applyTunable(rule, t, t.max);
      }
      expect(rangeOf(rule, label).value).toBe(first.max);
    },
  );

  it('widens a number beyond the data to a nice end that holds it, and no further', () => {
    const rule = { ...naiveUpRule, expr: 'up > 3.7' };
    const t = findTunables(rule, 30_000, bounds).find((x) => x.kind === 'number');
    expect([t?.min, t?.max]).toEqual([0, 5]);
    expect(niceCeil(5)).toBe(5);
    expect(niceCeil(0.011)).toBe(0.02);
  });
});
