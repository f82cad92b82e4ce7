// The table of quorumlab subcommands. Each entry's module is imported only when the command
// runs, so `quorumlab test rules` does not compile the simulator (tsx compiles at start-up).
import type { Command } from './command.ts';

/** A subcommand as --help lists it, with its module loaded on demand. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

/** Every subcommand, in the order --help lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'promqltest',
    summary: 'run Prometheus promqltest scripts against the engine',
    load: async () => (await import('./commands/promqltest.ts')).promqltestCommand,
  },
  {
    name: 'query',
    summary: 'evaluate a PromQL expression over series in promtool notation',
    load: async () => (await import('./commands/query.ts')).queryCommand,
  },
  {
    name: 'test',
    summary: 'run promtool-style rule unit tests (test rules FILE...)',
    load: async () => (await import('./commands/test.ts')).testCommand,
  },
  {
    name: 'check',
    summary: 'validate rule files like promtool (check rules FILE...)',
    load: async () => (await import('./commands/check.ts')).checkCommand,
  },
  {
    name: 'export',
    summary: 'write alert rules as a rule file, PrometheusRule, Helm values or jsonnet patch',
    load: async () => (await import('./commands/export.ts')).exportCommand,
  },
  {
    name: 'scenario',
    summary: 'list, show and export the simulator scenarios (presets or JSON files)',
    load: async () => (await import('./commands/scenario.ts')).scenarioCommand,
  },
  {
    name: 'score',
    summary: 'judge rules against their intent on a scenario (score SCENARIO|FILE --rules FILE)',
    load: async () => (await import('./commands/score.ts')).scoreCommand,
  },
  {
    name: 'matrix',
    summary: 'judge rules against their intent on every preset (matrix --rules FILE)',
    load: async () => (await import('./commands/score.ts')).matrixCommand,
  },
  {
    name: 'lab',
    summary: 'play a scenario on a real etcd cluster and compare it with the simulator',
    load: async () => (await import('./commands/lab.ts')).labCommand,
  },
  {
    name: 'backtest',
    summary: 'replay alerting rules on a real Prometheus over a time range',
    load: async () => (await import('./commands/backtest.ts')).backtestCommand,
  },
];
