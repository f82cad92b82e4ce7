// `quorumlab promqltest [--compat v2|v3] FILE...`: runs Prometheus promqltest scripts against the
// engine and prints each failing case, then "N passed, M failed".
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { formatPromqlTestFailure, runPromqlTest } from '../../promql/index.ts';

const usage = `Usage: quorumlab promqltest [--compat v2|v3] [--verbose] FILE...

Runs promqltest scripts (load/clear/eval) against the engine. Each eval is one case.
Exits 0 only if every case passed.`;

export const promqltestCommand: Command = {
  name: 'promqltest',
  summary: 'run Prometheus promqltest scripts against the engine',
  run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        compat: { type: 'string', default: 'v3' },
        verbose: { type: 'boolean', short: 'v', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(usage + '\n');
      return Promise.resolve(0);
    }
    const compat = values.compat;
    if (compat !== 'v2' && compat !== 'v3') {
      process.stderr.write(`quorumlab promqltest: --compat must be v2 or v3\n`);
      return Promise.resolve(2);
    }
    if (positionals.length === 0) {
      process.stderr.write(usage + '\n');
      return Promise.resolve(2);
    }
    let passed = 0;
    let failed = 0;
    for (const file of positionals) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        process.stderr.write(`${file}: ${err instanceof Error ? err.message : String(err)}\n`);
        failed++;
        continue;
      }
      for (const c of runPromqlTest(text, { file, compat })) {
        if (c.passed) {
          passed++;
          if (values.verbose) process.stdout.write(`ok ${c.file}:${c.line}: ${c.expr}\n`);
        } else {
          failed++;
          process.stdout.write(formatPromqlTestFailure(c) + '\n');
        }
      }
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    return Promise.resolve(failed === 0 ? 0 : 1);
  },
};
