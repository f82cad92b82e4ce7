// Cases promtool 2.42 cannot judge reproducibly, like ties of topk: promtool loads series in a
// partly random order, so a sum is taken in a different order from run to run, and where the
// result's last bits are amplified (a value turned into a label by count_values, the variance
// of nearly equal values) promtool disagrees with itself between runs. Each entry matches one
// narrow pattern; matching cases are printed and not judged, everything else must agree.

import { compareOutcomes, floatsAgree, type Disagreement } from './differential.ts';
import type { Outcome } from './promtool.ts';

/** A known, reported difference between our engine and promtool. */
export interface KnownDisagreement {
  readonly id: string;
  /** What Prometheus 2.42 does, what we do, and where the Go source says so. */
  readonly description: string;
  readonly matches: (d: Disagreement) => boolean;
}

function mapLabels(
  outcome: Outcome,
  f: (labels: Readonly<Record<string, string>>) => Record<string, string>,
): Outcome {
  if (outcome.kind === 'error') return outcome;
  return { kind: 'samples', samples: outcome.samples.map((s) => ({ ...s, labels: f(s.labels) })) };
}

const roundedNumbers = (labels: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(labels).map(([k, v]) => {
      const n = Number(v);
      return [k, v !== '' && Number.isFinite(n) ? n.toPrecision(9) : v];
    }),
  );

// True when both outcomes have the same label sets and every value pair passes `same`.
function sameExceptValues(
  d: Disagreement,
  same: (promtool: number, ours: number) => boolean,
): boolean {
  if (d.promtool.kind !== 'samples' || d.ours.kind !== 'samples') return false;
  const key = (labels: Readonly<Record<string, string>>): string =>
    JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
  const ours = new Map(d.ours.samples.map((s) => [key(s.labels), s.value]));
  if (ours.size !== d.promtool.samples.length) return false;
  return d.promtool.samples.every((s) => {
    const v = ours.get(key(s.labels));
    return v !== undefined && (floatsAgree(s.value, v) || same(s.value, v));
  });
}

/** The known disagreements, each reported in the differential harness's report. */
export const knownDisagreements: readonly KnownDisagreement[] = [
  {
    id: 'count-values-last-bits',
    description:
      '`count_values` turns a value into a label with all its digits, so values that agree ' +
      "within 1e-9 but not in the last bits give different label sets. Causes seen: Go's " +
      "math.Pow (repeated squaring, several ulps off V8's Math.pow for large exponents: " +
      '2.115819551171729e307 against 2.1158195511717106e307), math.Cos, Tan and Atan2 against ' +
      "V8's, and sums taken in another order (promtool's series order is their creation order, " +
      'partly random).',
    matches: (d) =>
      /\bcount_values\b/.test(d.case.expr) &&
      compareOutcomes(mapLabels(d.promtool, roundedNumbers), mapLabels(d.ours, roundedNumbers)) ===
        null,
  },
  {
    id: 'variance-amplifies-last-bits',
    description:
      'The variance of nearly equal values cancels almost all digits, so last-bit differences ' +
      "between Go's math library and V8's (sinh, tanh, exp, ln, pow...) come out around 1e-8 " +
      'relative: stdvar of tanh(x) over saturated values, 5.349071963614901e-16 against ' +
      '5.349072066324123e-16.',
    matches: (d) =>
      /\b(stddev|stdvar)/.test(d.case.expr) &&
      /\b(exp|ln|log2|log10|sqrt|sinh|cosh|tanh|asinh|acosh|atanh|sin|cos|tan|asin|acos|atan)\(|\^|atan2/.test(
        d.case.expr,
      ) &&
      sameExceptValues(d, (p, o) => Math.abs(p - o) <= 1e-6 * Math.max(Math.abs(p), Math.abs(o))),
  },
];

/** The known disagreement this one is an instance of, if any. */
export function classifyDisagreement(d: Disagreement): KnownDisagreement | undefined {
  return knownDisagreements.find((k) => k.matches(d));
}
