// The alerting rule's state machine, as rules/alerting.go runs it on every evaluation: new
// label sets start Pending, turn Firing once `for` has elapsed, keep firing for
// `keep_firing_for` after they leave the output, and resolved alerts are kept for 15 minutes.
import type { Labels, QueryFn } from './engine.ts';
import { labelsKey, makeLabels } from '../promql/index.ts';
import { renderTemplate, type ParsedTemplates } from './template/expand.ts';

/** The state of one alert (or, for a rule, the worst state over its alerts). */
export type AlertState = 'inactive' | 'pending' | 'firing';

/** An alerting rule as the UI and the rule files describe it. Durations are ms. */
export interface AlertRuleSpec {
  alert: string;
  expr: string;
  for: number;
  keepFiringFor: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** One alert instance of a rule. Times are ms. */
export interface Alert {
  labels: Labels;
  annotations: Record<string, string>;
  state: AlertState;
  value: number;
  activeAt: number;
  firedAt: number | undefined;
  resolvedAt: number | undefined;
  keepFiringSince: number | undefined;
  /** The sample and time of the last evaluation that returned this alert (for deferred annotations). */
  source?: { labels: Readonly<Record<string, string>>; v: number; ts: number };
}

/** A sample a rule writes back to storage (ALERTS, ALERTS_FOR_STATE, recording rule output). */
export interface OutputSample {
  labels: Labels;
  t: number;
  v: number;
}

/** Where and how the rule's templates are expanded. */
export interface AlertingRuleOptions {
  externalLabels?: Readonly<Record<string, string>>;
  externalURL?: string;
  compat?: 'v2' | 'v3';
  /**
   * Leave annotations unexpanded at each evaluation; `expandAnnotations` renders them on demand
   * from the alert's last sample. Only for annotations that cannot depend on storage (no `query`),
   * since the storage may have moved on by the time they are expanded.
   */
  deferAnnotations?: boolean;
  /**
   * Parsed templates to share with other rules (keyed by compat mode and text, so any rules
   * may share one): a test run builds the same rules again for each of its test groups.
   */
  templates?: ParsedTemplates;
}

const RESOLVED_RETENTION = 15 * 60_000;

const STATE_ORDER: Record<AlertState, number> = { inactive: 0, pending: 1, firing: 2 };

/** The result of one evaluation: the ALERTS samples to write, or the error the rule reports. */
export type EvalResult =
  | { ok: true; output: OutputSample[]; samples: { labels: Labels; v: number }[] }
  | { ok: false; error: string };

/** What an evaluation that returned nothing, with no alert active, gives (shared: read only). */
const IDLE: EvalResult = Object.freeze({
  ok: true,
  output: Object.freeze([]) as unknown as OutputSample[],
  samples: Object.freeze([]) as unknown as { labels: Labels; v: number }[],
});

/** An alerting rule with its active alerts. */
export class AlertingRule {
  /** Active alerts (pending, firing, and resolved ones still retained), by label-set key. */
  readonly active = new Map<string, Alert>();

  /** True when no label is a template: an alert's labels then depend on its sample's alone. */
  private readonly staticLabels: boolean;
  /** An input sample's label set (the same object from step to step) to its alert's labels. */
  // (Both maps made when first needed: a test run builds every rule again for each test group,
  // and most rules never return a sample there.)
  private alertLabels: WeakMap<object, { labels: Labels; key: string }> | null = null;
  /** Each alert's ALERTS and ALERTS_FOR_STATE label sets, for the state they were made in. */
  private outputLabels: WeakMap<
    Alert,
    { state: AlertState; alerts: Labels; forState: Labels }
  > | null = null;
  /** The rule's label and annotation templates, each parsed once. */
  private readonly templates: ParsedTemplates;

  constructor(
    readonly spec: AlertRuleSpec,
    private readonly opts: AlertingRuleOptions = {},
  ) {
    this.staticLabels = Object.values(spec.labels).every((v) => !v.includes('{{'));
    this.templates = opts.templates ?? new Map();
  }

  get name(): string {
    return this.spec.alert;
  }

  /** Evaluates the rule at `ts` (ms); `queryOffset` shifts the query back (group query_offset). */
  eval(ts: number, query: QueryFn, queryOffset = 0, limit = 0): EvalResult {
    const res = query(this.spec.expr, ts - queryOffset);
    if (!res.ok) return { ok: false, error: res.message };
    // Nothing returned and no alert active (most evaluations of most rules): nothing changes
    // and nothing is written, so nothing is allocated.
    if (res.samples.length === 0 && this.active.size === 0) return IDLE;

    // The label keys of this evaluation's samples (none: no set is made).
    const resultKeys = res.samples.length > 0 ? this.addSamples(res.samples, ts, query) : null;
    if (typeof resultKeys === 'string') return { ok: false, error: resultKeys };

    const output: OutputSample[] = [];
    let numActivePending = 0;
    // Entries deleted while a Map is iterated are not visited again; none is added meanwhile.
    this.active.forEach((a, key) => {
      if (resultKeys === null || !resultKeys.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.spec.keepFiringFor > 0) {
          if (a.keepFiringSince === undefined) a.keepFiringSince = ts;
          if (ts - a.keepFiringSince < this.spec.keepFiringFor) keepFiring = true;
        }
        if (
          a.state === 'pending' ||
          (a.resolvedAt !== undefined && ts - a.resolvedAt > RESOLVED_RETENTION)
        ) {
          this.active.delete(key);
        }
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAt = ts;
        }
        if (!keepFiring) return;
      } else {
        a.keepFiringSince = undefined;
      }
      numActivePending++;
      if (a.state === 'pending' && ts - a.activeAt >= this.spec.for) {
        a.state = 'firing';
        a.firedAt = ts;
      }
      this.outputLabels ??= new WeakMap();
      let out = this.outputLabels.get(a);
      if (out === undefined || out.state !== a.state) {
        out = {
          state: a.state,
          alerts: makeLabels({
            ...a.labels,
            __name__: 'ALERTS',
            alertname: this.spec.alert,
            alertstate: a.state,
          }),
          forState: makeLabels({
            ...a.labels,
            __name__: 'ALERTS_FOR_STATE',
            alertname: this.spec.alert,
          }),
        };
        this.outputLabels.set(a, out);
      }
      output.push(
        { labels: out.alerts, t: ts - queryOffset, v: 1 },
        { labels: out.forState, t: ts - queryOffset, v: Math.floor(a.activeAt / 1000) },
      );
    });

