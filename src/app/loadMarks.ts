// The stages of the page's first load as marks on the performance timeline (`ql:` and the stage),
// each written once per page or worker: bench/firstLoadTrace.ts reads them from Chromium's trace,
// beside what each thread did, to time the first chart's critical path.

/** Marks the stage, the first time it is reached. */
export function markLoadStage(stage: string): void {
  const name = `ql:${stage}`;
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}
