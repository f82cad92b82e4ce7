// `quorumlab test rules` against `promtool test rules` on every shape of test file, as whole
// processes under GNU time (wall time and peak resident memory of each, side by side in one run):
// the generated shapes of bench/testRuleShapes.ts (compact and spelled-out values, few long
// series and many short ones), the simulator's 24h export (`scenario export-test`, spelled out,
// evaluated every 15s), and all of them in one run of each tool (issue 16's heavy run), with the
// etcd mixin's own tests. quorumlab runs as users get it: the built command (dist-cli/, built
// first). Prints each ratio and memory next to its target (issue 15: at least 10x promtool's wall
// time, peak memory no more than promtool's) with the load average; asserts nothing.
// SHAPES=compact,short keeps the shapes whose name holds every word; RUNS=n repeats each.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findPreset, scenarioToJson } from '../src/sim/index.ts';
import { SHAPES, shapeTestFile } from './testRuleShapes.ts';

const root = resolve(import.meta.dirname, '..');
const mixin = resolve(root, '../shared/conformance/etcd-mixin/rules.yaml');
const mixinTests = resolve(root, '../shared/conformance/etcd-mixin/test.yaml');
const TIME = '/usr/bin/time';
const dir = mkdtempSync(join(tmpdir(), 'quorumlab-bench-'));
// The built command as an installed package starts it: bin/quorumlab itself (its first lines
// start node with its flags, from dist-cli/'s startup snapshot) beside dist-cli/, with no
// sources next to it.
const pkg = join(dir, 'package');
mkdirSync(join(pkg, 'bin'), { recursive: true });
copyFileSync(join(root, 'bin/quorumlab'), join(pkg, 'bin/quorumlab'));
chmodSync(join(pkg, 'bin/quorumlab'), 0o755);
symlinkSync(join(root, 'dist-cli'), join(pkg, 'dist-cli'));
const cli = join(pkg, 'bin/quorumlab');
/** Longest a run may take before it is reported as not finished. */
const LIMIT_MS = 15 * 60_000;
const TARGET_RATIO = 10;

interface Run {
  ms: number;
  /** CPU time (user + system), ms. */
  cpu: number;
  mb: number;
  /** Minor page faults: each fresh 4 KB page, about 15 us of CPU on this project's VMs. */
  faults: number;
  status: number | null;
  stdout: string;
  stderr: string;
  tail: string;
}

/** One whole process under GNU time: wall time, peak resident memory, its output. */
function measure(cmd: string, args: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync(TIME, ['-q', '-f', '%M %U %S %R', cmd, ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: LIMIT_MS,
  });
  const ms = performance.now() - t0;
  if (r.error) {
    const tail = r.error.message;
    return { ms, cpu: NaN, mb: NaN, faults: NaN, status: null, stdout: '', stderr: '', tail };
  }
  const errLines = r.stderr.trimEnd().split('\n');
  const [kb, user, sys, faults] = (errLines.pop() ?? '').split(' ').map(Number);
  const stderr = errLines.join('\n');
  const output = `${r.stdout}\n${stderr}`.trim();
  const cpu = ((user ?? NaN) + (sys ?? NaN)) * 1000;
  const tail = output.split('\n').at(-1) ?? '';
  const mb = (kb ?? NaN) / 1024;
  return { ms, cpu, mb, faults: faults ?? NaN, status: r.status, stdout: r.stdout, stderr, tail };
}

/** A number in printed output (Go's %v / strconv 'g' forms and integers). */
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;

/**
 * Whether two lines differ only in the last bits of floats they print: the same text around
 * the numbers, and each pair of numbers within 1e-12 of each other, relatively.
 */
function sameButRounding(a: string, b: string): boolean {
  if (a.replace(NUMBER, '#') !== b.replace(NUMBER, '#')) return false;
  const x = a.match(NUMBER) ?? [];
  const y = b.match(NUMBER) ?? [];
  return x.every((s, i) => {
    const u = Number(s);
    const v = Number(y[i]);
    return u === v || Math.abs(u - v) <= 1e-12 * Math.max(Math.abs(u), Math.abs(v));
  });
}

