// Errors as values: every public entry point of the engine returns a Result, nothing throws.

/** An error message with the source range it refers to. */
export interface PositionedError {
  from: number;
  to: number;
  message: string;
}

/** A value with warnings, or a positioned error. */
export type Result<T> =
  { ok: true; value: T; warnings: string[] } | { ok: false; error: PositionedError };
