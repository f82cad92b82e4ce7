// The playground page: the cluster at the cursor, the raw series, the candidate rules side by
// side, and the ground truth, all on one time axis. Evaluation runs in a Web Worker.
import { useEffect, useState } from 'react';
import { ClusterPanel } from './components/ClusterPanel.tsx';
import { ExportDialog } from './components/ExportDialog.tsx';
import { formatLabelsShort, formatOffset } from './components/format.ts';
import { RulePanel } from './components/RulePanel.tsx';
import { TimeChart } from './components/TimeChart.tsx';
import { TruthPanel } from './components/TruthPanel.tsx';
import { rawQueries } from './model/evaluateView.ts';
import { exportRuleFile, ruleFileName } from './model/exportRule.ts';
import { isMemberDownAt, usePlayground } from './state/store.ts';
import { EvaluationBridge } from './worker/bridge.ts';

/** Keeps the worker's evaluation in step with the scenario and the rules. */
function useEvaluation() {
  const scenario = usePlayground((s) => s.scenario);
  const rules = usePlayground((s) => s.rules);
  const [bridge] = useState(
    () => new EvaluationBridge((outcome) => usePlayground.getState().evaluationFinished(outcome)),
  );
  useEffect(() => {
    usePlayground.getState().evaluationStarted();
    bridge.evaluate(scenario, rules);
  }, [bridge, scenario, rules]);
}

/** The whole playground. */
export function App() {
  useEvaluation();
  const scenario = usePlayground((s) => s.scenario);
  const rules = usePlayground((s) => s.rules);
  const view = usePlayground((s) => s.view);
  const cursor = usePlayground((s) => s.cursor);
  const evaluating = usePlayground((s) => s.evaluating);
  const error = usePlayground((s) => s.error);
  const lastEvalMs = usePlayground((s) => s.lastEvalMs);
  const exportRuleId = usePlayground((s) => s.exportRuleId);
  const setCursor = usePlayground((s) => s.setCursor);
  const toggleMember = usePlayground((s) => s.toggleMember);
  const openExport = usePlayground((s) => s.openExport);

  const times = view?.times ?? [];
  const cursorIndex = view ? Math.min(times.length - 1, Math.floor(cursor / view.step)) : 0;
  const exportRule = rules.find((r) => r.id === exportRuleId);
  const memberName = (instance: string | undefined) =>
    view?.members.find((m) => m.instance === instance)?.name ?? instance ?? '';

  return (
    <div className="app">
      <header className="topbar">
        <h1>
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Quorum Lab
        </h1>
        <span className="scenario-title">{scenario.title ?? scenario.name ?? 'scenario'}</span>
        <span className="status" role="status" data-testid="status">
          {evaluating
            ? 'evaluating…'
            : error
              ? 'error'
              : lastEvalMs !== null
                ? `evaluated in ${Math.round(lastEvalMs)} ms`
                : ''}
        </span>
      </header>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {view === null ? (
        <p className="loading">Simulating the cluster…</p>
      ) : (
        <main className="main" data-testid="playground" data-cursor={cursor}>
          <ClusterPanel
            members={view.members}
            truth={view.truth[cursorIndex]}
            cursor={cursor}
            downByScenario={(m) => isMemberDownAt(scenario, m, cursor)}
            onToggle={toggleMember}
          />
          <section className="panel" aria-label="Raw series">
            <TimeChart
              title="up, per member"
              query={rawQueries.up}
              times={times}
              lines={view.up}
              cursor={cursor}
              onCursor={setCursor}
              lineName={(l) => memberName(l.labels.instance)}
              testId="chart-up"
            />
            <TimeChart
              title="Peer send failures per second, per member"
              query={rawQueries.failures}
              times={times}
              lines={view.failures}
              cursor={cursor}
              onCursor={setCursor}
              lineName={(l) => memberName(l.labels.instance)}
              testId="chart-failures"
            />
          </section>
          <div className="rules">
            {rules.map((rule) => (
              <RulePanel
                key={rule.id}
                rule={rule}
                view={view.rules.find((r) => r.id === rule.id)}
                times={times}
                cursor={cursor}
                onCursor={setCursor}
                onExport={() => openExport(rule.id)}
                lineName={(l) =>
                  l.labels.instance !== undefined
                    ? memberName(l.labels.instance)
                    : formatLabelsShort(l.labels)
                }
              />
            ))}
          </div>
          <TruthPanel times={times} truth={view.truth} cursor={cursor} onCursor={setCursor} />
          <p className="footnote">
            Cursor at {formatOffset(cursor)}. Click any chart or band to move it. Evaluation every{' '}
            {formatOffset(view.step)}, scrape every {formatOffset(scenario.scrapeInterval)}.
          </p>
        </main>
      )}
      {exportRule ? (
        <ExportDialog
          fileName={ruleFileName(exportRule)}
          text={exportRuleFile([exportRule])}
          onClose={() => openExport(null)}
        />
      ) : null}
    </div>
  );
}
