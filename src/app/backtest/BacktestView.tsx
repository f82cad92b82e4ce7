// The backtest mode: a Prometheus-compatible data source, a time range, and the playground's
// rules run on it — range queries in chunks with progress and cancel, the same alert state
// machine replayed on the answers, the same charts, bands and scorecard, and a cross-check of
// our engine against the server.
import { useMemo, useRef, useState } from 'react';
import {
  backtestError,
  createClient,
  crossCheck,
  formatIntervals,
  labelText,
  runBacktest,
  type BacktestError,
  type BacktestProgress,
  type CrossCheckResult,
  type DataSource,
  type DataSourceAuth,
  type PrometheusApi,
  type QueryDialect,
  type RuleBacktest,
} from '../../backtest/index.ts';
import type { RuleDraft } from '../../lab/index.ts';
import { ScorecardPanel } from '../components/ScorecardPanel.tsx';
import { StateBand } from '../components/StateBand.tsx';
import { TimeChart } from '../components/TimeChart.tsx';
import { formatLabelsShort, formatOffset, formatValue } from '../components/format.ts';
import { BacktestRules } from './BacktestRules.tsx';
import { draftToSpec, parseIncidents, parseTimeInput, ruleView } from './model.ts';
import { parseDuration } from '../../text/index.ts';

const STORAGE_KEY = 'quorumlab.backtest.source';

type AuthType = DataSourceAuth['type'];

interface SourceForm {
  url: string;
  authType: AuthType;
  token: string;
  user: string;
  password: string;
  remember: boolean;
}

function loadSource(): SourceForm {
  const empty: SourceForm = {
    url: 'http://localhost:9090',
    authType: 'none',
    token: '',
    user: '',
    password: '',
    remember: false,
  };
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return empty;
    return { ...empty, ...(JSON.parse(raw) as Partial<SourceForm>) };
  } catch {
    return empty;
  }
}

/** Saves the URL; the credentials only when the user asked to remember them. */
function saveSource(f: SourceForm): void {
  try {
    const keep: Partial<SourceForm> = f.remember ? f : { url: f.url, authType: f.authType };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(keep));
  } catch {
    // Storage may be unavailable (private mode); the session still works.
  }
}

function toSource(f: SourceForm): DataSource {
  const auth: DataSourceAuth =
    f.authType === 'bearer'
      ? { type: 'bearer', token: f.token }
      : f.authType === 'basic'
        ? { type: 'basic', user: f.user, password: f.password }
        : { type: 'none' };
  return { url: f.url, auth };
}

function browserClient(f: SourceForm): PrometheusApi {
  return createClient(toSource(f), {
    fetch: (input, init) => fetch(input, init),
    probeCors: true,
  });
}

function ErrorBox({ error, testId }: { error: BacktestError; testId: string }) {
  return (
    <div className="error" role="alert" data-testid={testId} data-kind={error.kind}>
      <strong>{error.message}.</strong> {error.hint}
      {error.kind === 'cors' || error.kind === 'unreachable' ? (
        <span className="note"> See “CORS” in docs/BACKTEST.md.</span>
      ) : null}
    </div>
  );
}

/** Props of the backtest mode. */
export interface BacktestViewProps {
  readonly rules: readonly RuleDraft[];
  readonly onRuleChange: (id: string, patch: Partial<Omit<RuleDraft, 'id'>>) => void;
}

interface RunState {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly results: readonly RuleBacktest[];
}

