// Why a rule did or did not fire: the alert's state at the cursor against `for` and
// `keep_firing_for`, then the expression as a tree at the cursor time, each sub-expression with
// its result and what its operator did there.
import { memo, useMemo } from 'react';
import type { ExplainNode, Value } from '../../promql/index.ts';
import { explainAlertState } from '../../lab/index.ts';
import type { RuleView } from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import { explainNoteText } from './explainText.ts';
import { formatLabelsShort, formatOffset, formatValue, plural } from './format.ts';

/** Props of the explain panel. */
export interface ExplainPanelProps {
  readonly ruleName: string | null;
  readonly t: number;
  readonly tree: ExplainNode | null;
  readonly error: string | null;
  /** The selected rule and what it did over the timeline, for its state at the cursor. */
  readonly rule: RuleDraft | null;
  readonly ruleView: RuleView | undefined;
  readonly times: readonly number[];
  /** Takes the reader back to the rule's card (shown once Explain brought them here). */
  readonly onBack?: () => void;
}

const MAX_ROWS = 12;

function ResultTable({ value }: { value: Value | null }) {
  if (value === null) return <p className="explain-empty">not evaluated</p>;
  switch (value.type) {
    case 'scalar':
      return <p className="explain-scalar">scalar {formatValue(value.v)}</p>;
    case 'string':
      return <p className="explain-scalar">string “{value.v}”</p>;
    case 'vector':
      if (value.samples.length === 0) return <p className="explain-empty">no series</p>;
      return (
        <table className="explain-table">
          <tbody>
            {value.samples.slice(0, MAX_ROWS).map((s, i) => (
              <tr key={i}>
                <td>
                  <code>
                    {s.labels.__name__ ?? ''}
                    {formatLabelsShort(s.labels)}
                  </code>
                </td>
                <td className="num">{formatValue(s.v)}</td>
              </tr>
            ))}
            {value.samples.length > MAX_ROWS ? (
              <tr>
                <td colSpan={2}>… {value.samples.length - MAX_ROWS} more series</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      );
    case 'matrix':
      if (value.series.length === 0) return <p className="explain-empty">no series</p>;
      return (
        <table className="explain-table">
          <tbody>
            {value.series.slice(0, MAX_ROWS).map((s, i) => (
              <tr key={i}>
                <td>
                  <code>
                    {s.labels.__name__ ?? ''}
                    {formatLabelsShort(s.labels)}
                  </code>
                </td>
                <td className="num">
                  {plural(s.points.length, 'sample', 'samples')}
                  {s.points.length > 0
                    ? `, last ${formatValue(s.points[s.points.length - 1]?.v ?? NaN)}`
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    default: {
      const never: never = value;
      return never;
    }
  }
}

/**
 * One node of the tree and its children, drawn again only for a new tree: the panel draws again
 * on every slider step (the rule's state at the cursor), the explanation only once it is asked
 * for again.
 */
const Node = memo(function Node({ node, depth }: { node: ExplainNode; depth: number }) {
  return (
    <li className="explain-node">
      <details open={depth < 4}>
        <summary>
          <code className="explain-text">{node.text}</code>{' '}
          <span className="pill">{node.kind}</span>
        </summary>
        {node.notes.length > 0 ? (
          <ul className="explain-notes">
            {node.notes.map((n, i) => (
              <li key={i}>{explainNoteText(n)}</li>
            ))}
          </ul>
        ) : null}
        <ResultTable value={node.value} />
        {node.children.length > 0 ? (
          <ul className="explain-children">
            {node.children.map((c, i) => (
              <Node key={i} node={c} depth={depth + 1} />
            ))}
          </ul>
        ) : null}
      </details>
    </li>
  );
});

/** Shows the explain tree of the selected rule at the cursor. */
export function ExplainPanel(props: ExplainPanelProps) {
  const { ruleName, t, tree, error, rule, ruleView, times } = props;
  const forMs = rule?.forMs ?? 0;
  const keepFiringForMs = rule?.keepFiringForMs ?? 0;
  const alertState = useMemo(
    () =>
      ruleView && ruleView.error === null
        ? explainAlertState({
            times,
            states: ruleView.states,
            returned: ruleView.returned,
            forMs,
            keepFiringForMs,
            cursor: t,
          })
        : null,
    [ruleView, times, forMs, keepFiringForMs, t],
  );
  return (
    <section
      className="panel explain"
      aria-labelledby="explain-title"
      data-testid="explain"
      data-lesson-target="explain"
      id="explain"
      tabIndex={-1}
    >
      <header className="panel-header">
        <h2 id="explain-title">
          Explain {ruleName ?? ''} at {formatOffset(t)}
        </h2>
        <span className="note">
          Each step of the expression and what it did at the cursor time.
        </span>
        {props.onBack && ruleName ? (
          <button type="button" className="button" onClick={props.onBack}>
            Back to {ruleName}
          </button>
        ) : null}
      </header>
      {alertState ? (
        <p className="explain-state" data-testid="explain-state">
          {alertState.join(' ')}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : tree ? (
        <ul className="explain-root">
          <Node node={tree} depth={0} />
        </ul>
      ) : (
        <p className="note">Select a rule.</p>
      )}
    </section>
  );
}
