// A rule group evaluated as rules/group.go does: rules run in order at each timestamp, every
// rule's output (recording rule series, ALERTS and ALERTS_FOR_STATE) is appended to storage
// at once so later rules of the group see it, and series a rule stops returning get a
// staleness marker.
import type { AlertingRule, OutputSample } from './alerting.ts';
import type { Labels, QueryFn, SeriesStore } from './engine.ts';
import { labelsKey, makeLabels } from '../promql/index.ts';

/** A recording rule. */
export interface RecordingRuleSpec {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

/** A recording rule's evaluation state (only its name and last error matter). */
export class RecordingRule {
  constructor(readonly spec: RecordingRuleSpec) {}

  get name(): string {
    return this.spec.record;
  }

  /** Evaluates the rule at `ts`; returns its output samples or the error. */
  eval(
    ts: number,
    query: QueryFn,
    queryOffset = 0,
    limit = 0,
  ): { ok: true; output: OutputSample[] } | { ok: false; error: string } {
    const res = query(this.spec.expr, ts - queryOffset);
    if (!res.ok) return { ok: false, error: res.message };
    const output: OutputSample[] = [];
    const seen = new Set<string>();
    for (const s of res.samples) {
      const labels = makeLabels({
        ...s.labels,
        __name__: this.spec.record,
        ...this.spec.labels,
      });
      const key = labelsKey(labels);
      if (seen.has(key)) {
        return {
          ok: false,
          error: 'vector contains metrics with the same labelset after applying rule labels',
        };
      }
      seen.add(key);
      output.push({ labels, t: ts - queryOffset, v: s.v });
    }
    if (limit > 0 && output.length > limit) {
      return { ok: false, error: `exceeded limit of ${limit} with ${output.length} series` };
    }
    return { ok: true, output };
  }
}

/** A rule of a group. */
export type Rule = AlertingRule | RecordingRule;

/** Evaluation settings of a group (durations in ms). */
export interface GroupSettings {
  name: string;
  queryOffset: number;
  limit: number;
}

/** A rule group with the storage it writes to. */
export class RuleGroup {
  /** The last error of each rule (undefined when its last evaluation succeeded). */
  readonly lastErrors: (string | undefined)[];
  /** Each rule's output series of its last evaluation (undefined: none yet). */
  private seriesInPreviousEval: (Map<string, Labels> | undefined)[];
  /**
   * Label keys the group has computed, per label set: its alerting rules hand back the same
   * ALERTS and ALERTS_FOR_STATE label objects at every evaluation. The group's own state, as
   * Prometheus's Group keeps seriesInPreviousEval, so it lives as long as the group.
   */
  private keys: WeakMap<Labels, string> | null = null;

  constructor(
    readonly settings: GroupSettings,
    readonly rules: Rule[],
  ) {
    this.lastErrors = rules.map(() => undefined);
    this.seriesInPreviousEval = rules.map(() => undefined);
  }

  /** labelsKey of a label set, remembered for the group's lifetime. */
  keyOf(labels: Labels): string {
    this.keys ??= new WeakMap();
    let key = this.keys.get(labels);
    if (key === undefined) {
      key = labelsKey(labels);
      this.keys.set(labels, key);
    }
    return key;
  }

  /**
   * Evaluates every rule at `ts`, appending outputs to `store` (which `query` reads) as
   * Prometheus's TSDB head does: a sample at the time of the series' newest sample with another
   * value is refused ("duplicate sample for timestamp", two rules writing one series, such as
   * ALERTS_FOR_STATE of two alerts with the same name and labels), one older than it too ("out of
   * order sample"). A refused sample fails its rule, but for staleness markers, whose refusal
   * Prometheus expects when another rule writes the series.
   */
  eval(ts: number, query: QueryFn, store: SeriesStore): void {
    const write: SampleSink = (labels, t, v) => {
      const last = store.lastSample(labels);
      if (last !== null) {
        if (t < last[0]) return 'out of order sample';
        if (t === last[0]) {
          // The same value again is no error (Prometheus compares the float bits; a marker only
          // equals a marker).
          if (v === null || last[1] === null) return v === last[1] ? undefined : DUPLICATE;
          return Object.is(v, last[1]) || (Number.isNaN(v) && Number.isNaN(last[1]))
            ? undefined
            : DUPLICATE;
        }
      }
      store.addSeries(labels, [[t, v]]);
      return undefined;
    };
    for (let i = 0; i < this.rules.length; i++) this.evalRule(i, ts, query, write);
  }

  /**
   * Evaluates rule `i` at `ts`, handing its output (and staleness markers for series it no
   * longer returns) to `write`. Rules of a group keep separate state, so a caller may evaluate
   * one rule over many timestamps before the next, as long as each rule sees its times in order.
   */
  evalRule(i: number, ts: number, query: QueryFn, write: SampleSink): void {
    const rule = this.rules[i];
    if (rule === undefined) return;
    const { queryOffset, limit } = this.settings;
    const res = rule.eval(ts, query, queryOffset, limit);
    if (!res.ok) {
      this.lastErrors[i] = res.error;
      return;
    }
    this.lastErrors[i] = undefined;
    const output = res.output;
    const before = this.seriesInPreviousEval[i];
    // No output now and none before (a rule whose alerts are all inactive): nothing to write.
    if (output.length === 0 && (before === undefined || before.size === 0)) return;
    const previous = before ?? new Map<string, Labels>();
    // The same series as before (an alert still firing) keep the map of the last evaluation.
    let same = output.length === previous.size;
    for (let o = 0; o < output.length; o++) {
      const s = output[o]!;
      const refused = write(s.labels, s.t, s.v);
      if (refused !== undefined) this.lastErrors[i] = refused;
      if (same && !previous.has(this.keyOf(s.labels))) same = false;
    }
    if (same) return;
    const returned = new Map<string, Labels>();
    for (let o = 0; o < output.length; o++) {
      const labels = output[o]!.labels;
      returned.set(this.keyOf(labels), labels);
    }
    previous.forEach((labels, key) => {
      // A refused marker is expected when another rule writes the series: no error.
      if (!returned.has(key)) write(labels, ts - queryOffset, null);
    });
    this.seriesInPreviousEval[i] = returned;
  }
}

/**
 * Receives one sample a rule writes (a null value is a staleness marker); returns why the
 * sample was refused, or undefined when it was taken.
 */
export type SampleSink = (labels: Labels, t: number, v: number | null) => string | undefined;

/** Prometheus's storage.ErrDuplicateSampleForTimestamp. */
const DUPLICATE = 'duplicate sample for timestamp';
