// The page's workers share one bundle (pageWorker.ts): the simulator, the engine and the lab are
// downloaded and compiled once, not once per worker. Each worker is started with its role as its
// name, and only the module of that role answers its messages.

/** What a worker of the page does. */
export type WorkerRole = 'eval' | 'background' | 'export' | 'backtest';

/** Whether this worker was started for the role. */
export function playsRole(role: WorkerRole): boolean {
  return (self as { name?: string }).name === role;
}

/** Starts a worker of the page for the role. */
export function startPageWorker(role: WorkerRole): Worker {
  return new Worker(new URL('./pageWorker.ts', import.meta.url), { type: 'module', name: role });
}
