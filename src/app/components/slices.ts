// Rendering a heavy view in slices: after a new scenario, a view with long timelines draws a few
// charts per task instead of all of them in one long main-thread task, so the page keeps
// answering (Cancel, Undo, typing) while a week of data appears. Light views draw at once.
import { useEffect, useState } from 'react';

/** Timelines longer than this many evaluations are drawn in slices. */
export const SLICE_ABOVE_TIMES = 2_000;
/** Charts drawn per task when slicing. */
export const CHARTS_PER_SLICE = 2;

/** How many of `total` items to draw now: all of them for a light view, else a growing count
 * that restarts when `key` (the scenario) changes. */
export function useSlices(total: number, key: unknown, heavy: boolean): number {
  const [state, setState] = useState({ key, count: CHARTS_PER_SLICE });
  const count = state.key === key ? state.count : CHARTS_PER_SLICE;
  useEffect(() => {
    if (!heavy || count >= total) return;
    // A task of its own per slice: the browser paints and handles input in between.
    const t = setTimeout(() => setState({ key, count: count + CHARTS_PER_SLICE }), 0);
    return () => clearTimeout(t);
  }, [heavy, count, total, key]);
  return heavy ? Math.min(count, total) : total;
}
