// Rendering a heavy view in slices: a view with long timelines mounts one chart per task instead
// of all of them in one long main-thread task, so the page keeps answering (Cancel, Undo, typing)
// while a day of data appears. Unmounting a heavy chart costs as much (Recharts unregisters each
// of its parts), so when a new scenario is being evaluated its charts are taken down one per task
// while the worker computes, on the other core. Light views draw at once. The count lives outside
// React's state, and each slot subscribes to it: a slice redraws its own chart, not the page.
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';

/** Timelines longer than this many evaluations are drawn in slices. */
export const SLICE_ABOVE_TIMES = 2_000;

/** How many charts are drawn, moving one per task toward its target. */
export class SliceCounter {
  private count: number;
  private target: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(count: number) {
    this.count = count;
    this.target = count;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly drawn = (): number => this.count;

  /** Moves toward `target`, one per task; `now` jumps there at once (a light view). */
  aim(target: number, now: boolean): void {
    this.target = target;
    if (now) this.set(target);
    else this.step();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private step(): void {
    if (this.timer !== null || this.count === this.target) return;
    // A task of its own per chart: the browser paints and handles input in between.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.set(this.count + Math.sign(this.target - this.count));
      this.step();
    }, 0);
  }

  private set(count: number): void {
    if (count === this.count) return;
    this.count = count;
    for (const l of this.listeners) l();
  }
}

/**
 * The counter of `total` items. A light view draws all of them; a heavy one one more per task up
 * to `total`. While `clearing` (a new heavy scenario is evaluated, or the heavy view is being
 * replaced) one fewer per task, down to none.
 */
export function useSlices(total: number, heavy: boolean, clearing: boolean): SliceCounter {
  const sliced = heavy || clearing;
  const [counter] = useState(() => new SliceCounter(sliced ? 0 : total));
  useEffect(() => counter.aim(clearing ? 0 : total, !sliced), [counter, total, sliced, clearing]);
  useEffect(() => () => counter.stop(), [counter]);
  return counter;
}

/**
 * Item `index` of the counter's items: its content once drawn (at once when `whole`: a light
 * view), else the placeholder.
 */
export function Slice(props: {
  readonly counter: SliceCounter;
  readonly index: number;
  readonly whole: boolean;
  readonly placeholder: ReactNode;
  readonly children: ReactNode;
}): ReactNode {
  const drawn = useSyncExternalStore(
    props.counter.subscribe,
    () => props.counter.drawn() > props.index,
  );
  return props.whole || drawn ? props.children : props.placeholder;
}
