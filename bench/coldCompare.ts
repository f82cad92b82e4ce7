// Issue 14's cold comparison: the engine of another checkout (e.g. a worktree of `1e2cb59`, the
// engine before the range-first rewrite) against this one, each run in a fresh Node process,
// the two alternating so that the machine's load falls on both alike.
//
//   tsx bench/coldCompare.ts OLD_ROOT [NEW_ROOT] [--rounds N] [--per-expression] [--only I,J]
//
// The input is made once here: bench/etcdCluster.ts's 5-member cluster, 24h at 15s (475 series,
// 2.7M samples) as typed columns in a temporary file, with the etcd mixin's 15 alert
// expressions. Each child process reads the file (untimed), imports ROOT/src/promql, builds a
// SeriesStore with addColumns, then evaluates every expression once from 0 to 24h every 60s
// (`evalRange`, `compat: 'v2'`): the first evaluation, with nothing compiled or warmed by an
// earlier one. Per phase it reports wall time, the process's CPU time (every thread) and the
// main thread's CPU time alone (/proc/thread-self/schedstat; V8 compiles and collects on other
// threads too). The summary gives the medians per side and the median of the per-round ratios;
// `--per-expression` adds each expression's median CPU time (all threads / main thread).
//
// `--only 4,6` evaluates just those expressions (by index); COLD_NODE_FLAGS="--max-opt=1" (any
// V8 flags) runs both sides' children under them, e.g. to take the optimising compiler out.
//
// For profiling one side: `tsx bench/coldCompare.ts --write-input FILE` writes the input, and
// `node [--cpu-prof|--trace-gc|--trace-opt ...] --import tsx bench/coldCompare.ts --child ROOT
// FILE` runs one child (it prints `# evaluate` and `# evaluated` around the timed evaluation, so
// that V8's trace output can be cut to it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { seriesColumns } from '../tests/differential/index.ts';
import { defaultClusterOptions, generateEtcdCluster } from './etcdCluster.ts';
import { rulesPath } from './scenario.ts';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STEP_MS = 60_000;

interface Phase {
  ms: number;
  cpuMs: number;
  mainMs: number;
}

interface ChildResult {
  store: Phase;
  evaluate: Phase;
  /** CPU ms (every thread, main thread) of each expression's evaluation, in order. */
  perExpr: [number, number][];
}

/** The calling thread's CPU time in ms (ns resolution on Linux), NaN without /proc. */
function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

function timed(fn: () => void): Phase {
  const main = threadCpuMs();
  const start = performance.now();
  const cpu = process.cpuUsage();
  fn();
  const used = process.cpuUsage(cpu);
  return {
    ms: performance.now() - start,
    cpuMs: (used.user + used.system) / 1000,
    mainMs: threadCpuMs() - main,
  };
}

// The file: a JSON header line (expressions, end, labels and sample count per series), then per
// series its times and values as float64 and its staleness flags as bytes.
interface Header {
  exprs: string[];
  endMs: number;
  series: { labels: Record<string, string>; n: number }[];
}

function writeInput(path: string, only: number[] | null = null): void {
  const o = defaultClusterOptions;
  const doc = parseYaml(readFileSync(rulesPath, 'utf8')) as {
    groups: { rules: { alert?: string; expr: string }[] }[];
  };
  const all = doc.groups.flatMap((g) =>
    g.rules.filter((r) => r.alert !== undefined).map((r) => r.expr.trim()),
  );
  // --only: just these expressions (by index), to look at one expression's cold cost alone.
  const exprs = only === null ? all : only.map((i) => all[i]!);
  const cols = generateEtcdCluster(o).map((s) => ({
    labels: { ...s.labels },
    ...seriesColumns(s, o.scrapeIntervalMs),
  }));
  const header: Header = {
    exprs,
    endMs: o.durationMs,
    series: cols.map((c) => ({ labels: c.labels, n: c.ts.length })),
  };
  const parts: Buffer[] = [Buffer.from(JSON.stringify(header) + '\n')];
  for (const c of cols) {
    parts.push(Buffer.from(c.ts.buffer, c.ts.byteOffset, c.ts.byteLength));
    parts.push(Buffer.from(c.vs.buffer, c.vs.byteOffset, c.vs.byteLength));
    parts.push(Buffer.from(c.stale.buffer, c.stale.byteOffset, c.stale.byteLength));
  }
  writeFileSync(path, Buffer.concat(parts));
}

interface Engine {
  SeriesStore: new () => {
    addColumns(
      labels: Record<string, string>,
      ts: Float64Array,
      vs: Float64Array,
      stale: Uint8Array,
    ): void;
  };
  parseExpr(
    text: string,
    opts: { compat: 'v2' },
  ): { ok: true; value: unknown } | { ok: false; error: { message: string } };
  evalRange(
    expr: unknown,
    store: unknown,
    start: number,
    end: number,
    step: number,
    opts: { compat: 'v2' },
  ): { ok: boolean; error?: { message: string } };
}

