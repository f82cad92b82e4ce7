// Splits a range query into pieces small enough for the server (Prometheus refuses more than
// 11,000 points per series) whose evaluation times are exactly the whole range's.

/** One piece of a range: evaluations at start, start+step, … ≤ end (ms). */
export interface Chunk {
  readonly start: number;
  readonly end: number;
}

/** The evaluation times start, start+step, … ≤ end. */
export function stepTimes(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  if (!(step > 0)) return out;
  for (let t = start; t <= end; t += step) out.push(t);
  return out;
}

/**
 * Splits [start, end] into chunks of at most `maxSteps` evaluations each, on the same grid of
 * start + k·step, so that the chunks' evaluations together are the range's, each once.
 */
export function splitRange(start: number, end: number, step: number, maxSteps: number): Chunk[] {
  if (!(step > 0) || end < start) return [];
  const per = Math.max(1, Math.floor(maxSteps));
  const total = Math.floor((end - start) / step) + 1;
  const chunks: Chunk[] = [];
  for (let k = 0; k < total; k += per) {
    const last = Math.min(k + per, total) - 1;
    chunks.push({ start: start + k * step, end: start + last * step });
  }
  return chunks;
}
