// `quorumlab scenario list|show|series|export-test`: the simulator's presets and scenario files
// on the command line. Thin: it parses arguments and calls src/sim (and src/rules for tests).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  etcdInsufficientMembers,
  etcdMembersDown,
  formatDraftRuleFile,
  isAlertRule,
  naiveUpRule,
  parseRuleFile,
  type RuleDraft,
} from '../../rules/index.ts';
import type { Command } from '../command.ts';
import { formatPromtoolTest } from '../../lab/index.ts';
import {
  findPreset,
  openMetricsChunks,
  formatPromqltestLoad,
  formatPromtoolSeries,
  presets,
  escapeInput,
  quoteInput,
  scenarioToJson,
  simulate,
  validateScenario,
} from '../../sim/index.ts';
import type { Scenario } from '../../sim/index.ts';
import { formatDuration } from '../../text/index.ts';

const usage = `Usage:
  quorumlab scenario list [--format names|table]
  quorumlab scenario show NAME|FILE
  quorumlab scenario series NAME|FILE [--format promtool|promqltest|openmetrics] [--start TIME]
  quorumlab scenario export-test NAME|FILE [--rules FILE] [--compat v2|v3] -o OUT

NAME is a preset (see "scenario list"); FILE is a scenario JSON file ({"version": 1, ...}).
"show" prints the scenario as JSON; "series" prints every series Prometheus would store:
promtool's input_series block, a promqltest load block, or OpenMetrics text for
"promtool tsdb create-blocks-from openmetrics". Samples start at time 0 (1970); with
--format openmetrics, --start TIME (Unix seconds or RFC 3339) moves them, e.g. to a recent
date that a Prometheus server's retention keeps.
"export-test" writes a promtool unit test OUT for the scenario, as the playground's export does:
the series the rules read as input_series and, wherever an alert changes state or the ground
truth changes, the alerts Quorum Lab computes, each check with a comment saying why; the rule
file is written beside OUT (default rules: the etcd
mixin's etcdMembersDown and etcdInsufficientMembers, and the naive up == 0). --compat v2 writes
the expectations of Prometheus 2 (Debian's promtool), v3 (the default) those of Prometheus 3.`;

/** The default rules of export-test. */
const exportTestRules: readonly RuleDraft[] = [
  etcdMembersDown,
  naiveUpRule,
  etcdInsufficientMembers,
];

/** Where the command writes; tests pass their own. */
export interface ScenarioIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: ScenarioIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Loads a preset by name or a scenario file; errors are printed and yield undefined. */
function loadScenario(arg: string, io: ScenarioIo): Scenario | undefined {
  const preset = findPreset(arg);
  if (preset) return preset.scenario;
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch {
    io.err(
      `quorumlab scenario: ${quoteInput(arg)} is neither a preset nor a readable file (see "quorumlab scenario list")\n`,
    );
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the text around the mistake: escape what it echoes.
    io.err(
      `${escapeInput(arg)}: not valid JSON: ${escapeInput(err instanceof Error ? err.message : String(err))}\n`,
    );
    return undefined;
  }
  const result = validateScenario(json);
  if (!result.ok) {
    for (const e of result.errors)
      io.err(`${escapeInput(arg)}: ${e.path === '' ? '' : `${e.path}: `}${e.message}\n`);
    return undefined;
  }
  return result.value;
}

