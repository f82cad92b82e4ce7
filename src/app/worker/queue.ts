// The evaluation worker's inbox: requests that arrived while it was busy are coalesced, so that
// of several evaluations queued up behind a long one (a slider dragged fast) only the newest
// runs. The page would drop the older answers anyway; this way their work is never done.

/** A request the worker can coalesce: its kind and its increasing id within the kind. */
export interface Queued {
  readonly kind: string;
  readonly id: number;
}

/**
 * The requests worth running, in arrival order: of each kind only the newest (highest id),
 * since an answer to an older request of a kind is stale once a newer one has been asked.
 */
export function newestOfEachKind<R extends Queued>(queue: readonly R[]): R[] {
  const newest = new Map<string, R>();
  for (const r of queue) {
    const seen = newest.get(r.kind);
    if (seen === undefined || r.id > seen.id) newest.set(r.kind, r);
  }
  return queue.filter((r) => newest.get(r.kind) === r);
}
