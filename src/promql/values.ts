// Internal value shapes of the evaluator and the error it throws internally (caught at the API
// boundary and turned into a Result, so nothing throws across the public API).
import type { PosRange } from './ast.ts';
import type { Labels } from './labels.ts';

/** One sample of an instant vector inside the evaluator. */
export interface VSample {
  labels: Labels;
  v: number;
  /** The stored sample's own timestamp (ms), set by vector selectors; used by timestamp(). */
  st?: number;
  /** The metric name is to be dropped (kept until the end with delayed name removal). */
  dropName?: boolean;
}

/** One series of a range vector inside the evaluator (columnar, possibly typed-array views). */
export interface MSeries {
  labels: Labels;
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  dropName?: boolean;
}

export type EvalValue =
  | { kind: 'scalar'; v: number }
  | { kind: 'string'; v: string }
  | { kind: 'vector'; samples: VSample[] }
  | {
      kind: 'matrix';
      series: MSeries[];
      /** The window the series were selected from: (rangeStart, rangeEnd], ms. */
      rangeStart: number;
      rangeEnd: number;
    };

/** An evaluation error with the source range of the node that raised it. */
export class EvalError extends Error {
  constructor(
    readonly pos: PosRange,
    message: string,
  ) {
    super(message);
  }
}
