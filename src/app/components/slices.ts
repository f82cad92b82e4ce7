// Rendering a heavy view in slices: a view with long timelines mounts one chart per task instead
// of all of them in one long main-thread task, so the page keeps answering (Cancel, Undo, typing)
// while a day of data appears. Unmounting a heavy chart costs as much (Recharts unregisters each
// of its parts), so when a new scenario is being evaluated its charts are taken down one per task
// while the worker computes, on the other core. Light views draw at once.
import { useEffect, useState } from 'react';

/** Timelines longer than this many evaluations are drawn in slices. */
export const SLICE_ABOVE_TIMES = 2_000;

/**
 * How many of `total` items to draw now. A light view draws all of them; a heavy one one more
 * per task up to `total`. While `clearing` (a new heavy scenario is evaluated, or the heavy view
 * is being replaced) one fewer per task, down to none.
 */
export function useSlices(total: number, heavy: boolean, clearing: boolean): number {
  const sliced = heavy || clearing;
  const [count, setCount] = useState(sliced ? 0 : total);
  const target = clearing ? 0 : total;
  useEffect(() => {
    // A light view is drawn whole: slicing starts from there when it is replaced.
    if (!sliced) {
      if (count !== total) setCount(total);
      return;
    }
    if (count === target) return;
    // A task of its own per chart: the browser paints and handles input in between.
    const t = setTimeout(() => setCount((c) => c + Math.sign(target - c)), 0);
    return () => clearTimeout(t);
  }, [sliced, count, target, total]);
  return sliced ? Math.min(count, total) : total;
}
