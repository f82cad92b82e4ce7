// When the document being evaluated is marked in local storage (persistence.ts: a reload after an
// evaluation that never finished asks before trying it again). An evaluation that hangs runs for
// a while, so the mark waits: it is written once an evaluation has run MARK_AFTER_MS without
// finishing, for the newest document sent, and at once when the page goes away meanwhile. A
// slider step, answered well within that, writes nothing: writing the document's fingerprint to
// local storage on every step (and removing it on every answer) cost the step's input handler
// more than sending it to the worker.
import type { PlaygroundDoc } from '../../lab/index.ts';
import { clearEvaluating, markEvaluating } from './persistence.ts';

/** How long an evaluation runs before its document is marked, ms. */
export const MARK_AFTER_MS = 250;

/** The newest document sent and not yet answered; null when the worker is done. */
let running: PlaygroundDoc | null = null;
/** The document the mark in local storage names, if this page wrote one. */
let marked: PlaygroundDoc | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let listening = false;

function markNow(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  if (running === null || running === marked) return;
  markEvaluating(running);
  marked = running;
}

/** The document was sent to the worker: it is marked if it is still running after a while. */
export function evaluationSent(doc: PlaygroundDoc): void {
  running = doc;
  if (!listening) {
    listening = true;
    window.addEventListener('pagehide', markNow);
  }
  timer ??= setTimeout(markNow, MARK_AFTER_MS);
}

/** The newest evaluation finished: its mark, if it was written, is removed. */
export function evaluationDone(): void {
  running = null;
  if (timer !== null) clearTimeout(timer);
  timer = null;
  if (marked !== null) clearEvaluating();
  marked = null;
}

/**
 * The newest evaluation was stopped (past its budget, or cancelled): its document stays marked,
 * so that a reload asks before trying it again.
 */
export function evaluationStopped(): void {
  markNow();
  running = null;
}
