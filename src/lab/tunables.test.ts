import { describe, expect, it } from 'vitest';
import { applyTunable, findTunables, niceCeil, retune, type TuneBounds } from './tunables.ts';
import {
  etcdInsufficientMembers,
  etcdMembersDown,
  naiveUpRule,
  rulePresets,
} from './rulePresets.ts';

describe('findTunables', () => {
  it("finds the mixin rule's window, thresholds and for, each with its own name", () => {
    const ts = findTunables(etcdMembersDown, 30_000);
    expect(ts.map((t) => [t.label, t.value])).toEqual([
      ['counts up equal to', 0],
      ['rate window of network peer sent failures', 120_000],
      ['keeps rate of network peer sent failures above', 0.01],
      ['fires when the result is above', 0],
      ['for', 20 * 60_000],
    ]);
    const window = ts[1];
    expect(window && etcdMembersDown.expr.slice(window.from, window.to)).toBe('120s');
    expect(window?.step).toBe(30_000);
  });

  // Issue 13: "threshold ==", "threshold > (1)" and a truncated metric name said nothing.
  it.each([
    [naiveUpRule, ['fires when up is equal to', 'for']],
    [
      etcdInsufficientMembers,
      ['counts up equal to', 'added to count of up', 'divisor of count of up', 'for'],
    ],
    [
      rulePresets.find((r) => r.id === 'etcdHighFsyncDurations'),
      [
        'quantile (φ) of disk wal fsync duration seconds',
        'rate window of disk wal fsync duration seconds',
        'fires when quantile of disk wal fsync duration seconds is above',
        'for',
      ],
    ],
    [
      rulePresets.find((r) => r.id === 'etcdExcessiveDatabaseGrowth'),
      [
        'predict linear window of mvcc db total size in bytes',
        'part of seconds ahead of mvcc db total size in bytes (1)',
        'part of seconds ahead of mvcc db total size in bytes (2)',
        'part of seconds ahead of mvcc db total size in bytes (3)',
        'for',
      ],
    ],
  ])('names what each number of %s tunes in words', (rule, labels) => {
    if (!rule) throw new Error('no rule');
    expect(findTunables(rule, 30_000).map((t) => t.label)).toEqual(labels);
  });

  it('names no number of any offered rule by an operator or a raw metric name', () => {
    for (const rule of rulePresets)
      for (const t of findTunables(rule, 30_000)) {
        expect(t.label).not.toMatch(/threshold|[=<>!]|\(…\)|_/);
      }
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
      label: 'rate window of network peer sent failures',
      value: 5 * 60_000,
      contains: '[5m])) > 0.01',
    },
    {
      label: 'keeps rate of network peer sent failures above',
      value: 0.1 + 0.2,
      contains: '[120s])) > 0.3\n',
    },
    { label: 'fires when the result is above', value: 1, contains: ')\n> 1' },
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
    const window = rangeOf(etcdMembersDown, 'rate window of network peer sent failures');
    expect([window.min, window.max]).toEqual([30_000, 3_600_000]);
    const forT = rangeOf(etcdMembersDown, 'for');
    expect([forT.min, forT.max]).toEqual([0, 3_600_000]);
    const threshold = rangeOf(etcdMembersDown, 'keeps rate of network peer sent failures above');
    expect([threshold.min, threshold.max]).toEqual([0, 1]);
  });

  it.each([
    'keeps rate of network peer sent failures above',
    'for',
    'rate window of network peer sent failures',
  ])('keeps the range of %s where it is while the value is dragged to its end, twice', (label) => {
    let rule = etcdMembersDown;
    const first = rangeOf(rule, label);
    for (let i = 0; i < 5; i++) {
      const t = rangeOf(rule, label);
      expect([t.min, t.max]).toEqual([first.min, first.max]);
      rule = applyTunable(rule, t, t.max);
    }
    expect(rangeOf(rule, label).value).toBe(first.max);
  });

  it('widens a number beyond the data to a nice end that holds it, and no further', () => {
    const rule = { ...naiveUpRule, expr: 'up > 3.7' };
    const t = findTunables(rule, 30_000, bounds).find((x) => x.kind === 'number');
    expect([t?.min, t?.max]).toEqual([0, 5]);
    expect(niceCeil(5)).toBe(5);
    expect(niceCeil(0.011)).toBe(0.02);
  });
});

describe('retune', () => {
  // Every preset's every tunable, set to values a slider gives (its ends, a step in, values with
  // long or exponent spellings), with and without the page's bounds: the rule and tunables are
  // what applyTunable and findTunables make of them, or null (findTunables must then read it).
  const boundsCases: (TuneBounds | undefined)[] = [
    undefined,
    { durationMs: 6 * 3600_000, data: { min: 0, max: 3.5 } },
    { durationMs: 3600_000, data: null },
  ];
  it('agrees with findTunables on the new rule, or leaves it to findTunables', () => {
    let odd = 0;
    for (const rule of [...rulePresets, { ...naiveUpRule, expr: 'up{job="x"} < -2' }])
      for (const bounds of boundsCases)
        for (const grid of [15_000, 60_000]) {
          const tunables = findTunables(rule, grid, bounds);
          for (const t of tunables) {
            const onGrid = [t.min, t.max, t.min + t.step, t.min + 7 * t.step, t.value];
            const odder = [0.30000000000000004, 1e-7, 123456789, -3];
            for (const v of [...onGrid, ...odder]) {
              const r = retune(rule, tunables, t, v, grid, bounds);
              const next = applyTunable(rule, t, v);
              if (r === null) {
                // A drag's steps on a slider of a plain number are plain: they are never left.
                expect(
                  onGrid.includes(v) && t.value >= 0 && v >= 0,
                  `${rule.id} ${t.key} ${v}`,
                ).toBe(false);
                odd++;
                continue;
              }
              expect(r.rule).toEqual(next);
              expect(r.tunables, `${rule.id} ${t.key} ${v}`).toEqual(
                findTunables(next, grid, bounds),
              );
            }
          }
        }
    expect(odd).toBeGreaterThan(0);
  });
});
