// The quorumlab command as a Node startup snapshot (scripts/build-cli.mjs bundles this file into
// one script and runs `node --build-snapshot` on it; bin/quorumlab starts node with the blob when
// it was built by the same node binary). Every subcommand's module is loaded here, at build time,
// so a run starts with the modules evaluated and the PromQL grammar decoded: no module loading
// at all. `lab` is left to load when it runs: it spawns processes and listens on sockets, which
// Node does not promise to restore from a snapshot. Then a small `test rules` run (warmup.ts)
// compiles the rule tester and the engine to bytecode, which the snapshot keeps: a test file of
// one group took 0.35 s instead of 0.23 s wall (bench/testRules.bench.ts's first group).
import { WriteStream } from 'node:tty';
import { startupSnapshot } from 'node:v8';
import { commands } from './commands.ts';
import { exitQuietlyOnBrokenPipe, main } from './main.ts';
import { warmTestRules } from './warmup.ts';

/** Subcommands not loaded into the snapshot (see above). */
const LOADED_WHEN_RUN = new Set(['lab']);

void Promise.all(commands.filter((c) => !LOADED_WHEN_RUN.has(c.name)).map((c) => c.load()));
warmTestRules();

// Node makes process.stdout and process.stderr when first asked for, requiring the module of
// each stream's kind (net for a pipe, tty for a terminal, a file's own for a file), and a
// built-in first required at run time compiles from its source (the blob has no code cache
// for them: scripts/build-cli.mjs): about 10 ms of every run. Made here (the builder's output
// is a file and its error stream a pipe, tty loaded beside them), the streams are dropped as
// the snapshot is taken, Node making them again for the process that runs, and the modules
// stay. Piped `--version`: 0.110 to 0.095 s of CPU (medians of 12).
void [process.stdout, process.stderr, WriteStream];

startupSnapshot.setDeserializeMainFunction(() => {
  exitQuietlyOnBrokenPipe();
  // Started as `node --snapshot-blob BLOB -- ARGS...`: argv is [node, ...ARGS].
  void main(process.argv.slice(1)).then((code) => {
    process.exitCode = code;
  });
});
