// `quorumlab check rules [--compat v2|v3] [--lint duplicate-rules|none] [--lint-fatal] FILE...`:
// validates rule files like `promtool check rules`, with its output and exit codes.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { runCheckRules } from '../../rules/index.ts';

const usage = `Usage: quorumlab check rules [--compat v2|v3] [--lint all|duplicate-rules|none] [--lint-fatal] [--plain] FILE...

Checks rule files (plain or PrometheusRule). Exit 0 when valid, 1 on errors, 3 on lint
errors with --lint-fatal. --plain reads plain rule files only, as promtool does: a
PrometheusRule manifest is then an error (its apiVersion, kind, metadata and spec are
unknown fields).`;

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate rule files like promtool (check rules FILE...)',
  run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        compat: { type: 'string', default: 'v3' },
        lint: { type: 'string', default: 'duplicate-rules' },
        'lint-fatal': { type: 'boolean', default: false },
        plain: { type: 'boolean', default: false },
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
      process.stderr.write('quorumlab check rules: --compat must be v2 or v3\n');
      return Promise.resolve(2);
    }
    const missing = files.find((f) => !existsSync(f));
    if (missing !== undefined) {
      process.stderr.write(`quorumlab: error: path '${missing}' does not exist, try --help\n`);
      return Promise.resolve(1);
    }
    const result = runCheckRules(files, {
      compat,
      lint: values.lint !== 'none',
      lintFatal: values['lint-fatal'],
      prometheusRule: !values.plain,
      readFile: (p) => readFileSync(p),
    });
    for (const chunk of result.output) {
      (chunk.stream === 'stdout' ? process.stdout : process.stderr).write(chunk.text);
    }
    return Promise.resolve(result.exitCode);
  },
};
