// Text conversions shared by the engine, the CLI and the rules: durations (model.Duration),
// floats (Go's strconv.FormatFloat 'g' -1), label sets and Go string literals (strconv.Quote/Unquote).
import type { Labels } from './labels.ts';

const units: readonly [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const durationRe =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Parses Prometheus duration syntax ("1h30m", "120s", "0") to ms; null if invalid. */
export function parseDuration(text: string): number | null {
  if (text === '0') return 0;
  if (text === '') return null;
  const m = durationRe.exec(text);
  if (!m) return null;
  let total = 0;
  let any = false;
  for (let i = 0; i < units.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) {
      any = true;
      total += Number(part) * units[i]![1];
    }
  }
  if (!any || !Number.isSafeInteger(total)) return null;
  return total;
}

/** Formats ms the way Prometheus prints a model.Duration ("1h30m", "2m", "0s"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return '-' + formatDuration(-ms);
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Formats a float like Go's strconv.FormatFloat(v, 'g', -1, 64), as Prometheus prints values. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant = '', expText = '0'] = v.toExponential().split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 6) {
    const frac = digits.slice(1);
    const e = Math.abs(exp);
    out = `${digits[0]}${frac ? '.' + frac : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  } else if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return neg ? '-' + out : out;
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): no exponent (used by count_values). */
export function formatFloatPlain(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const [mant = '', expText = '0'] = v.toExponential().split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp < 0) out = '0.' + '0'.repeat(-exp - 1) + digits;
  else if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length);
  else out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  if (out === '0' && Object.is(v, -0)) return '-0';
  return neg ? '-' + out : out;
}

/** Quotes a string like Go's strconv.Quote. */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

const legacyName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const legacyMetricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Whether a label name needs no quoting in PromQL. */
export function isLegacyLabelName(name: string): boolean {
  return legacyName.test(name);
}

/** Whether a metric name needs no quoting in PromQL. */
export function isLegacyMetricName(name: string): boolean {
  return legacyMetricName.test(name);
}

function sortedNames(labels: Labels): string[] {
  return Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Formats a label set like the Prometheus UI: 'up{instance="a",job="etcd"}'. */
export function formatLabels(labels: Labels): string {
  const name = labels['__name__'];
  const parts: string[] = [];
  const plainName = name !== undefined && isLegacyMetricName(name);
  if (name !== undefined && !plainName) parts.push(quoteString(name));
  for (const k of sortedNames(labels)) {
    if (k === '__name__') continue;
    const key = isLegacyLabelName(k) ? k : quoteString(k);
    parts.push(`${key}=${quoteString(labels[k]!)}`);
  }
  if (plainName) return parts.length === 0 ? name : `${name}{${parts.join(',')}}`;
  return `{${parts.join(',')}}`;
}

/** Formats a label set like Go's labels.Labels.String(): '{__name__="up", job="etcd"}'. */
export function formatLabelsGo(labels: Labels): string {
  const parts = sortedNames(labels).map((k) => {
    const key = isLegacyLabelName(k) ? k : quoteString(k);
    return `${key}=${quoteString(labels[k]!)}`;
  });
  return `{${parts.join(', ')}}`;
}

/** Unquotes a Go string literal ("…", '…' or `…`); null if malformed. */
export function unquoteString(text: string): string | null {
  if (text.length < 2) return null;
  const q = text[0];
  if (q !== text[text.length - 1]) return null;
  const body = text.slice(1, -1);
  if (q === '`') return body.includes('`') ? null : body;
  if (q !== '"' && q !== "'") return null;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === q || ch === '\n') return null;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
      case "'":
        if (e !== q) return null;
        out += e;
        break;
      case 'x': {
        // A run of \x bytes is decoded as UTF-8; bytes that do not form valid UTF-8 become
        // lone surrogates (U+DC80..U+DCFF), so label validation can reject them like Go does.
        const bytes: number[] = [];
        let j = i - 1;
        while (
          body[j] === '\\' &&
          body[j + 1] === 'x' &&
          /^[0-9a-fA-F]{2}$/.test(body.slice(j + 2, j + 4))
        ) {
          bytes.push(parseInt(body.slice(j + 2, j + 4), 16));
          j += 4;
        }
        if (bytes.length === 0) return null;
        try {
          out += new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
        } catch {
          for (const b of bytes) out += String.fromCharCode(b < 0x80 ? b : 0xdc00 + b);
        }
        i = j - 1;
        break;
      }
      case 'u':
      case 'U': {
        const n = e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + n);
        if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return null;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) return null;
        out += String.fromCodePoint(code);
        i += n;
        break;
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const oct = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) return null;
          const code = parseInt(oct, 8);
          if (code > 255) return null;
          out += String.fromCharCode(code);
          i += 2;
          break;
        }
        return null;
      }
    }
  }
  return out;
}
