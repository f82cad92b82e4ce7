// Random scenarios (from a fixed seed) checked against invariants that hold whatever happens:
// samples at scrape times only, no double staleness, histograms cumulative, counters monotonic
// within a process's life, ground truth self-consistent.
import { describe, expect, it } from 'vitest';
import { quorumSize, simulate, validateScenario } from '../../src/sim/index.ts';
import type { ScenarioEvent, Simulation } from '../../src/sim/index.ts';

/** A small LCG, so that the test needs nothing from the simulator but its public API. */
function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function randomScenario(seed: number): unknown {
  const rng = createRng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
  const members = int(1, 7);
  const interval = [5_000, 15_000, 30_000, 60_000][int(0, 3)]!;
  const duration = int(10, 40) * 60_000;
  const member = (): number => int(1, members);
  const events: ScenarioEvent[] = [];
  for (let i = int(0, 6); i > 0; i--) {
    const at = int(0, duration / 1000) * 1000;
    const until = rng() < 0.7 ? at + int(1, 20) * 30_000 : undefined;
    const span = until === undefined ? {} : { until };
    const kinds = [
      () => ({ kind: 'crash', at, ...span, member: member() }),
      () => ({ kind: 'restart', at, until: at + int(1, 60) * 1000, member: member() }),
      () => ({ kind: 'evict', at, ...span, member: member() }),
      () => ({ kind: 'scrape-failure', at, ...span, member: member() }),
      () => ({ kind: 'prometheus-outage', at, ...span }),
      () => ({ kind: 'slow-disk', at, ...span, member: member() }),
      () => ({ kind: 'leader-churn', at, ...span, every: int(5, 120) * 1000 }),
      () => ({ kind: 'db-growth', at, ...span, bytesPerSecond: int(1, 4096) * 1024 }),
      () => ({ kind: 'slow-network', at, ...span }),
      () =>
        members < 2
          ? { kind: 'crash', at, ...span, member: 1 }
          : {
              kind: 'partition',
              at,
              ...span,
              groups: [[member()]].filter((g) => g[0]! <= members),
            },
      () => {
        const from = member();
        const to = Array.from({ length: members }, (_, j) => j + 1).filter(
          (j) => j !== from && rng() < 0.5,
        );
        return members < 2 || to.length === 0
          ? { kind: 'prometheus-outage', at, ...span }
          : { kind: 'one-way-loss', at, ...span, member: from, to };
      },
    ];
    events.push(kinds[int(0, kinds.length - 1)]!() as ScenarioEvent);
  }
  return {
    version: 1,
    members,
    labelScheme: rng() < 0.5 ? 'plain' : 'kube',
    scrapeInterval: interval,
    duration,
    seed: int(0, 1000),
    events,
  };
}

/** Every broken invariant, as readable strings (checked in plain loops: there are many points). */
function brokenInvariants(sim: Simulation): string[] {
  const broken: string[] = [];
  const interval = sim.scenario.scrapeInterval;
  const n = sim.scenario.members;
  for (const t of sim.truth) {
    if (t.leader !== null && t.down.includes(t.leader)) broken.push(`${t.t}: leader is down`);
    if (t.quorum !== t.canSurvive >= 0) broken.push(`${t.t}: quorum vs canSurvive`);
    if (t.canSurvive > n - quorumSize(n)) broken.push(`${t.t}: canSurvive too large`);
    if (t.reachable.some((m) => t.down.includes(m)))
      broken.push(`${t.t}: a down member is reachable`);
  }
  for (const s of sim.series) {
    const id = JSON.stringify(s.labels);
    let last = -1;
    let prev: number | null | undefined;
    for (const [t, v] of s.points) {
      if (t % interval !== 0) broken.push(`${id}: sample off the scrape grid at ${t}`);
      if (t <= last) broken.push(`${id}: samples out of order at ${t}`);
      if (v === null && prev === null) broken.push(`${id}: two staleness markers in a row at ${t}`);
      if (v !== null && !Number.isFinite(v)) broken.push(`${id}: non-finite value at ${t}`);
      last = t;
      prev = v;
    }
  }
  // Buckets are cumulative at every scrape.
  const groups = new Map<string, Map<string, Map<number, number>>>();
  for (const s of sim.series) {
    if (!s.labels.__name__!.endsWith('_bucket')) continue;
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(rest);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = new Map()));
    g.set(le!, new Map(s.points.filter((p) => p[1] !== null).map((p) => [p[0], p[1]!])));
  }
  const bound = (le: string): number => (le === '+Inf' ? Infinity : Number(le));
  for (const [key, g] of groups) {
    const les = [...g.keys()].sort((a, b) => bound(a) - bound(b));
    for (const t of g.get(les[0]!)!.keys()) {
      const values = les.map((le) => g.get(le)!.get(t)!);
      for (let i = 1; i < values.length; i++) {
        if (!(values[i]! >= values[i - 1]!)) broken.push(`${key}: buckets not cumulative at ${t}`);
      }
    }
  }
  return broken.slice(0, 10);
}

describe('random scenarios', () => {
  const seeds = Array.from({ length: Number(process.env.FUZZ_COUNT ?? 12) }, (_, i) => 1000 + i);
  it.each(seeds)('seed %i keeps every invariant', (seed) => {
    const input = randomScenario(seed);
    const checked = validateScenario(input);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    if (!checked.ok) return;
    expect(brokenInvariants(simulate(checked.value))).toEqual([]);
  });
});
