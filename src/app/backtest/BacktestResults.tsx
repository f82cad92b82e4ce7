// The run's results: for each rule the server's values, the replayed alert band and intervals,
// its cross-check; then the scorecard against the user's incident marks.
import { useMemo } from 'react';
import { formatIntervals, labelText, type RuleBacktest } from '../../backtest/index.ts';
import type { RuleDraft, RuleView } from '../../lab/index.ts';
import { ScorecardPanel } from '../components/ScorecardPanel.tsx';
import { StateBand } from '../components/StateBand.tsx';
import { TimeChart } from '../components/TimeChart.tsx';
import { formatLabelsShort, formatOffset } from '../components/format.ts';
import { useBacktest, type BacktestRun } from '../state/backtest.ts';
import { CrossCheckPanel } from './CrossCheckPanel.tsx';
import { ErrorBox } from './ErrorBox.tsx';
import { parseIncidents, ruleView } from './model.ts';

/** Props of one rule's result. */
interface RuleResultProps {
  readonly run: BacktestRun;
  readonly draft: RuleDraft;
  readonly res: RuleBacktest;
  readonly view: RuleView;
  readonly offsets: readonly number[];
}

/** One rule's result. */
function RuleResult({ run, draft, res, view, offsets }: RuleResultProps) {
  const cursor = useBacktest((s) => s.cursor);
  const setCursor = useBacktest((s) => s.setCursor);
  const check = useBacktest((s) => s.checks[draft.id]);
  const crossCheck = useBacktest((s) => s.crossCheck);
  const end = offsets[offsets.length - 1] ?? 0;
  return (
    <section
      className="panel rule"
      data-testid={`backtest-rule-${draft.id}`}
      aria-label={`Backtest of ${draft.alert}`}
    >
      <header className="panel-header">
        <h2>{draft.alert}</h2>
        <div className="panel-actions">
          <button
            type="button"
            className="button"
            disabled={check?.state === 'running' || res.error !== undefined}
            onClick={() => crossCheck(draft, res)}
          >
            Cross-check
          </button>
        </div>
      </header>
      {res.error ? <ErrorBox error={res.error} testId={`backtest-rule-error-${draft.id}`} /> : null}
      {res.timeline.error ? (
        <p className="error">
          Evaluation failed at {formatOffset(res.timeline.error.t - run.start)}:{' '}
          {res.timeline.error.message}
        </p>
      ) : null}
      <TimeChart
        title="Expression value (server)"
        query={draft.expr}
        times={offsets}
        lines={view.lines}
        cursor={cursor}
        onCursor={setCursor}
        emptyText="empty at every step"
        threshold={
          view.threshold
            ? {
                value: view.threshold.value,
                label: `fires where ${view.threshold.op} ${view.threshold.value}`,
              }
            : null
        }
      />
      <StateBand
        label="alert"
        spans={view.spans}
        end={end}
        cursor={cursor}
        onCursor={setCursor}
        describe={(s) => s}
        testId={`backtest-band-${draft.id}`}
      />
      <ul className="intervals" data-testid={`backtest-intervals-${draft.id}`}>
        {res.intervals.length === 0 ? <li className="note">no alert</li> : null}
        {res.intervals.map((iv) => (
          <li
            key={`${labelText(iv.labels)}-${iv.state}-${iv.from}`}
            data-state={iv.state}
            data-from={iv.from}
            data-to={iv.to ?? ''}
            data-labels={labelText(iv.labels)}
          >
            <strong className={`state-text state-${iv.state}`}>{iv.state}</strong>{' '}
            {formatOffset(iv.from - run.start)} –{' '}
            {iv.to === null ? 'end' : formatOffset(iv.to - run.start)}{' '}
            <code>{formatLabelsShort(iv.labels, ['alertname'])}</code>
          </li>
        ))}
      </ul>
      <details>
        <summary>Intervals as text</summary>
        <pre>{formatIntervals(res.intervals)}</pre>
      </details>
      <CrossCheckPanel ruleId={draft.id} check={check} start={run.start} />
    </section>
  );
}

/** The newest run's results, if any. */
export function BacktestResults({ rules }: { readonly rules: readonly RuleDraft[] }) {
  const run = useBacktest((s) => s.run);
  const incidentText = useBacktest((s) => s.incidentText);
  const incidents = useMemo(() => parseIncidents(incidentText, Date.now()), [incidentText]);
  const views = useMemo(() => {
    if (!run) return [];
    const marks = incidents.ok ? incidents.incidents : [];
    return run.results.flatMap((res, i) => {
      const draft = rules[i];
      return draft && draft.alert === res.rule.alert
        ? [{ draft, res, view: ruleView(draft, res, run.start, run.step, marks) }]
        : [];
    });
  }, [run, rules, incidents]);
  const offsets = useMemo(
    () => (run ? (run.results[0]?.times ?? []).map((t) => t - run.start) : []),
    [run],
  );
  if (!run) return null;
  return (
    <>
      <p className="note" data-testid="backtest-done">
        Backtest of {run.results.length} rules from {new Date(run.start).toISOString()} to{' '}
        {new Date(run.end).toISOString()}, every {formatOffset(run.step)}. Times on the axes are
        offsets from the start.
      </p>
      {views.map(({ draft, res, view }) => (
        <RuleResult
          key={draft.id}
          run={run}
          draft={draft}
          res={res}
          view={view}
          offsets={offsets}
        />
      ))}
      <ScorecardPanel rules={views.map((v) => v.view)} />
      <p className="note">
        Without marked incidents every firing minute counts as firing with no failure.
      </p>
    </>
  );
}
