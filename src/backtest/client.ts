// A small client for the Prometheus HTTP API (Prometheus, Thanos Query, Cortex/Mimir,
// VictoriaMetrics) over an injected fetch: build info, instant and range queries, each failure
// classified (unreachable, CORS, auth, timeout, server) with what to do about it.
import { backtestError, classifyHttpError, type BacktestError, type Outcome } from './errors.ts';
import {
  DEFAULT_ANSWER_LIMITS,
  parseBuildInfo,
  parseEnvelope,
  parseQueryData,
  readCapped,
  tooLargeBody,
  type AnswerLimits,
} from './schema.ts';
import { checkSourceUrl } from './url.ts';

/** Credentials for the data source, kept in memory unless the user asks otherwise. */
export type DataSourceAuth =
  | { readonly type: 'none' }
  | { readonly type: 'bearer'; readonly token: string }
  | { readonly type: 'basic'; readonly user: string; readonly password: string };

/** Where the data comes from. `url` is the API's base, without /api/v1. */
export interface DataSource {
  readonly url: string;
  readonly auth?: DataSourceAuth;
}

/** The fetch the client uses (the browser's, Node's, or a test double). */
export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** Client options. */
export interface ClientOptions {
  readonly fetch: FetchFn;
  /** Per-request time limit, ms (default 60 s). */
  readonly timeoutMs?: number;
  /**
   * After a network failure, probe the URL with a `no-cors` request to tell a CORS refusal from
   * an unreachable server (browsers only; default false).
   */
  readonly probeCors?: boolean;
  /** What one answer may hold (default DEFAULT_ANSWER_LIMITS). */
  readonly limits?: AnswerLimits;
}

/** One series of a range query: labels and [ms, value] points. */
export interface RangeSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly (readonly [number, number])[];
}

/** What /api/v1/status/buildinfo reports. */
export interface BuildInfo {
  readonly version: string;
  readonly revision?: string;
  readonly branch?: string;
}

/** The client's calls; every one resolves (never rejects) to a value or a classified error. */
export interface PrometheusApi {
  readonly source: DataSource;
  buildInfo(signal?: AbortSignal): Promise<Outcome<BuildInfo>>;
  /** A range query: the expression at start, start+step, … ≤ end (ms). */
  queryRange(
    expr: string,
    start: number,
    end: number,
    step: number,
    signal?: AbortSignal,
  ): Promise<Outcome<RangeSeries[]>>;
  /** An instant query returning a matrix (a range selector): the raw samples. */
  queryMatrix(expr: string, t: number, signal?: AbortSignal): Promise<Outcome<RangeSeries[]>>;
  /** The fetch with the data source's credentials, for other clients (completion). */
  readonly authorizedFetch: FetchFn;
}

