// The matrix (every rule against every preset) and the sweep (one number of a rule against
// detection delay and false alarms over all presets), computed in a background worker with
// progress. The matrix follows the rules as they change; a sweep runs on request.
import { Fragment, memo, useEffect, useMemo, useRef, useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { presets } from '../../sim/index.ts';
import {
  presetGrid,
  sweepParameters,
  type MatrixCell,
  type Progress,
  type RewriteCheck,
  type SweepPoint,
} from '../../lab/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import { BackgroundBridge } from '../worker/backgroundBridge.ts';
import { formatOffset, formatValue } from './format.ts';
import { gradeClass, scoreCellParts, scoreDescription } from './scoreText.ts';
import { formatDuration } from '../../text/index.ts';

/** How long the rules must hold still before the matrix and the fixes are computed again, ms. */
const BACKGROUND_PAUSE_MS = 1000;

/** How long the selected rule must hold still before the sweep's parameters follow it, ms. */
const SWEEP_PAUSE_MS = 300;

/**
 * The selected rule as the sweep's menu shows it: another rule (or none) at once, a change of
 * the same rule once it has held still for SWEEP_PAUSE_MS.
 */
function useSettled(rule: RuleDraft | null): RuleDraft | null {
  const [settled, setSettled] = useState(rule);
  const sameRule = settled !== null && rule !== null && settled.id === rule.id;
  useEffect(() => {
    if (settled === rule || !sameRule) return;
    const t = setTimeout(() => setSettled(rule), SWEEP_PAUSE_MS);
    return () => clearTimeout(t);
  }, [rule, settled, sameRule]);
  // Another rule: shown in this render (React renders again at once with the new state).
  if (!sameRule && settled !== rule) {
    setSettled(rule);
    return rule;
  }
  return settled;
}

/** Props of the background panels. */
export interface BackgroundPanelsProps {
  readonly rules: readonly RuleDraft[];
  readonly selected: RuleDraft | null;
  /** Receives the rewrites the rules' findings could offer, checked on every preset. */
  readonly onFixes?: (checks: RewriteCheck[]) => void;
  /** A rule rewritten by a fix: the matrix shows it before (this rule) beside after. */
  readonly compare?: { readonly ruleId: string; readonly before: RuleDraft } | null;
}

/** The id of the matrix column of a rule as it was before a fix. */
export function beforeId(ruleId: string): string {
  return `${ruleId}~before`;
}

function ProgressBar({ progress, label }: { progress: Progress | null; label: string }) {
  if (!progress || progress.done >= progress.total) return null;
  return (
    <progress className="progress" max={progress.total} value={progress.done} aria-label={label}>
      {progress.done}/{progress.total}
    </progress>
  );
}

function CellText({ cell }: { cell: MatrixCell | undefined }) {
  if (!cell) return '…';
  if (cell.error !== null || cell.scorecard === null) return 'error';
  return scoreCellParts(cell.scorecard).map((p, i) => (
    <Fragment key={i}>
      {p.sep}
      <span className="nowrap">{p.text}</span>
    </Fragment>
  ));
}

function cellDescription(c: MatrixCell | undefined): string | undefined {
  if (!c) return undefined;
  if (c.error !== null || c.scorecard === null) return `Error: ${c.error ?? ''}`;
  return scoreDescription(c.scorecard);
}

function cellClass(c: MatrixCell | undefined): string {
  const sc = c?.scorecard;
  if (!sc) return '';
  return gradeClass(sc);
}

/** The matrix's table: drawn again when its cells or columns change, not on progress. */
const MatrixTable = memo(function MatrixTable({
  columns,
  matrix,
  compare,
}: {
  readonly columns: readonly RuleDraft[];
  readonly matrix: readonly MatrixCell[] | null;
  readonly compare: BackgroundPanelsProps['compare'];
}) {
  return (
    <div className="matrix-scroll">
      <table className="matrix" data-testid="matrix">
        <thead>
          <tr>
            <th scope="col">preset</th>
            {columns.map((r) => (
              <th scope="col" key={r.id} data-testid={`matrix-head-${r.id}`}>
                {r.alert}
                {compare && r.id === beforeId(compare.ruleId) ? (
                  <span className="note"> before the rewrite</span>
                ) : compare && r.id === compare.ruleId ? (
                  <span className="note"> after the rewrite</span>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {presets.map((p) => (
            <tr key={p.name}>
              <th scope="row" title={p.explanation}>
                {p.title}
              </th>
              {columns.map((r) => {
                const c = matrix?.find((x) => x.preset === p.name && x.ruleId === r.id);
                const description = cellDescription(c);
                return (
                  <td
                    key={r.id}
                    className={cellClass(c)}
                    data-testid={`matrix-${p.name}-${r.id}`}
                    title={description}
                  >
                    <CellText cell={c} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}, sameTable);

/**
 * Whether the table would draw the same: a rule's new expression or `for` shows only once the
 * matrix computed for it arrives, so a slider step draws nothing here.
 */
function sameTable(
  a: { columns: readonly RuleDraft[]; matrix: unknown; compare: unknown },
  b: { columns: readonly RuleDraft[]; matrix: unknown; compare: unknown },
): boolean {
  return (
    a.matrix === b.matrix &&
    a.compare === b.compare &&
    a.columns.length === b.columns.length &&
    a.columns.every((r, i) => r.id === b.columns[i]?.id && r.alert === b.columns[i]?.alert)
  );
}

/**
 * The matrix and the sweep; redrawn only when its props change, not with each new view (a table
 * of every rule on every preset is not cheap to render).
 */
export const BackgroundPanels = memo(function BackgroundPanels({
  rules,
  selected,
  onFixes,
  compare,
}: BackgroundPanelsProps) {
  const [matrix, setMatrix] = useState<MatrixCell[] | null>(null);
  const [sweep, setSweep] = useState<SweepPoint[] | null>(null);
  const [progress, setProgress] = useState<{ matrix: Progress | null; sweep: Progress | null }>({
    matrix: null,
    sweep: null,
  });
  const [error, setError] = useState<string | null>(null);
  const [bridge] = useState(
    () =>
      new BackgroundBridge({
        progress: (kind, p) => setProgress((old) => ({ ...old, [kind]: p })),
        matrix: (cells) => setMatrix(cells),
        sweep: (points) => setSweep(points),
        fixes: (checks) => fixesListener.current?.(checks),
        error: (kind, message) => {
          if (kind !== 'fixes') setError(message);
        },
      }),
  );
  const fixesListener = useRef(onFixes);
  useEffect(() => {
    fixesListener.current = onFixes;
  }, [onFixes]);
  // The matrix's columns: the rules, and a rule rewritten by a fix as it was, just before it.
  const columns = useMemo(() => {
    if (!compare) return rules;
    return rules.flatMap((r) =>
      r.id === compare.ruleId ? [{ ...compare.before, id: beforeId(r.id) }, r] : [r],
    );
  }, [rules, compare]);
  // After the rules held still for a moment: while a slider is dragged, the worker that evaluates
  // each step keeps the machine's cores to itself.
  useEffect(() => {
    const t = setTimeout(() => bridge.matrix(columns), BACKGROUND_PAUSE_MS);
    return () => clearTimeout(t);
  }, [bridge, columns]);
  useEffect(() => {
    const t = setTimeout(() => bridge.fixes(rules), BACKGROUND_PAUSE_MS);
    return () => clearTimeout(t);
  }, [bridge, rules]);

  // The sweep's parameters follow the selected rule once it holds still: a slider dragged over
  // the rule parses it for the tuning panel and the worker at each step, and not for this menu
  // too. Another rule selected shows its parameters at once.
  const sweepRule = useSettled(selected);
  const tunables = useMemo(
    () => (sweepRule ? sweepParameters(sweepRule, presetGrid(presets)) : []),
    [sweepRule],
  );
  const [tunableKey, setTunableKey] = useState<string>('for');
  const tunable =
    tunables.find((t) => t.key === tunableKey) ?? tunables.find((t) => t.key === 'for');
  const formatParam = (v: number) =>
    tunable?.kind === 'number' ? formatValue(v) : formatDuration(v);

  return (
    <>
      <section className="panel" aria-labelledby="matrix-title">
        <header className="panel-header">
          <h2 id="matrix-title">Every rule on every preset</h2>
          <span className="note">
            Each rule judged against its intent, as the verdict judges it: the failures it must
            catch, caught by the deadline, late or missed (red); firing with nothing failing or on
            failures it should tolerate, and flaps (orange). Hover a cell for every figure.
          </span>
          <ProgressBar progress={progress.matrix} label="matrix progress" />
        </header>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <MatrixTable columns={columns} matrix={matrix} compare={compare ?? null} />
      </section>
      <section className="panel" aria-labelledby="sweep-title" data-lesson-target="sweep">
        <header className="panel-header">
          <h2 id="sweep-title">Sweep {selected?.alert ?? ''}</h2>
          <label className="toolbar-field">
            <span>parameter</span>
            <select
              aria-label="Parameter to sweep"
              value={tunable?.key ?? ''}
              onChange={(e) => setTunableKey(e.target.value)}
            >
              {tunables.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="button"
            disabled={!selected || !tunable || sweepRule !== selected}
            onClick={() => {
              if (selected && tunable) {
                setSweep(null);
                bridge.sweep(selected, tunable.key);
              }
            }}
          >
            Run sweep
          </button>
          <ProgressBar progress={progress.sweep} label="sweep progress" />
        </header>
        {sweep ? (
          <div data-testid="sweep">
            <ResponsiveContainer width="100%" height={220}>
              <LineChart
                data={sweep.map((p) => ({
                  value: p.value,
                  delay:
                    p.score?.meanDelayMs === null || !p.score ? null : p.score.meanDelayMs / 60_000,
                  missed: p.score ? p.score.missed : null,
                  falseMin: p.score ? p.score.falseFiringMs / 60_000 : null,
                }))}
                margin={{ top: 6, right: 16, bottom: 0, left: 0 }}
              >
                <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
                <XAxis
                  dataKey="value"
                  type="number"
                  domain={['dataMin', 'dataMax']}
                  // The values swept (the scrape intervals are not evenly spaced), not round ones.
                  ticks={sweep.map((p) => p.value)}
                  tickFormatter={formatParam}
                  stroke="var(--muted)"
                  fontSize={11}
                />
                <YAxis stroke="var(--muted)" fontSize={11} width={56} />
                <Tooltip
                  isAnimationActive={false}
                  labelFormatter={(v) => `${tunable?.label ?? ''} = ${formatParam(Number(v))}`}
                  contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
                />
                <Legend
                  verticalAlign="top"
                  height={20}
                  iconSize={10}
                  wrapperStyle={{ fontSize: 11 }}
                />
                <Line
                  dataKey="delay"
                  name="mean time to firing (min)"
                  stroke="#1f77b4"
                  isAnimationActive={false}
                />
                <Line
                  dataKey="missed"
                  name="failures never fired"
                  stroke="#e03131"
                  isAnimationActive={false}
                />
                <Line
                  dataKey="falseMin"
                  name="false firing (min)"
                  stroke="#e67700"
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
            <table className="scorecard" data-testid="sweep-table">
              <thead>
                <tr>
                  <th scope="col">{tunable?.label}</th>
                  <th scope="col">failures</th>
                  <th scope="col">never fired</th>
                  <th scope="col">mean time to firing</th>
                  <th scope="col">failure missed</th>
                  <th scope="col">firing with no failure</th>
                  <th scope="col">flaps</th>
                </tr>
              </thead>
              <tbody>
                {sweep.map((p) => (
                  <tr key={p.value}>
                    <td>{formatParam(p.value)}</td>
                    {p.score === null ? (
                      <td colSpan={6} className="error">
                        error: {p.error}
                      </td>
                    ) : (
                      <>
                        <td className="num">{p.score.failures}</td>
                        <td className="num">{p.score.missed}</td>
                        <td className="num">
                          {p.score.meanDelayMs === null
                            ? '—'
                            : formatOffset(Math.round(p.score.meanDelayMs / 1000) * 1000)}
                        </td>
                        <td className="num">{formatOffset(p.score.missedMs)}</td>
                        <td className="num">{formatOffset(p.score.falseFiringMs)}</td>
                        <td className="num">{p.score.flaps}</td>
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="note">
            Choose a number of the selected rule and run the sweep over all {presets.length}{' '}
            presets.
          </p>
        )}
      </section>
    </>
  );
});
