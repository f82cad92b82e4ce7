// The one entry behind every worker of the page (see role.ts), kept tiny: its top-level script
// only sets up a queue and loads the roles' modules (pageRoles.ts, one chunk) with import().
// Chromium holds the messages the page posts to a worker, on the page's main thread, until it
// has heard that the worker's top-level script ran; while that script was the whole bundle, the
// page's own modules kept the main thread busy meanwhile and the evaluation worker took its first
// request only after the page had been evaluated. Now the script has run long before, the request
// waits here, in the worker, and is handed over (with any others, in order) as soon as the roles'
// module has loaded and the role's module has set its handler.
import { markLoadStage } from '../loadMarks.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent) => void) | null;
};

const early: MessageEvent[] = [];
scope.onmessage = (e) => early.push(e);
markLoadStage('worker-entry');

import('./pageRoles.ts').then(
  () => {
    markLoadStage('worker-loaded');
    const answer = scope.onmessage;
    for (const e of early.splice(0)) answer?.(e);
  },
  // Thrown in a task of its own: the page hears of it as the worker's error event.
  (err: unknown) =>
    setTimeout(() => {
      throw err;
    }),
);
