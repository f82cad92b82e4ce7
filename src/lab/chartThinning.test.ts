import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/index.ts';
import { newThinMemo, thinChart, thinView } from './chartThinning.ts';
import { evaluateView } from './evaluateView.ts';
import { defaultRules } from './rulePresets.ts';
import { simulated } from './source.ts';

const line = (key: string, values: (number | null)[]) => ({ key, labels: {}, values });

describe('thinChart', () => {
  it('leaves a short timeline alone', () => {
    const times = Array.from({ length: 241 }, (_, i) => i * 15_000);
    expect(
      thinChart(times, [
        line(
          'a',
          times.map(() => 1),
        ),
      ]),
    ).toBeNull();
  });

  it('keeps a one-sample spike of a day, at its time', () => {
    const times = Array.from({ length: 5761 }, (_, i) => i * 15_000);
    const thin = thinChart(times, [
      line(
        'a',
        times.map((_, j) => (j === 3001 ? 7 : 0)),
      ),
    ]);
    const at = thin?.times.indexOf(times[3001]!) ?? -1;
    expect(at).toBeGreaterThan(0);
    expect(thin?.lines[0]?.values[at]).toBe(7);
    expect(thin?.times.at(-1)).toBe(times.at(-1));
  });
});

describe('thinView', () => {
  // A day at 15s: 5761 evaluations.
  const view = evaluateView(
    simulated({
      ...defaultScenario,
      duration: 24 * 3600_000,
      scrapeInterval: 15_000,
      evaluationInterval: 15_000,
    }),
    defaultRules,
  );
  const memo = newThinMemo();
  const thin = thinView(view, memo);

  it('sends each chart at its rows, the values there as evaluated', () => {
    const charts = [
      ...thin.raw.map((c, i) => [c, view.raw[i]!] as const),
      ...thin.rules.map((r, i) => [r, view.rules[i]!] as const),
    ];
    for (const [t, full] of charts) {
      if (full.lines.length === 0) continue;
      expect(t.chartTimes?.length).toBeLessThan(view.times.length / 4);
      t.lines.forEach((l, i) =>
        t.chartTimes?.forEach((time, k) =>
          expect(l.values[k]).toBe(full.lines[i]?.values[view.times.indexOf(time)]),
        ),
      );
    }
  });

  it('keeps the time axis, the states and the truth at every evaluation', () => {
    expect(thin.times).toBe(view.times);
    thin.rules.forEach((r, i) => expect(r.states).toBe(view.rules[i]?.states));
    expect(thin.truth).toEqual(view.truth);
    // Equal evaluations share one object: a copy to the page writes each once.
    expect(new Set(thin.truth).size).toBeLessThan(50);
  });

  it('thins what it thinned before only once', () => {
    const again = thinView(view, memo);
    expect(again.raw).toBe(thin.raw);
    again.rules.forEach((r, i) => expect(r).toBe(thin.rules[i]));
    expect(again.truth).toBe(thin.truth);
  });
});
