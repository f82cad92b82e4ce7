// Runs the differential check over a range of seeds and prints a summary by known category and
// every new disagreement: `npx tsx tests/differential/sweep.ts 1 20` (seeds 1 to 20, 300 cases
// each). For exploring; the vitest file runs one seed.

import { evalInstant, parseExpr, SeriesStore, type Expr } from '../../src/promql/index.ts';
import {
  classifyDisagreement,
  formatDisagreement,
  runDifferential,
  type EngineApi,
} from './index.ts';

const engine: EngineApi<Expr, SeriesStore> = {
  newStore: () => new SeriesStore(),
  addSeries: (store, labels, points) => store.addSeries({ ...labels }, points),
  parseExpr: (text) => parseExpr(text, { compat: 'v2' }),
  evalInstant: (expr, store, t) =>
    evalInstant(expr, store, t, { compat: 'v2', defaultSubqueryStep: 60_000, maxSamples: 10_000 }),
};

const first = Number(process.argv[2] ?? 1);
const last = Number(process.argv[3] ?? first);
let cases = 0;
let ties = 0;
let fresh = 0;
const known = new Map<string, number>();
for (let seed = first; seed <= last; seed++) {
  const run = runDifferential(engine, seed, { groups: 20, casesPerGroup: 15 });
  cases += run.cases;
  ties += run.ties.length;
  for (const d of run.disagreements) {
    const k = classifyDisagreement(d);
    if (k) {
      known.set(k.id, (known.get(k.id) ?? 0) + 1);
    } else {
      fresh++;
      console.log(`NEW DISAGREEMENT\n${formatDisagreement(d)}\n`);
    }
  }
}
console.log(`seeds ${first} to ${last}: ${cases} cases, ${fresh} new disagreements, ${ties} ties`);
for (const [id, n] of known) console.log(`  known ${id}: ${n}`);
