// Every answer of a Prometheus-compatible server checked against the HTTP API's schema before
// anything reads it: a server that answers `result: [null]`, `values: "nope"`, labels that are
// objects or timestamps that are words is told apart from a real answer, with where it went
// wrong, and an answer too large to handle is refused before it is parsed. Pure: no fetch, no DOM.
import { backtestError, type Outcome } from './errors.ts';

/** The start of every message about an answer that breaks the API's schema. */
export const NOT_PROMETHEUS = 'the server answered something that is not a Prometheus API response';

/** What one answer may hold; larger answers are refused with a "too large" error. */
export interface AnswerLimits {
  /** The body's size in bytes (UTF-8), read no further than this. */
  readonly maxBytes: number;
  /** Series in one answer. */
  readonly maxSeries: number;
  /** Points over all series of one answer. */
  readonly maxPoints: number;
}

/**
 * The default limits: 32 MiB of JSON (a range query of 720 steps over about 1,500 series), 5,000
 * series and 2,000,000 points per answer. More than that is more than a page can replay and draw.
 */
export const DEFAULT_ANSWER_LIMITS: AnswerLimits = {
  maxBytes: 32 * 1024 * 1024,
  maxSeries: 5_000,
  maxPoints: 2_000_000,
};

/** One series of an answer: labels and [ms, value] points. */
export interface ApiSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly (readonly [number, number])[];
}

