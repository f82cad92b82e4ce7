// The data source: its URL (checked as typed: a missing scheme is completed with http://),
// credentials, and Test connection.
import { checkSourceUrl } from '../../backtest/index.ts';
import { useBacktest, type AuthType } from '../state/backtest.ts';
import { ErrorBox } from './ErrorBox.tsx';

/** What the page makes of the URL as typed, under the field. */
function UrlNote({ url }: { url: string }) {
  const checked = checkSourceUrl(url);
  if (!checked.ok)
    return (
      <p className="field-error" data-testid="url-problem">
        The URL: {checked.message}.
      </p>
    );
  return checked.completed ? (
    <p className="note" data-testid="url-completed">
      No scheme given: the page calls <code>{checked.url}</code>.
    </p>
  ) : null;
}

/** The data source panel. */
export function SourceForm() {
  const form = useBacktest((s) => s.source);
  const connection = useBacktest((s) => s.connection);
  const update = useBacktest((s) => s.updateSource);
  const testConnection = useBacktest((s) => s.testConnection);
  return (
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
        <button type="button" className="button" onClick={testConnection}>
          Test connection
        </button>
      </div>
      <UrlNote url={form.url} />
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
  );
}
