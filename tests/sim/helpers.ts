// Small readers over a Simulation for the simulator's tests.
import type { Point, Scenario, SimSeries, Simulation } from '../../src/sim/index.ts';

/** A scenario with the defaults the tests build on. */
export function scenarioOf(partial: Partial<Scenario>): Scenario {
  return {
    version: 1,
    members: 3,
    labelScheme: 'plain',
    scrapeInterval: 30_000,
    evaluationInterval: 30_000,
    duration: 3_600_000,
    seed: 1,
    events: [],
    ...partial,
  };
}

/** Minutes to milliseconds. */
export const min = (x: number): number => x * 60_000;

/** The series with this metric name whose labels include `match`. */
export function findSeries(
  sim: Simulation,
  name: string,
  match: Record<string, string> = {},
): SimSeries[] {
  return sim.series.filter(
    (s) => s.labels.__name__ === name && Object.entries(match).every(([k, v]) => s.labels[k] === v),
  );
}

/** Exactly one series, or a thrown error naming the selector. */
export function oneSeries(
  sim: Simulation,
  name: string,
  match: Record<string, string> = {},
): SimSeries {
  const found = findSeries(sim, name, match);
  if (found.length !== 1) {
    throw new Error(`expected one ${name}${JSON.stringify(match)}, found ${found.length}`);
  }
  return found[0]!;
}

/** The instance label of a member (1-based). */
export function instance(sim: Simulation, member: number): string {
  return sim.members[member - 1]!.instance;
}

/** The id of a member (1-based). */
export function id(sim: Simulation, member: number): string {
  return sim.members[member - 1]!.id;
}

/** The point stored exactly at t, if any. */
export function pointAt(series: SimSeries, t: number): Point | undefined {
  return series.points.find((p) => p[0] === t);
}

/** The value stored exactly at t (null for a staleness marker, undefined for nothing). */
export function valueAt(series: SimSeries, t: number): number | null | undefined {
  return pointAt(series, t)?.[1];
}
