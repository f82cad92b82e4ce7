// `npm run bench`: (a) range evaluation of the etcd mixin's alert expressions over a 5-member
// cluster, 24h at a 15s scrape, through our engine and through the real promtool (one
// `promtool test rules` process with an instant promql_expr_test per expression and step),
// printing both timings, their ratio and how many step results agree; (b) bench/sim.bench.ts
// when present. Figures are recorded in docs/BENCHMARKS.md.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  evalRange,
  parseExpr,
  SeriesStore,
  type Result,
  type Series,
} from '../src/promql/index.ts';
import {
  compareOutcomes,
  formatGoDuration,
  formatOutcome,
  formatPromtoolTestFile,
  parsePromtoolOutput,
  runPromtoolTestRules,
  seriesPoints,
  type DifferentialCase,
  type Outcome,
  type Scenario,
} from '../tests/differential/index.ts';
import { defaultClusterOptions, generateEtcdCluster } from './etcdCluster.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rulesPath = resolve(
  process.env['QUORUM_ETCD_RULES'] ?? resolve(root, '../shared/conformance/etcd-mixin/rules.yaml'),
);
const STEP_MS = 60_000;

function readAlertExpressions(path: string): { alert: string; expr: string }[] {
  const doc = parseYaml(readFileSync(path, 'utf8')) as {
    groups: { rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  return doc.groups.flatMap((g) =>
    g.rules
      .filter((r) => r.alert !== undefined)
      .map((r) => ({ alert: r.alert ?? '', expr: r.expr.trim() })),
  );
}

const fmtMs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function time<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

// Our range result at each step, in the outcome shape promtool's reports are read into.
function stepOutcomes(
  result: Result<{ type: 'matrix'; series: Series[] }>,
  steps: number[],
): Map<number, Outcome> {
  const out = new Map<number, Outcome>();
  if (!result.ok) {
    for (const t of steps) out.set(t, { kind: 'error', message: result.error.message });
    return out;
  }
  const samples = new Map<number, { labels: Record<string, string>; value: number }[]>();
  for (const t of steps) samples.set(t, []);
  for (const s of result.value.series) {
    for (const p of s.points) samples.get(p.t)?.push({ labels: { ...s.labels }, value: p.v });
  }
  for (const [t, list] of samples) out.set(t, { kind: 'samples', samples: list });
  return out;
}

async function benchEtcdMixin(): Promise<void> {
  const o = defaultClusterOptions;
  const alerts = readAlertExpressions(rulesPath);
  const gen = time(() => generateEtcdCluster(o));
  const series = gen.value;
  const samples = series.reduce((n, s) => n + s.values.filter((v) => v !== '_').length, 0);
  const steps: number[] = [];
  for (let t = 0; t <= o.durationMs; t += STEP_MS) steps.push(t);
  console.log(`## etcd mixin alert expressions, range evaluation`);
  console.log(
    `cluster: ${o.members} members, ${series.length} series, ${samples} samples ` +
      `(${formatGoDuration(o.durationMs)} at ${formatGoDuration(o.scrapeIntervalMs)}), ` +
      `generated in ${fmtMs(gen.ms)}`,
  );
  console.log(
    `work: ${alerts.length} alert expressions x ${steps.length} steps ` +
      `(0 to ${formatGoDuration(o.durationMs)} every ${formatGoDuration(STEP_MS)}) = ` +
      `${alerts.length * steps.length} instant evaluations`,
  );

  // Our engine, with Prometheus 2.42's semantics (promtool's version).
  const load = time(() => {
    const store = new SeriesStore();
    for (const s of series) store.addSeries({ ...s.labels }, seriesPoints(s, o.scrapeIntervalMs));
    return store;
  });
  console.log(`ours: store built in ${fmtMs(load.ms)}`);
  const ours = new Map<number, Map<number, Outcome>>();
  let evalMs = 0;
  alerts.forEach((a, i) => {
    const run = time(() => {
      const parsed = parseExpr(a.expr, { compat: 'v2' });
      if (!parsed.ok) return parsed;
      return evalRange(parsed.value, load.value, 0, o.durationMs, STEP_MS, { compat: 'v2' });
    });
    evalMs += run.ms;
    ours.set(i, stepOutcomes(run.value, steps));
    const status = run.value.ok ? '' : `  ERROR: ${run.value.error.message}`;
    console.log(`  ${fmtMs(run.ms).padStart(9)}  ${a.alert}${status}`);
  });
  const oursTotal = load.ms + evalMs;
  console.log(`ours: evaluation ${fmtMs(evalMs)}, total with the store ${fmtMs(oursTotal)}`);

  // promtool: the same evaluations as instant queries in one test file, one process.
  const scenario: Scenario = {
    intervalMs: o.scrapeIntervalMs,
    endMs: o.durationMs,
    series,
    families: [],
  };
  const cases: DifferentialCase[] = [];
  alerts.forEach((a, i) => {
    steps.forEach((t, j) => cases.push({ id: i * steps.length + j, expr: a.expr, evalTimeMs: t }));
  });
  const file = formatPromtoolTestFile([{ scenario, cases }]);
  const baselineFile = formatPromtoolTestFile([{ scenario, cases: [] }]);
  console.log(`promtool: test file ${(file.length / 1e6).toFixed(1)} MB`);
  const baseline = time(() => runPromtoolTestRules(baselineFile));
  const full = time(() => runPromtoolTestRules(file));
  console.log(`promtool: loading the series only (no expressions): ${fmtMs(baseline.ms)}`);
  console.log(`promtool: whole process with every evaluation: ${fmtMs(full.ms)}`);
  console.log(`promtool: evaluation alone (difference): ${fmtMs(full.ms - baseline.ms)}`);
  console.log(
    `ratio promtool / ours: whole ${(full.ms / oursTotal).toFixed(2)}, ` +
      `evaluation alone ${((full.ms - baseline.ms) / evalMs).toFixed(2)}`,
  );

  // Do the two agree? promtool's report for every case, against our value at that step.
  const { reports, other } = parsePromtoolOutput(full.value.stderr);
  if (other.length > 0 || reports.length !== cases.length) {
    console.log(
      `promtool: ${reports.length} reports for ${cases.length} cases; ${other.slice(0, 5).join('; ')}`,
    );
    return;
  }
  let agree = 0;
  const firstDisagreement = new Map<number, string>();
  cases.forEach((c, k) => {
    const alertIndex = Math.floor(c.id / steps.length);
    const mine = ours.get(alertIndex)?.get(c.evalTimeMs);
    const theirs = reports[k]?.outcome;
    if (!mine || !theirs) return;
    const why = compareOutcomes(theirs, mine);
    if (why === null) agree++;
    else if (!firstDisagreement.has(alertIndex)) {
      firstDisagreement.set(
        alertIndex,
        `at ${formatGoDuration(c.evalTimeMs)}: ${why}\n      promtool: ${formatOutcome(theirs).slice(0, 300)}\n      ours:     ${formatOutcome(mine).slice(0, 300)}`,
      );
    }
  });
  console.log(`agreement: ${agree} of ${cases.length} step results agree with promtool`);
  for (const [i, text] of firstDisagreement) {
    console.log(`  ${alerts[i]?.alert}: first disagreement ${text}`);
  }
}

function benchSimulator(): void {
  const path = resolve(root, 'bench/sim.bench.ts');
  console.log('\n## simulator (bench/sim.bench.ts)');
  if (!existsSync(path)) {
    console.log('bench/sim.bench.ts does not exist yet');
    return;
  }
  const tsx = resolve(root, 'node_modules/.bin/tsx');
  const run = spawnSync(tsx, [path], { stdio: 'inherit', cwd: root });
  if (run.status !== 0) process.exitCode = 1;
}

console.log(`# Quorum Lab benchmarks`);
console.log(
  `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ` +
    `${new Date().toISOString()}\n`,
);
await benchEtcdMixin();
benchSimulator();
