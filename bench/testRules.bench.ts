// `quorumlab test rules` against `promtool test rules` on one large file, as whole processes: a
// 5-member cluster over 24h at 15s, the whole etcd mixin (../shared/conformance/etcd-mixin), with
// alert_rule_test entries at the scenario's interesting times written by `scenario export-test`.
// Runs each RUNS times (default 3), alternating, and prints every time, the medians and their
// ratio, with the load average (the machine is shared); asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findPreset, scenarioToJson } from '../src/sim/index.ts';

const root = resolve(import.meta.dirname, '..');
const mixin = resolve(root, '../shared/conformance/etcd-mixin/rules.yaml');
const preset = findPreset('five-members-15s');
if (!preset) throw new Error('preset five-members-15s is missing');
const dir = mkdtempSync(join(tmpdir(), 'quorumlab-bench-'));
const scenarioFile = join(dir, 'scenario.json');
writeFileSync(
  scenarioFile,
  JSON.stringify(
    scenarioToJson({ ...preset.scenario, duration: 24 * 3600_000, name: 'bench-24h' }),
  ),
);
const testFile = join(dir, 'mixin.test.yaml');
const bin = resolve(root, 'bin/quorumlab');

/** Longest a run may take before it is reported as not finished. */
const LIMIT_MS = 15 * 60_000;

function timed(cmd: string, args: string[]): { ms: number; status: number | null; tail: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: LIMIT_MS,
  });
  if (r.error)
    return { ms: performance.now() - t0, status: null, tail: `did not finish: ${r.error.message}` };
  const ms = performance.now() - t0;
  const tail = (r.stdout + r.stderr).trim().split('\n').slice(-1)[0] ?? '';
  return { ms, status: r.status, tail };
}

console.log('## test rules: quorumlab vs promtool (whole processes)');
const made = timed(bin, [
  'scenario',
  'export-test',
  scenarioFile,
  '--rules',
  mixin,
  '--compat',
  'v2',
  '-o',
  testFile,
]);
if (made.status !== 0) throw new Error(`export-test failed: ${made.tail}`);
console.log(
  `test file: ${(statSync(testFile).size / 1e6).toFixed(1)} MB (5 members, 24h at 15s, etcd mixin; written in ${(made.ms / 1000).toFixed(1)} s)`,
);
const runs = Number(process.env['RUNS'] ?? 3);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const oursMs: number[] = [];
const theirsMs: number[] = [];
for (let i = 0; i < runs; i++) {
  const ours = timed(bin, ['test', 'rules', '--compat', 'v2', testFile]);
  console.log(
    `quorumlab test rules --compat v2: ${(ours.ms / 1000).toFixed(2)} s, exit ${ours.status} (${ours.tail}), load ${loadavg()[0]?.toFixed(1)}`,
  );
  oursMs.push(ours.ms);
  const theirs = timed('promtool', ['test', 'rules', testFile]);
  console.log(
    `promtool test rules:               ${(theirs.ms / 1000).toFixed(2)} s, exit ${theirs.status} (${theirs.tail}), load ${loadavg()[0]?.toFixed(1)}`,
  );
  theirsMs.push(theirs.ms);
}
const oursMedian = median(oursMs);
const theirsMedian = median(theirsMs);
console.log(
  `median of ${runs}: quorumlab ${(oursMedian / 1000).toFixed(2)} s, promtool ${(theirsMedian / 1000).toFixed(2)} s`,
);
console.log(`ratio promtool / quorumlab: ${(theirsMedian / oursMedian).toFixed(2)}`);
