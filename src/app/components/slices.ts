// Rendering a view in slices. After a new scenario the page draws a few charts per task instead
// of all of them in one long main-thread task, so the first charts show before the rest are built
// and the page keeps answering (Cancel, Undo, typing) while a day of data appears. A heavy view
// (long timelines) mounts one chart per task. Unmounting a heavy chart costs as much (Recharts
// unregisters each of its parts), so while a new scenario is evaluated its heavy charts are taken
// down one per task, while the worker computes on the other core.
// The count lives outside React's state and each chart's slot subscribes to it: a slice draws
// (or takes down) its own chart, not the whole page again.
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';

/** Timelines longer than this many evaluations are drawn one chart per task. */
export const SLICE_ABOVE_TIMES = 2_000;
/** Charts drawn per task when slicing a light view. */
export const CHARTS_PER_SLICE = 2;
/**
 * Charts drawn in the task that shows a new scenario's view: one, for the page's first chart is
 * also the first Recharts chart it mounts, which costs most (its code runs for the first time).
 */
export const FIRST_SLICE = 1;

/** How many items are drawn for the scenario `key`, moving a slice per task toward a target. */
export class SliceCounter {
  private key: unknown = undefined;
  private count = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** How many are drawn for `key`: `first` for a scenario the counter has not started yet. */
  drawn(key: unknown, first: number): number {
    return key === this.key ? this.count : first;
  }

  /** A new scenario restarts at `first`; then a slice of `step` per task toward `target`. */
  aim(key: unknown, step: number, target: number, first: number = step): void {
    if (key !== this.key) {
      this.key = key;
      this.set(first);
    }
    this.stop();
    if (this.count === target) return;
    // A task of its own per slice: the browser paints and handles input in between.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.set(this.count > target ? this.count - 1 : Math.min(target, this.count + step));
      this.aim(key, step, target);
    }, 0);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private set(count: number): void {
    if (count === this.count) return;
    this.count = count;
    for (const l of this.listeners) l();
  }
}

/**
 * The counter of `total` items: a count that restarts when `key` (the scenario) changes and grows
 * by a slice per task up to `total` (one per task when `heavy`). While `clearing` (a new heavy
 * scenario is evaluated, or the heavy view is being replaced) one fewer per task, down to none.
 */
export function useSlices(
  total: number,
  key: unknown,
  heavy: boolean,
  clearing: boolean,
): { readonly counter: SliceCounter; readonly first: number } {
  const [counter] = useState(() => new SliceCounter());
  const step = heavy ? 1 : CHARTS_PER_SLICE;
  useEffect(
    () => counter.aim(key, step, clearing ? 0 : total, FIRST_SLICE),
    [counter, key, step, clearing, total],
  );
  useEffect(() => () => counter.stop(), [counter]);
  return { counter, first: FIRST_SLICE };
}

/** Whether at least `n` items are drawn; the component re-renders only when that changes. */
export function useDrawn(
  slices: { readonly counter: SliceCounter; readonly first: number },
  key: unknown,
  n: number,
): boolean {
  const { counter, first } = slices;
  return useSyncExternalStore(counter.subscribe, () => counter.drawn(key, first) >= n);
}

/** Item `index`: its content once drawn, else the placeholder. */
export function Slice(props: {
  readonly slices: { readonly counter: SliceCounter; readonly first: number };
  readonly scenarioKey: unknown;
  readonly index: number;
  readonly placeholder: ReactNode;
  readonly children: ReactNode;
}): ReactNode {
  const drawn = useDrawn(props.slices, props.scenarioKey, props.index + 1);
  return drawn ? props.children : props.placeholder;
}
