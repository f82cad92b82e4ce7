// Go's math functions where V8's Math rounds differently in the last bit: the trigonometric
// functions (Go's pure-Go Cephes ports, math/sin.go, tan.go, atan.go, asin.go, with Payne-Hanek
// reduction from trig_reduce.go) and log2/log10 (math/log10.go, built on Log, which agrees with
// Math.log). Prometheus evaluates with Go's math, so these keep results bit-identical.
import { frexp, ldexp } from './mathx.ts';

const sinCoef = [
  1.5896230157654656e-10, -2.5050747762857807e-8, 0.0000027557313621385722, -0.0001984126982958954,
  0.008333333333322118, -0.1666666666666663,
] as const;
const cosCoef = [
  -1.1358536521387682e-11, 2.087570084197473e-9, -2.755731417929674e-7, 0.000024801587288851704,
  -0.0013888888888873056, 0.041666666666666595,
] as const;
const tanP = [-13093.693918138379, 1153516.6483858742, -17956525.197648488];
const tanQ = [1.0, 13681.296347069296, -1320892.3444021097, 25008380.18233579, -53869575.592945464];

// Pi/4 in three parts, so that y * part is exact for the reduction below the threshold.
const pi4a = 0.7853981256484985;
const pi4b = 3.774894707930798e-8;
const pi4c = 2.6951514290790595e-15;
const reduceThreshold = 2 ** 29;

// 4/pi in 64-bit digits (Payne-Hanek reduction for huge arguments).
const mPi4 = [
  0x0000000000000001n,
  0x45f306dc9c882a53n,
  0xf84eafa3ea69bb81n,
  0xb6c52b3278872083n,
  0xfca2c757bd778ac3n,
  0x6e48dc74849ba5c0n,
  0x0c925dd413a32439n,
  0xfc3bd63962534e7dn,
  0xd1046bea5d768909n,
  0xd338e04d68befc82n,
  0x7323ac7306a673e9n,
  0x3908bf177bf25076n,
  0x3ff12fffbc0b301fn,
  0xde5e2316b414da3en,
  0xda6cfd9e4f96136en,
  0x9e8c7ecd3cbfd45an,
  0xea4f758fd7cbe2f6n,
  0x7a0e73ef14a525d4n,
  0xd7f6bf623f1aba10n,
  0xac06608df8f6d757n,
];
const m64 = (1n << 64n) - 1n;
const view = new DataView(new ArrayBuffer(8));

/** Reduces x >= 2^29 to an octant j and a remainder z in [-pi/4, pi/4] (Go's trigReduce). */
function trigReduce(x: number): [number, number] {
  const pi4 = Math.PI / 4;
  if (x < pi4) return [0, x];
  view.setFloat64(0, x);
  let ix = view.getBigUint64(0);
  const exp = Number((ix >> 52n) & 0x7ffn) - 1023 - 52;
  ix &= ~(0x7ffn << 52n);
  ix |= 1n << 52n;
  const digit = Math.floor((exp + 61) / 64);
  const bitshift = BigInt((exp + 61) % 64);
  const d = (i: number) => mPi4[digit + i]!;
  const shl = (a: bigint) => (a << bitshift) & m64;
  const shr = (a: bigint) => (bitshift === 0n ? 0n : a >> (64n - bitshift));
  const z0 = shl(d(0)) | shr(d(1));
  const z1 = shl(d(1)) | shr(d(2));
  const z2 = shl(d(2)) | shr(d(3));
  const z2hi = (z2 * ix) >> 64n;
  const p1 = z1 * ix;
  const z1hi = p1 >> 64n;
  const z1lo = p1 & m64;
  const z0lo = (z0 * ix) & m64;
  const loSum = z1lo + z2hi;
  const lo = loSum & m64;
  const carry = loSum >> 64n;
  let hi = (z0lo + z1hi + carry) & m64;
  let j = Number(hi >> 61n);
  hi = ((hi << 3n) & m64) | (lo >> 61n);
  let lz = 0;
  while (lz < 64 && ((hi >> BigInt(63 - lz)) & 1n) === 0n) lz++;
  const e = BigInt(1023 - (lz + 1));
  const s = BigInt(lz + 1);
  hi = ((hi << s) & m64) | (lo >> (64n - s));
  hi >>= 64n - 52n;
  hi |= e << 52n;
  view.setBigUint64(0, hi);
  let z = view.getFloat64(0);
  if (j & 1) {
    j = (j + 1) & 7;
    z--;
  }
  return [j, z * pi4];
}

/** The octant and remainder of x >= 0 modulo pi/4, with zeros mapped to the origin. */
function reduce(x: number): [number, number] {
  if (x >= reduceThreshold) return trigReduce(x);
  let j = Math.trunc(x * (4 / Math.PI));
  let y = j;
  if (j & 1) {
    j++;
    y++;
  }
  return [j & 7, x - y * pi4a - y * pi4b - y * pi4c];
}

