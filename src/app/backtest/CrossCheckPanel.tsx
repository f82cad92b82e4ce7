// One rule's cross-check: our engine on the server's raw samples against the server's answer,
// every point where they differ, and what the server's query language does otherwise.
import { labelText } from '../../backtest/index.ts';
import type { CrossCheckState } from '../state/backtest.ts';
import { formatOffset, formatValue } from '../components/format.ts';
import { ErrorBox } from './ErrorBox.tsx';

/** Props of the cross-check's result. */
export interface CrossCheckPanelProps {
  readonly ruleId: string;
  readonly check: CrossCheckState | undefined;
  /** The run's start: times show as offsets from it. */
  readonly start: number;
}

/** The cross-check's state, result or error. */
export function CrossCheckPanel({ ruleId, check, start }: CrossCheckPanelProps) {
  if (!check) return null;
  if (check.state === 'running') return <p className="note">Cross-checking…</p>;
  if (check.state === 'error')
    return <ErrorBox error={check.error} testId={`crosscheck-error-${ruleId}`} />;
  const { result } = check;
  return (
    <div data-testid={`crosscheck-${ruleId}`} data-differences={result.differences.length}>
      <p className="note">
        {result.differences.length === 0
          ? `No differences: our engine agrees with the server on all ${result.compared} points`
          : `${result.differences.length} differences in ${result.compared} points`}{' '}
        ({result.rawSeries} raw series, {result.rawSamples} samples fetched).
      </p>
      {result.dialectNotes.length > 0 ? (
        <ul className="note" data-testid={`crosscheck-dialect-${ruleId}`}>
          {result.dialectNotes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {result.differences.length > 0 ? (
        <table className="scorecard">
          <thead>
            <tr>
              <th scope="col">time</th>
              <th scope="col">series</th>
              <th scope="col">server</th>
              <th scope="col">our engine</th>
            </tr>
          </thead>
          <tbody>
            {result.differences.slice(0, 50).map((d) => (
              <tr key={`${d.t}-${labelText(d.labels)}`}>
                <td>{formatOffset(d.t - start)}</td>
                <td>
                  <code>{labelText(d.labels)}</code>
                </td>
                <td className="num">{d.server === null ? '—' : formatValue(d.server)}</td>
                <td className="num">{d.local === null ? '—' : formatValue(d.local)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
