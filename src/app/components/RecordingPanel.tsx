// What a shipped recording of a real etcd cluster is, and how it differs from the simulation of
// the same scenario: src/reality's comparison, figure by figure, with each tolerance.
import { useState } from 'react';
import type { RecordingCheck, RecordingView, ShippedRecording } from '../../lab/index.ts';
import { recordingEtcdSeries } from '../../lab/index.ts';

/** Props of the recording's header. */
export interface RecordingHeaderProps {
  readonly recording: ShippedRecording;
  readonly onOpenSimulation: () => void;
}

/** The badge and what the harness did, above the page of a recording. */
export function RecordingHeader({ recording, onOpenSimulation }: RecordingHeaderProps) {
  return (
    <p className="preset-explanation" data-testid="recorded-explanation">
      <span className="badge badge-recorded" data-testid="recorded-badge">
        Recorded on a real etcd {recordingEtcdSeries(recording)} cluster
      </span>{' '}
      <strong>{recording.name}.</strong> Three real etcd {recording.etcd} members on one machine,
      scraped every {recording.scenario.scrapeInterval / 1000} s by a real Prometheus{' '}
      {recording.prometheus} (<code>quorumlab lab run</code>): {recording.summary}. Each rule shows
      three bands on one time axis: the recorded series evaluated by Quorum Lab’s engine, the
      simulation of the same scenario, and the ALERTS the real Prometheus wrote. The ground truth is
      the scenario the harness played.{' '}
      <button type="button" className="button" onClick={onOpenSimulation}>
        Open the simulation
      </button>
    </p>
  );
}

/** Whether the two sides give different figures (within tolerance or not). */
function differs(c: RecordingCheck): boolean {
  return c.real !== c.sim;
}

/** The comparison with the simulation: the differences first, every check on request. */
export function RecordingPanel({ view }: { readonly view: RecordingView }) {
  const [all, setAll] = useState(false);
  const differences = view.checks.filter(differs);
  const outside = view.checks.filter((c) => !c.ok);
  const shown = all ? view.checks : differences;
  return (
    <section className="panel" aria-labelledby="recording-title" data-testid="recording-panel">
      <header className="panel-header">
        <h2 id="recording-title">Recording and simulation compared</h2>
        <button type="button" className="button" onClick={() => setAll(!all)} aria-pressed={all}>
          {all ? 'Only the differences' : `All ${view.checks.length} checks`}
        </button>
      </header>
      <p className="note" data-testid="recording-verdict">
        {view.checks.length} figures compared (etcd {view.etcd}, Prometheus {view.prometheus}):{' '}
        {differences.length} differ,{' '}
        {outside.length === 0
          ? 'all within their tolerance.'
          : `${outside.length} outside their tolerance.`}{' '}
        Tolerances and why: docs/REALITY.md.
      </p>
      <table className="recording-checks" data-testid="recording-differences">
        <thead>
          <tr>
            <th scope="col">event</th>
            <th scope="col">check</th>
            <th scope="col">real</th>
            <th scope="col">simulated</th>
            <th scope="col">tolerance</th>
            <th scope="col">verdict</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c, i) => (
            <tr key={i} className={c.ok ? '' : 'check-out'}>
              <td>{c.event}</td>
              <td>{c.check}</td>
              <td>{c.real}</td>
              <td>{c.sim}</td>
              <td>{c.tolerance}</td>
              <td>
                {c.ok ? 'within' : 'outside'}
                {c.note ? ` (${c.note})` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
