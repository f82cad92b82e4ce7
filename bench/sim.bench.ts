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

function time<T>(f: () => T): [T, number, number] {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const cpu = process.cpuUsage(cpu0);
  return [value, performance.now() - t0, (cpu.user + cpu.system) / 1000];
}

const runs = 5;
const [first, firstMs, firstCpu] = time(() => simulate(scenario));
let sim = first;
let best = Infinity;
let bestCpu = Infinity;
for (let i = 0; i < runs; i++) {
  const [s, ms, cpu] = time(() => simulate(scenario));
  sim = s;
  best = Math.min(best, ms);
  bestCpu = Math.min(bestCpu, cpu);
}
const [points, pointsMs] = time(() => sim.series.reduce((n, s) => n + s.points.length, 0));
const [bytes, omMs] = time(() => {
  let n = 0;
  for (const chunk of openMetricsChunks(sim)) n += chunk.length;
  return n;
});
console.log(`sim: 24h, 5 members, 15s scrapes: ${sim.series.length} series, ${points} samples`);
console.log(`sim: simulate() first run: ${firstMs.toFixed(0)} ms (${firstCpu.toFixed(0)} ms CPU)`);
console.log(
  `sim: simulate() best of ${runs} more: ${best.toFixed(0)} ms (${bestCpu.toFixed(0)} ms CPU)`,
);
console.log(`sim: building every Point tuple: ${pointsMs.toFixed(0)} ms`);
console.log(`sim: OpenMetrics export: ${omMs.toFixed(0)} ms (${(bytes / 1e6).toFixed(0)} MB)`);
