// Benchmark: simulate 24h of a 5-member cluster scraped every 15s, then read every point (the
// Point tuples are built lazily) and export OpenMetrics. Prints figures; asserts nothing.
import { openMetricsChunks, simulate, type Scenario } from '../src/sim/index.ts';

const scenario: Scenario = {
  version: 1,
  name: 'bench-24h-5-members',
  members: 5,
  labelScheme: 'plain',
  scrapeInterval: 15_000,
  evaluationInterval: 15_000,
  duration: 24 * 3600_000,
  seed: 7,
  events: [
    { kind: 'crash', at: 6 * 3600_000, until: 7 * 3600_000, member: 2 },
    {
      kind: 'partition',
      at: 12 * 3600_000,
      until: 13 * 3600_000,
      groups: [
        [1, 2],
        [3, 4, 5],
      ],
    },
    { kind: 'leader-churn', at: 18 * 3600_000, until: 20 * 3600_000 },
  ],
};

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const value = f();
  return [value, performance.now() - t0];
}

const runs = 5;
let best = Infinity;
let sim = simulate(scenario);
for (let i = 0; i < runs; i++) {
  const [s, ms] = time(() => simulate(scenario));
  sim = s;
  best = Math.min(best, ms);
}
const [points, pointsMs] = time(() => sim.series.reduce((n, s) => n + s.points.length, 0));
const [bytes, omMs] = time(() => {
  let n = 0;
  for (const chunk of openMetricsChunks(sim)) n += chunk.length;
  return n;
});
console.log(`sim: 24h, 5 members, 15s scrapes: ${sim.series.length} series, ${points} samples`);
console.log(`sim: simulate() best of ${runs}: ${best.toFixed(0)} ms`);
console.log(`sim: building every Point tuple: ${pointsMs.toFixed(0)} ms`);
console.log(`sim: OpenMetrics export: ${omMs.toFixed(0)} ms (${(bytes / 1e6).toFixed(0)} MB)`);
