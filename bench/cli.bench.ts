// The quorumlab command's start-up and peak memory, as users get it: the package is packed and
// installed into a temporary prefix (as tests/cli/package.test.ts does), then each command runs
// RUNS times (default 7) beside the same promtool command, from a clean directory, under GNU
// time (/usr/bin/time) for the peak resident memory. Prints the medians with the load average
// and the commit; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'quorumlab-cli-bench-'));
const npm = join(dirname(process.execPath), 'npm');
const TIME = '/usr/bin/time';

try {
  execFileSync(npm, ['pack', '--pack-destination', tmp, '--silent'], { cwd: root });
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (tgz === undefined) throw new Error('npm pack wrote no tarball');
  execFileSync(npm, [
    'install',
    '-g',
    '--prefix',
    join(tmp, 'prefix'),
    '--offline',
    '--no-audit',
    '--no-fund',
    '--silent',
    join(tmp, tgz),
  ]);
  const quorumlab = join(tmp, 'prefix', 'bin', 'quorumlab');
  const clean = join(tmp, 'clean');
  mkdirSync(clean);
  writeFileSync(
    join(clean, 'rules.yaml'),
    'groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n    for: 1m\n',
  );
  writeFileSync(
    join(clean, 'test.yaml'),
    'rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n  - series: up\n    values: 1 0 0 0\n  alert_rule_test:\n  - eval_time: 3m\n    alertname: Down\n    exp_alerts:\n    - {}\n',
  );

  type Run = { ms: number; cpu: number; mb: number };
  /** Wall time (ms), CPU time (ms: user + system) and peak resident memory (MB) of one run. */
  const measure = (cmd: string, args: string[]): Run => {
    const useTime = existsSync(TIME);
    const t0 = performance.now();
    const r = useTime
      ? spawnSync(TIME, ['-f', '%M %U %S', cmd, ...args], { cwd: clean, encoding: 'utf8' })
      : spawnSync(cmd, args, { cwd: clean, encoding: 'utf8' });
    const ms = performance.now() - t0;
    const [kb, user, sys] = useTime
      ? (r.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number)
      : [NaN, NaN, NaN];
    return { ms, cpu: ((user ?? NaN) + (sys ?? NaN)) * 1000, mb: (kb ?? NaN) / 1024 };
  };
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
  };
  const runs = Number(process.env['RUNS'] ?? 7);
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
  }).stdout.trim();
  console.log('## quorumlab start-up and peak memory (installed package) beside promtool');
  console.log(
    `commit ${commit}, ${cpus().length} cores, Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const cases: [string, string[], string[]][] = [
    ['--version', ['--version'], ['--version']],
    ['check rules (1 rule)', ['check', 'rules', 'rules.yaml'], ['check', 'rules', 'rules.yaml']],
    [
      'test rules (1 group)',
      ['test', 'rules', '--compat', 'v2', 'test.yaml'],
      ['test', 'rules', 'test.yaml'],
    ],
  ];
  for (const [name, ours, theirs] of cases) {
    const a: Run[] = [];
    const b: Run[] = [];
    for (let i = 0; i < runs; i++) {
      a.push(measure(quorumlab, ours));
      b.push(measure('promtool', theirs));
    }
    const fmt = (xs: Run[]): string =>
      `${(median(xs.map((x) => x.ms)) / 1000).toFixed(2)} s wall, ${(median(xs.map((x) => x.cpu)) / 1000).toFixed(2)} s CPU, ${median(xs.map((x) => x.mb)).toFixed(0)} MB`;
    console.log(
      `${name.padEnd(22)} quorumlab ${fmt(a)}; promtool ${fmt(b)} (median of ${runs}, load ${loadavg()[0]?.toFixed(1)})`,
    );
    // Issue 16: start-up under 0.3 s (wall time of --version).
    if (name === '--version') {
      const wall = median(a.map((x) => x.ms));
      console.log(
        `start-up: ${(wall / 1000).toFixed(2)} s; target < 0.30 s: ${wall < 300 ? 'pass' : 'MISS'} (load ${loadavg()[0]?.toFixed(1)})`,
      );
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
