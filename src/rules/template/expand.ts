// Prometheus's template expansion for alert labels and annotations (template/template.go and
// rules/alerting.go): the $labels/$value/$externalLabels/$externalURL definitions, the function
// map (humanize…, query, first, label, value, reReplaceAll, …) and the error texts Prometheus
// renders as `<error expanding template: …>`.
import { compileGoRegex, expandGo, replaceAllGo } from '../../promql/index.ts';
import type { RE2JS } from 're2js';
import { formatGoFloat, parseDuration } from '../../text/index.ts';
import {
  GoDuration,
  GoMap,
  GoSlice,
  GoStruct,
  GoTime,
  goSprintf,
  type GoValue,
} from './goValues.ts';
import {
  BUILTIN_FUNCS,
  GoCallError,
  TemplateExecError,
  executeTemplate,
  goQueryEscape,
  type TemplateFunc,
} from './exec.ts';
import { TemplateParseError, parseTemplate, type Node } from './parse.ts';

/** One sample a template's `query` returns. */
export interface TemplateSample {
  labels: Readonly<Record<string, string>>;
  v: number;
}

/** What a template sees when it is expanded for one alert. */
export interface TemplateContext {
  /** The alert's name; the template is called `__alert_<name>`. */
  alertName: string;
  labels: Readonly<Record<string, string>>;
  value: number;
  externalLabels?: Readonly<Record<string, string>>;
  externalURL?: string;
  /** Evaluation time in ms (for `query` and `now`). */
  timestamp: number;
  /** Runs a PromQL instant query at the given time; returns samples or an error message. */
  query?: (expr: string, t: number) => TemplateSample[] | { error: string };
  compat?: 'v2' | 'v3';
}

const DEFS =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

function goParseFloat(s: string): number {
  const fail = (): never => {
    throw new GoCallError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
  };
  const t = s.toLowerCase();
  const body = t.replace(/^[+-]/, '');
  if (body === 'inf' || body === 'infinity') return t.startsWith('-') ? -Infinity : Infinity;
  if (body === 'nan') return NaN;
  if (/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+)(e[+-]?\d+)?$/.test(t) && !t.includes('_')) {
    const v = Number(t);
    if (!Number.isFinite(v)) {
      throw new GoCallError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`);
    }
    return v;
  }
  if (/^[+-]?0x[0-9a-f]+$/.test(t)) return Number.parseInt(t, 16);
  return fail();
}

function convertToFloat(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return goParseFloat(v);
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GoDuration) return Number(v.nanos) / 1e9;
  const typeName =
    v === null || v === undefined ? '<nil>' : v instanceof GoTime ? 'time.Time' : 'unknown';
  throw new GoCallError(`can't convert ${typeName} to float`);
}

function floatToTime(v: number): GoTime | 'nan' {
  if (!Number.isFinite(v)) return 'nan';
  const nanos = v * 1e9;
  if (nanos > 9.223372036854776e18 || nanos < -9.223372036854776e18) {
    throw new GoCallError(
      `${formatGoFloat(v, 'g', -1)} cannot be represented as a nanoseconds timestamp since it overflows int64`,
    );
  }
  // model.TimeFromUnixNano keeps milliseconds.
  const ms = BigInt(Math.trunc(nanos)) / 1_000_000n;
  return new GoTime(ms * 1_000_000n);
}

function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goSprintf('%.4g', [v]);
  if (Math.abs(v) >= 1) {
    let prefix = '';
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return goSprintf('%.4g', [v]) + prefix;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return goSprintf('%.4g', [v]) + prefix;
}

function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return goSprintf('%.4g', [v]);
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return goSprintf('%.4g', [v]) + prefix;
}

