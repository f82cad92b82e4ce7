// The playground page: the cluster at the cursor, the raw series, the candidate rules side by
// side, the ground truth, the explanation of one rule at the cursor and the scorecard, all on
// one time axis. Simulation and evaluation run in a Web Worker.
import { Fragment, Suspense, lazy, memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { ExplainNode, Labels } from '../promql/index.ts';
import { findPreset } from '../sim/index.ts';
import { BackgroundPanels } from './components/BackgroundPanels.tsx';
import { ClusterPanel } from './components/ClusterPanel.tsx';
import { CursorControl } from './components/CursorControl.tsx';
import { ExplainPanel } from './components/ExplainPanel.tsx';
import { formatLabelsShort, formatOffset, plural } from './components/format.ts';
import { RecordingHeader, RecordingPanel } from './components/RecordingPanel.tsx';
import { RulePanel } from './components/RulePanel.tsx';
import { ScorecardPanel } from './components/ScorecardPanel.tsx';
import { TimeChart, seriesColor } from './components/TimeChart.tsx';
import { TimelineEditor } from './components/TimelineEditor.tsx';
import { Toolbar } from './components/Toolbar.tsx';
import { VerdictPanel } from './components/VerdictPanel.tsx';
import { TruthPanel } from './components/TruthPanel.tsx';
import { TuningPanel } from './components/TuningPanel.tsx';
import { clusterSampleIndex, scenariosEqual } from '../lab/index.ts';
import type { ChartLine, EventMarker, RuleLint, RuleView } from '../lab/index.ts';
import { recordingOf, sourceMarkers } from '../lab/index.ts';
import type { RewriteCheck, RuleDraft } from '../lab/index.ts';
import { rulePresets } from '../lab/index.ts';
import { sourceDuration, sourceEvaluationInterval, sourceSampleInterval } from '../lab/index.ts';
import { EvaluationGuard } from './components/EvaluationGuard.tsx';
import { SLICE_ABOVE_TIMES, Slice, useDrawn, useSlices } from './components/slices.ts';
import { persistChanges, restoreDocOnce, shareLink } from './state/persistence.ts';
import { useSafety } from './state/safety.ts';
import { evaluationBridge, useWorkerExtras, type WorkerExtras } from './state/evaluation.ts';

/**
 * The worker's answers the page shows besides the view, and whether every answer for what the
 * page shows has come: the evaluation of the document, its lints and the explanation at the
 * cursor. Lints and the explanation wait for the input to hold still, and each can change the
 * height of the page above the sliders; `data-settled` on the playground says when none is due.
 */
interface WorkerAnswers extends Pick<WorkerExtras, 'explained' | 'lints'> {
  readonly settled: boolean;
}
import { ALL_RULES, isMemberDownAt, usePlayground } from './state/store.ts';
import { useFileDrop } from './components/useFileDrop.ts';
import { LessonsPanel, LessonsToggle } from './components/lessons/LessonsPanel.tsx';
import { useLessons } from './components/lessons/lessonsStore.ts';

/** How long the input must hold still before the selected rule is explained again, ms. */
const EXPLAIN_PAUSE_MS = 120;

/**
 * The explanation of the selected rule at the cursor, and the lints. The worker evaluates every
 * change of the document (state/evaluation.ts); the explanation is asked for here, once the input
 * has held still for a moment: while a slider is dragged (or the cursor scrubbed) the worker
 * evaluates each new value for the charts, not an explanation of every value in between that
 * nobody reads. While a new scenario's charts are still to be drawn (`drawn` false) it is not
 * asked for: its answer would be drawn between them, and the worker's work compete with theirs.
 */
function useWorker(drawn: boolean): WorkerAnswers {
  const source = usePlayground((s) => s.doc.source);
  const rules = usePlayground((s) => s.doc.rules);
  const cursor = usePlayground((s) => s.cursor);
  const selectedRuleId = usePlayground((s) => s.selectedRuleId);
  const held = useSafety((s) => s.held !== null);
  const evaluated = usePlayground(
    (s) =>
      !s.evaluating &&
      s.evaluatedInput?.source === s.doc.source &&
      s.evaluatedInput.rules === s.doc.rules,
  );
  const explained = useWorkerExtras((s) => s.explained);
  const explainedFor = useWorkerExtras((s) => s.explainedFor);
  const lints = useWorkerExtras((s) => s.lints);
  const lintedFor = useWorkerExtras((s) => s.lintedFor);
  const selected = rules.find((r) => r.id === selectedRuleId);
  useEffect(() => {
    if (!selected || held || !drawn) return;
    const t = setTimeout(
      () => evaluationBridge().explain(source, selected, cursor),
      EXPLAIN_PAUSE_MS,
    );
    return () => clearTimeout(t);
  }, [source, selected, cursor, held, drawn]);
  const settled =
    evaluated &&
    !held &&
    lintedFor?.source === source &&
    lintedFor.rules === rules &&
    (!selected ||
      (explainedFor?.source === source &&
        explainedFor.expr === selected.expr &&
        explainedFor.t === cursor));
  return { explained: selected ? explained : null, lints, settled };
}

/** Undo and redo from the keyboard, outside text fields (which have their own). */
function useUndoKeys() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, .cm-editor')) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      // Ctrl+Z undoes; Ctrl+Shift+Z and Ctrl+Y redo.
      if (key !== 'z' && key !== 'y') return;
      e.preventDefault();
      if (e.shiftKey || key === 'y') usePlayground.getState().redo();
      else usePlayground.getState().undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Restores the document from the link or local storage once, then saves every change. */
function usePersistence(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let unsubscribe: (() => void) | null = null;
    let cancelled = false;
    void restoreDocOnce().finally(() => {
      if (cancelled) return;
      unsubscribe = persistChanges();
      setReady(true);
    });
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, []);
  return ready;
}