/**
 * Compares quorumlab's output with promtool's, stream by stream, line by line, leaving out
 * quorumlab's own closing line ("N passed, M failed"). Lines that differ only in a float's last
 * digits are counted apart: promtool is not deterministic there (it keeps a test's input series
 * in a Go map, so `sum` adds them in a different order from run to run and the last bit of a
 * `{{ $value }}` changes between two runs of the same file), while quorumlab adds them in one
 * order every time.
 */
function sameOutput(ours: Run, theirs: Run): string {
  const lines = (s: string): string[] => s.split('\n');
  const oursOut = lines(ours.stdout);
  // The summary line is followed by the final newline's empty string.
  if (/^\d+ passed, \d+ failed$/.test(oursOut.at(-2) ?? '')) oursOut.splice(-2, 1);
  let differ = 0;
  let rounding = 0;
  let total = 0;
  const pairs: [string[], string[]][] = [
    [oursOut, lines(theirs.stdout)],
    [lines(ours.stderr), lines(theirs.stderr)],
  ];
  for (const [a, b] of pairs) {
    total += b.length;
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
      const x = a[k];
      const y = b[k];
      if (x === y) continue;
      if (x !== undefined && y !== undefined && sameButRounding(x, y)) rounding++;
      else differ++;
    }
  }
  if (ours.status !== theirs.status) {
    return `NO, exit ${ours.status} against promtool's ${theirs.status}`;
  }
  if (differ > 0) {
    return `NO, ${differ} of ${total} lines differ (quorumlab: ${ours.tail}; promtool: ${theirs.tail})`;
  }
  if (rounding === 0) return 'yes';
  return `yes, but for the last digits of a float on ${rounding} of ${total} lines (promtool's own vary from run to run: it sums series in Go map order; quorumlab's do not)`;
}

const load = (): string => (loadavg()[0] ?? NaN).toFixed(1);

// The vCPUs of this project's VMs are not equal, and the host changes which one is slow: a
// random-access loop over 64 MB pinned to each took 268 ms on one and 381 ms on the other, and
// minutes later the other way round (a pure arithmetic loop took the same on both). A
// single-threaded run of ours lands on one of them; promtool spreads over both. Each run prints
// this probe beside its figures, so a slow run can be told from a slow machine.
const PROBE = `const n=1<<24,a=new Int32Array(n);let j=1;const t=performance.now();
for(let i=0;i<2e7;i++){j=(j*1103515245+12345)&(n-1);a[j]+=i}
console.log(Math.round(performance.now()-t))`;
function vcpuProbe(): string {
  const times = cpus().map((_, i) => {
    const r = spawnSync('taskset', ['-c', String(i), process.execPath, '-e', PROBE], {
      encoding: 'utf8',
    });
    return r.status === 0 ? `${r.stdout.trim()}` : '?';
  });
  return `${times.join('/')} ms`;
}
const verdict = (ok: boolean): string => (ok ? 'pass' : 'MISS');

interface Row {
  name: string;
  ours: Run;
  theirs: Run;
  load: string;
  probe: string;
  same: string;
}
const summary: Row[] = [];

/** Every shape's figures in one table, next to the targets, for docs/BENCHMARKS.md. */
function printSummary(): void {
  if (summary.length === 0) return;
  const s = (r: Run): string =>
    `${(r.ms / 1000).toFixed(2)} s, ${(r.cpu / 1000).toFixed(2)} s, ${r.mb.toFixed(0)} MB`;
  console.log('\n### summary');
  console.log(
    `| shape | quorumlab: wall, CPU, peak | promtool 2.42: wall, CPU, peak | ratio wall (CPU) | target ${TARGET_RATIO}x | memory <= promtool | load | vCPU probe | same output |`,
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { name, ours, theirs, load: l, probe, same } of summary) {
    const ratio = theirs.ms / ours.ms;
    console.log(
      `| ${name} | ${s(ours)} | ${s(theirs)} | ${ratio.toFixed(1)}x (${(theirs.cpu / ours.cpu).toFixed(1)}x) | ${verdict(ratio >= TARGET_RATIO)} | ${verdict(ours.mb <= theirs.mb)} | ${l} | ${probe} | ${same.split(' (')[0]} |`,
    );
  }
}