function sinPoly(z: number, zz: number): number {
  const [a, b, c, d, e, f] = sinCoef;
  return z + z * zz * (((((a * zz + b) * zz + c) * zz + d) * zz + e) * zz + f);
}

function cosPoly(zz: number): number {
  const [a, b, c, d, e, f] = cosCoef;
  return 1.0 - 0.5 * zz + zz * zz * (((((a * zz + b) * zz + c) * zz + d) * zz + e) * zz + f);
}

/** Go's math.Sin. */
export function goSin(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  let sign = x < 0;
  const [j0, z] = reduce(Math.abs(x));
  let j = j0;
  if (j > 3) {
    sign = !sign;
    j -= 4;
  }
  const zz = z * z;
  const y = j === 1 || j === 2 ? cosPoly(zz) : sinPoly(z, zz);
  return sign ? -y : y;
}

/** Go's math.Cos. */
export function goCos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  let sign = false;
  const [j0, z] = reduce(Math.abs(x));
  let j = j0;
  if (j > 3) {
    j -= 4;
    sign = !sign;
  }
  if (j > 1) sign = !sign;
  const zz = z * z;
  const y = j === 1 || j === 2 ? sinPoly(z, zz) : cosPoly(zz);
  return sign ? -y : y;
}

/** Go's math.Tan. */
export function goTan(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  const sign = x < 0;
  const [j, z] = reduce(Math.abs(x));
  const zz = z * z;
  let y = z;
  if (zz > 1e-14) {
    const [p0, p1, p2] = tanP as [number, number, number];
    const [, q1, q2, q3, q4] = tanQ as [number, number, number, number, number];
    y = z + z * ((zz * ((p0 * zz + p1) * zz + p2)) / ((((zz + q1) * zz + q2) * zz + q3) * zz + q4));
  }
  if (j & 2) y = -1 / y;
  return sign ? -y : y;
}

/** Cephes' arctangent series on [0, 0.66]. */
function xatan(x: number): number {
  const p0 = -0.8750608600031904;
  const p1 = -16.157537187333652;
  const p2 = -75.00855792314705;
  const p3 = -122.88666844901361;
  const p4 = -64.85021904942025;
  const q0 = 24.858464901423062;
  const q1 = 165.02700983169885;
  const q2 = 432.88106049129027;
  const q3 = 485.3903996359137;
  const q4 = 194.5506571482614;
  let z = x * x;
  z =
    (z * ((((p0 * z + p1) * z + p2) * z + p3) * z + p4)) /
    (((((z + q0) * z + q1) * z + q2) * z + q3) * z + q4);
  return x * z + x;
}

/** Reduces a positive argument to [0, 0.66] for xatan. */
function satan(x: number): number {
  const morebits = 6.123233995736766e-17;
  const tan3pio8 = 2.414213562373095;
  if (x <= 0.66) return xatan(x);
  if (x > tan3pio8) return Math.PI / 2 - xatan(1 / x) + morebits;
  return Math.PI / 4 + xatan((x - 1) / (x + 1)) + 0.5 * morebits;
}

/** Go's math.Atan. */
export function goAtan(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  return x > 0 ? satan(x) : -satan(-x);
}

/** Go's math.Asin. */
export function goAsin(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  const sign = x < 0;
  const a = Math.abs(x);
  if (a > 1) return NaN;
  let t = Math.sqrt(1 - a * a);
  t = a > 0.7 ? Math.PI / 2 - satan(t / a) : satan(a / t);
  return sign ? -t : t;
}

/** Go's math.Acos. */
export function goAcos(x: number): number {
  return Math.PI / 2 - goAsin(x);
}

/** Go's math.Log2: exact for powers of two. */
export function goLog2(x: number): number {
  const [frac, exp] = frexp(x);
  if (frac === 0.5) return exp - 1;
  // Go folds the constant 1/Ln2 exactly; Math.LOG2E is the same correctly rounded value.
  return Math.log(frac) * Math.LOG2E + exp;
}

/** Go's math.Log10 (Go 1.19/1.2, which Prometheus 2.42 is built with): Log(x) * (1/Ln10). */
export function goLog10(x: number): number {
  return Math.log(x) * Math.LOG10E;
}

/** x as an integer mantissa and a power of two: x = m × 2^e (x finite). */
function toExact(x: number): [bigint, number] {
  const [frac, exp] = frexp(x);
  return [BigInt(frac * 2 ** 53), exp - 53];
}