// The editor (CodeMirror), the export and import dialogs load when first used, keeping the first
// load small.
const RuleEditor = lazy(() =>
  import('./components/RuleEditor.tsx').then((m) => ({ default: m.RuleEditor })),
);
const ExportPanel = lazy(() =>
  import('./components/ExportPanel.tsx').then((m) => ({ default: m.ExportPanel })),
);
const ImportDialog = lazy(() =>
  import('./components/ImportDialog.tsx').then((m) => ({ default: m.ImportDialog })),
);

const BacktestView = lazy(() =>
  import('./backtest/BacktestView.tsx').then((m) => ({ default: m.BacktestView })),
);

type Mode = 'simulate' | 'backtest';

/** The whole app: the simulation playground, or a backtest on a real Prometheus. */
export function App() {
  const ready = usePersistence();
  const [mode, setMode] = useState<Mode>('simulate');
  if (!ready) return <p className="loading">Loading…</p>;
  return (
    <>
      <nav className="modes" role="tablist" aria-label="Mode">
        {(['simulate', 'backtest'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            className="button tab"
            id={`tab-${m}`}
            aria-selected={mode === m}
            aria-controls="mode-panel"
            onClick={() => setMode(m)}
          >
            {m === 'simulate' ? 'Simulate' : 'Backtest'}
          </button>
        ))}
      </nav>
      {mode === 'simulate' ? <LessonsToggle /> : null}
      <div role="tabpanel" id="mode-panel" aria-labelledby={`tab-${mode}`}>
        <Playground mode={mode} />
      </div>
    </>
  );
}

function BacktestMode() {
  const rules = usePlayground((s) => s.doc.rules);
  const updateRule = usePlayground((s) => s.updateRule);
  return (
    <Suspense fallback={<p className="loading">Loading the backtest…</p>}>
      <BacktestView rules={rules} onRuleChange={updateRule} />
    </Suspense>
  );
}

/**
 * Whether the panels below the charts (truth, explain, tuning, scorecard, matrix and sweep) are
 * shown: from the task after the first view's charts are all drawn, and from then on. They are
 * off the first screen, and the matrix's worker would compete with the first evaluation.
 */
