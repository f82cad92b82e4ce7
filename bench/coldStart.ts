// One cold measurement per process, for bench/run.ts (issue 15): run as
// `tsx bench/coldStart.ts MODE` in a fresh Node process, so that nothing is compiled or warmed
// by an earlier measurement, and print one JSON line of timings.
//
// - `pipeline`: simulate the bench's 24h, 5-member scenario, build the store from the
//   simulation (lab.storeSimulation) and evaluate the 15 etcd mixin alert expressions over
//   24h at a 60s step, each phase timed.
// - `store-tuples`, `store-columns`, `store-sim`, `store-import`: the store built once from the
//   same samples arriving one way (Point tuples and `addSeries`, typed columns and
//   `addColumns`, the simulation and `storeSimulation`, an imported scenario in promtool's
//   notation and the page's import path); the input is made first and not timed, and a full
//   collection settles the heap before the build is timed.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse as parseYaml } from 'yaml';
import { evalRange, parseExpr, SeriesStore, type Point } from '../src/promql/index.ts';
import { formatSeriesName } from '../src/text/index.ts';
import { formatValues, sampleColumns, simulate, type Simulation } from '../src/sim/index.ts';
import {
  loadImportedSeries,
  storeLoadedSeries,
  storeSimulation,
  type ImportedSource,
} from '../src/lab/index.ts';
import { benchScenario, rulesPath } from './scenario.ts';

interface Timed {
  ms: number;
  cpuMs: number;
}

function time<T>(fn: () => T): { value: T } & Timed {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * A full collection before a timed build, as Go's testing runs one before each benchmark: the
 * input was made just before (6M samples as tuples, about 0.5 GB of heap), and
 * without it V8's marking of that heap, begun while the input was made, lands in the build in
 * some runs (2.5 to 3.4 s of a Mark-Compact seen with --trace-gc) and not in others.
 */
function settleHeap(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function alertExpressions(): string[] {
  const doc = parseYaml(readFileSync(rulesPath, 'utf8')) as {
    groups: { rules: { alert?: string; expr: string }[] }[];
  };
  return doc.groups.flatMap((g) =>
    g.rules.filter((r) => r.alert !== undefined).map((r) => r.expr.trim()),
  );
}

function samplesOf(sim: Simulation): number {
  let n = 0;
  for (const s of sim.series) n += sampleColumns(s).ts.length;
  return n;
}

function pipeline(): void {
  const exprs = alertExpressions();
  const sim = time(() => simulate(benchScenario));
  const store = time(() => storeSimulation(sim.value));
  const evaluation = time(() => {
    for (const e of exprs) {
      const parsed = parseExpr(e, { compat: 'v2' });
      if (!parsed.ok) throw new Error(parsed.error.message);
      const r = evalRange(parsed.value, store.value, 0, benchScenario.duration, 60_000, {
        compat: 'v2',
      });
      if (!r.ok) throw new Error(r.error.message);
    }
  });
  const out = { simulate: sim, store: store, evaluate: evaluation };
  console.log(
    JSON.stringify({
      expressions: exprs.length,
      series: sim.value.series.length,
      samples: samplesOf(sim.value),
      ...Object.fromEntries(
        Object.entries(out).map(([k, t]) => [k, { ms: t.ms, cpuMs: t.cpuMs } satisfies Timed]),
      ),
    }),
  );
}

function storeBuild(way: string): void {
  const sim = simulate(benchScenario);
  const samples = samplesOf(sim);
  let build: () => unknown;
  switch (way) {
    case 'tuples': {
      // Fresh tuples, one copy (not the simulator's points, which it caches: a second 6M), as a
      // caller holding points has them.
      const input = sim.series.map((s) => {
        const c = sampleColumns(s);
        const points: Point[] = [];
        for (let i = 0; i < c.ts.length; i++)
          points.push([c.ts[i]!, c.stale?.[i] ? null : c.vs[i]!]);
        return { labels: s.labels, points };
      });
      build = () => {
        const store = new SeriesStore();
        for (const s of input) store.addSeries(s.labels, s.points);
        return store;
      };
      break;
    }
    case 'columns': {
      const input = sim.series.map((s) => ({ labels: s.labels, ...sampleColumns(s) }));
      build = () => {
        const store = new SeriesStore();
        for (const s of input) store.addColumns(s.labels, s.ts, s.vs, s.stale);
        return store;
      };
      break;
    }
    case 'sim':
      build = () => storeSimulation(sim);
      break;
    case 'import': {
      // What the page keeps of an imported file: each series in promtool's notation.
      const source: ImportedSource = {
        kind: 'imported',
        fileName: 'bench.yaml',
        group: 'bench',
        interval: benchScenario.scrapeInterval,
        evaluationInterval: benchScenario.evaluationInterval,
        series: sim.series.map((s) => ({
          series: formatSeriesName(s.labels),
          values: formatValues(
            (() => {
              const c = sampleColumns(s);
              const tokens: (number | '_' | 'stale')[] = [];
              for (let i = 0; i < c.ts.length; i++) {
                const k = Math.round(c.ts[i]! / benchScenario.scrapeInterval);
                while (tokens.length < k) tokens.push('_');
                tokens.push(c.stale?.[i] ? 'stale' : c.vs[i]!);
              }
              return tokens;
            })(),
          ),
        })),
      };
      build = () => {
        const loaded = loadImportedSeries(source);
        if (!loaded.ok) throw new Error('import failed');
        const store = new SeriesStore();
        storeLoadedSeries(loaded.series, store);
        return store;
      };
      break;
    }
    default:
      throw new Error(`unknown way ${way}`);
  }
  settleHeap();
  const f0 = process.resourceUsage().minorPageFault;
  const t = time(build);
  const faults = process.resourceUsage().minorPageFault - f0;
  console.log(JSON.stringify({ way, samples, ms: t.ms, cpuMs: t.cpuMs, faults }));
}

const mode = process.argv[2] ?? 'pipeline';
if (mode === 'pipeline') pipeline();
else if (mode.startsWith('store-')) storeBuild(mode.slice('store-'.length));
else throw new Error(`unknown mode ${mode}`);