/** A schema violation at a path of the answer, e.g. `data.result[0].values[3][0]`. */
class SchemaError {
  constructor(readonly message: string) {}
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string')
    return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function fail(path: string, expected: string, got: unknown): never {
  throw new SchemaError(`${path} must be ${expected}, got ${describe(got)}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function notPrometheus(detail: string): Outcome<never> {
  return { ok: false, error: backtestError('bad-response', `${NOT_PROMETHEUS}: ${detail}`) };
}

function tooLarge(detail: string): Outcome<never> {
  return { ok: false, error: backtestError('too-large', `the answer is too large: ${detail}`) };
}

/** A sample value as the API prints it: a Go float ("1", "0.5", "1e-3", "+Inf", "-Inf", "NaN"). */
const FLOAT = /^[+-]?(?:Inf|NaN|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;

function sampleValue(v: unknown, path: string): number {
  if (typeof v !== 'string' || !FLOAT.test(v)) fail(path, 'a sample value string such as "1"', v);
  if (v.endsWith('Inf')) return v.startsWith('-') ? -Infinity : Infinity;
  if (v.endsWith('NaN')) return NaN;
  return Number(v);
}

function timestamp(v: unknown, path: string): number {
  // Prometheus writes Unix seconds as a JSON number; some servers quote them.
  const n = typeof v === 'number' ? v : typeof v === 'string' && FLOAT.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n)) fail(path, 'a Unix time in seconds', v);
  return Math.round(n * 1000);
}

function samplePair(v: unknown, path: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) fail(path, 'a [time, "value"] pair', v);
  return [timestamp(v[0], `${path}[0]`), sampleValue(v[1], `${path}[1]`)];
}

function labelSet(v: unknown, path: string): Record<string, string> {
  // An absent metric is an empty label set (a scalar-like series).
  if (v === undefined) return {};
  if (!isRecord(v)) fail(path, 'an object of label names to strings', v);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') fail(`${path}.${k}`, 'a string', x);
    out[k] = x;
  }
  return Object.freeze(out);
}

/** Counts series and points against the limits while reading. */
class Budget {
  series = 0;
  points = 0;
  constructor(private readonly limits: AnswerLimits) {}
  addSeries(points: number): string | null {
    this.series++;
    this.points += points;
    if (this.series > this.limits.maxSeries)
      return `more than ${this.limits.maxSeries.toLocaleString('en')} series`;
    if (this.points > this.limits.maxPoints)
      return `more than ${this.limits.maxPoints.toLocaleString('en')} points`;
    return null;
  }
}

class TooLarge {
  constructor(readonly message: string) {}
}

function resultList(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, 'a list', v);
  return v;
}

function readResult(d: Record<string, unknown>, budget: Budget): ApiSeries[] {
  const check = (points: number) => {
    const over = budget.addSeries(points);
    if (over) throw new TooLarge(over);
  };
  switch (d.resultType) {
    case 'matrix':
      return resultList(d.result, 'data.result').map((s, i) => {
        const path = `data.result[${i}]`;
        if (!isRecord(s)) fail(path, 'an object with metric and values', s);
        const labels = labelSet(s.metric, `${path}.metric`);
        // A series of native histograms only has no float values, which the backtest cannot use.
        if (s.values === undefined && s.histograms !== undefined) {
          check(0);
          return { labels, points: [] };
        }
        const values = resultList(s.values, `${path}.values`);
        check(values.length);
        return { labels, points: values.map((p, j) => samplePair(p, `${path}.values[${j}]`)) };
      });
    case 'vector':
      return resultList(d.result, 'data.result').flatMap((s, i) => {
        const path = `data.result[${i}]`;
        if (!isRecord(s)) fail(path, 'an object with metric and value', s);
        const labels = labelSet(s.metric, `${path}.metric`);
        if (s.value === undefined && s.histogram !== undefined) return [];
        check(1);
        return [{ labels, points: [samplePair(s.value, `${path}.value`)] }];
      });
    case 'scalar':
      check(1);
      return [{ labels: {}, points: [samplePair(d.result, 'data.result')] }];
    default:
      return fail('data.resultType', '"matrix", "vector" or "scalar"', d.resultType);
  }
}

/** The `data` of a query answer (matrix, vector or scalar), checked, as series. */
export function parseQueryData(
  data: unknown,
  limits: AnswerLimits = DEFAULT_ANSWER_LIMITS,
): Outcome<ApiSeries[]> {
  try {
    if (!isRecord(data)) fail('data', 'an object with resultType and result', data);
    return { ok: true, value: readResult(data, new Budget(limits)) };
  } catch (e) {
    if (e instanceof SchemaError) return notPrometheus(e.message);
    if (e instanceof TooLarge) return tooLarge(e.message);
    throw e;
  }
}

/** A parsed API envelope: the data of a success, or the error the server reported. */
export type Envelope =
  | { readonly status: 'success'; readonly data: unknown }
  | { readonly status: 'error'; readonly errorType: string; readonly error: string };

/** The body of an answer with a 2xx status, checked to be the API's `{status, data}` envelope. */
export function parseEnvelope(body: string): Outcome<Envelope> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const head = body.trim().slice(0, 120);
    return notPrometheus(`not JSON${head ? `: ${JSON.stringify(head)}` : ' (empty body)'}`);
  }
  if (!isRecord(json)) return notPrometheus(`the answer must be an object, got ${describe(json)}`);
  if (json.status === 'success') {
    if (json.data === undefined) return notPrometheus('a success without data');
    return { ok: true, value: { status: 'success', data: json.data } };
  }
  if (json.status === 'error') {
    return {
      ok: true,
      value: {
        status: 'error',
        errorType: typeof json.errorType === 'string' ? json.errorType : '',
        error: typeof json.error === 'string' ? json.error : '',
      },
    };
  }
  return notPrometheus(`status must be "success" or "error", got ${describe(json.status)}`);
}

/** The build information of /api/v1/status/buildinfo, checked. */
export function parseBuildInfo(
  data: unknown,
): Outcome<{ version: string; revision?: string; branch?: string }> {
  if (!isRecord(data)) return notPrometheus(`data must be an object, got ${describe(data)}`);
  if (typeof data.version !== 'string')
    return notPrometheus(`data.version must be a string, got ${describe(data.version)}`);
  return {
    ok: true,
    value: {
      version: data.version,
      ...(typeof data.revision === 'string' ? { revision: data.revision } : {}),
      ...(typeof data.branch === 'string' ? { branch: data.branch } : {}),
    },
  };
}

/** The result of reading a body with a size cap. */
export type CappedText = { ok: true; text: string } | { ok: false; bytes: number };

/**
 * Reads a stream of bytes as UTF-8 text, stopping (and cancelling the stream) as soon as more
 * than `maxBytes` arrived, so a huge answer is never held whole.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<CappedText> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false, bytes };
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return { ok: true, text: parts.join('') };
}

/** The message for a body cut at the cap. */
export function tooLargeBody(limits: AnswerLimits): Outcome<never> {
  return tooLarge(`more than ${Math.round(limits.maxBytes / 1024 / 1024)} MiB`);
}
