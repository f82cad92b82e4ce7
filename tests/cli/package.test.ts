// The quorumlab command as users get it: `npm pack`, `npm install -g` of the tarball into a
// fresh prefix, and the installed command run from a clean directory, with no sources, no tsx
// and no node_modules of this checkout in reach. Also: output into a pipe closed early.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROMTOOL } from '../rules/promtool.ts';

const root = new URL('../..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'quorumlab-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Only Node itself on the PATH: nothing of the checkout.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${join(tmp, 'prefix', 'bin')}:${dirname(process.execPath)}`,
};
delete env['NODE_PATH'];

function run(cmd: string, args: string[], cwd: string): { code: number; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('the packed command', () => {
  it('installs from the tarball and runs from a clean directory', () => {
    const npm = join(dirname(process.execPath), 'npm');
    const pack = run(npm, ['pack', '--pack-destination', tmp, '--silent'], root);
    expect(pack.err).toBe('');
    const tgz = readdirSync(tmp).find((f) => /^quorum-lab-.*\.tgz$/.test(f));
    expect(tgz).toBeDefined();
    const install = run(
      npm,
      [
        'install',
        '-g',
        '--prefix',
        join(tmp, 'prefix'),
        '--offline',
        '--no-audit',
        '--no-fund',
      ].concat(join(tmp, tgz ?? '')),
      tmp,
    );
    expect(install.code).toBe(0);
    const installed = join(tmp, 'prefix', 'lib', 'node_modules', 'quorum-lab');
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);

    const clean = join(tmp, 'clean');
    mkdirSync(clean);
    writeFileSync(
      join(clean, 'rules.yaml'),
      'groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n',
    );
    expect(run('quorumlab', ['--version'], clean)).toEqual({
      code: 0,
      out: 'quorumlab 0.1.0\n',
      err: '',
    });
    expect(run('quorumlab', ['check', 'rules', 'rules.yaml'], clean)).toEqual({
      code: 0,
      out: 'Checking rules.yaml\n  SUCCESS: 1 rules found\n\n',
      err: '',
    });
    writeFileSync(
      join(clean, 'test.yaml'),
      'rule_files: [rules.yaml]\ntests:\n- interval: 1m\n  input_series:\n  - series: up\n    values: 1 0 0\n  alert_rule_test:\n  - eval_time: 2m\n    alertname: Down\n    exp_alerts:\n    - {}\n',
    );
    expect(run('quorumlab', ['test', 'rules', 'test.yaml'], clean)).toEqual({
      code: 0,
      out: 'Unit Testing:  test.yaml\n  SUCCESS\n\n1 passed, 0 failed\n',
      err: '',
    });
    const scenario = run('quorumlab', ['scenario', 'list'], clean);
    expect(scenario.out).toContain('pod-eviction-default');

    // NODE_EXTRA_CA_CERTS is read only by the subcommands that open connections (node parses
    // the file as it starts: a file it cannot read says so on standard error).
    const withCerts = (args: string[]): string =>
      spawnSync('quorumlab', args, {
        cwd: clean,
        env: { ...env, NODE_EXTRA_CA_CERTS: join(clean, 'missing.pem') },
        encoding: 'utf8',
      }).stderr;
    expect(withCerts(['test', 'rules', 'test.yaml'])).toBe('');
    expect(withCerts(['--version'])).toBe('');
    expect(withCerts(['backtest', '--help'])).toContain('missing.pem');

    // The command starts from its startup snapshot, built by this node; a blob another node
    // built is left alone, and the command runs the same without it.
    const traced = (): { out: string; err: string } => {
      const r = spawnSync('sh', ['-x', join(tmp, 'prefix', 'bin', 'quorumlab'), '--version'], {
        cwd: clean,
        env: { ...env, PATH: `${env['PATH'] ?? ''}:/usr/bin:/bin` },
        encoding: 'utf8',
      });
      return { out: r.stdout, err: r.stderr };
    };
    const snapshot = traced();
    expect(snapshot.out).toBe('quorumlab 0.1.0\n');
    expect(snapshot.err).toContain('--snapshot-blob');
    writeFileSync(join(installed, 'dist-cli', 'quorumlab.blob.node'), '1 2\n');
    const without = traced();
    expect(without.out).toBe('quorumlab 0.1.0\n');
    expect(without.err).not.toContain('--snapshot-blob');
    expect(run('quorumlab', ['test', 'rules', 'test.yaml'], clean).out).toContain('1 passed');
  }, 180_000);
});

describe('a pipe closed early', () => {
  it('ends quietly, as promtool does', () => {
    // Far more output than a pipe holds (about 450 KB), so that the writer meets the closed pipe
    // however the two processes are scheduled.
    const files = Array.from({ length: 10_000 }, (_, i) => `r${i}.yaml`);
    const dir = join(tmp, 'pipe');
    mkdirSync(dir, { recursive: true });
    for (const f of files) writeFileSync(join(dir, f), 'groups: []\n');
    const bin = join(root, 'bin', 'quorumlab');
    const pipe = (cmd: string): { code: number; err: string } => {
      const r = spawnSync(
        'bash',
        ['-o', 'pipefail', '-c', `${cmd} check rules ${files.join(' ')} | head -n 1`],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
      return { code: r.status ?? -1, err: r.stderr };
    };
    const theirs = pipe(PROMTOOL);
    expect(theirs).toEqual({ code: 141, err: '' });
    expect(pipe(`${process.execPath} ${bin}`)).toEqual(theirs);
  }, 60_000);
});