function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return goSprintf('%.4g', [v]);
  if (v === 0) return goSprintf('%.4gs', [v]);
  if (Math.abs(v) >= 1) {
    let sign = '';
    if (v < 0) {
      sign = '-';
      v = -v;
    }
    const whole = Math.trunc(v);
    const seconds = whole % 60;
    const minutes = Math.trunc(whole / 60) % 60;
    const hours = Math.trunc(whole / 3600) % 24;
    const days = Math.trunc(whole / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return sign + goSprintf('%.4gs', [v]);
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return goSprintf('%.4g', [v]) + prefix + 's';
}

/** regexp.Compile: RE2 syntax and semantics in linear time, or Go's error as the call's error. */
function goRegex(pattern: string): RE2JS {
  const re = compileGoRegex(pattern);
  if (typeof re === 'string') throw new GoCallError(re);
  return re;
}

/** How regexp.MustCompile's panic names a pattern (backquoted when it can be). */
function compileQuote(pattern: string): string {
  // strconv.CanBackquote: no backquote and no control characters other than tab.
  const ok = [...pattern].every((c) => {
    const cp = c.codePointAt(0) ?? 0;
    return c !== '`' && cp !== 0x7f && (cp >= 0x20 || c === '\t');
  });
  return ok ? `\`${pattern}\`` : JSON.stringify(pattern);
}

/** Regexp.ReplaceAllString: `$1`, `${1}`, `$name`, `$$` in the replacement. */
function reReplaceAll(pattern: string, repl: string, text: string): string {
  let re: RE2JS;
  try {
    re = goRegex(pattern);
  } catch (err) {
    // regexp.MustCompile panics; text/template turns the panic into the call's error.
    throw new GoCallError(
      `regexp: Compile(${compileQuote(pattern)}): ${err instanceof Error ? err.message : ''}`,
    );
  }
  return replaceAllGo(re, text, (m) => expandGo(repl, m));
}

/** strings.Title. */
function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep = /[\p{L}\p{Nd}_]/u.test(prev)
      ? false
      : (prev.codePointAt(0) ?? 0) < 0x80 || /\s/u.test(prev);
    out += sep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

/** net.SplitHostPort, or undefined where Go returns an error. */
function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  const i = hostPort.lastIndexOf(':');
  if (i < 0) return undefined;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end < 0 || end + 1 !== i) return undefined;
    return { host: hostPort.slice(1, end), port: hostPort.slice(i + 1) };
  }
  const host = hostPort.slice(0, i);
  if (host.includes(':')) return undefined;
  return { host, port: hostPort.slice(i + 1) };
}

function parsePromDuration(s: string): number {
  const ms = parseDuration(s);
  if (ms === null) throw new GoCallError(`not a valid duration string: ${JSON.stringify(s)}`);
  return ms;
}

function sampleValue(s: TemplateSample): GoStruct {
  return new GoStruct(
    'template.sample',
    new Map<string, GoValue>([
      ['Labels', new GoMap(new Map(Object.entries(s.labels)), 'string')],
      ['Value', s.v],
    ]),
    true,
  );
}

function sampleField(s: GoValue, field: 'Labels' | 'Value'): GoValue {
  if (!(s instanceof GoStruct))
    throw new GoCallError('invalid memory address or nil pointer dereference');
  return s.fields.get(field);
}

