// What went wrong talking to a Prometheus-compatible API, each kind with a message that says what
// to do about it. Errors are values: the client never throws across its API.

/** The kinds of failure the backtest tells apart. */
export type BacktestErrorKind =
  | 'bad-url'
  | 'unreachable'
  | 'cors'
  | 'auth'
  | 'timeout'
  | 'aborted'
  | 'not-found'
  | 'bad-query'
  | 'server'
  | 'bad-response'
  | 'too-large';

/** A classified failure: `message` says what happened, `hint` what to do. */
export interface BacktestError {
  readonly kind: BacktestErrorKind;
  readonly message: string;
  readonly hint: string;
  /** The HTTP status, when the server answered. */
  readonly status?: number;
}

/** A value or a classified error. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: BacktestError };

const HINTS: Record<BacktestErrorKind, string> = {
  'bad-url':
    'Write the base URL of the Prometheus-compatible API with its scheme, e.g. http://localhost:9090 (for Mimir or Cortex with its /prometheus prefix).',
  unreachable:
    'Check the URL (scheme, host, port) and that the server is running; if it stopped during the run, start it again and re-run.',
  cors: "The server answered but the browser refused the response (CORS). Start Prometheus with --web.cors.origin=<this page's origin regex>, or use the dev server's proxy (see docs/BACKTEST.md).",
  auth: 'The server refused the credentials. Set the bearer token or the basic-auth user and password in the data source panel (--bearer-token / --user on the command line).',
  timeout:
    "The query took too long. Choose a shorter range, a larger step, or raise the server's --query.timeout.",
  aborted: 'The run was cancelled.',
  'not-found':
    'No Prometheus API at this URL. Give the base URL without /api/v1 (for Mimir or Cortex include the /prometheus prefix).',
  'bad-query': 'The server rejected the query; fix the expression.',
  server: 'The server failed to answer; see its logs, or retry with a shorter range.',
  'bad-response':
    'The answer is not a Prometheus API response; check that the URL points at a Prometheus-compatible API.',
  'too-large':
    'Choose a shorter range or a larger step, or narrow the expression with label matchers so it returns fewer series.',
};

/** Builds an error of a kind with its standard hint. */
export function backtestError(
  kind: BacktestErrorKind,
  message: string,
  status?: number,
): BacktestError {
  return status === undefined
    ? { kind, message, hint: HINTS[kind] }
    : { kind, message, hint: HINTS[kind], status };
}

/** Classifies an HTTP error answer from its status and (Prometheus-shaped) body. */
export function classifyHttpError(status: number, body: string): BacktestError {
  let apiError: string | undefined;
  let errorType: string | undefined;
  try {
    const json = JSON.parse(body) as { error?: unknown; errorType?: unknown };
    if (typeof json.error === 'string') apiError = json.error;
    if (typeof json.errorType === 'string') errorType = json.errorType;
  } catch {
    // Not JSON: a proxy's page or plain text.
  }
  const detail = apiError ?? (body.trim().slice(0, 200) || `HTTP ${status}`);
  if (status === 401 || status === 403) {
    return backtestError('auth', `authentication failed (HTTP ${status}): ${detail}`, status);
  }
  if (status === 404) return backtestError('not-found', `HTTP 404: ${detail}`, status);
  if (errorType === 'timeout' || status === 504 || status === 408) {
    return backtestError('timeout', `query timed out (HTTP ${status}): ${detail}`, status);
  }
  if (errorType === 'bad_data' || status === 400 || status === 422) {
    return backtestError('bad-query', `the server rejected the query: ${detail}`, status);
  }
  return backtestError('server', `server error (HTTP ${status}): ${detail}`, status);
}

/** One line for people: the message and what to do. */
export function formatBacktestError(e: BacktestError): string {
  return `${e.message}. ${e.hint}`;
}