/** The whole backtest mode. */
export function BacktestView({ rules, onRuleChange }: BacktestViewProps) {
  const [form, setForm] = useState<SourceForm>(loadSource);
  const [connection, setConnection] = useState<
    | { state: 'idle' }
    | { state: 'testing' }
    | { state: 'ok'; version: string }
    | { state: 'error'; error: BacktestError }
  >({ state: 'idle' });
  const [startText, setStartText] = useState('now-1h');
  const [endText, setEndText] = useState('now');
  const [stepText, setStepText] = useState('1m');
  const [compat, setCompat] = useState<'v2' | 'v3'>('v3');
  const [dialect, setDialect] = useState<QueryDialect>('promql');
  const [incidentText, setIncidentText] = useState('');
  const [progress, setProgress] = useState<BacktestProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<BacktestError | string | null>(null);
  const [run, setRun] = useState<RunState | null>(null);
  const [cursor, setCursor] = useState(0);
  const [checks, setChecks] = useState<
    Record<
      string,
      | { state: 'running' }
      | { state: 'done'; result: CrossCheckResult }
      | { state: 'error'; error: BacktestError }
    >
  >({});
  const controller = useRef<AbortController | null>(null);

  const update = (patch: Partial<SourceForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    saveSource(next);
  };

  const testConnection = async () => {
    setConnection({ state: 'testing' });
    const r = await browserClient(form).buildInfo();
    setConnection(
      r.ok ? { state: 'ok', version: r.value.version } : { state: 'error', error: r.error },
    );
  };

  const start = async () => {
    const now = Date.now();
    const s = parseTimeInput(startText, now);
    const e = parseTimeInput(endText, now);
    const step = parseDuration(stepText.trim());
    if (s === null || e === null) {
      setRunError('Start and end must be RFC 3339 times, Unix seconds, "now" or "now-2h".');
      return;
    }
    if (e <= s) {
      setRunError('The end must be after the start.');
      return;
    }
    if (step === null || step <= 0) {
      setRunError('The step must be a positive duration such as 30s or 1m.');
      return;
    }
    const ac = new AbortController();
    controller.current = ac;
    setRunning(true);
    setRunError(null);
    setChecks({});
    setProgress({ done: 0, total: 1, rule: '' });
    let r: Awaited<ReturnType<typeof runBacktest>>;
    try {
      r = await runBacktest(browserClient(form), rules.map(draftToSpec), {
        start: s,
        end: e,
        step,
        compat,
        signal: ac.signal,
        onProgress: setProgress,
      });
    } catch (err) {
      // Nothing should throw here; if something does, Run and Cancel still recover.
      r = { ok: false, error: backtestError('server', `the run failed: ${String(err)}`) };
    } finally {
      setRunning(false);
      controller.current = null;
    }
    if (!r.ok) {
      setRunError(r.error);
      return;
    }
    setRun({ start: s, end: e, step, results: r.value });
    setCursor(0);
  };

  const check = async (draft: RuleDraft, result: RuleBacktest) => {
    if (!run) return;
    setChecks((c) => ({ ...c, [draft.id]: { state: 'running' } }));
    const r = await crossCheck(browserClient(form), draft.expr, {
      start: run.start,
      end: run.end,
      step: run.step,
      compat,
      dialect,
      serverSeries: result.series,
    });
    setChecks((c) => ({
      ...c,
      [draft.id]: r.ok ? { state: 'done', result: r.value } : { state: 'error', error: r.error },
    }));
  };

  const incidents = useMemo(() => parseIncidents(incidentText, Date.now()), [incidentText]);
  const views = useMemo(() => {
    if (!run) return [];
    const marks = incidents.ok ? incidents.incidents : [];
    return run.results.flatMap((res, i) => {
      const draft = rules[i];
      return draft && draft.alert === res.rule.alert
        ? [{ draft, res, view: ruleView(draft, res, run.start, run.step, marks) }]
        : [];
    });
  }, [run, rules, incidents]);
  const offsets = useMemo(
    () => (run ? (run.results[0]?.times ?? []).map((t) => t - run.start) : []),
    [run],
  );
  const end = offsets[offsets.length - 1] ?? 0;
  const source = useMemo(() => toSource(form), [form]);

  return (
    <main className="main backtest" data-testid="backtest">
      <section className="panel" aria-labelledby="datasource-title">
        <header className="panel-header">
          <h2 id="datasource-title">Data source</h2>
          <span className="note">
            A Prometheus-compatible HTTP API: Prometheus, Thanos Query, Cortex/Mimir (with its
            /prometheus prefix), VictoriaMetrics.
          </span>
        </header>
        <div className="field-row">
          <label className="field">
            <span className="field-label">URL</span>
            <input
              type="url"
              aria-label="Prometheus URL"
              value={form.url}
              onChange={(e) => update({ url: e.target.value })}
            />
          </label>
          <label className="field">
            <span className="field-label">Authentication</span>
            <select
              aria-label="Authentication"
              value={form.authType}
              onChange={(e) => update({ authType: e.target.value as AuthType })}
            >
              <option value="none">none</option>
              <option value="bearer">bearer token</option>
              <option value="basic">basic auth</option>
            </select>
          </label>
          {form.authType === 'bearer' ? (
            <label className="field">
              <span className="field-label">Token</span>
              <input
                type="password"
                aria-label="Bearer token"
                autoComplete="off"
                value={form.token}
                onChange={(e) => update({ token: e.target.value })}
              />
            </label>
          ) : null}
          {form.authType === 'basic' ? (
            <>
              <label className="field">
                <span className="field-label">User</span>
                <input
                  aria-label="User"
                  autoComplete="off"
                  value={form.user}
                  onChange={(e) => update({ user: e.target.value })}
                />
              </label>
              <label className="field">
                <span className="field-label">Password</span>
                <input
                  type="password"
                  aria-label="Password"
                  autoComplete="off"
                  value={form.password}
                  onChange={(e) => update({ password: e.target.value })}
                />
              </label>
            </>
          ) : null}
          {form.authType !== 'none' ? (
            <label className="field">
              <span className="field-label">
                <input
                  type="checkbox"
                  checked={form.remember}
                  onChange={(e) => update({ remember: e.target.checked })}
                />{' '}
                remember credentials in this browser
              </span>
            </label>
          ) : null}
          <button type="button" className="button" onClick={() => void testConnection()}>
            Test connection
          </button>
        </div>
        <p className="note" data-testid="connection-status" aria-live="polite">
          {connection.state === 'testing'
            ? 'Testing…'
            : connection.state === 'ok'
              ? `Connected: Prometheus-compatible API, version ${connection.version}.`
              : connection.state === 'idle'
                ? 'Credentials stay in memory for this session unless you ask to remember them.'
                : null}
        </p>
        {connection.state === 'error' ? (
          <ErrorBox error={connection.error} testId="connection-error" />
        ) : null}
      </section>

      <section className="panel" aria-labelledby="range-title">
        <header className="panel-header">
          <h2 id="range-title">Range</h2>
          <span className="note">
            Times are RFC 3339, Unix seconds, &quot;now&quot; or &quot;now-6h&quot;; the step is the
            rules&apos; evaluation interval.
          </span>
        </header>
        <div className="field-row">
          <label className="field">
            <span className="field-label">Start</span>
            <input
              aria-label="Start"
              value={startText}
              onChange={(e) => setStartText(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">End</span>
            <input aria-label="End" value={endText} onChange={(e) => setEndText(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Step</span>
            <input
              aria-label="Step"
              value={stepText}
              onChange={(e) => setStepText(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">Semantics</span>
            <select
              aria-label="Semantics"
              value={compat}
              onChange={(e) => setCompat(e.target.value === 'v2' ? 'v2' : 'v3')}
            >
              <option value="v3">Prometheus 3</option>
              <option value="v2">Prometheus 2</option>
            </select>
          </label>
          <label className="field">
            <span className="field-label">Query language</span>
            <select
              aria-label="Query language"
              value={dialect}
              onChange={(e) => setDialect(e.target.value === 'metricsql' ? 'metricsql' : 'promql')}
            >
              <option value="promql">PromQL (Prometheus, Thanos, Mimir)</option>
              <option value="metricsql">MetricsQL (VictoriaMetrics)</option>
            </select>
          </label>
          {running ? (
            <button type="button" className="button" onClick={() => controller.current?.abort()}>
              Cancel
            </button>
          ) : (
            <button
              type="button"
              className="button"
              disabled={rules.length === 0}
              onClick={() => void start()}
            >
              Run backtest
            </button>
          )}
        </div>
        {progress && running ? (
          <p className="note" data-testid="backtest-progress">
            <progress max={progress.total} value={progress.done} /> {progress.done}/{progress.total}{' '}
            queries{progress.rule ? ` (${progress.rule})` : ''}
          </p>
        ) : null}
        {typeof runError === 'string' ? (
          <div className="error" role="alert" data-testid="backtest-error">
            {runError}
          </div>
        ) : runError ? (
          <ErrorBox error={runError} testId="backtest-error" />
        ) : null}
        <label className="field">
          <span className="field-label">
            Real incidents (optional, for the scorecard): one per line, START END
          </span>
          <textarea
            aria-label="Incidents"
            rows={2}
            value={incidentText}
            onChange={(e) => setIncidentText(e.target.value)}
          />
        </label>
        {!incidents.ok ? (
          <p className="field-error">Line {incidents.line}: expected two times, START END.</p>
        ) : null}
      </section>

      <BacktestRules rules={rules} source={source} onRuleChange={onRuleChange} />

      {run ? (
        <>
          <p className="note" data-testid="backtest-done">
            Backtest of {run.results.length} rules from {new Date(run.start).toISOString()} to{' '}
            {new Date(run.end).toISOString()}, every {formatOffset(run.step)}. Times on the axes are
            offsets from the start.
          </p>
          {views.map(({ draft, res, view }) => {
            const c = checks[draft.id];
            return (
              <section
                key={draft.id}
                className="panel rule"
                data-testid={`backtest-rule-${draft.id}`}
                aria-label={`Backtest of ${draft.alert}`}
              >
                <header className="panel-header">
                  <h2>{draft.alert}</h2>
                  <div className="panel-actions">
                    <button
                      type="button"
                      className="button"
                      disabled={c?.state === 'running' || res.error !== undefined}
                      onClick={() => void check(draft, res)}
                    >
                      Cross-check
                    </button>
                  </div>
                </header>
                {res.error ? (
                  <ErrorBox error={res.error} testId={`backtest-rule-error-${draft.id}`} />
                ) : null}
                {res.timeline.error ? (
                  <p className="error">
                    Evaluation failed at {formatOffset(res.timeline.error.t - run.start)}:{' '}
                    {res.timeline.error.message}
                  </p>
                ) : null}
                <TimeChart
                  title="Expression value (server)"
                  query={draft.expr}
                  times={offsets}
                  lines={view.lines}
                  cursor={cursor}
                  onCursor={setCursor}
                  emptyText="empty at every step"
                  threshold={
                    view.threshold
                      ? {
                          value: view.threshold.value,
                          label: `fires where ${view.threshold.op} ${view.threshold.value}`,
                        }
                      : null
                  }
                />
                <StateBand
                  label="alert"
                  spans={view.spans}
                  end={end}
                  cursor={cursor}
                  onCursor={setCursor}
                  describe={(s) => s}
                  testId={`backtest-band-${draft.id}`}
                />
                <ul className="intervals" data-testid={`backtest-intervals-${draft.id}`}>
                  {res.intervals.length === 0 ? <li className="note">no alert</li> : null}
                  {res.intervals.map((iv) => (
                    <li
                      key={`${labelText(iv.labels)}-${iv.state}-${iv.from}`}
                      data-state={iv.state}
                      data-from={iv.from}
                      data-to={iv.to ?? ''}
                      data-labels={labelText(iv.labels)}
                    >
                      <strong className={`state-text state-${iv.state}`}>{iv.state}</strong>{' '}
                      {formatOffset(iv.from - run.start)} –{' '}
                      {iv.to === null ? 'end' : formatOffset(iv.to - run.start)}{' '}
                      <code>{formatLabelsShort(iv.labels, ['alertname'])}</code>
                    </li>
                  ))}
                </ul>
                <details>
                  <summary>Intervals as text</summary>
                  <pre>{formatIntervals(res.intervals)}</pre>
                </details>
                {c?.state === 'running' ? <p className="note">Cross-checking…</p> : null}
                {c?.state === 'error' ? (
                  <ErrorBox error={c.error} testId={`crosscheck-error-${draft.id}`} />
                ) : null}
                {c?.state === 'done' ? (
                  <div
                    data-testid={`crosscheck-${draft.id}`}
                    data-differences={c.result.differences.length}
                  >
                    <p className="note">
                      {c.result.differences.length === 0
                        ? `No differences: our engine agrees with the server on all ${c.result.compared} points`
                        : `${c.result.differences.length} differences in ${c.result.compared} points`}{' '}
                      ({c.result.rawSeries} raw series, {c.result.rawSamples} samples fetched).
                    </p>
                    {c.result.dialectNotes.length > 0 ? (
                      <ul className="note" data-testid={`crosscheck-dialect-${draft.id}`}>
                        {c.result.dialectNotes.map((n) => (
                          <li key={n}>{n}</li>
                        ))}
                      </ul>
                    ) : null}
                    {c.result.differences.length > 0 ? (
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
                          {c.result.differences.slice(0, 50).map((d) => (
                            <tr key={`${d.t}-${labelText(d.labels)}`}>
                              <td>{formatOffset(d.t - run.start)}</td>
                              <td>
                                <code>{labelText(d.labels)}</code>
                              </td>
                              <td className="num">
                                {d.server === null ? '—' : formatValue(d.server)}
                              </td>
                              <td className="num">
                                {d.local === null ? '—' : formatValue(d.local)}
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    ) : null}
                  </div>
                ) : null}
              </section>
            );
          })}
          <ScorecardPanel rules={views.map((v) => v.view)} />
          <p className="note">
            Without marked incidents every firing minute counts as firing with no failure.
          </p>
        </>
      ) : null}
    </main>
  );
}
