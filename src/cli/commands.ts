// The table of quorumlab subcommands. Each entry's run() gets the arguments after its name.
import type { Command } from './command.ts';
import { promqltestCommand } from './commands/promqltest.ts';
import { queryCommand } from './commands/query.ts';
import { testCommand } from './commands/test.ts';
import { checkCommand } from './commands/check.ts';
import { scenarioCommand } from './commands/scenario.ts';
import { backtestCommand } from './commands/backtest.ts';

/** Every subcommand, in the order --help lists them. */
export const commands: readonly Command[] = [
  promqltestCommand,
  queryCommand,
  testCommand,
  checkCommand,
  scenarioCommand,
  backtestCommand,
];
