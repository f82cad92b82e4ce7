// The Go values a Prometheus template works with, and Go's fmt printing of them (fmt/print.go,
// fmt/format.go): %v %s %d %f %e %g %q %x %t %%, flags, width and precision, and the
// %!verb(type=value) forms Go prints for a wrong or missing argument.
import { formatGoDuration, formatGoFloat, quoteString } from '../../text/index.ts';

/** A Go map (map[string]string or map[string]interface {}); missing keys give the zero value. */
export class GoMap {
  constructor(
    readonly entries: ReadonlyMap<string, GoValue>,
    readonly elemType: 'string' | 'interface {}',
  ) {}
}

/** A Go struct value; `pointer` marks a *struct (printed with a leading &). */
export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: ReadonlyMap<string, GoValue>,
    readonly pointer = false,
  ) {}
}

/** A Go slice. */
export class GoSlice {
  constructor(
    readonly elemType: string,
    readonly items: GoValue[],
  ) {}
}

/** A time.Time in UTC, kept as Unix nanoseconds. */
export class GoTime {
  constructor(readonly unixNanos: bigint) {}
}

/** A time.Duration in nanoseconds. */
export class GoDuration {
  constructor(readonly nanos: bigint) {}
}

/**
 * A Go value: string, float64 (number), int (bigint), bool, nil (null), an invalid value
 * (undefined, printed `<no value>`), or one of the classes above.
 */
export type GoValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | GoMap
  | GoStruct
  | GoSlice
  | GoTime
  | GoDuration;

/** The Go type name, as Go's error messages print it. */
export function goTypeName(v: GoValue): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
  }
  if (v instanceof GoMap) return `map[string]${v.elemType}`;
  if (v instanceof GoStruct) return (v.pointer ? '*' : '') + v.typeName;
  if (v instanceof GoSlice) return `[]${v.elemType}`;
  if (v instanceof GoTime) return 'time.Time';
  return 'time.Duration';
}

/** Go's truth: false, 0, nil, and empty strings, maps and slices are false. */
export function goTruth(v: GoValue): boolean {
  if (v === null || v === undefined) return false;
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'boolean':
      return v;
  }
  if (v instanceof GoMap) return v.entries.size > 0;
  if (v instanceof GoSlice) return v.items.length > 0;
  if (v instanceof GoDuration) return v.nanos !== 0n;
  return true;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** time.Time.String() for a UTC time: `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function formatGoTime(t: GoTime): string {
  let secs = t.unixNanos / 1_000_000_000n;
  let nanos = t.unixNanos % 1_000_000_000n;
  if (nanos < 0n) {
    nanos += 1_000_000_000n;
    secs -= 1n;
  }
  const d = new Date(Number(secs) * 1000);
  const year = d.getUTCFullYear();
  const ys = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
  let s = `${ys}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  if (nanos !== 0n) s += '.' + nanos.toString().padStart(9, '0').replace(/0+$/, '');
  return s + ' +0000 UTC';
}

/** fmt's %v of a value (what `{{ x }}` prints, after the template indirects pointers). */
export function formatGoValue(v: GoValue, top = true): string {
  if (v === undefined) return top ? '<no value>' : '<nil>';
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatGoFloat(v, 'g', -1);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (v instanceof GoMap) {
    const keys = [...v.entries.keys()].sort();
    return `map[${keys.map((k) => `${k}:${formatGoValue(v.entries.get(k), false)}`).join(' ')}]`;
  }
  if (v instanceof GoStruct) {
    const body = `{${[...v.fields.values()].map((f) => formatGoValue(f, false)).join(' ')}}`;
    return v.pointer && !top ? '&' + body : body;
  }
  if (v instanceof GoSlice) return `[${v.items.map((i) => formatGoValue(i, false)).join(' ')}]`;
  if (v instanceof GoTime) return formatGoTime(v);
  return formatGoDuration(v.nanos);
}

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  sharp: boolean;
  width: number | undefined;
  prec: number | undefined;
}

function padTo(s: string, spec: Spec, zeroOk: boolean): string {
  if (spec.width === undefined || [...s].length >= spec.width) return s;
  const n = spec.width - [...s].length;
  if (spec.minus) return s + ' '.repeat(n);
  if (spec.zero && zeroOk) {
    const signed = s[0] === '-' || s[0] === '+' || s[0] === ' ';
    return signed ? s[0] + '0'.repeat(n) + s.slice(1) : '0'.repeat(n) + s;
  }
  return ' '.repeat(n) + s;
}

