// Rendering a view in slices: after a new scenario, the page draws a few charts per task instead
// of all of them in one long main-thread task, so the first charts show before the rest are built
// and the page keeps answering (Cancel, Undo, typing) while a week of data appears.
import { useEffect, useState } from 'react';

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
