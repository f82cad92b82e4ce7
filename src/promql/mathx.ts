// Float helpers that reproduce Go's math where JavaScript differs (Pow, Kahan summation as in
// promql/functions.go's kahanSumInc, quantiles as in promql/quantile.go).

/** Go's math.Pow, which differs from Math.pow for a few special cases. */
export function goPow(x: number, y: number): number {
  if (y === 0) return 1;
  if (x === 1) return 1;
  if ((x === -1 || x === 1) && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/** One step of Kahan-Neumaier summation: returns [sum, compensation]. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** Sorts ascending with NaN first, as Prometheus's vectorByValueHeap. */
export function sortValuesNaNFirst(values: number[]): number[] {
  return values.sort((a, b) => {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a - b;
  });
}

/** The φ-quantile of values (Prometheus's quantile()). */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = sortValuesNaNFirst(values.slice());
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

/** Mean with Kahan summation, switching to an incremental mean on overflow (Prometheus 3). */
export function kahanMean(vs: ArrayLike<number>): number {
  let sum = 0;
  let mean = 0;
  let count = 0;
  let c = 0;
  let incremental = false;
  for (let i = 0; i < vs.length; i++) {
    const f = vs[i]!;
    count++;
    if (!incremental) {
      const [ns, nc] = kahanSumInc(f, sum, c);
      if (count === 1 || Number.isFinite(ns) || Number.isNaN(ns)) {
        sum = ns;
        c = nc;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, c] = kahanSumInc(f / count, q * mean, q * c);
  }
  if (incremental) return mean + c;
  return sum / count + c / count;
}

/** Whether two floats are equal within a relative tolerance (Prometheus's almost.Equal). */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (a === b) return true;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  const minNormal = 2.2250738585072014e-308;
  if (a === 0 || b === 0 || absSum < minNormal) return diff < epsilon * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** Go's integer division (truncates toward zero). */
export function goDiv(a: number, b: number): number {
  return Math.trunc(a / b);
}