function useLowerPanels(chartsDrawn: boolean): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (shown || !chartsDrawn) return;
    const t = setTimeout(() => setShown(true), 0);
    return () => clearTimeout(t);
  }, [shown, chartsDrawn]);
  return shown;
}

/** Counts renders of a new evaluation on <html data-rendered>, for the UI benchmark. */
function useRenderCounter(view: unknown) {
  useEffect(() => {
    if (view === null) return;
    const el = document.documentElement;
    el.dataset.rendered = String(Number(el.dataset.rendered ?? '0') + 1);
  }, [view]);
}

// The panels that a new evaluation of the same scenario leaves as they were (a slider step): drawn
// again only when their props change.
const PageToolbar = memo(Toolbar);
const MemoCursorControl = memo(CursorControl);
const MemoClusterPanel = memo(ClusterPanel);
const MemoTimelineEditor = memo(TimelineEditor);
const MemoTruthPanel = memo(TruthPanel);

/** What a rule's card can do, the same object on every render of the page. */
interface RuleActions {
  readonly setCursor: (t: number) => void;
  readonly openExport: (ruleId: string) => void;
  readonly select: (ruleId: string) => void;
  readonly toggleEdit: (ruleId: string) => void;
  readonly remove: (ruleId: string) => void;
  readonly applyFix: (rule: RuleDraft, check: RewriteCheck) => void;
  readonly update: (ruleId: string, patch: Partial<Omit<RuleDraft, 'id'>>) => void;
  readonly catalog: () => readonly Labels[];
}

const noLints: readonly RuleLint[] = [];

/**
 * One rule's card, memoized on its props: a slider step that changes one rule draws that rule's
 * card, not the others.
 */
const RuleCard = memo(function RuleCard(props: {
  readonly rule: RuleDraft;
  readonly view: RuleView | undefined;
  readonly times: readonly number[];
  readonly cursor: number;
  readonly selected: boolean;
  readonly editing: boolean;
  readonly lints: readonly RuleLint[];
  readonly fix: RewriteCheck | undefined;
  readonly actions: RuleActions;
  readonly lineName: (l: ChartLine) => string;
  readonly lineColor: (l: ChartLine, i: number) => string;
  readonly markers: readonly EventMarker[];
}) {
  const { rule, actions } = props;
  return (
    <RulePanel
      rule={rule}
      view={props.view}
      times={props.times}
      cursor={props.cursor}
      selected={props.selected}
      editing={props.editing}
      onCursor={actions.setCursor}
      onExport={() => actions.openExport(rule.id)}
      onSelect={() => actions.select(rule.id)}
      onEdit={() => actions.toggleEdit(rule.id)}
      onRemove={() => actions.remove(rule.id)}
      lints={props.lints}
      fix={props.fix}
      onApplyFix={(check) => actions.applyFix(rule, check)}
      editor={
        props.editing ? (
          <Suspense fallback={<p className="note">Loading the editor…</p>}>
            <RuleEditor
              rule={rule}
              onChange={(patch) => actions.update(rule.id, patch)}
              series={actions.catalog}
            />
          </Suspense>
        ) : null
      }
      lineName={props.lineName}
      lineColor={props.lineColor}
      markers={props.markers}
    />
  );
});

/**
 * The page under the title and toolbar: the simulation playground, or the backtest. The toolbar
 * (and the evaluation worker, which keeps the shared rules evaluated) stay on both tabs.
 */
