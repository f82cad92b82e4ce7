// The evaluation's guard rails on screen: a document held back because its last evaluation never
// finished (evaluate it, or open the default scenario), the way forward after the page stopped an
// evaluation (undo, reset), and the progress of a long evaluation with a Cancel button.
import { useEffect, useState } from 'react';
import { cancelEvaluation, useSafety } from '../state/safety.ts';
import { defaultDoc, usePlayground } from '../state/store.ts';

/** How long an evaluation runs before its progress and Cancel button show, ms. */
const SHOW_PROGRESS_AFTER_MS = 400;

/** The guard rails around the evaluation. */
export function EvaluationGuard() {
  const held = useSafety((s) => s.held);
  const stopped = useSafety((s) => s.stopped);
  const progress = useSafety((s) => s.progress);
  const canUndo = usePlayground((s) => s.past.length > 0);
  const [showProgress, setShowProgress] = useState(false);
  const running = progress !== null;
  useEffect(() => {
    if (!running) return setShowProgress(false);
    const t = setTimeout(() => setShowProgress(true), SHOW_PROGRESS_AFTER_MS);
    return () => clearTimeout(t);
  }, [running]);
  const reset = () => {
    // An undo step: the document set aside comes back with Undo.
    usePlayground.getState().loadDoc(defaultDoc());
  };
  if (held) {
    return (
      <div className="notice" role="alert" data-testid="held">
        <span>{held}</span>
        <button type="button" className="button" onClick={() => useSafety.setState({ held: null })}>
          Evaluate it
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            reset();
            useSafety.setState({ held: null });
          }}
        >
          Open the default scenario
        </button>
      </div>
    );
  }
  if (stopped) {
    return (
      <div className="notice" data-testid="stopped">
        {canUndo ? (
          <button type="button" className="button" onClick={usePlayground.getState().undo}>
            Undo the last change
          </button>
        ) : null}
        <button type="button" className="button" onClick={reset}>
          Reset to the default scenario
        </button>
      </div>
    );
  }
  if (progress && showProgress) {
    return (
      <p className="note" role="status" data-testid="evaluation-progress">
        <progress max={progress.total} value={progress.done} /> Evaluating: step {progress.done} of{' '}
        {progress.total} (the scenario, then each rule).{' '}
        <button type="button" className="button" onClick={cancelEvaluation}>
          Cancel
        </button>
      </p>
    );
  }
  return null;
}
