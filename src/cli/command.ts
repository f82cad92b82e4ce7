/** A quorumlab subcommand. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Runs the subcommand with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}