/** a × b + c rounded once, as the FMA instructions Go's amd64 assembly uses. */
export function fma(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === 0 || b === 0) return a * b + c;
  // A finite product cannot cancel an infinite or NaN addend (even if a × b alone overflows).
  if (!Number.isFinite(c)) return c;
  if (c === 0) return a * b;
  const [ma, ea] = toExact(a);
  const [mb, eb] = toExact(b);
  const [mc, ec] = toExact(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  let m = ((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e));
  if (m === 0n) return 0;
  const negative = m < 0n;
  if (negative) m = -m;
  // Keep 60 bits plus a sticky bit so that Number() rounds exactly once, correctly.
  let shift = m.toString(2).length - 60;
  let scaled = m;
  if (shift > 0) {
    const dropped = m & ((1n << BigInt(shift)) - 1n);
    scaled = (m >> BigInt(shift)) | (dropped !== 0n ? 1n : 0n);
  } else shift = 0;
  const r = ldexp(Number(scaled), e + shift);
  return negative ? -r : r;
}

const expCoef = [
  0.0000248015873015873, 0.0001984126984126984, 0.001388888888888889, 0.008333333333333333,
  0.041666666666666664, 0.16666666666666666, 0.5, 1.0,
] as const;

/**
 * Go's math.Exp on amd64 (exp_amd64.s, Shibata's method) on a CPU with FMA, as promtool and
 * Prometheus run on current x86 servers.
 */
export function goExp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === -Infinity) return 0;
  if (x > 709.782712893384) return Infinity;
  const t = Math.LOG2E * x;
  // CVTSD2SL: round half to even; out of range gives the indefinite integer -2^31.
  let n = Math.abs(t) < 2 ** 31 ? roundHalfEven(t) : -(2 ** 31);
  const k = n;
  let r = fma(-k, 0.693147180559663, x);
  r = fma(-k, 2.8235290563031577e-13, r);
  r *= 0.0625;
  let p: number = expCoef[0];
  for (let i = 1; i < expCoef.length; i++) p = fma(p, r, expCoef[i]!);
  r *= p;
  for (let i = 0; i < 3; i++) r *= r + 2;
  r = fma(r, r + 2, 1);
  n += 1023;
  if (n <= 0) return 0;
  if (n >= 0x7ff) return Infinity;
  return r * 2 ** (n - 1023);
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Go's math.Sinh. */
export function goSinh(x: number): number {
  const p0 = -630767.3640497717;
  const p1 = -89912.72022039509;
  const p2 = -2894.211355989564;
  const p3 = -26.30563213397497;
  const q0 = -630767.3640497717;
  const q1 = 15215.17378790019;
  const q2 = -173.6789535582337;
  const a = Math.abs(x);
  let r: number;
  // Go 1.19/1.2 (Prometheus 2.42): one Exp call and its reciprocal.
  if (a > 21) r = goExp(a) * 0.5;
  else if (a > 0.5) {
    const ex = goExp(a);
    r = (ex - 1 / ex) * 0.5;
  } else {
    const sq = a * a;
    r = (((p3 * sq + p2) * sq + p1) * sq + p0) * a;
    r = r / (((sq + q2) * sq + q1) * sq + q0);
  }
  return x < 0 ? -r : r;
}

/** Go's math.Cosh. */
export function goCosh(x: number): number {
  const a = Math.abs(x);
  if (a > 21) return goExp(a) * 0.5;
  const ex = goExp(a);
  return (ex + 1 / ex) * 0.5;
}

/** Go's math.Tanh. */
export function goTanh(x: number): number {
  const maxlog = 88.02969193111305;
  const z = Math.abs(x);
  if (z > 0.5 * maxlog) return x < 0 ? -1 : 1;
  if (z >= 0.625) {
    const s = goExp(2 * z);
    const r = 1 - 2 / (s + 1);
    return x < 0 ? -r : r;
  }
  if (x === 0) return x;
  const s = x * x;
  return (
    x +
    (x * s * ((-0.9643991794250523 * s + -99.28772310019185) * s + -1614.6876844170845)) /
      (((s + 112.81167849163293) * s + 2235.4883906010045) * s + 4844.063053251255)
  );
}

/** Go's math.Atan2: Atan(y/x) moved into the right quadrant. */
export function goAtan2(y: number, x: number): number {
  if (Number.isNaN(y) || Number.isNaN(x)) return NaN;
  const sign = (v: number, s: number) => (s < 0 || Object.is(s, -0) ? -Math.abs(v) : Math.abs(v));
  if (y === 0) return x >= 0 && !Object.is(x, -0) ? sign(0, y) : sign(Math.PI, y);
  if (x === 0) return sign(Math.PI / 2, y);
  if (!Number.isFinite(x)) {
    if (x > 0) return Number.isFinite(y) ? sign(0, y) : sign(Math.PI / 4, y);
    return Number.isFinite(y) ? sign(Math.PI, y) : sign((3 * Math.PI) / 4, y);
  }
  if (!Number.isFinite(y)) return sign(Math.PI / 2, y);
  const q = goAtan(y / x);
  if (x < 0) return q <= 0 ? q + Math.PI : q - Math.PI;
  return q;
}
