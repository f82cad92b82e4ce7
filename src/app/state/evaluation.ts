// Keeps the evaluation worker in step with the document, outside React: the worker is started as
// the page's script runs (it downloads and compiles its bundle while the page renders), the first
// document is sent the moment it is restored, and each later change of the scenario or the rules
// is sent from the store's subscription, in the same task as the input that made it, before React
// renders anything. The explanation at the cursor and the lints are kept here for the page.
import { create } from 'zustand';
import type { RuleDraft, RuleLint, ScenarioSource } from '../../lab/index.ts';
import {
  DEFAULT_EVAL_BUDGET_MS,
  EvaluationBridge,
  type ExplainOutcome,
  type ExplainedInput,
  type LintedInput,
} from '../worker/bridge.ts';
import { evaluationDone, evaluationSent, evaluationStopped } from './evaluatingMark.ts';
import { onCancelEvaluation, useSafety } from './safety.ts';
import { usePlayground } from './store.ts';

/** What the worker reported besides the view: the explanation at the cursor and the lints. */
export interface WorkerExtras {
  readonly explained: ExplainOutcome | null;
  /** What `explained` explains, to tell whether it is the current input's. */
  readonly explainedFor: ExplainedInput | null;
  readonly lints: Readonly<Record<string, readonly RuleLint[]>>;
  /** What `lints` were made for. */
  readonly lintedFor: LintedInput | null;
}

/** The newest explanation and lints. */
export const useWorkerExtras = create<WorkerExtras>()(() => ({
  explained: null,
  explainedFor: null,
  lints: {},
  lintedFor: null,
}));

/**
 * How long after the evaluation of the rules is answered they are linted, if they hold still,
 * ms: lint evaluates sub-expressions, which a slider being dragged need not wait for, nor a new
 * scenario's charts, drawn meanwhile.
 */
const LINT_PAUSE_MS = 1000;

/**
 * The evaluation budget, ms: how long the worker may go without progress before it is stopped.
 * `?evalBudget=<ms>` in the page's URL sets it (for tests and slow machines).
 */
function evaluationBudget(): number {
  const v = Number(new URLSearchParams(location.search).get('evalBudget'));
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_EVAL_BUDGET_MS;
}

let bridge: EvaluationBridge | null = null;

/** The page's evaluation bridge, started (with its worker) on first use. */
export function evaluationBridge(): EvaluationBridge {
  if (bridge) return bridge;
  const b = new EvaluationBridge(
    (outcome) => {
      if (outcome.ok && outcome.partial)
        return usePlayground.getState().evaluationPartial(outcome.view);
      if (outcome.ok && outcome.intermediate)
        return usePlayground.getState().evaluationIntermediate(outcome.view);
      // A stopped evaluation stays marked: a reload asks before trying it again.
      if (outcome.ok || !outcome.stopped) evaluationDone();
      else evaluationStopped();
      useSafety.setState({
        progress: null,
        stopped: !outcome.ok && outcome.stopped ? outcome.stopped : null,
      });
      usePlayground.getState().evaluationFinished(outcome);
    },
    (explained, explainedFor) => useWorkerExtras.setState({ explained, explainedFor }),
    (lints, lintedFor) => useWorkerExtras.setState({ lints, lintedFor }),
    () => usePlayground.getState().view,
    evaluationBudget(),
    (progress) => useSafety.setState({ progress }),
  );
  onCancelEvaluation(() => b.cancel());
  bridge = b;
  return b;
}

let following = false;

/**
 * Evaluates the document now (unless it is held back) and after every change of its scenario or
 * rules, and when a held document is released. Call once the document is restored; later calls
 * do nothing.
 */
export function followDocument(): void {
  if (following) return;
  following = true;
  const b = evaluationBridge();
  let lintTimer: ReturnType<typeof setTimeout> | null = null;
  let sent: { source: ScenarioSource; rules: readonly RuleDraft[] } | null = null;
  const evaluate = () => {
    if (useSafety.getState().held !== null) return;
    const { source, rules } = usePlayground.getState().doc;
    if (sent?.source === source && sent.rules === rules) return;
    sent = { source, rules };
    useSafety.setState({ stopped: null, progress: null });
    // Sent first: marking and the store's update below must not delay the worker.
    b.evaluate(source, rules);
    evaluationSent({ source, rules });
    usePlayground.getState().evaluationStarted({ source, rules });
    if (lintTimer) clearTimeout(lintTimer);
    lintTimer = null;
  };
  usePlayground.subscribe((state, prev) => {
    if (state.doc.source !== prev.doc.source || state.doc.rules !== prev.doc.rules) evaluate();
    // The evaluation of what was sent last is answered: lint it once it has held still (not
    // after an evaluation that failed or was stopped: linting would take as long again).
    if (
      prev.evaluating &&
      !state.evaluating &&
      state.error === null &&
      sent &&
      state.evaluatedInput
    ) {
      const { source, rules } = state.evaluatedInput;
      if (source !== sent.source || rules !== sent.rules) return;
      if (lintTimer) clearTimeout(lintTimer);
      lintTimer = setTimeout(() => b.lint(source, rules), LINT_PAUSE_MS);
    }
  });
  useSafety.subscribe((state, prev) => {
    if (state.held !== prev.held) {
      // A document released from the hold is evaluated, even if it is the one last sent.
      if (state.held === null) sent = null;
      evaluate();
    }
  });
  evaluate();
}
