// The top bar: presets, cluster size, undo and redo, the share link, and the evaluation status.
import { MAX_MEMBERS, presets } from '../../sim/index.ts';
import { recordingEtcdSeries, shippedRecordings, sourceTitle } from '../../lab/index.ts';
import { useSafety } from '../state/safety.ts';
import { simulatedScenario, usePlayground } from '../state/store.ts';
import { useLessons } from './lessons/lessonsStore.ts';

/** The scenario picker's value prefix of a shipped recording. */
const RECORDING = 'recording:';

/** Props of the toolbar. */
export interface ToolbarProps {
  readonly onShare: () => void;
  readonly shareStatus: string | null;
  readonly onExport: () => void;
  readonly onImport: () => void;
}

/** The top bar. */
export function Toolbar({ onShare, shareStatus, onExport, onImport }: ToolbarProps) {
  const source = usePlayground((s) => s.doc.source);
  const scenario = usePlayground((s) => simulatedScenario(s.doc));
  const canUndo = usePlayground((s) => s.past.length > 0);
  const canRedo = usePlayground((s) => s.future.length > 0);
  // Evaluating from the moment the document changes, before the worker has even been asked: what
  // is on screen was computed from an older document until the new result arrives.
  const evaluating = usePlayground(
    (s) =>
      s.evaluating ||
      s.evaluatedInput?.source !== s.doc.source ||
      s.evaluatedInput.rules !== s.doc.rules,
  );
  const error = usePlayground((s) => s.error);
  const held = useSafety((s) => s.held !== null);
  const lastEvalMs = usePlayground((s) => s.lastEvalMs);
  const loadPreset = usePlayground((s) => s.loadPreset);
  const openRecording = usePlayground((s) => s.openRecording);
  const setClusterSize = usePlayground((s) => s.setClusterSize);
  const undo = usePlayground((s) => s.undo);
  const redo = usePlayground((s) => s.redo);
  const lessonsOpen = useLessons((s) => s.open);
  const toggleLessons = useLessons((s) => s.toggleOpen);
  const presetName =
    source.kind === 'recorded'
      ? `${RECORDING}${source.recording}`
      : scenario && presets.some((p) => p.name === scenario.name)
        ? (scenario.name ?? '')
        : '';
  return (
    <header className="topbar">
      <h1>
        <span className="logo" aria-hidden="true">
          ◆
        </span>{' '}
        Quorum Lab
      </h1>
      <label className="toolbar-field">
        <span>Scenario</span>
        <select
          value={presetName}
          onChange={(e) => {
            const v = e.target.value;
            if (v.startsWith(RECORDING)) openRecording(v.slice(RECORDING.length));
            else loadPreset(v);
          }}
          aria-label="Scenario preset"
        >
          {presetName === '' ? <option value="">{sourceTitle(source)}</option> : null}
          <optgroup label="Simulated">
            {presets.map((p) => (
              <option key={p.name} value={p.name}>
                {p.title}
              </option>
            ))}
          </optgroup>
          <optgroup label="Recorded on a real etcd cluster">
            {shippedRecordings().map((r) => (
              <option key={r.name} value={`${RECORDING}${r.name}`}>
                Recorded on a real etcd {recordingEtcdSeries(r)} cluster: {r.name}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label className="toolbar-field">
        <span>Members</span>
        <select
          value={scenario?.members ?? ''}
          onChange={(e) => setClusterSize(Number(e.target.value))}
          aria-label="Members (cluster size)"
          disabled={scenario === null}
          title={
            scenario === null
              ? source.kind === 'recorded'
                ? 'A recording’s cluster was real: its size is what it was'
                : 'Imported series have no simulated cluster'
              : undefined
          }
        >
          {scenario === null ? <option value="">—</option> : null}
          {Array.from({ length: MAX_MEMBERS }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button"
        onClick={undo}
        disabled={!canUndo}
        title="Undo (Ctrl+Z)"
      >
        Undo
      </button>
      <button
        type="button"
        className="button"
        onClick={redo}
        disabled={!canRedo}
        title="Redo (Ctrl+Shift+Z)"
      >
        Redo
      </button>
      <button
        type="button"
        className="button"
        id="lessons-toggle"
        onClick={toggleLessons}
        aria-expanded={lessonsOpen}
        aria-controls="lessons"
        title="Guided lessons: each step sets the page up and asks a question"
      >
        Lessons
      </button>
      <button type="button" className="button" onClick={onImport}>
        Import…
      </button>
      <button type="button" className="button" onClick={onExport}>
        Export…
      </button>
      <button type="button" className="button" onClick={onShare}>
        Copy share link
      </button>
      {shareStatus ? (
        <span className="note" role="status">
          {shareStatus}
        </span>
      ) : null}
      <span className="status" role="status" data-testid="status">
        {held
          ? 'waiting for your say'
          : evaluating
            ? 'evaluating…'
            : error
              ? 'error'
              : lastEvalMs !== null
                ? `evaluated in ${Math.round(lastEvalMs)} ms`
                : ''}
      </span>
    </header>
  );
}
