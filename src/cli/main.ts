// The quorumlab command: thin argument parsing over src/promql, src/rules and src/sim.
// Each subcommand lives in its own module under commands/ and returns the process exit code.
import packageJson from '../../package.json' with { type: 'json' };
import { commands } from './commands.ts';

/** Prints the top-level usage. */
function formatHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'quorumlab — simulate an etcd cluster behind Prometheus and test its alerts',
    '',
    'Usage: quorumlab <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    "  -h, --help     show this help (or a command's help: quorumlab <command> --help)",
    '  -v, --version  print the version',
  ].join('\n');
}

/**
 * Makes a closed standard output or error (`quorumlab … | head`) end the process quietly, as
 * SIGPIPE ends other command-line tools, with the shell's status for it (128 + 13).
 */
export function exitQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(141);
      throw err;
    });
  }
}

/** Runs the command line and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(formatHelp() + '\n');
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version') {
    process.stdout.write(`quorumlab ${packageJson.version}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    process.stderr.write(`quorumlab: unknown command "${first}"\n\n${formatHelp()}\n`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    process.stderr.write(
      `quorumlab ${first}: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return 2;
  }
}
