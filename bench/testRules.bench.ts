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
// The built command as an installed package starts it: bin/quorumlab itself (its first line
// carries the node command's flags) beside dist-cli/, with no sources next to it.
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
  status: number | null;
  stdout: string;
  stderr: string;
  tail: string;
}

/** One whole process under GNU time: wall time, peak resident memory, its output. */
function measure(cmd: string, args: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync(TIME, ['-q', '-f', '%M %U %S', cmd, ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: LIMIT_MS,
  });
  const ms = performance.now() - t0;
  if (r.error) {
    return { ms, cpu: NaN, mb: NaN, status: null, stdout: '', stderr: '', tail: r.error.message };
  }
  const errLines = r.stderr.trimEnd().split('\n');
  const [kb, user, sys] = (errLines.pop() ?? '').split(' ').map(Number);
  const stderr = errLines.join('\n');
  const output = `${r.stdout}\n${stderr}`.trim();
  const cpu = ((user ?? NaN) + (sys ?? NaN)) * 1000;
  const tail = output.split('\n').at(-1) ?? '';
  return { ms, cpu, mb: (kb ?? NaN) / 1024, status: r.status, stdout: r.stdout, stderr, tail };
}

const load = (): string => (loadavg()[0] ?? NaN).toFixed(1);
const verdict = (ok: boolean): string => (ok ? 'pass' : 'MISS');

function compare(name: string, files: string[], detail: string): void {
  const rel = files.map((f) => f.slice(dir.length + 1));
  const runs = Number(process.env['RUNS'] ?? 1);
  for (let i = 0; i < runs; i++) {
    const loadBefore = load();
    const ours = measure(cli, ['test', 'rules', '--compat', 'v2', ...rel]);
    const theirs = measure('promtool', ['test', 'rules', ...rel]);
    const ratio = theirs.ms / ours.ms;
    const differing = (x: string, y: string): number => {
      const a = x.split('\n');
      const b = y.split('\n');
      return a.filter((line, k) => line !== b[k]).length + Math.max(0, b.length - a.length);
    };
    const b = `${theirs.stdout}\n${theirs.stderr}`.split('\n');
    const differ = differing(ours.stdout, theirs.stdout) + differing(ours.stderr, theirs.stderr);
    console.log(`\n### ${name}${runs > 1 ? ` (run ${i + 1})` : ''}`);
    console.log(detail);
    console.log(
      `quorumlab: ${(ours.ms / 1000).toFixed(2)} s wall, ${(ours.cpu / 1000).toFixed(2)} s CPU, ${ours.mb.toFixed(0)} MB peak, exit ${ours.status}`,
    );
    console.log(
      `promtool:  ${(theirs.ms / 1000).toFixed(2)} s wall, ${(theirs.cpu / 1000).toFixed(2)} s CPU, ${theirs.mb.toFixed(0)} MB peak, exit ${theirs.status}`,
    );
    console.log(
      `ratio promtool / quorumlab (wall): ${ratio.toFixed(1)}x, target >= ${TARGET_RATIO}x: ${verdict(ratio >= TARGET_RATIO)} (CPU: ${(theirs.cpu / ours.cpu).toFixed(1)}x)`,
    );
    console.log(
      `peak memory: ${ours.mb.toFixed(0)} MB against ${theirs.mb.toFixed(0)} MB, target <= promtool's: ${verdict(ours.mb <= theirs.mb)}`,
    );
    console.log(
      `same output as promtool: ${differ === 0 && ours.status === theirs.status ? 'yes' : `NO, ${differ} of ${b.length} lines differ (quorumlab: ${ours.tail}; promtool: ${theirs.tail})`}; load ${loadBefore} -> ${load()}`,
    );
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
} finally {
  rmSync(dir, { recursive: true, force: true });
}
