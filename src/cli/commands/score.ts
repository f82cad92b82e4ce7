// `quorumlab score SCENARIO|FILE --rules FILE` and `quorumlab matrix --rules FILE`: every rule
// judged against its intent on one scenario or on every preset, as the page's verdict and matrix
// judge them (src/lab). Thin: it parses arguments, reads files and prints what src/lab computes.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import {
  PresetCache,
  computeMatrix,
  failsIntent,
  formatMatrixTable,
  formatScoreTable,
  matrixReports,
  readRulesInput,
  readScoreInput,
  scoreSource,
  type RuleDraft,
} from '../../lab/index.ts';
import { presets } from '../../sim/index.ts';

const exitStatus = `Exit status: 0 when every rule caught, by its deadline, every failure it must catch;
1 when some rule missed one or caught it late (or could not be evaluated);
2 for bad arguments or input (errors name FILE:line:column).`;

const intentHelp = `Each rule is judged against its intent: the failures it must catch (a member down or
cut off, quorum lost, or nothing the simulation tracks), a tolerance (shorter failures need
not be caught, and paging on them is noise) and a deadline. Rules from a rule file have the
intent derived from their severity and for; a playground document's rules carry the intents
stated in the page.`;

const scoreUsage = `Usage: quorumlab score SCENARIO|FILE [--rules FILE] [--format table|json]

Scores each rule on one scenario: SCENARIO is a preset (quorumlab scenario list), FILE a
scenario JSON file or a playground document (its rules are scored unless --rules is given).
--rules FILE is a Prometheus rule file, a PrometheusRule, or a playground document.

${intentHelp}

${exitStatus}`;

const matrixUsage = `Usage: quorumlab matrix --rules FILE [--format table|json]

Scores every rule on every preset, as the page's matrix does. --rules FILE is a Prometheus
rule file, a PrometheusRule, or a playground document (with its rules' intents).

${intentHelp}

${exitStatus}`;

/** Where the commands read and write; tests pass their own. */
export interface ScoreIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
}

const processIo: ScoreIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
};

type Parsed =
  | { ok: true; positionals: string[]; rules?: string; format: 'table' | 'json'; help: boolean }
  | { ok: false; message: string };

function parse(args: string[]): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        rules: { type: 'string' },
        format: { type: 'string', default: 'table' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.format !== 'table' && values.format !== 'json')
      return { ok: false, message: `--format must be table or json, got "${values.format}"` };
    return {
      ok: true,
      positionals,
      format: values.format,
      help: values.help,
      ...(values.rules !== undefined ? { rules: values.rules } : {}),
    };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

function readRules(path: string, io: ScoreIo, command: string): readonly RuleDraft[] | null {
  let text: string;
  try {
    text = io.readFile(path);
  } catch {
    io.err(`quorumlab ${command}: cannot read the rule file "${path}"\n`);
    return null;
  }
  const read = readRulesInput(text, path);
  if (!read.ok) {
    for (const e of read.errors) io.err(`${e}\n`);
    return null;
  }
  for (const note of read.notes) io.err(`quorumlab ${command}: ${note}\n`);
  return read.rules;
}

/** Runs `quorumlab score …` with the arguments after "score"; returns the exit code. */
export function runScore(args: string[], io: ScoreIo = processIo): number {
  const p = parse(args);
  if (!p.ok || p.help) {
    if (!p.ok) io.err(`quorumlab score: ${p.message}\n`);
    (p.ok ? io.out : io.err)(scoreUsage + '\n');
    return p.ok ? 0 : 2;
  }
  const [arg, ...extra] = p.positionals;
  if (arg === undefined || extra.length > 0) {
    io.err(`quorumlab score: give one SCENARIO or FILE\n${scoreUsage}\n`);
    return 2;
  }
  const input = readScoreInput(arg, io.readFile);
  if (!input.ok) {
    for (const e of input.errors) io.err(`${e}\n`);
    return 2;
  }
  const rules = p.rules !== undefined ? readRules(p.rules, io, 'score') : input.rules;
  if (rules === null && p.rules !== undefined) return 2;
  if (!rules) {
    io.err(`quorumlab score: --rules FILE is required with a preset or a scenario file\n`);
    return 2;
  }
  const scored = scoreSource(input.source, rules);
  if (!scored.ok) {
    io.err(`quorumlab score: ${arg}: ${scored.error}\n`);
    return 2;
  }
  const failed = scored.rules.some(failsIntent);
  if (p.format === 'json')
    io.out(
      JSON.stringify({ scenario: input.name, ok: !failed, rules: scored.rules }, null, 2) + '\n',
    );
  else io.out(formatScoreTable(input.name, scored.rules));
  return failed ? 1 : 0;
}

/** Runs `quorumlab matrix …` with the arguments after "matrix"; returns the exit code. */
export function runMatrix(args: string[], io: ScoreIo = processIo): number {
  const p = parse(args);
  if (!p.ok || p.help) {
    if (!p.ok) io.err(`quorumlab matrix: ${p.message}\n`);
    (p.ok ? io.out : io.err)(matrixUsage + '\n');
    return p.ok ? 0 : 2;
  }
  if (p.positionals.length > 0 || p.rules === undefined) {
    io.err(`quorumlab matrix: --rules FILE is required, and nothing else\n${matrixUsage}\n`);
    return 2;
  }
  const rules = readRules(p.rules, io, 'matrix');
  if (rules === null) return 2;
  const cache = new PresetCache(presets);
  const run = computeMatrix(rules, cache);
  let step = run.next();
  while (!step.done) step = run.next();
  const reports = matrixReports(step.value, rules);
  const failed = reports.some((x) => failsIntent(x.rule));
  if (p.format === 'json')
    io.out(
      JSON.stringify(
        {
          ok: !failed,
          rules: rules.map((r) => r.id),
          presets: cache.names,
          cells: reports.map((x) => ({ preset: x.preset, ...x.rule })),
        },
        null,
        2,
      ) + '\n',
    );
  else io.out(formatMatrixTable(cache.names, rules, reports));
  return failed ? 1 : 0;
}

/** The `score` subcommand. */
export const scoreCommand: Command = {
  name: 'score',
  summary: 'judge rules against their intent on a scenario (score SCENARIO|FILE --rules FILE)',
  run(args) {
    return Promise.resolve(runScore(args));
  },
};

/** The `matrix` subcommand. */
export const matrixCommand: Command = {
  name: 'matrix',
  summary: 'judge rules against their intent on every preset (matrix --rules FILE)',
  run(args) {
    return Promise.resolve(runMatrix(args));
  },
};
