// One candidate rule: its expression, the expression's value over time, its alert states, and the
// button that exports it as a Prometheus rule file.
import { useMemo, type ReactNode } from 'react';
import type { AlertState } from '../../rules/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import type { ChartLine, RuleView, StateSpan } from '../../lab/index.ts';
import type { EventMarker } from '../../lab/index.ts';
import type { RewriteCheck, RuleLint } from '../../lab/index.ts';
import { formatOffset, summarizeSpans } from './format.ts';
import { StateBand } from './StateBand.tsx';
import { TimeChart } from './TimeChart.tsx';

/** A band state: the alert's, or none because Prometheus was down and evaluated nothing. */
type BandState = AlertState | 'unevaluated';

const stateNames: Record<BandState, string> = {
  inactive: 'inactive',
  pending: 'pending',
  firing: 'firing',
  unevaluated: 'not evaluated / no data (Prometheus down)',
};

const describeState = (s: BandState) => stateNames[s];

const noSpans: readonly StateSpan<BandState>[] = [];

/** Props of a rule panel. */
export interface RulePanelProps {
  readonly rule: RuleDraft;
  readonly view: RuleView | undefined;
  readonly times: readonly number[];
  readonly cursor: number;
  readonly onCursor: (t: number) => void;
  readonly onExport: () => void;
  readonly lineName: (line: ChartLine) => string;
  readonly lineColor?: (line: ChartLine, i: number) => string;
  /** The scenario's events, marked on the rule's chart. */
  readonly markers?: readonly EventMarker[];
  readonly selected: boolean;
  readonly editing: boolean;
  readonly onSelect: () => void;
  readonly onEdit: () => void;
  readonly onRemove: () => void;
  /** Findings about the rule on this scenario. */
  readonly lints: readonly RuleLint[];
  /** The rule's editor, shown while editing. */
  readonly editor: ReactNode;
  /** The rewrite a finding offers, as the engine checked it on every preset. */
  readonly fix?: RewriteCheck | undefined;
  readonly onApplyFix?: (check: RewriteCheck) => void;
}

/** The fix a finding offers, or why the engine did not offer it. */
function FixOffer({
  check,
  alert,
  onApply,
}: {
  check: RewriteCheck;
  alert: string;
  onApply: (check: RewriteCheck) => void;
}) {
  const presets = check.rows.length;
  if (!check.offered) {
    const worse = check.rows.find((r) => r.worse !== null);
    return (
      <p className="note fix-refused" data-testid={`fix-${check.rewrite.ruleId}`}>
        A rewrite that keeps both sides of <code>or</code> was checked on all {presets} presets and
        is not offered: on {worse?.preset ?? 'a preset'} {worse?.worse ?? 'it does worse'}.
      </p>
    );
  }
  const gains = check.rows.filter((r) => r.gained > 0).map((r) => r.preset);
  return (
    <div className="fix" data-testid={`fix-${check.rewrite.ruleId}`}>
      <p>
        <strong>Fix:</strong> filter the left side of <code>or</code> by the rule’s threshold, so
        the right side counts wherever the left says nothing. Checked on all {presets} presets: it
        catches everything the original caught
        {check.gained > 0
          ? `, and ${check.gained} more ${check.gained === 1 ? 'failure' : 'failures'} (${gains.join(', ')})`
          : ''}
        , and by the rule’s intent it is no worse on any.
      </p>
      <pre className="expr">{check.rewrite.after}</pre>
      <button
        type="button"
        className="button"
        onClick={() => onApply(check)}
        aria-label={`Apply the rewrite to ${alert}`}
      >
        Apply the rewrite
      </button>
    </div>
  );
}

