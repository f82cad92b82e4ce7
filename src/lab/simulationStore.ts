// A simulation's series loaded into the engine's store straight from the simulator's columns:
// no Point tuple per sample (6M of them for a day of a 5-member cluster at 15s), which is most
// of what loading used to cost, in allocation and garbage collection.
import { SeriesStore } from '../promql/index.ts';
import { sampleColumns, type Simulation } from '../sim/index.ts';

/** Adds every series of the simulation to the store (a new one unless given). */
export function storeSimulation(
  sim: Pick<Simulation, 'series'>,
  store: SeriesStore = new SeriesStore(),
): SeriesStore {
  for (const s of sim.series) {
    const c = sampleColumns(s);
    store.addColumns(s.labels, c.ts, c.vs, c.stale);
  }
  return store;
}