/** Unix seconds ("1700000000") or an RFC 3339 time, as milliseconds; undefined if neither. */
function parseStart(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text))
    return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function formatTable(): string {
  const rows = presets.map((p) => [
    p.name,
    String(p.scenario.members),
    formatDuration(p.scenario.scrapeInterval),
    formatDuration(p.scenario.duration),
    p.title,
  ]);
  const header = ['NAME', 'MEMBERS', 'SCRAPE', 'DURATION', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

/** Runs `quorumlab scenario …` with the arguments after "scenario"; returns the exit code. */
export function runScenario(args: string[], io: ScenarioIo = processIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        start: { type: 'string' },
        rules: { type: 'string' },
        compat: { type: 'string' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.err(`quorumlab scenario: ${err instanceof Error ? err.message : String(err)}\n${usage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(usage + '\n');
    return 0;
  }
  const [sub, target, ...extra] = positionals;
  const bad = (message: string): number => {
    io.err(`quorumlab scenario: ${message}\n${usage}\n`);
    return 2;
  };
  switch (sub) {
    case 'list': {
      if (target !== undefined) return bad('list takes no arguments');
      const format = values.format ?? 'table';
      if (format === 'names') io.out(presets.map((p) => p.name).join('\n') + '\n');
      else if (format === 'table') io.out(formatTable() + '\n');
      else return bad(`--format must be names or table, got ${quoteInput(format)}`);
      return 0;
    }
    case 'show': {
      if (target === undefined || extra.length > 0) return bad('show takes one NAME or FILE');
      if (values.format !== undefined) return bad('show takes no --format');
      const scenario = loadScenario(target, io);
      if (!scenario) return 1;
      io.out(JSON.stringify(scenarioToJson(scenario), null, 2) + '\n');
      return 0;
    }
    case 'series': {
      if (target === undefined || extra.length > 0) return bad('series takes one NAME or FILE');
      const format = values.format ?? 'promtool';
      if (format !== 'promtool' && format !== 'promqltest' && format !== 'openmetrics') {
        return bad(
          `--format must be promtool, promqltest or openmetrics, got ${quoteInput(format)}`,
        );
      }
      let offsetMs = 0;
      if (values.start !== undefined) {
        if (format !== 'openmetrics') return bad('--start only applies to --format openmetrics');
        const start = parseStart(values.start);
        if (start === undefined) {
          return bad(
            `--start must be Unix seconds or an RFC 3339 time, got ${quoteInput(values.start)}`,
          );
        }
        offsetMs = start;
      }
      const scenario = loadScenario(target, io);
      if (!scenario) return 1;
      const sim = simulate(scenario);
      if (format === 'promtool') io.out(formatPromtoolSeries(sim));
      else if (format === 'promqltest') io.out(formatPromqltestLoad(sim));
      else for (const chunk of openMetricsChunks(sim, { offsetMs })) io.out(chunk);
      return 0;
    }
    case 'export-test': {
      if (target === undefined || extra.length > 0)
        return bad('export-test takes one NAME or FILE');
      const out = values.output;
      if (out === undefined) return bad('export-test needs -o OUT');
      const compat = values.compat ?? 'v3';
      if (compat !== 'v2' && compat !== 'v3')
        return bad(`--compat must be v2 or v3, got ${quoteInput(compat)}`);
      const scenario = loadScenario(target, io);
      if (!scenario) return 1;
      let rules: readonly RuleDraft[] = exportTestRules;
      let rulesText = formatDraftRuleFile(exportTestRules);
      if (values.rules !== undefined) {
        const file = values.rules;
        try {
          rulesText = readFileSync(file, 'utf8');
        } catch {
          io.err(`quorumlab scenario: cannot read the rule file ${quoteInput(file)}\n`);
          return 1;
        }
        const parsed = parseRuleFile(rulesText, file, { compat });
        if (!parsed.ok) {
          for (const e of parsed.errors) {
            io.err(`${file}${e.line > 0 ? `:${e.line}:${e.col}` : ''}: ${e.formatted}\n`);
          }
          return 1;
        }
        const specs = parsed.groups.flatMap((g) => g.rules);
        if (!specs.every(isAlertRule)) {
          io.err(`${file}: export-test does not support recording rules yet\n`);
          return 1;
        }
        rules = specs.filter(isAlertRule).map((r, i) => ({
          id: `${r.alert}-${i}`,
          alert: r.alert,
          expr: r.expr,
          forMs: r.for,
          keepFiringForMs: r.keepFiringFor,
          labels: r.labels,
          annotations: r.annotations,
          note: '',
        }));
      }
      const ruleFileName = basename(out).replace(/(\.test)?\.ya?ml$/, '') + '.rules.yaml';
      let test: string;
      let checks: number;
      try {
        const files = formatPromtoolTest(simulate(scenario), rules, { ruleFileName, compat });
        test = files.test;
        checks = files.checks.length;
      } catch (err) {
        io.err(`quorumlab scenario: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      }
      const rulesPath = join(dirname(out), ruleFileName);
      writeFileSync(out, test);
      writeFileSync(rulesPath, rulesText);
      io.out(`wrote ${out} (${checks} alert_rule_test entries) and ${rulesPath}\n`);
      return 0;
    }
    case undefined:
      return bad('missing subcommand');
    default:
      return bad(`unknown subcommand ${quoteInput(sub)}`);
  }
}

/** The `scenario` subcommand. */
export const scenarioCommand: Command = {
  name: 'scenario',
  summary: 'list, show and export the simulator scenarios (presets or JSON files)',
  run(args) {
    return Promise.resolve(runScenario(args));
  },
};
