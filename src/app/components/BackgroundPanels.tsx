// The matrix (every rule against every preset) and the sweep (one number of a rule against
// detection delay and false alarms over all presets), computed in a background worker with
// progress. The matrix follows the rules as they change; a sweep runs on request.
import { useEffect, useState } from 'react';
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
import { formatDuration } from '../../promql/index.ts';
import { presets } from '../../sim/index.ts';
import type { MatrixCell, Progress, SweepPoint } from '../model/matrix.ts';
import type { RuleDraft } from '../model/rulePresets.ts';
import { findTunables } from '../model/tunables.ts';
import { BackgroundBridge } from '../worker/backgroundBridge.ts';
import { formatOffset } from './format.ts';

/** Props of the background panels. */
export interface BackgroundPanelsProps {
  readonly rules: readonly RuleDraft[];
  readonly selected: RuleDraft | null;
}

function ProgressBar({ progress, label }: { progress: Progress | null; label: string }) {
  if (!progress || progress.done >= progress.total) return null;
  return (
    <progress className="progress" max={progress.total} value={progress.done} aria-label={label}>
      {progress.done}/{progress.total}
    </progress>
  );
}

function cellText(c: MatrixCell | undefined): string {
  if (!c) return '…';
  if (c.error !== null || c.scorecard === null) return 'error';
  const sc = c.scorecard;
  if (sc.episodes.length === 0)
    return sc.falseFiringMs > 0 ? `false ${formatOffset(sc.falseFiringMs)}` : 'quiet ✓';
  const delays = sc.episodes.map((e) =>
    e.detectionDelay === null ? 'missed' : formatOffset(e.detectionDelay),
  );
  return (
    delays.join(', ') + (sc.falseFiringMs > 0 ? ` · false ${formatOffset(sc.falseFiringMs)}` : '')
  );
}

function cellClass(c: MatrixCell | undefined): string {
  const sc = c?.scorecard;
  if (!sc) return '';
  if (sc.episodes.some((e) => e.detectionDelay === null) || sc.falseFiringMs > 0) return 'cell-bad';
  return 'cell-good';
}

/** The matrix and the sweep. */
export function BackgroundPanels({ rules, selected }: BackgroundPanelsProps) {
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
        error: (_kind, message) => setError(message),
      }),
  );
  useEffect(() => {
    const t = setTimeout(() => bridge.matrix(rules), 300);
    return () => clearTimeout(t);
  }, [bridge, rules]);

  const tunables = selected ? findTunables(selected, 30_000) : [];
  const [tunableKey, setTunableKey] = useState<string>('for');
  const tunable = tunables.find((t) => t.key === tunableKey) ?? tunables[tunables.length - 1];
  const formatParam = (v: number) => (tunable?.kind === 'number' ? String(v) : formatDuration(v));

  return (
    <>
      <section className="panel" aria-labelledby="matrix-title">
        <header className="panel-header">
          <h2 id="matrix-title">Every rule on every preset</h2>
          <span className="note">
            Time to firing for each real failure, “missed” when it never fired, and firing with no
            failure.
          </span>
          <ProgressBar progress={progress.matrix} label="matrix progress" />
        </header>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="matrix-scroll">
          <table className="matrix" data-testid="matrix">
            <thead>
              <tr>
                <th scope="col">preset</th>
                {rules.map((r) => (
                  <th scope="col" key={r.id}>
                    {r.alert}
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
                  {rules.map((r) => {
                    const c = matrix?.find((x) => x.preset === p.name && x.ruleId === r.id);
                    return (
                      <td
                        key={r.id}
                        className={cellClass(c)}
                        data-testid={`matrix-${p.name}-${r.id}`}
                      >
                        {cellText(c)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="sweep-title">
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
            disabled={!selected || !tunable}
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
                  delay: p.meanDelayMs === null ? null : p.meanDelayMs / 60_000,
                  missed: p.missed,
                  falseMin: p.falseFiringMs / 60_000,
                }))}
                margin={{ top: 6, right: 16, bottom: 0, left: 0 }}
              >
                <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
                <XAxis
                  dataKey="value"
                  type="number"
                  domain={['dataMin', 'dataMax']}
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
                  name="failures missed"
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
                  <th scope="col">missed</th>
                  <th scope="col">mean time to firing</th>
                  <th scope="col">firing with no failure</th>
                  <th scope="col">flaps</th>
                </tr>
              </thead>
              <tbody>
                {sweep.map((p) => (
                  <tr key={p.value}>
                    <td>{formatParam(p.value)}</td>
                    <td className="num">{p.failures}</td>
                    <td className="num">{p.missed}</td>
                    <td className="num">
                      {p.meanDelayMs === null
                        ? '—'
                        : formatOffset(Math.round(p.meanDelayMs / 1000) * 1000)}
                    </td>
                    <td className="num">{formatOffset(p.falseFiringMs)}</td>
                    <td className="num">{p.flaps}</td>
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
}
