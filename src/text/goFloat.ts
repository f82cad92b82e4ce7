// Go's float64 formatting (strconv.FormatFloat and the fmt verbs %e %f %g %v) in TypeScript.
// Mirrors strconv/ftoa.go: the shortest round-trip digits for precision -1, otherwise the exact
// decimal expansion of the double rounded half to even, which is what Go prints. JavaScript's
// String(v) is not Go's %g: Go prints 1e-07 and 1e+06 where JavaScript prints 1e-7 and 1000000.

/** Decimal digits of |v| without leading or trailing zeros; the value is 0.d1d2… × 10^dp. */
interface Decimal {
  digits: string;
  dp: number;
}

/** The exact decimal expansion of a finite, non-zero double. */
function exactDecimal(v: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(v));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) {
    exp = -1074;
  } else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    const k = -exp;
    digits = (mant * 5n ** BigInt(k)).toString();
    dp = digits.length - k;
  }
  return trimDecimal({ digits, dp });
}

function trimDecimal(d: Decimal): Decimal {
  let end = d.digits.length;
  while (end > 0 && d.digits[end - 1] === '0') end--;
  let start = 0;
  while (start < end && d.digits[start] === '0') start++;
  return { digits: d.digits.slice(start, end), dp: d.dp - start };
}

/** The shortest digits that read back as v (JavaScript and Go agree on these). */
function shortestDecimal(v: number): Decimal {
  const s = Math.abs(v).toExponential();
  const [mant = '', e = '0'] = s.split('e');
  const digits = mant.replace('.', '');
  return trimDecimal({ digits, dp: Number(e) + 1 });
}

/** Rounds to nd significant digits, half to even (decimal.Round in strconv). */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0) return { digits: '', dp: 0 };
  if (nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === d.digits.length) {
    up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  } else {
    up = next >= 5;
  }
  if (!up) return trimDecimal({ digits: d.digits.slice(0, nd), dp: d.dp });
  const chars = d.digits.slice(0, nd).split('');
  let i = nd - 1;
  while (i >= 0 && chars[i] === '9') i--;
  if (i < 0) return { digits: '1', dp: d.dp + 1 };
  chars[i] = String.fromCharCode((chars[i] ?? '0').charCodeAt(0) + 1);
  return { digits: chars.slice(0, i + 1).join(''), dp: d.dp };
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? (d.digits[i] ?? '0') : '0';
}

function formatE(d: Decimal, prec: number, upper: boolean): string {
  let s = d.digits.length === 0 ? '0' : digitAt(d, 0);
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(d, i);
  }
  const exp = d.digits.length === 0 ? 0 : d.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  const abs = Math.abs(exp);
  return s + (upper ? 'E' : 'e') + sign + (abs < 10 ? '0' : '') + String(abs);
}

function formatF(d: Decimal, prec: number): string {
  let s = '';
  if (d.dp > 0) {
    for (let i = 0; i < d.dp; i++) s += digitAt(d, i);
  } else {
    s = '0';
  }
  if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) s += digitAt(d, d.dp + i);
  }
  return s;
}

/**
 * strconv.FormatFloat(v, fmt, prec, 64) for fmt in e, E, f, g, G; prec -1 means shortest.
 * Infinities and NaN print as +Inf, -Inf and NaN.
 */
export function formatGoFloat(v: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const shortest = prec < 0;
  // Shortest %g of a value from 1e-4 to under 1e6 (decimal exponent -4 to 5) is the plain form
  // of the shortest digits, which is what String() writes for it (alerts' {{ $value }}).
  if (shortest && fmt === 'g' && v !== 0) {
    const abs = Math.abs(v);
    if (abs >= 1e-4 && abs < 1e6) return String(v);
  }
  let d: Decimal;
  if (v === 0) {
    d = { digits: '', dp: 0 };
  } else if (shortest) {
    d = shortestDecimal(v);
  } else {
    d = exactDecimal(v);
    switch (fmt) {
      case 'e':
      case 'E':
        d = roundDecimal(d, prec + 1);
        break;
      case 'f':
        d = roundDecimal(d, d.dp + prec);
        break;
      case 'g':
      case 'G':
        d = roundDecimal(d, prec === 0 ? 1 : prec);
        break;
    }
  }
  let body: string;
  switch (fmt) {
    case 'e':
    case 'E':
      body = formatE(d, shortest ? Math.max(d.digits.length - 1, 0) : prec, fmt === 'E');
      break;
    case 'f':
      body = formatF(d, shortest ? Math.max(d.digits.length - d.dp, 0) : prec);
      break;
    case 'g':
    case 'G': {
      let p = shortest ? d.digits.length : prec === 0 ? 1 : prec;
      let eprec = p;
      if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (d.digits.length !== 0 && (exp < -4 || exp >= eprec)) {
        if (p > d.digits.length) p = d.digits.length;
        body = formatE(d, Math.max(p - 1, 0), fmt === 'G');
      } else {
        if (p > d.dp) p = d.digits.length;
        body = formatF(d, Math.max(p - d.dp, 0));
      }
      break;
    }
  }
  return (neg ? '-' : '') + body;
}

/**
 * Go's strconv.FormatFloat(v, 'g', -1, 64), which is also fmt's %v and %g: how Prometheus prints
 * sample values, number literals and values in messages ("0.5", "1e-07", "1.5e+06", "+Inf").
 */
export function formatFloat(v: number): string {
  return formatGoFloat(v, 'g', -1);
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): no exponent ("1000000", "0.0000001"). */
export function formatFloatPlain(v: number): string {
  return formatGoFloat(v, 'f', -1);
}
