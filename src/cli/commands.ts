// The table of quorumlab subcommands. Each entry's run() gets the arguments after its name.
import type { Command } from './command.ts';

/** Every subcommand, in the order --help lists them. */
export const commands: readonly Command[] = [];
