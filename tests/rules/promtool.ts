// Runs the real promtool (Prometheus 2.42 at /usr/bin/promtool) as the judge for tests: writes
// files into a temporary directory, runs `promtool test rules` or `promtool check rules`, and
// reads back what promtool printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unquoteString } from '../../src/text/index.ts';

export const PROMTOOL = '/usr/bin/promtool';

/** The result of one promtool run. */
export interface PromtoolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Writes `files` (name → text) into a fresh directory and runs promtool with `args` there. */
export function runPromtool(files: Record<string, string>, args: string[]): PromtoolRun {
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-promtool-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = spawnSync(PROMTOOL, args, { cwd: dir, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses a Go labels.String() rendering (`{a="b", c="d"}`) into a record. */
export function parseGoLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const m of text.matchAll(re)) {
    out[m[1] ?? ''] = unquoteString(`"${m[2] ?? ''}"`) ?? '';
  }
  return out;
}

/** One template to expand: the alert's sample labels and value. */
export interface TemplateCase {
  template: string;
  labels: Record<string, string>;
  value: number;
}

function yamlQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Expands templates with promtool: each case becomes an alert whose annotation is the template;
 * an empty expectation makes promtool print the annotation it got. Returns one string per case.
 */
export function promtoolExpand(cases: TemplateCase[]): string[] {
  const rules = ['groups:', '- name: g', '  rules:'];
  const series: string[] = [];
  const tests: string[] = [];
  cases.forEach((c, i) => {
    const labels = Object.entries(c.labels)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',');
    rules.push(
      `  - alert: T${i}`,
      `    expr: tmpl_case_${i}`,
      '    annotations:',
      `      a: ${JSON.stringify(c.template)}`,
    );
    series.push(
      `  - series: ${yamlQuote(`tmpl_case_${i}{${labels}}`)}`,
      `    values: '${c.value === Infinity ? 'Inf' : c.value === -Infinity ? '-Inf' : String(c.value)}'`,
    );
    tests.push(`  - eval_time: 0m`, `    alertname: T${i}`);
  });
  const test = [
    'rule_files: [rules.yaml]',
    'tests:',
    '- interval: 1m',
    '  input_series:',
    ...series.map((s) => '  ' + s),
    '  alert_rule_test:',
    ...tests.map((s) => '  ' + s),
  ].join('\n');
  const run = runPromtool({ 'rules.yaml': rules.join('\n') + '\n', 'test.yaml': test + '\n' }, [
    'test',
    'rules',
    'test.yaml',
  ]);
  const got: string[] = cases.map(() => '');
  const re = /alertname: T(\d+), time: [^,]*, \n[\s\S]*?Annotations:(\{.*\})\n/g;
  for (const m of run.stderr.matchAll(re)) {
    got[Number(m[1])] = parseGoLabels(m[2] ?? '')['a'] ?? '';
  }
  return got;
}
