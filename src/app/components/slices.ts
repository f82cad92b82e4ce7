// Rendering a view in slices. After a new scenario the page draws a few charts per task instead
// of all of them in one long main-thread task, so the first charts show before the rest are built
// and the page keeps answering (Cancel, Undo, typing) while a day of data appears. A heavy view
// (long timelines) mounts one chart per task. Unmounting a heavy chart costs as much (Recharts
// unregisters each of its parts), so while a new scenario is evaluated its heavy charts are taken
// down one per task, while the worker computes on the other core.
import { useEffect, useState } from 'react';

/** Timelines longer than this many evaluations are drawn one chart per task. */
export const SLICE_ABOVE_TIMES = 2_000;
/** Charts drawn per task when slicing a light view. */
export const CHARTS_PER_SLICE = 2;

/**
 * How many of `total` items to draw now: a count that restarts when `key` (the scenario) changes
 * and grows by a slice per task up to `total` (one per task when `heavy`). While `clearing` (a new
 * heavy scenario is evaluated, or the heavy view is being replaced) one fewer per task, down to
 * none.
 */
export function useSlices(total: number, key: unknown, heavy: boolean, clearing: boolean): number {
  const step = heavy ? 1 : CHARTS_PER_SLICE;
  const [state, setState] = useState({ key, count: step });
  const count = state.key === key ? state.count : step;
  const target = clearing ? 0 : total;
  useEffect(() => {
    if (count === target || (!clearing && count >= total)) return;
    // A task of its own per slice: the browser paints and handles input in between.
    const next = clearing ? count - 1 : Math.min(total, count + step);
    const t = setTimeout(() => setState({ key, count: next }), 0);
    return () => clearTimeout(t);
  }, [clearing, count, target, total, step, key]);
  return Math.min(count, total);
}