function buildFuncs(ctx: TemplateContext): Record<string, TemplateFunc> {
  const nilURL = (): never => {
    throw new GoCallError('runtime error: invalid memory address or nil pointer dereference');
  };
  const num = (f: (v: number) => string): TemplateFunc => ({
    params: ['any'],
    impl: ([v]) => f(convertToFloat(v)),
  });
  return {
    query: {
      params: ['string'],
      impl: ([q]) => {
        if (!ctx.query) throw new GoCallError('query is not available');
        const res = ctx.query(q as string, ctx.timestamp);
        if (!Array.isArray(res)) throw new GoCallError(res.error);
        return new GoSlice('*template.sample', res.map(sampleValue));
      },
    },
    first: {
      params: ['queryResult'],
      impl: ([v]) => {
        if (v instanceof GoSlice && v.items.length > 0) return v.items[0];
        throw new GoCallError('first() called on vector with no elements');
      },
    },
    label: {
      params: ['string', 'sample'],
      impl: ([l, s]) => {
        const labels = sampleField(s, 'Labels');
        return labels instanceof GoMap ? (labels.entries.get(l as string) ?? '') : '';
      },
    },
    value: { params: ['sample'], impl: ([s]) => sampleField(s, 'Value') },
    strvalue: {
      params: ['sample'],
      impl: ([s]) => {
        const labels = sampleField(s, 'Labels');
        return labels instanceof GoMap ? (labels.entries.get('__value__') ?? '') : '';
      },
    },
    args: {
      params: [],
      variadic: 'any',
      impl: (args) => new GoMap(new Map(args.map((a, i) => [`arg${i}`, a])), 'interface {}'),
    },
    reReplaceAll: {
      params: ['string', 'string', 'string'],
      impl: ([p, r, t]) => reReplaceAll(p as string, r as string, t as string),
    },
    safeHtml: { params: ['string'], impl: ([s]) => s },
    match: {
      params: ['string', 'string'],
      impl: ([p, s]) => goRegex(p as string).test(s as string),
    },
    title: { params: ['string'], impl: ([s]) => goTitle(s as string) },
    toUpper: { params: ['string'], impl: ([s]) => (s as string).toUpperCase() },
    toLower: { params: ['string'], impl: ([s]) => (s as string).toLowerCase() },
    graphLink: {
      params: ['string'],
      impl: ([e]) => `/graph?g0.expr=${goQueryEscape(e as string)}&g0.tab=0`,
    },
    tableLink: {
      params: ['string'],
      impl: ([e]) => `/graph?g0.expr=${goQueryEscape(e as string)}&g0.tab=1`,
    },
    sortByLabel: {
      params: ['string', 'queryResult'],
      impl: ([l, v]) => {
        if (!(v instanceof GoSlice)) return v;
        const key = (s: GoValue): string => {
          const labels = s instanceof GoStruct ? s.fields.get('Labels') : undefined;
          return labels instanceof GoMap ? String(labels.entries.get(l as string) ?? '') : '';
        };
        const sorted = [...v.items].sort((a, b) =>
          key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0,
        );
        v.items.splice(0, v.items.length, ...sorted);
        return v;
      },
    },
    humanize: num(humanize),
    humanize1024: num(humanize1024),
    humanizeDuration: num(humanizeDuration),
    humanizePercentage: num((v) => goSprintf('%.4g%%', [v * 100])),
    humanizeTimestamp: num((v) => {
      const t = floatToTime(v);
      return t === 'nan' ? goSprintf('%.4g', [v]) : goSprintfTime(t);
    }),
    toTime: {
      params: ['any'],
      impl: ([v]) => {
        const f = convertToFloat(v);
        const t = floatToTime(f);
        if (t === 'nan')
          throw new GoCallError(`cannot convert ${formatGoFloat(f, 'g', -1)} to time.Time`);
        return t;
      },
    },
    now: { params: [], impl: () => ctx.timestamp / 1000 },
    toDuration: {
      params: ['any'],
      impl: ([v]) => {
        const f = convertToFloat(v);
        if (!Number.isFinite(f))
          throw new GoCallError(`cannot convert ${formatGoFloat(f, 'g', -1)} to time.Duration`);
        return new GoDuration(BigInt(Math.trunc(f * 1e9)));
      },
    },
    urlQueryEscape: { params: ['string'], impl: ([s]) => goQueryEscape(s as string) },
    // promtool gives templates a nil *url.URL, so these two fail as they do there.
    pathPrefix: { params: [], impl: nilURL },
    externalURL: { params: [], impl: nilURL },
    parseDuration: {
      params: ['string'],
      impl: ([s]) => parsePromDuration(s as string) / 1000,
    },
    stripPort: {
      params: ['string'],
      impl: ([s]) => splitHostPort(s as string)?.host ?? s,
    },
    stripDomain: {
      params: ['string'],
      impl: ([s]) => {
        const hp = s as string;
        const split = splitHostPort(hp);
        const host = split?.host ?? hp;
        if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':')) return hp;
        const short = host.split('.')[0] ?? host;
        return split && split.port !== '' ? `${short}:${split.port}` : split ? `${short}:` : short;
      },
    },
  };
}