function Playground({ mode }: { readonly mode: Mode }) {
  const backtest = mode === 'backtest';
  useUndoKeys();
  const source = usePlayground((s) => s.doc.source);
  const scenario = source.kind === 'simulated' ? source.scenario : null;
  const rules = usePlayground((s) => s.doc.rules);
  const view = usePlayground((s) => s.view);
  // A new scenario's raw series, drawn while its rules are evaluated: their cards wait.
  const partial = usePlayground((s) => s.partial);
  useRenderCounter(view);
  const cursor = usePlayground((s) => s.cursor);
  const error = usePlayground((s) => s.error);
  const notice = usePlayground((s) => s.notice);
  const selectedRuleId = usePlayground((s) => s.selectedRuleId);
  const exportRuleId = usePlayground((s) => s.exportRuleId);
  const held = useSafety((s) => s.held !== null);
  const setCursor = usePlayground((s) => s.setCursor);
  const toggleMember = usePlayground((s) => s.toggleMember);
  const setScenario = usePlayground((s) => s.setScenario);
  const openExport = usePlayground((s) => s.openExport);
  const selectRule = usePlayground((s) => s.selectRule);
  const updateRule = usePlayground((s) => s.updateRule);
  const setRuleIntent = usePlayground((s) => s.setRuleIntent);
  const removeRule = usePlayground((s) => s.removeRule);
  const addRule = usePlayground((s) => s.addRule);
  const addOwnRule = usePlayground((s) => s.addOwnRule);
  const setNotice = usePlayground((s) => s.setNotice);
  const openSimulationOfRecording = usePlayground((s) => s.openSimulationOfRecording);
  const [editingId, setEditingId] = useState<string | null>(null);
  // The rewrites the rules' findings could offer, checked on every preset in the background.
  const [fixes, setFixes] = useState<readonly RewriteCheck[]>([]);
  // The last fix applied: the matrix shows the rule before it beside the rule after it, while
  // the rule still reads as the fix left it (an undo takes the comparison away).
  const [applied, setApplied] = useState<{
    ruleId: string;
    before: RuleDraft;
    after: string;
  } | null>(null);
  // The rule whose Explain button brought the reader to the explain panel, for its Back button.
  const [explainFrom, setExplainFrom] = useState<string | null>(null);
  const [shareStatus, setShareStatus] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  // Files dropped on the page open in the import dialog.
  const [dropped, setDropped] = useState<readonly File[]>([]);
  useFileDrop((files) => {
    setDropped(files);
    setImporting(true);
  });
  const importRules = usePlayground((s) => s.importRules);
  const importScenario = usePlayground((s) => s.importScenario);
  const lessonsOpen = useLessons((s) => s.open);

  const onShare = useCallback(() => {
    void shareLink(usePlayground.getState().doc).then(async (r) => {
      if (!r.ok) {
        setShareStatus(r.reason);
        return;
      }
      try {
        await navigator.clipboard.writeText(r.link);
        setShareStatus('Link copied.');
      } catch {
        setShareStatus('Copy the link from the address bar.');
      }
    });
  }, []);
  const catalog = useCallback(() => usePlayground.getState().view?.catalog ?? [], []);

  const times = view?.times ?? [];
  // A new scenario draws its charts a few per task, a heavy one (a day of evaluations) one per
  // task (see slices.ts): the first screen shows before the rest is built, and no one task draws
  // the whole page.
  const heavy = times.length > SLICE_ABOVE_TIMES;
  // A new scenario is being evaluated: its charts (or the heavy charts it replaces) are taken
  // down meanwhile, one per task.
  const pendingSource = usePlayground((s) =>
    s.evaluating && s.evaluatingInput?.source !== s.evaluatedInput?.source
      ? s.evaluatingInput?.source
      : undefined,
  );
  const clearing =
    pendingSource !== undefined &&
    (heavy ||
      sourceDuration(pendingSource) / sourceEvaluationInterval(pendingSource) > SLICE_ABOVE_TIMES);
  const chartCount = (view?.raw.length ?? 0) + (view?.ruleCharts.length ?? 0);
  // The charts, then each rule's card, then the ground truth's chart.
  const scenarioKey = view?.scenarioKey;
  const slices = useSlices(chartCount + rules.length + 1, scenarioKey, heavy, clearing);
  const chartsDrawn = useDrawn(slices, scenarioKey, chartCount + rules.length);
  const lowerShown = useLowerPanels(view !== null && !partial && chartsDrawn);
  const { explained, lints, settled } = useWorker(view !== null && !partial && chartsDrawn);
  const cursorIndex = view ? Math.min(times.length - 1, Math.floor(cursor / view.step)) : 0;
  const exportRules =
    exportRuleId === ALL_RULES ? rules : rules.filter((r) => r.id === exportRuleId);
  const selected = rules.find((r) => r.id === selectedRuleId) ?? null;
  const preset = scenario?.name ? findPreset(scenario.name) : undefined;
  // Once per scenario, not on every render (a slider step renders the page twice).
  const unmodified = useMemo(
    () => (preset && scenario ? scenariosEqual(preset.scenario, scenario) : false),
    [preset, scenario],
  );
  // The cluster just after a change the scenario makes at the cursor (a member taken down there).
  const clusterIndex = scenario ? clusterSampleIndex(times, cursor, scenario.events) : cursorIndex;
  const members = view?.members;
  // One array per scenario: cursor and rule changes keep the charts' markers prop unchanged.
  const markers = useMemo(() => sourceMarkers(source), [source]);
  // Stable while the members are: charts are memoized on their props.
  const memberLineName = useCallback(
    (l: ChartLine) =>
      members?.find((m) => m.instance === l.labels.instance)?.name ?? l.labels.instance ?? '',
    [members],
  );
  // A member keeps one colour in every chart, whatever the order of the lines there.
  const lineColor = useCallback(
    (l: ChartLine, i: number) => {
      const m = members?.find((x) => x.instance === l.labels.instance);
      return seriesColor(m ? m.index - 1 : (members?.length ?? 0) + i);
    },
    [members],
  );
  const ruleLineName = useCallback(
    (l: ChartLine) =>
      l.labels.instance !== undefined ? memberLineName(l) : formatLabelsShort(l.labels),
    [memberLineName],
  );

  const onExportAll = useCallback(() => openExport(ALL_RULES), [openExport]);
  const onImport = useCallback(() => setImporting(true), []);
  const downByScenario = useCallback(
    (m: number) => (scenario ? isMemberDownAt(scenario, m, cursor) : false),
    [scenario, cursor],
  );

  // Stable across renders: a rule's card draws again only when its own props change.
  const ruleActions = useMemo(
    (): RuleActions => ({
      setCursor,
      openExport,
      select: (id) => {
        selectRule(id);
        setExplainFrom(id);
        // Explain answers far below the card: bring it into view (and focus for keyboard and
        // screen reader users); its Back button returns here.
        requestAnimationFrame(() => {
          const panel = document.getElementById('explain');
          panel?.scrollIntoView({ block: 'start' });
          panel?.focus({ preventScroll: true });
        });
      },
      toggleEdit: (id) => setEditingId((editing) => (editing === id ? null : id)),
      remove: removeRule,
      applyFix: (rule, check) => {
        setApplied({ ruleId: rule.id, before: rule, after: check.rewrite.after });
        updateRule(rule.id, { expr: check.rewrite.after });
      },
      update: updateRule,
      catalog,
    }),
    [setCursor, openExport, selectRule, removeRule, updateRule, catalog],
  );

  return (
    <div className={`app ${lessonsOpen && !backtest ? 'with-lessons' : ''}`}>
      {/* The lessons set up simulations: they stay with the Simulate tab. */}
      {backtest ? null : <LessonsPanel />}
      <PageToolbar
        onShare={onShare}
        shareStatus={shareStatus}
        onExport={onExportAll}
        onImport={onImport}
      />
      {notice ? (
        <div className="notice" role="alert">
          <span>{notice}</span>
          <button type="button" className="button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <EvaluationGuard />
      {backtest ? <BacktestMode /> : null}
      {preset && scenario && !backtest ? (
        <p className="preset-explanation" data-testid="preset-explanation">
          <strong>{preset.title}.</strong> {preset.explanation}
          {/* Always laid out, shown once modified: the first edit must not move the page. */}
          <em className={`modified ${unmodified ? 'unmodified' : ''}`} data-testid="modified">
            {' '}
            (modified: the preset with your changes)
          </em>
        </p>
      ) : null}
      {source.kind === 'imported' && !backtest ? (
        <p className="preset-explanation" data-testid="imported-explanation">
          <strong>Imported series.</strong> {source.series.length} input series of the test group “
          {source.group}” from {source.fileName}, a sample every {formatOffset(source.interval)},
          rules evaluated every {formatOffset(source.evaluationInterval)}
          {source.start
            ? `, from its start_timestamp ${new Date(source.start).toISOString()} (the time axis counts from there)`
            : ''}
          . Nobody knows what really happened behind imported series, so there is no ground truth
          and no scorecard. Choose a preset to go back to a simulation.
        </p>
      ) : null}
      {source.kind === 'recorded' && !backtest ? (
        <RecordingHeader
          recording={recordingOf(source)}
          onOpenSimulation={openSimulationOfRecording}
        />
      ) : null}
      {backtest ? null : view === null ? (
        held ? null : (
          <p className="loading">
            {source.kind === 'recorded' ? 'Loading the recording…' : 'Simulating the cluster…'}
          </p>
        )
      ) : (
        <main className="main" data-testid="playground" data-cursor={cursor} data-settled={settled}>
          <VerdictPanel
            rules={view.rules}
            members={view.members}
            end={times[times.length - 1] ?? 0}
            onCursor={setCursor}
          />
          <MemoCursorControl
            cursor={cursor}
            end={times[times.length - 1] ?? 0}
            step={view.step}
            onCursor={setCursor}
          />
          {scenario ? (
            <>
              <MemoClusterPanel
                members={view.members}
                truth={view.truth?.[clusterIndex]}
                truthTime={times[clusterIndex] ?? 0}
                events={scenario.events}
                cursor={cursor}
                downByScenario={downByScenario}
                onToggle={toggleMember}
              />
              <MemoTimelineEditor
                scenario={scenario}
                members={view.members}
                cursor={cursor}
                onChange={setScenario}
              />
            </>
          ) : null}
          <section className="panel" aria-label="Raw series" data-lesson-target="raw">
            {[...view.raw, ...view.ruleCharts].map((chart, i) => (
              <Slice
                key={chart.testId}
                slices={slices}
                scenarioKey={scenarioKey}
                index={i}
                placeholder={
                  <div className="chart-pending" style={{ height: 160 }}>
                    {chart.title}: drawing…
                  </div>
                }
              >
                <TimeChart
                  title={chart.title}
                  query={chart.query}
                  times={chart.chartTimes ?? times}
                  thinned={chart.chartTimes !== undefined}
                  lines={chart.lines}
                  seriesCount={chart.seriesCount}
                  cursor={cursor}
                  onCursor={setCursor}
                  lineName={ruleLineName}
                  lineColor={lineColor}
                  testId={chart.testId}
                  markers={markers}
                />
              </Slice>
            ))}
            {view.unchartedMetrics > 0 ? (
              <p className="note">
                {plural(view.unchartedMetrics, 'more metric is', 'more metrics are')} not charted;
                write a rule to see {view.unchartedMetrics === 1 ? 'it' : 'them'}.
              </p>
            ) : null}
          </section>
          <div className="rules">
            {rules.map((rule, i) => {
              const ruleView = view.rules.find((r) => r.id === rule.id);
              const placeholder = (
                <section className="panel chart-pending" style={{ height: 300 }}>
                  {rule.alert}: {partial && !ruleView ? 'evaluating…' : 'drawing…'}
                </section>
              );
              return partial && !ruleView ? (
                <Fragment key={rule.id}>{placeholder}</Fragment>
              ) : (
                <Slice
                  key={rule.id}
                  slices={slices}
                  scenarioKey={scenarioKey}
                  index={chartCount + i}
                  placeholder={placeholder}
                >
                  <RuleCard
                    rule={rule}
                    view={ruleView}
                    times={times}
                    cursor={cursor}
                    selected={rule.id === selectedRuleId}
                    editing={rule.id === editingId}
                    lints={lints[rule.id] ?? noLints}
                    fix={fixes.find(
                      (f) => f.rewrite.ruleId === rule.id && f.rewrite.before === rule.expr,
                    )}
                    actions={ruleActions}
                    lineName={ruleLineName}
                    lineColor={lineColor}
                    markers={markers}
                  />
                </Slice>
              );
            })}
            <section className="panel add-rule">
              <label className="toolbar-field">
                <span>Add a rule</span>
                <select
                  aria-label="Add a rule"
                  value=""
                  onChange={(e) => {
                    if (e.target.value) addRule(e.target.value);
                  }}
                >
                  <option value="">choose a preset…</option>
                  {rulePresets.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.alert} — {r.note.split(':')[0]}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="button" onClick={() => setEditingId(addOwnRule())}>
                New rule
              </button>
            </section>
          </div>
          {view.recording ? <RecordingPanel view={view.recording} /> : null}
          {lowerShown ? (
            <>
              <Slice
                slices={slices}
                scenarioKey={scenarioKey}
                index={chartCount + rules.length}
                placeholder={
                  <section className="panel chart-pending" style={{ height: 260 }}>
                    Ground truth: drawing…
                  </section>
                }
              >
                <MemoTruthPanel
                  times={times}
                  truth={view.truth}
                  cursor={cursor}
                  onCursor={setCursor}
                  markers={markers}
                />
              </Slice>
              <ExplainPanel
                ruleName={selected?.alert ?? null}
                t={cursor}
                tree={explained?.ok ? explained.tree : null}
                error={explained && !explained.ok ? explained.error : null}
                rule={selected}
                ruleView={view.rules.find((r) => r.id === selectedRuleId)}
                times={times}
                onBack={
                  explainFrom === null
                    ? undefined
                    : () => {
                        const card = document.querySelector<HTMLElement>(
                          `[data-testid="rule-${CSS.escape(explainFrom)}"]`,
                        );
                        card?.scrollIntoView({ block: 'start' });
                        card?.querySelector<HTMLElement>('button')?.focus({ preventScroll: true });
                        setExplainFrom(null);
                      }
                }
              />
              <TuningPanel rule={selected} />
              <ScorecardPanel
                rules={view.rules}
                drafts={rules}
                members={view.members}
                hasTruth={view.truth !== null}
                onIntent={setRuleIntent}
              />
              <BackgroundPanels
                rules={rules}
                selected={selected}
                onFixes={setFixes}
                compare={
                  applied && rules.find((r) => r.id === applied.ruleId)?.expr === applied.after
                    ? applied
                    : null
                }
              />
            </>
          ) : null}
          <p className="footnote">
            Cursor at {formatOffset(cursor)}. Click any chart or band to move it. Evaluation every{' '}
            {formatOffset(view.step)}, {source.kind === 'imported' ? 'a sample' : 'scrape'} every{' '}
            {formatOffset(sourceSampleInterval(source))}.
          </p>
        </main>
      )}
      <Suspense fallback={null}>
        {exportRules.length > 0 ? (
          <ExportPanel rules={exportRules} source={source} onClose={() => openExport(null)} />
        ) : null}
        {importing ? (
          <ImportDialog
            onImport={(rules, notes) => {
              importRules(rules);
              if (notes.length > 0)
                setNotice(
                  `Imported ${rules.length} alerting rule${rules.length === 1 ? '' : 's'}. ${notes.join(' ')}`,
                );
            }}
            onImportScenario={importScenario}
            currentAlerts={rules.map((r) => r.alert)}
            initialFiles={dropped}
            onClose={() => {
              setImporting(false);
              setDropped([]);
            }}
          />
        ) : null}
      </Suspense>
    </div>
  );
}

export type { ExplainNode };
