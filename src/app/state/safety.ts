// The page's guard rails, apart from the document store: a document held back because its last
// evaluation never finished, an evaluation the page stopped (past its budget, or cancelled), and
// the progress of the evaluation running.
import { create } from 'zustand';

/** The guard rails' state. */
export interface SafetyState {
  /** Set while the restored document waits for the user's say before it is evaluated. */
  readonly held: string | null;
  /** Why the last evaluation was stopped, until the document changes. */
  readonly stopped: 'budget' | 'cancelled' | null;
  /** The running evaluation's progress, in steps (the scenario, then each rule). */
  readonly progress: { readonly done: number; readonly total: number } | null;
}

/** The guard rails' store. */
export const useSafety = create<SafetyState>()(() => ({
  held: null,
  stopped: null,
  progress: null,
}));

let cancelHandler: (() => void) | null = null;

/** Registers what Cancel does (the page's worker bridge stops its work). */
export function onCancelEvaluation(handler: () => void): void {
  cancelHandler = handler;
}

/** Stops the evaluation running, if any. */
export function cancelEvaluation(): void {
  cancelHandler?.();
}