function badVerb(verb: string, v: GoValue): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatGoValue(v, false)})`;
}

function fmtFloat(v: number, verb: string, spec: Spec): string {
  let s: string;
  switch (verb) {
    case 'v':
    case 'g':
    case 'G':
      s = formatGoFloat(v, verb === 'G' ? 'G' : 'g', spec.prec ?? -1);
      break;
    case 'e':
    case 'E':
      s = formatGoFloat(v, verb, spec.prec ?? 6);
      break;
    case 'f':
    case 'F':
      s = formatGoFloat(v, 'f', spec.prec ?? 6);
      break;
    default:
      return badVerb(verb, v);
  }
  if (spec.plus && s[0] !== '-' && s[0] !== '+') s = '+' + s;
  else if (spec.space && s[0] !== '-' && s[0] !== '+') s = ' ' + s;
  else if (s === '+Inf' && !spec.plus) s = spec.space ? ' Inf' : '+Inf';
  return padTo(s, spec, Number.isFinite(v));
}

function fmtInt(v: bigint, verb: string, spec: Spec): string {
  let s: string;
  const neg = v < 0n;
  const abs = neg ? -v : v;
  switch (verb) {
    case 'v':
    case 'd':
      s = abs.toString();
      break;
    case 'x':
      s = abs.toString(16);
      break;
    case 'X':
      s = abs.toString(16).toUpperCase();
      break;
    case 'o':
      s = abs.toString(8);
      break;
    case 'b':
      s = abs.toString(2);
      break;
    case 'c':
      return padTo(String.fromCodePoint(Number(v)), spec, false);
    case 'q':
      return padTo(`'${String.fromCodePoint(Number(v))}'`, spec, false);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      return badVerb(verb, v);
    default:
      return badVerb(verb, v);
  }
  if (spec.prec !== undefined && s.length < spec.prec) s = '0'.repeat(spec.prec - s.length) + s;
  if (spec.sharp && (verb === 'x' || verb === 'X')) s = '0' + verb + s;
  if (neg) s = '-' + s;
  else if (spec.plus) s = '+' + s;
  else if (spec.space) s = ' ' + s;
  return padTo(s, spec, spec.prec === undefined);
}

function fmtString(v: string, verb: string, spec: Spec): string {
  let s = v;
  if (spec.prec !== undefined && verb !== 'x' && verb !== 'X')
    s = [...s].slice(0, spec.prec).join('');
  switch (verb) {
    case 'v':
    case 's':
      break;
    case 'q':
      s = quoteString(s);
      break;
    case 'x':
    case 'X': {
      const bytes = new TextEncoder().encode(v);
      s = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
      if (verb === 'X') s = s.toUpperCase();
      break;
    }
    default:
      return badVerb(verb, v);
  }
  return padTo(s, spec, false);
}

/** Formats one argument for one verb. */
function formatArg(v: GoValue, verb: string, spec: Spec): string {
  if (typeof v === 'number') return fmtFloat(v, verb, spec);
  if (typeof v === 'bigint') return fmtInt(v, verb, spec);
  if (typeof v === 'string') return fmtString(v, verb, spec);
  if (typeof v === 'boolean') {
    if (verb !== 'v' && verb !== 't') return badVerb(verb, v);
    return padTo(v ? 'true' : 'false', spec, false);
  }
  if (v === null || v === undefined) {
    return verb === 'v' || verb === 's' ? padTo('<nil>', spec, false) : badVerb(verb, v);
  }
  if ((v instanceof GoTime || v instanceof GoDuration) && (verb === 'v' || verb === 's')) {
    return padTo(formatGoValue(v, false), spec, false);
  }
  if (v instanceof GoDuration && verb === 'd') return fmtInt(v.nanos, verb, spec);
  if (verb !== 'v' && verb !== 's' && verb !== 'T') {
    // Go applies the verb to each element of a map, slice or struct.
    if (v instanceof GoMap) {
      const keys = [...v.entries.keys()].sort();
      return `map[${keys.map((k) => `${formatArg(k, verb, spec)}:${formatArg(v.entries.get(k), verb, spec)}`).join(' ')}]`;
    }
    if (v instanceof GoSlice) return `[${v.items.map((i) => formatArg(i, verb, spec)).join(' ')}]`;
    if (v instanceof GoStruct) {
      return (
        (v.pointer ? '&' : '') +
        `{${[...v.fields.values()].map((f) => formatArg(f, verb, spec)).join(' ')}}`
      );
    }
  }
  if (verb === 'v' || verb === 's') return padTo(formatGoValue(v, false), spec, false);
  return badVerb(verb, v);
}

/** fmt.Sprintf. */
export function goSprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = {
      minus: false,
      plus: false,
      space: false,
      zero: false,
      sharp: false,
      width: undefined,
      prec: undefined,
    };
    flags: while (i < format.length) {
      switch (format[i]) {
        case '-':
          spec.minus = true;
          spec.zero = false;
          break;
        case '+':
          spec.plus = true;
          break;
        case ' ':
          spec.space = true;
          break;
        case '0':
          spec.zero = !spec.minus;
          break;
        case '#':
          spec.sharp = true;
          break;
        default:
          break flags;
      }
      i++;
    }
    // fmt's parsenum and intFromArg: a width or precision past 1e6 is no number (a written one
    // swallows the rest of the format, so the verb is missing; a `*` one is BADWIDTH/BADPREC).
    const tooLarge = (n: number): boolean => n > 1e6 || n < -1e6;
    const parseNum = (): number | undefined => {
      let num = 0;
      let isNum = false;
      while (i < format.length && format[i]! >= '0' && format[i]! <= '9') {
        if (tooLarge(num)) {
          i = format.length;
          return undefined;
        }
        num = num * 10 + (format.charCodeAt(i) - 48);
        isNum = true;
        i++;
      }
      return isNum ? num : undefined;
    };
    const numFromArg = (): number | undefined => {
      if (argi >= args.length) return undefined;
      const a = args[argi++];
      if (typeof a !== 'bigint') return undefined;
      const n = Number(a);
      return tooLarge(n) ? undefined : n;
    };
    if (format[i] === '*') {
      i++;
      spec.width = numFromArg();
      if (spec.width === undefined) out += '%!(BADWIDTH)';
    } else spec.width = parseNum();
    if (spec.width !== undefined && spec.width < 0) {
      spec.minus = true;
      spec.zero = false;
      spec.width = -spec.width;
    }
    if (i + 1 < format.length && format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        spec.prec = numFromArg();
        if (spec.prec !== undefined && spec.prec < 0) spec.prec = undefined;
        if (spec.prec === undefined) out += '%!(BADPREC)';
      } else spec.prec = parseNum() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argi++], verb, spec);
  }
  if (argi < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argi)
        .map((a) =>
          a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatGoValue(a, false)}`,
        )
        .join(', ') +
      ')';
  }
  return out;
}