/** Shows one rule's expression, value chart and state band. */
export function RulePanel(props: RulePanelProps) {
  const { rule, view, times, cursor, onCursor, onExport, lineName, selected, editing } = props;
  const threshold = view?.threshold;
  const chartThreshold = useMemo(
    () =>
      threshold
        ? { value: threshold.value, label: `fires where ${threshold.op} ${threshold.value}` }
        : null,
    [threshold],
  );
  // The findings of the lint, then what Prometheus itself says of the query.
  const annotations = view?.annotations;
  const lints = useMemo(
    () => (annotations?.length ? [...props.lints, ...annotations] : props.lints),
    [props.lints, annotations],
  );
  const end = times[times.length - 1] ?? 0;
  const step = times.length > 1 ? (times[1] ?? 0) - (times[0] ?? 0) : 0;
  const cursorIndex = step > 0 ? Math.min(times.length - 1, Math.floor(cursor / step)) : 0;
  const stateAtCursor = view?.states[cursorIndex] ?? 'inactive';
  // A rule whose expression failed was not evaluated: it claims no state.
  const broken = Boolean(view?.error);
  // Nor does it while Prometheus is down: those spans are drawn over the alert's.
  const viewSpans = view?.spans;
  const unevaluated = view?.unevaluated;
  const bandSpans = useMemo(
    () =>
      unevaluated?.length
        ? [...(viewSpans ?? []), ...unevaluated]
        : ((viewSpans as readonly StateSpan<BandState>[] | undefined) ?? noSpans),
    [viewSpans, unevaluated],
  );
  const down = unevaluated?.some((s) => s.from <= cursor && cursor < s.to) ?? false;
  const beside = view?.beside;
  return (
    <section
      className={`panel rule ${selected ? 'rule-selected' : ''} ${editing ? 'rule-editing' : ''}`}
      aria-labelledby={`rule-${rule.id}`}
      data-testid={`rule-${rule.id}`}
      data-lesson-target={`rule:${rule.id}`}
    >
      <header className="panel-header">
        <h2 id={`rule-${rule.id}`}>{rule.alert}</h2>
        <span className="pill">for: {formatOffset(rule.forMs)}</span>
        {selected ? (
          <span
            className="pill pill-selected"
            title="The wide border marks the rule that Explain and Tune show"
          >
            explained and tuned below
          </span>
        ) : null}
        {Object.entries(rule.labels).map(([k, v]) => (
          <span key={k} className="pill">
            {k}: {v}
          </span>
        ))}
        <span className="panel-actions">
          <button type="button" className="button" onClick={props.onSelect} aria-pressed={selected}>
            Explain
          </button>
          <button type="button" className="button" onClick={props.onEdit} aria-expanded={editing}>
            {editing ? 'Done' : 'Edit'}
          </button>
          <button type="button" className="button" onClick={onExport}>
            Export rule file
          </button>
          <button
            type="button"
            className="button"
            onClick={props.onRemove}
            aria-label={`Remove ${rule.alert}`}
          >
            Remove
          </button>
        </span>
      </header>
      {editing ? props.editor : <pre className="expr">{rule.expr}</pre>}
      <p className="note">{rule.note}</p>
      {lints.length > 0 ? (
        <ul
          className="lints"
          aria-label={`Findings about ${rule.alert}`}
          data-testid={`lints-${rule.id}`}
        >
          {lints.map((l, i) => (
            <li key={i} className={`lint lint-${l.severity}`}>
              {l.snippet !== undefined ? (
                <>
                  <code>{l.snippet}</code>{' '}
                </>
              ) : null}
              {l.message}
            </li>
          ))}
        </ul>
      ) : null}
      {props.fix &&
      props.onApplyFix &&
      lints.some((l) => l.from === props.fix?.rewrite.from && l.to === props.fix?.rewrite.to) ? (
        <FixOffer check={props.fix} alert={rule.alert} onApply={props.onApplyFix} />
      ) : null}
      {view?.error ? (
        <p className="error" role="alert">
          {view.error}
        </p>
      ) : null}
      <TimeChart
        title={view?.threshold ? 'Value before the threshold' : 'Expression value'}
        query={view?.valueQuery ?? rule.expr}
        threshold={chartThreshold}
        times={view?.chartTimes ?? times}
        thinned={view?.chartTimes !== undefined}
        lines={view?.lines ?? []}
        seriesCount={view?.seriesCount}
        cursor={cursor}
        onCursor={onCursor}
        height={110}
        lineName={lineName}
        lineColor={props.lineColor}
        emptyText="No series at any evaluation in this scenario."
        testId={`rule-${rule.id}-value`}
        markers={props.markers}
      />
      <StateBand
        label={beside ? 'recorded' : 'alert'}
        spans={bandSpans}
        end={end}
        cursor={cursor}
        onCursor={onCursor}
        describe={describeState}
        testId={`rule-${rule.id}-band`}
        emptyText={broken ? 'not evaluated' : undefined}
      />
      {beside ? (
        <>
          <StateBand
            label="simulated"
            spans={beside.simulated}
            end={end}
            cursor={cursor}
            onCursor={onCursor}
            describe={describeState}
            testId={`rule-${rule.id}-band-simulated`}
            emptyText="not evaluated"
          />
          {beside.prometheus ? (
            <StateBand
              label="ALERTS"
              spans={beside.prometheus}
              end={end}
              cursor={cursor}
              onCursor={onCursor}
              describe={describeState}
              testId={`rule-${rule.id}-band-prometheus`}
            />
          ) : null}
        </>
      ) : null}
      <p className="rule-summary">
        At {formatOffset(cursor)}:{' '}
        <strong
          className={`state-text state-${broken || down ? 'unevaluated' : stateAtCursor}`}
          data-testid={`rule-${rule.id}-state`}
        >
          {broken ? 'not evaluated' : down ? 'not evaluated (Prometheus down)' : stateAtCursor}
        </strong>
        .{' '}
        <span data-testid={`rule-${rule.id}-spans`}>
          {broken
            ? 'The expression has an error, so the rule was never evaluated: it has no alert state.'
            : summarizeSpans(view?.spans ?? [])}
        </span>
      </p>
      {beside ? (
        <p className="rule-summary" data-testid={`rule-${rule.id}-beside`}>
          <em>recorded</em>: this rule on the recorded series, evaluated by Quorum Lab’s engine.{' '}
          <em>simulated</em>: on the simulation of the same scenario:{' '}
          {summarizeSpans(beside.simulated)}{' '}
          {beside.prometheus ? (
            <>
              <em>ALERTS</em>: what the real Prometheus wrote while it evaluated this rule:{' '}
              {summarizeSpans(beside.prometheus)}
            </>
          ) : (
            <>
              The real Prometheus evaluated another rule of this name (or none) during the
              recording, so its ALERTS are not shown here.
            </>
          )}
        </p>
      ) : null}
    </section>
  );
}