/** The Authorization header for the credentials, if any. */
export function authHeader(auth: DataSourceAuth | undefined): string | undefined {
  if (!auth || auth.type === 'none') return undefined;
  if (auth.type === 'bearer') return `Bearer ${auth.token}`;
  const bytes = new TextEncoder().encode(`${auth.user}:${auth.password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

/** Parses a sample value as the API prints it ("NaN", "+Inf", "-Inf", decimal). */
export function parseApiValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  return Number(text);
}

function formatApiTime(ms: number): string {
  return (ms / 1000).toString();
}

/** A client for the data source. */
export function createClient(source: DataSource, opts: ClientOptions): PrometheusApi {
  // A URL without a scheme is completed with http://; one that cannot be called fails each call.
  const checked = checkSourceUrl(source.url);
  const base = checked.ok ? checked.url : source.url.trim();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const authorization = authHeader(source.auth);
  const limits = opts.limits ?? DEFAULT_ANSWER_LIMITS;

  const authorizedFetch: FetchFn = (input, init) => {
    const headers = new Headers(init?.headers);
    if (authorization) headers.set('Authorization', authorization);
    return opts.fetch(input, { ...init, headers });
  };

  async function call(
    path: string,
    params: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Outcome<unknown>> {
    if (signal?.aborted) return { ok: false, error: backtestError('aborted', 'cancelled') };
    if (!checked.ok) return { ok: false, error: backtestError('bad-url', checked.message) };
    const url = `${base}${path}?${new URLSearchParams(params).toString()}`;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      let res: Response;
      try {
        res = await authorizedFetch(url, {
          signal: controller.signal,
          headers: { Accept: 'application/json' },
        });
      } catch (e) {
        if (signal?.aborted) return { ok: false, error: backtestError('aborted', 'cancelled') };
        if (timedOut) {
          return {
            ok: false,
            error: backtestError('timeout', `no answer from ${base} within ${timeoutMs / 1000}s`),
          };
        }
        return { ok: false, error: await networkError(base, e) };
      }
      let body: string;
      try {
        // Read in chunks and stop at the cap: a huge answer is never held whole.
        const read = res.body
          ? await readCapped(res.body, limits.maxBytes)
          : ({ ok: true, text: await res.text() } as const);
        if (!read.ok || read.text.length > limits.maxBytes) return tooLargeBody(limits);
        body = read.text;
      } catch (e) {
        if (signal?.aborted) return { ok: false, error: backtestError('aborted', 'cancelled') };
        if (timedOut) {
          return {
            ok: false,
            error: backtestError('timeout', `no answer from ${base} within ${timeoutMs / 1000}s`),
          };
        }
        return { ok: false, error: await networkError(base, e) };
      }
      if (!res.ok) return { ok: false, error: classifyHttpError(res.status, body) };
      const envelope = parseEnvelope(body);
      if (!envelope.ok) return envelope;
      if (envelope.value.status !== 'success')
        return { ok: false, error: classifyHttpError(422, body) };
      return { ok: true, value: envelope.value.data };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async function networkError(target: string, e: unknown): Promise<BacktestError> {
    const detail = e instanceof Error ? causeText(e) : String(e);
    if (opts.probeCors) {
      try {
        await opts.fetch(`${target}/api/v1/status/buildinfo`, { mode: 'no-cors' });
        return backtestError(
          'cors',
          `${target} answered, but the browser blocked the response (CORS)`,
        );
      } catch {
        // Unreachable even without CORS.
      }
      return backtestError(
        'unreachable',
        `cannot reach ${target} (server down, wrong URL, or a CORS refusal): ${detail}`,
      );
    }
    return backtestError('unreachable', `cannot reach ${target}: ${detail}`);
  }

  async function matrixCall(
    path: string,
    params: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Outcome<RangeSeries[]>> {
    const r = await call(path, params, signal);
    if (!r.ok) return r;
    return parseMatrix(r.value, limits);
  }

  return {
    source,
    authorizedFetch,
    async buildInfo(signal) {
      const r = await call('/api/v1/status/buildinfo', {}, signal);
      if (!r.ok) return r;
      return parseBuildInfo(r.value);
    },
    queryRange(expr, start, end, step, signal) {
      return matrixCall(
        '/api/v1/query_range',
        {
          query: expr,
          start: formatApiTime(start),
          end: formatApiTime(end),
          step: formatApiTime(step),
        },
        signal,
      );
    },
    queryMatrix(expr, t, signal) {
      return matrixCall('/api/v1/query', { query: expr, time: formatApiTime(t) }, signal);
    },
  };
}

function causeText(e: Error): string {
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) return `${e.message} (${cause.message})`;
  return e.message;
}

/** A `data` object of resultType matrix (or vector/scalar, as one point each) as series, checked
 * against the API's schema. */
export function parseMatrix(
  data: unknown,
  limits: AnswerLimits = DEFAULT_ANSWER_LIMITS,
): Outcome<RangeSeries[]> {
  return parseQueryData(data, limits);
}