    if (limit > 0 && numActivePending > limit) {
      this.active.clear();
      return { ok: false, error: `exceeded limit of ${limit} with ${numActivePending} alerts` };
    }
    return { ok: true, output, samples: res.samples };
  }

  /**
   * Makes an alert of each sample (or updates the active one of its labels); returns their
   * keys, or the error when two samples make one label set (then nothing has changed).
   */
  private addSamples(
    samples: readonly { labels: Labels; v: number }[],
    ts: number,
    query: QueryFn,
  ): Set<string> | string {
    const resultKeys = new Set<string>();
    const fresh: Alert[] = [];
    const freshKeys: string[] = [];
    const defer = this.opts.deferAnnotations === true;
    for (let i = 0; i < samples.length; i++) {
      const smpl = samples[i]!;
      this.alertLabels ??= new WeakMap();
      let made = this.staticLabels ? this.alertLabels.get(smpl.labels) : undefined;
      if (made === undefined) {
        const lb: Record<string, string> = { ...smpl.labels };
        delete lb['__name__'];
        for (const [k, v] of Object.entries(this.spec.labels)) {
          lb[k] = this.expand(v, smpl, ts, query);
        }
        lb['alertname'] = this.spec.alert;
        const labels = makeLabels(lb);
        made = { labels, key: labelsKey(labels) };
        if (this.staticLabels) this.alertLabels.set(smpl.labels, made);
      }
      const { labels, key } = made;
      const annotations = defer ? {} : this.expandAll(smpl, ts, query);
      if (resultKeys.has(key)) {
        return 'vector contains metrics with the same labelset after applying alert labels';
      }
      resultKeys.add(key);
      freshKeys.push(key);
      fresh.push({
        labels,
        annotations,
        state: 'pending',
        value: smpl.v,
        activeAt: ts,
        firedAt: undefined,
        resolvedAt: undefined,
        keepFiringSince: undefined,
        source: defer ? { labels: smpl.labels, v: smpl.v, ts } : undefined,
      });
    }

    for (let i = 0; i < fresh.length; i++) {
      const key = freshKeys[i]!;
      const a = fresh[i]!;
      const existing = this.active.get(key);
      if (existing && existing.state !== 'inactive') {
        existing.value = a.value;
        existing.annotations = a.annotations;
        existing.source = a.source;
        continue;
      }
      this.active.set(key, a);
    }
    return resultKeys;
  }

  private expand(
    text: string,
    smpl: { labels: Readonly<Record<string, string>>; v: number },
    ts: number,
    query: QueryFn,
  ): string {
    // Text without an action renders as itself.
    if (!text.includes('{{')) return text;
    return renderTemplate(
      text,
      {
        alertName: this.spec.alert,
        labels: smpl.labels,
        value: smpl.v,
        externalLabels: this.opts.externalLabels,
        externalURL: this.opts.externalURL,
        timestamp: ts,
        compat: this.opts.compat,
        query: (q, t) => {
          const r = query(q, t);
          return r.ok ? r.samples : { error: r.message };
        },
      },
      this.templates,
    );
  }

  private expandAll(
    smpl: { labels: Readonly<Record<string, string>>; v: number },
    ts: number,
    query: QueryFn,
  ): Record<string, string> {
    const annotations: Record<string, string> = {};
    for (const k of Object.keys(this.spec.annotations).sort()) {
      annotations[k] = this.expand(this.spec.annotations[k] ?? '', smpl, ts, query);
    }
    return annotations;
  }

  /**
   * An alert's annotations: as expanded at its last evaluation, or, with `deferAnnotations`,
   * expanded now from its last sample (`query` is then only a formality: such rules' templates
   * do not query).
   */
  expandAnnotations(a: Alert, query: QueryFn): Record<string, string> {
    return a.source ? this.expandAll(a.source, a.source.ts, query) : a.annotations;
  }

  /** The worst state over the rule's alerts (firing > pending > inactive). */
  state(): AlertState {
    let max: AlertState = 'inactive';
    for (const a of this.active.values())
      if (STATE_ORDER[a.state] > STATE_ORDER[max]) max = a.state;
    return max;
  }

  /** Alerts that are not resolved (what promtool compares, after keeping the firing ones). */
  activeAlerts(): Alert[] {
    return [...this.active.values()].filter((a) => a.resolvedAt === undefined);
  }
}