function goSprintfTime(t: GoTime): string {
  return goSprintf('%v', [t]);
}

/** Functions Prometheus 3 added; promtool 2.42 does not know them. */
const V3_ONLY = new Set(['now', 'toDuration', 'urlQueryEscape']);

function knownFunction(compat: 'v2' | 'v3' | undefined): (name: string) => boolean {
  return (name) =>
    name === 'and' ||
    name === 'or' ||
    name in BUILTIN_FUNCS ||
    (name in KNOWN_NAMES && (compat !== 'v2' || !V3_ONLY.has(name)));
}

const KNOWN_NAMES: Record<string, true> = Object.fromEntries(
  Object.keys(buildFuncs({ alertName: '', labels: {}, value: 0, timestamp: 0 })).map((k) => [
    k,
    true,
  ]),
);

function templateData(ctx: TemplateContext): GoStruct {
  const valueType = ctx.compat === 'v2' ? 'float64' : 'interface {}';
  return new GoStruct(
    `struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value ${valueType} }`,
    new Map<string, GoValue>([
      ['Labels', new GoMap(new Map(Object.entries(ctx.labels)), 'string')],
      ['ExternalLabels', new GoMap(new Map(Object.entries(ctx.externalLabels ?? {})), 'string')],
      ['ExternalURL', ctx.externalURL ?? ''],
      ['Value', ctx.value],
    ]),
  );
}

/**
 * Parsed templates by compat mode and text, kept by their rule: an alerting rule expands the same
 * few templates at every evaluation.
 */
export type ParsedTemplates = Map<string, Node[] | TemplateParseError>;

/** Parses a template the way `promtool check rules` does; returns Go's error text or undefined. */
export function checkTemplate(
  text: string,
  alertName: string,
  compat?: 'v2' | 'v3',
): string | undefined {
  try {
    parseTemplate(DEFS + text, knownFunction(compat));
    return undefined;
  } catch (err) {
    if (err instanceof TemplateParseError)
      return `template: __alert_${alertName}:${err.line}: ${err.message}`;
    throw err;
  }
}

/**
 * Expands one label or annotation template; errors are values with Prometheus's wording. Each
 * text is parsed once in `parsed`, when given.
 */
export function expandTemplate(
  text: string,
  ctx: TemplateContext,
  parsed: ParsedTemplates = new Map(),
): { ok: true; text: string } | { ok: false; error: string } {
  const name = `__alert_${ctx.alertName}`;
  const full = DEFS + text;
  const cacheKey = `${ctx.compat ?? 'v3'}\u0000${full}`;
  let tree = parsed.get(cacheKey);
  if (tree === undefined) {
    try {
      tree = parseTemplate(full, knownFunction(ctx.compat));
    } catch (err) {
      if (!(err instanceof TemplateParseError)) throw err;
      tree = err;
    }
    parsed.set(cacheKey, tree);
  }
  if (tree instanceof TemplateParseError) {
    return {
      ok: false,
      error: `error parsing template ${name}: template: ${name}:${tree.line}: ${tree.message}`,
    };
  }
  const nodes = tree;
  try {
    return {
      ok: true,
      text: executeTemplate(name, full, nodes, templateData(ctx), () => buildFuncs(ctx)),
    };
  } catch (err) {
    if (err instanceof TemplateExecError) {
      return { ok: false, error: `error executing template ${name}: ${err.message}` };
    }
    if (err instanceof GoCallError) {
      return { ok: false, error: `error executing template ${name}: ${err.message}` };
    }
    throw err;
  }
}

/** Expands a template as an alerting rule does: failures render as `<error expanding template: …>`. */
export function renderTemplate(
  text: string,
  ctx: TemplateContext,
  parsed?: ParsedTemplates,
): string {
  const r = expandTemplate(text, ctx, parsed);
  return r.ok ? r.text : `<error expanding template: ${r.error}>`;
}