function compare(name: string, files: string[], detail: string): void {
  const rel = files.map((f) => f.slice(dir.length + 1));
  const runs = Number(process.env['RUNS'] ?? 1);
  for (let i = 0; i < runs; i++) {
    const probe = vcpuProbe();
    const loadBefore = load();
    const ours = measure(cli, ['test', 'rules', '--compat', 'v2', ...rel]);
    const theirs = measure('promtool', ['test', 'rules', ...rel]);
    const ratio = theirs.ms / ours.ms;
    const same = sameOutput(ours, theirs);
    console.log(`\n### ${name}${runs > 1 ? ` (run ${i + 1})` : ''}`);
    console.log(detail);
    console.log(
      `quorumlab: ${(ours.ms / 1000).toFixed(2)} s wall, ${(ours.cpu / 1000).toFixed(2)} s CPU, ${ours.mb.toFixed(0)} MB peak, ${ours.faults} page faults, exit ${ours.status}`,
    );
    console.log(
      `promtool:  ${(theirs.ms / 1000).toFixed(2)} s wall, ${(theirs.cpu / 1000).toFixed(2)} s CPU, ${theirs.mb.toFixed(0)} MB peak, ${theirs.faults} page faults, exit ${theirs.status}`,
    );
    console.log(
      `ratio promtool / quorumlab (wall): ${ratio.toFixed(1)}x, target >= ${TARGET_RATIO}x: ${verdict(ratio >= TARGET_RATIO)} (CPU: ${(theirs.cpu / ours.cpu).toFixed(1)}x)`,
    );
    console.log(
      `peak memory: ${ours.mb.toFixed(0)} MB against ${theirs.mb.toFixed(0)} MB, target <= promtool's: ${verdict(ours.mb <= theirs.mb)}`,
    );
    const loadAfter = load();
    console.log(
      `same output as promtool: ${same}; load ${loadBefore} -> ${loadAfter}; vCPU probe (random access, per vCPU) ${probe}`,
    );
    summary.push({ name, ours, theirs, load: `${loadBefore} to ${loadAfter}`, probe, same });
  }
}

try {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
  }).stdout.trim();
  console.log('## test rules: quorumlab vs promtool 2.42 (whole processes)');
  console.log(
    `commit ${commit}, ${cpus().length} cores, Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed for the peak memory`);
  const built = spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], {
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('building dist-cli failed');
  const words = (process.env['SHAPES'] ?? '').split(',').filter((w) => w !== '');
  const wanted = (name: string): boolean => words.every((w) => name.includes(w));
  const all: string[] = [];
  SHAPES.forEach((shape, i) => {
    const file = join(dir, `shape${i}.test.yaml`);
    writeFileSync(file, shapeTestFile(shape, mixin));
    all.push(file);
    if (!wanted(shape.name)) return;
    compare(
      shape.name,
      [file],
      `${(statSync(file).size / 1e6).toFixed(2)} MB, ${shape.groups} group(s), ${shape.samples} samples per series at 15s, evaluated every 1m`,
    );
  });

  const exportName = 'spelled out, simulator export (24h, evaluated every 15s)';
  if (wanted(exportName)) {
    const preset = findPreset('five-members-15s');
    if (!preset) throw new Error('preset five-members-15s is missing');
    const scenarioFile = join(dir, 'scenario.json');
    writeFileSync(
      scenarioFile,
      JSON.stringify(
        scenarioToJson({ ...preset.scenario, duration: 24 * 3600_000, name: 'bench-24h' }),
      ),
    );
    const exported = join(dir, 'export.test.yaml');
    const made = spawnSync(cli, [
      'scenario',
      'export-test',
      scenarioFile,
      '--rules',
      mixin,
      '--compat',
      'v2',
      '-o',
      exported,
    ]);
    if (made.status !== 0) throw new Error(`export-test failed: ${made.stderr.toString()}`);
    all.push(exported);
    compare(
      exportName,
      [exported],
      `${(statSync(exported).size / 1e6).toFixed(1)} MB, 5 members, 24h at 15s, the whole mixin`,
    );
  }

  const heavy = 'all of the above and the etcd mixin tests, one run';
  if (wanted(heavy) && existsSync(mixinTests)) {
    const copy = join(dir, 'mixin.test.yaml');
    // The mixin's tests name rules.yaml beside them.
    writeFileSync(
      copy,
      spawnSync('sed', [`s#rules.yaml#${mixin}#`, mixinTests], { encoding: 'utf8' }).stdout,
    );
    compare(heavy, [copy, ...all], `${all.length + 1} files`);
  }
  printSummary();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
