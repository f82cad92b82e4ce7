// Replays the playground's alert state machine (AlertingRule from src/rules) on a server's range
// query result: at each evaluation time the rule sees the series that have a point there; a
// time with no point is an empty evaluation, as the rule manager would see it.
import {
  replayAlerts,
  type AlertRuleSpec,
  type AlertState,
  type AlertTimeline,
  type QueryFn,
  type QuerySample,
} from '../rules/index.ts';
import type { RangeSeries } from './client.ts';

/** One stretch of an alert in a state: [from, to), `to` null when it lasts past the end. */
export interface AlertInterval {
  readonly alertname: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing';
  readonly from: number;
  readonly to: number | null;
}

/** The samples at each time, from range query series. */
export function samplesByTime(series: readonly RangeSeries[]): Map<number, QuerySample[]> {
  const byT = new Map<number, QuerySample[]>();
  for (const s of series) {
    for (const [t, v] of s.points) {
      let list = byT.get(t);
      if (!list) byT.set(t, (list = []));
      list.push({ labels: s.labels, v });
    }
  }
  return byT;
}

/** Runs the rule's state machine at each time over the expression's results. */
export function replayRule(
  rule: AlertRuleSpec,
  times: readonly number[],
  series: readonly RangeSeries[],
  opts: { compat?: 'v2' | 'v3' } = {},
): AlertTimeline {
  const byT = samplesByTime(series);
  const query: QueryFn = (expr, t) =>
    expr === rule.expr
      ? { ok: true, samples: byT.get(t) ?? [] }
      : { ok: false, message: 'template queries are not evaluated in a backtest' };
  return replayAlerts(rule, times, query, opts.compat ?? 'v3');
}

/** Each alert's pending and firing stretches, in time order, from a timeline's transitions. */
export function alertIntervals(alertname: string, timeline: AlertTimeline): AlertInterval[] {
  const out: AlertInterval[] = [];
  for (const a of timeline.alerts) {
    const { transitions } = a;
    transitions.forEach((tr, i) => {
      if (tr.state === 'inactive') return;
      const next = transitions[i + 1];
      out.push({
        alertname,
        labels: a.labels,
        state: tr.state,
        from: tr.t,
        to: next ? next.t : null,
      });
    });
  }
  return out.sort(
    (x, y) => x.from - y.from || labelText(x.labels).localeCompare(labelText(y.labels)),
  );
}

/** The rule's worst state at each evaluation. */
export function ruleStates(timeline: AlertTimeline): AlertState[] {
  return timeline.steps.map((s) => s.state);
}

/** `{a="1", b="2"}` with the labels sorted. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k] ?? '')}`)
    .join(', ')}}`;
}
