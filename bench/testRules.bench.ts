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
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findPreset, scenarioToJson } from '../src/sim/index.ts';
import { SHAPES, shapeTestFile } from './testRuleShapes.ts';

const root = resolve(import.meta.dirname, '..');
const mixin = resolve(root, '../shared/conformance/etcd-mixin/rules.yaml');
const mixinTests = resolve(root, '../shared/conformance/etcd-mixin/test.yaml');
const TIME = '/usr/bin/time';
const dir = mkdtempSync(join(tmpdir(), 'quorumlab-bench-'));
const cli = join(root, 'dist-cli/quorumlab.js');
/** Longest a run may take before it is reported as not finished. */
const LIMIT_MS = 15 * 60_000;
const TARGET_RATIO = 10;

interface Run {
  ms: number;
  mb: number;
  status: number | null;
  output: string;
  tail: string;
}

/** One whole process under GNU time: wall time, peak resident memory, its output. */
function measure(cmd: string, args: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync(TIME, ['-f', '%M', cmd, ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: LIMIT_MS,
  });
  const ms = performance.now() - t0;
  if (r.error) return { ms, mb: NaN, status: null, output: '', tail: r.error.message };
  const errLines = r.stderr.trimEnd().split('\n');
  const kb = Number(errLines.pop());
  const output = `${r.stdout}\n${errLines.join('\n')}`.trim();
  return { ms, mb: kb / 1024, status: r.status, output, tail: output.split('\n').at(-1) ?? '' };
}

const load = (): string => (loadavg()[0] ?? NaN).toFixed(1);
const verdict = (ok: boolean): string => (ok ? 'pass' : 'MISS');

function compare(name: string, files: string[], detail: string): void {
  const rel = files.map((f) => f.slice(dir.length + 1));
  const runs = Number(process.env['RUNS'] ?? 1);
  for (let i = 0; i < runs; i++) {
    const loadBefore = load();
    const ours = measure(process.execPath, [cli, 'test', 'rules', '--compat', 'v2', ...rel]);
    const theirs = measure('promtool', ['test', 'rules', ...rel]);
    const ratio = theirs.ms / ours.ms;
    const same = ours.output === theirs.output && ours.status === theirs.status;
    console.log(`\n### ${name}${runs > 1 ? ` (run ${i + 1})` : ''}`);
    console.log(detail);
    console.log(
      `quorumlab: ${(ours.ms / 1000).toFixed(2)} s, ${ours.mb.toFixed(0)} MB peak, exit ${ours.status}`,
    );
    console.log(
      `promtool:  ${(theirs.ms / 1000).toFixed(2)} s, ${theirs.mb.toFixed(0)} MB peak, exit ${theirs.status}`,
    );
    console.log(
      `ratio promtool / quorumlab (wall): ${ratio.toFixed(1)}x, target >= ${TARGET_RATIO}x: ${verdict(ratio >= TARGET_RATIO)}`,
    );
    console.log(
      `peak memory: ${ours.mb.toFixed(0)} MB against ${theirs.mb.toFixed(0)} MB, target <= promtool's: ${verdict(ours.mb <= theirs.mb)}`,
    );
    console.log(
      `same output as promtool: ${same ? 'yes' : `NO (quorumlab: ${ours.tail}; promtool: ${theirs.tail})`}; load ${loadBefore} -> ${load()}`,
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
    const made = spawnSync(process.execPath, [
      cli,
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
