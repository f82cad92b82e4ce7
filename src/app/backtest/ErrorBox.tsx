// A backtest failure: what happened and what to do, with the CORS instructions at hand where
// the browser may have refused the server's answer.
import type { BacktestError } from '../../backtest/index.ts';

/** The page's origin as a regular expression for Prometheus's --web.cors.origin. */
export function originPattern(origin: string): string {
  return origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How to let this page read the server: the flag to set, with this page's origin. */
export function CorsHelp() {
  const origin = location.origin;
  return (
    <details className="cors-help" data-testid="cors-help">
      <summary>How to let this page read the server (CORS)</summary>
      <p>
        The page calls the server from your browser, which hands it the answer only if the server
        allows this page&apos;s origin, <code>{origin}</code>.
      </p>
      <ul>
        <li>
          <strong>Prometheus</strong>: start it with{' '}
          <code data-testid="cors-flag">--web.cors.origin=&apos;{originPattern(origin)}&apos;</code>{' '}
          (a regular expression matched against the origin; <code>.*</code> allows any).
        </li>
        <li>
          <strong>VictoriaMetrics</strong> sends CORS headers by default.{' '}
          <strong>Thanos Query</strong> and <strong>Mimir</strong> have no such flag: put a reverse
          proxy (nginx, Caddy) in front that serves this page and the API from one origin, or add{' '}
          <code>Access-Control-Allow-Origin: {origin}</code> there.
        </li>
        <li>
          <strong>During development</strong>, let Vite&apos;s dev server forward a path such as{' '}
          <code>/prometheus</code> to the server (<code>server.proxy</code> in{' '}
          <code>vite.config.ts</code>) and use <code>{origin}/prometheus</code> as the URL: the page
          then calls its own origin.
        </li>
      </ul>
      <p className="note">The same, at more length: “CORS” in docs/BACKTEST.md of the project.</p>
    </details>
  );
}

/** Props of the error box. */
export interface ErrorBoxProps {
  readonly error: BacktestError;
  readonly testId: string;
}

/** One failure, its hint, and the CORS instructions when the browser may be the cause. */
export function ErrorBox({ error, testId }: ErrorBoxProps) {
  return (
    <div className="error" role="alert" data-testid={testId} data-kind={error.kind}>
      <strong>{error.message}.</strong> {error.hint}
      {error.kind === 'cors' || error.kind === 'unreachable' ? <CorsHelp /> : null}
    </div>
  );
}
