// The range, the semantics and the query language of a run, Run and Cancel, the run's progress
// and error, and the user's incident marks for the scorecard.
import { useMemo } from 'react';
import type { RuleDraft } from '../../lab/index.ts';
import { useBacktest } from '../state/backtest.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { parseIncidents } from './model.ts';

/** How far the run is, and why the last one did not finish. */
function RunProgress() {
  const running = useBacktest((s) => s.running);
  const progress = useBacktest((s) => s.progress);
  const runError = useBacktest((s) => s.runError);
  return (
    <>
      {progress && running ? (
        <p className="note" data-testid="backtest-progress">
          <progress max={progress.total} value={progress.done} /> {progress.done}/{progress.total}{' '}
          queries{progress.rule ? ` (${progress.rule})` : ''}
        </p>
      ) : null}
      {typeof runError === 'string' ? (
        <div className="error" role="alert" data-testid="backtest-error">
          {runError}
        </div>
      ) : runError ? (
        <ErrorBox error={runError} testId="backtest-error" />
      ) : null}
    </>
  );
}

/** The incident marks, checked as typed. */
function Incidents() {
  const text = useBacktest((s) => s.incidentText);
  const setIncidents = useBacktest((s) => s.setIncidents);
  const incidents = useMemo(() => parseIncidents(text, Date.now()), [text]);
  return (
    <>
      <label className="field">
        <span className="field-label">
          Real incidents (optional, for the scorecard): one per line, START END
        </span>
        <textarea
          aria-label="Incidents"
          rows={2}
          value={text}
          onChange={(e) => setIncidents(e.target.value)}
        />
      </label>
      {!incidents.ok ? (
        <p className="field-error">Line {incidents.line}: expected two times, START END.</p>
      ) : null}
    </>
  );
}

/** The range panel. */
export function RangeForm({ rules }: { readonly rules: readonly RuleDraft[] }) {
  const range = useBacktest((s) => s.range);
  const running = useBacktest((s) => s.running);
  const update = useBacktest((s) => s.updateRange);
  const start = useBacktest((s) => s.start);
  const cancel = useBacktest((s) => s.cancel);
  return (
    <section className="panel" aria-labelledby="range-title">
      <header className="panel-header">
        <h2 id="range-title">Range</h2>
        <span className="note">
          Times are RFC 3339, Unix seconds, &quot;now&quot; or &quot;now-6h&quot;; the step is the
          rules&apos; evaluation interval.
        </span>
      </header>
      <div className="field-row">
        <label className="field">
          <span className="field-label">Start</span>
          <input
            aria-label="Start"
            value={range.startText}
            onChange={(e) => update({ startText: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">End</span>
          <input
            aria-label="End"
            value={range.endText}
            onChange={(e) => update({ endText: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">Step</span>
          <input
            aria-label="Step"
            value={range.stepText}
            onChange={(e) => update({ stepText: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">Semantics</span>
          <select
            aria-label="Semantics"
            value={range.compat}
            onChange={(e) => update({ compat: e.target.value === 'v2' ? 'v2' : 'v3' })}
          >
            <option value="v3">Prometheus 3</option>
            <option value="v2">Prometheus 2</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Query language</span>
          <select
            aria-label="Query language"
            value={range.dialect}
            onChange={(e) =>
              update({ dialect: e.target.value === 'metricsql' ? 'metricsql' : 'promql' })
            }
          >
            <option value="promql">PromQL (Prometheus, Thanos, Mimir)</option>
            <option value="metricsql">MetricsQL (VictoriaMetrics)</option>
          </select>
        </label>
        {running ? (
          <button type="button" className="button" onClick={cancel}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="button"
            disabled={rules.length === 0}
            onClick={() => start(rules)}
          >
            Run backtest
          </button>
        )}
      </div>
      <RunProgress />
      <Incidents />
    </section>
  );
}
