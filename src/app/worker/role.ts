// The page's workers share one bundle (pageWorker.ts): the simulator, the engine and the lab are
// downloaded and compiled once, not once per worker. Each worker is started with its role as its
// name, and only the module of that role answers its messages.

/** What a worker of the page does. */
export type WorkerRole = 'eval' | 'background' | 'export' | 'backtest';

/** Whether this worker was started for the role. */
export function playsRole(role: WorkerRole): boolean {
  return (self as { name?: string }).name === role;
}

/** A worker started ahead of the code that talks to it. */
let early: { readonly role: WorkerRole; readonly worker: Worker } | null = null;

/**
 * Starts a worker of the page for the role now, for the next `startPageWorker` of that role to
 * take: the page's entry starts the evaluation worker before its other modules load, so that the
 * worker downloads and compiles its bundle meanwhile.
 */
export function startPageWorkerEarly(role: WorkerRole): void {
  early ??= { role, worker: startPageWorker(role) };
}

/** Starts a worker of the page for the role (or takes the one started early). */
export function startPageWorker(role: WorkerRole): Worker {
  if (early?.role === role) {
    const { worker } = early;
    early = null;
    return worker;
  }
  return new Worker(new URL('./pageWorker.ts', import.meta.url), { type: 'module', name: role });
}
