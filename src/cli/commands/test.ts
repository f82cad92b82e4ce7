// `quorumlab test rules [--compat v2|v3] [--run REGEX] FILE...`: promtool's rule unit tests over
// src/rules, with promtool's output, then "N passed, M failed"; exit 0 only if all passed.
import { isAscii } from 'node:buffer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { compileGoRegex } from '../../promql/index.ts';
import { runRuleTests } from '../../rules/index.ts';

const usage = `Usage: quorumlab test rules [--compat v2|v3] [--run REGEX]... FILE...

Runs promtool-style rule unit test files (rule_files, input_series, alert_rule_test,
promql_expr_test). Each alert_rule_test and promql_expr_test entry is one case.
Exits 0 only if every case passed.`;

function globSegment(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re +=
          '[' +
          pattern
            .slice(i + 1, end)
            .replace(/^\^/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
        i = end;
      }
    } else if (c === '\\') {
      re += '\\' + (pattern[++i] ?? '\\');
    } else re += c.replace(/[.+^${}()|\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** filepath.Glob: wildcards in any path segment; results sorted; literal paths must exist. */
export function globFiles(pattern: string): string[] {
  const hasMeta = (s: string): boolean => /[*?[\\]/.test(s);
  if (!hasMeta(pattern)) {
    try {
      statSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const abs = pattern.startsWith('/');
  const segs = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let bases = [abs ? '/' : ''];
  for (const seg of abs ? segs.slice(1) : segs) {
    const next: string[] = [];
    for (const base of bases) {
      const join = (name: string): string =>
        base === '' ? name : base.endsWith('/') ? base + name : `${base}/${name}`;
      if (!hasMeta(seg)) {
        next.push(join(seg));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(base === '' ? '.' : base).sort();
      } catch {
        continue;
      }
      const re = globSegment(seg);
      for (const n of names) if (re.test(n)) next.push(join(n));
    }
    bases = next;
  }
  return bases.filter((p) => {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * A file's text, as readFileSync(path, 'utf8') gives it. An ASCII file (test files usually are)
 * is read as Latin-1, the same string, which Node copies where it decodes UTF-8 (a 13 MB file
 * in 1 ms of CPU instead of 50 to 150 ms; most of that was fresh memory to fault in).
 */
export function readText(path: string): string {
  const bytes = readFileSync(path);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

export const testCommand: Command = {
  name: 'test',
  summary: 'run promtool-style rule unit tests (test rules FILE...)',
  run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        compat: { type: 'string', default: 'v3' },
        run: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(usage + '\n');
      return Promise.resolve(0);
    }
    const [sub, ...files] = positionals;
    if (sub !== 'rules' || files.length === 0) {
      process.stderr.write(usage + '\n');
      return Promise.resolve(2);
    }
    const compat = values.compat;
    if (compat !== 'v2' && compat !== 'v3') {
      process.stderr.write('quorumlab test rules: --compat must be v2 or v3\n');
      return Promise.resolve(2);
    }
    // --run may repeat; a test group runs when any of the expressions matches its name.
    let run: { test(name: string): boolean } | undefined;
    if (values.run !== undefined && values.run.length > 0) {
      const re = compileGoRegex(values.run.map((r) => `(?:${r})`).join('|'));
      if (typeof re === 'string') {
        process.stderr.write(`quorumlab test rules: invalid --run: ${re}\n`);
        return Promise.resolve(2);
      }
      run = re;
    }
    const report = runRuleTests(files, {
      compat,
      run,
      readFile: readText,
      glob: globFiles,
    });
    for (const chunk of report.output) {
      (chunk.stream === 'stdout' ? process.stdout : process.stderr).write(chunk.text);
    }
    process.stdout.write(`${report.passed} passed, ${report.failed} failed\n`);
    return Promise.resolve(report.exitCode);
  },
};
