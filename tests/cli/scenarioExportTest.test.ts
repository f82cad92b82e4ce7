// `quorumlab scenario export-test` for every preset: real promtool (Prometheus 2.42) passes what
// it writes with --compat v2, and Quorum Lab's own `test rules` passes it in both modes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runScenario } from '../../src/cli/commands/scenario.ts';
import { runRuleTests } from '../../src/rules/index.ts';
import { presets } from '../../src/sim/index.ts';

function exportTest(name: string, compat: 'v2' | 'v3', extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-export-test-'));
  const out = join(dir, `${name}.test.yaml`);
  const err: string[] = [];
  const code = runScenario(['export-test', name, '--compat', compat, '-o', out, ...extra], {
    out: () => undefined,
    err: (t) => err.push(t),
  });
  return { code, err: err.join(''), dir, out };
}

function promtool(dir: string, file: string) {
  const r = spawnSync('promtool', ['test', 'rules', file], { cwd: dir, encoding: 'utf8' });
  if (r.error)
    throw new Error(`promtool is required (apt-get install prometheus): ${r.error.message}`);
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('scenario export-test', () => {
  it.each(presets.map((p) => p.name))('%s: real promtool passes the v2 export', (name) => {
    const e = exportTest(name, 'v2');
    expect(e.err).toBe('');
    expect(e.code).toBe(0);
    const r = promtool(e.dir, e.out);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it.each(['member-crash', 'pod-eviction-default', 'quorum-loss'])(
    '%s: our own test rules passes the export in both modes',
    (name) => {
      for (const compat of ['v2', 'v3'] as const) {
        const e = exportTest(name, compat);
        expect(e.code).toBe(0);
        const report = runRuleTests([e.out], {
          compat,
          readFile: (p) => readFileSync(p, 'utf8'),
        });
        expect(report.failed).toBe(0);
        expect(report.passed).toBeGreaterThan(0);
      }
    },
  );

  it('expects firing alerts where a member crashes', () => {
    const e = exportTest('member-crash', 'v2');
    const text = readFileSync(e.out, 'utf8');
    expect(text).toContain('alertname: etcdMembersDown');
    expect(text).toMatch(
      /exp_labels:\n\s+alertname: etcdMembersDown\n\s+job: etcd\n\s+severity: warning/,
    );
  });

  it('takes the rules from a file, and reports a broken one with its position', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorumlab-export-test-'));
    const good = join(dir, 'mine.yaml');
    writeFileSync(
      good,
      'groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 0\n',
    );
    const ok = exportTest('member-crash', 'v2', ['--rules', good]);
    expect(ok.code).toBe(0);
    expect(promtool(ok.dir, ok.out).status).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up ==\n',
    );
    const e = exportTest('member-crash', 'v2', ['--rules', bad]);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(/bad\.yaml:5:\d+: /);
  });

  it('checks rules that share an alertname together, as promtool does', () => {
    // Two versions of a rule side by side, both named Down: promtool compares each check with the
    // firing alerts of every rule of that name.
    const dir = mkdtempSync(join(tmpdir(), 'quorumlab-export-test-'));
    const rules = join(dir, 'versions.yaml');
    writeFileSync(
      rules,
      [
        'groups:',
        '  - name: g',
        '    rules:',
        '      - alert: Down',
        '        expr: up == 0',
        '        labels: {version: "1"}',
        '      - alert: Down',
        '        expr: up == 0',
        '        for: 2m',
        '        labels: {version: "2"}',
        '',
      ].join('\n'),
    );
    const e = exportTest('member-crash', 'v2', ['--rules', rules]);
    expect(e.code).toBe(0);
    const text = readFileSync(e.out, 'utf8');
    // One check per time for the name, holding both rules' alerts once the second fires too.
    const test = parse(text) as {
      tests: {
        alert_rule_test: { eval_time: string; exp_alerts: { exp_labels: { version: string } }[] }[];
      }[];
    };
    const checks = test.tests[0]!.alert_rule_test;
    expect(new Set(checks.map((c) => c.eval_time)).size).toBe(checks.length);
    expect(checks.some((c) => c.exp_alerts.map((a) => a.exp_labels.version).join() === '1,2')).toBe(
      true,
    );
    const r = promtool(e.dir, e.out);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('needs -o', () => {
    const err: string[] = [];
    expect(
      runScenario(['export-test', 'member-crash'], {
        out: () => undefined,
        err: (t) => err.push(t),
      }),
    ).toBe(2);
    expect(err.join('')).toContain('export-test needs -o OUT');
  });
});
