// The backtest mode's pure glue: rule drafts as alerting rules, time inputs, the user's incident
// marks as ground truth for the scorecard, and the server's answers shaped for the playground's
// charts and bands (times as offsets from the range start, as the shared time axis draws them).
import type { AlertRuleSpec, AlertState, AlertTimeline } from '../../rules/index.ts';
import { labelText, type RangeSeries, type RuleBacktest } from '../../backtest/index.ts';
import type { ChartLine, RuleView, StateSpan } from '../../lab/index.ts';
import { MAX_CHART_LINES, splitThreshold, toSpans } from '../../lab/index.ts';
import {
  alertFirings,
  computeScorecard,
  judgeScorecard,
  ruleIntent,
  type JudgedScorecard,
  type TruthSample,
} from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import { parseTimeInput } from '../../text/index.ts';

/** A playground rule as the alert state machine takes it. */
export function draftToSpec(d: RuleDraft): AlertRuleSpec {
  return {
    alert: d.alert,
    expr: d.expr,
    for: d.forMs,
    keepFiringFor: d.keepFiringForMs,
    labels: { ...d.labels },
    annotations: { ...d.annotations },
  };
}

export { parseTimeInput } from '../../text/index.ts';

/** The user's marks of real incidents: one per line, `START END` (time inputs), ms. */
export function parseIncidents(
  text: string,
  now: number,
): { ok: true; incidents: { from: number; to: number }[] } | { ok: false; line: number } {
  const incidents: { from: number; to: number }[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [a, b, ...rest] = line.split(/\s+/);
    const from = a === undefined ? null : parseTimeInput(a, now);
    const to = b === undefined ? null : parseTimeInput(b, now);
    if (from === null || to === null || rest.length > 0 || to < from) {
      return { ok: false, line: i + 1 };
    }
    incidents.push({ from, to });
  }
  return { ok: true, incidents };
}

/**
 * Ground truth at each time from the incident marks: a marked time counts as a failure of the
 * cluster as a whole (no member is named, so every alert of the rule counts for it).
 */
export function incidentTruth(
  times: readonly number[],
  incidents: readonly { from: number; to: number }[],
): TruthSample[] {
  return times.map((t) => ({
    down: [],
    partitioned: [],
    quorum: !incidents.some((i) => t >= i.from && t < i.to),
  }));
}

/**
 * A backtest rule's scorecard against the incidents marked by hand, judged by its intent: an
 * incident is a failure of the cluster, which any alert of the rule counts for.
 */
function judgedScorecard(
  draft: RuleDraft,
  offsets: readonly number[],
  timeline: AlertTimeline,
  times: readonly number[],
  incidents: readonly { from: number; to: number }[],
): JudgedScorecard {
  const alerts = alertFirings(timeline);
  const truth = incidentTruth(times, incidents);
  const sc = computeScorecard(offsets, alerts, truth);
  return { ...sc, judgement: judgeScorecard(sc, offsets, alerts, truth, [], ruleIntent(draft)) };
}

/** The server's series (the first MAX_CHART_LINES) as chart lines over the times. */
export function chartLines(times: readonly number[], series: readonly RangeSeries[]): ChartLine[] {
  const index = new Map(times.map((t, i) => [t, i]));
  return series.slice(0, MAX_CHART_LINES).map((s) => {
    const values: (number | null)[] = times.map(() => null);
    for (const [t, v] of s.points) {
      const i = index.get(t);
      if (i !== undefined) values[i] = v;
    }
    return { key: labelText(s.labels), labels: s.labels, values };
  });
}

/** One rule's result shaped as the playground's RuleView, times as offsets from `start`. */
export function ruleView(
  draft: RuleDraft,
  result: RuleBacktest,
  start: number,
  step: number,
  incidents: readonly { from: number; to: number }[],
): RuleView {
  const offsets = result.times.map((t) => t - start);
  const states: AlertState[] = result.timeline.steps.map((s) => s.state);
  const spans: StateSpan<AlertState>[] = toSpans(offsets, step, states);
  const split = splitThreshold(draft.expr);
  return {
    id: draft.id,
    alert: draft.alert,
    valueQuery: draft.expr,
    threshold: split?.threshold ?? null,
    lines: chartLines(result.times, result.series),
    seriesCount: result.series.length,
    states,
    returned: result.timeline.steps.map((s) => s.samples.length),
    spans,
    scorecard: result.error
      ? null
      : judgedScorecard(draft, offsets, result.timeline, result.times, incidents),
    error: result.error ? `${result.error.message}. ${result.error.hint}` : null,
    annotations: [],
  };
}