async function child(root: string, path: string): Promise<void> {
  const engine = (await import(pathToFileURL(resolve(root, 'src/promql/index.ts')).href)) as Engine;
  const file = readFileSync(path);
  const nl = file.indexOf(10);
  const header = JSON.parse(file.subarray(0, nl).toString('utf8')) as Header;
  // Each series' columns in arrays of their own, as a caller holding samples has them.
  let at = nl + 1;
  const input = header.series.map((s) => {
    const f64 = (): Float64Array => {
      const out = new Float64Array(s.n);
      new Uint8Array(out.buffer).set(file.subarray(at, at + s.n * 8));
      at += s.n * 8;
      return out;
    };
    const ts = f64();
    const vs = f64();
    const stale = file.subarray(at, at + s.n).slice();
    at += s.n;
    return { labels: s.labels, ts, vs, stale: new Uint8Array(stale) };
  });
  const store = new engine.SeriesStore();
  const storePhase = timed(() => {
    for (const s of input) store.addColumns({ ...s.labels }, s.ts, s.vs, s.stale);
  });
  const perExpr: [number, number][] = [];
  // A marker for V8's --trace-opt/--trace-deopt output, which goes to the same stream.
  console.log('# evaluate');
  const evaluatePhase = timed(() => {
    for (const e of header.exprs) {
      const t0 = process.cpuUsage();
      const m0 = threadCpuMs();
      const parsed = engine.parseExpr(e, { compat: 'v2' });
      if (!parsed.ok) throw new Error(parsed.error.message);
      const r = engine.evalRange(parsed.value, store, 0, header.endMs, STEP_MS, { compat: 'v2' });
      if (!r.ok) throw new Error(r.error?.message);
      const u = process.cpuUsage(t0);
      perExpr.push([(u.user + u.system) / 1000, threadCpuMs() - m0]);
    }
  });
  console.log('# evaluated');
  console.log(
    JSON.stringify({
      store: storePhase,
      evaluate: evaluatePhase,
      perExpr,
    } satisfies ChildResult),
  );
}

function runChild(root: string, path: string): ChildResult {
  // COLD_NODE_FLAGS (e.g. "--max-opt=1 --single-threaded-gc") runs both sides under other V8
  // settings, to tell compilation and collection apart from the evaluation's own work.
  const flags = (process.env['COLD_NODE_FLAGS'] ?? '').split(/\s+/).filter((f) => f !== '');
  const args = [...flags, '--import', 'tsx', fileURLToPath(import.meta.url), '--child', root, path];
  const run = spawnSync(process.execPath, args, { cwd: here, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`child for ${root}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const fmt = (ms: number): string => (ms / 1000).toFixed(3);

async function parent(args: string[]): Promise<void> {
  const roundsAt = args.indexOf('--rounds');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1]!.split(',').map(Number) : null;
  const perExpression = args.includes('--per-expression');
  const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 10;
  const positional = args.filter(
    (a, i) =>
      !a.startsWith('--') &&
      !(roundsAt >= 0 && i === roundsAt + 1) &&
      !(onlyAt >= 0 && i === onlyAt + 1),
  );
  const oldRoot = positional[0];
  const newRoot = resolve(positional[1] ?? here);
  if (oldRoot === undefined || !(rounds > 0)) {
    console.error('usage: tsx bench/coldCompare.ts OLD_ROOT [NEW_ROOT] [--rounds N]');
    process.exit(2);
  }
  const sides = [
    { name: 'old', root: resolve(oldRoot) },
    { name: 'new', root: newRoot },
  ];
  for (const s of sides) {
    if (!existsSync(resolve(s.root, 'src/promql/index.ts')))
      throw new Error(`${s.root} has no src/promql/index.ts`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'quorum-cold-'));
  const path = join(dir, 'input.bin');
  try {
    writeInput(path, only);
    console.log(`# cold evaluation, ${rounds} alternating rounds`);
    console.log(`old ${sides[0]!.root}\nnew ${sides[1]!.root}`);
    console.log(
      'round  load  side  store wall/cpu/main s   evaluate wall/cpu/main s  (first side alternates)',
    );
    const results: Record<string, ChildResult[]> = { old: [], new: [] };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? sides : [...sides].reverse();
      for (const s of order) {
        const res = runChild(s.root, path);
        results[s.name]!.push(res);
        const p = (x: Phase): string => `${fmt(x.ms)}/${fmt(x.cpuMs)}/${fmt(x.mainMs)}`;
        console.log(
          `${String(r + 1).padStart(5)}  ${loadavg()[0]!.toFixed(1).padStart(4)}  ${s.name}   ` +
            `${p(res.store).padEnd(22)} ${p(res.evaluate)}`,
        );
      }
    }
    console.log('\nmedians (s), and the median of the per-round ratios new / old:');
    for (const phase of ['store', 'evaluate'] as const) {
      for (const field of ['ms', 'cpuMs', 'mainMs'] as const) {
        const olds = results['old']!.map((x) => x[phase][field]);
        const news = results['new']!.map((x) => x[phase][field]);
        const ratios = olds.map((o, i) => news[i]! / o);
        const what = { ms: 'wall', cpuMs: 'CPU', mainMs: 'main-thread CPU' }[field];
        console.log(
          `  ${phase} ${what}: old ${fmt(median(olds))}, new ${fmt(median(news))}, ` +
            `ratio ${median(ratios).toFixed(3)}`,
        );
      }
    }
    if (perExpression) {
      console.log('per expression, median CPU ms (all threads / main thread):');
      const n = results['old']![0]?.perExpr.length ?? 0;
      for (let j = 0; j < n; j++) {
        const cell = (side: string): string => {
          const xs = results[side]!.map((x) => x.perExpr[j]!);
          return `${median(xs.map((x) => x[0])).toFixed(0)}/${median(xs.map((x) => x[1])).toFixed(0)}`;
        };
        console.log(`  ${String(j).padStart(2)}  old ${cell('old').padEnd(10)} new ${cell('new')}`);
      }
    }
    console.log(
      `load now ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv[1]!, argv[2]!);
else if (argv[0] === '--write-input') writeInput(argv[1]!);
else await parent(argv);
