// The backtest mode's glue: time inputs, incident marks as ground truth, and a rule's result
// shaped as the playground's RuleView.
import { describe, expect, it } from 'vitest';
import {
  chartLines,
  draftToSpec,
  incidentTruth,
  parseIncidents,
  ruleView,
} from '../../src/app/backtest/model.ts';
import { alertIntervals, replayRule, stepTimes } from '../../src/backtest/index.ts';
import { parseTimeInput } from '../../src/text/index.ts';
import { naiveUpRule } from '../../src/lab/index.ts';
import { isRealFailure } from '../../src/lab/index.ts';

const M = 60_000;
const NOW = Date.UTC(2026, 0, 1, 12);

describe('parseTimeInput', () => {
  it.each([
    ['now', NOW],
    ['now-1h', NOW - 60 * M],
    ['now+5m', NOW + 5 * M],
    ['1700000000', 1_700_000_000_000],
    ['2026-01-01T10:00:00Z', Date.UTC(2026, 0, 1, 10)],
    ['yesterday', null],
    ['now-x', null],
  ])('%s', (text, want) => {
    expect(parseTimeInput(text, NOW)).toBe(want);
  });
});

describe('incidents', () => {
  it('parses one mark per line and skips blanks and comments', () => {
    expect(parseIncidents('# outage\nnow-30m now-20m\n\n', NOW)).toEqual({
      ok: true,
      incidents: [{ from: NOW - 30 * M, to: NOW - 20 * M }],
    });
    expect(parseIncidents('now-30m\n', NOW)).toEqual({ ok: false, line: 1 });
    expect(parseIncidents('now now-1m', NOW)).toEqual({ ok: false, line: 1 });
  });

  it('marks the times inside an incident as real failures', () => {
    const truth = incidentTruth([0, M, 2 * M, 3 * M], [{ from: M, to: 3 * M }]);
    // A marked time is a failure of the cluster as a whole: no member is named.
    expect(truth.map((t) => isRealFailure(t))).toEqual([false, true, true, false]);
    expect(truth.every((t) => t.down.length === 0)).toBe(true);
  });
});

describe('ruleView', () => {
  it('shapes the replay for the charts, bands and scorecard', () => {
    const rule = { ...naiveUpRule, forMs: M };
    const times = stepTimes(10 * M, 20 * M, M);
    const series = [
      {
        labels: { instance: 'a' },
        points: times.filter((t) => t >= 12 * M && t <= 16 * M).map((t) => [t, 0] as const),
      },
    ];
    const timeline = replayRule(draftToSpec(rule), times, series);
    const res = {
      rule: draftToSpec(rule),
      times,
      series,
      timeline,
      intervals: alertIntervals(rule.alert, timeline),
    };
    const view = ruleView(rule, res, 10 * M, M, [{ from: 12 * M, to: 17 * M }]);
    expect(view.spans).toEqual([
      { from: 0, to: 2 * M, state: 'inactive' },
      { from: 2 * M, to: 3 * M, state: 'pending' },
      { from: 3 * M, to: 7 * M, state: 'firing' },
      { from: 7 * M, to: 10 * M, state: 'inactive' },
    ]);
    // Pending for the first minute of the incident: 1m to firing, 1m missed.
    expect(view.scorecard?.episodes).toEqual([
      { from: 2 * M, to: 7 * M, member: null, detectionDelay: M, missedMs: M },
    ]);
    expect(view.scorecard?.falseFiringMs).toBe(0);
    expect(chartLines(times, series)[0]?.values).toEqual([
      null,
      null,
      0,
      0,
      0,
      0,
      0,
      null,
      null,
      null,
      null,
    ]);
  });
});
