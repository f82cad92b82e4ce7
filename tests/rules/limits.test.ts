// Hostile and absurd input to `check rules` and `test rules`, with real promtool (2.42) as the
// judge: the same verdict, and the same message where the message is promtool's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpr } from '../../src/promql/index.ts';
import { runCheckRules, runRuleTests } from '../../src/rules/index.ts';
import { PROMTOOL, runPromtool } from './promtool.ts';

function text(output: { stream: string; text: string }[], stream: 'stdout' | 'stderr'): string {
  return output
    .filter((c) => c.stream === stream)
    .map((c) => c.text)
    .join('');
}

/** Runs `test rules` on the files with promtool and with Quorum Lab (v2 semantics). */
function bothTest(files: Record<string, string>): {
  ours: { code: number; stdout: string; stderr: string };
  theirs: { code: number; stdout: string; stderr: string };
} {
  const theirs = runPromtool(files, ['test', 'rules', 'test.yml']);
  const r = runRuleTests(['test.yml'], {
    compat: 'v2',
    readFile: (p) => {
      const t = files[p];
      if (t === undefined) throw new Error(`open ${p}: no such file or directory`);
      return t;
    },
  });
  return {
    ours: { code: r.exitCode, stdout: text(r.output, 'stdout'), stderr: text(r.output, 'stderr') },
    theirs,
  };
}

/** Runs `check rules` on one file with promtool and with Quorum Lab (v2 semantics). */
function bothCheck(rules: string | Buffer): {
  ours: { code: number; stdout: string; stderr: string };
  theirs: { code: number; stdout: string; stderr: string };
} {
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-limits-'));
  let theirs: { code: number; stdout: string; stderr: string };
  try {
    writeFileSync(join(dir, 'r.yml'), rules);
    const p = spawnSync(PROMTOOL, ['check', 'rules', 'r.yml'], { cwd: dir, encoding: 'utf8' });
    theirs = { code: p.status ?? -1, stdout: p.stdout, stderr: p.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bytes = typeof rules === 'string' ? Buffer.from(rules, 'utf8') : rules;
  const r = runCheckRules(['r.yml'], { compat: 'v2', readFile: () => bytes });
  return {
    ours: { code: r.exitCode, stdout: text(r.output, 'stdout'), stderr: text(r.output, 'stderr') },
    theirs,
  };
}

const oneSeries = (values: string) =>
  `evaluation_interval: 1m\ntests:\n- interval: 1m\n  input_series:\n  - series: up\n    values: ${values}\n`;

describe("promtool's sample limit (10000 in its unit-test engine)", () => {
  const rules = (step: string) =>
    `groups:\n- name: g\n  rules:\n  - record: r\n    expr: max_over_time(up[1h:${step}])\n`;
  const test = (step: string) =>
    `rule_files: [r.yml]\n${oneSeries('1x100')}  promql_expr_test:\n  - expr: max_over_time(up[1h:${step}])\n    eval_time: 1h\n    exp_samples: [{labels: up, value: 1}]\n`;
  // 1s: 3600 inner points, held twice (the subquery's result and the window) stays under the
  // limit; 350ms passes it at 30m; 1ms (3.6 million steps) is refused at the first evaluation
  // that has data, without computing the rest.
  for (const step of ['1s', '350ms', '1ms']) {
    it(`max_over_time(up[1h:${step}]) gets promtool's verdict and message`, () => {
      const { ours, theirs } = bothTest({ 'r.yml': rules(step), 'test.yml': test(step) });
      expect(ours).toEqual(theirs);
    });
  }
});

describe('check rules refuses what promtool refuses', () => {
  const rule = (expr: string) => `groups:\n- name: g\n  rules:\n  - alert: A\n    expr: ${expr}\n`;
  const cases: [string, string | Buffer][] = [
    ['a lookahead, JavaScript-only regex syntax', rule(`'up{job=~"(?=a)a"}'`)],
    ['a backreference', rule(`'up{job=~"(a)\\\\1"}'`)],
    ['a repeat over 1000', rule(`'up{job=~"a{1001}"}'`)],
    ['a top-level list', '- a\n- b\n'],
    ['a top-level string', '# c\nhello\n'],
    ['a long top-level string', '"a long string value"\n'],
    ['a top-level number', '42\n'],
    ['a top-level bool', 'true\n'],
    ['invalid UTF-8', Buffer.from('groups:\n- name: g\xff\n  rules: []\n', 'latin1')],
    ['a NUL byte', 'groups:\n- name: g\0\n  rules: []\n'],
    ['an ESC byte', 'groups:\n- name: g\x1b\n  rules: []\n'],
  ];
  for (const [what, rules] of cases) {
    it(`${what}: promtool's verdict and message`, () => {
      const { ours, theirs } = bothCheck(rules);
      expect(theirs.code).toBe(1);
      expect(ours).toEqual(theirs);
    });
  }
  it('an empty file is 0 rules to both', () => {
    const { ours, theirs } = bothCheck('');
    expect(ours).toEqual(theirs);
    expect(theirs.code).toBe(0);
  });
});

describe('test rules refuses a sample value that overflows a float64', () => {
  for (const values of ['1 1e400 2', '1 -1e400 2', '1+1e400x2']) {
    it(`${values}: "value out of range", as promtool says`, () => {
      const { ours, theirs } = bothTest({ 'test.yml': oneSeries(values) });
      expect(theirs.stderr).toContain('value out of range');
      expect(ours).toEqual(theirs);
    });
  }
});

describe('deep expressions', () => {
  const chain = (n: number) => Array.from({ length: n }, () => 'up').join(' + ');
  const nested = (n: number) => '('.repeat(n) + 'up' + ')'.repeat(n);
  const rule = (expr: string) => `groups:\n- name: g\n  rules:\n  - record: r\n    expr: ${expr}\n`;

  for (const [what, expr] of [
    ['900 terms', chain(900)],
    ['5000 nested parentheses', nested(5000)],
  ] as const) {
    it(`${what}: promtool takes it; Quorum Lab says plainly that it is too deep, and where`, () => {
      const theirs = runPromtool({ 'r.yml': rule(expr) }, ['check', 'rules', 'r.yml']);
      expect(theirs.code).toBe(0);
      const r = parseExpr(expr);
      expect(r.ok ? 'ok' : r.error.message).toMatch(/^expression too deep: /);
      expect(r.ok ? 0 : r.error.from).toBeGreaterThan(0);
    });
  }

  it('500 terms and 2700 nested parentheses evaluate as promtool evaluates them', () => {
    const cases = [
      { expr: chain(500), value: 500 },
      { expr: nested(2700), value: 1 },
    ];
    const test =
      oneSeries('1x10') +
      '  promql_expr_test:\n' +
      cases
        .map(
          (c) =>
            `  - expr: '${c.expr}'\n    eval_time: 5m\n    exp_samples: [{labels: '${c.value === 1 ? 'up' : '{}'}', value: ${c.value}}]\n`,
        )
        .join('');
    const { ours, theirs } = bothTest({ 'test.yml': test });
    expect(theirs.code).toBe(0);
    expect(ours).toEqual(theirs);
  });
});
